"""The build feeds the store piece by piece (kg.store.StoreFeeder): the same
triples as one bulk load of the Turtle, and a store `kg query` finds fresh."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

import kg.store as st
from kg.export.turtle import PlainTurtleWriter, write_triples_to
from kg.graph import assemble, prefixes
from kg.pipeline import discover, process_file

ROOT = Path(__file__).resolve().parents[1]


def test_pieces_give_the_store_of_the_whole_file(tmp_path, monkeypatch):
    files, _ = discover(ROOT / "seeds")
    triples = assemble([ex for ex, _ in map(process_file, files) if ex is not None])
    monkeypatch.setattr(st.StoreFeeder, "PIECE", 1)            # one bulk load per written piece
    feeder = st.StoreFeeder(tmp_path / "store", PlainTurtleWriter(prefixes()).header().encode())
    pieces = []
    ttl = tmp_path / "graph.ttl"
    with open(ttl, "wb") as f:
        n, _ = write_triples_to(triples, f, on_chunk=lambda b: (pieces.append(b), feeder.feed(b)),
                                flush_at=4096)
    triples.close()
    assert len(pieces) > 10 and not pieces[1].startswith(b"@prefix")
    assert n == feeder.finish(ttl, stamp={"build": "x"})
    whole = st.memory_store(ttl)
    fed = ox.Store.read_only(str(tmp_path / "store"))
    assert set(fed) == set(whole) and len(fed) == len(whole) == n
    del fed
    assert st.is_fresh(ttl, tmp_path / "store") and st.read_stamp(tmp_path / "store")["build"] == "x"


def test_a_failed_piece_fails_the_store(tmp_path):
    feeder = st.StoreFeeder(tmp_path / "store", b"")
    feeder.feed(b"<a> <b> .\n")                       # not Turtle
    try:
        feeder.close_input()
    except SyntaxError:
        pass
    else:
        raise AssertionError("a bad piece must fail the store")
    feeder.abort()


def test_build_store_holds_the_turtle(tmp_path, monkeypatch):
    """Evidence blocks loaded while the workers send them, the rest while the
    Turtle is written: the store holds exactly graph.ttl's triples (with and
    without the viewer, i.e. with and without worker-rendered evidence)."""
    from kg.pipeline import build
    monkeypatch.setattr(st.StoreFeeder, "PIECE", 50_000)       # many pieces
    for html in (False, True):
        out = tmp_path / f"o{html}"
        r = build(ROOT / "seeds", out, html=html, cache=False, progress=False)
        whole = st.memory_store(out / "graph.ttl")
        fed = ox.Store.read_only(str(out / "store"))
        assert set(fed) == set(whole) and len(whole) == r.triples
        del fed
        assert st.is_fresh(out / "graph.ttl")


def test_load_file_in_pieces(tmp_path, monkeypatch):
    """A finished graph.ttl loaded in pieces cut between blocks: the whole file's triples."""
    from kg.pipeline import build
    build(ROOT / "seeds", tmp_path / "o", html=False, store=False, cache=False, progress=False)
    ttl = tmp_path / "o" / "graph.ttl"
    monkeypatch.setattr(st.StoreFeeder, "PIECE", 3000)
    feeder = st.StoreFeeder(tmp_path / "store", PlainTurtleWriter(prefixes()).header().encode())
    n = feeder.finish(ttl, load=True)
    assert n == len(st.memory_store(ttl)) > 100
