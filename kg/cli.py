"""`kg`: a thin command line over the library (kg.build, kg.query …).

Exit codes of `kg build`: 0 every article built (notes, e.g. a README, aside);
1 built, some files skipped; 2 nothing built, the output folder cannot be
written, or --strict and a problem was found (then no output is replaced).
"""
from __future__ import annotations

import argparse
import sys


def _cmd_build(args) -> int:
    from .pipeline import OutputError, build

    def show(p):
        print(str(p), file=sys.stderr)

    try:
        result = build(args.inputs, args.out, jobs=args.jobs, html=not args.no_html, store=not args.no_store,
                       strict=args.strict, on_problem=show, cache=not args.no_cache, executor=args.executor,
                       scheduler=args.scheduler, progress=args.progress)
    except OutputError as e:  # checked before any file is read
        print(f"kg build: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:      # the output folder failed while writing: the previous outputs stay
        print(f"kg build: error: cannot write output in {args.out} ({e.strerror or e}); "
              f"the previous outputs were left as they were", file=sys.stderr)
        return 2
    print(result.summary())
    if result.failed == "nothing built":
        print(f"kg build: error: no article could be built; the outputs in {args.out} were left as they were",
              file=sys.stderr)
        return 2
    if result.failed == "strict":
        probs = result.strict_problems
        print(f"kg build: error: --strict: {len(probs)} problem{'s' if len(probs) != 1 else ''} "
              f"(below); the outputs in {args.out} were left as they were", file=sys.stderr)
        for p in probs[:50]:
            print(f"  {p}", file=sys.stderr)
        if len(probs) > 50:
            print(f"  … and {len(probs) - 50} more (listed above)", file=sys.stderr)
        return 2
    for kind, path in sorted(result.outputs.items()):
        print(f"  {kind}: {path}")
    return 1 if result.skipped else 0


def _cmd_query(args) -> int:
    from .query import (QueryError, describe, format_result, is_query_ref, list_queries, run)

    try:
        if args.list:
            print(describe(list_queries()), end="")
            return 0
        pos = list(args.args)
        if not pos or len(pos) > 2:
            raise QueryError("expected a query: kg query NAME|FILE.rq [--graph FILE] (or kg query GRAPH QUERY)")
        graph = args.graph
        if len(pos) == 2:
            # `kg query GRAPH QUERY` (the first form) or `kg query QUERY GRAPH`
            if is_query_ref(pos[0]) and not is_query_ref(pos[1]):
                query, pos_graph = pos
            else:
                pos_graph, query = pos
            if graph and graph != pos_graph:
                raise QueryError(f"two graphs given: {graph} and {pos_graph}")
            graph = pos_graph
        else:
            query = pos[0]
        result = run(query, graph, args.param, engine=args.engine)
        sys.stdout.write(format_result(result, args.format))
        return 0
    except QueryError as e:
        print(f"kg query: error: {e}", file=sys.stderr)
        return e.exit_code


def _cmd_export(args) -> int:
    from .export.formats import export
    from .query import QueryError, resolve_graph

    try:
        graph = resolve_graph(args.graph_pos or args.graph)
        text = export(graph, args.format, args.out)
    except QueryError as e:
        print(f"kg export: error: {e}", file=sys.stderr)
        return 2
    except (SyntaxError, OSError) as e:
        print(f"kg export: error: {e}", file=sys.stderr)
        return 1
    if text is not None:
        sys.stdout.write(text)
    else:
        print(f"{args.format}: {args.out}", file=sys.stderr)
    return 0


def _cmd_push(args) -> int:
    from .query import QueryError, resolve_graph
    from .store import PushError, push

    try:
        graph = resolve_graph(args.graph_pos or args.from_graph)
    except QueryError as e:
        print(f"kg push: error: {e}", file=sys.stderr)
        return 2
    try:
        report = push(graph, args.endpoint, args.graph, user=args.user, timeout=args.timeout)
    except PushError as e:
        print(f"kg push: error: {e}", file=sys.stderr)
        return 1
    print(report.summary())
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


def _cmd_view(args) -> int:
    from .export.html import view
    print(view(args.graph, args.out, open_browser=not args.no_open))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="Knowledge graphs from Chinese policy news.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="read articles, write output/graph.ttl and output/graph.html")
    b.add_argument("inputs", nargs="+", help="article files or folders")
    b.add_argument("--out", default="output", help="output folder (default: output)")
    b.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    b.add_argument("--no-cache", action="store_true",
                   help="extract every file again (default: reuse unchanged files' extractions from OUT/.cache/)")
    b.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="local worker processes (default) or a dask.distributed cluster")
    b.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --executor dask; "
                        "default: a LocalCluster of --jobs workers)")
    pg = b.add_mutually_exclusive_group()
    pg.add_argument("--progress", dest="progress", action="store_true", default=None,
                    help="show a progress bar (default: only when stderr is a terminal)")
    pg.add_argument("--quiet", dest="progress", action="store_false", help="no progress bar")
    b.add_argument("--no-html", action="store_true", help="skip the HTML viewer (a graph.html of an earlier build is removed)")
    b.add_argument("--no-store", action="store_true",
                   help="skip the on-disk store (only graph.ttl, to load elsewhere; an earlier store/ is removed)")
    b.add_argument("--strict", action="store_true",
                   help="any problem with an input (notes aside) fails the build, lists the problems "
                        "and leaves the previous outputs as they were")
    b.set_defaults(func=_cmd_build)

    q = sub.add_parser("query", help="run a named SPARQL query (or a .rq file) over the built graph",
                       description="kg query NAME|FILE.rq [--graph output/graph.ttl] [--param NAME=VALUE] "
                                   "[--format table|csv|json|tsv]; also kg query GRAPH QUERY. "
                                   "Exit 2 on an unknown query, a bad parameter or a syntax error.")
    q.add_argument("args", nargs="*", metavar="QUERY", help="a named query (see --list) or a .rq file; "
                   "optionally with the graph before or after it")
    q.add_argument("--graph", help="the graph: a Turtle file or an output folder (default: output/)")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a parameter the query declares (repeatable), e.g. region=上海市")
    q.add_argument("--format", choices=("table", "csv", "json", "tsv"), default="table",
                   help="aligned table (default) or SPARQL 1.1 CSV / JSON / TSV results")
    q.add_argument("--engine", choices=("auto", "store", "memory", "rdflib"), default="auto",
                   help="auto: the on-disk store beside the Turtle if fresh, else load the Turtle (default)")
    q.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    q.set_defaults(func=_cmd_query)

    x = sub.add_parser("export", help="write the graph as N-Triples, TriG, N-Quads, JSON-LD or Turtle")
    x.add_argument("graph_pos", nargs="?", metavar="GRAPH", help="the Turtle graph (default: output/graph.ttl)")
    x.add_argument("--graph", help="the Turtle graph or output folder (default: output/)")
    x.add_argument("--format", required=True, choices=("nt", "trig", "nquads", "jsonld", "ttl"),
                   help="trig/nquads: one named graph per article (graph IRI = article IRI)")
    x.add_argument("--out", help="output file, written atomically (default: standard output)")
    x.set_defaults(func=_cmd_export)

    u = sub.add_parser("push", help="load the graph into a store over the SPARQL 1.1 Graph Store HTTP Protocol")
    u.add_argument("graph_pos", nargs="?", metavar="GRAPH", help="the Turtle graph (default: output/graph.ttl)")
    u.add_argument("--endpoint", required=True,
                   help="the Graph Store endpoint, e.g. http://localhost:7878/store (Oxigraph), "
                        "http://localhost:3030/ds/data (Fuseki)")
    u.add_argument("--graph", metavar="IRI",
                   help="PUT everything into this one named graph (default: one graph per article)")
    u.add_argument("--from", dest="from_graph", metavar="FILE", help="the Turtle graph or output folder")
    u.add_argument("--user", metavar="NAME:PASSWORD", help="HTTP basic/digest credentials")
    u.add_argument("--timeout", type=float, default=300, help="seconds per request (default 300)")
    u.set_defaults(func=_cmd_push)

    e = sub.add_parser("eval", help="precision/recall/F1 against gold files")
    e.add_argument("graph")
    e.add_argument("--gold", nargs="+", required=True)
    e.set_defaults(func=_cmd_eval)

    v = sub.add_parser("validate", help="check a graph against ontology/shapes.ttl (SHACL)")
    v.add_argument("graph")
    v.set_defaults(func=_cmd_validate)

    w = sub.add_parser("view", help="write the HTML viewer for a graph and open it in a browser")
    w.add_argument("graph", help="a graph.ttl, or a build output folder holding graph.ttl")
    w.add_argument("--out", default=None, help="HTML file to write (default: the graph's path with .html)")
    w.add_argument("--no-open", action="store_true", help="write the page but do not open a browser")
    w.set_defaults(func=_cmd_view)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
