"""Reading numbers aloud: digits in, words out, so that input and output lengths differ (encoder-decoder).

    2026 → 이천이십육              Korean: one token per syllable (영 일 이 … 구 십 백 천)
    2026 → two thousand twenty-six  English: one token per word, a tens word and a unit joined by a hyphen

Numbers 0 to 9,999. A seeded held-out set is never trained on, so a page can show the model reading numbers it
has never seen.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

LANGS = ("ko", "en")
LARGEST = 9_999
DIGITS = tuple("0123456789")
BOS, EOS = "<s>", "</s>"          # the decoder's first input, and the token that ends a reading

_KO_DIGITS = "영일이삼사오육칠팔구"
_KO_PLACES = ((1000, "천"), (100, "백"), (10, "십"))
_EN_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
            "seventeen eighteen nineteen").split()
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def read_ko(n: int) -> list[str]:
    """2026 -> ['이', '천', '이', '십', '육']: a place's 1 is not said (천, not 일천), zeros are silent."""
    _check(n)
    if n == 0:
        return ["영"]
    out: list[str] = []
    for place, word in _KO_PLACES:
        d, n = divmod(n, place)
        if d:
            out += ([] if d == 1 else [_KO_DIGITS[d]]) + [word]
    return out + ([_KO_DIGITS[n]] if n else [])


def read_en(n: int) -> list[str]:
    """2026 -> ['two', 'thousand', 'twenty', 'six'] (said 'two thousand twenty-six')."""
    _check(n)
    if n == 0:
        return ["zero"]
    out: list[str] = []
    for place, word in ((1000, "thousand"), (100, "hundred")):
        d, n = divmod(n, place)
        if d:
            out += [_EN_ONES[d], word]
    if n >= 20:
        out.append(_EN_TENS[n // 10])
        n %= 10
    return out + ([_EN_ONES[n]] if n else [])


def say(tokens: list[str], lang: str) -> str:
    """Tokens as the page writes them: Korean syllables joined, English words spaced, tens-units hyphenated."""
    if lang == "ko":
        return "".join(tokens)
    words: list[str] = []
    for tok in tokens:
        if words and words[-1] in _EN_TENS[2:] and tok in _EN_ONES[1:10]:
            words[-1] += "-" + tok
        else:
            words.append(tok)
    return " ".join(words)


def _check(n: int) -> None:
    if not 0 <= n <= LARGEST:
        raise ValueError(f"a number to read must be between 0 and {LARGEST:,}, got {n}")


@dataclass(frozen=True)
class Numbers:
    """The task in one language: vocabularies, every number's reading as ids, and the train / held-out split."""

    lang: str
    src_vocab: tuple[str, ...]       # the ten digits
    tgt_vocab: tuple[str, ...]       # BOS, EOS, then the words or syllables
    held_out: np.ndarray             # numbers never trained on
    train: np.ndarray                # every other number

    @property
    def bos(self) -> int:
        return self.tgt_vocab.index(BOS)

    @property
    def eos(self) -> int:
        return self.tgt_vocab.index(EOS)

    @property
    def max_out(self) -> int:
        """The longest reading's tokens, EOS included."""
        return max(len(self.reading(n)) for n in range(LARGEST + 1)) + 1

    def reading(self, n: int) -> list[str]:
        return read_ko(n) if self.lang == "ko" else read_en(n)

    def source(self, n: int) -> list[int]:
        """A number's digits as ids: '2026' -> [2, 0, 2, 6]."""
        _check(n)
        return [int(d) for d in str(n)]

    def target(self, n: int) -> list[int]:
        """A number's reading as ids, EOS last."""
        return [self.tgt_vocab.index(t) for t in self.reading(n)] + [self.eos]

    def words(self, ids: list[int] | np.ndarray) -> str:
        """Ids back to the page's words, up to the first EOS."""
        toks: list[str] = []
        for i in ids:
            if int(i) == self.eos:
                break
            toks.append(self.tgt_vocab[int(i)])
        return say([t for t in toks if t != BOS], self.lang)

    def batch(self, numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Numbers of one digit count -> source (B, S), decoder input (B, T) from BOS, targets (B, T) padded -100."""
        src = np.array([self.source(int(n)) for n in numbers])
        tgts = [self.target(int(n)) for n in numbers]
        T = max(map(len, tgts))
        targets = np.full((len(tgts), T), -100, np.int64)
        tgt_in = np.full((len(tgts), T), self.eos, np.int64)
        tgt_in[:, 0] = self.bos
        for b, t in enumerate(tgts):
            targets[b, :len(t)] = t
            tgt_in[b, 1:len(t)] = t[:-1]
        return src, tgt_in, targets


@cache
def numbers(lang: str, held_out: float = 0.1, seed: int = 0) -> Numbers:
    """The task in `lang`: 10% of 0 … 9,999 held out (seeded), never trained on."""
    if lang not in LANGS:
        raise ValueError(f"the reading's language must be one of {', '.join(LANGS)}, got {lang!r}")
    words = sorted({t for n in range(LARGEST + 1) for t in (read_ko(n) if lang == "ko" else read_en(n))},
                   key=(_KO_DIGITS + "십백천").index if lang == "ko" else (_EN_ONES + _EN_TENS[2:] + ["hundred", "thousand"]).index)
    order = np.random.default_rng(seed).permutation(LARGEST + 1)
    cut = int(round(held_out * (LARGEST + 1)))
    return Numbers(lang, DIGITS, (BOS, EOS, *words), np.sort(order[:cut]), np.sort(order[cut:]))
