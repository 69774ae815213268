"""Streamlit's and plotly's own English on our pages and the catalogue's words for it (rnnviz/ui/streamlit_words.py):
each rule's words exist in every language with the parameters its pattern fills, an English page reads as Streamlit
wrote it, and every English text a rule waits for is still in the Streamlit and plotly this app runs (an upgrade
that rewords one names it here)."""
import re
from pathlib import Path

import pytest
import streamlit

from rnnviz import words
from rnnviz.ui.charts import without_gap_hover
from rnnviz.ui.streamlit_words import PLOTLY, STREAMLIT, plotly_locale

FRONTEND = Path(streamlit.__file__).parent / "static" / "static" / "js"
GROUP = re.compile(r"\(\?<(\w+)>")


def python(pattern: str) -> re.Pattern:
    """The script's JavaScript pattern as Python's (named groups are spelled (?P<name>...))."""
    return re.compile(GROUP.sub(r"(?P<\1>", pattern))


def literals(pattern: str) -> list[str]:
    """The fixed English in a pattern, in runs of words: what Streamlit's code holds as text ("per file")."""
    pieces = re.split(r"\(\?<\w+>[^)]*\)", pattern.replace("\\", ""))
    return [run for piece in pieces for run in re.findall(r"[A-Za-z][A-Za-z/ ]*[A-Za-z]", piece)]


@pytest.mark.parametrize("lang", words.LANGS)
def test_every_rule_has_its_words_with_the_parameters_its_pattern_fills(lang):
    have = words.catalogue(lang)
    for pattern, keys in STREAMLIT:
        assert all(k in have for k in keys), (pattern, keys)
        assert set(GROUP.findall(pattern)) == set().union(*(words.placeholders(have[k]) for k in keys)), pattern
    assert all(key in have for key in PLOTLY.values())


def test_an_english_page_reads_as_streamlit_wrote_it():
    """In English the catalogue's words are Streamlit's own, so the script changes nothing an English reader sees."""
    with words.language("en"):
        for pattern, keys in STREAMLIT:
            names = set(GROUP.findall(pattern))
            text = "".join(words.say(k, **{n: "X" + n for n in names}) for k in keys)
            assert python(pattern).fullmatch(text.strip()), (pattern, text)     # the script matches trimmed text
        assert {english: words.say(key) for english, key in PLOTLY.items()} == {e: e for e in PLOTLY}


def test_korean_words_are_korean():
    with words.language("ko"):
        said = [words.say(k, **{n: "" for n in words.placeholders(words.catalogue("en")[k])})
                for _, keys in STREAMLIT for k in keys] + list(plotly_locale()["locales"]["ko"]["dictionary"].values())
    assert [w for w in said if not re.search("[가-힣]", w)] == []
    assert plotly_locale()["locale"] == "en"                # outside the block: the page's language, English


def test_every_text_a_rule_waits_for_is_in_the_streamlit_and_plotly_we_run():
    bundle = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in FRONTEND.glob("*.js"))
    missing = [part for pattern, _ in STREAMLIT for part in literals(pattern) if part not in bundle]
    assert missing == [], f"Streamlit {streamlit.__version__} no longer writes these: update STREAMLIT"
    plotly = next(FRONTEND.glob("PlotlyChart*.js")).read_text(encoding="utf-8")
    assert [e for e in PLOTLY if f"`{e}`" not in plotly] == [], "plotly no longer says these: update PLOTLY"


def test_a_heatmaps_empty_cells_say_nothing_on_hover():
    """The lab's passage leaves the cells after a line's end empty (z null, position null): no hover there, so no
    "(위치 null)"; the cached spec itself is left as it is."""
    import numpy as np

    from rnnviz.plots.lab import passage_spec

    spec = passage_spec(list("ab\ncd"), np.arange(5.0), "t")
    drawn = without_gap_hover(spec)
    assert [d["hoverongaps"] for d in drawn["data"]] == [False] and "hoverongaps" not in spec["data"][0]
    assert any(v is None for row in spec["data"][0]["customdata"] for v in row)      # the cells it is about
