"""Check a graph against the ontology contract (ontology/shapes.ttl) with pySHACL.

The shapes and the ontology are parsed once per process and reused. The
ontology is mixed into a copy of the data graph (pySHACL's ont_graph) so
that sh:class sees the class declarations; no RDFS/OWL inference is run,
which keeps validation fast and makes it check what is written, not what
could be inferred.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Union

from rdflib import Graph
from rdflib.util import guess_format

from kg.vocab import SH, ontology_path

__all__ = ["validate", "load_shapes", "load_ontology", "ontology_path", "ValidateError", "graph_file", "read_graph"]

GraphSource = Union[str, Path, Graph]


class ValidateError(Exception):
    """The graph cannot be validated: `code` (E501 missing, E502 does not parse,
    E503 SHACL cannot run), `path`, and what is wrong, for a one-line message."""

    def __init__(self, code: str, path: object, what: str):
        self.code, self.path, self.what = code, str(path), what
        super().__init__(f"{code} {path}: {what}")


def graph_file(source: str | Path) -> Path:
    """A graph file, or a build output folder holding graph.ttl."""
    path = Path(source)
    if path.is_dir():
        path = path / "graph.ttl"
    if not path.is_file():
        what = "not a file" if path.exists() else "no graph here (run `kg build` first)"
        raise ValidateError("E501", path, what)
    return path


@lru_cache(maxsize=1)
def load_shapes() -> Graph:
    return Graph().parse(ontology_path() / "shapes.ttl", format="turtle")


@lru_cache(maxsize=1)
def load_ontology() -> Graph:
    return Graph().parse(ontology_path() / "policy.ttl", format="turtle")


def _load_data(source: GraphSource) -> tuple[Graph, bool]:
    """The data graph, and whether it is ours to mutate."""
    if isinstance(source, Graph):
        return source, False
    path = graph_file(source)
    fmt = guess_format(str(path)) or "turtle"
    try:
        return Graph().parse(path, format=fmt), True
    except Exception as exc:  # rdflib raises many parser-specific types
        what = " ".join(f"does not parse as {fmt}: {type(exc).__name__}: {exc}".split())
        raise ValidateError("E502", path, what[:300]) from exc


def read_graph(source: str | Path) -> Graph:
    """The graph in an RDF file or build folder, parsed (ValidateError E501/E502 if it cannot be)."""
    return _load_data(source)[0]


def count_violations(results: Graph) -> int:
    return sum(1 for _ in results.subjects(SH.resultSeverity, SH.Violation))


def validate(data: GraphSource) -> tuple[bool, str, int]:
    """Validate a graph (an rdflib Graph, or a path to an RDF file or to a build folder).

    Returns (conforms, human-readable report, number of violations).
    A graph passed in is not modified.
    """
    from pyshacl import validate as shacl_validate  # slow import; only when used

    graph, owned = _load_data(data)
    conforms, results, text = shacl_validate(
        graph,
        shacl_graph=load_shapes(),
        ont_graph=load_ontology(),
        inference="none",
        advanced=False,
        inplace=owned,
        allow_warnings=False,
    )
    if not isinstance(results, Graph):  # pySHACL reports a broken shapes graph this way
        raise ValidateError("E503", ontology_path() / "shapes.ttl", f"SHACL validation could not run: {text}")
    return bool(conforms), str(text), count_violations(results)
