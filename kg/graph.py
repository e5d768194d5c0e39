"""Extractions -> one RDF graph; the only code that makes entity terms.

Merging is order-independent: an entity's label is chosen by a total order
over what was seen (most frequent, then shortest, then code-point order),
so building the same articles in any order, in any number of processes,
gives the same graph.

The graph is assembled in plain Python (`GraphBuilder` -> `Triples`): IRIs
are `str`, literals are `(lexical, language, datatype)` tuples, and an
rdflib `Graph` is only made when a caller asks for one (`Triples.to_rdflib`,
`build_graph`).  Extractions are merged one at a time as they arrive, so a
build never holds all articles; the evidence nodes (four fifths of the
triples, one sentence each) spill to sorted bucket files on disk beyond
`spill_at` of them (or 32 M characters of rendered Turtle), so memory stays
flat at any corpus size.  Without the viewer the workers render the
evidence blocks themselves (`render_evidence`): the parent keeps their text
and merges only the entities.
"""
from __future__ import annotations

import heapq
from array import array
import marshal
import os
import shutil
import tempfile
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from .gazetteer.regions import load_regions
from .ids import article_iri, entity_iri, evidence_iri
from .model import Entity, Extraction
from .numbers import decimal_str
from .resolve import region_entity
from .vocab import DCTERMS, POL, PROV, RES

PREDICATES = {"adopts": str(POL.adopts), "issues": str(POL.issues), "hasMetric": str(POL.hasMetric)}

# plain IRIs of everything the graph uses
_TYPE = str(RDF.type)
_LABEL, _ALT = str(RDFS.label), str(SKOS.altLabel)
_EVIDENCE = str(POL.Evidence)
_R_SUBJ, _R_PRED, _R_OBJ = str(RDF.subject), str(RDF.predicate), str(RDF.object)
_DERIVED = str(PROV.wasDerivedFrom)
_SENTENCE, _EXTRACTED_BY = str(POL.sentence), str(POL.extractedBy)
_CS, _CE, _SS, _SE = str(POL.charStart), str(POL.charEnd), str(POL.spanStart), str(POL.spanEnd)
_MENTIONED_IN = str(POL.mentionedIn)
_POL = str(POL)
_INTEGER = str(XSD.integer)
_ARTICLE = str(POL.Article)
_TITLE, _DATE, _CREATOR, _SOURCE = str(DCTERMS.title), str(DCTERMS.date), str(DCTERMS.creator), str(DCTERMS.source)
_EVIDENCE_PREFIX = evidence_iri("x")[:-20]          # ".../id/evidence/"

NAMESPACES = (("pol", str(POL)), ("res", str(RES)), ("rdf", str(RDF)),
              ("rdfs", str(RDFS)), ("skos", str(SKOS)), ("xsd", str(XSD)), ("prov", str(PROV)),
              ("dcterms", str(DCTERMS)))


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def new_graph() -> Graph:
    """An empty rdflib Graph with the project's prefixes bound."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in NAMESPACES:
        g.bind(prefix, ns)
    return g


@lru_cache(maxsize=None)
def prefixes() -> tuple[tuple[str, str], ...]:
    """The prefixes of a built graph, exactly as rdflib reports them."""
    return tuple((p, str(ns)) for p, ns in new_graph().namespaces() if p)


@lru_cache(maxsize=65536)
def _typed(value, datatype: str | None) -> tuple:
    """(lexical, language, datatype) of Literal(value, datatype=…), rdflib's normalisation included."""
    lit = Literal(value, datatype=URIRef(datatype) if datatype else None)
    return (str(lit), lit.language, str(lit.datatype) if lit.datatype else None)


def _zh(text: str) -> tuple:
    return (text, "zh", None)


def _plain(value) -> tuple:
    return (value, None, None) if isinstance(value, str) else _typed(value, None)


def _int(n: int) -> tuple:
    return (str(n), None, _INTEGER) if type(n) is int else _typed(n, None)


_article_iri = lru_cache(maxsize=1 << 18)(article_iri)


class _EvidenceStore:
    """Evidence nodes: iri -> [(predicate, object)…]; spills to bucket files."""

    SPILL_CHARS = 32 << 20     # rendered blocks: spill beyond this many characters of Turtle

    def __init__(self, spill_at: int, spill_dir: str | os.PathLike | None) -> None:
        self.nodes: dict[str, list] = {}
        self.chars = 0
        self.spill_at = spill_at
        self.spill_dir = spill_dir
        self.tmp: Path | None = None
        self.buckets: set[str] = set()

    def add(self, iri: str, pairs: list | tuple) -> None:
        """pairs: [(predicate, object)…], or a rendered block (text, n)."""
        old = self.nodes.get(iri)
        if old is None:
            self.nodes[iri] = pairs
            if type(pairs) is tuple:
                self.chars += len(pairs[0])
            if len(self.nodes) >= self.spill_at or self.chars >= self.SPILL_CHARS:
                self.spill()
        elif type(old) is tuple or type(pairs) is tuple:
            raise ValueError(f"evidence node rendered twice: {iri}")
        else:
            old.extend(pairs)

    def spill(self) -> None:
        if not self.nodes:
            return
        if self.tmp is None:
            if self.spill_dir is not None:
                Path(self.spill_dir).mkdir(parents=True, exist_ok=True)
            self.tmp = Path(tempfile.mkdtemp(prefix=".kg-evidence-", dir=self.spill_dir))
        cut = len(_EVIDENCE_PREFIX) + 2       # bucket = the IRI's first 2 hex digits: buckets sort like IRIs
        by_bucket: dict[str, list] = defaultdict(list)
        for iri, pairs in self.nodes.items():
            by_bucket[iri[:cut]].append((iri, pairs))
        for key, items in by_bucket.items():
            name = key[len(_EVIDENCE_PREFIX):] if key.startswith(_EVIDENCE_PREFIX) else key.encode().hex()
            with open(self.tmp / name, "ab") as f:
                marshal.dump(items, f)
            self.buckets.add(key)
        self.nodes = {}
        self.chars = 0

    def sorted_nodes(self) -> Iterator[tuple[str, list]]:
        if self.tmp is None:
            for iri in sorted(self.nodes):
                yield iri, self.nodes[iri]
            return
        self.spill()
        for key in sorted(self.buckets):
            name = key[len(_EVIDENCE_PREFIX):] if key.startswith(_EVIDENCE_PREFIX) else key.encode().hex()
            merged: dict[str, list] = {}
            with open(self.tmp / name, "rb") as f:
                while True:
                    try:
                        items = marshal.load(f)
                    except EOFError:
                        break
                    for iri, pairs in items:
                        if iri not in merged:
                            merged[iri] = pairs
                        elif type(pairs) is tuple or type(merged[iri]) is tuple:
                            raise ValueError(f"evidence node rendered twice: {iri}")
                        else:
                            merged[iri].extend(pairs)
            for iri in sorted(merged):
                yield iri, merged[iri]

    def close(self) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None
        self.nodes = {}


class Triples:
    """A finished graph in plain Python: subject -> predicate -> objects.

    IRIs are str, literals (lexical, language, datatype) tuples.  Iterate
    `blocks()` for (subject, {predicate: objects}) in subject order (what the
    Turtle writer needs); `to_rdflib()` makes an rdflib Graph.
    """

    def __init__(self, subjects: dict[str, dict[str, set]], evidence: _EvidenceStore, entities: int,
                 mentioned: dict[str, array] | None = None, names: list[str] | None = None) -> None:
        self._subjects = subjects
        self._evidence = evidence
        self.entities = entities
        self._mentioned = mentioned or {}     # entity -> article numbers (pol:mentionedIn, made per block)
        self._names = names or []

    def _preds_of(self, s: str) -> dict:
        preds = self._subjects[s]
        nums = self._mentioned.get(s)
        if nums:
            preds = dict(preds)
            preds[_MENTIONED_IN] = {_article_iri(self._names[i]) for i in set(nums)}
        return preds

    def blocks(self) -> Iterator[tuple[str, dict]]:
        def evidence():
            for iri, pairs in self._evidence.sorted_nodes():
                # pre-rendered (text, n) pass through: only the Turtle writer takes them
                yield iri, (pairs if type(pairs) is tuple else _preds(pairs))
        rest = ((s, self._preds_of(s)) for s in sorted(self._subjects))
        return heapq.merge(rest, evidence(), key=lambda b: b[0])

    def __iter__(self) -> Iterator[tuple]:
        """(s, p, o) in plain form."""
        for s, preds in self.blocks():
            for p, objs in preds.items():
                for o in objs:
                    yield s, p, o

    def __len__(self) -> int:
        return sum(len(objs) for _, preds in self.blocks() for objs in preds.values())

    def to_rdflib(self) -> Graph:
        g = new_graph()
        cache: dict = {}

        def term(t):
            r = cache.get(t)
            if r is None:
                if isinstance(t, str):
                    r = URIRef(t)
                else:
                    lex, lang, dt = t
                    r = Literal(lex, lang=lang, datatype=URIRef(dt) if dt else None)
                if isinstance(t, str) or len(cache) < 200_000:
                    cache[t] = r
            return r

        g.addN((term(s), term(p), term(o), g) for s, p, o in self)
        return g

    def close(self) -> None:
        self._evidence.close()


class GraphBuilder:
    """Merge extractions one at a time; `finish()` gives the `Triples`."""

    def __init__(self, *, spill_at: int = 200_000, spill_dir: str | os.PathLike | None = None) -> None:
        self.entities: dict[str, Entity] = {}
        self.labels: dict[str, Counter] = defaultdict(Counter)
        # entity -> numbers of the articles naming it (4 bytes each: the largest part of the merge)
        self.mentioned: dict[str, array] = {}
        self.article_numbers: dict[str, int] = {}
        self.article_names: list[str] = []
        self.relations: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        self.articles: dict[str, tuple] = {}
        self.evidence = _EvidenceStore(spill_at, spill_dir)
        self.count = 0

    def entity(self, e: Entity, surface: str | None = None) -> str:
        iri = entity_iri(e.kind, e.key, e.label)
        if iri not in self.entities:
            self.entities[iri] = e
        counts = self.labels[iri]
        counts[e.label] += 1
        if surface and surface != e.label:
            counts[surface] += 0   # seen, but never preferred over real labels
        return iri

    def add(self, ex: Extraction) -> None:
        """Merge one extraction (its evidence as data: what the viewer needs);
        `add_digest` merges a worker's pre-aggregated, pre-rendered article."""
        self.count += 1
        art = ex.article
        self.articles[art.name] = (art.title, art.date, art.author, art.source)
        for men in ex.mentions:
            iri = self.entity(men.entity, men.surface)
            self._mention(iri, men.article)
        for f in ex.facts:
            self.relations[self.entity(f.subject)][PREDICATES[f.predicate]].add(self.entity(f.object))
        for iri, pairs in evidence_nodes(ex):
            self.evidence.add(iri, pairs)

    def add_digest(self, d: tuple) -> None:
        """Merge one article's `digest` (made in a worker): the same as `add`
        of its extraction plus `add_rendered` of its evidence, at a fraction
        of the cost (plain tuples, entities made once per IRI)."""
        name, meta, ents, labels, mentioned, relations, blocks = d
        self.count += 1
        self.articles[name] = meta
        entities = self.entities
        for iri, kind, key, label, props in ents:
            if iri not in entities:
                entities[iri] = Entity(kind, key, label, props)
        for iri, label, n in labels:
            self.labels[iri][label] += n
        for iri, article in mentioned:
            self._mention(iri, article)
        for s, p, o in relations:
            self.relations[s][p].add(o)
        self.add_rendered(blocks)

    def _mention(self, iri: str, article: str) -> None:
        n = self.article_numbers.get(article)
        if n is None:
            n = self.article_numbers[article] = len(self.article_names)
            self.article_names.append(article)
        nums = self.mentioned.get(iri)
        if nums is None:
            self.mentioned[iri] = array("I", (n,))
        elif nums[-1] != n:
            nums.append(n)

    def add_rendered(self, blocks: Iterable[tuple[str, str, int]]) -> None:
        """Evidence blocks already in Turtle: (iri, text, number of triples)."""
        for iri, text, n in blocks:
            self.evidence.add(iri, (text, n))

    def finish(self) -> Triples:
        _add_region_closure(self)
        subjects: dict[str, dict[str, set]] = {}
        for s, preds in self.relations.items():
            subjects[s] = {p: set(objs) for p, objs in preds.items()}
        for iri, e in list(self.entities.items()):
            _entity_triples(self, subjects.setdefault(iri, {}), iri, e)
        for iri in self.mentioned:
            subjects.setdefault(iri, {})
        for name, art in self.articles.items():
            _article_triples(subjects.setdefault(_article_iri(name), {}), name, *art)
        return Triples(subjects, self.evidence, len(self.entities), self.mentioned, self.article_names)


def evidence_nodes(ex: Extraction) -> list[tuple[str, list]]:
    """The evidence nodes of one extraction, sorted: [(iri, [(predicate, object)…])].
    One Evidence per (triple, sentence, rule): the first span in the sentence marks it."""
    first: dict[str, tuple] = {}
    for f in ex.facts:
        s = entity_iri(f.subject.kind, f.subject.key, f.subject.label)
        o = entity_iri(f.object.kind, f.object.key, f.object.label)
        p = PREDICATES[f.predicate]
        ev = f.evidence
        iri = evidence_iri(s, p, o, ev.article, ev.char_start, ev.char_end, ev.rule)
        if iri not in first or (ev.span_start, ev.span_end) < first[iri][3:5]:
            first[iri] = (s, p, o, ev.span_start, ev.span_end, ev)
    return [(iri, [
        (_TYPE, _EVIDENCE), (_R_SUBJ, s), (_R_PRED, p), (_R_OBJ, o),
        (_DERIVED, _article_iri(ev.article)), (_SENTENCE, _zh(ev.sentence)),
        (_CS, _int(ev.char_start)), (_CE, _int(ev.char_end)),
        (_SS, _int(ev.span_start)), (_SE, _int(ev.span_end)),
        (_EXTRACTED_BY, _plain(ev.rule)),
    ]) for iri, (s, p, o, _, _, ev) in sorted(first.items())]


def digest(ex: Extraction) -> tuple:
    """One article, pre-aggregated in a worker for `GraphBuilder.add_digest`:
    (name, article fields, entities first seen [(iri, kind, key, label, props)],
    label counts [(iri, label, n)], mentions [(iri, article)], relations
    [(s, p, o)], rendered evidence blocks [(iri, text, n)])."""
    art = ex.article
    ents: dict[str, tuple] = {}
    labels: dict[tuple[str, str], int] = {}

    def entity(e: Entity, surface: str | None = None) -> str:
        iri = entity_iri(e.kind, e.key, e.label)
        if iri not in ents:
            ents[iri] = (iri, e.kind, e.key, e.label, e.props)
        k = (iri, e.label)
        labels[k] = labels.get(k, 0) + 1
        if surface and surface != e.label:
            labels.setdefault((iri, surface), 0)    # seen, never preferred over real labels
        return iri

    mentioned = {}
    for men in ex.mentions:
        mentioned[(entity(men.entity, men.surface), men.article)] = None
    relations = {}
    for f in ex.facts:
        relations[(entity(f.subject), PREDICATES[f.predicate], entity(f.object))] = None
    return (art.name, (art.title, art.date, art.author, art.source), list(ents.values()),
            [(iri, label, n) for (iri, label), n in labels.items()], list(mentioned), list(relations),
            render_evidence(ex))


def _preds(pairs: list) -> dict[str, set]:
    preds: dict[str, set] = {}
    for p, o in pairs:
        objs = preds.get(p)
        if objs is None:
            preds[p] = {o}
        else:
            objs.add(o)
    return preds


@lru_cache(maxsize=1)
def _block_writer():
    from .export.turtle import PlainTurtleWriter
    return PlainTurtleWriter(prefixes())


def render_evidence(ex: Extraction) -> list[tuple[str, str, int]]:
    """The Turtle of one extraction's evidence nodes (what a worker sends
    instead of the sentences): [(iri, block text, number of triples)], the
    bytes the parent's writer would make."""
    w = _block_writer()
    return [(iri, *w.block(iri, _preds(pairs))) for iri, pairs in evidence_nodes(ex)]


def assemble(extractions: Iterable[Extraction], **kw) -> Triples:
    b = GraphBuilder(**kw)
    for ex in extractions:
        b.add(ex)
    return b.finish()


def build_graph(extractions: Iterable[Extraction]) -> Graph:
    """The rdflib Graph of `extractions` (for callers that need rdflib)."""
    t = assemble(extractions)
    try:
        return t.to_rdflib()
    finally:
        t.close()


def _best_label(counts: Counter) -> str:
    return min(counts, key=lambda s: (-counts[s], len(s), s))


def _add_region_closure(m: GraphBuilder) -> None:
    """Regions referred to (parents, jurisdictions, forRegion) become nodes too."""
    gaz = load_regions()
    codes = set()
    for e in m.entities.values():
        if e.kind == "Region":
            codes.add(e.key)
        for name in ("jurisdiction", "forRegion"):
            if e.prop(name):
                codes.add(e.prop(name))
    todo = list(codes)
    while todo:
        rec = gaz.by_code(todo.pop())
        if rec is None:
            continue
        m.entity(region_entity(rec))
        if rec.parent and rec.parent not in codes:
            codes.add(rec.parent)
            todo.append(rec.parent)


def _region_iri(code: str) -> str:
    rec = load_regions().by_code(code)
    return entity_iri("Region", code, rec.name if rec else code)


def _entity_triples(m: GraphBuilder, t: dict, s: str, e: Entity) -> None:
    def add(p, o):
        objs = t.get(p)
        if objs is None:
            t[p] = {o}
        else:
            objs.add(o)

    counts = m.labels[s]
    label = _best_label(+counts) if +counts else e.label
    add(_TYPE, _POL + e.kind)
    add(_LABEL, _zh(label))
    for alt in counts:
        if alt != label:
            add(_ALT, _zh(alt))
    if e.kind == "Region":
        if e.prop("divisionCode"):
            add(str(POL.divisionCode), _plain(e.prop("divisionCode")))
        if e.prop("partOf"):
            add(str(POL.partOf), _region_iri(e.prop("partOf")))
    elif e.kind == "Agency" and e.prop("jurisdiction"):
        add(str(POL.jurisdiction), _region_iri(e.prop("jurisdiction")))
    elif e.kind == "Metric":
        add(str(POL.value), _typed(decimal_str(e.prop("value")), str(XSD.decimal)))
        add(str(POL.unit), _plain(e.prop("unit")))
        add(str(POL.qualifier), _POL + e.prop("qualifier"))
        add(str(POL.surfaceText), _zh(e.prop("surfaceText")))
        if e.prop("indicator"):
            add(str(POL.indicator), _zh(e.prop("indicator")))
        if e.prop("forRegion"):
            add(str(POL.forRegion), _region_iri(e.prop("forRegion")))


def _article_triples(t: dict, name: str, title, date, author, source) -> None:
    t.setdefault(_TYPE, set()).add(_ARTICLE)
    t.setdefault(_TITLE, set()).add(_zh(title or name))
    t.setdefault(_LABEL, set()).add(_zh(title or name))
    if date:
        t.setdefault(_DATE, set()).add(_typed(date, str(XSD.dateTime)))
    if author:
        t.setdefault(_CREATOR, set()).add(_plain(author))
    t.setdefault(_SOURCE, set()).add(_plain(source))
