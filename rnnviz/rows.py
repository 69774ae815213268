"""A text as the rows of a batch: one sequence, one per line, or (typed numbers) one per block of lines."""
from __future__ import annotations

import regex

from .settings import EXPLORE
from .state import Config
from .text import clean, number_token, parse_numbers, some, tokenize, visible, within
from .words import Problem

MAX_ROWS = int(EXPLORE["row"].bounds[1]) + 1     # sequences in a batch: as many as the batch-row setting can show


def number_rows(config: Config) -> list[list[list[float]]]:
    """Typed numbers per batch row, (B, T, I): one sequence, or one per block of lines (blocks apart by a blank
    line) when `batch` is on."""
    within(config.text)                                 # before anything reads the whole text
    text = clean(config.text)
    blocks = regex.split(r"\n\s*\n", text.strip()) if config.batch else [text]
    rows = [parse_numbers(block) for block in blocks if block.strip()] or [parse_numbers("")]
    if len({len(r) for r in rows}) > 1:
        raise Problem("batch.numbers_steps", got=some(str(len(r)) for r in rows))
    if len({len(r[0]) for r in rows}) > 1:
        raise Problem("batch.numbers_values", got=some(str(len(r[0])) for r in rows))
    if len(rows) > MAX_ROWS:
        raise Problem("batch.too_many", most=MAX_ROWS, n=len(rows))
    return rows


def number_tokens(numbers: list[list[list[float]]]) -> list[list[str]]:
    """Typed numbers (B, T, I) as tokens to show: one per timestep, its values."""
    return [[number_token(step) for step in row] for row in numbers]


def split_rows(config: Config) -> list[list[str]]:
    """Tokens per batch row: one row, or one per non-empty line when `batch` is on (typed numbers: one token per
    timestep, its values)."""
    if config.enc == "numbers":
        return number_tokens(number_rows(config))
    if not config.batch:
        return [tokenize(config.text, config.tok)]
    within(config.text)                                 # before anything reads the whole text
    lines = [line for line in config.text.splitlines() if visible(line)]
    if not lines:
        tokenize("")  # raises the empty-text message
    rows = [tokenize(line, config.tok) for line in lines]
    lengths = [len(r) for r in rows]
    if len(set(lengths)) > 1:
        raise Problem("batch.tokens", got=some(map(str, lengths)))
    if len(rows) > MAX_ROWS:
        raise Problem("batch.too_many", most=MAX_ROWS, n=len(rows))
    return rows
