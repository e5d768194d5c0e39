"""Execution: --jobs N gives the bytes of --jobs 1, the cache reuses unchanged
files and gives the same output, the plain-Python graph writes the same
Turtle as the rdflib path, the summary line.  Fast: seeds + a few files."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.cli import main as cli_main
from kg.export.turtle import serialize, write_triples
from kg.graph import GraphBuilder, assemble, build_graph
from kg.pipeline import build, discover, extract_files, process_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT.parent / "shared" / "corpus" / "policy"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """The seeds plus up to 10 corpus articles, copied so a test may edit them."""
    d = tmp_path_factory.mktemp("articles")
    for f in sorted(SEEDS.iterdir()):
        shutil.copy(f, d / f.name)
    if CORPUS.exists():
        for f in sorted(CORPUS.glob("*.md"))[:10]:
            shutil.copy(f, d / f.name)
    return d


def _build(src, out, **kw):
    kw.setdefault("html", False)
    kw.setdefault("progress", False)
    return build([src], out, **kw)


def test_jobs_2_identical_to_jobs_1(inputs, tmp_path):
    r1 = _build(inputs, tmp_path / "j1", jobs=1, cache=False)
    r2 = _build(inputs, tmp_path / "j2", jobs=2, cache=False)
    assert r1.articles == r2.articles > 0
    assert (tmp_path / "j1" / "graph.ttl").read_bytes() == (tmp_path / "j2" / "graph.ttl").read_bytes()
    assert (r1.triples, r1.entities) == (r2.triples, r2.entities)


def test_cache_reuses_unchanged_files(inputs, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(inputs, src)
    out = tmp_path / "out"
    first = _build(src, out)
    assert first.extracted == first.files and first.cached == 0
    ttl = (out / "graph.ttl").read_bytes()

    again = _build(src, out)
    assert again.extracted == 0 and again.cached == first.files
    assert (out / "graph.ttl").read_bytes() == ttl
    assert "from cache" in again.summary()

    seed = sorted(src.glob("000_*"))[0]
    seed.write_text(seed.read_text(encoding="utf-8") + "\n<p>国务院办公厅印发《关于测试的通知》。</p>\n",
                    encoding="utf-8")
    changed = _build(src, out)
    assert changed.extracted == 1 and changed.cached == first.files - 1
    fresh = _build(src, tmp_path / "fresh", cache=False)
    assert (out / "graph.ttl").read_bytes() == (tmp_path / "fresh" / "graph.ttl").read_bytes()
    assert fresh.extracted == fresh.files and fresh.cached == 0
    assert not (tmp_path / "fresh" / ".cache").exists()


def test_damaged_cache_entry_is_a_miss(inputs, tmp_path):
    out = tmp_path / "out"
    _build(inputs, out)
    ttl = (out / "graph.ttl").read_bytes()
    for f in (out / ".cache").rglob("*.pkl"):
        f.write_bytes(b"not a pickle")
    _build(inputs, out)
    assert (out / "graph.ttl").read_bytes() == ttl


def test_plain_graph_writes_the_rdflib_turtle(inputs, tmp_path):
    """The streaming writer over plain triples gives the bytes of the rdflib
    Graph + TurtleWriter path, also when evidence spills to disk."""
    files, _ = discover([inputs])
    exs = [ex for ex, _ in map(process_file, files) if ex is not None]
    expected = serialize(build_graph(exs)).encode("utf-8")
    for spill_at in (10**9, 7):
        t = assemble(exs, spill_at=spill_at, spill_dir=tmp_path)
        n = write_triples(t, tmp_path / f"g{spill_at}.ttl")
        t.close()
        assert (tmp_path / f"g{spill_at}.ttl").read_bytes() == expected
        assert n == len(build_graph(exs))
    assert not list(tmp_path.glob(".kg-evidence-*"))


def test_merge_streams_compact_extractions(inputs):
    files, _ = discover([inputs])
    b = GraphBuilder()
    for ex, probs, hit in extract_files(files, 1):
        assert hit is False
        if ex is not None:
            assert ex.article.text == "" and ex.article.sentences == ()   # workers send no article text
            b.add(ex)
    assert b.count > 0


def test_summary_line(inputs, tmp_path, capsys):
    code = cli_main(["build", str(inputs), "--out", str(tmp_path / "o"), "--no-html", "--quiet", "--jobs", "2"])
    assert code in (0, 1)
    out = capsys.readouterr()
    first = out.out.splitlines()[0]
    assert " articles built, " in first and " files skipped, " in first and " triples, " in first
    assert " entities in " in first
    assert "\r" not in out.err        # no progress bar when not asked and not a terminal


def test_worker_rendered_evidence_gives_the_same_bytes(inputs, tmp_path):
    """Without the viewer the workers write the evidence blocks' Turtle
    (kg.graph.render_evidence); the bytes are those of the parent's writer,
    for jobs 1 and 2, from the cache, and when the rendered blocks spill."""
    _build(inputs, tmp_path / "data", html=True, cache=False)                 # evidence as data
    expected = (tmp_path / "data" / "graph.ttl").read_bytes()
    for jobs in (1, 2):
        _build(inputs, tmp_path / f"r{jobs}", jobs=jobs)                      # rendered, cache filled
        assert (tmp_path / f"r{jobs}" / "graph.ttl").read_bytes() == expected
        again = _build(inputs, tmp_path / f"r{jobs}", jobs=jobs)              # rendered from the cache
        assert again.cached == again.files
        assert (tmp_path / f"r{jobs}" / "graph.ttl").read_bytes() == expected
    files, _ = discover([inputs])
    b = GraphBuilder(spill_at=5, spill_dir=tmp_path)
    n_blocks = 0
    for d, probs, hit in extract_files(files, 1, render=True):
        if d is not None:
            assert isinstance(d, tuple)                     # a digest: plain tuples, no Extraction
            b.add_digest(d)
            n_blocks += len(d[-1])
    assert n_blocks > 5
    t = b.finish()
    write_triples(t, tmp_path / "spilled.ttl")
    t.close()
    assert (tmp_path / "spilled.ttl").read_bytes() == expected


def test_same_file_names_fall_back_to_merged_evidence(inputs, tmp_path):
    """Two files of one name give one article IRI: their evidence nodes merge
    as data (not as two rendered blocks of one subject)."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    seed = sorted(SEEDS.iterdir())[0]
    shutil.copy(seed, a / seed.name)
    shutil.copy(seed, b / seed.name)
    r = build([a, b], tmp_path / "o", html=False, progress=False, cache=False)
    one = build([a], tmp_path / "one", html=False, progress=False, cache=False)
    assert r.articles == 2 and r.triples == one.triples


def test_rendered_blocks_spill_by_size(inputs, tmp_path, monkeypatch):
    from kg import graph as g
    files, _ = discover([inputs])
    expected = None
    for chars in (1 << 40, 2000):
        monkeypatch.setattr(g._EvidenceStore, "SPILL_CHARS", chars)
        b = GraphBuilder(spill_dir=tmp_path)
        for d, _, _ in extract_files(files, 1, render=True):
            if d is not None:
                b.add_digest(d)
        assert (b.evidence.tmp is not None) == (chars == 2000)
        t = b.finish()
        write_triples(t, tmp_path / "g.ttl")
        t.close()
        data = (tmp_path / "g.ttl").read_bytes()
        assert expected is None or data == expected
        expected = data
