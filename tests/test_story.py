"""Story links and files: round trips, and every way a damaged or hostile story is refused."""

from __future__ import annotations

import base64
import json
import zlib

import pytest

from healthgap import story

PAGES = {"overzicht", "kaart", "profiel", "ongelijkheid"}
VIEWS = [
    story.View("overzicht", {"gemeente": "GM0599", "indicator": "self_rated_health_good"},
               "Rotterdam in één getal"),
    story.View("kaart", {"gemeente": "GM0363", "kleur": "comparison", "leeftijd": "18+"}),
    story.View("ongelijkheid", {"gemeente": "GM0599", "jaar": "2016"}, "Santé perçue : l'écart"),
]


def _token(data) -> str:
    raw = json.dumps(data).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("=")


def _reason(call) -> str:
    with pytest.raises(story.StoryError) as exc:
        call()
    assert exc.value.key in story.ERROR_KEYS
    return exc.value.key


def test_url_token_round_trip_keeps_order_parameters_and_captions():
    token = story.encode(VIEWS)
    assert story.decode(token, PAGES) == VIEWS
    assert len(token) < 400          # three views fit easily in a link
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_json_file_round_trip_and_format():
    data = story.to_json(VIEWS)
    doc = json.loads(data)
    assert doc["format"] == "healthgap-story" and doc["version"] == 1
    assert [v["page"] for v in doc["views"]] == ["overzicht", "kaart", "ongelijkheid"]
    assert story.from_json(data, PAGES) == VIEWS
    assert story.from_json(b"\xef\xbb\xbf" + data, PAGES) == VIEWS   # saved with a BOM


def test_make_view_drops_player_parameters_and_trims_the_caption():
    v = story.make_view("kaart", {"gemeente": "GM0363", "present": "1", "story": "x", "dia": "2",
                                  "lang": "fr"}, "  a caption  ")
    assert v.params == {"gemeente": "GM0363"}
    assert v.caption == "a caption"
    assert len(story.make_view("kaart", {}, "x" * 500).caption) == story.MAX_CAPTION


@pytest.mark.parametrize("token, key", [
    ("", "damaged"),
    ("not base64 at all!!", "damaged"),
    ("eNqrVkrOz", "damaged"),                       # cut off while copying
    ("A" * (story.MAX_TOKEN + 1), "too_large"),
])
def test_damaged_tokens_are_refused_with_a_reason(token, key):
    assert _reason(lambda: story.decode(token, PAGES)) == key


def test_a_cut_off_real_token_is_refused():
    token = story.encode(VIEWS)
    assert _reason(lambda: story.decode(token[: len(token) // 2], PAGES)) == "damaged"


def test_a_decompression_bomb_is_refused_without_inflating_it():
    bomb = _token([{"page": "kaart", "params": {}, "caption": "x" * 5_000_000}])
    assert len(bomb) < story.MAX_TOKEN
    assert _reason(lambda: story.decode(bomb, PAGES)) == "too_large"


@pytest.mark.parametrize("views, key", [
    ({"page": "kaart"}, "not_list"),
    ([], "empty"),
    ([{"page": "kaart"}] * (story.MAX_VIEWS + 1), "too_many"),
    (["kaart"], "view_malformed"),
    ([{"page": "admin"}], "unknown_page"),
    ([{"page": "kaart", "params": {"present": "1"}}], "bad_param"),
    ([{"page": "kaart", "params": {"Gemeente": "GM0363"}}], "bad_param"),
    ([{"page": "kaart", "params": {"gemeente": "<script>"}}], "bad_param"),
    ([{"page": "kaart", "params": {"gemeente": 363}}], "bad_param"),
    ([{"page": "kaart", "params": ["gemeente"]}], "view_malformed"),
    ([{"page": "kaart", "caption": 5}], "view_malformed"),
    ([{"page": "kaart", "caption": "x" * 201}], "caption_long"),
])
def test_invalid_story_content_is_refused_with_its_reason(views, key):
    assert _reason(lambda: story.decode(_token(views), PAGES)) == key


@pytest.mark.parametrize("data, key", [
    (b"\x89PNG\r\n", "not_json"),
    (b"[1, 2", "not_json"),
    (b'{"views": []}', "not_story"),
    (b'["kaart"]', "not_story"),
    (json.dumps({"format": "healthgap-story", "version": 2, "views": []}).encode(), "version"),
    (b" " * (story.MAX_JSON_BYTES + 1), "file_large"),
])
def test_invalid_story_files_are_refused_with_their_reason(data, key):
    assert _reason(lambda: story.from_json(data, PAGES)) == key
