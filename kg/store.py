"""Triple stores: the embedded on-disk store beside the Turtle, and `kg push`.

Embedded store
    `kg build` writes `output/graph.ttl` and then `output/store/`, a
    pyoxigraph (RocksDB) store holding exactly the Turtle's triples in the
    default graph.  `kg query` opens it read-only when it is *fresh* (built
    from a Turtle file of the same name and size, and not older than it);
    otherwise it parses the Turtle.  The store is built in a temporary
    folder beside it and swapped in by renames, so a reader sees the old
    store, the new store, or (for the instant between the two renames) no
    store -- in which case it falls back to the Turtle, never to a half-built
    store.

Push
    `push()` sends the graph to any server that speaks the SPARQL 1.1 Graph
    Store HTTP Protocol: one `PUT ?graph=<article IRI>` per article (which
    replaces that article's graph), or, with `graph_iri`, one PUT of the
    whole graph into that named graph.  See kg/export/formats.py for what
    goes into each article's graph.
"""
from __future__ import annotations

import gc
import json
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

STAMP = "kg-store.json"
STAMP_FORMAT = 1

_RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
}


def rdf_format(path: Path) -> ox.RdfFormat:
    return _RDF_FORMATS.get(Path(path).suffix.lower(), ox.RdfFormat.TURTLE)


def is_quads(path: Path) -> bool:
    return rdf_format(path) in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)


def store_path(ttl: str | Path) -> Path:
    """Where the store of a Turtle file lives: `graph.ttl` -> `store/`, `x.ttl` -> `x.store/`."""
    ttl = Path(ttl)
    return ttl.parent / ("store" if ttl.name == "graph.ttl" else f"{ttl.stem}.store")


def _stamp_for(ttl: Path, triples: int, source: str | None = None, extra: dict | None = None) -> dict:
    st = ttl.stat()
    return {"format": STAMP_FORMAT, "source": source or ttl.name, "size": st.st_size,
            "mtime_ns": st.st_mtime_ns, "triples": triples, **(extra or {})}


def fill_store(ttl: str | Path, folder: str | Path, *, source: str | None = None,
               stamp: dict | None = None) -> int:
    """Load `ttl` into a new store in the empty `folder`, write its stamp
    (`source`: the Turtle's final name, default its name; `stamp`: more
    keys, e.g. the build id); returns the number of triples."""
    ttl = Path(ttl)
    store = ox.Store(str(folder))
    store.bulk_load(path=str(ttl), format=rdf_format(ttl))
    store.optimize()
    store.flush()
    n = len(store)
    del store
    gc.collect()   # pyoxigraph closes the RocksDB files when the Store is dropped
    (Path(folder) / STAMP).write_text(json.dumps(_stamp_for(ttl, n, source, stamp), indent=2) + "\n",
                                      encoding="utf-8")
    return n


class StoreFeeder:
    """A new on-disk store in the empty `folder`, fed piece by piece while the
    Turtle is written (never one bulk load of the whole file: memory stays at
    one piece's).  `feed()` takes complete Turtle blocks (the prefix `header`
    is added to each piece); a thread loads them (pyoxigraph releases the GIL).
    `finish()` optimizes, writes the stamp and returns the number of triples."""

    PIECE = 16 << 20      # bytes of Turtle per bulk load

    def __init__(self, folder: str | Path, header: bytes) -> None:
        import queue
        import threading

        self.folder = Path(folder)
        self.header = header
        self.store = ox.Store(str(self.folder))
        self.buf: list[bytes] = []
        self.size = 0
        self.error: BaseException | None = None
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._run, name="kg-store-feeder", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            piece = self.queue.get()
            if piece is None:
                return
            if self.error is None:
                try:
                    self.store.bulk_load(piece, format=ox.RdfFormat.TURTLE)
                except BaseException as e:   # re-raised by finish()
                    self.error = e

    def feed(self, data: bytes) -> None:
        self.buf.append(data)
        self.size += len(data)
        if self.size >= self.PIECE:
            self._send()

    def _send(self) -> None:
        if self.buf:
            data = b"".join(self.buf)
            self.queue.put(data if data.startswith(b"@prefix") else self.header + data)
            self.buf, self.size = [], 0

    def close_input(self) -> None:
        """No more pieces: wait until every piece is loaded."""
        self._send()
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def load_file(self, ttl: str | Path) -> None:
        """Load a whole Turtle file written by kg (blocks end with a blank line; a
        literal holds no raw newline) in pieces of PIECE bytes cut between blocks."""
        if self.thread.is_alive():
            self.close_input()
        rest = b""
        with open(ttl, "rb") as f:
            while True:
                data = f.read(self.PIECE)
                if not data:
                    break
                data = rest + data
                cut = data.rfind(b"\n\n") + 2
                if cut < 2:
                    rest = data
                    continue
                piece, rest = data[:cut], data[cut:]
                self.store.bulk_load(piece if piece.startswith(b"@prefix") else self.header + piece,
                                     format=ox.RdfFormat.TURTLE)
        if rest.strip():
            self.store.bulk_load(self.header + rest, format=ox.RdfFormat.TURTLE)

    def finish(self, ttl: str | Path, *, source: str | None = None, stamp: dict | None = None,
               load: bool = False) -> int:
        """`load`: first load the whole file `ttl` (nothing was fed)."""
        if load:
            self.load_file(ttl)
        if self.thread.is_alive():
            self.close_input()
        self.store.optimize()
        self.store.flush()
        n = len(self.store)
        self.store = None
        gc.collect()   # pyoxigraph closes the RocksDB files when the Store is dropped
        (self.folder / STAMP).write_text(json.dumps(_stamp_for(Path(ttl), n, source, stamp), indent=2) + "\n",
                                         encoding="utf-8")
        return n

    def abort(self) -> None:
        if self.thread.is_alive():
            self.buf = []
            self.error = self.error or RuntimeError("aborted")
            self.queue.put(None)
            self.thread.join()
        self.store = None
        gc.collect()


def write_store(ttl: str | Path, dest: str | Path | None = None) -> Path:
    """Build the on-disk store of `ttl` into `dest` (default `store_path(ttl)`), atomically."""
    ttl = Path(ttl)
    dest = Path(dest) if dest is not None else store_path(ttl)
    dest.parent.mkdir(parents=True, exist_ok=True)
    # left by a killed build (two builds must not share an output folder at once)
    for pattern in (f".{dest.name}.old-*", f".{dest.name}.tmp-*"):
        for stale in dest.parent.glob(pattern):
            shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    try:
        fill_store(ttl, tmp)
        old = None
        if dest.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
            os.rmdir(old)
            os.replace(dest, old)
        os.replace(tmp, dest)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def read_stamp(dest: str | Path) -> dict | None:
    try:
        return json.loads((Path(dest) / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_fresh(ttl: str | Path, dest: str | Path | None = None) -> bool:
    """True if the store beside `ttl` was built from it: same name and size, not older."""
    ttl = Path(ttl)
    dest = Path(dest) if dest is not None else store_path(ttl)
    stamp = read_stamp(dest)
    if not stamp or stamp.get("format") != STAMP_FORMAT or stamp.get("source") != ttl.name:
        return False
    try:
        st = ttl.stat()
        stamp_mtime = (dest / STAMP).stat().st_mtime_ns
    except OSError:
        return False
    return stamp.get("size") == st.st_size and stamp_mtime >= st.st_mtime_ns


def open_store(ttl: str | Path, dest: str | Path | None = None) -> ox.Store | None:
    """The fresh on-disk store of `ttl`, opened read-only, or None."""
    dest = Path(dest) if dest is not None else store_path(ttl)
    if not is_fresh(ttl, dest):
        return None
    try:
        return ox.Store.read_only(str(dest))
    except OSError:
        return None


def memory_store(path: str | Path) -> ox.Store:
    """An in-memory pyoxigraph store loaded from an RDF file (format from its suffix)."""
    store = ox.Store()
    store.bulk_load(path=str(path), format=rdf_format(Path(path)))
    return store


# --------------------------------------------------------------------------
# SPARQL 1.1 Graph Store HTTP Protocol


class PushError(Exception):
    """The server refused a request or could not be reached."""


@dataclass
class PushReport:
    """What a push sent.  `triples` counts distinct triples (the graph's size);
    `quads` counts them once per graph they were put in: a triple shared by
    several articles (an entity's label, a relation seen twice) is in each of
    their graphs."""
    endpoint: str
    graphs: list[str] = field(default_factory=list)
    triples: int = 0
    quads: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        n = len(self.graphs)
        return (f"pushed {self.triples:,} distinct triples in {n:,} {'graph' if n == 1 else 'graphs'} "
                f"to {self.endpoint} ({self.quads:,} quads: a triple shared by articles is in each of "
                f"their graphs; {self.bytes:,} bytes; {self.seconds:.2f}s)")


def graph_url(endpoint: str, graph: str | None) -> str:
    """`endpoint?graph=<iri>` (indirect graph identification), or `?default`."""
    sep = "&" if "?" in endpoint else "?"
    if graph is None:
        return f"{endpoint}{sep}default"
    return f"{endpoint}{sep}graph={urllib.parse.quote(graph, safe='')}"


def _opener(user: str | None):
    handlers = []
    if user:
        name, _, password = user.partition(":")
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, "http://", name, password)   # any URL
        mgr.add_password(None, "https://", name, password)
        handlers += [urllib.request.HTTPBasicAuthHandler(mgr), urllib.request.HTTPDigestAuthHandler(mgr)]
    return urllib.request.build_opener(*handlers)


def http_put(url: str, body: bytes, content_type: str, *, timeout: float = 300, user: str | None = None) -> int:
    req = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": content_type})
    try:
        with _opener(user).open(req, timeout=timeout) as resp:
            resp.read()
            return resp.status
    except urllib.error.HTTPError as e:
        text = e.read().decode("utf-8", "replace").strip()
        raise PushError(f"{url}: the server refused PUT: HTTP {e.code} {e.reason}"
                        + (f": {text[:2000]}" if text else "")) from None
    except urllib.error.URLError as e:
        raise PushError(f"{url}: cannot reach the server: {e.reason}") from None
    except (TimeoutError, ConnectionError) as e:
        raise PushError(f"{url}: {type(e).__name__}: {e}") from None


def push(graph_path: str | Path, endpoint: str, graph_iri: str | None = None, *,
         user: str | None = None, timeout: float = 300, on_graph=None) -> PushReport:
    """PUT the graph at `graph_path` to a Graph Store Protocol `endpoint`.

    Without `graph_iri`: one PUT per article (graph IRI = the article IRI,
    replacing what the server held for that article) and, if anything
    belongs to no article, one PUT of the default graph.  With `graph_iri`:
    one PUT of the whole graph into that graph.  Raises PushError.
    """
    from .export.formats import load_graph, partition, turtle_of

    t0 = time.perf_counter()
    report = PushReport(endpoint)
    if graph_iri:
        # the Turtle file is already strict Turtle: send its bytes unchanged
        body = Path(graph_path).read_bytes()
        n = len(set(ox.parse(body, format=rdf_format(Path(graph_path)))))
        http_put(graph_url(endpoint, graph_iri), body, "text/turtle; charset=utf-8", timeout=timeout, user=user)
        report.graphs.append(graph_iri)
        report.triples = report.quads = n
        report.bytes = len(body)
        if on_graph:
            on_graph(graph_iri, n)
        report.seconds = time.perf_counter() - t0
        return report
    g = load_graph(graph_path)
    prefixes = [(p, str(ns)) for p, ns in g.namespaces() if p]
    parts = {(str(k) if k is not None else None): v for k, v in partition(g).items()}
    for name in sorted(parts, key=lambda k: (k is not None, k or "")):
        triples = parts[name]
        if name is None and not triples:
            continue
        body = turtle_of(triples, prefixes).encode("utf-8")
        http_put(graph_url(endpoint, name), body, "text/turtle; charset=utf-8", timeout=timeout, user=user)
        report.graphs.append(name or "default")
        report.quads += len(triples)
        report.bytes += len(body)
        if on_graph:
            on_graph(name, len(triples))
    report.triples = len(g)   # the union of the graphs is the whole graph (kg/export/formats.py)
    report.seconds = time.perf_counter() - t0
    return report

