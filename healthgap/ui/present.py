"""Presenter mode and stories.

Presenter mode (`present=1`, or the toggle in the sidebar) turns a page into one slide: sidebar,
header and the page's controls are hidden, the page's main chart is drawn large with its title, a
one-line takeaway from the same guarded sentence templates as the Overzicht page, and the source and
licence line. How: app.py runs the page inside a container that CSS hides while presenting; the
page's main chart call (`slide` / `numbers_slide`) also draws the slide into a container above it.
The page's widgets keep running (hidden), so every choice keeps its state and its URL parameter.
Pages without a chart (Data, Eigen data, Methoden) are shown whole, with large type.

A story (healthgap/story.py) is a list of saved views. Playing it applies view i (URL parameters,
page) and shows it as a slide; next/previous buttons answer the arrow keys and PageDown/PageUp
(what presentation clickers send). The story travels in the URL (`story=`, `dia=`), so a link opens
the same slides on another machine, and as a JSON file to save and load.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from healthgap import story
from healthgap.ui import exports, frame
from healthgap.ui.texts import t, t_optional

K_PRESENT = "present_on"
K_TOGGLE = "present_toggle"
K_STORY = "story_views"          # list[story.View]
K_SLIDE = "story_slide"          # index of the view being played; None when not playing
K_APPLIED = "_story_applied"     # (token, index) last applied, so a slide is applied once
K_URL_READ = "_present_url_read"
K_BOX = "_slide_box"             # the container the page's slide goes into (this run)
K_DONE = "_slide_done"           # a slide was drawn in this run
K_MESSAGES = "_story_messages"   # what went wrong reading a story link or file
K_PAGE = "_page_slug"
K_CAPTION = "story_caption"
K_UPLOAD = "story_upload"

# Pages that have one main chart to present; the others are shown whole.
PRESENTABLE = frozenset({"overzicht", "kaart", "profiel", "vergelijken", "ongelijkheid", "trends",
                         "grens"})
CHART_HEIGHT = 620   # px: fits a 1920x1080 screen under the title, above takeaway and source

# Constant CSS (no user text): hide the app chrome, enlarge type, raise contrast.
_PRESENT_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
[data-testid="stMainBlockContainer"] {padding: 1.2rem 2.5rem 0.5rem 2.5rem !important; max-width: 100% !important;}
[data-testid="stApp"] {background: #ffffff; color: #000000;}
[data-testid="stMain"] p, [data-testid="stMain"] li {font-size: 1.45rem; line-height: 1.4; color: #000000;}
[data-testid="stMain"] h1 {font-size: 2.6rem; color: #000000;}
.st-key-slide_takeaway p {font-size: 1.9rem; font-weight: 600;}
.st-key-slide_source p {font-size: 1.1rem; color: #1a1a1a;}
.st-key-slide_caption p {font-size: 1.6rem; font-style: italic;}
.st-key-slide_numbers [data-testid="stMetricValue"], .st-key-slide_numbers [data-testid="stMetricValue"] * {font-size: 5rem !important; line-height: 1.15;}
.st-key-slide_numbers [data-testid="stMetricLabel"] p {font-size: 1.6rem;}
.st-key-slide_next_pd, .st-key-slide_prev_pu {display: none !important;}
</style>"""
_HIDE_BODY_CSS = "<style>.st-key-page_body {display: none !important;}</style>"
_SHOW_BODY_CSS = "<style>.st-key-page_body {display: block !important;}</style>"


def page_slugs() -> set[str]:
    return {slug for _, slug, _ in frame.page_files()}


def _page_paths() -> dict[str, str]:
    return {slug: str(path) for path, slug, _ in frame.page_files()}


def is_on() -> bool:
    return bool(st.session_state.get(K_PRESENT))


def views() -> list[story.View]:
    return list(st.session_state.get(K_STORY) or [])


def playing() -> int | None:
    i = st.session_state.get(K_SLIDE)
    return i if is_on() and isinstance(i, int) and 0 <= i < len(views()) else None


def _message(key: str, **params) -> None:
    st.session_state.setdefault(K_MESSAGES, []).append(t(key, **params))


def _story_error(exc: story.StoryError) -> None:
    reason = t(f"story.error.{exc.key}", **exc.params)
    _message("story.error_heading", reason=reason)


def _read_url_once() -> None:
    if st.session_state.get(K_URL_READ):
        return
    st.session_state[K_URL_READ] = True
    params = st.query_params
    st.session_state[K_PRESENT] = params.get("present") == "1"
    token = params.get("story")
    if token:
        try:
            st.session_state[K_STORY] = story.decode(token, page_slugs())
        except story.StoryError as exc:
            _story_error(exc)
            st.session_state[K_PRESENT] = False
            return
    if is_on() and views():
        raw = params.get("dia", "1")
        n = int(raw) if raw.isdigit() else 0
        if not 1 <= n <= len(views()):
            _message("story.note_bad_slide", value=raw[:10], count=len(views()))
            n = 1
        st.session_state[K_SLIDE] = n - 1


def start(nav) -> None:
    """Before the sidebar: read the URL, and when a story plays, apply its current view
    (switching page if the view is on another page)."""
    st.session_state[K_DONE] = False
    _read_url_once()
    slug = nav.url_path or frame.page_files()[0][1]
    st.session_state[K_PAGE] = slug
    i = playing()
    if i is None:
        return
    current = views()
    token = story.encode(current)
    if st.session_state.get(K_APPLIED) == (token, i):
        return
    st.session_state[K_APPLIED] = (token, i)
    view = current[i]
    frame.apply_view(view.params, {"present": "1", "story": token, "dia": str(i + 1)})
    if view.page != slug:
        st.switch_page(_page_paths()[view.page], query_params=st.query_params.to_dict())


def write_url() -> None:
    """Mirror presenter mode and the story in the URL (after the frame wrote its parameters)."""
    wanted = {}
    if is_on():
        wanted["present"] = "1"
    if views():
        wanted["story"] = story.encode(views())
    i = playing()
    if i is not None:
        wanted["dia"] = str(i + 1)
    for key in ("present", "story", "dia"):
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


# --- the frame around the page ------------------------------------------------------------------


def frame_start() -> None:
    """Where the slide goes, and the style for presenting. Called before the page runs."""
    # shown once: story errors come from the URL (this run) or a loaded file (a callback)
    for text in st.session_state.pop(K_MESSAGES, []):
        st.warning(text, icon=":material/slideshow:")
    if not is_on():
        st.session_state[K_BOX] = None
        return
    st.html(_PRESENT_CSS)
    if st.session_state.get(K_PAGE) in PRESENTABLE:
        st.html(_HIDE_BODY_CSS)
    st.session_state[K_BOX] = st.container(key="slide")


def frame_end() -> None:
    """After the page: the player controls, or the whole page when it drew no slide."""
    if not is_on():
        return
    if not st.session_state.get(K_DONE) and st.session_state.get(K_PAGE) in PRESENTABLE:
        st.html(_SHOW_BODY_CSS)   # the page stopped early (no data): show its message
    box = st.session_state.get(K_BOX)
    with box if box is not None else st.container():
        _controls()


def _go(index: int) -> None:
    st.session_state[K_SLIDE] = index


def _stop() -> None:
    st.session_state[K_PRESENT] = False
    st.session_state[K_SLIDE] = None
    st.session_state[K_APPLIED] = None


def _controls() -> None:
    i = playing()
    n = len(views())
    with st.container(horizontal=True, key="slide_controls", vertical_alignment="center"):
        if i is not None:
            st.button(t("present.previous"), key="slide_prev", on_click=_go, args=(i - 1,),
                      disabled=i == 0, shortcut="Left", type="tertiary")
            st.caption(t("present.counter", n=i + 1, total=n))
            st.button(t("present.next"), key="slide_next", on_click=_go, args=(i + 1,),
                      disabled=i >= n - 1, shortcut="Right", type="tertiary")
            # presentation clickers send PageDown / PageUp
            st.button(t("present.next_clicker"), key="slide_next_pd", on_click=_go,
                      args=(i + 1,), disabled=i >= n - 1, shortcut="PageDown", type="tertiary")
            st.button(t("present.previous_clicker"), key="slide_prev_pu", on_click=_go,
                      args=(i - 1,), disabled=i == 0, shortcut="PageUp", type="tertiary")
        st.button(t("present.stop"), key="slide_stop", on_click=_stop, shortcut="Esc",
                  type="tertiary")


# --- slides (pages call these for their main chart) ---------------------------------------------


def _wanted() -> bool:
    return is_on() and not st.session_state.get(K_DONE) and st.session_state.get(K_BOX) is not None


def _caption() -> str:
    i = playing()
    return views()[i].caption if i is not None else ""


def presentation_figure(fig: go.Figure, height: int = CHART_HEIGHT) -> go.Figure:
    """The page's figure with projector-sized type and no title (the slide shows it above)."""
    big = go.Figure(fig)
    big.update_layout(title=None, height=height, font={"size": 20, "color": "#000000"},
                      legend={"font": {"size": 20}}, hoverlabel={"font": {"size": 18}},
                      margin={"l": 10, "r": 10, "t": 20, "b": 10}, paper_bgcolor="#ffffff")
    axis = {"tickfont": {"size": 18, "color": "#000000"},
            "title_font": {"size": 20, "color": "#000000"}}
    big.update_xaxes(**axis)
    big.update_yaxes(**axis)
    big.update_annotations(font_size=18)
    big.update_coloraxes(colorbar_tickfont_size=18, colorbar_title_font_size=20)
    for trace in big.data:  # maps carry their legend as a colour bar with its own font sizes
        if "colorbar" in trace:
            trace.update(colorbar={"tickfont": {"size": 20}, "title": {"font": {"size": 20}},
                                   "thickness": 26})
    return big


def _head(title: str) -> None:
    st.title(title)
    caption = _caption()
    if caption:
        with st.container(key="slide_caption"):
            st.markdown(caption)


def _tail(takeaway: str | None, source_ids) -> None:
    if takeaway:
        with st.container(key="slide_takeaway"):
            st.markdown(takeaway)
    with st.container(key="slide_source"):
        st.markdown(exports.source_line(source_ids))


def slide(fig: go.Figure, title: str, takeaway: str | None, source_ids, *,
          config: dict | None = None) -> None:
    """Draw `fig` as this run's slide (presenter mode only; the first call of a run wins)."""
    if not _wanted():
        return
    st.session_state[K_DONE] = True
    with st.session_state[K_BOX]:
        _head(title)
        st.plotly_chart(presentation_figure(fig), key="slide_chart", width="stretch",
                        config=config or {"displaylogo": False, "displayModeBar": False})
        _tail(takeaway, source_ids)


def numbers_slide(title: str, numbers: list[tuple[str, str]], takeaway: str | None,
                  source_ids) -> None:
    """A slide of two or three large numbers (a page whose main content is not a chart)."""
    if not _wanted():
        return
    st.session_state[K_DONE] = True
    with st.session_state[K_BOX]:
        _head(title)
        with st.container(key="slide_numbers"):
            cols = st.columns(len(numbers))
            for col, (label, value) in zip(cols, numbers, strict=True):
                col.metric(label, value)
        _tail(takeaway, source_ids)


# --- the story panel in the sidebar -------------------------------------------------------------


def _view_label(view: story.View) -> str:
    page = t_optional(f"pages.{view.page}.title") or view.page
    where = view.params.get("gemeente", "")
    return t("story.item", page=page, where=where, caption=view.caption) if view.caption \
        else t("story.item_plain", page=page, where=where)


def _add_view() -> None:
    view = story.make_view(st.session_state.get(K_PAGE) or "overzicht",
                           st.query_params.to_dict(), st.session_state.get(K_CAPTION, ""))
    current = views()
    if len(current) >= story.MAX_VIEWS:
        _message("story.error.too_many", count=len(current) + 1, limit=story.MAX_VIEWS)
        return
    st.session_state[K_STORY] = [*current, view]
    st.session_state[K_CAPTION] = ""


def _move(i: int, step: int) -> None:
    current = views()
    j = i + step
    if 0 <= j < len(current):
        current[i], current[j] = current[j], current[i]
        st.session_state[K_STORY] = current


def _remove(i: int) -> None:
    current = views()
    del current[i]
    st.session_state[K_STORY] = current


def _play() -> None:
    st.session_state[K_PRESENT] = True
    st.session_state[K_SLIDE] = 0
    st.session_state[K_APPLIED] = None


def _clear() -> None:
    st.session_state[K_STORY] = []
    st.session_state[K_SLIDE] = None


def _load_file() -> None:
    upload = st.session_state.get(K_UPLOAD)
    if upload is None:
        return
    try:
        st.session_state[K_STORY] = story.from_json(upload.getvalue(), page_slugs())
    except story.StoryError as exc:
        _story_error(exc)


def _toggle_present() -> None:
    st.session_state[K_PRESENT] = bool(st.session_state.get(K_TOGGLE))
    st.session_state[K_SLIDE] = None


def share_link(current: list[story.View]) -> str:
    """The link that plays the story: this server's address, the first view's page."""
    base = (st.context.url or "").split("?")[0].rstrip("/")
    for slug in page_slugs():
        if base.endswith("/" + slug):
            base = base[: -len(slug) - 1]
    lang = st.query_params.get("lang")
    tail = f"&lang={lang}" if lang else ""
    # the first page of the navigation is the default page, served at / (not at its slug)
    path = "" if current[0].page == frame.page_files()[0][1] else current[0].page
    return f"{base}/{path}?present=1&dia=1&story={story.encode(current)}{tail}"


def sidebar_panel() -> None:
    """Presenter toggle and the story being collected (sidebar, normal mode)."""
    current = views()
    st.session_state[K_TOGGLE] = is_on()
    with st.sidebar.expander(t("story.heading", count=len(current)), expanded=False,
                             key="story_panel"):
        st.toggle(t("present.toggle"), key=K_TOGGLE, on_change=_toggle_present,
                  help=t("present.toggle_help"))
        st.text_input(t("story.caption_label"), key=K_CAPTION, max_chars=story.MAX_CAPTION,
                      placeholder=t("story.caption_placeholder"))
        st.button(t("story.add"), key="story_add", on_click=_add_view, icon=":material/add:",
                  width="stretch")
        for i, view in enumerate(current):
            with st.container(horizontal=True, vertical_alignment="center"):
                st.markdown(t("story.numbered", n=i + 1, label=_view_label(view)))
                st.button("↑", key=f"story_up_{i}", on_click=_move, args=(i, -1),
                          disabled=i == 0, type="tertiary", help=t("story.up"))
                st.button("↓", key=f"story_down_{i}", on_click=_move, args=(i, 1),
                          disabled=i == len(current) - 1, type="tertiary", help=t("story.down"))
                st.button("✕", key=f"story_del_{i}", on_click=_remove, args=(i,),
                          type="tertiary", help=t("story.remove"))
        if current:
            st.button(t("story.play"), key="story_play", on_click=_play, type="primary",
                      icon=":material/slideshow:", width="stretch")
            st.caption(t("story.link_label"))
            with st.container(key="story_link"):
                st.code(share_link(current), language=None, wrap_lines=True)
            st.download_button(t("story.save"), data=story.to_json(current),
                               file_name="verhaal.json", mime="application/json",
                               key="story_save", width="stretch", on_click="ignore")
            st.button(t("story.clear"), key="story_clear", on_click=_clear, type="tertiary")
        st.file_uploader(t("story.load"), type=["json"], key=K_UPLOAD, on_change=_load_file,
                         help=t("story.load_help"))
