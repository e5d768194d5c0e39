"""The README cannot drift from the code: every command of its "Use" section, and
of its SPARQL section's query and Oxigraph examples, runs as written on a fresh
build and exits 0 with output (issue 13).

The commands run through bash in a scratch folder laid out like the checkout
(seeds/, ontology/ and ../shared/ are links), with `kg` on PATH running this
checkout. The only edits: the Oxigraph port becomes a free one, `oxigraph
serve` runs in the background until the end, and `pip install` is not run.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
README = ROOT / "README.md"
SHARED = ROOT.parent / "shared"


def section(text: str, title: str) -> str:
    start = text.index(f"\n{title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else len(text)]


def shell_lines(lines: list[str]) -> list[str]:
    """Join `\\` continuations; drop blank lines."""
    out, cur = [], ""
    for line in lines:
        if line.rstrip().endswith("\\"):
            cur += line.rstrip()[:-1] + " "
            continue
        cur += line
        if cur.strip():
            out.append(cur.strip())
        cur = ""
    return out


def use_commands(text: str) -> list[str]:
    """The indented code lines of "## Use"."""
    body = section(text, "## Use")
    return shell_lines([l[4:] for l in body.splitlines() if l.startswith("    ")])


def fenced_blocks(text: str) -> list[list[str]]:
    return [b.splitlines() for b in re.findall(r"^```\n(.*?)^```$", text, re.S | re.M)]


def sparql_commands(text: str) -> tuple[list[str], list[str]]:
    """The query examples and the Oxigraph example of "## SPARQL and triple stores"."""
    body = section(text, "## SPARQL and triple stores")
    queries = shell_lines(fenced_blocks(body[:body.index("### Other formats")])[0])
    oxigraph = body[body.index("### Oxigraph"):body.index("### Apache Jena")]
    return queries, [c for b in fenced_blocks(oxigraph) for c in shell_lines(b)]


def test_the_readme_sections_are_found():
    text = README.read_text(encoding="utf-8")
    use = use_commands(text)
    queries, ox = sparql_commands(text)
    assert use[0].startswith("kg build seeds/") and any(c.startswith("kg push") for c in use)
    assert any(c.startswith("oxigraph serve") and "--union-default-graph" in c for c in ox)
    assert any(c.startswith("curl ") and "measures_by_region.rq" in c for c in ox)
    assert len(queries) >= 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def scratch(tmp_path):
    """tmp/repo laid out like the checkout, tmp/shared like ../shared, kg on PATH."""
    if not (SHARED / "gold" / "seeds.json").is_file() or not (SHARED / "corpus" / "policy").is_dir():
        pytest.skip(f"the README's commands need {SHARED} (gold/seeds.json, corpus/policy)")
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("seeds", "ontology"):
        (repo / name).symlink_to(ROOT / name)
    (tmp_path / "shared").symlink_to(SHARED)
    bindir = tmp_path / "bin"
    bindir.mkdir()
    kg = bindir / "kg"
    kg.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kg.cli "$@"\n', encoding="utf-8")
    kg.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(PATH=f"{bindir}{os.pathsep}{env.get('PATH', '')}", PYTHONPATH=str(ROOT),
               BROWSER="true")   # `kg view` opens "a browser" that does nothing
    return repo, env


def run(cmd: str, repo: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", cmd], cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def check(cmd: str, p: subprocess.CompletedProcess, repo: Path) -> None:
    assert p.returncode == 0, f"{cmd}\nexit {p.returncode}\n{p.stderr[-3000:]}"
    code = re.split(r"\s#\s", cmd)[0]   # without the comment
    redirect = re.search(r"\s>\s*(\S+)\s*$", code)
    out = (repo / redirect.group(1)).read_text(encoding="utf-8") if redirect else p.stdout + p.stderr
    assert out.strip(), f"{cmd}: no output"


def test_every_readme_command_runs_on_a_fresh_build(scratch):
    if shutil.which("oxigraph") is None:
        pytest.skip("the `oxigraph` server is not installed (pip install oxigraph: in the test extra)")
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    repo, env = scratch
    text = README.read_text(encoding="utf-8")
    use = use_commands(text)
    queries, ox = sparql_commands(text)
    port = _free_port()

    def local(cmd: str) -> str:
        return cmd.replace("127.0.0.1:7878", f"127.0.0.1:{port}")

    pushes = [c for c in use if c.startswith("kg push")]
    for cmd in [c for c in use if not c.startswith("kg push")] + queries:
        check(cmd, run(cmd, repo, env), repo)
    assert (repo / "output" / "graph.ttl").is_file() and (repo / "output-policy" / "graph.ttl").is_file()

    server = None
    try:
        for cmd in ox:
            if cmd.startswith("pip install"):
                continue
            if cmd.startswith("oxigraph serve"):
                log = open(repo / "oxigraph.log", "wb")
                server = subprocess.Popen(["bash", "-c", f"exec {local(cmd)}"], cwd=repo, env=env,
                                          stdout=log, stderr=subprocess.STDOUT)
                _wait_for(port, server)
                continue
            p = run(local(cmd), repo, env)
            if cmd.startswith("mkdir"):
                assert p.returncode == 0, p.stderr
                continue
            check(cmd, p, repo)
            if cmd.startswith("curl"):
                lines = p.stdout.strip().splitlines()
                assert lines[0].strip() == "region,measure,evidence" and len(lines) > 10, p.stdout[:500]
        assert server is not None, "the Oxigraph example starts no server"
        for cmd in pushes:
            p = run(local(cmd), repo, env)
            check(cmd, p, repo)
            assert "distinct triples" in p.stdout
        # after pushing one graph per article the README's curl still answers (the union)
        curl = next(c for c in ox if c.startswith("curl"))
        p = run(local(curl), repo, env)
        assert p.returncode == 0 and len(p.stdout.strip().splitlines()) > 10
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while True:
        assert server.poll() is None, f"oxigraph serve exited with {server.returncode}"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=1) as r:
                r.read()
            return
        except OSError:
            assert time.monotonic() < deadline, "oxigraph did not answer within 30 s"
            time.sleep(0.1)
