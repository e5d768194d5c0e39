"""One build writes one consistent set of outputs (issue 13, defects 3, 4, 10).

Each output names its build (report.json: build id + sha256 of graph.ttl;
store/kg-store.json and the page's <meta name="kg-build">: the same), and
the set is replaced together: an interrupted, empty, or --strict-failed
build leaves the previous set; --no-html / --no-store remove stale ones.
CLI behaviour through a subprocess, as a user sees it.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kg
from kg.outputs import OUTPUTS, OutputError, Staging, prepare

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def run_kg(*args, cwd=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def snapshot(out: Path) -> dict[str, bytes]:
    """The bytes of every output file (the store by its stamp)."""
    snap = {}
    for n in ("graph.ttl", "graph.html", "report.json", "store/kg-store.json"):
        if (out / n).exists():
            snap[n] = (out / n).read_bytes()
    return snap


def build_ids(out: Path) -> dict[str, str | None]:
    """The graph (sha256 of graph.ttl) each present output names."""
    ids: dict[str, str | None] = {}
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{8}", report["build"])
    ids["report.json"] = report["graph_sha256"]
    ids["graph.ttl"] = hashlib.sha256((out / "graph.ttl").read_bytes()).hexdigest()
    if (out / "graph.html").exists():
        m = re.search(r'<meta name="kg-graph" content="sha256=(\w+)">', (out / "graph.html").read_text("utf-8"))
        ids["graph.html"] = m.group(1) if m else None
    if (out / "store").exists():
        stamp = json.loads((out / "store" / "kg-store.json").read_text(encoding="utf-8"))
        assert stamp["build"] == report["build"]
        ids["store"] = stamp["sha256"]
    return ids


def assert_consistent(out: Path) -> None:
    ids = build_ids(out)
    assert len(set(ids.values())) == 1, ids
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert set(report["outputs"]) == {"turtle"} | ({"html"} if "graph.html" in ids else set()) \
        | ({"store"} if "store" in ids else set())


def synthetic(folder: Path, n: int) -> Path:
    paras = []
    for s in sorted(SEEDS.glob("*.txt")):
        paras += [p for p in re.findall(r"<p[^>]*>.*?</p>", s.read_text(encoding="utf-8"), re.S) if len(p) > 60]
    folder.mkdir(parents=True)
    for i in range(n):
        body = "\n".join(paras[(i * 7 + k) % len(paras)] for k in range(3))
        (folder / f"{i:04d}.md").write_text(f"---\ntitle: '合成 {i}'\ndate: 2021-10-01\n---\n<div>\n{body}\n</div>\n",
                                            encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A finished build of the seeds (the 'previous outputs')."""
    out = tmp_path_factory.mktemp("prev") / "out"
    r = kg.build(str(SEEDS), str(out), progress=False)
    assert r.articles == 2 and r.failed is None
    return out


def fresh_copy(built: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(built, out, symlinks=True)
    return out


def test_every_output_names_the_graph(built):
    assert_consistent(built)
    assert set(build_ids(built)) == {"graph.ttl", "graph.html", "store", "report.json"}


def test_library_takes_one_path_as_a_string(tmp_path):
    """kg.build("seeds/", "out"): a str is one path, not a list of characters."""
    r = kg.build(str(SEEDS) + "/", str(tmp_path / "o"), html=False, store=False, progress=False)
    assert (r.files, r.articles, r.problems) == (2, 2, [])
    r = kg.build(SEEDS, tmp_path / "p", html=False, store=False, progress=False)        # a Path too
    assert r.articles == 2
    with pytest.raises(TypeError):
        kg.build([SEEDS, 3], tmp_path / "q")


def test_nothing_built_leaves_the_previous_outputs(built, tmp_path):
    out = fresh_copy(built, tmp_path)
    before = snapshot(out)
    p = run_kg("build", tmp_path / "nope", "--out", out)
    assert p.returncode == 2
    assert "E001" in p.stderr and "no article could be built" in p.stderr and str(out) in p.stderr
    assert snapshot(out) == before


def test_strict_says_why_and_replaces_nothing(built, tmp_path):
    out = fresh_copy(built, tmp_path)
    before = snapshot(out)
    inp = tmp_path / "in"
    shutil.copytree(SEEDS, inp)
    (inp / "undated.md").write_text("---\ntitle: 无日期\n---\n<p>上海市人民政府印发《关于测试的通知》。</p>\n",
                                    encoding="utf-8")
    (inp / "README.md").write_text("# notes\n\nnot an article\n", encoding="utf-8")
    p = run_kg("build", inp, "--out", out, "--strict", "--quiet")
    assert p.returncode == 2
    tail = p.stderr[p.stderr.index("--strict"):]
    assert "--strict: 1 problem " in tail and f"W040 {inp / 'undated.md'}" in tail
    assert "README" not in tail                     # a note does not fail --strict
    assert snapshot(out) == before
    assert not [e.name for e in out.iterdir() if e.name.startswith(".") and e.name != ".cache"]


def test_no_html_and_no_store_remove_stale_outputs(built, tmp_path):
    out = fresh_copy(built, tmp_path)
    p = run_kg("build", SEEDS, "--out", out, "--no-html", "--quiet")
    assert p.returncode == 0, p.stderr
    assert not (out / "graph.html").exists() and (out / "store").is_dir()
    assert_consistent(out)
    p = run_kg("build", SEEDS, "--out", out, "--no-store", "--quiet")
    assert p.returncode == 0, p.stderr
    assert (out / "graph.html").exists() and not (out / "store").exists()
    assert_consistent(out)
    assert sorted(e.name for e in out.iterdir()) == [".cache", "graph.html", "graph.ttl", "report.json"]


def _wait_for(out: Path, prefix: str, proc, timeout=120) -> bool:
    end = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < end:
        try:
            if any(e.name.startswith(prefix) for e in os.scandir(out)):
                return True
        except FileNotFoundError:
            pass
        time.sleep(0.0005)
    return False


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX signals")
def test_ctrl_c_during_the_viewer_leaves_the_previous_set(built, tmp_path):
    out = fresh_copy(built, tmp_path)
    before = snapshot(out)
    inp = synthetic(tmp_path / "in", 120)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(inp), "--out", str(out), "--no-cache"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        assert _wait_for(out, ".graph.html.", proc), "the viewer step was never reached"
        os.killpg(proc.pid, signal.SIGINT)        # Ctrl-C goes to the whole foreground group
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode != 0
    assert snapshot(out) == before                # not the new graph beside the old page and report
    assert_consistent(out)
    assert not [e.name for e in out.iterdir() if e.name.startswith(".") and e.name != ".cache"]


def test_unwritable_output_folder_found_before_reading(tmp_path):
    inp = tmp_path / "in"
    shutil.copytree(SEEDS, inp)
    (inp / "empty.md").write_bytes(b"")            # an E010 line would show that files were read
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for out in (blocker / "out", blocker):
        p = run_kg("build", inp, "--out", out, "--quiet")
        assert p.returncode == 2
        assert p.stderr.count("\n") == 1 and "E010" not in p.stderr, p.stderr
        assert f"output folder {out}:" in p.stderr and ".tmp" not in p.stderr
    with pytest.raises(OutputError, match="not a folder"):
        prepare(blocker)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into a 0555 folder")
def test_read_only_output_folder(tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    try:
        p = run_kg("build", SEEDS, "--out", out, "--quiet")
        assert p.returncode == 2 and f"output folder {out}: Permission denied" in p.stderr
    finally:
        out.chmod(0o755)


def test_notes_do_not_fail_the_build(tmp_path):
    """A README or a table beside the articles is a note, not a skipped article: exit 0."""
    inp = tmp_path / "in"
    shutil.copytree(SEEDS, inp)
    (inp / "README.md").write_text("# 语料\n\n说明文字，提到 `<font>` 标签。\n", encoding="utf-8")
    table = tmp_path / "sources.tsv"
    table.write_text("file\turl\nA\thttp://x\n", encoding="utf-8")
    out = tmp_path / "out"
    p = run_kg("build", inp, table, "--out", out, "--quiet", "--no-html")
    assert p.returncode == 0, p.stderr
    assert "1 files skipped" not in p.stdout and "2 notes" in p.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["skipped"] == [] and report["articles"] == 2
    assert {(n["code"], n["file"]) for n in report["notes"]} == {("N001", str(inp / "README.md")),
                                                                 ("N001", str(table))}


def test_staging_commit_and_discard(tmp_path):
    out = prepare(tmp_path / "o")
    (out / "graph.html").write_text("old page")
    s = Staging(out)
    with s.file("graph.ttl") as f:
        f.write(b"ttl")
    d = s.dir_path("store")
    (d / "x").write_text("1")
    with s.file("report.json") as f:
        f.write(b"{}")
    assert not (out / "graph.ttl").exists()      # nothing in place before the commit
    s.commit()
    assert (out / "graph.ttl").read_bytes() == b"ttl" and (out / "store" / "x").exists()
    assert not (out / "graph.html").exists()     # not written by this build: removed
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl", "report.json", "store"]
    s2 = Staging(out)
    with s2.file("graph.ttl") as f:
        f.write(b"new")
    s2.dir_path("store")
    s2.discard()
    assert (out / "graph.ttl").read_bytes() == b"ttl"
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl", "report.json", "store"]
    assert "report.json" == OUTPUTS[-1]
