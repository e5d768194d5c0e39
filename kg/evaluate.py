"""Score a built graph against gold annotations.

Implements the scoring rules of ``shared/spec/annotation.md``:

* entities (regions, agencies, documents) and the three relations
  (``pol:adopts``, ``pol:issues``, ``pol:hasMetric``) get precision / recall /
  F1; metrics additionally get indicator and qualifier accuracy over the
  matched gold metrics;
* both sides are NFKC-normalised, quotes (“”‘’"'「」《》) and white space are
  dropped; regions compare with a trailing 市/省/自治区 dropped;
* a *key* matches when a label (or altLabel) contains it;
* optional gold items earn nothing and cost nothing;
* all articles are scored together: gold items are unioned and deduplicated,
  predictions are restricted to what the gold articles support (relations via
  their ``pol:Evidence`` → ``prov:wasDerivedFrom`` → article, entities via
  ``pol:mentionedIn``), matching articles by the basename of
  ``dcterms:source``.

Matching is many-to-one: precision counts predictions that match *some*
required gold item, recall counts gold items matched by *some* prediction.

API::

    gold = load_gold(["gold/seeds.json"])
    report = evaluate(graph, gold)
    print(report.as_table())
    json.dumps(report.as_dict())
"""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Optional
from urllib.parse import unquote

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

POL = Namespace("https://w3id.org/policy-kg/ontology#")

__all__ = [
    "POL",
    "Score",
    "MetricAccuracy",
    "Report",
    "load_gold",
    "evaluate",
    "norm",
    "norm_region",
    "norm_unit",
]

# --------------------------------------------------------------------------
# normalisation
# --------------------------------------------------------------------------

_QUOTES = "“”‘’\"'「」《》"
_DROP = {ord(c): None for c in _QUOTES}
_REGION_SUFFIXES = ("自治区", "市", "省")
# units that mean the same head count
_UNIT_EQUIV = {"名": "人"}


def norm(text: Any) -> str:
    """NFKC, drop quotes “”‘’"'「」《》 and all white space."""
    s = unicodedata.normalize("NFKC", str(text))
    s = s.translate(_DROP)
    return "".join(s.split())


def norm_region(text: Any) -> str:
    """``norm`` plus one trailing 市/省/自治区 dropped (上海 = 上海市; 全国 stays)."""
    s = norm(text)
    for suf in _REGION_SUFFIXES:
        if s.endswith(suf) and len(s) > len(suf):
            return s[: -len(suf)]
    return s


def norm_unit(text: Any) -> str:
    """``norm`` plus head-count equivalence (名 = 人). ``""`` means no unit."""
    s = norm(text) if text is not None else ""
    return _UNIT_EQUIV.get(s, s)


def _norm_keys(keys: Iterable[Any]) -> frozenset:
    return frozenset(k for k in (norm(x) for x in keys or ()) if k)


def _contains_any(names: Iterable[str], keys: Iterable[str]) -> bool:
    """Key match: some (already normalised) name contains some key."""
    return any(k in n for n in names for k in keys)


def _to_decimal(x: Any) -> Optional[Decimal]:
    try:
        d = Decimal(str(x).strip())
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def _basename(source: Any) -> str:
    s = str(source)
    if s.startswith("file:"):
        s = unquote(s[5:])
    s = s.replace("\\", "/").rstrip("/")
    return s.rsplit("/", 1)[-1]


def _local_name(iri: Any) -> str:
    s = str(iri)
    for sep in ("#", "/", ":"):
        if sep in s:
            s = s.rsplit(sep, 1)[-1]
    return s


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


@dataclass
class Score:
    """Precision / recall of one entity type or relation.

    ``tp_pred``: predictions matching some required gold item;
    ``n_pred``: predictions (those matching only optional items set aside);
    ``tp_gold``: required gold items matched by some prediction;
    ``n_gold``: required gold items.  Ratios with a zero denominator are 0.0.
    """

    name: str
    tp_pred: int = 0
    n_pred: int = 0
    tp_gold: int = 0
    n_gold: int = 0
    n_set_aside: int = 0  # predictions matching only optional gold items
    missed: list = field(default_factory=list)  # required gold items unmatched
    spurious: list = field(default_factory=list)  # predictions matching nothing

    @property
    def precision(self) -> float:
        return _ratio(self.tp_pred, self.n_pred)

    @property
    def recall(self) -> float:
        return _ratio(self.tp_gold, self.n_gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self, details: bool = False) -> dict:
        d = {
            "tp_pred": self.tp_pred,
            "n_pred": self.n_pred,
            "tp_gold": self.tp_gold,
            "n_gold": self.n_gold,
            "n_set_aside": self.n_set_aside,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }
        if details:
            d["missed"] = list(self.missed)
            d["spurious"] = list(self.spurious)
        return d


@dataclass
class MetricAccuracy:
    """Indicator / qualifier accuracy over matched required gold metrics."""

    n_matched: int = 0
    indicator_correct: int = 0
    qualifier_correct: int = 0

    @property
    def indicator_accuracy(self) -> float:
        return _ratio(self.indicator_correct, self.n_matched)

    @property
    def qualifier_accuracy(self) -> float:
        return _ratio(self.qualifier_correct, self.n_matched)

    def as_dict(self) -> dict:
        return {
            "n_matched": self.n_matched,
            "indicator_correct": self.indicator_correct,
            "qualifier_correct": self.qualifier_correct,
            "indicator_accuracy": self.indicator_accuracy,
            "qualifier_accuracy": self.qualifier_accuracy,
        }


SCORE_NAMES = ("regions", "agencies", "documents", "adopts", "issues", "hasMetric")


@dataclass
class Report:
    regions: Score
    agencies: Score
    documents: Score
    adopts: Score
    issues: Score
    hasMetric: Score
    metrics: MetricAccuracy
    articles_scored: list = field(default_factory=list)  # gold articles
    articles_missing: list = field(default_factory=list)  # gold articles not in graph

    def scores(self) -> list[Score]:
        return [getattr(self, n) for n in SCORE_NAMES]

    def as_dict(self, details: bool = False) -> dict:
        d: dict = {n: getattr(self, n).as_dict(details) for n in SCORE_NAMES}
        d["metrics"] = self.metrics.as_dict()
        d["articles_scored"] = list(self.articles_scored)
        d["articles_missing"] = list(self.articles_missing)
        return d

    def as_table(self) -> str:
        header = ("", "tp_pred", "n_pred", "tp_gold", "n_gold", "P", "R", "F1")
        rows = [header]
        for s in self.scores():
            rows.append(
                (
                    s.name,
                    str(s.tp_pred),
                    str(s.n_pred),
                    str(s.tp_gold),
                    str(s.n_gold),
                    f"{s.precision:.3f}",
                    f"{s.recall:.3f}",
                    f"{s.f1:.3f}",
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        lines = []
        for i, r in enumerate(rows):
            cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
            lines.append("  ".join(cells).rstrip())
            if i == 0:
                lines.append("  ".join("-" * w for w in widths))
        m = self.metrics
        lines.append("")
        lines.append(
            f"metric indicator accuracy: {m.indicator_correct}/{m.n_matched} = "
            f"{m.indicator_accuracy:.3f}"
        )
        lines.append(
            f"metric qualifier accuracy: {m.qualifier_correct}/{m.n_matched} = "
            f"{m.qualifier_accuracy:.3f}"
        )
        if self.articles_missing:
            lines.append(
                "gold articles not in graph: " + ", ".join(self.articles_missing)
            )
        return "\n".join(lines)


# --------------------------------------------------------------------------
# gold
# --------------------------------------------------------------------------


def load_gold(paths: Any) -> list[dict]:
    """Read gold files (each a JSON list of article objects, or one object)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[dict] = []
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            data = json.load(fh)
        if isinstance(data, dict):
            data = [data]
        if not isinstance(data, list):
            raise ValueError(f"{p}: expected a JSON list of article objects")
        for a in data:
            if not isinstance(a, dict) or "article" not in a:
                raise ValueError(f"{p}: every gold object needs an 'article' field")
            out.append(a)
    return out


@dataclass
class _GoldItem:
    key: Any
    optional: bool
    data: dict


def _add(items: dict, key: Any, optional: bool, data: dict) -> _GoldItem:
    """Dedupe: an item is required if any of its occurrences is required."""
    it = items.get(key)
    if it is None:
        it = items[key] = _GoldItem(key, optional, data)
    else:
        it.optional = it.optional and optional
    return it


def _units(u: Any) -> frozenset:
    if u is None:
        u = ""
    if isinstance(u, (list, tuple, set, frozenset)):
        return frozenset(norm_unit(x) for x in u)
    return frozenset({norm_unit(u)})


def _collect_gold(gold: list[dict]) -> dict:
    regions: dict = {}
    agencies: dict = {}
    documents: dict = {}
    adopts: dict = {}
    issues: dict = {}
    metrics: dict = {}
    for art in gold:
        for r in art.get("regions", []) or []:
            if isinstance(r, dict):
                name, opt = r.get("name", ""), bool(r.get("optional", False))
            else:
                name, opt = r, False
            _add(regions, norm_region(name), opt, {"name": name})
        for a in art.get("agencies", []) or []:
            if isinstance(a, str):
                a = {"name": a}
            it = _add(agencies, norm(a["name"]), bool(a.get("optional", False)),
                      {"name": a["name"], "names": set()})
            it.data["names"].add(norm(a["name"]))
            it.data["names"].update(n for n in (norm(x) for x in a.get("aliases", []) or []) if n)
        for d in art.get("documents", []) or []:
            keys = _norm_keys(d.get("keys", []))
            if keys:
                _add(documents, keys, bool(d.get("optional", False)), {"keys": keys})
        for d in art.get("adopts", []) or []:
            keys = _norm_keys(d.get("keys", []))
            reg = norm_region(d.get("region", ""))
            if keys:
                _add(adopts, (reg, keys), bool(d.get("optional", False)),
                     {"region": reg, "keys": keys, "label": d.get("region", "")})
        for d in art.get("issues", []) or []:
            keys = _norm_keys(d.get("document_keys", []))
            if not keys:
                continue
            if d.get("agency"):
                who = ("agency", norm(d["agency"]))
            elif d.get("agency_region"):
                who = ("agency_region", norm_region(d["agency_region"]))
            else:
                continue
            _add(issues, (who, keys), bool(d.get("optional", False)),
                 {"who": who, "keys": keys,
                  "label": d.get("agency") or d.get("agency_region")})
        for d in art.get("metrics", []) or []:
            keys = _norm_keys(d.get("measure_keys", []))
            value = _to_decimal(d.get("value"))
            if value is None or not keys:
                continue
            reg = norm_region(d["region"]) if d.get("region") else None
            units = _units(d.get("unit", ""))
            it = _add(metrics, (reg, value, units, keys), bool(d.get("optional", False)),
                      {"region": reg, "value": value, "units": units, "keys": keys,
                       "indicator_keys": set(), "qualifiers": set()})
            it.data["indicator_keys"].update(_norm_keys(d.get("indicator_keys", [])))
            if d.get("qualifier"):
                it.data["qualifiers"].add(str(d["qualifier"]))

    # agency_region issues and agency aliases: aliases come from the gold
    # agencies lists (unioned by name across articles).
    alias_of = {k: it.data["names"] for k, it in agencies.items()}
    for it in issues.values():
        kind, name = it.data["who"]
        if kind == "agency":
            it.data["names"] = alias_of.get(name, set()) | {name}
    return {
        "regions": list(regions.values()),
        "agencies": list(agencies.values()),
        "documents": list(documents.values()),
        "adopts": list(adopts.values()),
        "issues": list(issues.values()),
        "metrics": list(metrics.values()),
    }


# --------------------------------------------------------------------------
# graph
# --------------------------------------------------------------------------


class _GraphView:
    """Python dicts over the parts of the graph the scorer needs."""

    def __init__(self, g: Graph, gold_articles: set[str]):
        self.g = g
        # article nodes of the gold articles (by basename of dcterms:source)
        self.articles: set = set()
        self.article_names: set = set()
        for a, src in g.subject_objects(DCTERMS.source):
            b = _basename(src)
            if b in gold_articles:
                self.articles.add(a)
                self.article_names.add(b)

        # names (label + altLabels), raw normalised
        self.names: dict = {}
        for p in (RDFS.label, SKOS.altLabel):
            for s, o in g.subject_objects(p):
                if isinstance(o, Literal):
                    n = norm(o)
                    if n:
                        self.names.setdefault(s, set()).add(n)

        self._region_names: dict = {}
        self.types: dict = {}
        for s, o in g.subject_objects(RDF.type):
            self.types.setdefault(o, set()).add(s)

        self.mentioned: set = set()
        for s, o in g.subject_objects(POL.mentionedIn):
            if o in self.articles:
                self.mentioned.add(s)

        # evidence: (s, p, o) triples supported by a gold article
        subj = dict(g.subject_objects(RDF.subject))
        pred = dict(g.subject_objects(RDF.predicate))
        obj = dict(g.subject_objects(RDF.object))
        self.supported: set = set()
        for e, a in g.subject_objects(PROV.wasDerivedFrom):
            if a in self.articles and e in subj and e in pred and e in obj:
                self.supported.add((subj[e], pred[e], obj[e]))

    def name_set(self, node) -> set:
        return self.names.get(node, set())

    def region_names(self, node) -> set:
        r = self._region_names.get(node)
        if r is None:
            r = self._region_names[node] = {norm_region(n) for n in self.names.get(node, ())}
        return r

    def relation(self, p: URIRef) -> list[tuple]:
        out = [
            (s, o)
            for s, o in self.g.subject_objects(p)
            if (s, p, o) in self.supported
        ]
        out.sort(key=lambda t: (str(t[0]), str(t[1])))
        return out

    def entities(self, cls: URIRef) -> list:
        return sorted((n for n in self.types.get(cls, ()) if n in self.mentioned), key=str)


class _KeyIndex:
    """Find the gold items one of whose keys is contained in a name, without
    trying every gold item: look up each substring of the name whose length
    is the length of some key."""

    def __init__(self, keysets: Iterable[Iterable[str]]):
        self.by_key: dict = {}
        for i, keys in enumerate(keysets):
            for k in keys:
                self.by_key.setdefault(k, set()).add(i)
        self.lengths = sorted({len(k) for k in self.by_key})

    def find(self, names: Iterable[str]) -> set:
        out: set = set()
        by_key = self.by_key
        for n in names:
            ln = len(n)
            for L in self.lengths:
                if L > ln:
                    break
                for i in range(ln - L + 1):
                    hit = by_key.get(n[i : i + L])
                    if hit:
                        out |= hit
        return out


def _score(name: str, preds: list, gold: list[_GoldItem], candidates, match,
           show) -> tuple[Score, dict]:
    """Many-to-one matching. ``candidates(p)`` gives the indices of gold items
    that may match ``p`` (a superset), ``match(p, data)`` decides. Returns the
    score and, per gold item index, the predictions that match it."""
    sc = Score(name)
    matched_by: dict = {}
    for p in preds:
        hits = sorted(i for i in candidates(p) if match(p, gold[i].data))
        required = [i for i in hits if not gold[i].optional]
        for i in hits:
            matched_by.setdefault(i, []).append(p)
        if required:
            sc.tp_pred += 1
            sc.n_pred += 1
        elif hits:
            sc.n_set_aside += 1
        else:
            sc.n_pred += 1
            sc.spurious.append(show(p))
    for i, gi in enumerate(gold):
        if gi.optional:
            continue
        sc.n_gold += 1
        if i in matched_by:
            sc.tp_gold += 1
        else:
            sc.missed.append(_show_gold(gi))
    return sc, matched_by


def _show_gold(gi: _GoldItem) -> str:
    d = gi.data
    if "value" in d:
        return f"{d['region']} {d['value']} {sorted(d['units'])} {sorted(d['keys'])}"
    if "who" in d:
        return f"{d['who'][0]}={d['label']} -> {sorted(d['keys'])}"
    if "region" in d:
        return f"{d['label']} -> {sorted(d['keys'])}"
    if "keys" in d:
        return str(sorted(d["keys"]))
    return str(d.get("name"))


def evaluate(graph: Graph, gold: list[dict]) -> Report:
    """Score ``graph`` against the gold article objects (see module doc)."""
    gold_articles = {_basename(a["article"]) for a in gold}
    G = _collect_gold(gold)
    V = _GraphView(graph, gold_articles)

    def label(n) -> str:
        ns = graph.value(n, RDFS.label)
        return str(ns) if ns is not None else str(n)

    def exact_index(items, names_of) -> dict:
        idx: dict = {}
        for i, gi in enumerate(items):
            for n in names_of(gi.data):
                idx.setdefault(n, set()).add(i)
        return idx

    def lookup(idx: dict, names: Iterable) -> set:
        out: set = set()
        for n in names:
            out |= idx.get(n, set())
        return out

    # ---- entities ----------------------------------------------------
    region_idx = exact_index(G["regions"], lambda d: [norm_region(d["name"])])
    agency_idx = exact_index(G["agencies"], lambda d: d["names"])
    document_idx = _KeyIndex(gi.data["keys"] for gi in G["documents"])
    regions, _ = _score(
        "regions",
        V.entities(POL.Region),
        G["regions"],
        lambda n: lookup(region_idx, V.region_names(n)),
        lambda n, d: norm_region(d["name"]) in V.region_names(n),
        label,
    )
    agencies, _ = _score(
        "agencies",
        V.entities(POL.Agency),
        G["agencies"],
        lambda n: lookup(agency_idx, V.name_set(n)),
        lambda n, d: bool(V.name_set(n) & d["names"]),
        label,
    )
    documents, _ = _score(
        "documents",
        V.entities(POL.Document),
        G["documents"],
        lambda n: document_idx.find(V.name_set(n)),
        lambda n, d: _contains_any(V.name_set(n), d["keys"]),
        label,
    )

    # ---- adopts --------------------------------------------------------
    adopts_pred = V.relation(POL.adopts)
    adopts_idx = _KeyIndex(gi.data["keys"] for gi in G["adopts"])
    adopts, _ = _score(
        "adopts",
        adopts_pred,
        G["adopts"],
        lambda t: adopts_idx.find(V.name_set(t[1])),
        lambda t, d: d["region"] in V.region_names(t[0])
        and _contains_any(V.name_set(t[1]), d["keys"]),
        lambda t: f"{label(t[0])} adopts {label(t[1])}",
    )

    # ---- issues --------------------------------------------------------
    jurisdiction: dict = {}
    for a, r in graph.subject_objects(POL.jurisdiction):
        jurisdiction.setdefault(a, set()).update(V.region_names(r))

    def issues_match(t, d) -> bool:
        a, doc = t
        kind, name = d["who"]
        if kind == "agency":
            if not (V.name_set(a) & d["names"]):
                return False
        elif name not in jurisdiction.get(a, ()):
            return False
        return _contains_any(V.name_set(doc), d["keys"])

    issues_idx = _KeyIndex(gi.data["keys"] for gi in G["issues"])
    issues, _ = _score(
        "issues",
        V.relation(POL.issues),
        G["issues"],
        lambda t: issues_idx.find(V.name_set(t[1])),
        issues_match,
        lambda t: f"{label(t[0])} issues {label(t[1])}",
    )

    # ---- hasMetric -----------------------------------------------------
    adopters: dict = {}
    for r, m in graph.subject_objects(POL.adopts):
        adopters.setdefault(m, set()).update(V.region_names(r))

    metric_info: dict = {}

    def info(x) -> dict:
        inf = metric_info.get(x)
        if inf is None:
            vals = {_to_decimal(v) for v in graph.objects(x, POL.value)}
            vals.discard(None)
            units = {norm_unit(u) for u in graph.objects(x, POL.unit)} or {""}
            for_region: set = set()
            for r in graph.objects(x, POL.forRegion):
                for_region |= V.region_names(r)
            inf = metric_info[x] = {
                "values": vals,
                "units": units,
                "for_region": for_region,
                "indicators": {norm(i) for i in graph.objects(x, POL.indicator)},
                "qualifiers": {_local_name(q) for q in graph.objects(x, POL.qualifier)},
            }
        return inf

    def metric_match(t, d) -> bool:
        m, x = t
        inf = info(x)
        if d["value"] not in inf["values"]:
            return False
        if not (inf["units"] & d["units"]):
            return False
        if not _contains_any(V.name_set(m), d["keys"]):
            return False
        if d["region"] is not None:
            regs = inf["for_region"] or adopters.get(m, set())
            if d["region"] not in regs:
                return False
        return True

    value_idx = exact_index(G["metrics"], lambda d: [d["value"]])
    has_metric, metric_hits = _score(
        "hasMetric",
        V.relation(POL.hasMetric),
        G["metrics"],
        lambda t: lookup(value_idx, info(t[1])["values"]),
        metric_match,
        lambda t: f"{label(t[0])} hasMetric {label(t[1])}",
    )

    acc = MetricAccuracy()
    for i, gi in enumerate(G["metrics"]):
        if gi.optional or i not in metric_hits:
            continue
        # the best matching prediction: most of (indicator, qualifier) right,
        # then indicator first; predictions are sorted, so ties are stable
        best_ind = best_qual = 0
        for _m, x in metric_hits[i]:
            inf = info(x)
            ind = int(_contains_any(inf["indicators"], gi.data["indicator_keys"]))
            qual = int(bool(inf["qualifiers"] & gi.data["qualifiers"]))
            if (ind + qual, ind) > (best_ind + best_qual, best_ind):
                best_ind, best_qual = ind, qual
        acc.n_matched += 1
        acc.indicator_correct += best_ind
        acc.qualifier_correct += best_qual

    ordered = []
    for a in gold:
        b = _basename(a["article"])
        if b not in ordered:
            ordered.append(b)
    return Report(
        regions=regions,
        agencies=agencies,
        documents=documents,
        adopts=adopts,
        issues=issues,
        hasMetric=has_metric,
        metrics=acc,
        articles_scored=ordered,
        articles_missing=[b for b in ordered if b not in V.article_names],
    )
