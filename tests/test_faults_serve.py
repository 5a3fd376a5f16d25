"""Faults while serving: the database file replaced, missing, corrupt or of the wrong kind under
an open session, and malformed or hostile URL parameters.

The app must show one page-level message (never a traceback), keep running, and recover by itself
when a good file is back; a rebuild (atomic replace) is picked up by open sessions on their next
run. The AppTest sessions here are kept open across runs; the real server is driven in
test_served_app_survives_a_missing_database_and_recovers.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import health, serve_app
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from test_apptest_pages import _fresh_app, db_file, run_app, texts_of  # noqa: F401

from healthgap.settings import PROJECT_ROOT
from healthgap.ui.texts import t

pytestmark = pytest.mark.shared_data

APP = str(PROJECT_ROOT / "app.py")
GM = "GM0363"
NEW_NAME = "Herbouwdam"
DB_MESSAGE = t("app.db_unavailable", reason="").strip()


@pytest.fixture
def live_db(db_file, tmp_path, monkeypatch) -> Path:
    """A private copy of the database that the test may replace, remove or damage."""
    path = tmp_path / "live" / "healthgap.duckdb"
    path.parent.mkdir()
    shutil.copy(db_file, path)
    monkeypatch.setenv("HEALTHGAP_DB", str(path))
    return path


@pytest.fixture
def session(live_db, monkeypatch):
    """One AppTest session that survives reruns, as a browser tab does.

    AppTest resets Streamlit's legacy multipage flag before every run, and with a folder named
    pages/ a rerun would then execute the page without app.py; `healthgap serve` switches that
    mode off, and so does this fixture (after each PagesManager is made)."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["gemeente"] = GM
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def replace_atomically(target: Path, make) -> None:
    """Write a new file beside target and os.replace it in, as the build does."""
    new = target.with_name(target.name + ".new")
    new.unlink(missing_ok=True)
    make(new)
    os.replace(new, target)


def renamed_copy(source: Path):
    def make(new: Path) -> None:
        shutil.copy(source, new)
        con = duckdb.connect(str(new))
        con.execute("UPDATE areas SET name = ? WHERE area_code = ?", [NEW_NAME, GM])
        con.close()
    return make


def title(at: AppTest) -> str:
    return at.title[0].value if at.title else ""


def shows_db_message(at: AppTest) -> bool:
    return any(DB_MESSAGE in e.value for e in at.error)


def test_an_open_session_keeps_working_across_a_rebuild_and_then_shows_the_new_data(session, live_db):
    at = session
    old_name = title(at)
    assert old_name and NEW_NAME not in old_name
    at.switch_page("pages/kaart.py")
    rerun(at)

    replace_atomically(live_db, renamed_copy(live_db))

    rerun(at)
    assert not at.error, [e.value for e in at.error]
    at.switch_page("pages/overzicht.py")
    rerun(at)
    assert NEW_NAME in title(at)
    # the session kept its selection through the rebuild
    assert at.query_params["gemeente"] in (GM, [GM])


def _remove(path: Path, aside: Path) -> None:
    os.replace(path, aside)


def _garbage(path: Path, aside: Path) -> None:
    os.replace(path, aside)
    path.write_bytes(b"\x00not a duckdb file\xff" * 4096)


def _truncated(path: Path, aside: Path) -> None:
    os.replace(path, aside)
    path.write_bytes(aside.read_bytes()[:8192])


def _other_database(path: Path, aside: Path) -> None:
    os.replace(path, aside)
    other = path.with_name("other.duckdb")  # a new path: DuckDB caches instances per path
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE something_else (x INTEGER)")
    con.close()
    os.replace(other, path)


def _directory(path: Path, aside: Path) -> None:
    # unreadable as a file, also for root (chmod 000 does not stop root)
    os.replace(path, aside)
    path.mkdir()


def _restore(path: Path, aside: Path) -> None:
    if path.is_dir():
        path.rmdir()
    else:
        path.unlink(missing_ok=True)
    os.replace(aside, path)


DAMAGE = [_remove, _garbage, _truncated, _other_database, _directory]


@pytest.mark.parametrize("damage", DAMAGE, ids=[d.__name__.strip("_") for d in DAMAGE])
@pytest.mark.parametrize("page", ["pages/overzicht.py", "pages/kaart.py"])
def test_a_missing_or_damaged_database_gives_a_page_message_and_the_session_recovers(
        session, live_db, damage, page):
    at = session
    at.switch_page(page)
    rerun(at)
    good_title = title(at)
    aside = live_db.with_name("aside.duckdb")

    damage(live_db, aside)
    rerun(at)
    assert shows_db_message(at), texts_of(at)
    assert str(live_db) in " ".join(e.value for e in at.error)
    rerun(at)  # and again: still a message, never a traceback
    assert shows_db_message(at)

    _restore(live_db, aside)
    rerun(at)
    assert not at.error, [e.value for e in at.error]
    assert title(at) == good_title


def test_a_new_session_on_a_damaged_database_gets_the_message(live_db):
    _garbage(live_db, live_db.with_name("aside.duckdb"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    assert shows_db_message(at)


# ---------------------------------------------------------------------------------------------
# Malformed URL parameters


LONG = "A" * 10_000
HOSTILE = [
    {"gemeente": "\x00"},
    {"gemeente": "%00"},
    {"gemeente": "<script>alert(1)</script>"},
    {"gemeente": "GM0363'; DROP TABLE areas; --"},
    {"gemeente": LONG},
    {"indicator": "' OR 1=1 --"},
    {"indicator": "<img src=x onerror=alert(1)>"},
    {"indicator": LONG},
    {"jaar": "99999"},
    {"jaar": "-1"},
    {"jaar": "2020' OR '1'='1"},
    {"jaar": LONG},
    {"leeftijd": "..."},
    {"leeftijd": "../../etc/passwd"},
    {"leeftijd": "\u202e65+"},
    {"benchmark": "x"},
    {"benchmark": LONG},
    {"groep": "GM0363,,,<b>"},
    {"groep": ",".join(["GM0363"] * 2000)},
    {"groep": "%%%,\x00,GM9999"},
    {"gemeente": "GM0363", "indicator": "nope", "jaar": "1900", "leeftijd": "x", "benchmark": "y",
     "groep": "<b>"},
]


def _id(params: dict) -> str:
    return "-".join(f"{k}={v[:12].encode('unicode_escape').decode()}" for k, v in params.items())


@pytest.mark.parametrize("params", HOSTILE, ids=[_id(p) for p in HOSTILE])
def test_malformed_url_parameters_give_a_note_and_no_exception(params):
    at = run_app(**params)  # run_app asserts there is no exception
    assert not at.error, [e.value for e in at.error]
    assert at.title and at.title[0].value
    # text from the link is never rendered as HTML
    for m in at.markdown:
        if any(v in m.value for v in params.values() if "<" in v):
            assert not m.proto.allow_html, m.value
    assert at.info or at.warning or at.caption, "no note about the parameter was shown"


ALL_BAD = {"gemeente": "<x>", "indicator": "' OR 1=1 --", "jaar": "99999", "leeftijd": "...",
           "benchmark": "x", "groep": "GM0363,,,<b>"}


def test_every_parameter_malformed_at_once_is_reported_in_notes():
    at = run_app(**ALL_BAD)
    assert not at.error, [e.value for e in at.error]
    notes = " ".join(e.value for e in list(at.info) + list(at.warning))
    for value in ("<X>", "' OR 1=1 --", "'x'", "99999", "<B>"):
        assert value in notes, notes


@pytest.mark.parametrize("page", ["pages/kaart.py", "pages/data.py", "pages/trends.py"])
def test_every_parameter_malformed_at_once_still_renders_other_pages(page):
    at = run_app(page, **ALL_BAD)
    assert not at.error, [e.value for e in at.error]


# ---------------------------------------------------------------------------------------------
# The real server


@pytest.fixture
def served(live_db):
    with serve_app(live_db) as running:
        yield running


IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


@pytest.mark.browser
def test_served_app_survives_a_missing_database_and_recovers(served, live_db):
    if not Path("/usr/bin/chromium").exists():
        if os.environ.get("HEALTHGAP_REQUIRE_BROWSER") == "1":
            pytest.fail("HEALTHGAP_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
        pytest.skip("no /usr/bin/chromium")
    sync = pytest.importorskip("playwright.sync_api")
    base, proc = served
    aside = live_db.with_name("aside.duckdb")

    def load(page, url):
        page.goto(url)
        page.wait_for_selector(IDLE, timeout=90_000)
        page.wait_for_timeout(500)
        page.wait_for_selector(IDLE, timeout=90_000)
        return page.inner_text('[data-testid="stMain"]')

    with sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page()
            text = load(page, f"{base}/?gemeente={GM}")
            assert "Amsterdam" in text and DB_MESSAGE not in text

            os.replace(live_db, aside)
            text = load(page, f"{base}/kaart?gemeente={GM}")
            assert DB_MESSAGE in text and "Traceback" not in text
            assert health(base) == 200 and proc.poll() is None

            os.replace(aside, live_db)
            text = load(page, f"{base}/?gemeente={GM}")
            assert "Amsterdam" in text and DB_MESSAGE not in text

            # a rebuild while this tab is open: the next run in the same session has the new name
            replace_atomically(live_db, renamed_copy(live_db))
            page.get_by_role("link", name="Kaart").first.click()
            page.wait_for_selector(IDLE, timeout=90_000)
            page.get_by_role("link", name="Overzicht").first.click()
            page.wait_for_timeout(500)
            page.wait_for_selector(IDLE, timeout=90_000)
            assert NEW_NAME in page.inner_text('[data-testid="stMain"]')
            assert health(base) == 200 and proc.poll() is None
        finally:
            browser.close()
