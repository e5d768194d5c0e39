"""A deterministic synthetic graph shaped like a real build, for benchmarks, tests and screenshots."""
from __future__ import annotations

import random
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from ..vocab import DCTERMS, POL, PROV



def synthetic_graph(n_nodes: int = 20000, seed: int = 0) -> Graph:
    """A deterministic graph of about ``n_nodes`` entities shaped like a real build.

    About 2% regions (provinces and their districts), 10% agencies, 20%
    documents, 30% measures and 38% metrics; every relation has one or two
    pol:Evidence sentences from a pool of articles.  (About 19 triples per
    entity: building the 20k graph with rdflib takes a few seconds.)
    """
    rnd = random.Random(seed)
    base = "https://w3id.org/policy-kg/id/"
    g = Graph(store="SimpleMemory", bind_namespaces="none")   # no contexts: adds are ~3x faster
    triples: list = []
    add = triples.append
    zh = lambda s: Literal(s, lang="zh")  # noqa: E731
    n_reg = max(2, n_nodes * 2 // 100)
    n_ag, n_doc, n_mea = n_nodes // 10, n_nodes // 5, n_nodes * 3 // 10
    n_met = max(0, n_nodes - n_reg - n_ag - n_doc - n_mea)
    n_art = max(1, n_nodes // 10)
    chars = "政策措施教育培训机构服务管理监督资金补贴住房税收产业就业社会组织卫生健康贸易跨境电商综合试验区"

    def word(k: int) -> str:
        return "".join(rnd.choice(chars) for _ in range(k))

    arts = []
    for k in range(n_art):
        a = URIRef(f"{base}article/syn{k:06d}")
        arts.append(a)
        add((a, RDF.type, POL.Article))
        add((a, DCTERMS.title, zh(f"{word(6)}新闻{k}")))
        add((a, DCTERMS.date, Literal(f"2021-{1 + k % 12:02d}-{1 + k % 28:02d}T08:00:00", datatype=XSD.dateTime)))
        add((a, DCTERMS.source, Literal(f"synthetic/{k:06d}.md")))

    def entity(kind: str, k: int, label: str) -> URIRef:
        s = URIRef(f"{base}{kind.lower()}/syn{k:06d}")
        add((s, RDF.type, POL[kind]))
        add((s, RDFS.label, zh(label)))
        if k % 3 == 0:
            add((s, SKOS.altLabel, zh(label[:2] + "简称")))
        add((s, POL.mentionedIn, arts[k % n_art]))
        return s

    n_prov = max(1, n_reg // 10)
    regions = []
    for k in range(n_reg):
        prov = k % n_prov
        code = f"{11 + prov:02d}0000" if k < n_prov else f"{11 + prov:02d}{k // n_prov:02d}{k % 100:02d}"
        r = entity("Region", k, f"{word(2)}省{k}" if k < n_prov else f"{word(2)}区{k}")
        add((r, POL.divisionCode, Literal(code)))
        if k >= n_prov:
            add((r, POL.partOf, regions[prov]))
        regions.append(r)
    agencies = []
    for k in range(n_ag):
        a = entity("Agency", k, f"{word(3)}局{k}")
        add((a, POL.jurisdiction, regions[rnd.randrange(n_reg)]))
        agencies.append(a)
    measures = [entity("Measure", k, f"“{word(4)}”{k}") for k in range(n_mea)]

    rule = Literal("synthetic")
    offsets = [Literal(x) for x in range(40)]

    def relation(s, p, o, k):
        add((s, p, o))
        for j in range(1 + (k % 10 == 0)):
            e = URIRef(f"{base}evidence/syn{p.split('#')[-1]}{k:06d}-{j}")
            sentence = f"{word(8)}，{word(10)}，{word(6)}。"
            add((e, RDF.type, POL.Evidence))
            add((e, RDF.subject, s))
            add((e, RDF.predicate, p))
            add((e, RDF.object, o))
            add((e, PROV.wasDerivedFrom, arts[(k + j) % n_art]))
            add((e, POL.sentence, zh(sentence)))
            add((e, POL.charStart, offsets[j]))
            add((e, POL.charEnd, offsets[j + len(sentence)]))
            add((e, POL.spanStart, offsets[j + 2]))
            add((e, POL.spanEnd, offsets[j + 6]))
            add((e, POL.extractedBy, rule))

    for k in range(n_doc):
        d = entity("Document", k, f"《{word(6)}办法》{k}")
        relation(agencies[rnd.randrange(n_ag)], POL.issues, d, k)
    for k, m in enumerate(measures):
        relation(regions[rnd.randrange(n_reg)], POL.adopts, m, k)
    quals = ("Exact", "AtLeast", "MoreThan", "AtMost", "LessThan", "Approximately")
    for k in range(n_met):
        t = entity("Metric", k, f"{word(4)} {k}%")
        add((t, POL.value, Literal(str(Decimal(k) / 100), datatype=XSD.decimal)))
        add((t, POL.unit, Literal("%")))
        add((t, POL.qualifier, POL[quals[k % 6]]))
        add((t, POL.surfaceText, zh(f"{k / 100}%")))
        add((t, POL.indicator, zh(word(5))))
        add((t, POL.forRegion, regions[rnd.randrange(n_reg)]))
        relation(measures[rnd.randrange(n_mea)], POL.hasMetric, t, k)
    g.addN((s, p, o, g) for s, p, o in triples)
    return g
