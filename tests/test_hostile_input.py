"""Issue 22, Medium 4, 6, 7 and Low 8, 11: a 20 MB paste, combining marks by the million, hostile weights files,
links shaped like links, and links too long for Streamlit."""
import re

import numpy as np
import pytest
from apptest_helpers import figure_titled, new_app, no_exception, texts
from hypothesis import given
from hypothesis import strategies as st
from safetensors.numpy import save
from streamlit.runtime.state import query_params as streamlit_query_params

from rnnviz import state
from rnnviz import text as text_module
from rnnviz import weight_files as weights
from rnnviz.rows import split_rows
from rnnviz.settings import ROWS, SETTINGS
from rnnviz.state import Config, parse_query
from rnnviz.text import BYTES_PER_CHAR, CODE_POINTS_PER_CHAR, MAX_CHARS, cut, graphemes, tokenize, unlinked
from rnnviz.ui import long_link
from rnnviz.words import Problem, language

CAP = MAX_CHARS
MARKED = ("e" + "\u0301" * 1000) * 1900           # Low 8: 1,900 characters of 1,000 combining marks each
TREMOLO = "a" + "\U0001d167" * 7                  # one character, 8 code points, 29 bytes of UTF-8


def within_bounds(kept: str, cap: int = CAP) -> None:
    assert len(graphemes(kept)) <= cap
    assert len(kept) <= cap * CODE_POINTS_PER_CHAR, f"{len(kept):,} code points"
    assert len(kept.encode("utf-8")) <= cap * BYTES_PER_CHAR, f"{len(kept.encode()):,} bytes"


# --- Medium 4 and Low 8: text is cut by code points and bytes before anything splits it --------------------------

def test_combining_marks_do_not_pass_the_cap():
    config, notes = Config().with_(text=MARKED)
    within_bounds(config.text)
    assert config.text and MARKED.startswith(config.text)
    assert any("code points" in n for n in notes), notes


def test_a_link_s_text_of_combining_marks_is_cut_too():
    values, notes = parse_query({"text": [MARKED]}, state.SPECS)
    within_bounds(values["text"])
    assert any("code points" in n for n in notes), notes


def test_the_byte_bound_cuts_whole_characters():
    kept = cut(TREMOLO * CAP, CAP)
    within_bounds(kept)
    assert len(kept.encode("utf-8")) > CAP * BYTES_PER_CHAR - len(TREMOLO.encode())    # the bytes bound it
    assert set(graphemes(kept)) == {TREMOLO}, "a character cut in half"


@given(st.text(st.characters(codec="utf-8"), max_size=400), st.integers(1, 60))
def test_a_cut_text_is_a_prefix_within_every_bound(text, cap):
    kept = cut(text, cap)
    assert text.startswith(kept)
    within_bounds(kept, cap)
    if len(graphemes(text)) <= cap and len(text) <= cap * CODE_POINTS_PER_CHAR \
            and len(text.encode("utf-8", "surrogatepass")) <= cap * BYTES_PER_CHAR:
        assert kept == text


def test_no_grapheme_split_sees_a_whole_paste(monkeypatch):
    """A 2 MB Hangul paste: every split into characters sees at most the cap's code points (the old code split the
    whole paste, 10 s and 660 MB for 20 MB)."""
    seen: list[int] = []
    real = text_module.graphemes

    def counted(text: str) -> list[str]:
        seen.append(len(text))
        return real(text)
    monkeypatch.setattr(text_module, "graphemes", counted)
    monkeypatch.setattr(state, "graphemes", counted)
    paste = "가나다라마바사" * 300_000
    config, notes = Config().with_(text=paste)
    assert config.text == paste[:CAP] and notes
    with pytest.raises(Problem) as e:
        tokenize(paste)
    assert e.value.said.key == "text.too_big"
    assert seen and max(seen) <= CAP * CODE_POINTS_PER_CHAR, f"a split of {max(seen):,} code points"


def test_every_text_box_has_a_cap_from_the_registry():
    boxes = [s for s in ROWS if s.widget == "text"]
    assert boxes
    for s in boxes:
        assert s.max_chars == int(s.high) * CODE_POINTS_PER_CHAR


def test_the_explore_text_box_cuts_a_paste_at_the_door():
    at = new_app()
    box = at.text_area(key="text")
    assert box.proto.max_chars == SETTINGS["text"].max_chars
    box.set_value("안녕하세요" * 200_000).run()                     # 1 MB
    no_exception(at)
    kept = at.session_state["text"]
    assert len(kept) <= SETTINGS["text"].max_chars
    assert "only the first 2,000 are used" in texts(at)
    assert figure_titled(at, "the step at t")


# --- Medium 7: notes show user text plain: no links ---------------------------------------------------------------

# GitHub-flavoured Markdown's autolink literals (what Streamlit's markdown links after every escape is undone):
# a scheme and ://, www., an e-mail address.
AUTOLINK = re.compile(r"(?i)(?:https?|ftp|mailto|xmpp):|\bwww\.|[\w.+-]@[\w-]+\.")
LINKISH = ["https://evil.example/x", "http://evil.example", "www.evil.example", "WWW.evil.example",
           "bob@evil.example", "mailto:bob@evil.example", "ftp://evil.example/f"]


@pytest.mark.parametrize("value", LINKISH)
def test_a_link_shaped_key_or_value_is_quoted_without_a_link(value):
    _, notes = parse_query({value: ["1"], "lesson": [value], "cell": [value], "H": [value]},
                           {**state.SPECS, **{k: SETTINGS[k] for k in ("lesson",)}})
    assert len(notes) == 4, notes
    for note in notes:
        assert not AUTOLINK.search(note), note
        assert value in note.replace(text_module.WORD_JOINER, ""), note      # the reader still sees it as typed


def test_unlinked_changes_only_what_is_invisible():
    for value in LINKISH + ["10:30", "plain words"]:
        assert unlinked(value).replace(text_module.WORD_JOINER, "") == value
        assert not AUTOLINK.search(unlinked(value))


def test_our_own_colons_stay_as_written_and_only_a_link_s_start_is_broken():
    """A note's own ':' ("Ignored panel “x”: choose …") reads and copies as written; a scheme's ':' does not link."""
    assert unlinked("Ignored panel “gates”: choose one") == "Ignored panel “gates”: choose one"
    assert unlinked("10:30") == "10:30"
    assert text_module.WORD_JOINER in unlinked("see https://x.example") and not AUTOLINK.search(unlinked("HTTP://x"))


@pytest.mark.parametrize("token", ["www.evil.example", "bob@evil.example", "https://evil.example/x"])
def test_a_link_typed_as_a_token_is_plain_text_in_every_markdown_of_the_page(token):
    """A word typed as a token (tok=word) came back in the Explore step line as a clickable link: every markdown the
    page draws with user text goes through session.literal, which leaves no autolink."""
    at = new_app(text=f"{token} hi", tok="word")
    no_exception(at)
    shown = [str(m.value) for m in at.markdown] + [str(c.value) for c in at.caption]
    with_token = [m for m in shown if "evil" in m]
    assert with_token, shown                                   # the token is on the page ...
    for m in with_token:                                       # ... and never as a link (escapes undone as GFM does)
        assert not AUTOLINK.search(m.replace("\\", "")), m


def test_a_lesson_link_naming_links_says_them_plainly():
    at = new_app(hide="https://evil.example/x,www.evil.com,a@b.example", lock="mailto:x@y.example")
    no_exception(at)
    shown = [str(w.value) for w in at.warning]
    assert any("not controls" in w for w in shown), shown
    for w in shown:
        assert not AUTOLINK.search(w.replace("\\", "")), w


# --- Medium 6: hostile weights files: "damaged or not usable", in the page's language -----------------------------

HOSTILE_SETTINGS = {
    "nested 50,000 deep": "[" * 50_000,
    "nested inside a table": '{"text": ' + "[" * 50_000 + "}",
    "a 400-digit hidden size": '{"hidden": 1' + "0" * 400 + "}",
    "a 400-digit learning rate": '{"lr": ' + "9" * 400 + "}",
    "a 400-digit step count": '{"task": "memory", "steps": ' + "9" * 400 + "}",
}


@pytest.mark.parametrize("lang, words", [("en", "damaged or not usable"), ("ko", "손상")])
@pytest.mark.parametrize("name", HOSTILE_SETTINGS)
def test_a_hostile_weights_file_is_refused_in_words(name, lang, words):
    data = save({"fc.weight": np.zeros((2, 2), np.float32)}, metadata={"rnnviz": HOSTILE_SETTINGS[name]})
    with pytest.raises(ValueError) as e:
        weights.from_bytes(data)
    with language(lang):
        assert words in str(e.value)


def test_a_hostile_header_is_not_a_weights_file():
    for bad in (b"[" * 50_000, b'{"x": {"dtype": "F32", "shape": [1' + b"0" * 400 + b'], "data_offsets": [0, 4]}}'):
        data = len(bad).to_bytes(8, "little") + bad + b"\0" * 4
        with pytest.raises(Problem) as e:
            weights.from_bytes(data)
        assert e.value.said.key == "upload.not_safetensors"


# --- Low 11: a link Streamlit drops whole is named ------------------------------------------------------------------

def test_streamlit_still_drops_links_at_the_limits_we_read():
    """The adapter (ui/long_link.py) reads Streamlit's two limits; this names them if Streamlit moves or changes
    them."""
    assert streamlit_query_params.CLIENT_STATE_QUERY_STRING_MAX_FIELDS == long_link.MAX_FIELDS
    assert streamlit_query_params.CLIENT_STATE_QUERY_STRING_MAX_LENGTH == long_link.MAX_CHARS
    sanitize = streamlit_query_params.sanitize_query_string
    fields = "&".join(["a=1"] * long_link.MAX_FIELDS)
    assert sanitize(fields) == fields and sanitize(fields + "&b=2") == ""
    chars = "a=" + "x" * (long_link.MAX_CHARS - 2)
    assert sanitize(chars) == chars and sanitize(chars + "x") == ""


@pytest.mark.parametrize("lang, words", [("en", "too long"), ("ko", "너무 길어서")])
def test_a_dropped_link_gets_a_note(lang, words):
    assert long_link.dropped(long_link.MAX_CHARS, long_link.MAX_FIELDS) is None
    for chars, fields in ((long_link.MAX_CHARS + 1, 1), (7_000, long_link.MAX_FIELDS + 1)):
        note = long_link.dropped(chars, fields)
        with language(lang):
            assert note is not None and words in str(note) and f"{fields:,}" in str(note)


@pytest.mark.parametrize("settings", [{"batch": True}, {"enc": "numbers"}, {"enc": "numbers", "batch": True}])
def test_a_config_made_in_code_is_bounded_too(settings):
    """A Config built directly (a script, the bench) skips the page's cut: the pipeline still refuses a 20 MB text
    before it splits it into lines, characters or numbers."""
    with pytest.raises(Problem) as e:
        split_rows(Config(text="1 2\n" * 5_000_000, **settings))
    assert e.value.said.key == "text.too_big"
