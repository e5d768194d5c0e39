"""Which candidate measures are kept: a linear model learned from the gold.

The constructions of measures.py propose candidates generously (every
quoted name, every verb–object program, every named program…); what
used to be hand-written filters (weak verb with a bare object, a verb used
as a noun, a quoted term in brackets…) are now *features*, and the
weights that decide are learned by ``kg train`` from the gold files
(kg/train.py).  The model is a table of feature weights
(kg/extract/data/model.json): "why was this kept" is the sum of the
weights of the features it has, printed by ``explain``.

Features are about the construction and its sentence, never about the
article: the rule, the verb and head words, word boundaries (jieba),
cues of who acts (a company, an expert, a deputy, a report), of
proposals, statistics, plans, requirements and negation.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..model import Sentence
from .lexicon import word_classes

DATA = Path(__file__).resolve().parent / "data"
MODEL_PATHS = {"measure": DATA / "model.json", "figure": DATA / "figure_model.json"}
MODEL_PATH = MODEL_PATHS["measure"]
CUES_PATH = DATA / "cues.json"


@dataclass
class Candidate:
    """A proposed measure: a verbatim span of the text and how it was found."""
    label: str
    start: int
    end: int
    sentence: Sentence
    rule: str
    regions: list            # RegionRecords that would adopt it
    listed: bool = False     # regions come from a list (北京、上海…)
    flags: tuple[str, ...] = ()
    features: list[str] = field(default_factory=list)
    score: float = 0.0
    kept: bool = False


def cues() -> dict[str, tuple[str, ...]]:
    """Cue words by class (data/cues.json): actors, proposals, statistics…"""
    return word_classes(CUES_PATH)


@dataclass(frozen=True)
class Model:
    version: str
    bias: float
    threshold: float
    weights: dict

    def score(self, features: list[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def explain(self, features: list[str]) -> list[tuple[str, float]]:
        """The features that decided, heaviest first."""
        out = [(f, self.weights[f]) for f in features if f in self.weights]
        return sorted(out, key=lambda fw: -abs(fw[1]))

    def to_json(self) -> str:
        weights = {k: round(v, 4) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-4}
        return json.dumps({"version": self.version, "bias": round(self.bias, 4),
                           "threshold": self.threshold, "weights": weights},
                          ensure_ascii=False, indent=0, sort_keys=True) + "\n"


def load_model(path: Path = MODEL_PATH) -> Model | None:
    if not path.exists():
        return None
    d = json.loads(path.read_text(encoding="utf-8"))
    return Model(d["version"], float(d["bias"]), float(d["threshold"]), dict(d["weights"]))


_ACTIVE: list[dict] = []


@lru_cache(maxsize=None)
def _default_model(kind: str) -> Model | None:
    return load_model(MODEL_PATHS[kind])


def active_model(kind: str = "measure") -> Model | None:
    """The model in use for `kind` (measure | figure): the committed one,
    unless training or cross-validation swapped one in."""
    return _ACTIVE[-1].get(kind) if _ACTIVE else _default_model(kind)


class using:
    """with using({"measure": m, "figure": f}): extraction decides with these models."""

    def __init__(self, models: dict | None):
        self.models = models or {}

    def __enter__(self):
        _ACTIVE.append(self.models)
        return self.models

    def __exit__(self, *exc):
        _ACTIVE.pop()


def model_version(kind: str = "measure") -> str:
    """Written into pol:extractedBy beside the construction: which model kept it."""
    m = active_model(kind)
    return m.version if m is not None else "rules"


def _bucket(n: int, edges=(2, 4, 6, 9, 13, 18, 25)) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return "more"


@lru_cache(maxsize=1)
def cue_patterns() -> dict[str, "re.Pattern"]:
    """One alternation per cue class, longest words first."""
    return {name: re.compile("|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True)))
            for name, ws in cues().items()}


def features(ctx, c: Candidate) -> list[str]:
    """The candidate's features, as strings (one-hot)."""
    text = ctx.text
    s = c.sentence
    label = c.label
    core = label.strip("“”\"'")
    f = [f"rule={c.rule}", f"len={_bucket(len(core))}"]
    f += [f"flag={x}" for x in c.flags]
    if "“" in label:
        f.append("quoted")
    f.append(f"head2={core[-2:]}")
    f.append(f"head1={core[-1:]}")
    f.append(f"first2={core[:2]}")
    words = ctx.words_in(c.start, c.end)
    if words:
        f.append(f"w0={words[0]}")
        f.append(f"wlast={words[-1]}")
        f.append(f"nwords={_bucket(len(words), (1, 2, 3, 4, 6, 9))}")
    if not ctx.is_word_start(c.start):
        f.append("start-inside-word")
    if not ctx.is_word_end(c.end):
        f.append("end-inside-word")
    if any(ch.isdigit() for ch in core):
        f.append("has-digit")
    clause = ctx.clause_bounds(c.start)
    cue_feats = set()
    for a, b, name in ctx.cue_hits(s):
        if b <= c.start:
            cue_feats.add(f"before:{name}")
            if clause[0] <= a:
                cue_feats.add(f"clause-before:{name}")
        elif c.end <= a:
            cue_feats.add(f"after:{name}")
        elif c.start <= a and b <= c.end:
            cue_feats.add(f"in-label:{name}")
    f += sorted(cue_feats)
    if c.start == clause[0] or text[clause[0]:c.start].strip() == "":
        f.append("clause-initial")
    if c.end >= clause[1] - 1:
        f.append("clause-final")
    agencies_before = [a for a in ctx.agency_spans_in(s) if a.end <= c.start]
    if agencies_before:
        f.append("agency-before")
    if ctx.regions_in(s):
        f.append("region-in-sentence")
    if c.listed:
        f.append("listed-regions")
    region = c.regions[0] if c.regions else None
    if region is not None:
        f.append("scope=national" if region.code == "000000" else f"scope-level={region.level}")
    para_first = s.index == 0 or ctx.article.sentences[s.index - 1].paragraph != s.paragraph
    if para_first:
        f.append("paragraph-lead")
    if s.paragraph <= 1:
        f.append("first-paragraphs")
    if ctx.article.title and core and core in ctx.article.title:
        f.append("in-title")
    if "“" in label:   # a quoted name the article repeats (counted once per article: linear)
        f.append(f"repeats={_bucket(ctx.quote_count(core), (1, 2, 4))}")
    if any(d.start < c.end and c.start < d.end for d in ctx.documents_in(s)):
        f.append("inside-document")
    if text[c.end:c.end + 1] == "的":
        f.append("followed-by-de")
    if text[c.start - 1:c.start] == "的":
        f.append("preceded-by-de")
    return f


def decide(ctx, candidates: list[Candidate]) -> list[Candidate]:
    """Score every candidate; those at or over the model's threshold are kept.

    Without a model (before the first ``kg train``) every candidate not
    flagged by a construction is kept: the generous rules alone."""
    model = active_model()
    for c in candidates:
        c.features = features(ctx, c)
        if model is None:
            c.score = 0.0 if c.flags else 1.0
            c.kept = not c.flags
        else:
            c.score = model.score(c.features)
            c.kept = c.score >= model.threshold
    return [c for c in candidates if c.kept]
