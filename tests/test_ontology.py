"""The ontology layer: policy.ttl keeps the contract, vocab.py mirrors it, shapes check it."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.validate import validate
from kg.vocab import (
    POL,
    POL_IRI,
    POL_TERMS,
    PROV,
    QUALIFIERS,
    SCHEMA,
    ORG,
    ontology_path,
)

ONTOLOGY = ontology_path()
POLICY_TTL = ONTOLOGY / "policy.ttl"
SHAPES_TTL = ONTOLOGY / "shapes.ttl"
CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "spec" / "ontology.md"
if not CONTRACT.is_file():  # the brief's absolute location, when run from elsewhere
    CONTRACT = Path("/work/shared/spec/ontology.md")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(POLICY_TTL, format="turtle")


def defined_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, None)
            if isinstance(s, URIRef) and str(s).startswith(POL_IRI)}


# ---------------------------------------------------------------------------
# policy.ttl against the contract and against vocab.py

def contract_terms() -> set[URIRef]:
    if not CONTRACT.is_file():
        pytest.skip(f"contract not found: {CONTRACT}")
    names: set[str] = set()
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("|"):
            names.update(re.findall(r"\bpol:([A-Za-z][A-Za-z0-9_]*)", line))
    return {URIRef(POL_IRI + n) for n in names}


def test_contract_is_read():
    terms = contract_terms()
    # 7 classes, 3 relations, 13 other properties, 6 qualifier individuals
    assert len(terms) >= 29
    assert {POL.adopts, POL.issues, POL.hasMetric, POL.Evidence, POL.Approximately} <= terms


def test_every_contract_term_is_defined(onto):
    missing = contract_terms() - defined_terms(onto)
    assert not missing, f"contract terms missing from policy.ttl: {sorted(missing)}"


def test_policy_ttl_and_vocab_list_the_same_terms(onto):
    in_ttl = defined_terms(onto)
    assert in_ttl - POL_TERMS == set(), "defined in policy.ttl but not in kg.vocab.POL"
    assert POL_TERMS - in_ttl == set(), "in kg.vocab.POL but not defined in policy.ttl"


def test_vocab_is_closed():
    with pytest.raises(AttributeError):
        POL.adoptz  # noqa: B018
    assert POL.adopts == URIRef(POL_IRI + "adopts")


def test_ontology_header(onto):
    o = URIRef("https://w3id.org/policy-kg/ontology")
    assert (o, RDF.type, OWL.Ontology) in onto
    assert onto.value(o, OWL.versionInfo) == Literal("0.1.0")
    assert onto.value(o, URIRef("http://purl.org/dc/terms/title")) is not None
    assert onto.value(o, RDFS.comment) is not None


@pytest.mark.parametrize("term", sorted(POL_TERMS), ids=lambda t: t.split("#")[1])
def test_term_is_documented(onto, term):
    labels = {lit.language for lit in onto.objects(term, RDFS.label)}
    assert {"zh", "en"} <= labels
    comments = {lit.language for lit in onto.objects(term, RDFS.comment)}
    assert "en" in comments
    assert set(onto.objects(term, RDF.type)) & {
        OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual}


@pytest.mark.parametrize("cls, parents", [
    (POL.Region, {SCHEMA.AdministrativeArea}),
    (POL.Agency, {ORG.Organization}),
    (POL.Document, {SCHEMA.CreativeWork, PROV.Entity}),
    (POL.Measure, {PROV.Activity}),
    (POL.Metric, {SCHEMA.QuantitativeValue}),
    (POL.Article, {SCHEMA.NewsArticle, PROV.Entity}),
    (POL.Evidence, {RDF.Statement, PROV.Entity}),
], ids=lambda x: x.split("#")[-1] if isinstance(x, str) else "")
def test_class_alignment(onto, cls, parents):
    assert (cls, RDF.type, OWL.Class) in onto
    assert parents <= set(onto.objects(cls, RDFS.subClassOf))
    assert str(SCHEMA).startswith("https://")


OBJ, DT = OWL.ObjectProperty, OWL.DatatypeProperty
PROPERTIES = [
    # property, kind, domain, range
    (POL.adopts, OBJ, POL.Region, POL.Measure),
    (POL.issues, OBJ, POL.Agency, POL.Document),
    (POL.hasMetric, OBJ, POL.Measure, POL.Metric),
    (POL.partOf, OBJ, POL.Region, POL.Region),
    (POL.jurisdiction, OBJ, POL.Agency, POL.Region),
    (POL.forRegion, OBJ, POL.Metric, POL.Region),
    (POL.qualifier, OBJ, POL.Metric, POL.Qualifier),
    (POL.mentionedIn, OBJ, None, POL.Article),
    (POL.divisionCode, DT, POL.Region, XSD.string),
    (POL.indicator, DT, POL.Metric, RDF.langString),
    (POL.value, DT, POL.Metric, XSD.decimal),
    (POL.unit, DT, POL.Metric, XSD.string),
    (POL.surfaceText, DT, POL.Metric, RDF.langString),
    (POL.sentence, DT, POL.Evidence, RDF.langString),
    (POL.charStart, DT, POL.Evidence, XSD.integer),
    (POL.charEnd, DT, POL.Evidence, XSD.integer),
    (POL.extractedBy, DT, POL.Evidence, XSD.string),
    (POL.spanStart, DT, POL.Evidence, XSD.integer),
    (POL.spanEnd, DT, POL.Evidence, XSD.integer),
]


@pytest.mark.parametrize("prop, kind, domain, range_", PROPERTIES,
                         ids=[p[0].split("#")[1] for p in PROPERTIES])
def test_property_signature(onto, prop, kind, domain, range_):
    assert (prop, RDF.type, kind) in onto
    assert onto.value(prop, RDFS.domain) == domain
    assert onto.value(prop, RDFS.range) == range_


def test_no_inverse_properties(onto):
    assert not list(onto.subject_objects(OWL.inverseOf))


def test_qualifier_individuals(onto):
    assert [POL[q] for q in QUALIFIERS] == [
        POL.Exact, POL.AtLeast, POL.MoreThan, POL.AtMost, POL.LessThan, POL.Approximately]
    members = set(onto.subjects(RDF.type, POL.Qualifier))
    assert members == {POL[q] for q in QUALIFIERS}
    for q in members:
        assert (q, RDF.type, OWL.NamedIndividual) in onto
    assert Literal("不低于", lang="zh") in set(onto.objects(POL.AtLeast, RDFS.label))
    assert Literal("at least", lang="en") in set(onto.objects(POL.AtLeast, RDFS.label))


def test_every_term_in_the_namespace_is_an_iri_we_define(onto):
    """No stray pol: IRI used in policy.ttl or shapes.ttl that is not a term."""
    for path in (POLICY_TTL, SHAPES_TTL):
        g = Graph().parse(path, format="turtle")
        used = {t for triple in g for t in triple
                if isinstance(t, URIRef) and str(t).startswith(POL_IRI)}
        assert used <= POL_TERMS, f"{path.name}: {sorted(used - POL_TERMS)}"


# ---------------------------------------------------------------------------
# Strict parsers

@pytest.mark.parametrize("path", [POLICY_TTL, SHAPES_TTL], ids=lambda p: p.name)
def test_turtle_parses_strictly(path):
    rdflib_count = len(Graph().parse(path, format="turtle"))
    with open(path, "rb") as fh:
        quads = list(pyoxigraph.parse(fh, pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == rdflib_count > 0
    store = pyoxigraph.Store()
    with open(path, "rb") as fh:
        store.load(fh, pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == rdflib_count


@pytest.mark.parametrize("path", [POLICY_TTL, SHAPES_TTL], ids=lambda p: p.name)
def test_turtle_is_ascii_iris_only(path):
    for triple in Graph().parse(path, format="turtle"):
        for t in triple:
            if isinstance(t, URIRef):
                assert str(t).isascii() and not re.search(r'[\s<>"{}|\\^`]', str(t)), t


# ---------------------------------------------------------------------------
# SHACL on tiny hand-written graphs

PREFIXES = """\
@prefix pol: <https://w3id.org/policy-kg/ontology#> .
@prefix region: <https://w3id.org/policy-kg/id/region/> .
@prefix agency: <https://w3id.org/policy-kg/id/agency/> .
@prefix document: <https://w3id.org/policy-kg/id/document/> .
@prefix measure: <https://w3id.org/policy-kg/id/measure/> .
@prefix metric: <https://w3id.org/policy-kg/id/metric/> .
@prefix article: <https://w3id.org/policy-kg/id/article/> .
@prefix evidence: <https://w3id.org/policy-kg/id/evidence/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# A graph that keeps every rule: each relation triple has its Evidence.
GOOD = PREFIXES + """
region:310000 a pol:Region ; rdfs:label "上海市"@zh ; skos:altLabel "上海"@zh , "沪"@zh ;
    pol:divisionCode "310000" ; pol:partOf region:000000 ;
    pol:adopts measure:ke-hou-fu-wu-1a2b ; pol:mentionedIn article:a1 .
region:000000 a pol:Region ; rdfs:label "全国"@zh .
agency:shang-hai-shi-wei-3c4d a pol:Agency ; rdfs:label "上海市委"@zh ; skos:altLabel "市委"@zh ;
    pol:jurisdiction region:310000 ; pol:issues document:zhi-yin-5e6f .
document:zhi-yin-5e6f a pol:Document ; rdfs:label "上海市民办培训机构培训资金管理指引"@zh .
measure:ke-hou-fu-wu-1a2b a pol:Measure ; rdfs:label "“5+2”课后服务"@zh ;
    pol:hasMetric metric:0123456789abcdef .
metric:0123456789abcdef a pol:Metric ; rdfs:label "培训机构压减 21.73%"@zh ;
    pol:value 21.73 ; pol:unit "%" ; pol:qualifier pol:Exact ;
    pol:surfaceText "21.73%"@zh ; pol:indicator "义务教育学科类培训机构压减比例"@zh ;
    pol:forRegion region:310000 .
article:a1 a pol:Article ; dcterms:title "上海“双减”一周年" ;
    dcterms:date "2021-10-25T05:37:19Z"^^xsd:dateTime ; dcterms:creator "记者" ;
    dcterms:source "seeds/000_31ab85aaea601f26.txt" .
evidence:e1 a pol:Evidence ; rdf:subject region:310000 ; rdf:predicate pol:adopts ;
    rdf:object measure:ke-hou-fu-wu-1a2b ; prov:wasDerivedFrom article:a1 ;
    pol:sentence "上海全面推行“5+2”课后服务。"@zh ; pol:charStart 0 ; pol:charEnd 16 ;
    pol:extractedBy "measure.quoted_name" ; pol:spanStart 6 ; pol:spanEnd 15 .
evidence:e2 a pol:Evidence ; rdf:subject agency:shang-hai-shi-wei-3c4d ; rdf:predicate pol:issues ;
    rdf:object document:zhi-yin-5e6f ; prov:wasDerivedFrom article:a1 ;
    pol:sentence "市委印发《上海市民办培训机构培训资金管理指引》。"@zh ;
    pol:charStart 16 ; pol:charEnd 42 ; pol:extractedBy "issues.verb_title" .
evidence:e3 a pol:Evidence ; rdf:subject measure:ke-hou-fu-wu-1a2b ; rdf:predicate pol:hasMetric ;
    rdf:object metric:0123456789abcdef ; prov:wasDerivedFrom article:a1 ;
    pol:sentence "培训机构压减21.73%。"@zh ; pol:charStart 42 ; pol:charEnd 55 ;
    pol:extractedBy "metric.percent" .
"""


def graph_of(ttl: str) -> Graph:
    return Graph().parse(data=ttl, format="turtle")


def test_good_graph_conforms():
    conforms, report, n = validate(graph_of(GOOD))
    assert conforms, report
    assert n == 0


def test_validate_reads_a_file(tmp_path):
    path = tmp_path / "good.ttl"
    path.write_text(GOOD, encoding="utf-8")
    assert validate(path)[0]
    assert validate(str(path))[0]


def test_validate_does_not_modify_a_graph_passed_in():
    g = graph_of(GOOD)
    before = len(g)
    validate(g)
    assert len(g) == before


RES_ID = "https://w3id.org/policy-kg/id/"


def drop_evidence_e1(g: Graph) -> None:
    g.remove((URIRef(RES_ID + "evidence/e1"), None, None))


# name: (edits of GOOD as (old, new) pairs, or a function on the parsed graph;
#        expected number of violations; text the report must contain)
BAD = {
    "region_with_two_zh_labels": (
        [('rdfs:label "上海市"@zh ;', 'rdfs:label "上海市"@zh , "上海"@zh ;')],
        2, "rdfs:label"),  # sh:maxCount and sh:uniqueLang
    "metric_value_is_a_double": (
        [("pol:value 21.73 ;", 'pol:value "21.73"^^xsd:double ;')],
        1, "xsd:decimal"),
    "qualifier_outside_the_six": (
        [("pol:qualifier pol:Exact ;", "pol:qualifier pol:Roughly ;")],
        1, "pol:qualifier"),
    "adopts_without_evidence": (drop_evidence_e1, 1, "No pol:Evidence supports"),
    "evidence_for_a_triple_not_in_the_graph": (
        [("evidence:e1 a pol:Evidence ; rdf:subject region:310000 ;",
          "evidence:e1 a pol:Evidence ; rdf:subject region:000000 ;")],
        2, "not in the graph"),  # the triple lacks Evidence; the Evidence lacks its triple
    "entity_iri_outside_id": (
        [("document:zhi-yin-5e6f", "<https://example.org/document/zhi-yin>")],
        1, "minted under"),
    "entity_iri_with_raw_chinese": (
        [("document:zhi-yin-5e6f", "<https://w3id.org/policy-kg/id/document/指引>")],
        1, "minted under"),
    "evidence_without_rule_name": (
        [('pol:extractedBy "metric.percent" .', ".")],
        1, "pol:extractedBy"),
    "evidence_offsets_reversed": (
        [("pol:charStart 42 ; pol:charEnd 55 ;", "pol:charStart 55 ; pol:charEnd 42 ;")],
        1, "charStart"),
    "adopts_pointing_at_a_document": (
        [("pol:adopts measure:ke-hou-fu-wu-1a2b ;", "pol:adopts document:zhi-yin-5e6f ;"),
         ("rdf:object measure:ke-hou-fu-wu-1a2b ; prov:wasDerivedFrom",
          "rdf:object document:zhi-yin-5e6f ; prov:wasDerivedFrom")],
        1, "pol:Measure"),
    "issues_by_a_region": (
        [("pol:jurisdiction region:310000 ; pol:issues document:zhi-yin-5e6f .",
          "pol:jurisdiction region:310000 ."),
         ("pol:partOf region:000000 ;",
          "pol:partOf region:000000 ; pol:issues document:zhi-yin-5e6f ;"),
         ("rdf:subject agency:shang-hai-shi-wei-3c4d ;", "rdf:subject region:310000 ;")],
        1, "pol:Agency"),
    "division_code_not_six_digits": (
        [('pol:divisionCode "310000"', 'pol:divisionCode "31"')],
        1, "divisionCode"),
    "article_date_not_datetime": (
        [('"2021-10-25T05:37:19Z"^^xsd:dateTime', '"2021-10-25"')],
        1, "dcterms:date"),
    "metric_unit_missing": (
        [('pol:unit "%" ;', "")],
        1, "pol:unit"),
}


def broken_graph(edit) -> Graph:
    if callable(edit):
        g = graph_of(GOOD)
        edit(g)
        return g
    ttl = GOOD
    for old, new in edit:
        assert old in ttl, f"the edit no longer applies to GOOD: {old}"
        ttl = ttl.replace(old, new)
    return graph_of(ttl)


@pytest.mark.parametrize("name", sorted(BAD))
def test_broken_graph_fails_with_expected_violations(name):
    edit, expected, needle = BAD[name]
    conforms, report, n = validate(broken_graph(edit))
    assert not conforms
    assert n == expected > 0, report
    assert needle in report or needle.replace("pol:", POL_IRI) in report, report


def test_validation_is_fast_on_a_small_graph():
    g = graph_of(GOOD)
    validate(g)  # warm the shapes/ontology cache and the pySHACL import
    start = time.perf_counter()
    validate(g)
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize("path", [POLICY_TTL, SHAPES_TTL], ids=lambda p: p.name)
def test_turtle_parses_with_serdi(path):
    import shutil
    import subprocess

    serdi = shutil.which("serdi")
    if serdi is None:
        pytest.skip("serdi not installed")
    out = subprocess.run([serdi, "-i", "turtle", "-o", "ntriples", str(path)],
                         capture_output=True, text=True, check=True).stdout
    assert len(out.splitlines()) == len(Graph().parse(path, format="turtle"))
