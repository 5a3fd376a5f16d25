"""Belgium in headless Chromium at 1920x1080 (issue 5): the Belgian municipalities map, Brussels'
statistical sectors, the four pairs of "Over de grens" with both countries on one map, Liège /
Luik per language and the bilingual gemeente search, and a click on the Belgian map selecting a
municipality. Asserts what a user sees (drawn polygons per country, legend and title text, the
source line, no exception boxes); screenshots go to screenshots/browser_be_*.png. Offline:
requests to anything but the app server are blocked and asserted empty.
"""

from __future__ import annotations

import re

import pytest
from test_browser import (  # noqa: F401 (fixtures)
    SHOTS,
    click_largest_area,
    db_file,
    gemeente_in,
    offline_page,
    server,
    shot,
    wait_idle,
)

from healthgap.ui import border_view

pytestmark = [pytest.mark.browser, pytest.mark.shared_data]

W, H = 1920, 1080
BE_GEMEENTEN = (565, 581)        # the 2025 division (mergers) and the 2019 one
NL_GEMEENTEN = 340               # at least (342 in 2025)
EXCEPTION = '[data-testid="stException"]'
# the area code plotly bound to each drawn polygon (d3 data), for the paths with a shape
DRAWN = """() => [...document.querySelectorAll('.choroplethlayer .trace')].map(trace =>
    [...trace.querySelectorAll('path')]
        .filter(p => (p.getAttribute('d') || '').length > 2)
        .map(p => (p.__data__ && p.__data__.loc) || ''))"""


@pytest.fixture(scope="module")
def screen(server):  # noqa: F811
    SHOTS.mkdir(exist_ok=True)
    print(f"\nscreenshots: {SHOTS}")
    with offline_page({"width": W, "height": H}) as (page, blocked):
        yield page, blocked
        assert not blocked, f"requests to the internet were attempted: {blocked[:5]}"


def idle(page) -> None:
    wait_idle(page, settle_ms=600)


def open_page(page, url: str) -> None:
    page.goto(url)
    idle(page)
    assert page.locator(EXCEPTION).count() == 0, url


def drawn_areas(page) -> list[list[str]]:
    """Area codes of the drawn polygons, one list per choropleth trace (the first holds the
    classes, a second one the selected area's outline)."""
    page.wait_for_selector(".choroplethlayer path", state="attached")
    page.wait_for_timeout(500)
    return page.evaluate(DRAWN)


def main_text(page) -> str:
    return page.get_by_test_id("stMain").inner_text()


def map_text(page, part: str) -> str:
    """Text plotly drew in the map's SVG: 'title' (.gtitle) or 'legend' (the colour bar)."""
    sel = ".gtitle" if part == "title" else ".colorbar text"
    return " ".join(page.locator(f".js-plotly-plot {sel}").all_text_contents())


def gemeente_box(page):
    return page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").nth(1).locator("input")


def panel_name(page) -> str:
    """The name the Kaart's side panel shows for the selection."""
    return page.get_by_test_id("stMain").locator("h3").first.inner_text().strip()


def test_belgian_municipalities_map_draws_with_legend_title_and_source(server, screen):  # noqa: F811
    page, _ = screen
    open_page(page, f"{server}/kaart?land=be")
    classes, *outline = drawn_areas(page)
    assert len(classes) in BE_GEMEENTEN, len(classes)
    assert all(re.fullmatch(r"\d{5}", c) for c in classes)
    assert outline == [["21004"]], outline          # Brussel, the Belgian default, outlined
    title, legend = map_text(page, "title"), map_text(page, "legend")
    assert "Inwoners van 65 jaar of ouder (België), 2021" in title, title
    assert "Klassen: Kwantielen" in legend and "%" in legend, legend
    text = main_text(page)
    assert "Bron: Statbel" in text and "licentie" in text
    assert f"{len(classes)} gebieden met een waarde" in text
    shot(page, "browser_be_kaart", W, H)


def test_brussels_statistical_sectors_are_drawn(server, screen):  # noqa: F811
    page, _ = screen
    open_page(page, f"{server}/kaart?land=bru&indicator=be_bimd_score&niveau=sector")
    assert "niveau=sector" in page.url
    (sectors, *_) = drawn_areas(page)
    assert len(sectors) >= 600, len(sectors)          # 720 sectors of the 19 municipalities
    assert all(re.fullmatch(r"21\d{3}[\w-]{4}", c) for c in sectors), sectors[:5]
    assert "BIMD (totaal): score, 2011" in map_text(page, "title")
    assert "geen gegevens" in map_text(page, "legend")  # sectors without a score, never zero
    text = main_text(page)
    assert "Statistische sectoren (Brussel)" in text
    assert "Klik op een statistische sector" in text
    assert "Klik op een gebied om zijn cijfer rechts te zien" in text   # not "op een gemeente"
    assert "Bron: Sciensano, BIMD 2011" in text
    shot(page, "browser_be_kaart_brussel_sectoren", W, H)


@pytest.mark.parametrize("pair", border_view.pair_ids())
def test_over_de_grens_draws_both_countries_with_the_definitions_note(server, screen, pair):  # noqa: F811
    page, _ = screen
    open_page(page, f"{server}/grens?paar={pair}")
    (areas,) = drawn_areas(page)
    nl = sum(c.startswith("GM") for c in areas)
    be = sum(bool(re.fullmatch(r"\d{5}", c)) for c in areas)
    assert nl >= NL_GEMEENTEN and be in BE_GEMEENTEN, (nl, be)
    # both countries on screen, Belgium south of the Netherlands
    boxes = page.evaluate("""() => {
        const out = {NL: [], BE: []};
        for (const p of document.querySelectorAll('.choroplethlayer path')) {
            const loc = p.__data__ && p.__data__.loc;
            if (!loc) continue;
            const r = p.getBoundingClientRect();
            if (r.width > 0) out[loc.startsWith('GM') ? 'NL' : 'BE'].push(r.top + r.height / 2);
        }
        const mid = a => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
        return {NL: mid(out.NL), BE: mid(out.BE)};
    }""")
    assert boxes["BE"] > boxes["NL"], boxes
    note = page.get_by_test_id("stAlert").filter(has_text="Wat is hetzelfde, wat verschilt")
    assert note.is_visible()
    assert border_view.differences(pair)[:60] in note.inner_text()
    text = main_text(page)
    assert border_view.label(pair) in map_text(page, "title")
    assert "Landelijke cijfers" in text and "Bron:" in text
    if pair == "inkomenspositie":
        legend = map_text(page, "legend")
        assert "Kwintiel binnen het eigen land" in legend and "1: laagste 20%" in legend, legend
        # the national table (a canvas grid: its accessible cells) names no amounts either
        cells = page.locator('[data-testid="stDataFrame"] [role="gridcell"]').all_text_contents()
        assert cells.count("niet getoond: ander begrip per land") == 2, cells
        assert not any("€" in x for x in [text, legend, *cells])
        # hovering a municipality names its quintile, never an amount
        path = page.locator(".choroplethlayer path").nth(len(areas) // 2)
        box = path.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        hover = page.locator(".hoverlayer .hovertext")
        hover.first.wait_for(state="attached", timeout=10_000)
        assert "Kwintiel" in hover.first.text_content() or "geen gegevens" in hover.first.text_content()
        assert "€" not in hover.first.text_content()
        page.mouse.move(W - 20, H - 20)   # away from the map and the sidebar
    else:
        assert "Zelfde klassen voor beide landen" in map_text(page, "legend")
    shot(page, f"browser_be_grens_{pair}", W, H)


@pytest.mark.parametrize(("lang", "shown"), [("fr", "Liège"), ("nl", "Luik")])
def test_liege_is_named_in_the_pages_language(server, screen, lang, shown):  # noqa: F811
    page, _ = screen
    open_page(page, f"{server}/kaart?gemeente=62063&lang={lang}")
    assert gemeente_box(page).input_value().startswith(shown), gemeente_box(page).input_value()
    assert panel_name(page) == shown
    drawn_areas(page)
    text = main_text(page)
    if lang == "fr":
        assert "Cliquez sur une commune" in text
        # the source line names its source in French, not with the data's Dutch "Bron:"
        assert "Source : Statbel" in text and "Bron:" not in text, text[-600:]
        shot(page, "browser_be_liege_fr", W, H)


def test_the_gemeente_search_finds_luik_when_typing_liege(server, screen):  # noqa: F811
    page, _ = screen
    open_page(page, f"{server}/kaart?land=be&gemeente=21004")
    box = gemeente_box(page)
    box.click()
    page.keyboard.type("Liège")
    options = page.get_by_role("option")
    options.first.wait_for()
    found = options.all_inner_texts()
    assert "Luik (Liège)" in found, found
    page.screenshot(path=str(SHOTS / "browser_be_search_liege.png"))
    options.filter(has_text=re.compile(r"^Luik \(Liège\)$")).click()
    page.wait_for_function("() => new URL(location.href).searchParams.get('gemeente') === '62063'",
                           timeout=30_000)
    idle(page)
    assert page.locator(EXCEPTION).count() == 0
    assert panel_name(page) == "Luik"


def test_clicking_a_municipality_on_the_belgian_map_selects_it(server, screen):  # noqa: F811
    page, _ = screen
    open_page(page, f"{server}/kaart?land=be&gemeente=21004")
    drawn_areas(page)
    # a large polygon, far from Brussels
    before = click_largest_area(page, page.locator(".choroplethlayer .trace").first.locator("path"),
                       step=3, limit=10_000)
    idle(page)
    after = gemeente_in(page.url)
    assert after and re.fullmatch(r"\d{5}", after) and after != before
    assert page.locator(EXCEPTION).count() == 0
    classes, *outline = drawn_areas(page)
    assert outline == [[after]], outline
    name = panel_name(page)
    assert name and name not in ("Brussel", "Brussel / Bruxelles"), name
    assert gemeente_box(page).input_value().startswith(name)
    shot(page, "browser_be_kaart_na_klik", W, H)


# the screen box of the largest drawn polygon whose area code matches a pattern
LARGEST = """pattern => {
    const re = new RegExp(pattern);
    let best = null;
    document.querySelectorAll('.choroplethlayer .trace:first-child path').forEach(p => {
        const loc = (p.__data__ && p.__data__.loc) || '';
        if (!re.test(loc)) return;
        const r = p.getBoundingClientRect();
        if (!best || r.width * r.height > best.w * best.h)
            best = {loc: loc, x: r.x + r.width / 2, y: r.y + r.height / 2, w: r.width, h: r.height};
    });
    return best;
}"""


def test_both_countries_map_and_a_click_across_the_border(server, screen):  # noqa: F811
    page, _ = screen
    open_page(page, f"{server}/kaart?land=nlbe&gemeente=GM0935&indicator=population_65_plus_pct")
    classes, *outline = drawn_areas(page)
    assert sum(c.startswith("GM") for c in classes) >= NL_GEMEENTEN
    assert sum(bool(re.fullmatch(r"\d{5}", c)) for c in classes) in BE_GEMEENTEN
    assert outline == [["GM0935"]]
    assert "Zelfde definitie" in main_text(page)
    shot(page, "browser_both_kaart", W, H)
    target = page.evaluate(LARGEST, r"^\d{5}$")
    page.mouse.click(target["x"], target["y"])
    page.wait_for_function(
        "() => /^\\d{5}$/.test(new URL(location.href).searchParams.get('gemeente') || '')",
        timeout=30_000)
    idle(page)
    params = dict(re.findall(r"[?&]([^=&]+)=([^&]*)", page.url))
    # the Belgian municipality brings the Belgian indicator of the same definition
    assert params["land"] == "nlbe" and params["indicator"] == "be_population_65_plus_pct"
    assert page.locator(EXCEPTION).count() == 0
    assert gemeente_box(page).input_value().endswith("· BE")
    _, *outline = drawn_areas(page)
    assert outline == [[params["gemeente"]]]


def test_a_region_narrows_the_map(server, screen):  # noqa: F811
    page, _ = screen
    open_page(page, f"{server}/kaart?land=wal&indicator=be_population_65_plus_pct")
    classes, *_ = drawn_areas(page)
    assert 240 <= len(classes) <= 270 and all(c[0] in "56789" or c.startswith("25")
                                              for c in classes)
    assert "De kaart toont alleen Wallonië" in main_text(page)
    shot(page, "browser_be_kaart_wallonie", W, H)
