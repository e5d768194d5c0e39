"""Words: jieba over the article, with the gazetteers and the policy lexicon
as user words, so that verbs, heads and cues match on word boundaries only
(开通 is not a word of 公开通报).

One private tokenizer per process (kg.text.Tokenizer), never jieba's global.
"""
from __future__ import annotations

from functools import lru_cache

from ..text import Tokenizer


@lru_cache(maxsize=1)
def tokenizer() -> Tokenizer:
    from ..gazetteer.agencies import load_agencies
    from ..gazetteer.regions import load_regions
    from .lexicon import lexicon_words

    tok = Tokenizer(hmm=False)
    words = set(lexicon_words())
    words.update(s for s in load_agencies().surfaces() if len(s) >= 2)
    words.update(s for s in load_regions().surfaces() if len(s) >= 2)
    for w in sorted(words):
        tok.add_word(w, 2000)
    return tok


def segment(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token of `text`; tokens tile the text."""
    out = []
    pos = 0
    for w in tokenizer().cut(text):
        out.append((pos, pos + len(w)))
        pos += len(w)
    return out
