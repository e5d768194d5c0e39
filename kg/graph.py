"""Extractions -> one RDF graph; the only code that makes entity terms.

Merging is order-independent: an entity's label is chosen by a total order
over what was seen (most frequent, then shortest, then code-point order),
so building the same articles in any order, in any number of processes,
gives the same graph.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from .gazetteer.regions import load_regions
from .ids import article_iri, entity_iri, evidence_iri
from .model import Article, Entity, Extraction
from .numbers import decimal_str
from .resolve import region_entity
from .vocab import DCTERMS, POL, PROV

PREDICATES = {"adopts": POL.adopts, "issues": POL.issues, "hasMetric": POL.hasMetric}


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


class _Merger:
    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self.labels: dict[str, Counter] = defaultdict(Counter)
        self.mentioned: dict[str, set[str]] = defaultdict(set)
        self.triples: set[tuple] = set()

    def entity(self, e: Entity, surface: str | None = None) -> URIRef:
        iri = entity_iri(e.kind, e.key, e.label)
        if iri not in self.entities:
            self.entities[iri] = e
        self.labels[iri][e.label] += 1
        if surface and surface != e.label:
            self.labels[iri][surface] += 0   # seen, but never preferred over real labels
        return URIRef(iri)


def _best_label(counts: Counter) -> str:
    return min(counts, key=lambda s: (-counts[s], len(s), s))


def build_graph(extractions: Iterable[Extraction]) -> Graph:
    m = _Merger()
    articles: dict[str, Article] = {}
    facts = []
    for ex in extractions:
        articles[ex.article.name] = ex.article
        for men in ex.mentions:
            iri = m.entity(men.entity, men.surface)
            m.mentioned[str(iri)].add(men.article)
        for f in ex.facts:
            facts.append((m.entity(f.subject), f, m.entity(f.object)))

    t = m.triples
    for s_iri, f, o_iri in facts:
        p = PREDICATES[f.predicate]
        t.add((s_iri, p, o_iri))
        ev = f.evidence
        e = URIRef(evidence_iri(s_iri, p, o_iri, ev.article, ev.char_start, ev.char_end, ev.rule))
        a = URIRef(article_iri(ev.article))
        t.update({
            (e, RDF.type, POL.Evidence), (e, RDF.subject, s_iri), (e, RDF.predicate, p), (e, RDF.object, o_iri),
            (e, PROV.wasDerivedFrom, a), (e, POL.sentence, zh(ev.sentence)),
            (e, POL.charStart, Literal(ev.char_start)), (e, POL.charEnd, Literal(ev.char_end)),
            (e, POL.spanStart, Literal(ev.span_start)), (e, POL.spanEnd, Literal(ev.span_end)),
            (e, POL.extractedBy, Literal(ev.rule)),
        })

    _add_region_closure(m)
    for iri, e in list(m.entities.items()):
        _entity_triples(m, URIRef(iri), e)
    for iri, names in m.mentioned.items():
        for name in names:
            t.add((URIRef(iri), POL.mentionedIn, URIRef(article_iri(name))))
    for art in articles.values():
        _article_triples(t, art)

    g = Graph(bind_namespaces="none")
    g.bind("pol", POL)
    g.bind("res", "https://w3id.org/policy-kg/id/")
    for prefix, ns in (("rdf", RDF), ("rdfs", RDFS), ("skos", SKOS), ("xsd", XSD), ("prov", PROV), ("dcterms", DCTERMS)):
        g.bind(prefix, ns)
    g.addN((s, p, o, g) for s, p, o in t)
    return g


def _add_region_closure(m: _Merger) -> None:
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


def _region_iri(code: str) -> URIRef:
    rec = load_regions().by_code(code)
    return URIRef(entity_iri("Region", code, rec.name if rec else code))


def _entity_triples(m: _Merger, s: URIRef, e: Entity) -> None:
    t = m.triples
    counts = m.labels[str(s)]
    label = _best_label(+counts) if +counts else e.label
    t.add((s, RDF.type, POL[e.kind]))
    t.add((s, RDFS.label, zh(label)))
    for alt in counts:
        if alt != label:
            t.add((s, SKOS.altLabel, zh(alt)))
    if e.kind == "Region":
        if e.prop("divisionCode"):
            t.add((s, POL.divisionCode, Literal(e.prop("divisionCode"))))
        if e.prop("partOf"):
            t.add((s, POL.partOf, _region_iri(e.prop("partOf"))))
    elif e.kind == "Agency" and e.prop("jurisdiction"):
        t.add((s, POL.jurisdiction, _region_iri(e.prop("jurisdiction"))))
    elif e.kind == "Metric":
        value: Decimal = e.prop("value")
        t.add((s, POL.value, Literal(decimal_str(value), datatype=XSD.decimal)))
        t.add((s, POL.unit, Literal(e.prop("unit"))))
        t.add((s, POL.qualifier, POL[e.prop("qualifier")]))
        t.add((s, POL.surfaceText, zh(e.prop("surfaceText"))))
        if e.prop("indicator"):
            t.add((s, POL.indicator, zh(e.prop("indicator"))))
        if e.prop("forRegion"):
            t.add((s, POL.forRegion, _region_iri(e.prop("forRegion"))))


def _article_triples(t: set, art: Article) -> None:
    a = URIRef(article_iri(art.name))
    t.add((a, RDF.type, POL.Article))
    t.add((a, DCTERMS.title, zh(art.title or art.name)))
    t.add((a, RDFS.label, zh(art.title or art.name)))
    if art.date:
        t.add((a, DCTERMS.date, Literal(art.date, datatype=XSD.dateTime)))
    if art.author:
        t.add((a, DCTERMS.creator, Literal(art.author)))
    t.add((a, DCTERMS.source, Literal(art.source)))
