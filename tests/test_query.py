"""Named SPARQL queries: hand-written answers on a fixture and on the seeds graph,
safe parameters, the output formats, syntax errors, the command line."""
from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg import query as kq
from kg.cli import main
from kg.query import QueryError, QuerySyntaxError, format_result, list_queries, run, text_width

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MINI = HERE / "fixtures" / "mini.ttl"
SEEDS = ROOT / "seeds"
ENGINES = ("memory", "rdflib")

COMPETENCY = {
    "measures_by_region", "documents_by_agency", "documents_by_jurisdiction", "metrics_of_measure",
    "regions_same_measure", "indicator_across_regions", "article_facts", "triple_provenance",
    "agencies_of_region", "joint_documents", "most_mentioned_entities",
}


def rows(result, *cols):
    """The result as tuples of plain values (numbers as Decimal, None when unbound)."""
    out = []
    for d in result.dicts():
        out.append(tuple(_plain(d[c]) for c in (cols or result.vars)))
    return out


def _plain(v):
    if v is None:
        return None
    if re.fullmatch(r"-?\d+(\.\d+)?", v):
        return Decimal(v).normalize()
    return v


def D(x) -> Decimal:
    return Decimal(str(x)).normalize()


@pytest.fixture(scope="module")
def seeds_graph(tmp_path_factory) -> Path:
    from kg.pipeline import build
    out = tmp_path_factory.mktemp("seeds")
    result = build([SEEDS], out, html=False)
    assert result.articles == 2
    return out / "graph.ttl"


# ---------------------------------------------------------------------------
# the query files


def test_at_least_ten_competency_queries_each_documented():
    qs = {q.name: q for q in list_queries()}
    assert COMPETENCY <= set(qs)
    assert len(qs) >= 10
    for q in qs.values():
        first = q.text.splitlines()[0]
        assert first.startswith("# ") and len(first) > 20, q.name
        assert q.description.endswith("?") or q.description, q.name


def test_queries_use_only_contract_or_ontology_terms():
    """Every pol: term a query names is defined in ontology/policy.ttl (no typos, no inventions)."""
    from kg.vocab import POL_TERMS
    pol = "https://w3id.org/policy-kg/ontology#"
    for q in list_queries():
        body = "\n".join(l for l in q.text.splitlines() if not l.lstrip().startswith("#"))
        assert f"PREFIX pol: <{pol}>" in body, q.name
        for local in re.findall(r"\bpol:([A-Za-z]+)", body):
            assert URIRef(pol + local) in POL_TERMS, (q.name, local)


def test_queries_are_duplicate_free_over_a_union_of_graphs():
    """Over one named graph per article (TriG, kg push) a triple can occur in several
    graphs; a query's top level must be DISTINCT or aggregated to give the same answer."""
    for q in list_queries():
        body = "\n".join(l for l in q.text.splitlines() if not l.lstrip().startswith("#"))
        top = re.search(r"^SELECT\b.*", body, re.M).group(0)
        grouped = re.search(r"^GROUP BY\b", body, re.M)
        assert top.startswith("SELECT DISTINCT") or grouped, q.name


def test_declared_parameters_are_projected_variables():
    """pyoxigraph substitutes only projected variables; a declaration must name one."""
    for q in list_queries():
        select = re.search(r"^SELECT\b(.*?)\bWHERE\b", q.text, re.S | re.M).group(1)
        projected = set(re.findall(r"\?(\w+)", select))
        for name, p in q.params.items():
            assert name in projected, (q.name, name)
            assert p.kind in kq.PARAM_KINDS


# ---------------------------------------------------------------------------
# expected answers on the hand-made fixture (exact rows, both engines)


@pytest.mark.parametrize("engine", ENGINES)
def test_mini_measures_by_region(engine):
    r = run("measures_by_region", MINI, engine=engine)
    assert r.vars == ["region", "measure", "evidence"]
    assert rows(r) == [
        ("上海市", "“5+2”课后服务", 2), ("上海市", "“营转非”", 1), ("上海市", "“黑白名单”制度", 1),
        ("上海市", "压减学科类培训机构", 1),
        ("北京市", "“5+2”课后服务", 1), ("北京市", "“营转非”", 1), ("北京市", "压减学科类培训机构", 1),
    ]
    r = run("measures_by_region", MINI, {"region": "北京市"}, engine=engine)
    assert rows(r) == [("北京市", "“5+2”课后服务", 1), ("北京市", "“营转非”", 1), ("北京市", "压减学科类培训机构", 1)]


@pytest.mark.parametrize("engine", ENGINES)
def test_mini_documents_by_agency(engine):
    r = run("documents_by_agency", MINI, engine=engine)
    assert rows(r) == [
        ("上海市人民政府", "上海市", "上海市民办培训机构培训资金管理指引", 1),
        ("上海市教委", "上海市", "上海市民办培训机构培训资金管理指引", 1),
        ("北京市教委", "北京市", "实施意见", 1),
        ("教育部", "全国", "“双减”工作试点地区典型案例", 1),
        ("浦东新区教育局", "浦东新区", "浦东新区课后服务实施方案", 1),
    ]
    r = run("documents_by_agency", MINI, {"agency": "教育部"}, engine=engine)
    assert rows(r) == [("教育部", "全国", "“双减”工作试点地区典型案例", 1)]


@pytest.mark.parametrize("engine", ENGINES)
def test_mini_documents_by_jurisdiction_includes_subregions(engine):
    r = run("documents_by_jurisdiction", MINI, {"jurisdiction": "上海市"}, engine=engine)
    assert rows(r) == [
        ("上海市", "上海市民办培训机构培训资金管理指引", "上海市人民政府"),
        ("上海市", "上海市民办培训机构培训资金管理指引", "上海市教委"),
        ("上海市", "浦东新区课后服务实施方案", "浦东新区教育局"),
    ]
    r = run("documents_by_jurisdiction", MINI, {"jurisdiction": "浦东新区"}, engine=engine)
    assert rows(r) == [("浦东新区", "浦东新区课后服务实施方案", "浦东新区教育局")]
    r = run("documents_by_jurisdiction", MINI, {"jurisdiction": "全国"}, engine=engine)
    assert rows(r) == [("全国", "“双减”工作试点地区典型案例", "教育部")]


@pytest.mark.parametrize("engine", ENGINES)
def test_mini_metrics_of_measure(engine):
    s1 = "上海压减学科类培训机构21.73%，从业人员约3.5万人。"
    r = run("metrics_of_measure", MINI, {"measure": "压减学科类培训机构"}, engine=engine)
    assert r.vars == ["region", "measure", "indicator", "value", "unit", "qualifier", "surface", "sentence"]
    assert rows(r) == [
        ("上海市", "压减学科类培训机构", "义务教育学科类培训机构压减比例", D("21.73"), "%", "Exact", "21.73%", s1),
        ("上海市", "压减学科类培训机构", "从业人员", D(35000), "人", "Approximately", "约3.5万人", s1),
        ("北京市", "压减学科类培训机构", "义务教育学科类培训机构压减比例", D(60), "%", "MoreThan", "超过60%",
         "北京压减学科类培训机构超过60%。"),
    ]
    assert run("metrics_of_measure", MINI, {"measure": "“营转非”"}, engine=engine).rows == []


@pytest.mark.parametrize("engine", ENGINES)
def test_mini_regions_same_measure(engine):
    r = run("regions_same_measure", MINI, engine=engine)
    assert rows(r) == [
        ("“5+2”课后服务", 2, "上海市"), ("“5+2”课后服务", 2, "北京市"),
        ("“营转非”", 2, "上海市"), ("“营转非”", 2, "北京市"),
        ("压减学科类培训机构", 2, "上海市"), ("压减学科类培训机构", 2, "北京市"),
    ]
    assert rows(run("regions_same_measure", MINI, {"measure": "“营转非”"}, engine=engine)) == [
        ("“营转非”", 2, "上海市"), ("“营转非”", 2, "北京市")]
    # adopted by Shanghai only: not shared
    assert run("regions_same_measure", MINI, {"measure": "“黑白名单”制度"}, engine=engine).rows == []


@pytest.mark.parametrize("engine", ENGINES)
def test_mini_indicator_across_regions(engine):
    r = run("indicator_across_regions", MINI, engine=engine)
    assert r.vars == ["indicator", "regions", "region", "value", "unit", "qualifier", "measure"]
    assert rows(r) == [
        ("义务教育学科类培训机构压减比例", 2, "上海市", D("21.73"), "%", "Exact", "压减学科类培训机构"),
        ("义务教育学科类培训机构压减比例", 2, "北京市", D(60), "%", "MoreThan", "压减学科类培训机构"),
        ("从业人员", 1, "上海市", D(35000), "人", "Approximately", "压减学科类培训机构"),
    ]
    r = run("indicator_across_regions", MINI, {"indicator": "从业人员"}, engine=engine)
    assert rows(r) == [("从业人员", 1, "上海市", D(35000), "人", "Approximately", "压减学科类培训机构")]


@pytest.mark.parametrize("engine", ENGINES)
def test_mini_article_facts(engine):
    r = run("article_facts", MINI, {"title": "北京推进“双减”"}, engine=engine)
    assert rows(r, "start", "end", "predicate", "subject", "object", "rule") == [
        (0, 14, "adopts", "北京市", "“5+2”课后服务", "measure.quoted"),
        (15, 25, "adopts", "北京市", "“营转非”", "measure.quoted"),
        (26, 43, "adopts", "北京市", "压减学科类培训机构", "measure.verb"),
        (26, 43, "hasMetric", "压减学科类培训机构", "义务教育学科类培训机构压减 60%", "metric.number"),
        (44, 58, "issues", "北京市教委", "实施意见", "document.issue_verb"),
    ]
    assert set(r.column("title")) == {"北京推进“双减”"}
    by_iri = run("article_facts", MINI, {"article": "res:article/a2"}, engine=engine)
    assert rows(by_iri) == rows(r)


TRICKY = "“5+2”课后服务覆盖全市。\n（注：含\"引号\"与反斜杠\\）"


@pytest.mark.parametrize("engine", ENGINES)
def test_mini_triple_provenance(engine):
    params = {"subject": "上海市", "predicate": "pol:adopts", "object": "“5+2”课后服务"}
    r = run("triple_provenance", MINI, params, engine=engine)
    assert rows(r, "subject", "object", "article", "start", "end", "sentence", "rule") == [
        ("上海市", "“5+2”课后服务", "上海“双减”一年", 0, 15, "上海全面推行“5+2”课后服务。", "measure.quoted"),
        ("上海市", "“5+2”课后服务", "上海“双减”一年", 40, 70, TRICKY, "measure.quoted"),
    ]
    assert set(r.column("predicate")) == {"https://w3id.org/policy-kg/ontology#adopts"}
    # a full IRI works as well as a prefixed name; another predicate finds nothing
    params["predicate"] = "<https://w3id.org/policy-kg/ontology#adopts>"
    assert len(run("triple_provenance", MINI, params, engine=engine).rows) == 2
    params["predicate"] = "pol:issues"
    assert run("triple_provenance", MINI, params, engine=engine).rows == []


@pytest.mark.parametrize("engine", ENGINES)
def test_mini_agencies_of_region(engine):
    r = run("agencies_of_region", MINI, {"region": "上海市"}, engine=engine)
    assert rows(r) == [
        ("上海市", "上海市人民政府", "上海市", 1),
        ("上海市", "上海市教委", "上海市", 1),
        ("上海市", "浦东新区教育局", "浦东新区", 1),
    ]
    assert rows(run("agencies_of_region", MINI, {"region": "全国"}, engine=engine)) == [("全国", "教育部", "全国", 1)]


@pytest.mark.parametrize("engine", ENGINES)
def test_mini_joint_documents(engine):
    expected = [("上海市民办培训机构培训资金管理指引", 2, "上海市人民政府"),
                ("上海市民办培训机构培训资金管理指引", 2, "上海市教委")]
    assert rows(run("joint_documents", MINI, engine=engine)) == expected
    assert rows(run("joint_documents", MINI, {"document": "上海市民办培训机构培训资金管理指引"}, engine=engine)) == expected
    assert run("joint_documents", MINI, {"document": "实施意见"}, engine=engine).rows == []


@pytest.mark.parametrize("engine", ENGINES)
def test_mini_most_mentioned_entities(engine):
    pol = "https://w3id.org/policy-kg/ontology#"
    cols = ("entity", "class", "articles")
    r = run("most_mentioned_entities", MINI, {"class": "pol:Region"}, engine=engine)
    assert rows(r, *cols) == [("上海市", pol + "Region", 2), ("北京市", pol + "Region", 2), ("浦东新区", pol + "Region", 1)]
    assert r.column("node")[0] == "https://w3id.org/policy-kg/id/region/310000"
    r = run("most_mentioned_entities", MINI, engine=engine)
    assert len(r.rows) == 20   # 22 entities are mentioned; LIMIT 20
    assert rows(r, *cols)[:3] == [("上海市", pol + "Region", 2), ("北京市", pol + "Region", 2), ("教育部", pol + "Agency", 2)]
    assert all(a == 1 for *_, a in rows(r, *cols)[3:])
    # Shanghai's and Beijing's “5+2”课后服务 are two nodes with one label: two rows
    assert rows(r, *cols)[3:5] == [("“5+2”课后服务", pol + "Measure", 1)] * 2
    assert set(r.column("node")[3:5]) == {"https://w3id.org/policy-kg/id/measure/sh-52",
                                          "https://w3id.org/policy-kg/id/measure/bj-52"}


def test_every_query_agrees_between_engines_on_fixture():
    for q in list_queries():
        a = run(q, MINI, engine="memory")
        b = run(q, MINI, engine="rdflib")
        assert a.vars == b.vars, q.name
        assert sorted(rows(a), key=repr) == sorted(rows(b), key=repr), q.name


# ---------------------------------------------------------------------------
# expected answers on the real seeds graph (robust to extraction tuning)


def test_seeds_measures_by_region(seeds_graph):
    r = run("measures_by_region", seeds_graph, {"region": "上海市"})
    assert r.rows and set(r.column("region")) == {"上海市"}
    assert any("5+2" in m for m in r.column("measure"))
    assert all(int(n) >= 1 for n in r.column("evidence"))
    beijing = run("measures_by_region", seeds_graph, {"region": "北京市"})
    assert beijing.rows and not set(beijing.column("measure")) & {"“5+2”课后服务"} - set(r.column("measure"))


def test_seeds_documents_by_agency(seeds_graph):
    r = run("documents_by_agency", seeds_graph, {"agency": "教育部"})
    assert any("典型案例" in d for d in r.column("document"))
    assert set(r.column("jurisdiction")) == {"全国"}


def test_seeds_documents_by_jurisdiction(seeds_graph):
    r = run("documents_by_jurisdiction", seeds_graph, {"jurisdiction": "上海市"})
    docs = dict.fromkeys(r.column("document"))
    assert "上海市民办培训机构培训资金管理指引" in docs
    assert all(a.startswith("上海市") for a in r.column("agency"))
    national = run("documents_by_jurisdiction", seeds_graph, {"jurisdiction": "全国"})
    assert any("典型案例" in d for d in national.column("document"))


def test_seeds_metrics_of_measure(seeds_graph):
    all_rows = run("metrics_of_measure", seeds_graph).dicts()
    hit = [d for d in all_rows if Decimal(d["value"]) == Decimal("21.73")]
    assert hit, "the Shanghai figure 21.73% is extracted"
    d = hit[0]
    assert (d["region"], d["unit"], d["qualifier"]) == ("上海市", "%", "Exact")
    assert "21.73%" in d["sentence"] and "压减" in d["indicator"]
    # the same row, asked for by the measure's label
    again = run("metrics_of_measure", seeds_graph, {"measure": d["measure"]}).dicts()
    assert d in again and set(x["measure"] for x in again) == {d["measure"]}
    beijing = [x for x in all_rows if x["region"] == "北京市" and x["unit"] == "元"]
    assert any(Decimal(x["value"]) == Decimal(15000000) and x["qualifier"] == "MoreThan" for x in beijing)


def test_seeds_regions_same_measure(seeds_graph):
    r = run("regions_same_measure", seeds_graph)
    counts: dict = {}
    for d in r.dicts():
        counts.setdefault((d["measure"], d["regions"]), set()).add(d["region"])
    for (measure, n), regions in counts.items():
        assert int(n) >= 2 and len(regions) == int(n), measure
    # a measure adopted only by Shanghai is never reported as shared
    only_sh = run("regions_same_measure", seeds_graph, {"measure": "“黑白名单”制度"})
    assert only_sh.rows == []


def test_seeds_indicator_across_regions(seeds_graph):
    r = run("indicator_across_regions", seeds_graph).dicts()
    hit = [d for d in r if Decimal(d["value"]) == Decimal("21.73")]
    assert hit and hit[0]["region"] == "上海市" and hit[0]["unit"] == "%"
    one = run("indicator_across_regions", seeds_graph, {"indicator": hit[0]["indicator"]}).dicts()
    assert {d["indicator"] for d in one} == {hit[0]["indicator"]} and hit[0] in one
    assert all(int(d["regions"]) == len({x["region"] for x in one}) for d in one)


SH_TITLE = "教育部：上海市双管齐下 以“双增”推进“双减”试点工作"


def test_seeds_article_facts(seeds_graph):
    r = run("article_facts", seeds_graph, {"title": SH_TITLE})
    assert r.rows and set(r.column("title")) == {SH_TITLE}
    facts = r.dicts()
    assert any(d["predicate"] == "adopts" and d["subject"] == "上海市" and "5+2" in d["object"] for d in facts)
    assert all(int(d["start"]) < int(d["end"]) for d in facts)
    assert {d["predicate"] for d in facts} <= {"adopts", "issues", "hasMetric"}
    everything = run("article_facts", seeds_graph)
    assert len({t for t in everything.column("title")}) == 2


def test_seeds_triple_provenance(seeds_graph):
    params = {"subject": "上海市", "predicate": "pol:adopts", "object": "“5+2”课后服务"}
    r = run("triple_provenance", seeds_graph, params).dicts()
    assert r
    for d in r:
        assert "5+2" in d["sentence"] and d["rule"]
        assert d["article"] in (SH_TITLE, "教育部发布“双减”工作试点地区典型案例 北京原有各类培训机构压减比例60%")


def test_seeds_agencies_of_region(seeds_graph):
    r = run("agencies_of_region", seeds_graph, {"region": "上海市"}).dicts()
    docs = {d["agency"]: int(d["documents"]) for d in r}
    assert docs.get("上海市人民政府", 0) >= 1
    assert all(d["region"] == "上海市" for d in r)
    national = {d["agency"] for d in run("agencies_of_region", seeds_graph, {"region": "全国"}).dicts()}
    assert "教育部" in national


def test_seeds_joint_documents(seeds_graph):
    r = run("joint_documents", seeds_graph).dicts()
    issuers: dict = {}
    for d in r:
        issuers.setdefault((d["document"], d["issuers"]), set()).add(d["agency"])
    for (doc, n), agencies in issuers.items():
        assert int(n) >= 2 and len(agencies) == int(n), doc
    # “市委、市政府 … 发布《实施意见》《任务分工方案》”
    assert any({"上海市委", "上海市人民政府"} <= agencies for agencies in issuers.values())


def test_seeds_most_mentioned_entities(seeds_graph):
    r = run("most_mentioned_entities", seeds_graph, {"class": "pol:Region"}).dicts()
    assert r[0]["entity"] == "上海市" and int(r[0]["articles"]) == 2
    top = run("most_mentioned_entities", seeds_graph).dicts()
    assert len(top) == 20 and int(top[0]["articles"]) == 2
    n = [int(d["articles"]) for d in top]
    assert n == sorted(n, reverse=True)


def test_every_query_agrees_between_engines_on_seeds(seeds_graph):
    for q in list_queries():
        a = run(q, seeds_graph, engine="store")
        b = run(q, seeds_graph, engine="rdflib")
        assert sorted(rows(a), key=repr) == sorted(rows(b), key=repr), q.name


# ---------------------------------------------------------------------------
# parameters are bound, never pasted


@pytest.mark.parametrize("engine", ENGINES)
def test_injection_attempts_are_just_values(engine):
    evil = ['上海市"@zh } UNION { ?r ?p ?o } #', "上海市\"@zh . } #", "}", "\\", "上海市'"]
    for v in evil:
        r = run("measures_by_region", MINI, {"region": v}, engine=engine)
        assert r.rows == [], v


def test_iri_parameter_rejects_non_iris():
    with pytest.raises(QueryError):
        run("most_mentioned_entities", MINI, {"class": "<http://x> } ?s ?p ?o {"})
    with pytest.raises(QueryError):
        run("most_mentioned_entities", MINI, {"class": "nope:Region"})


def test_unknown_parameter_and_unknown_query():
    with pytest.raises(QueryError, match="declares no parameter 'city'"):
        run("measures_by_region", MINI, {"city": "上海市"})
    with pytest.raises(QueryError, match="named queries"):
        run("no_such_query", MINI)


def test_param_kinds():
    p = kq.Param("n", "integer")
    assert kq.make_term(p, "12") == Literal("12", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))
    with pytest.raises(QueryError):
        kq.make_term(p, "12; DROP")
    assert kq.make_term(kq.Param("d", "decimal"), "21.73").datatype.endswith("#decimal")
    assert kq.make_term(kq.Param("s", "string"), "%").language is None
    assert kq.make_term(kq.Param("l", "label"), "上海市").language == "zh"


def test_query_file_with_own_params(tmp_path):
    f = tmp_path / "mine.rq"
    f.write_text("# Labels of one class.\n# param: cls (iri, a class)\n"
                 "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                 "SELECT ?cls ?label WHERE { ?x a ?cls ; rdfs:label ?label } ORDER BY ?label\n", encoding="utf-8")
    r = run(str(f), MINI, {"cls": "pol:Document"})
    # code-point order: “ (U+201C) sorts before every CJK character
    assert r.column("label") == ["“双减”工作试点地区典型案例", "上海市民办培训机构培训资金管理指引", "实施意见",
                                 "浦东新区课后服务实施方案"]


# ---------------------------------------------------------------------------
# syntax errors


def test_syntax_error_reports_the_line(tmp_path):
    f = tmp_path / "bad.rq"
    f.write_text("# broken\nPREFIX pol: <https://w3id.org/policy-kg/ontology#>\nSELECT ?x WHERE {\n  ?x pol:adopts \n}\n",
                 encoding="utf-8")
    with pytest.raises(QuerySyntaxError) as e:
        run(str(f), MINI)
    assert e.value.line == 5
    assert f"{f}:5:" in str(e.value)


def test_cli_syntax_error_exit_2(tmp_path, capsys):
    f = tmp_path / "bad.rq"
    f.write_text("SELECT * WHERE {\n ?s ?p \n", encoding="utf-8")
    assert main(["query", str(f), "--graph", str(MINI)]) == 2
    err = capsys.readouterr().err
    assert "syntax error" in err and re.search(r"bad\.rq:\d+:\d+", err)


# ---------------------------------------------------------------------------
# output formats


def test_table_is_aligned_for_wide_characters():
    out = format_result(run("measures_by_region", MINI), "table")
    lines = out.rstrip("\n").split("\n")
    assert lines[0].split() == ["region", "measure", "evidence"]
    assert set(lines[1]) <= {"-", " "}
    # the numeric column ends at the same terminal column on every line
    assert len({text_width(l) for l in lines}) == 1
    # the measure column starts at the same terminal column on every row
    starts = {text_width(l[:l.index("“") if "“" in l else l.index("压")]) for l in lines[2:]}
    assert len(starts) == 1
    assert text_width("上海市") == 6 and text_width("abc") == 3 and text_width("“5+2”") == 5


def test_json_is_sparql_results_json():
    doc = json.loads(format_result(run("metrics_of_measure", MINI, {"measure": "压减学科类培训机构"}), "json"))
    assert doc["head"]["vars"][:3] == ["region", "measure", "indicator"]
    b = doc["results"]["bindings"][0]
    assert b["region"] == {"type": "literal", "value": "上海市", "xml:lang": "zh"}
    assert b["value"] == {"type": "literal", "value": "21.73", "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}
    assert b["unit"] == {"type": "literal", "value": "%"}
    # what pyoxigraph's own parser reads back
    import pyoxigraph as ox
    sols = ox.parse_query_results(json.dumps(doc), format=ox.QueryResultsFormat.JSON)
    assert len(list(sols)) == 3


def test_json_omits_unbound_and_reads_back():
    r = kq.Result("select", ["a", "b"], [(Literal("x"), None)])
    doc = json.loads(kq.as_json(r))
    assert doc["results"]["bindings"] == [{"a": {"type": "literal", "value": "x"}}]
    assert kq.parse_json_results(kq.as_json(r)).rows == r.rows


def test_csv_and_tsv():
    r = run("triple_provenance", MINI, {"subject": "上海市", "predicate": "pol:adopts", "object": "“5+2”课后服务"})
    text = format_result(r, "csv")
    assert text.startswith("subject,predicate,object,article,start,end,sentence,rule\r\n")
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back[2][6] == TRICKY  # quotes, backslash and newline survive CSV quoting
    assert back[1][1] == "https://w3id.org/policy-kg/ontology#adopts"
    tsv = format_result(r, "tsv").split("\n")
    assert tsv[0].split("\t")[:3] == ["?subject", "?predicate", "?object"]
    cells = tsv[2].split("\t")
    assert cells[0] == '"上海市"@zh' and cells[1] == "<https://w3id.org/policy-kg/ontology#adopts>"
    assert cells[4] == "40" and cells[6] == '"“5+2”课后服务覆盖全市。\\n（注：含\\"引号\\"与反斜杠\\\\）"@zh'
    import pyoxigraph as ox
    sols = list(ox.parse_query_results("\n".join(tsv), format=ox.QueryResultsFormat.TSV))
    assert sols[1]["sentence"].value == TRICKY


# ---------------------------------------------------------------------------
# command line


def test_cli_named_query_with_params_and_formats(capsys):
    assert main(["query", "measures_by_region", "--graph", str(MINI), "--param", "region=上海市", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["results"]["bindings"]) == 4


def test_cli_backwards_compatible_graph_then_query(capsys):
    assert main(["query", str(MINI), "measures_by_region"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["region", "measure", "evidence"]
    assert main(["query", "measures_by_region", str(MINI), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("region,measure,evidence\r\n")
    assert kq.run_query_file(str(MINI), "measures_by_region") == format_result(run("measures_by_region", MINI), "table")


def test_cli_errors_exit_2(capsys):
    assert main(["query", "measures_by_region", "--graph", str(MINI), "--param", "city=上海"]) == 2
    assert "declares no parameter" in capsys.readouterr().err
    assert main(["query", "measures_by_region", "--graph", str(MINI), "--param", "region"]) == 2
    assert main(["query", "measures_by_region", "--graph", "/nonexistent/graph.ttl"]) == 2
    assert "no graph" in capsys.readouterr().err


def test_cli_list(capsys):
    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    for name in COMPETENCY:
        assert name in out
    assert "--param region=" in out


def test_cli_graph_folder(seeds_graph, capsys):
    assert main(["query", "joint_documents", "--graph", str(seeds_graph.parent), "--format", "tsv"]) == 0
    assert capsys.readouterr().out.startswith("?document\t?issuers\t?agency\n")


# ---------------------------------------------------------------------------
# issue 13, defect 9: aliases, the --list examples, predeclared prefixes


@pytest.mark.parametrize("engine", ENGINES)
def test_label_parameters_resolve_aliases(engine):
    full = rows(run("measures_by_region", MINI, {"region": "上海市"}, engine=engine))
    assert full
    via_alt = run("measures_by_region", MINI, {"region": "上海"}, engine=engine)     # the node's altLabel
    assert rows(via_alt) == full and via_alt.notes == ["region=上海 is an alias of 上海市"]
    beijing = rows(run("measures_by_region", MINI, {"region": "北京市"}, engine=engine))
    via_gaz = run("measures_by_region", MINI, {"region": "京"}, engine=engine)       # gazetteer only
    assert rows(via_gaz) == beijing and via_gaz.notes == ["region=京 is a short form of 北京市"]
    agency = run("documents_by_agency", MINI, {"agency": "市教委"}, engine=engine)
    assert rows(agency, "agency") == [("上海市教委",)]
    exact = run("measures_by_region", MINI, {"region": "上海市"}, engine=engine)
    assert exact.notes == []
    assert run("measures_by_region", MINI, {"region": "火星"}, engine=engine).rows == []


def test_an_alias_of_several_entities_is_an_error(tmp_path):
    g = tmp_path / "two.ttl"
    g.write_text(MINI.read_text(encoding="utf-8").replace('skos:altLabel "北京"@zh', 'skos:altLabel "北京"@zh , "沪"@zh'),
                 encoding="utf-8")
    with pytest.raises(QueryError, match="alias of 2 entities .*上海市.*北京市|alias of 2 entities .*北京市.*上海市") as e:
        run("measures_by_region", g, {"region": "沪"})
    assert e.value.code == "E512"


def test_cli_says_which_alias_it_resolved(capsys):
    assert main(["query", "measures_by_region", "--graph", str(MINI), "--param", "region=上海", "--format", "csv"]) == 0
    out = capsys.readouterr()
    assert "kg query: region=上海 is an alias of 上海市" in out.err
    assert out.out.count("\r\n上海市,") == 4


def test_every_example_of_list_returns_rows_on_the_seeds(seeds_graph, capsys):
    import shlex
    assert main(["query", "--list"]) == 0
    examples = [line.strip().removeprefix("e.g. kg query ") for line in capsys.readouterr().out.splitlines()
                if line.strip().startswith("e.g. kg query ")]
    assert len(examples) >= 10
    for ex in examples:
        args = shlex.split(ex)
        assert main(["query", *args, "--graph", str(seeds_graph), "--format", "csv"]) == 0, ex
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) >= 2, f"no rows: kg query {ex}"
    listed = {shlex.split(ex)[0] for ex in examples}
    assert listed == {q.name for q in list_queries()} - {"regions_same_measure"}   # the seeds share no measure


def test_a_query_file_without_prefixes_uses_the_ontology_prefixes(tmp_path, capsys):
    f = tmp_path / "mine.rq"
    f.write_text("SELECT ?label WHERE { ?r a pol:Region ; rdfs:label ?label } ORDER BY ?label\n", encoding="utf-8")
    for engine in ENGINES:
        assert run(str(f), MINI, engine=engine).column("label") == ["上海市", "全国", "北京市", "浦东新区"]
    assert main(["query", str(f), "--graph", str(MINI)]) == 0
    own = tmp_path / "own.rq"   # a query's own PREFIX wins
    own.write_text("PREFIX pol: <http://example.org/>\nSELECT ?r WHERE { ?r a pol:Region }\n", encoding="utf-8")
    assert run(str(own), MINI).rows == []
