"""Sentences with exact offsets, and the one seam to jieba.

`split_sentences` cuts the cleaned text of an article (paragraphs joined by
"\\n") into sentences such that ``text[s.start:s.end] == s.text`` always.

Rules, in order of precedence:

* a paragraph boundary ("\\n") always ends a sentence;
* a run of terminators (``。！？!?；``) ends a sentence, together with the
  closing quotes/brackets that follow it (``”’）」』】》)``);
* except inside a short quotation or bracket (“…”, 「…」, 『…』, （…）,
  (…), 【…】, 《…》) of at most ``PROTECT_MAX`` characters on one line): a terminator
  there does not split, unless its closers reach the end of a quotation
  (``他说：“要做好。”`` ends after the ”; ``读《你好吗？》了吗`` does not);
* a sentence longer than ``max_len`` characters is cut after the last
  ，/；/,/; within the limit (else after 、/space, else hard at the limit);
* whitespace at either end is trimmed (offsets move with it) and pieces
  without a single word character (letters, digits, CJK) are dropped.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Sequence

from kg.model import Sentence

TERMINATORS = "。！？!?；"
CLOSERS = "”’）」』】》)"
MAX_SENTENCE = 2000
PROTECT_MAX = 200

_SPLIT = re.compile(f"[{TERMINATORS}]+[{re.escape(CLOSERS)}]*|\n")
_QUOTE_OPENERS = "“「『"
_PAIRS = ("“”", "「」", "『』", "（）", "()", "【】", "《》")
_PROTECT = re.compile("|".join(
    f"{re.escape(o)}[^{re.escape(o + c)}\n]{{0,{PROTECT_MAX}}}{re.escape(c)}" for o, c in _PAIRS))
_WORD = re.compile(r"\w")
_NEWLINE = re.compile("\n")
_SOFT_CUTS = ("，", "；", ",", ";")
_SOFTER_CUTS = ("、", " ", "：", ":")


def paragraph_starts(text: str) -> list[int]:
    """Offsets at which the paragraphs ("\\n"-separated lines) of `text` start."""
    return [0] + [m.end() for m in _NEWLINE.finditer(text)]


def _cut_long(text: str, start: int, end: int, max_len: int) -> list[tuple[int, int]]:
    pieces = []
    cur = start
    while end - cur > max_len:
        window = text[cur:cur + max_len]
        k = max(window.rfind(c) for c in _SOFT_CUTS)
        if k < 0:
            k = max(window.rfind(c) for c in _SOFTER_CUTS)
        cut = cur + k + 1 if k >= 0 else cur + max_len
        pieces.append((cur, cut))
        cur = cut
    pieces.append((cur, end))
    return pieces


def split_sentences(text: str, paragraph_starts_: Sequence[int] | None = None,
                    max_len: int = MAX_SENTENCE) -> tuple[Sentence, ...]:
    """The sentences of `text`; see the module docstring for the rules.

    `paragraph_starts_` are the offsets where paragraphs begin (computed
    from the "\\n"s when not given); `Sentence.paragraph` indexes them.
    """
    if not text:
        return ()
    starts = list(paragraph_starts_) if paragraph_starts_ is not None else paragraph_starts(text)
    protected = [m.span() for m in _PROTECT.finditer(text)]
    pstarts = [a for a, _ in protected]

    bounds: list[int] = []
    for m in _SPLIT.finditer(text):
        s, e = m.span()
        if text[s] == "\n":
            bounds.append(s)
            continue
        if protected:
            i = bisect_right(pstarts, s) - 1
            if i >= 0:
                a, b = protected[i]
                # a quotation ends with its sentence (“…。”); a bracket does not (《…？》)
                if a < s and (e < b or (e == b and text[a] not in _QUOTE_OPENERS)):
                    continue
        bounds.append(e)
    bounds.append(len(text))

    out: list[Sentence] = []
    prev = 0
    for b in bounds:
        if b <= prev:
            prev = max(prev, b)
            continue
        seg = [(prev, b)] if b - prev <= max_len else _cut_long(text, prev, b, max_len)
        prev = b
        for a, z in seg:
            while a < z and text[a].isspace():
                a += 1
            while z > a and text[z - 1].isspace():
                z -= 1
            if a >= z or _WORD.search(text, a, z) is None:
                continue
            para = bisect_right(starts, a) - 1
            out.append(Sentence(len(out), a, z, text[a:z], max(para, 0)))
    return tuple(out)


class Tokenizer:
    """The one seam to jieba: owns a private tokenizer, built lazily.

    The engine is rjieba (jieba's dictionary and algorithm, in Rust: about 40
    times faster) when it is installed, else jieba's own Python segmenter;
    a custom `dictionary` file always uses jieba.  Never touches a global
    tokenizer, so user words added here do not leak into other users of
    jieba.  Picklable (the engine is rebuilt on first use in the receiving
    process, user words re-added).
    """

    def __init__(self, dictionary: str | None = None, hmm: bool = True) -> None:
        self._dictionary = dictionary
        self._hmm = hmm
        self._words: list[tuple[str, int | None, str | None]] = []
        self._jieba = None
        self._fast = False

    def _get(self):
        if self._jieba is None:
            tok = None
            if self._dictionary is None:
                try:
                    import rjieba
                    tok, self._fast = rjieba.Jieba(), True
                except ImportError:  # pragma: no cover - rjieba is a dependency
                    pass
            if tok is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer(self._dictionary) if self._dictionary else jieba.Tokenizer()
                tok.initialize()
            for w, f, t in self._words:
                tok.add_word(w, f, t)
            self._jieba = tok
        return self._jieba

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        """Make jieba keep `word` whole."""
        self._words.append((word, freq, tag))
        if self._jieba is not None:
            self._jieba.add_word(word, freq, tag)

    def cut(self, text: str) -> list[str]:
        """The tokens of `text`, in order; ``"".join(cut(t)) == t``."""
        if not text:
            return []
        tok = self._get()
        return list(tok.cut(text, self._hmm) if self._fast else tok.cut(text, HMM=self._hmm))

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_jieba"] = None
        return state
