"""The embedded store (written by build, used by kg query) and real servers:
`kg push` over the Graph Store Protocol, then every competency query over
HTTP against a real Oxigraph server, answers equal to the embedded store's."""
from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest

from kg import store as st
from kg.cli import main
from kg.query import list_queries, parse_json_results, run, run_on_store

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MINI = HERE / "fixtures" / "mini.ttl"
SEEDS = ROOT / "seeds"
CORPUS = ROOT.parent / "shared" / "corpus" / "policy"
if not CORPUS.is_dir():   # the brief's absolute location, when run from elsewhere
    CORPUS = Path("/work/shared/corpus/policy")


def norm(result) -> list:
    """Rows comparable across engines and servers: numbers as Decimal, sorted."""
    out = []
    for row in result.rows:
        r = []
        for t in row:
            if t is None:
                r.append(None)
                continue
            dt = str(getattr(t, "datatype", "") or "")
            if dt.endswith(("#decimal", "#integer")):
                r.append(("n", Decimal(str(t)).normalize()))
            else:
                r.append((type(t).__name__, str(t), getattr(t, "language", None)))
        out.append(tuple(r))
    return sorted(out, key=repr)


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory) -> Path:
    from kg.pipeline import build
    out = tmp_path_factory.mktemp("seeds-store")
    result = build([SEEDS], out, html=False)
    assert result.articles == 2
    return out


# ---------------------------------------------------------------------------
# the embedded store


def test_build_writes_a_fresh_store_beside_the_turtle(seeds_out):
    ttl = seeds_out / "graph.ttl"
    store_dir = seeds_out / "store"
    assert store_dir.is_dir() and st.store_path(ttl) == store_dir
    assert st.is_fresh(ttl)
    stamp = st.read_stamp(store_dir)
    assert stamp["source"] == "graph.ttl" and stamp["size"] == ttl.stat().st_size
    report = json.loads((seeds_out / "report.json").read_text(encoding="utf-8"))
    assert report["outputs"]["store"] == str(store_dir)
    store = st.open_store(ttl)
    assert store is not None and len(store) == stamp["triples"]
    # no temporary folders left behind
    assert not [p for p in seeds_out.iterdir() if p.name.startswith(".store")]


def test_store_holds_exactly_the_turtle(seeds_out):
    import pyoxigraph as ox
    ttl = seeds_out / "graph.ttl"
    store = st.open_store(ttl)
    in_store = {str(ox.Triple(q.subject, q.predicate, q.object)) for q in store}
    # Oxigraph keeps canonical lexical forms (dateTime "+00:00" -> "Z", decimals); compare
    # with the file loaded the same way, and count against the strict parse of the file
    in_file = {str(ox.Triple(q.subject, q.predicate, q.object)) for q in st.memory_store(ttl)}
    assert in_store == in_file
    assert len(in_store) == len(set(map(str, ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE))))
    assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in store)


def test_query_uses_the_store_when_fresh_else_the_turtle(tmp_path):
    ttl = tmp_path / "graph.ttl"
    shutil.copyfile(MINI, ttl)
    assert run("joint_documents", ttl).engine == "memory"      # no store yet
    st.write_store(ttl)
    r = run("joint_documents", ttl)
    assert r.engine == "store"
    # the Turtle changes after the store was built: the store is stale, the Turtle wins
    time.sleep(0.01)
    ttl.write_text(ttl.read_text(encoding="utf-8").replace("上海市民办培训机构培训资金管理指引", "新名称"),
                   encoding="utf-8")
    assert not st.is_fresh(ttl)
    r2 = run("joint_documents", ttl)
    assert r2.engine == "memory" and set(r2.column("document")) == {"新名称"}
    with pytest.raises(Exception, match="no fresh store"):
        run("joint_documents", ttl, engine="store")
    # rebuilt: fresh again, and the new answer
    st.write_store(ttl)
    r3 = run("joint_documents", ttl)
    assert r3.engine == "store" and set(r3.column("document")) == {"新名称"}


def test_store_is_stale_when_older_than_the_turtle(tmp_path):
    ttl = tmp_path / "graph.ttl"
    shutil.copyfile(MINI, ttl)
    dest = st.write_store(ttl)
    future = time.time() + 60
    os.utime(ttl, (future, future))     # same size, but newer than the store
    assert not st.is_fresh(ttl)
    os.utime(dest / st.STAMP, (future + 1, future + 1))
    assert st.is_fresh(ttl)


def test_write_store_replaces_atomically_and_cleans_up(tmp_path):
    ttl = tmp_path / "graph.ttl"
    shutil.copyfile(MINI, ttl)
    (tmp_path / ".store.tmp-killed").mkdir()        # left by a killed build
    (tmp_path / ".store.old-killed").mkdir()
    first = st.write_store(ttl)
    marker = first / "marker"
    marker.write_text("old", encoding="utf-8")
    st.write_store(ttl)
    assert not marker.exists()                       # the whole folder was replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl", "store"]


def test_write_store_failure_keeps_the_old_store(tmp_path):
    ttl = tmp_path / "graph.ttl"
    shutil.copyfile(MINI, ttl)
    st.write_store(ttl)
    before = len(st.open_store(ttl))
    ttl.write_text("this is not turtle <", encoding="utf-8")
    with pytest.raises(SyntaxError):
        st.write_store(ttl)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl", "store"]
    import pyoxigraph as ox
    assert len(ox.Store.read_only(str(tmp_path / "store"))) == before


def test_store_answers_equal_rdflib_on_seeds(seeds_out):
    ttl = seeds_out / "graph.ttl"
    for q in list_queries():
        a = run(q, ttl, engine="store")
        b = run(q, ttl, engine="rdflib")
        assert a.engine == "store"
        assert norm(a) == norm(b), q.name


def test_other_graph_names_get_their_own_store(tmp_path):
    ttl = tmp_path / "mini.ttl"
    shutil.copyfile(MINI, ttl)
    assert st.store_path(ttl) == tmp_path / "mini.store"
    st.write_store(ttl)
    assert run("joint_documents", ttl).engine == "store"


# ---------------------------------------------------------------------------
# kg push against a fake server (no binary needed)


class _Handler(http.server.BaseHTTPRequestHandler):
    status = 201
    body = b""
    received: list = []

    def do_PUT(self):
        n = int(self.headers.get("Content-Length", 0))
        type(self).received.append((self.path, self.headers.get("Content-Type"), self.rfile.read(n)))
        self.send_response(self.status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *a):
        pass


@pytest.fixture
def fake_server():
    handler = type("H", (_Handler,), {"received": [], "status": 201, "body": b""})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    try:
        yield handler, f"http://127.0.0.1:{srv.server_address[1]}/store"
    finally:
        srv.shutdown()
        srv.server_close()


def test_push_puts_one_graph_per_article(fake_server):
    handler, url = fake_server
    report = st.push(MINI, url)
    paths = [p for p, _, _ in handler.received]
    assert paths == sorted(paths) and len(paths) == 3
    assert all(p.startswith("/store?graph=https%3A%2F%2Fw3id.org%2Fpolicy-kg%2Fid%2Farticle%2Fa") for p in paths)
    assert {ct for _, ct, _ in handler.received} == {"text/turtle; charset=utf-8"}
    assert report.graphs == [f"https://w3id.org/policy-kg/id/article/a{i}" for i in (1, 2, 3)]
    # every body is strict Turtle
    import pyoxigraph as ox
    for _, _, body in handler.received:
        assert list(ox.parse(body, format=ox.RdfFormat.TURTLE))


def test_push_reports_distinct_triples_and_graphs(fake_server):
    """Issue 13, defect 7: the count is the graph's triples, not the sum over the graphs."""
    import pyoxigraph as ox
    handler, url = fake_server
    report = st.push(MINI, url)
    bodies = [set(ox.parse(body, format=ox.RdfFormat.TURTLE)) for _, _, body in handler.received]
    whole = set(ox.parse(path=str(MINI), format=ox.RdfFormat.TURTLE))
    assert set().union(*bodies) == whole
    assert report.triples == len(whole) < report.quads == sum(len(b) for b in bodies)
    assert report.summary().startswith(f"pushed {len(whole):,} distinct triples in 3 graphs ")


def test_push_into_one_graph(fake_server):
    handler, url = fake_server
    st.push(MINI, url, "http://example.org/g")
    assert [p for p, _, _ in handler.received] == ["/store?graph=http%3A%2F%2Fexample.org%2Fg"]


def test_push_refused_gives_status_and_text(fake_server, capsys):
    handler, url = fake_server
    handler.status, handler.body = 403, "只读存储 read-only store".encode("utf-8")
    assert main(["push", str(MINI), "--endpoint", url]) == 1
    err = capsys.readouterr().err
    assert "HTTP 403" in err and "只读存储 read-only store" in err and "refused" in err


def test_push_unreachable(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["push", str(MINI), "--endpoint", f"http://127.0.0.1:{port}/store"]) == 1
    assert "cannot reach" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# a real Oxigraph server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    def __init__(self, location: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(location.parent / f"{location.name}.log", "wb")
        self.proc = subprocess.Popen(
            [shutil.which("oxigraph"), "serve", "--location", str(location),
             "--bind", f"127.0.0.1:{self.port}", "--union-default-graph"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/query?query=ASK%7B%7D", timeout=1) as r:
                    r.read()
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("oxigraph did not answer within 30 s")
                time.sleep(0.1)

    def query(self, text: str):
        req = urllib.request.Request(self.url + "/query", data=text.encode("utf-8"), method="POST", headers={
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return parse_json_results(r.read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture
def oxigraph(tmp_path):
    """A factory of real Oxigraph servers; every server started is stopped."""
    if shutil.which("oxigraph") is None:
        pytest.skip("the `oxigraph` server binary is not installed (pip install oxigraph)")
    started: list[OxigraphServer] = []

    def start(name: str) -> OxigraphServer:
        srv = OxigraphServer(tmp_path / name)
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()


def _check_server_equals_embedded(srv: OxigraphServer, ttl: Path) -> dict:
    import pyoxigraph as ox
    store = ox.Store.read_only(str(st.store_path(ttl)))
    sizes = {}
    for q in list_queries():
        remote = srv.query(q.text)
        local = run_on_store(store, q.text)
        assert remote.vars == local.vars, q.name
        assert norm(remote) == norm(local), q.name
        sizes[q.name] = len(local.rows)
    return sizes


def test_oxigraph_server_answers_equal_embedded_store_seeds(oxigraph, seeds_out, capsys):
    srv = oxigraph("seeds-db")
    ttl = seeds_out / "graph.ttl"
    assert main(["push", str(ttl), "--endpoint", srv.url + "/store"]) == 0
    # distinct triples (the graph's size) and graphs, not the quads (issue 13, defect 7)
    n = len(st.open_store(ttl))
    assert f"pushed {n:,} distinct triples in 2 graphs" in capsys.readouterr().out
    quads = int(srv.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0])
    distinct = int(srv.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }").rows[0][0])
    assert distinct == n < quads   # the server agrees: shared triples are in several graphs
    graphs = srv.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    articles = run_on_store(st.open_store(ttl), "SELECT ?a WHERE { ?a a <https://w3id.org/policy-kg/ontology#Article> } ORDER BY ?a")
    assert graphs.rows == articles.rows
    sizes = _check_server_equals_embedded(srv, ttl)
    assert sizes["measures_by_region"] > 0 and sizes["article_facts"] > 0
    # pushing again replaces each article's graph: nothing is duplicated
    n1 = srv.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0]
    assert main(["push", str(ttl), "--endpoint", srv.url + "/store"]) == 0
    n2 = srv.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0]
    assert n1 == n2
    _check_server_equals_embedded(srv, ttl)


def test_oxigraph_server_one_graph(oxigraph, seeds_out):
    srv = oxigraph("one-graph-db")
    ttl = seeds_out / "graph.ttl"
    g = "https://w3id.org/policy-kg/id/graph/seeds"
    assert main(["push", str(ttl), "--endpoint", srv.url + "/store", "--graph", g]) == 0
    n = srv.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}").rows[0][0]
    assert int(n) == len(st.open_store(ttl))
    _check_server_equals_embedded(srv, ttl)


def test_oxigraph_server_answers_equal_embedded_store_corpus(oxigraph, tmp_path):
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS} (../shared/corpus beside the repository)")
    from kg.pipeline import build
    out = tmp_path / "corpus"
    result = build([CORPUS], out, html=False)
    assert result.articles >= 40
    srv = oxigraph("corpus-db")
    t0 = time.perf_counter()
    report = st.push(out / "graph.ttl", srv.url + "/store")
    seconds = time.perf_counter() - t0
    assert len(report.graphs) == result.articles
    print(f"corpus: {report.summary()} ({seconds:.2f}s)")
    sizes = _check_server_equals_embedded(srv, out / "graph.ttl")
    assert sizes["regions_same_measure"] > 0 and sizes["joint_documents"] > 0
