"""The one data model that flows through the pipeline.

read -> Article; extract -> Mention/Fact (each born with its provenance);
graph -> rdflib Graph.  Everything here is frozen and picklable so that
articles can be extracted in worker processes and merged deterministically.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Sentence:
    """A sentence of the cleaned text; offsets index `Article.text`."""
    index: int
    start: int
    end: int
    text: str
    paragraph: int  # index of the paragraph (block) it belongs to


@dataclass(frozen=True)
class Article:
    """One input file, read once; never re-parsed by later stages."""
    source: str               # path as given on the command line
    name: str                 # file name; the article's identity
    title: str
    date: str | None          # ISO 8601 UTC, e.g. 2021-10-25T05:37:19Z
    author: str | None
    text: str                 # cleaned body text, paragraphs joined by "\n"
    sentences: tuple[Sentence, ...]
    original_title: str | None = None   # “原标题：…”
    origin: str | None = None           # “来源：…”


_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _one_line(s: str) -> str:
    """Control characters (newlines in a file name…) as visible escapes."""
    return _LINE_BREAKING.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), s)


@dataclass(frozen=True)
class Problem:
    """A file that could not be used (or used only partly), and why."""
    code: str       # E0xx, see kg/errors.py
    source: str
    message: str

    def __str__(self) -> str:  # one line, whatever the file name or message holds
        return _one_line(f"{self.code} {self.source}: {self.message}")


@dataclass(frozen=True)
class Quantity:
    """A number as written, normalised exactly (never through float)."""
    value: Decimal
    unit: str            # '%', '人', '元'… ; 万/亿 folded into value
    qualifier: str       # Exact | AtLeast | MoreThan | AtMost | LessThan | Approximately
    surface: str         # as written: '1500余万元'
    start: int = 0       # offsets within the string that was parsed
    end: int = 0


@dataclass(frozen=True)
class Entity:
    """A thing the graph has one node for.

    `key` is the identity: two mentions with equal (kind, key) are the same
    node, whatever their surface.  ids.py turns (kind, key) into the IRI.
    """
    kind: str                  # Region | Agency | Document | Measure | Metric
    key: str
    label: str                 # canonical name (rdfs:label@zh)
    props: tuple[tuple[str, object], ...] = ()   # kind-specific: divisionCode, partOf, jurisdiction, value…

    def prop(self, name: str, default=None):
        for k, v in self.props:
            if k == name:
                return v
        return default


@dataclass(frozen=True)
class Evidence:
    """Where and why: the sentence a fact came from and the rule that made it."""
    article: str        # Article.name
    sentence: str
    char_start: int     # sentence offsets in Article.text
    char_end: int
    span_start: int     # matched span in Article.text (for highlighting)
    span_end: int
    rule: str           # name of the extraction rule


@dataclass(frozen=True)
class Mention:
    """An entity named in an article, with the surface used there."""
    entity: Entity
    surface: str
    article: str
    start: int
    end: int


@dataclass(frozen=True)
class Fact:
    """One relation triple with its evidence: adopts | issues | hasMetric."""
    subject: Entity
    predicate: str
    object: Entity
    evidence: Evidence


@dataclass
class Extraction:
    """Everything extracted from one article; the unit merged into the graph."""
    article: Article
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
