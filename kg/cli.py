"""`kg`: a thin command line over the library (kg.build, kg.query …).

Exit codes of `kg build`: 0 all files built; 1 built, some files skipped;
2 nothing built (or --strict and a problem was found).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _cmd_build(args) -> int:
    from .pipeline import build

    def show(p):
        print(str(p), file=sys.stderr)

    result = build(args.inputs, args.out, jobs=args.jobs, html=not args.no_html, on_problem=show)
    print(result.summary())
    for kind, path in sorted(result.outputs.items()):
        print(f"  {kind}: {path}")
    if result.articles == 0:
        return 2
    if result.skipped:
        return 2 if args.strict else 1
    if args.strict and result.problems:
        return 2
    return 0


def _cmd_query(args) -> int:
    from .query import run_query_file
    print(run_query_file(args.graph, args.query), end="")
    return 0


def _cmd_eval(args) -> int:
    from rdflib import Graph
    from .evaluate import evaluate, load_gold
    g = Graph()
    g.parse(args.graph, format="turtle")
    report = evaluate(g, load_gold(args.gold))
    print(report.as_table())
    return 0


def _cmd_validate(args) -> int:
    from .validate import validate
    ok, text, n = validate(args.graph)
    print(text if not ok else f"{args.graph}: conforms (0 violations)")
    return 0 if ok else 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="Knowledge graphs from Chinese policy news.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="read articles, write output/graph.ttl and output/graph.html")
    b.add_argument("inputs", nargs="+", help="article files or folders")
    b.add_argument("--out", default="output", help="output folder (default: output)")
    b.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    b.add_argument("--no-html", action="store_true", help="skip the HTML viewer")
    b.add_argument("--strict", action="store_true", help="any problem with an input fails the build")
    b.set_defaults(func=_cmd_build)

    q = sub.add_parser("query", help="run a SPARQL query over a Turtle graph")
    q.add_argument("graph")
    q.add_argument("query", help="a .rq file or the name of one in ontology/queries")
    q.set_defaults(func=_cmd_query)

    e = sub.add_parser("eval", help="precision/recall/F1 against gold files")
    e.add_argument("graph")
    e.add_argument("--gold", nargs="+", required=True)
    e.set_defaults(func=_cmd_eval)

    v = sub.add_parser("validate", help="check a graph against ontology/shapes.ttl (SHACL)")
    v.add_argument("graph")
    v.set_defaults(func=_cmd_validate)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
