"""The lab's texts: uploads checked with a clear message, the standard library's source, the app's help, a corpus."""
import numpy as np
import pytest

from rnnviz.lab import texts
from rnnviz.lab.corpus import generate
from rnnviz.lab.neurons import properties
from rnnviz.train.char_tokens import MAX_BYTES
from rnnviz.words import Problem, language

GOOD = "The quick brown fox jumps over the lazy dog.\n" * 5


@pytest.mark.parametrize("data, key, words", [
    (b"", "lab.upload_empty", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "lab.upload_binary", "not text"),
    ("안녕하세요, 순환 신경망입니다. ".encode("euc-kr") * 10, "lab.upload_encoding", "not UTF-8"),
    ("é".encode("latin-1") + GOOD.encode(), "lab.upload_encoding", "position 0"),
    (b"a" * (MAX_BYTES + 1), "lab.text_too_large", "1,000,001 bytes"),
    (b"   \n\t  ", "lab.text_empty", "empty"),
    (b"short", "lab.text_too_short", "at least 50"),
    (bytes([7, 8, 11, 12, 14, 27]) * 20 + GOOD.encode(), "lab.upload_binary", "binary"),
])
def test_bad_uploads_get_a_clear_message_in_both_languages(data, key, words):
    with pytest.raises(Problem) as caught:
        texts.from_upload(data)
    assert caught.value.said.key == key and words in str(caught.value)
    with language("ko"):
        assert any("가" <= ch <= "힣" for ch in str(caught.value))


def test_a_good_upload_is_its_text_utf8_with_or_without_a_byte_order_mark():
    assert texts.from_upload(GOOD.encode()) == GOOD
    assert texts.from_upload(b"\xef\xbb\xbf" + GOOD.encode()) == GOOD
    assert texts.from_upload(GOOD.replace("\n", "\r\n").encode()) == GOOD
    korean = "순환 신경망은 은닉 상태를 시점마다 넘깁니다.\n" * 5
    assert texts.from_upload(korean.encode()) == korean


def test_standard_library_source_is_real_code_read_from_this_machine():
    import json
    source = texts.module_source("json")
    assert source.startswith('r"""JSON') or "def dumps(" in source
    assert source == open(json.__file__, encoding="utf-8").read()
    with pytest.raises(Problem):
        texts.module_source("os; rm -rf /")


def test_the_apps_help_text_is_in_either_language():
    en, ko = texts.help_text("en"), texts.help_text("ko")
    assert len(en) > 500 and len(ko) > 300 and en != ko
    assert sum("가" <= ch <= "힣" for ch in ko) > 100 and not any("가" <= ch <= "힣" for ch in en)
    texts.checked(en), texts.checked(ko)


def test_the_corpus_knows_its_own_truth_and_the_text_read_alone_agrees():
    corpus = generate(5_000, seed=3)
    assert corpus.text == generate(5_000, seed=3).text        # seeded
    assert corpus.text != generate(5_000, seed=4).text
    assert len(corpus.text) >= 5_000 and set(corpus.text) >= set('()[]{}"\n ')
    found = properties(list(corpus.text))
    np.testing.assert_array_equal(found["quote"], corpus.quoted)
    np.testing.assert_array_equal(found["depth"], corpus.depth)
    np.testing.assert_array_equal(found["column"], corpus.column)
    assert corpus.depth.max() >= 3 and 0.1 < corpus.quoted.mean() < 0.7
    lines = corpus.text.split("\n")[:-1]
    assert np.std([len(line) for line in lines]) > 5          # lines of varying length
