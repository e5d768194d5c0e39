"""N-Triples, N-Quads, TriG and JSON-LD, all byte-stable and written atomically.

Named graphs (TriG, N-Quads, `kg push`): one graph per article, whose IRI
is the article's IRI, so a user can drop or replace one article's facts.
An article's graph is self-contained:

* the article's own description (title, date, creator, source);
* every pol:Evidence derived from it (prov:wasDerivedFrom) with all its
  triples, and the relation triple (adopts / issues / hasMetric) that the
  evidence supports -- a relation seen in several articles is in each of
  their graphs;
* the description of every entity the article touches (mentions, or uses
  as subject or object of one of its relations), closed over the entities
  those descriptions point to (pol:partOf, pol:jurisdiction,
  pol:forRegion): type, label, altLabels, codes, metric values...  An
  entity named in several articles is described in each of their graphs;
* `?entity pol:mentionedIn <article>` for that article only.

Whatever belongs to no article (normally nothing) goes to the default
graph, so the union of all graphs is exactly the Turtle graph.  Query the
union (Oxigraph `--union-default-graph`, Fuseki `tdb2:unionDefaultGraph`,
Virtuoso's default behaviour): triples repeated across graphs then appear
once per graph in a non-DISTINCT pattern, which is why the competency
queries use DISTINCT.

JSON-LD: one document, `@context` = ontology/context.jsonld (inlined, so
the file stands alone), `@graph` = the nodes sorted by IRI.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..vocab import POL, PROV, ontology_path
from .turtle import TurtleWriter, atomic_write, iri_text, literal_text, serialize

EXPORT_FORMATS = ("ttl", "nt", "nquads", "trig", "jsonld")
SUFFIXES = {"ttl": ".ttl", "nt": ".nt", "nquads": ".nq", "trig": ".trig", "jsonld": ".jsonld"}
RELATIONS = (POL.adopts, POL.issues, POL.hasMetric)
_LINKS = (POL.partOf, POL.jurisdiction, POL.forRegion)


# --------------------------------------------------------------------------
# N-Triples / N-Quads


def term_nt(t) -> str:
    if isinstance(t, URIRef):
        return iri_text(str(t))
    if isinstance(t, BNode):
        return f"_:b{t}"
    if isinstance(t, Literal):
        body = literal_text(str(t))
        if t.language:
            return f"{body}@{t.language}"
        if t.datatype and t.datatype != XSD.string:
            return f"{body}^^{iri_text(str(t.datatype))}"
        return body
    raise TypeError(f"not an RDF term: {t!r}")


def nt_line(s, p, o) -> str:
    return f"{term_nt(s)} {term_nt(p)} {term_nt(o)} .\n"


def ntriples(triples: Iterable[tuple]) -> str:
    return "".join(sorted(nt_line(s, p, o) for s, p, o in triples))


def nquads(parts: dict) -> str:
    lines = []
    for g, triples in parts.items():
        gl = "" if g is None else " " + iri_text(str(g))
        lines.extend(f"{term_nt(s)} {term_nt(p)} {term_nt(o)}{gl} .\n" for s, p, o in triples)
    return "".join(sorted(lines))


# --------------------------------------------------------------------------
# one graph per article


def partition(graph: Graph) -> dict[URIRef | None, set[tuple]]:
    """{article IRI: its triples, None: triples of no article} -- see the module doc."""
    articles = set(graph.subjects(RDF.type, POL.Article))
    by_subject: dict = defaultdict(list)
    for s, p, o in graph:
        by_subject[s].append((p, o))
    parts: dict = {a: set() for a in articles}
    placed: set[tuple] = set()

    def put(a, t):
        parts[a].add(t)
        placed.add(t)

    touched: dict = {a: set() for a in articles}
    for a in articles:
        for p, o in by_subject[a]:
            put(a, (a, p, o))
    for ev in set(graph.subjects(RDF.type, POL.Evidence)):
        props = by_subject[ev]
        srcs = [o for p, o in props if p == PROV.wasDerivedFrom and o in parts]
        s = next((o for p, o in props if p == RDF.subject), None)
        pr = next((o for p, o in props if p == RDF.predicate), None)
        ob = next((o for p, o in props if p == RDF.object), None)
        for a in srcs:
            for p, o in props:
                put(a, (ev, p, o))
            if s is not None and pr is not None and ob is not None and (s, pr, ob) in graph:
                put(a, (s, pr, ob))
                touched[a].update((s, ob))
    for e, a in graph.subject_objects(POL.mentionedIn):
        if a in parts:
            put(a, (e, POL.mentionedIn, a))
            touched[a].add(e)
    for a in articles:
        todo = list(touched[a])
        seen = set(todo)
        while todo:
            e = todo.pop()
            for p, o in by_subject.get(e, ()):
                if p in RELATIONS or p == POL.mentionedIn:
                    continue
                put(a, (e, p, o))
                if p in _LINKS and isinstance(o, URIRef) and o not in seen:
                    seen.add(o)
                    todo.append(o)
    parts[None] = {t for t in graph if t not in placed}
    return parts


def _blocks(writer: TurtleWriter, triples: Iterable[tuple]) -> list[str]:
    """TurtleWriter's subject blocks without its prefix lines."""
    out = list(writer.lines(triples))
    return out[len(writer.prefixes) + 1:]


def turtle_of(triples: Iterable[tuple], prefixes: Iterable[tuple[str, str]]) -> str:
    return "".join(TurtleWriter(prefixes).lines(triples))


def trig(parts: dict, prefixes: Iterable[tuple[str, str]]) -> str:
    w = TurtleWriter(prefixes)
    out = [f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(w.prefixes)]
    out.append("\n")
    if parts.get(None):
        out.append("{\n")
        out.extend(_blocks(w, parts[None]))
        out.append("}\n\n")
    for g in sorted((g for g in parts if g is not None), key=str):
        if not parts[g]:
            continue
        out.append(f"{iri_text(str(g))} {{\n")
        out.extend(_blocks(w, parts[g]))
        out.append("}\n\n")
    return "".join(out)


# --------------------------------------------------------------------------
# JSON-LD


def context_path() -> Path:
    return ontology_path() / "context.jsonld"


def load_context() -> dict:
    return json.loads(context_path().read_text(encoding="utf-8"))["@context"]


class _JsonLd:
    """Compacts triples with the project context, deterministically."""

    def __init__(self, ctx: dict):
        self.ctx = ctx
        self.prefixes = {k: v for k, v in ctx.items()
                         if isinstance(v, str) and not k.startswith("@") and v[-1:] in "/#"}
        self.default_lang = ctx.get("@language")
        self.terms: dict[str, tuple[str, dict]] = {}
        for k, v in ctx.items():
            if k.startswith("@") or k in self.prefixes:
                continue
            d = {"@id": v} if isinstance(v, str) else dict(v)
            iri = self.expand(d["@id"])
            d["@id"] = iri
            if "@type" in d and d["@type"] not in ("@id", "@vocab"):
                d["@type"] = self.expand(d["@type"])
            # prefer the first term for an IRI (classes and properties are unique in the context)
            self.terms.setdefault(iri, (k, d))

    def expand(self, v: str) -> str:
        p, colon, local = v.partition(":")
        if colon and p in self.prefixes and not local.startswith("//"):
            return self.prefixes[p] + local
        return v

    def iri(self, iri: str) -> str:
        """Compact IRI for @id values: longest matching prefix, else the full IRI."""
        best = None
        for p, ns in self.prefixes.items():
            if iri.startswith(ns) and len(iri) > len(ns) and (best is None or len(ns) > len(best[1])):
                best = (p, ns)
        return f"{best[0]}:{iri[len(best[1]):]}" if best else iri

    def type_name(self, iri: str) -> str:
        t = self.terms.get(iri)
        if t and not any(k in t[1] for k in ("@type", "@language", "@container")):
            return t[0]
        return self.iri(iri)

    def value(self, p: URIRef, o) -> tuple[str, object]:
        """(key, JSON value) for one object of predicate `p`."""
        term = self.terms.get(str(p))
        if term:
            name, d = term
            coerce = d.get("@type")
            if isinstance(o, URIRef) and coerce == "@id":
                return name, self.iri(str(o))
            if isinstance(o, Literal) and coerce is None and "@language" in d and d["@language"] is None:
                if not o.language and (o.datatype is None or o.datatype == XSD.string):
                    return name, str(o)
            elif isinstance(o, Literal) and coerce not in (None, "@id", "@vocab"):
                if not o.language and o.datatype is not None and str(o.datatype) == coerce:
                    return name, str(o)
            elif isinstance(o, Literal) and coerce is None and "@language" not in d:
                if o.language and o.language == self.default_lang:
                    return name, str(o)
        key = self.iri(str(p))
        if isinstance(o, URIRef):
            return key, {"@id": self.iri(str(o))}
        if isinstance(o, BNode):
            return key, {"@id": f"_:b{o}"}
        v: dict = {"@value": str(o)}
        if o.language:
            v["@language"] = o.language
        elif o.datatype is not None and o.datatype != XSD.string:
            v["@type"] = self.iri(str(o.datatype))
        return key, v

    def node(self, s, props: list[tuple]) -> dict:
        n: dict = {"@id": self.iri(str(s)) if isinstance(s, URIRef) else f"_:b{s}"}
        types = sorted(self.type_name(str(o)) for p, o in props if p == RDF.type and isinstance(o, URIRef))
        if types:
            n["@type"] = types[0] if len(types) == 1 else types
        vals: dict = defaultdict(list)
        for p, o in props:
            if p == RDF.type and isinstance(o, URIRef):
                continue
            k, v = self.value(p, o)
            vals[k].append(v)
        for k in sorted(vals):
            vs = sorted(vals[k], key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
            d = self.ctx.get(k)
            as_set = isinstance(d, dict) and d.get("@container") == "@set"
            n[k] = vs if (len(vs) > 1 or as_set) else vs[0]
        return n


def jsonld(graph: Graph | Iterable[tuple]) -> str:
    ctx = load_context()
    enc = _JsonLd(ctx)
    by_subject: dict = defaultdict(list)
    for s, p, o in graph:
        by_subject[s].append((p, o))
    nodes = [enc.node(s, by_subject[s]) for s in sorted(by_subject, key=str)]
    doc = {"@context": ctx, "@graph": nodes}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------
# entry point


def load_graph(path: str | Path) -> Graph:
    """The Turtle at `path` as an rdflib Graph, parsed strictly (pyoxigraph) and
    with every literal's lexical form kept as written (no rdflib normalisation)."""
    import pyoxigraph as ox

    from ..query import from_ox
    g = Graph(bind_namespaces="none")
    parser = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    g.addN((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), g) for q in parser)
    for prefix, ns in sorted(parser.prefixes.items()):
        if prefix:
            g.bind(prefix, ns, override=True, replace=True)
    return g


def render(graph: Graph, fmt: str) -> str:
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r} (formats: {', '.join(EXPORT_FORMATS)})")
    prefixes = [(p, str(ns)) for p, ns in graph.namespaces() if p]
    if fmt == "ttl":
        return serialize(graph)
    if fmt == "nt":
        return ntriples(graph)
    if fmt == "jsonld":
        return jsonld(graph)
    parts = partition(graph)
    return trig(parts, prefixes) if fmt == "trig" else nquads(parts)


def export(graph_path: str | Path, fmt: str, out: str | Path | None = None) -> str | None:
    """Render the Turtle graph at `graph_path` as `fmt`; write it atomically to `out` or return it."""
    text = render(load_graph(graph_path), fmt)
    if out is None:
        return text
    atomic_write(Path(out), text)
    return None
