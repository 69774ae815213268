"""Config round-trips through the URL; bad link values are clamped or dropped with a note."""
from hypothesis import given
from hypothesis import strategies as st

from rnnviz.state import SPECS, Config


def test_defaults_make_an_empty_query():
    assert Config().to_query() == {}


def test_round_trip():
    c = Config(text="안녕 <script>", cell="lstm", H=64, L=2, bi=True, bf=False, scale=0.5, t=3, enc="embedding")
    back, notes = Config.from_query(c.to_query())
    assert back == c and notes == []


def test_out_of_range_values_are_clamped_with_a_note():
    c, notes = Config.from_query({"H": "0", "L": "99", "scale": "-1"})
    assert (c.H, c.L, c.scale) == (1, 4, 0.0)
    assert any("Hidden size must be between 1 and 256; 0 was changed to 1" in n for n in notes)
    assert len(notes) == 3


def test_malformed_values_are_dropped_with_a_note():
    c, notes = Config.from_query({"H": "lots", "cell": "transformer", "bi": "perhaps", "seed": "inf", "zzz": "1"})
    assert c == Config()
    assert len(notes) == 5
    assert any("choose one of rnn_tanh" in n for n in notes)


def test_repeated_values_use_the_first():
    c, notes = Config.from_query({"H": ["12", "40"]})
    assert c.H == 12 and "2 times" in notes[0]


def test_huge_text_is_shortened_with_a_note():
    c, notes = Config.from_query({"text": "가" * 10_000})
    assert len(c.text) == 2000 and "10,000" in notes[0]


@given(st.dictionaries(st.sampled_from(sorted(SPECS)), st.text(max_size=30), max_size=8))
def test_any_query_gives_a_valid_config(query):
    c, notes = Config.from_query(query)
    for key, spec in SPECS.items():
        value = getattr(c, key)
        if spec.low is not None:
            assert spec.low <= value <= spec.high
        if spec.choices:
            assert value in spec.choices
    again, _ = Config.from_query(c.to_query())
    assert again == c


def test_empty_text_in_a_link_is_dropped_with_a_note():
    c, notes = Config.from_query({"text": "  "})
    assert c.text == Config().text and notes == ["Ignored an empty text from the link."]
