"""Export formats and strict-parser round trips.

Every format must carry exactly the Turtle's triples (checked with
pyoxigraph, a strict parser), TriG/N-Quads hold one named graph per
article, output is byte-stable, and the Turtle itself loads unchanged in
pyoxigraph and in serdi (Debian's `serdi`), with language tags, tricky
literals, decimals and IRIs surviving the round trip."""
from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg.cli import main
from kg.export.formats import (EXPORT_FORMATS, export, jsonld, load_graph, nquads, ntriples, partition,
                               render, trig)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MINI = HERE / "fixtures" / "mini.ttl"
SEEDS = ROOT / "seeds"
POL = "https://w3id.org/policy-kg/ontology#"
RES = "https://w3id.org/policy-kg/id/"
OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
              "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
TRICKY = "“5+2”课后服务覆盖全市。\n（注：含\"引号\"与反斜杠\\）"


@pytest.fixture(scope="module")
def seeds_ttl(tmp_path_factory) -> Path:
    from kg.pipeline import build
    out = tmp_path_factory.mktemp("seeds-formats")
    assert build([SEEDS], out, html=False).articles == 2
    return out / "graph.ttl"


def triples_of(data: bytes | str | Path, fmt) -> set[str]:
    """The triples (graph names dropped) as strict pyoxigraph parses them."""
    if isinstance(data, Path):
        qs = ox.parse(path=str(data), format=fmt)
    else:
        qs = ox.parse(data.encode("utf-8") if isinstance(data, str) else data, format=fmt)
    return {str(ox.Triple(q.subject, q.predicate, q.object)) for q in qs}


def quads_of(text: str, fmt) -> list:
    return list(ox.parse(text.encode("utf-8"), format=fmt))


# ---------------------------------------------------------------------------
# every format carries exactly the graph


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
@pytest.mark.parametrize("which", ["mini", "seeds"])
def test_every_format_round_trips_in_a_strict_parser(fmt, which, seeds_ttl):
    ttl = MINI if which == "mini" else seeds_ttl
    expected = triples_of(ttl, ox.RdfFormat.TURTLE)
    text = render(load_graph(ttl), fmt)
    assert triples_of(text, OX_FORMATS[fmt]) == expected


def test_jsonld_reads_back_in_rdflib_too():
    g_ttl = Graph().parse(MINI, format="turtle")
    g_json = Graph().parse(data=render(load_graph(MINI), "jsonld"), format="json-ld")
    assert len(g_json) == len(g_ttl)
    assert set(g_json) == set(g_ttl)


def test_jsonld_uses_the_context_file():
    ctx = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert ctx["pol"] == POL and ctx["res"] == RES
    doc = json.loads(render(load_graph(MINI), "jsonld"))
    assert doc["@context"] == ctx
    nodes = {n["@id"]: n for n in doc["@graph"]}
    m = nodes["res:metric/sh-2173"]
    assert m["@type"] == "Metric" and m["value"] == "21.73" and m["unit"] == "%"
    assert m["qualifier"] == "pol:Exact" and m["forRegion"] == "res:region/310000"
    assert m["indicator"] == "义务教育学科类培训机构压减比例"
    sh = nodes["res:region/310000"]
    assert sh["label"] == "上海市" and sh["altLabel"] == ["上海", "沪"] and sh["divisionCode"] == "310000"
    ev = nodes["res:evidence/e-sh52b"]
    assert ev["sentence"] == TRICKY and ev["charStart"] == "40" and ev["predicate"] == "pol:adopts"
    # every contract term of the ontology has a short name in the context
    for term in ("adopts", "issues", "hasMetric", "partOf", "jurisdiction", "forRegion", "qualifier",
                 "mentionedIn", "divisionCode", "indicator", "value", "unit", "surfaceText", "sentence",
                 "charStart", "charEnd", "label", "altLabel", "title", "date", "creator", "source"):
        assert term in ctx, term


# ---------------------------------------------------------------------------
# one named graph per article


def test_partition_one_graph_per_article_union_is_the_graph():
    g = load_graph(MINI)
    parts = partition(g)
    articles = {RES + f"article/a{i}" for i in (1, 2, 3)}
    assert {str(k) for k in parts if k is not None} == articles
    assert parts[None] == set()                                  # nothing left over in the fixture
    union = set().union(*parts.values())
    assert union == set(g)


def test_article_graph_is_self_contained():
    g = load_graph(MINI)
    a2 = partition(g)[URIRef(RES + "article/a2")]
    subjects = {str(s) for s, _, _ in a2}
    # its evidence, its relation triples, the entities it touches with their labels
    assert RES + "evidence/e-bj52" in subjects and RES + "evidence/e-sh52" not in subjects
    assert (URIRef(RES + "region/110000"), URIRef(POL + "adopts"), URIRef(RES + "measure/bj-52")) in a2
    assert (URIRef(RES + "region/310000"), URIRef(POL + "adopts"), URIRef(RES + "measure/sh-52")) not in a2
    labels = {str(o) for s, p, o in a2 if str(p).endswith("#label")}
    assert {"北京市", "北京市教委", "实施意见", "“5+2”课后服务", "北京推进“双减”"} <= labels
    # 教育部 is mentioned in a2: its description and jurisdiction 全国 come along
    assert (URIRef(RES + "agency/moe"), URIRef(POL + "jurisdiction"), URIRef(RES + "region/000000")) in a2
    assert (URIRef(RES + "region/000000"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("全国", lang="zh")) in a2
    # mentionedIn links only to this article
    mentioned = {o for s, p, o in a2 if str(p) == POL + "mentionedIn"}
    assert mentioned == {URIRef(RES + "article/a2")}


def test_relation_seen_in_two_articles_is_in_both_graphs(seeds_ttl):
    g = load_graph(seeds_ttl)
    parts = partition(g)
    adopts = URIRef(POL + "adopts")
    shared = [t for t in g.triples((None, adopts, None))
              if sum(t in p for k, p in parts.items() if k is not None) >= 2]
    assert shared, "“5+2”课后服务 (and more) is adopted by 上海市 in both seed articles"


def test_leftovers_go_to_the_default_graph():
    g = load_graph(MINI)
    lonely = (URIRef(RES + "region/999999"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
              Literal("无人提及", lang="zh"))
    g.add(lonely)
    parts = partition(g)
    assert parts[None] == {lonely}
    text = render(g, "trig")
    qs = quads_of(text, ox.RdfFormat.TRIG)
    defaults = [q for q in qs if isinstance(q.graph_name, ox.DefaultGraph)]
    assert len(defaults) == 1 and defaults[0].object.value == "无人提及"
    nq = [q for q in quads_of(render(g, "nquads"), ox.RdfFormat.N_QUADS) if isinstance(q.graph_name, ox.DefaultGraph)]
    assert len(nq) == 1


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_named_graphs_in_files(fmt, seeds_ttl):
    g = load_graph(seeds_ttl)
    qs = quads_of(render(g, fmt), OX_FORMATS[fmt])
    names = {q.graph_name.value for q in qs if isinstance(q.graph_name, ox.NamedNode)}
    articles = {str(a) for a in g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                           URIRef(POL + "Article"))}
    assert names == articles and len(names) == 2
    # dropping one article's graph removes its evidence, keeps the other's
    ds = ox.Store()
    ds.extend(qs)
    first = sorted(names)[0]
    ds.remove_graph(ox.NamedNode(first))
    left = ds.query(f"ASK {{ GRAPH ?g {{ ?ev <http://www.w3.org/ns/prov#wasDerivedFrom> <{first}> }} }}")
    assert not bool(left)
    assert len(list(ds.quads_for_pattern(None, None, None, ox.NamedNode(sorted(names)[1])))) > 0


# ---------------------------------------------------------------------------
# byte-stable, atomic


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_output_is_deterministic_whatever_the_input_order(fmt):
    g = load_graph(MINI)
    triples = list(g)
    random.Random(7).shuffle(triples)
    g2 = Graph(bind_namespaces="none")
    for p, ns in g.namespaces():
        g2.bind(p, ns)
    for t in triples:
        g2.add(t)
    assert render(g, fmt) == render(g2, fmt)


def test_turtle_export_equals_the_built_turtle(seeds_ttl):
    assert render(load_graph(seeds_ttl), "ttl") == seeds_ttl.read_text(encoding="utf-8")


def test_ntriples_lines_are_sorted_and_canonical():
    text = ntriples(load_graph(MINI))
    lines = text.splitlines()
    assert lines == sorted(lines) and all(l.endswith(" .") for l in lines)
    assert '\\"引号\\"' in text and "\\\\）" in text and "\\n（" in text


def test_cli_export_writes_atomically(tmp_path, capsys):
    out = tmp_path / "sub" / "graph.trig"
    assert main(["export", str(MINI), "--format", "trig", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render(load_graph(MINI), "trig")
    assert sorted(p.name for p in out.parent.iterdir()) == ["graph.trig"]     # no temp file left
    assert main(["export", "--graph", str(MINI), "--format", "nt"]) == 0
    assert capsys.readouterr().out == render(load_graph(MINI), "nt")
    assert main(["export", "--graph", str(tmp_path / "missing"), "--format", "nt"]) == 2


def test_export_api(tmp_path):
    assert export(MINI, "nquads") == render(load_graph(MINI), "nquads")
    export(MINI, "jsonld", tmp_path / "g.jsonld")
    assert json.loads((tmp_path / "g.jsonld").read_text(encoding="utf-8"))["@graph"]
    with pytest.raises(ValueError):
        render(load_graph(MINI), "rdfxml")


# ---------------------------------------------------------------------------
# the Turtle in strict parsers


def _check_survivors(triples: set[str]):
    text = "\n".join(sorted(triples))
    assert '"上海市"@zh' in text
    assert re.search(r'"21\.73"\^\^<http://www\.w3\.org/2001/XMLSchema#decimal>', text)
    assert "<https://w3id.org/policy-kg/id/region/310000>" in text


def test_turtle_in_pyoxigraph_keeps_tags_literals_decimals_iris():
    store = ox.Store()
    store.load(path=str(MINI), format=ox.RdfFormat.TURTLE)
    sentence = store.query("SELECT ?s WHERE { <https://w3id.org/policy-kg/id/evidence/e-sh52b> "
                           "<https://w3id.org/policy-kg/ontology#sentence> ?s }")
    lit = next(iter(sentence))["s"]
    assert lit.value == TRICKY and lit.language == "zh"
    values = {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(POL + "value"), None)}
    assert {"21.73", "35000"} <= values
    langs = {q.object.language for q in store if isinstance(q.object, ox.Literal) and q.object.language}
    assert langs == {"zh"}
    _check_survivors(triples_of(MINI, ox.RdfFormat.TURTLE))


@pytest.mark.parametrize("which", ["mini", "seeds"])
def test_serdi_reads_the_turtle_like_pyoxigraph(which, seeds_ttl, tmp_path):
    serdi = shutil.which("serdi")
    if serdi is None:
        pytest.skip("serdi is not installed (apt-get install serdi); CI installs it")
    ttl = MINI if which == "mini" else seeds_ttl
    proc = subprocess.run([serdi, "-i", "turtle", "-o", "ntriples", str(ttl)], capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert not proc.stderr.strip(), proc.stderr.decode("utf-8", "replace")   # no warnings either
    from_serdi = triples_of(proc.stdout, ox.RdfFormat.N_TRIPLES)
    assert from_serdi == triples_of(ttl, ox.RdfFormat.TURTLE)
    if which == "mini":
        _check_survivors(from_serdi)
        assert any(TRICKY.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") in t for t in from_serdi)
    # and serdi reads our N-Triples / N-Quads / TriG exports too
    for fmt, syntax in (("nt", "ntriples"), ("nquads", "nquads"), ("trig", "trig")):
        f = tmp_path / f"g.{fmt}"
        f.write_text(render(load_graph(ttl), fmt), encoding="utf-8")
        p = subprocess.run([serdi, "-i", syntax, "-o", "nquads", str(f)], capture_output=True)
        assert p.returncode == 0 and not p.stderr.strip(), (fmt, p.stderr[:500])
        assert triples_of(p.stdout, ox.RdfFormat.N_QUADS) == triples_of(ttl, ox.RdfFormat.TURTLE), fmt


def test_literal_edge_cases_survive_every_format(tmp_path):
    """Quotes, backslashes, newlines, tabs, control characters, astral Chinese, empty strings."""
    g = load_graph(MINI)
    s = URIRef(RES + "article/a1")
    p = URIRef(POL + "sentence")
    odd = ['"', "\\", "a\nb\r\nc", "tab\there", "\x01\x7f", "𠮷野家", "", "'''", '"""x"""', "末尾\\"]
    for i, v in enumerate(odd):
        g.add((URIRef(RES + f"evidence/odd{i}"), p, Literal(v, lang="zh")))
        g.add((URIRef(RES + f"evidence/odd{i}"), URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), s))
    g.add((s, URIRef(POL + "value"), Literal("0.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))))
    for fmt in EXPORT_FORMATS:
        text = render(g, fmt)
        got = set()
        for q in ox.parse(text.encode("utf-8"), format=OX_FORMATS[fmt]):
            if q.predicate.value == POL + "sentence" and "/odd" in q.subject.value:
                got.add((q.object.value, q.object.language))
        assert got == {(v, "zh") for v in odd}, fmt
