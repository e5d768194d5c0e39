"""The policy lexicon (data/lexicon.json): the word classes constructions use.

Kept as data so that a reader sees the vocabulary without reading regexes,
and so that jieba keeps each entry whole (kg/extract/words.py).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
PATH = DATA / "lexicon.json"


@lru_cache(maxsize=None)
def word_classes(path: Path) -> dict[str, tuple[str, ...]]:
    """A data file of word classes: {class: [words]}; keys starting with _ are comments."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in raw.items() if not k.startswith("_")}


def lexicon() -> dict[str, tuple[str, ...]]:
    return word_classes(PATH)


def words(name: str) -> tuple[str, ...]:
    return lexicon()[name]


def lexicon_words() -> list[str]:
    """Every multi-character entry, for jieba's user dictionary."""
    return sorted({w for ws in lexicon().values() for w in ws if len(w) >= 2})
