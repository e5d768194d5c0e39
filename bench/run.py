"""Time a full `kg build` and each of its stages; append the results to bench/RESULTS.md.

    python bench/make_corpus.py 1000 10000 100000
    python bench/run.py --sizes 1000 10000 100000 --jobs 1 2 --label after
    python bench/run.py --code /tmp/kg-before --sizes 1000 --label before   # another checkout
    python bench/run.py --sizes 10000 --jobs 2 --no-viewer --no-store --naive 1000 --no-stages
                        # Turtle only, and the naive stack on 1,000 articles in the same run

Two measurements per corpus size, each in a fresh process:

* build: `kg.pipeline.build(corpus, out, jobs=J)` with the cache off, wall
  time and peak memory (the sum of the RSS of the build process and its
  workers, sampled every 50 ms from /proc, and the largest single process's
  maxrss), for each --jobs value;
* stages (jobs 1, in one process): wall seconds in read (file -> Article,
  minus segmenting), segment (split_sentences), extract (the extractors,
  minus resolve), resolve (kg.resolve's functions, called by the
  extractors), graph (merge into the graph), serialise (Turtle), store
  (the pyoxigraph store load), viewer (the HTML page).

Each build row also gets the build's own per-stage seconds (BuildResult.timings:
discover, extract = the main process waiting for the workers, merge, finish,
turtle, store, html).  --naive times the naive stack (bs4 + jieba.posseg +
rdflib, `_NAIVE_CHILD`) on the same corpus in the same run.  The per-article
cost against an article's length is bench/long_article.py's.

Results are appended as a table to bench/RESULTS.md with the machine, the
commit and the command.  Never run from a test: this is a benchmark.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "RESULTS.md"

# ---------------------------------------------------------------- child code

_BUILD_CHILD = r"""
import inspect, json, sys, time
import kg.pipeline as p
corpus, out, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
kw = {"html": sys.argv[4] == "1"}
params = inspect.signature(p.build).parameters
if sys.argv[5] == "0":
    if "store" not in params: raise SystemExit("this code has no store=False")
    kw["store"] = False
if "cache" in params: kw["cache"] = False
if "progress" in params: kw["progress"] = False
t = time.perf_counter()
r = p.build([corpus], out, jobs=jobs, **kw)
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "articles": r.articles, "triples": r.triples,
                  "timings": getattr(r, "timings", {})}))
"""

_STAGE_CHILD = r"""
import functools, inspect, json, sys, time
import kg.pipeline as p, kg.read as rd, kg.resolve as res, kg.extract as ex
corpus, out = sys.argv[1], sys.argv[2]
acc = {}
depth = {"resolve": 0}

def timed(stage, fn, exclusive=()):
    @functools.wraps(fn)
    def w(*a, **k):
        t = time.perf_counter()
        before = {s: acc.get(s, 0.0) for s in exclusive}
        try:
            return fn(*a, **k)
        finally:
            dt = time.perf_counter() - t
            inner = sum(acc.get(s, 0.0) - before[s] for s in exclusive)
            acc[stage] = acc.get(stage, 0.0) + dt - inner
    return w

def timed_resolve(fn):
    @functools.wraps(fn)
    def w(*a, **k):
        if depth["resolve"]:
            return fn(*a, **k)
        depth["resolve"] += 1
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            depth["resolve"] -= 1
            acc["resolve"] = acc.get("resolve", 0.0) + time.perf_counter() - t
    return w

# segment: split_sentences as the reader calls it
rd.split_sentences = timed("segment", rd.split_sentences)
try:
    import kg.executors as xm        # where the workers' code lives since the pipeline split
except ImportError:
    xm = p
xm.read_article = timed("read", rd.read_article, ("segment",))
# resolve: every kg.resolve function the extractor modules imported
import importlib, pkgutil
mods = [importlib.import_module(f"kg.extract.{m.name}") for m in pkgutil.iter_modules(ex.__path__)]
for mod in mods:
    for name in dir(mod):
        f = getattr(mod, name)
        if callable(f) and getattr(f, "__module__", "") == "kg.resolve":
            setattr(mod, name, timed_resolve(f))
xm.extract_article = timed("extract", ex.extract_article, ("resolve",))
import kg.graph as g, kg.export.turtle as tt, kg.export.html as hh
if hasattr(g, "GraphBuilder"):
    g.GraphBuilder.add = timed("graph", g.GraphBuilder.add)
    g.GraphBuilder.finish = timed("graph", g.GraphBuilder.finish)
    tt.write_triples = timed("serialise", tt.write_triples)
    if hasattr(tt, "write_triples_to"):      # Turtle written while the store is fed: both in "serialise"
        tt.write_triples_to = timed("serialise", tt.write_triples_to)
else:
    g.build_graph = timed("graph", g.build_graph)
    tt.write_turtle = timed("serialise", tt.write_turtle)
try:
    import kg.store as st
    st.write_store = timed("store", st.write_store)
    if hasattr(st, "StoreFeeder"):
        st.StoreFeeder.finish = timed("store", st.StoreFeeder.finish)
except ImportError:
    pass
hh.write_html = timed("viewer", hh.write_html)
kw = {}
params = inspect.signature(p.build).parameters
if "cache" in params: kw["cache"] = False
if "progress" in params: kw["progress"] = False
t = time.perf_counter()
r = p.build([corpus], out, jobs=1, **kw)
acc["total"] = time.perf_counter() - t
print(json.dumps({"articles": r.articles, "stages": acc}))
"""


# the naive stack: what a first attempt with the specified packages does
# (bs4 parses the HTML, jieba.posseg tags words, each place/organisation/noun
# phrase becomes an rdflib node linked to its article, rdflib writes Turtle)
_NAIVE_CHILD = r"""
import json, sys, time
from pathlib import Path
import jieba.posseg as pseg
from bs4 import BeautifulSoup
from rdflib import Graph, Literal, Namespace, RDF, RDFS
corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
POL, RES = Namespace("https://w3id.org/policy-kg/ontology#"), Namespace("https://w3id.org/policy-kg/id/")
g = Graph(); g.bind("pol", POL); g.bind("res", RES)
t = time.perf_counter(); n = 0
for f in sorted(corpus.rglob("*.md")):
    raw = f.read_text(encoding="utf-8")
    _, fm, body = raw.split("---", 2)
    title = next((l.split(":", 1)[1].strip() for l in fm.splitlines() if l.startswith("title:")), f.stem)
    text = BeautifulSoup(body, "lxml").get_text("\n")
    art = RES["article/" + f.stem]
    g.add((art, RDF.type, POL.Article)); g.add((art, RDFS.label, Literal(title, lang="zh")))
    for w in pseg.cut(text):
        kind = {"ns": "Region", "nt": "Agency", "nz": "Measure"}.get(w.flag)
        if kind:
            e = RES[kind.lower() + "/" + w.word]
            g.add((e, RDF.type, POL[kind])); g.add((e, RDFS.label, Literal(w.word, lang="zh")))
            g.add((e, POL.mentionedIn, art))
    n += 1
out.mkdir(parents=True, exist_ok=True)
g.serialize(out / "naive.ttl", format="turtle")
print(json.dumps({"seconds": time.perf_counter() - t, "articles": n, "triples": len(g), "timings": {}}))
"""


# ---------------------------------------------------------------- memory


def _tree_rss(pid: int) -> int:
    """Sum of RSS (bytes) of pid and all its descendants."""
    total, todo, seen = 0, [pid], set()
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        q = todo.pop()
        if q in seen:
            continue
        seen.add(q)
        try:
            with open(f"/proc/{q}/statm") as f:
                total += int(f.read().split()[1]) * page
            for tid in os.listdir(f"/proc/{q}/task"):
                with open(f"/proc/{q}/task/{tid}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_child(code: str, args: list[str], kg_path: Path) -> tuple[dict, float, int]:
    """(child's JSON, wall seconds, peak tree RSS bytes)."""
    env = dict(os.environ, PYTHONPATH=str(kg_path), PYTHONHASHSEED="0")
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], env=env, cwd=str(kg_path),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def poll():
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.05)

    th = threading.Thread(target=poll, daemon=True)
    th.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t
    th.join()
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}):\n{err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1]), wall, peak[0]


# ---------------------------------------------------------------- report


def machine() -> str:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), {ram} RAM, Python {platform.python_version()}, {platform.system()}"


def commit(path: Path) -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=path, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=path,
                               capture_output=True, text=True).stdout.strip()
        return head + (" + uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


STAGES = ("read", "segment", "extract", "resolve", "graph", "serialise", "store", "viewer")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000])
    ap.add_argument("--jobs", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--corpora", type=Path, default=Path("/tmp/kgbench"), help="folder of make_corpus.py output")
    ap.add_argument("--code", type=Path, default=REPO, help="folder holding the kg package to measure")
    ap.add_argument("--label", default="after", help="row label, e.g. before / after")
    ap.add_argument("--no-viewer", action="store_true", help="builds without the HTML viewer")
    ap.add_argument("--no-store", action="store_true", help="builds without the on-disk store (Turtle only)")
    ap.add_argument("--naive", nargs="*", type=int, default=None, metavar="SIZE",
                    help="also time the naive stack (bs4 + jieba.posseg + rdflib) in the same run, "
                         "on these sizes (default: every size)")
    ap.add_argument("--no-stages", action="store_true", help="skip the per-stage run")
    ap.add_argument("--stage-sizes", nargs="+", type=int, default=None,
                    help="sizes for the per-stage run (default: all --sizes)")
    ap.add_argument("--note", default="", help="a line written under the table")
    ap.add_argument("--results", type=Path, default=RESULTS)
    a = ap.parse_args(argv)

    code_commit = commit(a.code)        # the code measured: the commit when the run starts
    rows, stage_rows = [], []
    work = Path(tempfile.mkdtemp(prefix="kgbench-out-"))
    try:
        for n in a.sizes:
            corpus = a.corpora / str(n)
            if not corpus.exists():
                sys.exit(f"{corpus}: missing; run: python bench/make_corpus.py {n}")
            for j in a.jobs:
                out = work / f"{n}-{j}"
                res, wall, peak = run_child(_BUILD_CHILD, [str(corpus), str(out), str(j), "0" if a.no_viewer else "1",
                                                            "0" if a.no_store else "1"], a.code)
                shutil.rmtree(out, ignore_errors=True)
                rate = res["articles"] / res["seconds"] if res["seconds"] else 0
                rows.append((n, j, res["articles"], res["triples"], res["seconds"], rate, peak, res["timings"]))
                print(f"{a.label} n={n} jobs={j}: {res['seconds']:.1f}s {rate:.0f} art/s "
                      f"peak {peak / 2**20:.0f} MiB {res['timings'] and {k: round(v, 2) for k, v in res['timings'].items()}}",
                      flush=True)
            if a.naive is not None and (not a.naive or n in a.naive):
                out = work / f"{n}-naive"
                res, wall, peak = run_child(_NAIVE_CHILD, [str(corpus), str(out)], a.code)
                shutil.rmtree(out, ignore_errors=True)
                rate = res["articles"] / res["seconds"] if res["seconds"] else 0
                rows.append((n, "naive", res["articles"], res["triples"], res["seconds"], rate, peak, {}))
                print(f"naive n={n}: {res['seconds']:.1f}s {rate:.0f} art/s peak {peak / 2**20:.0f} MiB", flush=True)
            if not a.no_stages and (a.stage_sizes is None or n in a.stage_sizes):
                out = work / f"{n}-stages"
                res, wall, peak = run_child(_STAGE_CHILD, [str(corpus), str(out)], a.code)
                shutil.rmtree(out, ignore_errors=True)
                stage_rows.append((n, res["stages"]))
                print(f"{a.label} n={n} stages: {json.dumps({k: round(v, 2) for k, v in res['stages'].items()})}",
                      flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    cmd = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    lines = [f"\n## {a.label}: {time.strftime('%Y-%m-%d %H:%M')}\n",
             f"- machine: {machine()}",
             f"- code: `{a.code}`, commit {code_commit}",
             f"- command: `{cmd}`",
             "- build = `kg.pipeline.build(corpus, out, jobs=J)`, cache off, Turtle"
             + ("" if a.no_store else " + store") + (" written (no viewer);" if a.no_viewer else " + viewer written;") +
             (" naive = bs4 + jieba.posseg + rdflib (bench/run.py _NAIVE_CHILD), one process;" if a.naive is not None else "") +
             " peak = max sampled sum of RSS of the build process and its workers\n",
             "| articles | jobs | built | triples | seconds | articles/s | peak memory |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for n, j, built, triples, secs, rate, peak, _ in rows:
        lines.append(f"| {n:,} | {j} | {built:,} | {triples:,} | {secs:.1f} | {rate:,.0f} | {peak / 2**20:,.0f} MiB |")
    timed_rows = [r for r in rows if r[7]]
    if timed_rows:
        keys = [k for k in ("discover", "extract", "merge", "finish", "turtle", "store", "html")
                if any(k in r[7] for r in timed_rows)]
        lines += ["", "Per stage of the same builds, seconds in the main process (extract = waiting for the "
                  "workers; store = after the Turtle; store and html overlap):", "",
                  "| articles | jobs | " + " | ".join(keys) + " |", "|---:|---:|" + "---:|" * len(keys)]
        for n, j, *_, tm in timed_rows:
            lines.append(f"| {n:,} | {j} | " + " | ".join(f"{tm[k]:.2f}" if k in tm else "n/a" for k in keys) + " |")
    if stage_rows:
        lines += ["", "Per stage, jobs 1, seconds (ms per article):", "",
                  "| articles | " + " | ".join(STAGES) + " | total |",
                  "|---:|" + "---:|" * (len(STAGES) + 1)]
        for n, st in stage_rows:
            cells = []
            for s in (*STAGES, "total"):
                v = st.get(s)
                cells.append("n/a" if v is None else f"{v:.2f} ({1000 * v / n:.2f})")
            lines.append(f"| {n:,} | " + " | ".join(cells) + " |")
    if a.note:
        lines += ["", a.note]
    if not a.results.exists():
        a.results.write_text("# Benchmark results\n\nWritten by `bench/run.py`; corpora by `bench/make_corpus.py`"
                             " (real paragraphs and front matter of ../shared/corpus recombined, fixed seed).\n",
                             encoding="utf-8")
    with open(a.results, "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"appended to {a.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
