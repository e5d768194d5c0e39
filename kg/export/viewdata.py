"""A graph -> the viewer's data: which entities the page shows, their links and evidence.

What is shown: every entity when there are at most ``MAX_NODES``; above that
a *summary* (the top-level regions, then regions and other entities ranked
by how many links they have), and the page says so and names the command
that renders any part (``kg view graph.ttl --region 上海市`` or
``--focus LABEL``).  A part is chosen here too: ``region=`` keeps a region,
its sub-regions and everything that belongs to them; ``focus=`` keeps an
entity and its neighbours two links away.

The selection runs on plain dicts over all entities (counting links needs no
graph object, and a 100k-article build has half a million entities); the
graph algorithms on the part that is shown (neighbourhoods, layout,
ranking) use networkx (kg/export/layout.py).

Determinism: the same graph gives the same data (everything sorted).
"""
from __future__ import annotations

import gc
from collections import defaultdict

from rdflib import BNode, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from ..gazetteer.regions import load_regions
from ..vocab import DCTERMS, POL, PROV
from . import layout as _layout

CLASSES = ("Region", "Agency", "Document", "Measure", "Metric")
#: the three evidenced relations, then the structural links drawn dashed
RELATIONS = ("adopts", "issues", "hasMetric")
LINKS = ("partOf", "jurisdiction", "forRegion")
EDGE_KINDS = RELATIONS + LINKS

# Sentences embedded per relation edge: a triple seen in hundreds of articles
# keeps the page small; the rest are one `kg query triple_provenance` away.
EVIDENCE_PER_EDGE = 5
#: entities on one page at most; over this the page is a summary (a part is one `kg view` away)
MAX_NODES = 2500
#: links followed from the entity given to `focus`
FOCUS_RADIUS = 2
FORMAT_VERSION = 2

_POL = str(POL.Region)[: -len("Region")]


class NotFound(LookupError):
    """A region or entity named for `kg view --region/--focus` is not in the graph."""


def _local(term) -> str:
    s = str(term)
    return s[len(_POL):] if s.startswith(_POL) else s


def _text(lit) -> str:
    return "" if lit is None else str(lit)


def _int(lit) -> int | None:
    try:
        return int(lit.toPython()) if isinstance(lit, Literal) else int(lit)
    except (TypeError, ValueError):
        return None


def _pick(values) -> str | None:
    """Deterministic choice among several literals (the contract says one)."""
    vals = sorted(str(v) for v in values)
    return vals[0] if vals else None


def _highlight(sentence: str, char_start, span_start, span_end) -> list[str]:
    """[before, match, after] of the sentence; the match is clamped to it."""
    cs, ss, se = _int(char_start), _int(span_start), _int(span_end)
    if cs is None or ss is None or se is None:
        return [sentence, "", ""]
    a = min(max(ss - cs, 0), len(sentence))
    b = min(max(se - cs, a), len(sentence))
    return [sentence[:a], sentence[a:b], sentence[b:]]


#: what the viewer reads of an Evidence node (the contract gives each one value)
_EVIDENCE_FIELDS = tuple(str(p) for p in (RDF.subject, RDF.predicate, RDF.object, PROV.wasDerivedFrom,
                                         POL.sentence, POL.charStart, POL.spanStart, POL.spanEnd,
                                         POL.extractedBy))


class _EvidenceField:
    """One predicate of the Evidence nodes, read as `subject -> [object]` (the dict interface used)."""

    def __init__(self, records: dict, k: int) -> None:
        self.records, self.k = records, k

    def get(self, e, default=None):
        rec = self.records.get(e)
        return [rec[self.k]] if rec is not None and rec[self.k] is not None else default

    def items(self):
        k = self.k
        return ((e, [rec[k]]) for e, rec in self.records.items() if rec[k] is not None)


class PlainView:
    """`kg.graph.Triples` indexed the way `graph_data` reads a graph: predicate -> subject -> objects.

    A build hands the viewer its plain triples: converting a 10k-article
    graph to rdflib terms first cost more than everything else in the build.
    Terms stay plain ``str`` (IRIs, and literals as their lexical form).
    Evidence nodes, four fifths of the triples, are kept as one small tuple
    each (`_EVIDENCE_FIELDS`), not spread over per-predicate indexes.
    """

    def __init__(self, triples) -> None:
        self._index: dict[str, dict] = {}
        self._evidence: dict[str, tuple] = {}
        rdf_type, evidence = str(RDF.type), str(POL.Evidence)

        def first(objs):
            if not objs:
                return None
            vals = sorted(o if isinstance(o, str) else o[0] for o in objs)
            return vals[0]

        # millions of small lists: the cyclic collector would rescan them all again and again
        collecting = gc.isenabled()
        gc.disable()
        try:
            for s, preds in triples.blocks():
                if evidence in preds.get(rdf_type, ()):
                    self._evidence[s] = tuple(first(preds.get(f)) for f in _EVIDENCE_FIELDS)
                    continue
                for p, objs in preds.items():
                    d = self._index.get(p)
                    if d is None:
                        d = self._index[p] = defaultdict(list)
                    d[s].extend([o if isinstance(o, str) else o[0] for o in objs])
        finally:
            if collecting:
                gc.enable()

    def index(self, predicate):
        """subject -> [objects] of one predicate."""
        p = str(predicate)
        if p in _EVIDENCE_FIELDS:
            return _EvidenceField(self._evidence, _EVIDENCE_FIELDS.index(p))
        return self._index.get(p) or defaultdict(list)


class _Lookup:
    """subject -> [objects] per predicate, built on first use (or the PlainView's own index)."""

    def __init__(self, graph) -> None:
        self.graph = graph
        self._by_pred: dict = {}

    def __call__(self, pred) -> dict:
        d = self._by_pred.get(pred)
        if d is None:
            if isinstance(self.graph, PlainView):
                d = self._by_pred[pred] = self.graph.index(pred)
            else:
                d = self._by_pred[pred] = defaultdict(list)
                for s, _, o in self.graph.triples((None, pred, None)):
                    d[s].append(o)
        return d


# --------------------------------------------------------------------------
# which entities: all, a summary, a region or a neighbourhood
# --------------------------------------------------------------------------

def _resolve(name: str, candidates, label_of: dict, values, what: str):
    """The entity called `name` (label, alias, division code or IRI); NotFound otherwise."""
    name = name.strip()
    alts, codes = values(SKOS.altLabel), values(POL.divisionCode)
    ranked = []
    for s in candidates:
        if label_of[s] == name or str(s) == name:
            ranked.append((0, label_of[s], str(s), s))
        elif any(str(a) == name for a in alts.get(s, ())) or any(str(c) == name for c in codes.get(s, ())):
            ranked.append((1, label_of[s], str(s), s))
    if not ranked:
        raise NotFound(f"no {what} called {name!r} in the graph")
    return min(ranked)[3]


def _rank_by_links(ents, degree: dict) -> list:
    return sorted(ents, key=lambda s: (-degree.get(s, 0), str(s)))


def _summary(ents: set, cls_of: dict, roots: set, degree: dict, limit: int) -> set:
    """The top-level regions, then regions, then other entities, most links first."""
    keep = set(_rank_by_links([s for s in ents if s in roots], degree)[:limit])
    regions = _rank_by_links([s for s in ents if cls_of[s] == 0 and s not in keep], degree)
    keep.update(regions[:max(0, limit // 3 - len(keep))])
    rest = _rank_by_links([s for s in ents if s not in keep and cls_of[s] != 0], degree)
    keep.update(rest[:max(0, limit - len(keep))])
    return keep


def _select(cls_of, label_of, pairs, regions_of, values, region, focus, limit):
    """(entities to show, what the page shows: None or a dict for the header)."""
    children: dict = defaultdict(list)
    for s, o in pairs["partOf"]:
        children[o].append(s)
    roots = {s for s, c in cls_of.items() if c == 0} - {s for s, _ in pairs["partOf"]}
    degree: dict = defaultdict(int)
    for rel in EDGE_KINDS:
        for s, o in pairs[rel]:
            degree[s] += 1
            degree[o] += 1
    scope: dict = {}
    ents = set(cls_of)
    if region:
        r = _resolve(region, [s for s, c in cls_of.items() if c == 0], label_of, values, "region")
        inside, todo = {r}, [r]
        while todo:
            for c in children.get(todo.pop(), ()):
                if c not in inside:
                    inside.add(c)
                    todo.append(c)
        ents = {s for s in cls_of if s in inside or regions_of.get(s, set()) & inside}
        roots = {r}
        scope.update(kind="region", label=label_of[r], iri=str(r))
    if focus:
        f = _resolve(focus, sorted(ents, key=str), label_of, values, "entity")
        near = _layout.neighbourhood(f, [p for rel in EDGE_KINDS for p in pairs[rel]], FOCUS_RADIUS)
        ents = {s for s in ents if s in near}
        roots = {f} | (roots & ents)
        scope.update(kind="focus", label=label_of[f], iri=str(f), radius=FOCUS_RADIUS)
    if len(ents) > limit:
        scope["of"] = len(ents)
        ents = _summary(ents, cls_of, roots, degree, limit)
    return ents, (scope or None)


# --------------------------------------------------------------------------
# graph -> data
# --------------------------------------------------------------------------

def graph_data(graph, region: str | None = None, focus: str | None = None, limit: int | None = None) -> dict:
    """Everything the page needs, as plain JSON-able data (deterministic).

    ``region`` / ``focus`` choose a part (NotFound if the name is not in the
    graph); ``limit`` (default ``MAX_NODES``) caps the entities shown.
    """
    values = _Lookup(graph)
    labels, alts = values(RDFS.label), values(SKOS.altLabel)
    limit = MAX_NODES if limit is None else max(1, limit)

    cls_index = {str(POL[c]): ci for ci, c in enumerate(CLASSES)}
    cls_of: dict = {}
    n_articles = 0
    article = str(POL.Article)
    for s, types in values(RDF.type).items():
        if isinstance(s, (BNode, Literal)):
            continue
        found = [cls_index[t] for t in map(str, types) if t in cls_index]
        if found:
            cls_of[s] = min(found)
        if any(str(t) == article for t in types):
            n_articles += 1
    label_of = {s: (_pick(labels.get(s, ())) or str(s)) for s in cls_of}

    pairs = {rel: sorted({(s, o) for s, os_ in values(POL[rel]).items() if s in cls_of
                          for o in os_ if o in cls_of}) for rel in EDGE_KINDS}
    regions_of = _regions_of(cls_of, pairs)
    keep, scope = _select(cls_of, label_of, pairs, regions_of, values, region, focus, limit)

    order = sorted(keep, key=lambda s: (cls_of[s], label_of[s], str(s)))
    nid = {s: i for i, s in enumerate(order)}

    # ---- articles (those the page refers to; the count is every article in the graph)
    mentioned, derived = values(POL.mentionedIn), values(PROV.wasDerivedFrom)
    art_set = {a for s in order for a in mentioned.get(s, ())}
    ev_subjects = [e for e, ss in values(RDF.subject).items() if any(x in nid for x in ss)]
    art_set.update(a for e in ev_subjects for a in derived.get(e, ()))
    titles, dates, sources = values(DCTERMS.title), values(DCTERMS.date), values(DCTERMS.source)

    def art_key(a):
        return (_pick(dates.get(a, ())) or "", _pick(titles.get(a, ())) or _pick(labels.get(a, ())) or "", str(a))

    art_order = sorted(art_set, key=art_key)
    aid = {a: i for i, a in enumerate(art_order)}
    articles = [[_pick(titles.get(a, ())) or _pick(labels.get(a, ())) or str(a),
                 _pick(dates.get(a, ())) or "", _pick(sources.get(a, ())) or "", str(a)] for a in art_order]

    evidence: list = []
    edge_evidence = _evidence_index(values, ev_subjects, aid, articles, evidence)

    edges = []
    for ri, rel in enumerate(EDGE_KINDS):
        p = POL[rel]
        for a, b, s, o in sorted((nid[s], nid[o], s, o) for s, o in pairs[rel] if s in nid and o in nid):
            ev, total = edge_evidence(s, p, o) if rel in RELATIONS else ([], 0)
            edge = [a, b, ri, ev]
            if total > len(ev):
                edge.append(total)   # how many sentences support it in all; the page shows the first few
            edges.append(edge)

    codes, units, quals = values(POL.divisionCode), values(POL.unit), values(POL.qualifier)
    vals, surf, ind = values(POL.value), values(POL.surfaceText), values(POL.indicator)
    nodes = []
    for s in order:
        n: dict = {"c": cls_of[s], "l": label_of[s], "i": str(s)}
        a = sorted({str(x) for x in alts.get(s, ())} - {label_of[s]})
        if a:
            n["a"] = a
        rs = sorted(nid[r] for r in regions_of.get(s, ()) if r in nid)
        if rs:
            n["r"] = rs
        m = sorted({aid[x] for x in mentioned.get(s, ()) if x in aid})
        if m:
            n["m"] = m
        props = {}
        cls = CLASSES[cls_of[s]]
        if cls == "Region" and codes.get(s):
            props["code"] = _pick(codes[s])
            short = _short_name(props["code"], label_of[s])
            if short:
                n["s"] = short
        elif cls == "Metric":
            for key, d in (("value", vals), ("unit", units), ("surface", surf), ("indicator", ind)):
                if d.get(s):
                    props[key] = _pick(d[s])
            if quals.get(s):
                props["qualifier"] = _local(_pick(quals[s]))
        if props:
            n["p"] = props
        nodes.append(n)

    data = {"v": FORMAT_VERSION, "classes": list(CLASSES), "rels": list(EDGE_KINDS),
            "evidenced": len(RELATIONS), "nodes": nodes, "edges": edges, "ev": evidence,
            "art": articles, "articles": n_articles, "total": len(cls_of)}
    if scope:
        data["scope"] = scope
    placed = _layout.layout(nodes, edges, EDGE_KINDS)
    for n, (x, y), k in zip(nodes, placed.positions, placed.rank):
        n["x"], n["y"], n["k"] = x, y, k
    data["clusters"] = placed.clusters
    return data


def _short_name(code: str, label: str) -> str | None:
    """The press's shortest name of a region (新疆维吾尔自治区 -> 新疆), for labels where room is short."""
    rec = load_regions().by_code(code)
    forms = sorted((f for f in (rec.short if rec else ()) if 2 <= len(f) < len(label)), key=lambda f: (len(f), f))
    return forms[0] if forms else None


def _regions_of(cls_of: dict, pairs: dict) -> dict:
    """entity -> the regions it belongs to (for the region filter and the clusters)."""
    regions_of: dict = defaultdict(set)
    for s, c in cls_of.items():
        if c == 0:
            regions_of[s].add(s)
    for a, r in pairs["jurisdiction"]:
        regions_of[a].add(r)
    for a, d in pairs["issues"]:              # documents via their agencies
        regions_of[d].update(regions_of.get(a, ()))
    for r, m in pairs["adopts"]:
        regions_of[m].add(r)
    for t, r in pairs["forRegion"]:
        regions_of[t].add(r)
    for m, t in pairs["hasMetric"]:
        regions_of[t].update(regions_of.get(m, ()))
    return regions_of


def _evidence_index(values, ev_subjects, aid, articles, evidence):
    """A function (s, p, o) -> (indices into `evidence` of its first sentences, how many in all)."""
    subj, pred, obj = values(RDF.subject), values(RDF.predicate), values(RDF.object)
    sent, cst, sst, sen, rule = (values(POL.sentence), values(POL.charStart), values(POL.spanStart),
                                 values(POL.spanEnd), values(POL.extractedBy))
    derived = values(PROV.wasDerivedFrom)
    by_triple: dict = defaultdict(list)
    for e in ev_subjects:
        for s in subj.get(e, ()):
            for p in pred.get(e, ()):
                for o in obj.get(e, ()):
                    by_triple[(str(s), str(p), str(o))].append(e)   # rdflib terms and plain str alike

    def one(d, e):
        v = d.get(e)
        return v[0] if v else None

    def evidence_for(s, p, o):
        recs = []
        for e in by_triple.get((str(s), str(p), str(o)), ()):
            arts = sorted(derived.get(e, ()), key=lambda a: aid.get(a, -1))
            a = aid.get(arts[0], -1) if arts else -1
            sentence = _text(one(sent, e))
            pre, hit, post = _highlight(sentence, one(cst, e), one(sst, e), one(sen, e))
            start = _int(one(cst, e))
            recs.append(((articles[a][1] if a >= 0 else "", a, -1 if start is None else start, sentence, str(e)),
                         [a, pre, hit, post, _text(one(rule, e))]))
        out = []
        for _, rec in sorted(recs, key=lambda r: r[0])[:EVIDENCE_PER_EDGE]:
            out.append(len(evidence))
            evidence.append(rec)
        return out, len(recs)

    return evidence_for
