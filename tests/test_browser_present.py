"""A presenter's evening in headless Chromium at 1920x1080: build a three-slide story in the
sidebar, play it with the arrow keys, open its share link in English and French, and download a
PNG and an SVG export by clicking the buttons. Screenshots of every slide go to screenshots/
(story_<lang>_<n>.png). Offline: requests to anything but the app server are blocked and counted.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image
from test_browser import SHOTS, db_file, offline_page, server, wait_idle  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.shared_data]

W, H = 1920, 1080
COUNTER = {"nl": "Dia {n} van 3", "en": "Slide {n} of 3", "fr": "Diapositive {n} sur 3"}
SOURCE = {"nl": "licentie", "en": "licence", "fr": "licence"}


@pytest.fixture(scope="module")
def screen(server):  # noqa: F811
    with offline_page({"width": W, "height": H}, accept_downloads=True) as opened:
        yield opened


def idle(page) -> None:
    wait_idle(page, settle_ms=800)


def add_view(page, caption: str) -> None:
    panel = page.get_by_test_id("stSidebar")
    if not panel.get_by_label("Onderschrift bij deze weergave (optioneel)").is_visible():
        panel.get_by_text("Presenteren en verhaal").click()
    box = panel.get_by_label("Onderschrift bij deze weergave (optioneel)")
    box.fill(caption)
    box.press("Enter")
    idle(page)
    panel.get_by_role("button", name="Deze weergave toevoegen").click()
    idle(page)


def check_slide(page, lang: str, n: int, name: str) -> None:
    slide = page.locator(".st-key-slide")
    assert slide.is_visible()
    assert not page.get_by_text("Page not found").is_visible()
    assert not page.get_by_test_id("stSidebar").is_visible()
    assert not page.locator(".st-key-page_body").is_visible()
    text = slide.inner_text()
    assert COUNTER[lang].format(n=n) in text, text[:300]
    assert SOURCE[lang] in text
    # readable from the back of the room: takeaway >= 28 px, title >= 36 px, source >= 16 px
    sizes = page.evaluate("""() => {
        const px = sel => { const e = document.querySelector(sel);
                            return e ? parseFloat(getComputedStyle(e).fontSize) : 0; };
        return {title: px('.st-key-slide h1'), takeaway: px('.st-key-slide_takeaway p'),
                source: px('.st-key-slide_source p')};
    }""")
    assert sizes["title"] >= 36 and sizes["takeaway"] >= 28 and sizes["source"] >= 16, sizes
    # one screen: the slide (chart, takeaway, source, controls) fits in 1080 px
    bottom = page.evaluate(
        "() => document.querySelector('.st-key-slide_controls').getBoundingClientRect().bottom")
    assert bottom <= H, f"slide {n} runs off the screen ({bottom:.0f} px)"
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    with Image.open(SHOTS / f"{name}.png") as img:
        assert img.size == (W, H)


def play(page, lang: str) -> None:
    for n in (1, 2, 3):
        if n > 1:
            page.keyboard.press("ArrowRight")
            idle(page)
        check_slide(page, lang, n, f"story_{lang}_{n}")
        print(f"  story_{lang}_{n}.png  {page.url[:120]}")


def test_build_a_story_play_it_and_share_it_in_three_languages(server, screen):  # noqa: F811
    page, blocked = screen
    SHOTS.mkdir(exist_ok=True)
    print(f"\nscreenshots: {SHOTS}")
    page.goto(f"{server}/?gemeente=GM0599&indicator=self_rated_health_good")
    idle(page)
    add_view(page, "Rotterdam tegenover Nederland")
    page.goto(f"{server}/kaart?gemeente=GM0363&indicator=overweight&kleur=comparison"
              f"&story={parse_qs(urlparse(page.url).query)['story'][0]}")
    idle(page)
    add_view(page, "Overgewicht: waar ligt het hoger?")
    story_param = parse_qs(urlparse(page.url).query)["story"][0]
    page.goto(f"{server}/ongelijkheid?gemeente=GM0599&indicator=self_rated_health_good"
              f"&story={story_param}")
    idle(page)
    add_view(page, "Gezondheid volgt het inkomen")
    link = page.locator(".st-key-story_link").text_content().strip()
    assert "present=1" in link and "story=" in link
    # the panel stays open while views are added (its label counts them)
    page.get_by_role("button", name="Verhaal presenteren").click()
    idle(page)
    play(page, "nl")
    page.keyboard.press("ArrowLeft")
    idle(page)
    assert COUNTER["nl"].format(n=2) in page.locator(".st-key-slide").inner_text()
    page.keyboard.press("Escape")
    idle(page)
    assert page.get_by_test_id("stSidebar").is_visible()
    assert "present" not in parse_qs(urlparse(page.url).query)

    for lang in ("en", "fr"):   # the share link, opened fresh, in the other languages
        page.goto(f"{link}&lang={lang}")
        idle(page)
        play(page, lang)
    assert not blocked, blocked


def test_export_buttons_download_png_and_svg_files(server, screen):  # noqa: F811
    page, blocked = screen
    page.goto(f"{server}/trends?gemeente=GM0599&indicator=self_rated_health_good")
    idle(page)
    page.get_by_role("button", name="Exporteren").first.click()
    files = {}
    for label, kind in (("PNG (presentatie)", "png"), ("SVG (vector)", "svg")):
        with page.expect_download(timeout=90_000) as info:
            page.get_by_role("button", name=label).first.click()
        download = info.value
        files[kind] = (download.suggested_filename, open(download.path(), "rb").read())
    name, png = files["png"]
    assert name.startswith("gezondheidskloof_trends_self-rated-health-good") and name.endswith(".png")
    with Image.open(io.BytesIO(png)) as img:
        assert img.size == (1920, 1080)
    name, svg = files["svg"]
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "Rotterdam" in svg.decode("utf-8") and "Bron:" in svg.decode("utf-8")
    assert not blocked, blocked


@pytest.mark.parametrize("code, age", [("GM0599", "18+"), ("GM0363", "65+")])
def test_printable_profile_downloads_and_prints_on_one_a4_page(server, screen, code, age):  # noqa: F811
    page, blocked = screen
    page.goto(f"{server}/profiel?gemeente={code}&leeftijd={age}")
    idle(page)
    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name="Profiel als printbare pagina (A4)").click()
    download = info.value
    assert download.suggested_filename == f"gezondheidskloof_profiel_{code.lower()}_{age.replace('+', '')}.html"
    html = open(download.path(), encoding="utf-8").read()
    printer = page.context.new_page()
    printer.set_content(html)
    pdf = printer.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages == 1, f"{code} {age}: the printable profile takes {pages} pages"
    printer.set_viewport_size({"width": 900, "height": 1250})
    printer.screenshot(path=str(SHOTS / f"profile_print_{code}.png"), full_page=True)
    printer.close()
    assert not blocked, blocked
