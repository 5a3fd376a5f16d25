"""Stories: an ordered list of saved views that a presenter plays as slides.

A view is the page (its URL slug), the URL parameters that restore it and an optional caption.
A story travels in two forms, both checked here before anything is applied:
- a URL token (`story=` parameter): compact JSON, zlib-compressed, base64url without padding;
- a small JSON file to save and load (`{"format": "healthgap-story", "version": 1, "views": [...]}`).
Pure Python: no streamlit, so the checks are unit-tested directly.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import dataclass, field

FORMAT = "healthgap-story"
VERSION = 1
MAX_VIEWS = 30
MAX_CAPTION = 200
MAX_TOKEN = 12_000          # characters in the URL parameter (browsers cope with far more)
MAX_JSON_BYTES = 64_000     # a saved story file; real ones are a few KB
MAX_PARAMS = 20
# Parameters that describe the presentation itself, never part of a view.
PLAYER_PARAMS = ("present", "story", "dia", "lang")
_NAME = re.compile(r"^[a-z_]{1,30}$")
_VALUE = re.compile(r"^[\w+\-.,:/ ]{0,400}$")


# Every reason a story is refused; each has a text story.error.<key> in data/texts.
ERROR_KEYS = ("not_list", "empty", "too_many", "view_malformed", "unknown_page", "bad_param",
              "caption_long", "damaged", "too_large", "file_large", "not_json", "not_story",
              "version")


class StoryError(ValueError):
    """A story that cannot be used. `key` names the text (story.error.<key> in data/texts) that
    tells the user what is wrong; `params` fill it in."""

    def __init__(self, key: str, **params):
        super().__init__(key if not params else f"{key}: {params}")
        self.key = key
        self.params = params


@dataclass(frozen=True)
class View:
    page: str
    params: dict[str, str] = field(default_factory=dict)
    caption: str = ""

    def as_dict(self) -> dict:
        out: dict = {"page": self.page, "params": dict(self.params)}
        if self.caption:
            out["caption"] = self.caption
        return out


def make_view(page: str, params: dict, caption: str = "") -> View:
    """A view from the current URL parameters (player parameters dropped)."""
    kept = {str(k): str(v) for k, v in params.items() if k not in PLAYER_PARAMS}
    return View(page=page, params=kept, caption=(caption or "").strip()[:MAX_CAPTION])


def _check(data, pages: set[str]) -> list[View]:
    if not isinstance(data, list):
        raise StoryError("not_list")
    if not data:
        raise StoryError("empty")
    if len(data) > MAX_VIEWS:
        raise StoryError("too_many", count=len(data), limit=MAX_VIEWS)
    views = []
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise StoryError("view_malformed", n=n)
        page = item.get("page")
        if page not in pages:
            raise StoryError("unknown_page", n=n, page=str(page)[:40])
        params = item.get("params", {})
        if not isinstance(params, dict) or len(params) > MAX_PARAMS:
            raise StoryError("view_malformed", n=n)
        for key, value in params.items():
            if not isinstance(key, str) or not _NAME.match(key) or key in PLAYER_PARAMS:
                raise StoryError("bad_param", n=n, name=str(key)[:40])
            if not isinstance(value, str) or not _VALUE.match(value):
                raise StoryError("bad_param", n=n, name=key)
        caption = item.get("caption", "")
        if not isinstance(caption, str):
            raise StoryError("view_malformed", n=n)
        if len(caption) > MAX_CAPTION:
            raise StoryError("caption_long", n=n, limit=MAX_CAPTION)
        views.append(View(page=page, params=dict(params), caption=caption.strip()))
    return views


def encode(views: list[View]) -> str:
    raw = json.dumps([v.as_dict() for v in views], separators=(",", ":"), ensure_ascii=False)
    packed = zlib.compress(raw.encode("utf-8"), 9)
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode(token: str, pages: set[str]) -> list[View]:
    """The views of a URL token; StoryError when it is damaged, too large or names unknown pages."""
    if not isinstance(token, str) or not token:
        raise StoryError("damaged")
    if len(token) > MAX_TOKEN:
        raise StoryError("too_large")
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_JSON_BYTES)
        if inflater.unconsumed_tail:
            raise StoryError("too_large")
        data = json.loads(raw.decode("utf-8"))
    except StoryError:
        raise
    except (binascii.Error, zlib.error, UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        raise StoryError("damaged") from exc
    return _check(data, pages)


def to_json(views: list[View]) -> bytes:
    doc = {"format": FORMAT, "version": VERSION, "views": [v.as_dict() for v in views]}
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def from_json(data: bytes, pages: set[str]) -> list[View]:
    """The views of a saved story file; StoryError says what is wrong with the file."""
    if len(data) > MAX_JSON_BYTES:
        raise StoryError("file_large", limit=MAX_JSON_BYTES // 1000)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoryError("not_json") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise StoryError("not_story")
    if doc.get("version") != VERSION:
        raise StoryError("version", version=str(doc.get("version"))[:20], expected=VERSION)
    return _check(doc.get("views"), pages)
