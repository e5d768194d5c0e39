"""Sentence splitting (exact offsets) and the jieba seam."""
from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.read import read_article
from kg.text import MAX_SENTENCE, Tokenizer, paragraph_starts, split_sentences

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def texts(text: str, **kw) -> list[str]:
    sents = split_sentences(text, **kw)
    for s in sents:
        assert text[s.start:s.end] == s.text
    return [s.text for s in sents]


@pytest.mark.parametrize("text, expected", [
    ("第一句。第二句！第三句？第四句；第五句", ["第一句。", "第二句！", "第三句？", "第四句；", "第五句"]),
    ("Yes! Really? ok", ["Yes!", "Really?", "ok"]),
    ("着急有用吗。。。？后来呢", ["着急有用吗。。。？", "后来呢"]),
    ("他说：“要做好。”然后走了。", ["他说：“要做好。”", "然后走了。"]),
    ("他说：“第一。第二！第三？”对吧", ["他说：“第一。第二！第三？”", "对吧"]),
    ("她说「好的。」走吧", ["她说「好的。」", "走吧"]),
    ("方案（一是；二是。）已出台。", ["方案（一是；二是。）已出台。"]),
    ("读《你好吗？》了吗？是的", ["读《你好吗？》了吗？", "是的"]),
    ("【视频：怎么办？】近日。", ["【视频：怎么办？】近日。"]),
    ("段落一\n段落二。段落二续\n\n\n段落四", ["段落一", "段落二。", "段落二续", "段落四"]),
    ("  前有空格。   后有空格  ", ["前有空格。", "后有空格"]),
    ("……。正文。", ["正文。"]),                     # no word character: not a sentence
    ("。", []),
    ("", []),
    ("\n\n \n", []),
])
def test_split(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_long_quotation_is_split() -> None:
    inner = "很长的引语。" * 40                        # 240 chars > the 200-char protection
    got = texts(f"他说：“{inner}”结束。")
    assert len(got) > 30 and got[0] == "他说：“很长的引语。"


def test_unclosed_quotation() -> None:
    assert texts("他说：“第一。第二。") == ["他说：“第一。", "第二。"]


def test_quotation_does_not_cross_paragraphs() -> None:
    assert texts("“第一。\n第二。”") == ["“第一。", "第二。”"]


def test_paragraph_index() -> None:
    text = "一。二。\n三。\n\n四"
    sents = split_sentences(text)
    assert [(s.text, s.paragraph) for s in sents] == [("一。", 0), ("二。", 0), ("三。", 1), ("四", 3)]
    assert [s.index for s in sents] == [0, 1, 2, 3]
    assert split_sentences(text, paragraph_starts(text)) == sents
    assert paragraph_starts(text) == [0, 5, 8, 9]


def test_long_sentence_cut_at_comma() -> None:
    text = "甲乙丙丁，" * 2000                               # 10,000 chars, one sentence
    sents = split_sentences(text)
    assert all(len(s.text) <= MAX_SENTENCE for s in sents)
    assert all(s.text.endswith("，") for s in sents)
    assert "".join(s.text for s in sents) == text
    assert len(sents) == 5


def test_long_sentence_prefers_semicolon_or_comma_nearest_limit() -> None:
    text = "子" * 1500 + "，" + "丑" * 400 + "；" + "寅" * 3000
    sents = split_sentences(text)
    assert sents[0].text == "子" * 1500 + "，" + "丑" * 400 + "；"
    assert all(len(s.text) <= MAX_SENTENCE for s in sents)
    assert "".join(s.text for s in sents) == text


def test_long_sentence_without_punctuation_hard_cut() -> None:
    text = "无" * 100_000
    sents = split_sentences(text)
    assert [len(s.text) for s in sents] == [MAX_SENTENCE] * 50
    assert [s.start for s in sents] == list(range(0, 100_000, MAX_SENTENCE))


def test_custom_max_len() -> None:
    assert texts("一二三，四五六，七八九", max_len=4) == ["一二三，", "四五六，", "七八九"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
def test_offsets_over_whole_corpus() -> None:
    n = 0
    for path in sorted(CORPUS.rglob("*.md")):
        a, _ = read_article(path)
        if a is None:
            continue
        for s in a.sentences:
            assert a.text[s.start:s.end] == s.text
            assert 0 < len(s.text) <= MAX_SENTENCE
            n += 1
        # splitting again gives the same sentences: the reader uses this module
        assert split_sentences(a.text) == a.sentences
    assert n > 1000


ALPHABET = st.sampled_from(list("。！？!?；，,“”「」（）()《》【】’… \n\t　") + ["甲", "乙", "a", "1"])


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(ALPHABET, max_size=300).map("".join)),
       st.integers(min_value=1, max_value=50))
def test_property_offsets(text: str, max_len: int) -> None:
    sents = split_sentences(text, max_len=max_len)
    prev = 0
    for i, s in enumerate(sents):
        assert s.index == i
        assert text[s.start:s.end] == s.text
        assert s.text and s.text == s.text.strip() and "\n" not in s.text
        assert re.search(r"\w", s.text)
        assert len(s.text) <= max_len
        assert s.start >= prev
        prev = s.end
        assert s.paragraph == text.count("\n", 0, s.start)


# ---------------------------------------------------------------- tokenizer

def test_tokenizer_is_lazy_and_private() -> None:
    import jieba

    tok = Tokenizer()
    assert tok._jieba is None                               # nothing loaded yet
    words = tok.cut("教育部发布双减工作试点地区典型案例")
    assert "".join(words) == "教育部发布双减工作试点地区典型案例"
    assert "教育部" in words
    assert tok._jieba is not None and tok._jieba is not jieba.dt


def test_tokenizer_user_words_do_not_leak() -> None:
    import jieba

    tok = Tokenizer()
    tok.add_word("双减试点地区")
    assert "双减试点地区" in tok.cut("推进双减试点地区工作")
    assert "双减试点地区" not in jieba.dt.FREQ             # the global tokenizer is untouched


def test_tokenizer_pickles() -> None:
    tok = Tokenizer()
    tok.add_word("双减试点地区")
    tok.cut("预热")
    clone = pickle.loads(pickle.dumps(tok))
    assert clone._jieba is None
    assert "双减试点地区" in clone.cut("推进双减试点地区工作")


def test_tokenizer_empty() -> None:
    assert Tokenizer().cut("") == []
