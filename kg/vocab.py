"""The pol: vocabulary as a closed namespace, and the other namespaces we use.

`POL` lists exactly the terms that `ontology/policy.ttl` defines (a test
keeps the two equal), so a typo such as `POL.adoptz` raises AttributeError
where it is written instead of producing a triple nobody can query.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    DefinedNamespace,
)

POL_IRI = "https://w3id.org/policy-kg/ontology#"
ONTOLOGY_IRI = URIRef("https://w3id.org/policy-kg/ontology")
RES = Namespace("https://w3id.org/policy-kg/id/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = Namespace("https://w3id.org/policy-kg/shapes#")
# rdflib's own SDO namespace is http://schema.org/; the ontology aligns with https.
SCHEMA = Namespace("https://schema.org/")


class POL(DefinedNamespace):
    """https://w3id.org/policy-kg/ontology# -- see ontology/policy.ttl."""

    _NS = Namespace(POL_IRI)
    _fail = True

    # classes (contract)
    Region: URIRef
    Agency: URIRef
    Document: URIRef
    Measure: URIRef
    Metric: URIRef
    Article: URIRef
    Evidence: URIRef
    # class (addition): range of pol:qualifier
    Qualifier: URIRef

    # qualifier individuals (contract)
    Exact: URIRef
    AtLeast: URIRef
    MoreThan: URIRef
    AtMost: URIRef
    LessThan: URIRef
    Approximately: URIRef

    # the three relations (contract)
    adopts: URIRef
    issues: URIRef
    hasMetric: URIRef

    # other object properties (contract)
    partOf: URIRef
    jurisdiction: URIRef
    forRegion: URIRef
    qualifier: URIRef
    mentionedIn: URIRef

    # datatype properties (contract)
    divisionCode: URIRef
    indicator: URIRef
    value: URIRef
    unit: URIRef
    surfaceText: URIRef
    sentence: URIRef
    charStart: URIRef
    charEnd: URIRef

    # datatype properties (additions)
    extractedBy: URIRef
    spanStart: URIRef
    spanEnd: URIRef


#: Every term of POL, as IRIs.
POL_TERMS: frozenset[URIRef] = frozenset(
    POL._NS[name] for name in POL.__annotations__ if not name.startswith("_")
)

#: Local names of the qualifier individuals, in the order of the contract.
QUALIFIERS = ("Exact", "AtLeast", "MoreThan", "AtMost", "LessThan", "Approximately")

#: The relations that must each be backed by pol:Evidence.
RELATIONS = (POL.adopts, POL.issues, POL.hasMetric)

#: The classes whose instances the builder mints under RES.
ENTITY_CLASSES = (POL.Region, POL.Agency, POL.Document, POL.Measure, POL.Metric,
                  POL.Article, POL.Evidence)


def ontology_path() -> Path:
    """The folder holding policy.ttl, shapes.ttl and queries/.

    It lives at the top of the repository (not inside the package), so it is
    found from a source checkout or an editable install (`pip install -e .`,
    as the README does); a plain wheel install does not carry it.
    """
    return Path(__file__).resolve().parents[1] / "ontology"


NAMESPACES = {
    "pol": Namespace(POL_IRI), "res": RES, "rdf": RDF, "rdfs": RDFS, "owl": OWL,
    "xsd": XSD, "skos": SKOS, "prov": PROV, "dcterms": DCTERMS, "org": ORG,
    "schema": SCHEMA,
}


def bind_namespaces(graph) -> None:
    """Bind the project's prefixes on an rdflib Graph (replacing defaults)."""
    for prefix, ns in NAMESPACES.items():
        graph.bind(prefix, ns, override=True, replace=True)


__all__ = [
    "POL", "POL_IRI", "POL_TERMS", "ONTOLOGY_IRI", "RES", "SCHEMA", "SH", "SHAPES",
    "SKOS", "PROV", "DCTERMS", "ORG", "XSD", "RDF", "RDFS", "OWL",
    "QUALIFIERS", "RELATIONS", "ENTITY_CLASSES", "NAMESPACES",
    "ontology_path", "bind_namespaces",
]
