"""Chart exports: PNG at presentation size and SVG with title, source line and on-screen numbers.

The figures are the ones the pages put on screen (AppTest spec JSON), exported by kaleido in
Debian's Chromium; skipped without /usr/bin/chromium unless HEALTHGAP_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import io
import os
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import plotly.io as pio
import pytest
from PIL import Image
from test_apptest_pages import _fresh_app, db, db_file, run_app  # noqa: F401

from healthgap.ui import exports

pytestmark = [pytest.mark.shared_data, pytest.mark.browser]

if not exports.CHROMIUM.exists():
    if os.environ.get("HEALTHGAP_REQUIRE_BROWSER") == "1":
        pytest.fail("HEALTHGAP_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing "
                    "(apt-get install -y chromium)", pytrace=False)
    pytest.skip("no /usr/bin/chromium (apt-get install -y chromium)", allow_module_level=True)

OUT = Path(os.environ.get("HEALTHGAP_EXPORT_DIR", "/tmp/exports"))


def _figure(at, key: str):
    chart = next(e for e in at.get("plotly_chart") if key in e.proto.id)
    return pio.from_json(chart.proto.spec)


def _footer_source(at) -> str:
    """The page footer's source + licence line: what the screen says about the source."""
    return next(c.value for c in at.caption if "licentie" in c.value)


def _svg_text(svg: bytes) -> str:
    root = ET.fromstring(svg)  # parses: a valid SVG document
    assert root.tag.endswith("svg")
    return " ".join("".join(el.itertext()) for el in root.iter())


def _export(fig, title: str, source: str, name: str):
    export = exports.figure_for_export(fig, title, source)
    start = time.perf_counter()
    png = exports.to_png(export)
    print(f"{name}: PNG in {time.perf_counter() - start:.1f} s")
    svg = exports.to_svg(export)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.png").write_bytes(png)
    (OUT / f"{name}.svg").write_bytes(svg)
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG"
    assert img.size == (1920, 1080)
    return img, _svg_text(svg)


def test_map_export_draws_offline_with_title_source_and_the_legend_numbers():
    at = run_app("pages/kaart.py", gemeente="GM0599")
    fig = _figure(at, "kaart_map")
    assert isinstance(fig.data[0].geojson, str)  # by URL on screen
    title = "Kaarttitel voor de export"
    source = _footer_source(at)
    img, text = _export(fig, title, source, "kaart")
    assert title in text
    assert source.splitlines()[0][:60] in text
    # the legend's class limits are the numbers on screen (colour bar tick labels)
    ticks = [tick for tick in fig.data[0].colorbar.ticktext if any(c.isdigit() for c in tick)]
    assert ticks and ticks[0] in text
    # the map itself is drawn: many distinct colours, not only the colour bar on white
    assert len(set(img.convert("RGB").resize((480, 270)).getdata())) > 20


def test_trend_export_keeps_the_chart_title_and_the_selected_gemeente_value():
    at = run_app("pages/trends.py", gemeente="GM0599")
    fig = _figure(at, "trends_chart")
    title = fig.layout.title.text
    source = _footer_source(at)
    img, text = _export(fig, title, source, "trends")
    assert title in text
    assert source[:60] in text
    names = {tr.name for tr in fig.data if tr.name}
    assert any(name in text for name in names)  # the legend is kept


def test_profile_spine_export_has_the_indicator_labels_on_screen():
    at = run_app("pages/profiel.py", gemeente="GM0599")
    fig = _figure(at, "spine_")
    labels = [str(y) for tr in fig.data for y in (tr.y or ())]
    _, text = _export(fig, "Rotterdam: profiel", "Bron — licentie CC-BY 4.0", "profiel")
    assert "Rotterdam: profiel" in text
    assert labels and labels[0].split("<")[0][:30] in text


def test_file_names_name_page_indicator_and_gemeente():
    assert exports.file_stem("kaart", "self_rated_health_good", "GM0599") == \
        "gezondheidskloof_kaart_self-rated-health-good_gm0599"
