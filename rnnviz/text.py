"""Text → tokens → ids → X: tokenization a reader agrees with, a vocabulary, three encodings."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import regex
from numpy.typing import DTypeLike

from .words import Problem

MAX_CHARS = 2000      # the cap on text for one run; the app shortens longer text and says so
# A character a reader sees may be several code points (é as e + ´ is two, 👩‍👩‍👧‍👦 seven): a text of `cap` characters
# holds at most `cap` times these, cut before any grapheme split, normalisation or encoding (a 20 MB paste costs
# microseconds, and 1,900 characters of 1,000 combining marks each are not 1,900 characters).
CODE_POINTS_PER_CHAR = 8
BYTES_PER_CHAR = 28   # of UTF-8 (a Hangul syllable is 3 bytes, an emoji 4, 👩‍👩‍👧‍👦 25)
UNK = "<unk>"
Level = Literal["char", "word"]
Encoding = Literal["onehot", "embedding", "random", "numbers"]
LEVELS: tuple[Level, ...] = get_args(Level)
ENCODINGS: tuple[Encoding, ...] = get_args(Encoding)
MAX_INPUT = 256       # values per timestep (the input size's limit)
MAX_VALUE = 1e6       # typed numbers beyond this are refused: float32 would overflow a few steps on

# Characters that change how text is shown but are not a character a reader sees.
_INVISIBLE = {"Cc", "Cf"}
# Categories that draw nothing on their own: marks that sit on another character, and separators. A grapheme made
# only of these (with ZWJ, variation selectors) is invisible.
_NO_INK = {"Cc", "Cf", "Mn", "Me", "Zs", "Zl", "Zp"}
# Letters by category that still print as blank space (Hangul fillers, the Braille blank, the Mongolian separator).
_BLANK = set("\u115f\u1160\u3164\uffa0\u2800\u180e")


def clean(text: str) -> str:
    """NFC-normalise (so Hangul jamo join into syllables) and drop control / format characters except whitespace."""
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text
                   if ch in "\n\t " or unicodedata.category(ch) not in _INVISIBLE or ch == "\u200d")


def bound(text: str, cap: int) -> str:
    """The start of `text` within `cap` characters' code points and bytes (a prefix; a grapheme may be cut in half)."""
    text = text[:cap * CODE_POINTS_PER_CHAR]
    most = cap * BYTES_PER_CHAR
    if len(text) * 4 <= most:                        # UTF-8 takes at most 4 bytes a code point
        return text
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= most:
        return text
    while most and data[most] & 0xC0 == 0x80:         # back to the start of the code point cut in half
        most -= 1
    return data[:most].decode("utf-8", "surrogatepass")


def too_big(text: str, cap: int) -> bool:
    """More code points or bytes than `cap` characters may hold: no need to count its characters."""
    return len(bound(text, cap)) < len(text)


def within(text: str, cap: int = MAX_CHARS) -> None:
    """Raise a clear ValueError for a text with more code points or bytes than `cap` characters may hold."""
    if too_big(text, cap):
        raise Problem("text.too_big", n=len(text), limit=cap, most=cap * CODE_POINTS_PER_CHAR,
                      kb=cap * BYTES_PER_CHAR // 1000)


def check(text: str, max_chars: int = MAX_CHARS) -> str:
    """The text, cleaned; raise a clear ValueError if it is empty, whitespace only, or too long."""
    if not isinstance(text, str):
        raise Problem("text.not_str", kind=type(text).__name__)
    within(text, max_chars)
    text = clean(text)
    if not visible(text):
        raise Problem("text.empty")
    n = len(graphemes(text))
    if n > max_chars:
        raise Problem("text.too_long", n=n, limit=max_chars)
    return text


def visible(text: str) -> bool:
    """True if a reader sees at least one character: zero-width joiners, lone combining marks and blank letters
    alone are not text."""
    return any(unicodedata.category(ch) not in _NO_INK and ch not in _BLANK for ch in text)


def cut(text: str, cap: int, whole_lines: bool = False) -> str:
    """The first `cap` characters a reader sees (never half a grapheme), within their code points and bytes
    (`bound`, first); with `whole_lines`, ending at a line break, so no line is cut in half (typed numbers: a line
    is one timestep)."""
    bounded = bound(text, cap)
    parts = graphemes(bounded)
    if len(bounded) < len(text) and len(parts) > 1 and len(graphemes(parts[-1] + text[len(bounded)])) == 1:
        parts.pop()                                   # the bound cut this character in half
    if len(parts) <= cap and len(bounded) == len(text):
        return text
    kept = "".join(parts[:cap])
    if whole_lines and "\n" in kept and not text.startswith("\n", len(kept)):
        kept = kept[:kept.rindex("\n")]
    return kept


# Where a Markdown renderer (GFM's autolinks, which act after escapes) would start a link: between a scheme
# (http, https, ftp, mailto, xmpp) and its ':', before '@' (an e-mail address) and between 'www' and its dot. Any
# other ':' stays as it is ("Ignored panel “x”: choose …" reads and copies as written).
_LINK_START = regex.compile(r"(?i:(?<=(?:https?|ftp|mailto|xmpp))(?=:))|(?=@)|(?i:(?<=www)(?=\.))")
WORD_JOINER = "\u2060"


def unlinked(text: str) -> str:
    """User text that no Markdown renderer makes a link of: an invisible word joiner where a link would start."""
    return _LINK_START.sub(WORD_JOINER, text)


def some(items: Iterable[object], n: int = 5, sep: str = ", ") -> str:
    """The first `n` items and how many more: a message never lists 30,000 names."""
    names = [str(i) for i in items]
    more = len(names) - n
    return sep.join(names[:n]) + (f" and {more:,} more" if more > 0 else "")


def graphemes(text: str) -> list[str]:
    """Split into user-perceived characters: 'é' (e + combining accent), '한', '👩‍👩‍👧' each count as one."""
    return regex.findall(r"\X", text)


def tokenize(text: str, level: str = "char", max_chars: int = MAX_CHARS) -> list[str]:
    """Characters (grapheme clusters, spaces kept) or words (split on whitespace, as the lessons do)."""
    if level not in LEVELS:
        raise ValueError(f"tokenization must be 'char' or 'word', got {level!r}")
    text = check(text, max_chars)
    if level == "word":
        return text.split()
    return graphemes(text.strip())


_NOT_NUMBER_SYNTAX = str.maketrans("[](){};", "       ")


def parse_numbers(text: str) -> list[list[float]]:
    """Typed numbers, one timestep per line: values separated by commas or spaces. Brackets and a leading
    `tensor`/`array` are ignored, so a list pasted from a notebook (lesson 001's sequence) works as it is; lines
    without a number are skipped. Raise a clear ValueError for anything else."""
    steps: list[list[float]] = []
    for n, line in enumerate(clean(text).splitlines(), 1):
        line = regex.sub(r"^\s*(?:torch\.|np\.|numpy\.)?(?:tensor|array)\b", "", line).translate(_NOT_NUMBER_SYNTAX)
        words = [w for w in regex.split(r"[,\s]+", line) if w]
        if not words:
            continue
        values = []
        for w in words:
            try:
                v = float(w)
            except ValueError:
                raise Problem("numbers.not_number", line=n, word=w[:20]) from None
            if v != v or abs(v) == float("inf"):
                raise Problem("numbers.not_finite", line=n, word=w[:20])
            if abs(v) > MAX_VALUE:
                raise Problem("numbers.out_of_range", line=n, word=w[:20], most=f"{MAX_VALUE:,.0f}")
            values.append(v)
        if steps and len(values) != len(steps[0]):
            raise Problem("numbers.ragged", first=len(steps[0]), line=n, n=len(values))
        if len(values) > MAX_INPUT:
            raise Problem("numbers.too_wide", line=n, n=len(values), most=MAX_INPUT)
        steps.append(values)
    if not steps:
        raise Problem("numbers.none")
    return steps


def number_token(values: list[float], width: int = 24) -> str:
    """A timestep of typed numbers as a token to show: its values, shortened."""
    text = ", ".join(f"{v:g}" for v in values)
    return text if len(text) <= width else text[:width - 1] + "…"


def label(token: str) -> str:
    """How a token is shown on an axis: spaces and line breaks made visible."""
    return {" ": "␣", "\n": "↵", "\r\n": "↵", "\t": "⇥"}.get(token, token)


@dataclass(frozen=True)
class Vocab:
    """Tokens with stable ids; `<unk>` (id 0) catches tokens never seen, when the vocabulary has one."""

    tokens: tuple[str, ...]

    @classmethod
    def build(cls, tokens: Iterable[str], order: str = "appearance", unk: bool = False) -> Vocab:
        """ids by first appearance (the Avengers lesson) or sorted (the apple lesson), `<unk>` first if asked."""
        if order not in ("appearance", "sorted"):
            raise ValueError(f"order must be 'appearance' or 'sorted', got {order!r}")
        seen = list(dict.fromkeys(t for t in tokens if t != UNK))
        if order == "sorted":
            seen.sort()
        return cls(tuple(([UNK] if unk else []) + seen))

    def __len__(self) -> int:
        return len(self.tokens)

    @property
    def has_unk(self) -> bool:
        return bool(self.tokens) and self.tokens[0] == UNK

    @property
    def index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.tokens)}

    def encode(self, tokens: Iterable[str]) -> np.ndarray:
        """Token ids, (T,); unknown tokens become `<unk>`, or raise if there is none."""
        index = self.index
        ids = []
        for t in tokens:
            if t in index:
                ids.append(index[t])
            elif self.has_unk:
                ids.append(0)
            else:
                raise ValueError(f"the token {t!r} is not in the vocabulary")
        return np.array(ids, dtype=np.int64)

    def decode(self, ids: Iterable[int | np.integer], sep: str = "") -> str:
        return sep.join(self.tokens[int(i)] for i in ids)


def one_hot(ids: np.ndarray, V: int, dtype: DTypeLike = np.float32) -> np.ndarray:
    """(T,) ids -> (T, V): row t is 1 at ids[t]."""
    return np.eye(V, dtype=dtype)[np.asarray(ids)]


def embedding_table(V: int, E: int, seed: int = 0, dtype: DTypeLike = np.float32) -> np.ndarray:
    """(V, E) table drawn from N(0, 1), as nn.Embedding initialises it."""
    return np.random.default_rng(seed).standard_normal((V, E)).astype(dtype)


def random_vectors(T: int, I: int, seed: int = 0, dtype: DTypeLike = np.float32) -> np.ndarray:
    """(T, I) drawn from U[0, 1), one per timestep: the from-scratch lesson's `np.random.random((T, I))`."""
    return np.random.default_rng(seed).random((T, I)).astype(dtype)


def encode(ids: np.ndarray, encoding: str, V: int, input_size: int, seed: int = 0) -> np.ndarray:
    """ids (T,) -> X (T, I) by one-hot (I = V), an embedding table, or random vectors."""
    if encoding == "onehot":
        return one_hot(ids, V)
    if encoding == "embedding":
        return embedding_table(V, input_size, seed)[np.asarray(ids)]
    if encoding == "random":
        return random_vectors(len(ids), input_size, seed)
    raise ValueError(f"encoding must be one of {', '.join(ENCODINGS)}, got {encoding!r}")
