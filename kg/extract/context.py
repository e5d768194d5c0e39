"""What extractors share while reading one article.

Each extractor reads the spans found by the ones before it (regions ->
agencies -> documents -> measures -> metrics) and appends its own; facts
and mentions go straight into the article's `Extraction`, already carrying
their evidence.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..gazetteer.agencies import AgencyGazetteer, load_agencies
from ..gazetteer.regions import RegionGazetteer, RegionRecord, load_regions
from ..model import Article, Entity, Evidence, Extraction, Fact, Mention, Sentence

CLAUSE_BREAKS = "，,；;：:。！？!?\n"
_BREAK_RE = re.compile("[" + re.escape(CLAUSE_BREAKS) + "]")
_QUOTED = re.compile(r"“([^“”\n]{1,80})”")


@dataclass(frozen=True)
class Span:
    """An entity found at [start, end) of the article text."""
    start: int
    end: int
    surface: str
    entity: Entity
    sentence: int
    rule: str


@dataclass
class Context:
    article: Article
    regions: RegionGazetteer = field(default_factory=load_regions)
    agencies: AgencyGazetteer = field(default_factory=load_agencies)
    region_spans: list[Span] = field(default_factory=list)
    agency_spans: list[Span] = field(default_factory=list)
    document_spans: list[Span] = field(default_factory=list)
    measure_spans: list[Span] = field(default_factory=list)
    measure_candidates: list = field(default_factory=list)   # select.Candidate, kept or not
    figure_candidates: list = field(default_factory=list)    # metrics.Figure, kept or not
    passage: list[RegionRecord] = field(default_factory=list)  # region in force, per sentence
    out: Extraction = None  # type: ignore[assignment]

    def __post_init__(self):
        if self.out is None:
            self.out = Extraction(self.article)
        self._starts = [s.start for s in self.article.sentences]
        self._breaks = [m.start() for m in _BREAK_RE.finditer(self.article.text)]

    # -- positions ---------------------------------------------------------
    @property
    def text(self) -> str:
        return self.article.text

    def sentence_at(self, offset: int) -> Sentence:
        i = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return self.article.sentences[i]

    def clause_bounds(self, offset: int) -> tuple[int, int]:
        """[start, end) of the comma/semicolon clause holding `offset`."""
        s = self.sentence_at(offset)
        breaks = self._breaks
        i = bisect.bisect_left(breaks, offset)
        a = breaks[i - 1] + 1 if i > 0 else 0
        b = breaks[i] if i < len(breaks) else len(self.text)
        return max(a, s.start), min(b, s.end)

    def region_in_force(self, sentence_index: int) -> RegionRecord:
        return self.passage[sentence_index]

    # -- words (jieba, segmented once per article, lazily) -------------------
    def _segment(self) -> None:
        from .words import segment
        self._tokens = segment(self.text)           # (start, end) per token, in order
        self._token_starts = [a for a, _ in self._tokens]
        self._starts_set = set(self._token_starts)
        self._ends_set = {b for _, b in self._tokens}

    def is_word_start(self, offset: int) -> bool:
        if not hasattr(self, "_tokens"):
            self._segment()
        return offset in self._starts_set

    def is_word_end(self, offset: int) -> bool:
        if not hasattr(self, "_tokens"):
            self._segment()
        return offset in self._ends_set

    def words_in(self, start: int, end: int) -> list[str]:
        """The words that lie inside [start, end)."""
        if not hasattr(self, "_tokens"):
            self._segment()
        i = bisect.bisect_left(self._token_starts, start)
        out = []
        while i < len(self._tokens) and self._tokens[i][1] <= end:
            a, b = self._tokens[i]
            if self.text[a:b].strip():
                out.append(self.text[a:b])
            i += 1
        return out

    # -- spans by sentence (each index built once, rebuilt when its list grew) --
    def _by_sentence(self, name: str, spans: list, sentence_of) -> dict[int, list]:
        index = self.__dict__.get(name)
        if index is None or index[1] != len(spans):
            by: dict[int, list] = {}
            for sp in spans:
                by.setdefault(sentence_of(sp), []).append(sp)
            index = self.__dict__[name] = (by, len(spans))
        return index[0]

    def regions_in(self, sentence: Sentence) -> list[Span]:
        """Region spans of `sentence`, in order."""
        return self._by_sentence("_region_index", self.region_spans, lambda r: r.sentence).get(sentence.index, [])

    def agency_spans_in(self, sentence: Sentence) -> list[Span]:
        """Agency spans of `sentence`."""
        return self._by_sentence("_agency_index", self.agency_spans,
                                 lambda a: self.sentence_at(a.start).index).get(sentence.index, [])

    def documents_in(self, sentence: Sentence) -> list[Span]:
        """Document spans of `sentence`."""
        return self._by_sentence("_document_index", self.document_spans, lambda d: d.sentence).get(sentence.index, [])

    def candidates_in(self, sentence: Sentence) -> list:
        """The measure candidates proposed in `sentence`, kept or not."""
        return self._by_sentence("_candidate_index", self.measure_candidates,
                                 lambda c: c.sentence.index).get(sentence.index, [])

    def measures_in(self, sentence: Sentence) -> list[Span]:
        """Kept measure spans of `sentence`, in order; the index takes in new measures as
        they are appended (promoted by a figure), so lookups stay linear in all."""
        index = self.__dict__.get("_measure_index")
        if index is None or index[1] > len(self.measure_spans):
            index = self._measure_index = [{}, 0]
        by = index[0]
        for m in self.measure_spans[index[1]:]:
            bisect.insort(by.setdefault(self.sentence_at(m.start).index, []), m, key=lambda sp: (sp.start, sp.end))
        index[1] = len(self.measure_spans)
        return by.get(sentence.index, [])

    def cue_hits(self, sentence: Sentence) -> list[tuple[int, int, str]]:
        """(start, end, cue class) of every cue word (select.cues) in `sentence`, found once."""
        cache = self.__dict__.setdefault("_cue_hits", {})
        hits = cache.get(sentence.index)
        if hits is None:
            from .select import cue_patterns
            hits = cache[sentence.index] = sorted(
                (*m.span(), name) for name, pat in cue_patterns().items()
                for m in pat.finditer(self.text, sentence.start, sentence.end))
        return hits

    def quantities(self, sentence: Sentence) -> list:
        """The figures of `sentence` (kg.numbers), parsed once; offsets index the sentence."""
        cache = self.__dict__.setdefault("_quantities", {})
        qs = cache.get(sentence.index)
        if qs is None:
            from ..numbers import find_quantities
            qs = cache[sentence.index] = list(find_quantities(sentence.text))
        return qs

    def quantities_between(self, a: int, b: int) -> list[tuple[int, int, object]]:
        """(start, end, Quantity) of the figures lying inside [a, b), in article offsets."""
        s = self.sentence_at(a)
        return [(s.start + q.start, s.start + q.end, q) for q in self.quantities(s)
                if a <= s.start + q.start and s.start + q.end <= b]

    def quote_count(self, phrase: str) -> int:
        """How often “phrase” is quoted in the article (all quotes counted in one pass)."""
        counts = self.__dict__.get("_quote_counts")
        if counts is None:
            counts = self._quote_counts = {}
            for m in _QUOTED.finditer(self.text):
                counts[m.group(1)] = counts.get(m.group(1), 0) + 1
        return counts.get(phrase, 0)

    # -- output ------------------------------------------------------------
    def mention(self, span: Span) -> None:
        self.out.mentions.append(Mention(span.entity, span.surface, self.article.name, span.start, span.end))

    def fact(self, subject: Entity, predicate: str, obj: Entity, sentence: Sentence,
             span: tuple[int, int], rule: str) -> None:
        ev = Evidence(self.article.name, sentence.text, sentence.start, sentence.end, span[0], span[1], rule)
        self.out.facts.append(Fact(subject, predicate, obj, ev))
