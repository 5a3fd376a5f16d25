"""The real app in headless Chromium: every page draws, the map draws offline and clicks select.

Starts `healthgap serve` on a free 127.0.0.1 port against the built database, blocks every request
that does not go to that server and asserts none was attempted (the app works with no internet),
and saves a screenshot per page to screenshots/ (printed). Needs Debian's /usr/bin/chromium;
skipped without it unless HEALTHGAP_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import serve_app

from healthgap.settings import PROJECT_ROOT
from healthgap.ui.frame import page_files

pytestmark = [pytest.mark.browser, pytest.mark.shared_data]

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = PROJECT_ROOT / "screenshots"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

if not CHROMIUM.exists():
    if os.environ.get("HEALTHGAP_REQUIRE_BROWSER") == "1":
        pytest.fail("HEALTHGAP_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing "
                    "(apt-get install -y chromium)", pytrace=False)
    pytest.skip("no /usr/bin/chromium (apt-get install -y chromium)", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def db_file(request) -> Path:
    override = os.environ.get("HEALTHGAP_TEST_DB")
    return Path(override) if override else Path(request.getfixturevalue("built_db"))


@pytest.fixture(scope="module")
def server(db_file):
    with serve_app(db_file) as (base, _proc):
        yield base


@contextmanager
def offline_page(viewport: dict, **context_options):
    """A Chromium page that may only talk to the app on loopback; yields (page, blocked), where
    `blocked` lists every other request it tried (tests assert it stays empty)."""
    blocked: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking"])
        context = browser.new_context(viewport=viewport, **context_options)

        def guard(route):
            host = urlparse(route.request.url).hostname
            if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.set_default_timeout(90_000)
        yield page, blocked
        context.close()
        browser.close()


@pytest.fixture(scope="module")
def browser_page(server):
    with offline_page({"width": 1440, "height": 1000}) as opened:
        yield opened


def wait_idle(page, settle_ms: int = 0) -> None:
    """Until the script is idle and the network quiet; `settle_ms` more for charts to draw."""
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, state="attached")
    page.wait_for_load_state("networkidle")
    if settle_ms:
        page.wait_for_timeout(settle_ms)


def click_largest_area(page, paths, step: int = 1, limit: int = 400) -> str | None:
    """Click the middle of the largest polygon among `paths` (every `step`-th of the first
    `limit`) and wait until the URL's gemeente changes; returns the gemeente before."""
    before = gemeente_in(page.url)
    boxes = [b for b in (paths.nth(k).bounding_box()
                         for k in range(0, min(paths.count(), limit), step)) if b]
    box = max(boxes, key=lambda b: b["width"] * b["height"])
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function(
        "before => new URL(location.href).searchParams.get('gemeente') !== before",
        arg=before, timeout=30_000)
    return before


def shot(page, name: str, width: int = 1440, height: int = 1000) -> None:
    """Screenshot of the whole page: Streamlit scrolls inside its own container, so the
    viewport is made as tall as the content first (full_page alone shows one screen); the
    viewport is `width` x `height` again afterwards."""
    content = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], "
        "[data-testid=\"stMainBlockContainer\"], section.main')].map(e => e.scrollHeight), 1000)")
    page.set_viewport_size({"width": width, "height": min(int(content) + 80, 6000)})
    page.wait_for_timeout(600)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": width, "height": height})


def gemeente_in(url: str) -> str | None:
    return (parse_qs(urlparse(url).query).get("gemeente") or [None])[0]


def test_every_page_draws_and_the_map_selects_a_gemeente_offline(server, browser_page):
    page, blocked = browser_page
    SHOTS.mkdir(exist_ok=True)
    print(f"\nscreenshots: {SHOTS}")
    slugs = [slug for _, slug, _ in page_files()]
    # a deep link as the very first request of a fresh server must get the full app (frame)
    page.goto(f"{server}/kaart?gemeente=GM0599")
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_selector(".choroplethlayer path", state="attached")
    for i, slug in enumerate(slugs):
        page.goto(f"{server}/{'' if i == 0 else slug}?gemeente=GM0599")
        wait_idle(page)
        assert page.locator('[data-testid="stException"]').count() == 0, slug
        if slug == "kaart":
            page.wait_for_selector(".choroplethlayer path", state="attached")
            page.wait_for_timeout(800)
        page.wait_for_timeout(500)
        shot(page, f"{i + 1:02d}_{slug}")

    # other modes and selections a policy officer uses
    variants = (("10_kaart_vergelijking", "kaart", "gemeente=GM0599&kleur=comparison", True),
                ("11_kaart_wijken", "kaart", "gemeente=GM0599&niveau=wijk", True),
                ("12_vergelijken_groep", "vergelijken", "gemeente=GM0599&groep_type=groep"
                 "&groep=GM0363,GM0344,GM0518&benchmark=groep", False),
                ("13_ongelijkheid_wijken", "ongelijkheid", "gemeente=GM0599&niveau=wijk", False),
                ("14_trends_opvolger", "trends", "gemeente=GM1980&benchmark=peers", False),
                ("15_profiel_peers", "profiel", "gemeente=GM0599&benchmark=peers", False))
    for name, slug, query, is_map in variants:
        if slug not in slugs:
            continue
        page.goto(f"{server}/{slug}?{query}")
        wait_idle(page)
        assert page.locator('[data-testid="stException"]').count() == 0, query
        if is_map:
            page.wait_for_selector(".choroplethlayer path", state="attached")
        page.wait_for_timeout(800)
        shot(page, name)

    # click a gemeente on the map: a large one away from the selected outline
    page.goto(f"{server}/kaart?gemeente=GM0599")
    wait_idle(page)
    page.wait_for_selector(".choroplethlayer path", state="attached")
    page.wait_for_timeout(800)
    before = gemeente_in(page.url)
    click_largest_area(page, page.locator(".choroplethlayer .trace path"))
    wait_idle(page)
    after = gemeente_in(page.url)
    assert after and after != before
    shot(page, "09_kaart_after_click")
    # the clicked gemeente is the selection on the other pages too
    page.get_by_role("link", name="Gemeenteprofiel").click()
    wait_idle(page)
    assert gemeente_in(page.url) == after
    shot(page, "16_profiel_after_click")
    assert not blocked, f"requests to the internet were attempted: {blocked[:5]}"


UPLOAD_CSV = (
    "gebiedscode;periode;indicator_id;indicator_naam;waarde;eenheid;richting\n"
    "GM0363;2024;eigen_rookt;Rookt (eigen enquête);21,5;percent;low_is_good\n"
    "GM0599;2024;eigen_rookt;Rookt (eigen enquête);25,0;percent;low_is_good\n"
    "GM0344;2024;eigen_rookt;Rookt (eigen enquête);18,2;percent;low_is_good\n"
    "GM9999;2024;eigen_rookt;Rookt (eigen enquête);30,0;percent;low_is_good\n"
    "GM0518;2024;eigen_rookt;Rookt (eigen enquête);veel;percent;low_is_good\n"
)


def test_uploading_a_file_shows_the_report_and_puts_the_valid_rows_on_the_map(
        server, browser_page, tmp_path):
    page, blocked = browser_page
    SHOTS.mkdir(exist_ok=True)
    file = tmp_path / "enquete.csv"
    file.write_text(UPLOAD_CSV, encoding="utf-8-sig")
    page.goto(f"{server}/eigen-data?gemeente=GM0599")
    wait_idle(page)
    page.get_by_test_id("stMain").locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(file))
    page.get_by_text("2 afgekeurd").wait_for()
    wait_idle(page)
    shot(page, "20_eigen_data_report")
    page.get_by_role("button", name="Gebruik alleen de 3 goede rijen").click()
    page.get_by_text("indicator(en) toegevoegd").wait_for()
    wait_idle(page)
    page.get_by_role("link", name="Bekijk op de kaart").click()
    wait_idle(page)
    page.wait_for_selector(".choroplethlayer path", state="attached")
    assert page.get_by_text("Rookt (eigen enquête)").count() > 0
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_timeout(800)
    shot(page, "21_eigen_data_kaart")
    assert not blocked, f"requests to the internet were attempted: {blocked[:5]}"
