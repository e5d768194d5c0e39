"""`kg`: a thin command line over the library (kg.build, kg.query …).

Exit codes of `kg build`: 0 every article built (notes, e.g. a README, aside);
1 built, some files skipped; 2 nothing built, the output folder cannot be
written, or --strict and a problem was found (then no output is replaced).

Every command reports bad input in one line, `kg CMD: error: CODE FILE: what
is wrong`, and exits 2; Ctrl-C prints `kg: interrupted` and exits 130.
Codes (the build's own, E0xx/W0xx, are in kg/errors.py):

    E500  a file cannot be read or written (no more precise code applies)
    E501  no graph at the path given        E502  the graph does not parse
    E503  SHACL validation cannot run       E504  a gold file cannot be read
    E505  a gold file is not gold JSON      E506  an output cannot be written
    E507  the graph holds none of the gold's articles
    E510  the query or a parameter          E511  SPARQL syntax error
    E512  an alias names several entities   E520  the server refused (exit 1)
    E599  internal error (a bug; KG_DEBUG=1 shows the traceback)
"""
from __future__ import annotations

import argparse
import os
import sys


class CliError(Exception):
    """Bad input to a command: one line `CODE PATH: what`, exit `exit_code`."""

    def __init__(self, code: str, path: object, what: str, exit_code: int = 2):
        self.code, self.path, self.what, self.exit_code = code, path, what, exit_code
        super().__init__(f"{code} {path}: {what}" if path not in (None, "") else f"{code} {what}")


def _query_error(e) -> CliError:
    return CliError(e.code, None, str(e), e.exit_code)


def _cmd_build(args) -> int:
    from .pipeline import OutputError, build

    def show(p):
        print(str(p), file=sys.stderr)

    try:
        result = build(args.inputs, args.out, jobs=args.jobs, html=not args.no_html, store=not args.no_store,
                       strict=args.strict, on_problem=show, cache=not args.no_cache, executor=args.executor,
                       scheduler=args.scheduler, progress=args.progress)
    except OutputError as e:  # checked before any file is read
        raise CliError("E506", args.out, str(e)) from None
    except OSError as e:      # the output folder failed while writing: the previous outputs stay
        raise CliError("E506", args.out, f"cannot write output ({_write_problem(args.out, e)}); "
                       "the previous outputs were left as they were") from None
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
    from .query import QueryError, describe, format_result, is_query_ref, list_queries, run

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
        text = format_result(result, args.format)
    except QueryError as e:
        raise _query_error(e) from None
    for note in result.notes:
        print(f"kg query: {note}", file=sys.stderr)
    sys.stdout.write(text)
    return 0


def _cmd_export(args) -> int:
    from .export.formats import export
    from .query import QueryError, resolve_graph

    try:
        graph = resolve_graph(args.graph_pos or args.graph)
    except QueryError as e:
        raise _query_error(e) from None
    try:
        text = export(graph, args.format, args.out)
    except (SyntaxError, ValueError) as e:
        raise CliError("E502", graph, f"does not parse as Turtle ({_one_line(e)})") from None
    except OSError as e:
        raise CliError("E506", args.out, f"cannot write here ({_write_problem(args.out, e)})") from None
    if text is not None:
        sys.stdout.write(text)
    else:
        print(f"{args.format}: {args.out}", file=sys.stderr)
    return 0


def _cmd_push(args) -> int:
    from .query import QueryError, resolve_graph
    from .store import PushError, push

    try:
        graph = resolve_graph(args.graph_pos or args.from_graph, option="--from")
    except QueryError as e:
        raise _query_error(e) from None
    try:
        report = push(graph, args.endpoint, args.graph, user=args.user, timeout=args.timeout)
    except PushError as e:
        raise CliError("E520", None, str(e), exit_code=1) from None
    except (SyntaxError, ValueError) as e:
        raise CliError("E502", graph, f"does not parse as Turtle ({_one_line(e)})") from None
    print(report.summary())
    return 0


def _cmd_eval(args) -> int:
    import json

    from .evaluate import evaluate
    from .validate import ValidateError, read_graph

    gold = _read_gold(args.gold)
    try:
        graph = read_graph(args.graph)
    except ValidateError as e:
        raise CliError(e.code, e.path, e.what) from None
    report = evaluate(graph, gold)
    missing, scored = report.articles_missing, report.articles_scored
    if scored and len(missing) == len(scored):
        raise CliError("E507", args.graph, f"holds none of the {len(scored)} gold articles "
                       f"({', '.join(scored[:3])}{' …' if len(scored) > 3 else ''}): "
                       "was it built from the articles the gold annotates?")
    if args.json:
        print(json.dumps(report.as_dict(details=args.details), ensure_ascii=False, indent=2))
    else:
        print(report.as_table())
        if args.details:
            for s in report.scores():
                for x in s.missed:
                    print(f"[{s.name}] missed: {x}")
                for x in s.spurious:
                    print(f"[{s.name}] spurious: {x}")
    if missing:
        print(f"kg eval: {len(missing)} of {len(scored)} gold articles are not in the graph "
              f"(scored as all missed): {', '.join(missing)}", file=sys.stderr)
    return 0


def _read_gold(paths: list[str]) -> list[dict]:
    """The gold files, each checked: a file that is missing or not gold JSON is one line, naming it."""
    import json

    from .evaluate import load_gold
    gold: list[dict] = []
    for p in paths:
        try:
            gold += load_gold([p])
        except FileNotFoundError:
            raise CliError("E504", p, "no such gold file") from None
        except IsADirectoryError:
            raise CliError("E504", p, "a folder, not a gold file (give the .json files)") from None
        except OSError as e:
            raise CliError("E504", p, f"cannot read ({e.strerror or e})") from None
        except UnicodeDecodeError:
            raise CliError("E505", p, "not UTF-8 text: a gold file is JSON") from None
        except json.JSONDecodeError as e:
            raise CliError("E505", p, f"not JSON (line {e.lineno} column {e.colno}: {e.msg})") from None
        except ValueError as e:
            raise CliError("E505", p, str(e).removeprefix(f"{p}: ")) from None
    return gold


def _cmd_train(args) -> int:
    import json
    import time

    from . import train

    def show(report: dict) -> None:
        print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else train.table(report))

    if args.blind:
        show(train.score(train.blind_gold()))
        return 0
    from pathlib import Path
    if args.cv:
        t0 = time.perf_counter()
        subset = [Path(p) for p in args.score] if args.score else None
        if subset:
            _read_gold(args.score)   # one line per bad gold file
        show(train.cross_validate(args.cv, subset=subset))
        print(f"kg train: {args.cv}-fold cross-validation by article in {time.perf_counter() - t0:.1f}s",
              file=sys.stderr)
        return 0
    models, stats = train.train(out_dir=Path(args.out) if args.out else None)
    for kind, m in stats["models"].items():
        print(f"{kind} model {models[kind].version}: {m['weights']} weights from {m['examples']} candidates "
              f"({m['positives']} positive) of {stats['articles']} articles, {m['bytes']} bytes -> {m['path']}")
    print(f"trained in {stats['seconds']}s")
    return 0


def _cmd_validate(args) -> int:
    from .validate import ValidateError, graph_file, validate

    try:
        path = graph_file(args.graph)
        ok, text, n = validate(path)
    except ValidateError as e:
        raise CliError(e.code, e.path, e.what) from None
    print(text if not ok else f"{path}: conforms (0 violations)")
    return 0 if ok else 1


def _cmd_view(args) -> int:
    from .export.html import NotFound, view
    from .validate import ValidateError, graph_file

    try:
        src = graph_file(args.graph)
    except ValidateError as e:
        raise CliError(e.code, e.path, e.what) from None
    out = args.out or src.with_suffix(".html")
    try:
        path = view(src, out, open_browser=False, region=args.region, focus=args.focus, limit=args.limit)
    except NotFound as e:
        raise CliError("E510", src, e.args[0]) from None
    except (SyntaxError, ValueError) as e:
        raise CliError("E502", src, f"does not parse ({_one_line(e)})") from None
    except OSError as e:
        raise CliError("E506", out, f"cannot write the viewer here ({_write_problem(out, e)})") from None
    path = path.resolve()
    print(path)
    if not args.no_open and not _open_browser(path.as_uri()):
        print(f"kg view: no browser found: open {path.as_uri()} in a browser "
              "(or set BROWSER to the browser's command)", file=sys.stderr)
    return 0


def _open_browser(uri: str) -> bool:
    import webbrowser
    try:
        return bool(webbrowser.open(uri))
    except webbrowser.Error:
        return False


def _write_problem(out, e: OSError) -> str:
    """Why `out` cannot be written, in the user's terms."""
    from pathlib import Path
    for parent in Path(out).parents:
        if parent.exists():
            return (e.strerror or str(e)) if parent.is_dir() else f"{parent} is a file, not a folder"
    return e.strerror or str(e)


def _one_line(e: BaseException, limit: int = 600) -> str:
    text = " ".join(str(e).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def parser() -> argparse.ArgumentParser:
    from . import __version__
    p = argparse.ArgumentParser(prog="kg", description="Knowledge graphs from Chinese policy news.")
    p.add_argument("--version", action="version", version=f"kg (policy-kg) {__version__}")
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

    e = sub.add_parser("eval", help="precision/recall/F1 against gold files",
                       description="Score a built graph against gold annotations (../shared/spec/annotation.md). "
                                   "Exit 2 if the graph holds none of the gold's articles.")
    e.add_argument("graph", help="a graph.ttl, or a build output folder holding graph.ttl")
    e.add_argument("--gold", nargs="+", required=True, metavar="FILE", help="gold JSON file(s)")
    e.add_argument("--json", action="store_true", help="print the scores as JSON instead of a table")
    e.add_argument("--details", action="store_true", help="also list the missed and spurious items")
    e.set_defaults(func=_cmd_eval)

    t = sub.add_parser("train", help="learn which candidates to keep from the gold (tests/gold, seeds)",
                       description="Train the measure and figure models from every gold file but the blind set "
                                   "(kg/extract/data/*.json), or measure them: --cv K cross-validates by article, "
                                   "--blind scores the committed models on the blind set.")
    t.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation by article; writes no model")
    t.add_argument("--score", nargs="+", metavar="GOLD", help="with --cv: report only these gold files' articles")
    t.add_argument("--blind", action="store_true", help="score the committed models on tests/gold/blind (once)")
    t.add_argument("--out", metavar="DIR", help="write the models here instead of kg/extract/data/")
    t.add_argument("--json", action="store_true", help="print the report as JSON")
    t.set_defaults(func=_cmd_train)

    v = sub.add_parser("validate", help="check a graph against ontology/shapes.ttl (SHACL)")
    v.add_argument("graph", help="a graph.ttl, or a build output folder holding graph.ttl")
    v.set_defaults(func=_cmd_validate)

    w = sub.add_parser("view", help="write the HTML viewer for a graph and open it in a browser")
    w.add_argument("graph", help="a graph.ttl, or a build output folder holding graph.ttl")
    w.add_argument("--out", default=None, help="HTML file to write (default: the graph's path with .html)")
    w.add_argument("--no-open", action="store_true", help="write the page but do not open a browser")
    w.add_argument("--region", default=None, metavar="NAME",
                   help="only this region, its sub-regions and their facts (label, alias or division code)")
    w.add_argument("--focus", default=None, metavar="LABEL",
                   help="only this entity and what is at most two links from it")
    w.add_argument("--limit", type=int, default=None, metavar="N",
                   help="entities on the page at most (default 2500); over it the page is a summary")
    w.set_defaults(func=_cmd_view)
    return p


class _CtrlC:
    """Ctrl-C while one command runs.  The main process raises KeyboardInterrupt
    and remembers it; a forked worker (kg build --jobs N), which gets the same
    signal from the terminal, ends at once and silently.  A Ctrl-C that lands
    where Python cannot raise it (an at-fork hook while the pool starts) is
    not printed as "Exception ignored"; whatever follows (a broken pool, or
    the command's end) is reported as the interruption it is."""

    def __init__(self):
        import signal
        import threading
        self.seen = False
        self.pid = os.getpid()
        self.previous = signal.getsignal(signal.SIGINT)
        # not when Ctrl-C is ignored (a background job), nor off the main thread
        self.active = (self.previous is signal.default_int_handler
                       and threading.current_thread() is threading.main_thread())
        if self.active:
            signal.signal(signal.SIGINT, self._handler)
            self.hook, sys.unraisablehook = sys.unraisablehook, self._unraisable

    def _handler(self, signum, frame):
        if os.getpid() != self.pid:
            os._exit(130)
        self.seen = True
        raise KeyboardInterrupt

    def _unraisable(self, unraisable):
        if not self.seen:   # after Ctrl-C, "Exception ignored" is the interruption's echo (until exit)
            self.hook(unraisable)

    def restore(self):
        if self.active:
            import signal
            signal.signal(signal.SIGINT, self.previous)
            if not self.seen:
                sys.unraisablehook = self.hook


def main(argv: list[str] | None = None) -> int:
    command = ""
    ctrl_c = _CtrlC()
    try:
        args = parser().parse_args(argv)
        command = args.command
        code = args.func(args)
        if ctrl_c.seen:   # swallowed where it landed (see _CtrlC): still the user's answer
            raise KeyboardInterrupt
        return code
    except KeyboardInterrupt:
        return _interrupted(command)
    except Exception as e:
        if ctrl_c.seen:
            return _interrupted(command)
        return _report(command, e)
    finally:
        ctrl_c.restore()


def _interrupted(command: str) -> int:
    print("kg: interrupted", file=sys.stderr)
    if command == "build":
        _stop_workers()
    return 130


def _stop_workers() -> None:
    """End the build's worker processes.  A worker forked just as Ctrl-C came may
    have missed it (the child's pending-signal flag is reset after a fork) and,
    if the pool had not registered it yet, would wait for work forever."""
    import glob
    import signal

    pids = set()
    mp = sys.modules.get("multiprocessing")
    if mp is not None:
        pids |= {c.pid for c in mp.active_children() if c.pid}
    for f in glob.glob(f"/proc/{os.getpid()}/task/*/children"):   # Linux: also the unregistered ones
        try:
            with open(f) as fh:
                pids |= {int(p) for p in fh.read().split()}
        except OSError:
            pass
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass


def _report(command: str, e: Exception) -> int:
    """One line on stderr for an exception a command raised; the exit code."""
    if isinstance(e, CliError):
        print(f"kg {command}: error: {_one_line(e)}", file=sys.stderr)
        return e.exit_code
    if isinstance(e, BrokenPipeError):   # `kg query … | head`: the reader left; say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    if isinstance(e, OSError):           # a file a command reads or writes, not caught more precisely
        where = f" {e.filename}" if e.filename else ""
        print(f"kg {command}: error: E500{where}: {e.strerror or e}", file=sys.stderr)
        return 2
    if os.environ.get("KG_DEBUG"):       # a bug: one line unless asked for the traceback
        raise e
    print(f"kg {command}: error: E599 internal error: {type(e).__name__}: {_one_line(e)} "
          "(KG_DEBUG=1 shows the traceback)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
