"""Load + query time: the embedded pyoxigraph store vs parsing the Turtle.

    python bench/store_bench.py                      # corpus graph + 1M synthetic graph
    python bench/store_bench.py --triples 200000     # a smaller synthetic graph
    python bench/store_bench.py --graph output/graph.ttl --no-synthetic
    python bench/store_bench.py --server             # also time `kg push` into `oxigraph serve`

For each graph it reports
  * build   the on-disk store from the Turtle (what `kg build` adds: write_store)
  * store   open the fresh on-disk store read-only + run the queries (`kg query` default)
  * memory  load the Turtle into an in-memory pyoxigraph store + run the queries (fallback)
  * rdflib  rdflib parse of the Turtle + run the queries (the first `kg query`)
and, with --server, the time `kg push` takes to load the graph into a real
Oxigraph server (one PUT per article).  Each engine runs in its own process,
so no engine profits from another's warm caches (the OS page cache aside).

The synthetic graph follows the ontology and the builder's shapes (articles,
evidence with 11 triples each, per-region measures, metrics, agencies,
documents, regions with partOf); the same --seed gives the same bytes.
Results of a run on the development machine are in bench/STORE.md.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    ("measures_by_region", {"region": "上海市"}),
    ("measures_by_region", {}),
    ("documents_by_agency", {"agency": "教育部"}),
    ("documents_by_jurisdiction", {"jurisdiction": "上海市"}),
    ("metrics_of_measure", {}),
    ("regions_same_measure", {}),
    ("indicator_across_regions", {}),
    ("article_facts", {"title": None}),          # filled with a real title
    ("triple_provenance", {"subject": "上海市", "predicate": "pol:adopts"}),
    ("agencies_of_region", {"region": "上海市"}),
    ("joint_documents", {}),
    ("most_mentioned_entities", {}),
]


# --------------------------------------------------------------------------
# synthetic graph


def synthetic_turtle(path: Path, target: int, seed: int = 1) -> int:
    """Write a graph of about `target` triples in the builder's Turtle style; return the count."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, RDFS, SKOS, XSD

    from kg.export.turtle import TurtleWriter, atomic_write
    from kg.vocab import DCTERMS, POL, PROV

    rnd = random.Random(seed)
    R = "https://w3id.org/policy-kg/id/"
    zh = lambda s: Literal(s, lang="zh")  # noqa: E731
    provinces = [("310000", "上海市"), ("110000", "北京市"), ("440000", "广东省"), ("330000", "浙江省"),
                 ("320000", "江苏省"), ("510000", "四川省"), ("420000", "湖北省"), ("370000", "山东省")]
    regions = [("000000", "全国", None)] + [(c, n, "000000") for c, n in provinces]
    for i in range(400):
        pc, pn = provinces[i % len(provinces)]
        regions.append((f"{pc[:2]}{i // len(provinces) + 1:02d}{i % 100:02d}", f"{pn[:2]}第{i}区", pc))
    verbs = ["推进", "实施", "建立", "落实", "开展", "完善", "推行", "强化"]
    nouns = ["课后服务", "营转非", "黑白名单制度", "资金监管", "专项治理", "双随机一公开", "绿色通道",
             "作业管理", "应急处置机制", "预付费监管", "分类鉴定", "备改审", "一企一策", "信用评价"]
    measure_labels = [f"{v}{n}" for v in verbs for n in nouns]
    agency_suffix = ["人民政府", "教育委员会", "市场监督管理局", "发展和改革委员会", "财政局"]
    doc_kinds = ["实施意见", "工作方案", "管理办法", "指引", "通知", "典型案例"]
    units = [("%", "义务教育学科类培训机构压减比例"), ("人", "从业人员"), ("元", "专项资金"),
             ("所", "试点学校"), ("家", "培训机构"), ("个", "岗位")]
    qualifiers = ["Exact", "AtLeast", "MoreThan", "AtMost", "LessThan", "Approximately"]

    t: dict = {}          # an ordered set of triples
    described: set = set()

    class _T:
        def append(self, x):
            t[x] = None

        def extend(self, xs):
            for x in xs:
                t[x] = None
    add = _T()

    def region(code):
        iri = URIRef(f"{R}region/{code}")
        if iri not in described:
            described.add(iri)
            c, n, parent = next(r for r in regions if r[0] == code)
            add.extend([(iri, RDF.type, POL.Region), (iri, RDFS.label, zh(n)), (iri, POL.divisionCode, Literal(c))])
            if parent:
                add.append((iri, POL.partOf, URIRef(f"{R}region/{parent}")))
                region(parent)
        return iri

    def entity(kind, key, label, extra=()):
        iri = URIRef(f"{R}{kind.lower()}/{key}")
        if iri not in described:
            described.add(iri)
            add.extend([(iri, RDF.type, POL[kind]), (iri, RDFS.label, zh(label))])
            add.extend((iri, p, o) for p, o in extra)
        return iri

    def evidence(s, p, o, art, n, pos, sentence, rule):
        ev = URIRef(f"{R}evidence/{n:08d}-{pos}")
        add.extend([(s, p, o), (ev, RDF.type, POL.Evidence), (ev, RDF.subject, s), (ev, RDF.predicate, p),
                  (ev, RDF.object, o), (ev, PROV.wasDerivedFrom, art), (ev, POL.sentence, zh(sentence)),
                  (ev, POL.charStart, Literal(pos * 40)), (ev, POL.charEnd, Literal(pos * 40 + 38)),
                  (ev, POL.spanStart, Literal(pos * 40 + 3)), (ev, POL.spanEnd, Literal(pos * 40 + 12)),
                  (ev, POL.extractedBy, Literal(rule))])

    n = 0
    while len(t) < target:
        n += 1
        code, rname, _ = rnd.choice(regions[1:])
        reg = region(code)
        art = URIRef(f"{R}article/{n:016x}")
        title = f"{rname}{rnd.choice(verbs)}“双减”工作 第{n}期"
        add.extend([(art, RDF.type, POL.Article), (art, RDFS.label, zh(title)), (art, DCTERMS.title, zh(title)),
                  (art, DCTERMS.date, Literal(f"2021-{1 + n % 12:02d}-{1 + n % 28:02d}T08:00:00Z", datatype=XSD.dateTime)),
                  (art, DCTERMS.creator, Literal("新浪财经")), (art, DCTERMS.source, Literal(f"corpus/{n:06d}.md"))])
        mentioned = {reg}
        pos = 0
        ms = []
        for _ in range(3):
            label = rnd.choice(measure_labels)
            m = entity("Measure", f"{code}-{measure_labels.index(label)}", f"“{label}”")
            ms.append((m, label))
            pos += 1
            evidence(reg, POL.adopts, m, art, n, pos, f"{rname}全面{label}，取得积极成效。", "measure.verb")
            mentioned.add(m)
        for j in range(2):
            ag_label = rname + rnd.choice(agency_suffix)
            ag = entity("Agency", f"{code}-{agency_suffix.index(ag_label[len(rname):])}", ag_label,
                        [(POL.jurisdiction, reg)])
            if j == 0 or rnd.random() < 0.2:
                kind = rnd.choice(doc_kinds)
                doc = entity("Document", f"{code}-{n % 50}-{doc_kinds.index(kind)}", f"{rname}关于“双减”的{kind}")
                pos += 1
                evidence(ag, POL.issues, doc, art, n, pos, f"{ag_label}印发《{rname}关于“双减”的{kind}》。",
                         "document.issue_verb")
                mentioned.add(doc)
            mentioned.add(ag)
        for m, label in ms[:2]:
            unit, indicator = rnd.choice(units)
            value = f"{rnd.randint(1, 9999)}.{rnd.randint(0, 99):02d}" if unit == "%" else str(rnd.randint(1, 10**6))
            x = entity("Metric", f"{n:08d}-{pos}", f"{indicator} {value}{unit}", [
                (POL.indicator, zh(indicator)), (POL.value, Literal(value, datatype=XSD.decimal)),
                (POL.unit, Literal(unit)), (POL.qualifier, POL[rnd.choice(qualifiers)]),
                (POL.surfaceText, zh(f"{value}{unit}")), (POL.forRegion, reg)])
            pos += 1
            evidence(m, POL.hasMetric, x, art, n, pos, f"{label}，{indicator}达到{value}{unit}。", "metric.number")
            mentioned.add(x)
        add.extend((e, POL.mentionedIn, art) for e in mentioned)
    uniq = list(t)
    prefixes = [("pol", str(POL)), ("res", R), ("rdf", str(RDF)), ("rdfs", str(RDFS)), ("skos", str(SKOS)),
                ("xsd", str(XSD)), ("prov", str(PROV)), ("dcterms", str(DCTERMS))]
    atomic_write(path, "".join(TurtleWriter(prefixes).lines(uniq)))
    return len(uniq)


# --------------------------------------------------------------------------
# one engine, timed, in a child process


def _emit(obj: dict) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


def _child(engine: str, ttl: str, queries: list) -> None:
    """Prints one JSON line per step, so a run that times out still reports what it did."""
    from kg import store as st
    from kg.query import bind_params, load_query, run_on_rdflib, run_on_store
    t0 = time.perf_counter()
    if engine == "build":
        st.write_store(ttl)
        _emit({"load": time.perf_counter() - t0})
        return
    if engine == "store":
        target = st.open_store(ttl)
        assert target is not None, "no fresh store"
    elif engine == "memory":
        target = st.memory_store(ttl)
    else:
        from rdflib import Graph
        target = Graph()
        target.parse(ttl, format="turtle")
    _emit({"load": time.perf_counter() - t0})
    for name, params in queries:
        q = load_query(name)
        b = bind_params(q, {k: v for k, v in params.items() if v is not None})
        t1 = time.perf_counter()
        r = run_on_rdflib(target, q.text, b) if engine == "rdflib" else run_on_store(target, q.text, b)
        _emit({"query": query_key(name, params), "seconds": time.perf_counter() - t1, "rows": len(r.rows)})


def query_key(name: str, params: dict) -> str:
    return name + ("(" + ",".join(f"{k}={v}" for k, v in params.items()) + ")" if params else "")


def run_engine(engine: str, ttl: Path, queries: list, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--child", engine, str(ttl), json.dumps(queries, ensure_ascii=False)]
    out: dict = {"engine": engine, "queries": {}}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        out["error"] = f"stopped after {timeout:.0f}s"
    for line in stdout.splitlines():
        d = json.loads(line)
        if "load" in d:
            out["load"] = d["load"]
        else:
            out["queries"][d["query"]] = [d["seconds"], d["rows"]]
    if proc.returncode not in (0, None) and "error" not in out:
        out["error"] = stderr.strip().splitlines()[-1] if stderr.strip() else "failed"
    out["wall"] = time.perf_counter() - t0
    return out


def first_title(ttl: Path) -> str:
    import pyoxigraph as ox
    from kg import store as st
    s = st.open_store(ttl) or st.memory_store(ttl)
    r = list(s.query("SELECT ?t WHERE { ?a <http://purl.org/dc/terms/title> ?t } ORDER BY ?t LIMIT 1"))
    return r[0]["t"].value if r else ""


def push_time(ttl: Path, per_article: bool = True) -> tuple[float, str]:
    from kg.store import push
    exe = shutil.which("oxigraph")
    if not exe:
        return float("nan"), "no oxigraph binary"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    loc = Path(tempfile.mkdtemp(prefix="kg-oxserve-"))
    proc = subprocess.Popen([exe, "serve", "--location", str(loc), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        t0 = time.perf_counter()
        rep = push(ttl, f"http://127.0.0.1:{port}/store", None if per_article else "urn:kg:all")
        return time.perf_counter() - t0, rep.summary()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(loc, ignore_errors=True)


def bench(ttl: Path, label: str, engines: list[str], timeout: float, server: bool,
          rdflib_subset: set | None = None) -> dict:
    queries = [(n, dict(p)) for n, p in QUERIES]
    title = first_title(ttl)
    for n, p in queries:
        if "title" in p:
            p["title"] = title
    size = ttl.stat().st_size
    print(f"\n## {label}: {ttl} ({size / 1e6:.1f} MB)", flush=True)
    res = {"graph": str(ttl), "bytes": size, "engines": {}}
    for e in ["build"] + engines:
        qs = queries if e != "rdflib" or not rdflib_subset else [q for q in queries if q[0] in rdflib_subset]
        r = run_engine(e, ttl, qs, timeout)
        res["engines"][e] = r
        if e == "build":
            print(f"  build   write_store {r.get('load', float('nan')):.2f}s {r.get('error', '')}", flush=True)
            continue
        qsum = sum(v[0] for v in r["queries"].values())
        print(f"  {e:7s} load {r.get('load', float('nan')):8.2f}s  {len(r['queries'])} queries {qsum:8.2f}s"
              f"  {r.get('error', '')}", flush=True)
    keys = [query_key(n, p) for n, p in queries]
    print("  per query (seconds, rows):", flush=True)
    for k in keys:
        cells = []
        for e in engines:
            v = res["engines"][e]["queries"].get(k)
            cells.append(f"{e} {v[0]:7.3f}s/{v[1]}" if v else f"{e}       -")
        print(f"    {k:55s} " + "  ".join(cells), flush=True)
    if server:
        secs, summary = push_time(ttl)
        res["push"] = {"seconds": secs, "summary": summary}
        print(f"  push    {secs:.2f}s  ({summary})", flush=True)
    return res


def main(argv=None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graph", help="a built graph.ttl to measure (default: build the corpus)")
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "policy"))
    ap.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic graph")
    ap.add_argument("--no-synthetic", action="store_true")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "kg-store-bench"))
    ap.add_argument("--engines", default="store,memory,rdflib")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per engine run")
    ap.add_argument("--rdflib-queries", default="",
                    help="comma-separated query names rdflib runs on the synthetic graph (default: all)")
    ap.add_argument("--server", action="store_true", help="also time kg push into oxigraph serve")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    engines = args.engines.split(",")
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    if args.graph:   # measured on a copy, so that no store is written beside the user's file
        copy = work / "graph" / "graph.ttl"
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(args.graph, copy)
        results["graph"] = bench(copy, "graph", engines, args.timeout, args.server)
    elif Path(args.corpus).is_dir():
        from kg.pipeline import build
        out = work / "corpus"
        r = build([args.corpus], out, html=False)
        print(r.summary())
        results["corpus"] = bench(out / "graph.ttl", "corpus graph", engines, args.timeout, args.server)
    if not args.no_synthetic:
        ttl = work / f"synthetic-{args.triples}" / "graph.ttl"
        if not ttl.exists():
            t0 = time.perf_counter()
            n = synthetic_turtle(ttl, args.triples, args.seed)
            print(f"synthetic graph: {n} triples in {time.perf_counter() - t0:.1f}s -> {ttl}")
        subset = set(args.rdflib_queries.split(",")) if args.rdflib_queries else None
        results["synthetic"] = bench(ttl, f"synthetic {args.triples} triples", engines, args.timeout, args.server,
                                     subset)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
