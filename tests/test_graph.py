"""Golden graph: a small article built end to end equals a reviewed Turtle file."""
from pathlib import Path

import pyoxigraph
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.extract import extract_article
from kg.graph import build_graph
from kg.export.turtle import serialize
from kg.read import read_article

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = "tests/fixtures/golden_article.md"
EXPECTED = ROOT / "tests" / "fixtures" / "golden_article.ttl"


def _build(monkeypatch) -> Graph:
    monkeypatch.chdir(ROOT)
    article, problems = read_article(Path(FIXTURE))
    assert article is not None and not [p for p in problems if p.code.startswith("E")]
    return build_graph([extract_article(article)])


def test_golden_graph_is_isomorphic(monkeypatch):
    got = _build(monkeypatch)
    expected = Graph().parse(EXPECTED, format="turtle")
    assert isomorphic(got, expected)


def test_golden_graph_is_byte_identical(monkeypatch):
    assert serialize(_build(monkeypatch)) == EXPECTED.read_text(encoding="utf-8")


def test_golden_turtle_parses_strictly():
    quads = list(pyoxigraph.parse(EXPECTED.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(Graph().parse(EXPECTED, format="turtle"))


def test_merging_is_order_independent(monkeypatch):
    monkeypatch.chdir(ROOT)
    exs = [extract_article(read_article(p)[0]) for p in sorted((ROOT / "seeds").iterdir())]
    assert serialize(build_graph(exs)) == serialize(build_graph(list(reversed(exs))))
