"""Query parameters resolve aliases as the build does: `region=上海` means 上海市.

A `label` parameter (kg/query.py) is compared with the graph's literals
exactly, so a short form the build resolved (上海, 沪, 发改委, 市教委, a
measure's variant wording) would match nothing.  Before a query runs, each
label value is made canonical, in this order:

1. a literal of the graph as it is (a label, a title, an indicator; not an
   altLabel): kept;
2. a `skos:altLabel` of exactly one entity: that entity's `rdfs:label`
   (several entities: the value is ambiguous, and the error lists them);
3. a region's short form or abbreviation, or a central agency's short form
   in the gazetteers (the tables the build resolves with): the canonical
   name, if the graph holds it;
4. otherwise kept as given (the query then finds nothing, honestly).

`ask(text, bindings) -> Result` runs a query on the engine in use, so the
lookup sees the same graph as the query.
"""
from __future__ import annotations

from typing import Callable

from rdflib import Literal

_PRESENT = "ASK { ?n ?p ?v FILTER (?p != <http://www.w3.org/2004/02/skos/core#altLabel>) }"
_ALT = """SELECT DISTINCT ?label ?v WHERE {
  ?n <http://www.w3.org/2004/02/skos/core#altLabel> ?v ;
     <http://www.w3.org/2000/01/rdf-schema#label> ?label .
} ORDER BY ?label"""


class AmbiguousAlias(ValueError):
    def __init__(self, name: str, value: str, labels: list[str]):
        self.name, self.value, self.labels = name, value, labels
        super().__init__(f"parameter {name}={value} is an alias of {len(labels)} entities "
                         f"({', '.join(labels[:8])}{' …' if len(labels) > 8 else ''}); give the full label")


def gazetteer_names(value: str) -> list[str]:
    """The canonical names the gazetteers give a short form (empty if none, or the value itself)."""
    from .gazetteer.agencies import load_agencies
    from .gazetteer.regions import load_regions

    out = []
    rec = load_regions().resolve(value)
    if rec is not None and rec.name != value:
        out.append(rec.name)
    ag = load_agencies().lookup(value)
    if ag is not None and ag.name != value:
        out.append(ag.name)
    return out


def canonical(name: str, term: Literal, ask: Callable) -> tuple[Literal, str | None]:
    """The literal to bind for a label parameter, and a note saying what was resolved (or None)."""
    value = str(term)

    def present(t: Literal) -> bool:
        return bool(ask(_PRESENT, {"v": t}).boolean)

    if present(term):
        return term, None
    labels = [str(r[0]) for r in ask(_ALT, {"v": term}).rows]
    if len(labels) > 1:
        raise AmbiguousAlias(name, value, labels)
    if labels:
        return Literal(labels[0], lang=term.language), f"{name}={value} is an alias of {labels[0]}"
    for full in gazetteer_names(value):
        t = Literal(full, lang=term.language)
        if present(t):
            return t, f"{name}={value} is a short form of {full}"
    return term, None


def resolve_params(params: dict, kinds: dict[str, str], ask: Callable) -> tuple[dict, list[str]]:
    """`params` (name -> rdflib term) with every `label` value made canonical, and the notes."""
    out, notes = dict(params), []
    for name, term in params.items():
        if kinds.get(name) == "label" and isinstance(term, Literal):
            out[name], note = canonical(name, term, ask)
            if note:
                notes.append(note)
    return out, notes
