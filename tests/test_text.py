"""Tokenization a reader agrees with, stable vocabularies, and the three encodings."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnnviz.text import MAX_CHARS, Vocab, encode, graphemes, label, one_hot, tokenize


@pytest.mark.parametrize("text, expected", [
    ("hello", list("hello")),
    ("안녕하세요", ["안", "녕", "하", "세", "요"]),
    ("\u1112\u1161\u11ab\u1100\u1173\u11af", ["한", "글"]),       # decomposed jamo join into syllables
    ("cafe\u0301", ["c", "a", "f", "é"]),                           # combining accent stays with its letter
    ("👩‍👩‍👧!", ["👩‍👩‍👧", "!"]),                                    # a ZWJ family is one character
    ("🇰🇷🇯🇵", ["🇰🇷", "🇯🇵"]),                                        # flags
    ("👍🏽", ["👍🏽"]),                                                # skin-tone modifier
    ("a\u200bb\u202ec\u0007", ["a", "b", "c"]),                     # zero-width, bidi override, control dropped
])
def test_char_tokens_are_what_a_reader_sees(text, expected):
    assert tokenize(text) == expected


def test_words_split_on_whitespace_like_the_lesson():
    assert tokenize("We are going  to\nwatch", "word") == ["We", "are", "going", "to", "watch"]


def test_right_to_left_text_keeps_its_letters():
    assert tokenize("שלום") == ["ש", "ל", "ו", "ם"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", "\u200b\u200b"])
def test_empty_or_whitespace_text_raises(text):
    with pytest.raises(ValueError, match="empty"):
        tokenize(text)


def test_text_over_the_cap_raises_with_the_numbers():
    with pytest.raises(ValueError, match=f"3,000 characters; the limit is {MAX_CHARS:,}"):
        tokenize("a" * 3_000)
    with pytest.raises(ValueError, match=f"20,000 Unicode code points; the limit is {MAX_CHARS:,} characters"):
        tokenize("a" * 20_000)                          # too long to count its characters: its code points
    assert len(tokenize("a" * MAX_CHARS)) == MAX_CHARS


def test_unknown_level_is_refused():
    with pytest.raises(ValueError, match="'char' or 'word'"):
        tokenize("x", "byte")


@given(st.text(min_size=1, max_size=200))
def test_any_unicode_either_tokenizes_or_says_it_is_empty(text):
    try:
        tokens = tokenize(text)
    except ValueError as e:
        assert "empty" in str(e)
        return
    assert tokens and all(tokens)
    assert "".join(tokens) == "".join(graphemes("".join(tokens)))  # re-splitting gives the same characters
    vocab = Vocab.build(tokens)
    assert vocab.decode(vocab.encode(tokens)) == "".join(tokens)


@given(st.lists(st.text(min_size=1, max_size=3), min_size=1, max_size=30))
def test_vocab_ids_are_stable_and_unique(tokens):
    a, b = Vocab.build(tokens), Vocab.build(list(tokens))
    assert a == b
    assert len(set(a.tokens)) == len(a.tokens)
    s = Vocab.build(tokens, order="sorted", unk=True)
    assert s.tokens[0] == "<unk>" and list(s.tokens[1:]) == sorted(set(tokens) - {"<unk>"})


def test_unknown_token_without_unk_is_a_clear_error():
    with pytest.raises(ValueError, match="not in the vocabulary"):
        Vocab.build("abc").encode("abd")


def test_encodings_shapes_and_values():
    ids = np.array([2, 0, 1, 2])
    X = encode(ids, "onehot", 3, 3)
    assert X.shape == (4, 3) and X.argmax(1).tolist() == ids.tolist() and X.sum() == 4
    E = encode(ids, "embedding", 3, 6, seed=1)
    assert E.shape == (4, 6)
    np.testing.assert_array_equal(E[0], E[3])  # same token, same row of the table
    R = encode(ids, "random", 3, 5, seed=1)
    assert R.shape == (4, 5) and 0 <= R.min() and R.max() < 1
    np.testing.assert_array_equal(R, encode(ids, "random", 3, 5, seed=1))
    with pytest.raises(ValueError, match="encoding must be one of"):
        encode(ids, "bag", 3, 3)
    np.testing.assert_array_equal(one_hot([1], 2), [[0, 1]])


def test_labels_make_spaces_visible():
    assert [label(t) for t in [" ", "\n", "a"]] == ["␣", "↵", "a"]


LESSON_001 = """tensor([[0.1000, 0.2000, 0.3000, 0.4000],
        [0.2000, 0.3000, 0.4000, 0.5000],
        [0.3000, 0.4000, 0.5000, 0.6000],
        [0.4000, 0.5000, 0.6000, 0.7000],
        [0.5000, 0.6000, 0.7000, 0.8000]])"""


@pytest.mark.parametrize("text", [LESSON_001, "0.1, 0.2, 0.3, 0.4\n0.2 0.3 0.4 0.5\n\n0.3,0.4,0.5,0.6\n"
                                  "[0.4, 0.5, 0.6, 0.7],\n(0.5; 0.6; 0.7; 0.8)",
                                  "np.array([[.1, .2, .3, .4],\n[.2, .3, .4, .5],\n[.3, .4, .5, .6],\n[.4, .5, .6, .7],"
                                  "\n[.5, .6, .7, .8]])"])
def test_typed_numbers_one_timestep_per_line_pasted_or_typed(text):
    from rnnviz.text import parse_numbers
    np.testing.assert_allclose(parse_numbers(text), np.arange(5)[:, None] / 10 + np.arange(1, 5) / 10)


@pytest.mark.parametrize("text, message", [
    ("", "the text has no numbers"),
    ("[\n]", "the text has no numbers"),
    ("0.1 zero 0.3", "line 1: “zero” is not a number"),
    ("1 2\n3", "the first has 2, line 2 has 1"),
    ("[[1, 2],\n[3, 4], [5, 6]]", "the first has 2, line 2 has 4"),    # two timesteps on one line
    ("1 nan", "line 1: nan is not a finite number"),
    ("1\n-inf", "line 2: -inf is not a finite number"),
    ("2e6", "line 1: 2e6 is out of range; numbers must be between -1,000,000 and 1,000,000"),
    (" ".join(["1"] * 300), "line 1 has 300 values; the input size is at most 256"),
])
def test_typed_numbers_that_cannot_be_used_say_why(text, message):
    from rnnviz.text import parse_numbers
    with pytest.raises(ValueError, match=message):
        parse_numbers(text)
