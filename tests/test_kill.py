"""SIGKILL a build at any moment: the previous outputs stay intact and readable.

One build over 20 synthetic articles makes the "old" outputs.  Then
`python -m kg.cli build` runs over 200 synthetic articles (paragraphs of the
seeds recombined, in tmp_path) into the same folder (reset to the old outputs each time) and is killed
(SIGKILL, its whole process group):

* as soon as the temp file of each output appears (.graph.ttl.*.tmp,
  .graph.html.*.tmp, .report.json.*.tmp): mid-write, where a non-atomic
  writer would leave half a file;
* at random delays (fixed seed) over the length of a build.

After every kill each output is either the old complete version (same
bytes) or a new complete version (parses: pyoxigraph for the Turtle, the
JSON blob and </html> for the page, json for the report), never absent or
partial.  Temp files left by the kill are removed by the next build; a final
uninterrupted build leaves none and writes the new version.
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from kg.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ("graph.ttl", "graph.html", "report.json")
TEMP = re.compile(r"^\.(graph\.ttl|graph\.html|report\.json)\..{8}\.tmp$")

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX signals")


def make_articles(folder: Path, n: int, rng: random.Random, paragraphs: int = 2) -> None:
    paras = []
    for s in sorted((ROOT / "seeds").glob("*.txt")):
        paras += [p for p in re.findall(r"<p[^>]*>.*?</p>", s.read_text(encoding="utf-8"), re.S)
                  if len(p) > 60 and "原标题" not in p and "来源" not in p]
    folder.mkdir(parents=True)
    for i in range(n):
        body = "\n".join(rng.sample(paras, paragraphs))
        (folder / f"{i:04d}.md").write_text(
            f"---\ntitle: '合成文章 {i}'\nauthor: 测试\ndate: 2021-10-{1 + i % 28:02d} 08:00:00\n---\n"
            f"<div>\n{body}\n</div>\n", encoding="utf-8")


def complete(name: str, data: bytes) -> bool:
    """True when `data` is a whole output file of its kind."""
    if name == "graph.ttl":
        try:
            return len(list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE))) > 0
        except SyntaxError:
            return False
    if name == "graph.html":
        text = data.decode("utf-8")
        m = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', text, re.S)
        if not (m and text.rstrip().endswith("</html>")):
            return False
        json.loads(m.group(1))
        return True
    json.loads(data)
    return True


def start(inp: Path, out: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(inp), "--out", str(out)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def kill(proc: subprocess.Popen) -> bool:
    """SIGKILL the build's process group; False when it had already finished."""
    done = proc.poll() is not None
    if not done:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            done = True
    proc.wait(timeout=30)
    return not done and proc.returncode == -signal.SIGKILL


def wait_for_temp(proc: subprocess.Popen, out: Path, name: str, timeout: float = 60) -> None:
    t_end = time.monotonic() + timeout
    prefix = f".{name}."
    while proc.poll() is None and time.monotonic() < t_end:
        try:
            if any(e.name.startswith(prefix) and e.name.endswith(".tmp") for e in os.scandir(out)):
                return
        except FileNotFoundError:
            pass
        time.sleep(0.0005)


def test_sigkill_leaves_previous_outputs(tmp_path: Path) -> None:
    rng = random.Random(20211025)
    old_in, new_in, out = tmp_path / "old", tmp_path / "new", tmp_path / "out"
    make_articles(old_in, 20, rng)
    make_articles(new_in, 200, rng)
    build([old_in], out)
    old = {n: (out / n).read_bytes() for n in OUTPUTS}
    assert all(complete(n, b) for n, b in old.items())

    seen_new: dict[str, set[bytes]] = {n: set() for n in OUTPUTS}
    log = []
    t0 = time.monotonic()
    durations = []
    plan = [("temp", n) for n in OUTPUTS] + [("delay", None)] * 3
    for kind, target in plan:
        for n in OUTPUTS:                        # every kill starts from the old version
            (out / n).write_bytes(old[n])
        proc = start(new_in, out)
        t = time.monotonic()
        if kind == "temp":
            wait_for_temp(proc, out, target)
        else:
            time.sleep(rng.uniform(0.3, max(durations or [2.0]) * 1.05))
        killed = kill(proc)
        elapsed = time.monotonic() - t
        if kind == "temp":
            durations.append(elapsed)
        temps = sorted(e.name for e in os.scandir(out) if TEMP.match(e.name))
        states = {}
        for n in OUTPUTS:
            data = (out / n).read_bytes()                       # never missing
            if data == old[n]:
                states[n] = "old"
            else:
                assert complete(n, data), f"{n} is partial after a kill at {elapsed:.2f}s ({kind} {target})"
                seen_new[n].add(data if n != "report.json" else b"")
                states[n] = "new"
        log.append((kind, target, round(elapsed, 2), killed, temps, states))

    # a clean build: removes the temp files the kills left, writes the new version
    proc = start(new_in, out)
    assert proc.wait(timeout=120) in (0, 1)
    assert not [e.name for e in os.scandir(out) if TEMP.match(e.name)]
    final = {n: (out / n).read_bytes() for n in OUTPUTS}
    for n in ("graph.ttl", "graph.html"):
        assert seen_new[n] <= {final[n]}, f"a killed build left a {n} that is neither old nor the new one"
    assert json.loads(final["report.json"])["articles"] > json.loads(old["report.json"])["articles"]
    print(f"\nkill log ({time.monotonic() - t0:.1f}s):")
    for row in log:
        print("  ", row)
    assert sum(bool(row[4]) for row in log) >= 1 or all(not row[3] for row in log), \
        "no kill landed mid-write (no temp file left); the timing of the test is off"
