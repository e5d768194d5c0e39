"""Named SPARQL queries over a built graph."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from .vocab import ontology_path


def query_path(name_or_file: str) -> Path:
    p = Path(name_or_file)
    if p.suffix == ".rq" and p.exists():
        return p
    named = ontology_path() / "queries" / f"{name_or_file.removesuffix('.rq')}.rq"
    if named.exists():
        return named
    raise FileNotFoundError(f"no query file or named query {name_or_file!r}")


def run_query_file(graph_path: str, query: str) -> str:
    g = Graph()
    g.parse(graph_path, format="turtle")
    res = g.query(query_path(query).read_text(encoding="utf-8"))
    rows = [[("" if v is None else str(v)) for v in row] for row in res]
    head = [str(v) for v in res.vars]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(lines) + "\n"
