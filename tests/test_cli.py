"""The command line as a new user meets it (issue 13): bad input is one line with a
code and the file, exit 2; Ctrl-C is "interrupted", exit 130; --version; eval that
scores nothing says so; push counts what the graph holds; view without a browser.

Commands run in a subprocess (`python -m kg.cli`) with this checkout first on
PYTHONPATH, exactly as a user's shell runs them."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kg
from kg import cli

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEEDS = ROOT / "seeds"
SEEDS_GOLD = ROOT.parent / "shared" / "gold" / "seeds.json"
MINI = HERE / "fixtures" / "mini.ttl"


def kg_run(*args, cwd=None, env=None, timeout=180) -> subprocess.CompletedProcess:
    e = dict(os.environ, PYTHONPATH=str(ROOT))
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], cwd=cwd, env=e,
                          capture_output=True, text=True, timeout=timeout)


def assert_one_line_error(p: subprocess.CompletedProcess, code: str, path, exit_code: int = 2) -> str:
    """Exit `exit_code`, no traceback, stderr one line `kg CMD: error: CODE PATH: …`."""
    assert "Traceback" not in p.stderr, p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    assert p.returncode == exit_code, (p.returncode, p.stderr)
    assert f"error: {code} {path}" in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory) -> Path:
    from kg.pipeline import build
    out = tmp_path_factory.mktemp("cli-seeds") / "output"
    assert build([SEEDS], out, html=False).articles == 2
    return out


# ---------------------------------------------------------------------------
# defect 2: one line, a code, the file, exit 2


def test_validate_accepts_a_build_folder(seeds_out):
    p = kg_run("validate", f"{seeds_out}/")
    assert p.returncode == 0, p.stderr
    assert f"{seeds_out / 'graph.ttl'}: conforms" in p.stdout


def test_validate_a_folder_without_a_graph(tmp_path):
    assert_one_line_error(kg_run("validate", tmp_path), "E501", tmp_path / "graph.ttl")


def test_validate_a_file_that_is_not_rdf(tmp_path):
    f = tmp_path / "notes.ttl"
    f.write_text("this is not Turtle\n", encoding="utf-8")
    assert_one_line_error(kg_run("validate", f), "E502", f)


@pytest.mark.parametrize("command", [
    ["query", "joint_documents", "--graph"], ["query", "joint_documents", "--engine", "rdflib", "--graph"],
    ["export", "--format", "nt", "--graph"], ["push", "--endpoint", "http://127.0.0.1:9/store", "--from"],
    ["view", "--no-open"], ["eval", "--gold", str(SEEDS_GOLD), "--"], ["validate"]])
def test_a_graph_that_does_not_parse(command, tmp_path):
    bad = tmp_path / "graph.ttl"
    bad.write_text("this is not Turtle\n", encoding="utf-8")
    assert_one_line_error(kg_run(*command, bad), "E502", bad)


def test_eval_names_the_missing_graph_as_given(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    line = assert_one_line_error(kg_run("eval", "nope.ttl", "--gold", SEEDS_GOLD, cwd=work), "E501", "nope.ttl")
    assert str(tmp_path / "nope.ttl") not in line   # rdflib resolved it against the wrong folder


def test_eval_gold_that_is_not_json(seeds_out, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("# my notes\n", encoding="utf-8")
    assert_one_line_error(kg_run("eval", seeds_out, "--gold", notes), "E505", notes)
    binary = tmp_path / "gold.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert_one_line_error(kg_run("eval", seeds_out, "--gold", binary), "E505", binary)
    wrong = tmp_path / "list.json"
    wrong.write_text('[{"title": "no article field"}]', encoding="utf-8")
    assert_one_line_error(kg_run("eval", seeds_out, "--gold", wrong), "E505", wrong)


def test_eval_gold_missing_or_a_folder(seeds_out, tmp_path):
    assert_one_line_error(kg_run("eval", seeds_out, "--gold", tmp_path / "nope.json"), "E504", tmp_path / "nope.json")
    assert_one_line_error(kg_run("eval", seeds_out, "--gold", tmp_path), "E504", tmp_path)


def test_view_into_an_unwritable_place(seeds_out, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "graph.html"
    line = assert_one_line_error(kg_run("view", seeds_out, "--out", out, "--no-open"), "E506", out)
    assert f"{blocker} is a file, not a folder" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_view_into_a_read_only_folder(seeds_out, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        assert_one_line_error(kg_run("view", seeds_out, "--out", ro / "g.html", "--no-open"), "E506", ro / "g.html")
    finally:
        ro.chmod(0o755)


def test_build_into_an_unwritable_place_names_the_folder(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "output"
    assert_one_line_error(kg_run("build", SEEDS, "--out", out, "--quiet", "--no-html"), "E506", out)


def test_export_into_an_unwritable_place(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "graph.nt"
    assert_one_line_error(kg_run("export", MINI, "--format", "nt", "--out", out), "E506", out)


def test_query_and_export_name_the_missing_graph(tmp_path):
    missing = tmp_path / "nope.ttl"
    assert_one_line_error(kg_run("query", "measures_by_region", "--graph", missing), "E501", missing)
    assert_one_line_error(kg_run("export", "--graph", missing, "--format", "nt"), "E501", missing)


@pytest.mark.parametrize("command", ["build", "query", "export", "push", "eval", "validate", "view"])
def test_every_command_turns_ctrl_c_into_exit_130(command, monkeypatch, capsys):
    """The guard is in cli.main, around every command."""
    def interrupted(args):
        raise KeyboardInterrupt
    argv = {"build": ["build", "x"], "query": ["query", "--list"], "export": ["export", "--format", "nt"],
            "push": ["push", "--endpoint", "http://x"], "eval": ["eval", "g", "--gold", "x"],
            "validate": ["validate", "g"], "view": ["view", "g"]}[command]
    monkeypatch.setattr(cli, f"_cmd_{command}", interrupted)
    try:
        code = cli.main(argv)
    except KeyboardInterrupt:
        pytest.fail("KeyboardInterrupt escaped kg.cli.main")
    assert code == 130
    assert capsys.readouterr().err == "kg: interrupted\n"


def test_an_unexpected_error_is_one_line(monkeypatch, capsys):
    def bug(args):
        raise TypeError("a bug")
    monkeypatch.setattr(cli, "_cmd_validate", bug)
    monkeypatch.delenv("KG_DEBUG", raising=False)
    assert cli.main(["validate", "g"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "E599 internal error: TypeError: a bug" in err


def _interrupt(proc: subprocess.Popen, group: bool = False) -> tuple[int, str]:
    (os.killpg(proc.pid, signal.SIGINT) if group else proc.send_signal(signal.SIGINT))
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err


def _popen(*args) -> subprocess.Popen:
    """A kg command in its own process group, with Ctrl-C handled as in a terminal
    (a test runner may have started us with SIGINT ignored)."""
    def child():
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.setpgrp()
    return subprocess.Popen([sys.executable, "-m", "kg.cli", *map(str, args)], env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=child)


def test_ctrl_c_during_push_prints_interrupted_and_exits_130(seeds_out):
    with socket.socket() as srv:   # a server that accepts and never answers: push waits on it
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        srv.settimeout(60)
        proc = _popen("push", seeds_out, "--endpoint", f"http://127.0.0.1:{srv.getsockname()[1]}/store")
        conn, _ = srv.accept()     # kg push is now inside its first PUT
        with conn:
            code, err = _interrupt(proc)
    assert code == 130 and err == "kg: interrupted\n", err


@pytest.mark.parametrize("wait", [0.0, 0.5], ids=["as-the-pool-forks", "while-extracting"])
def test_ctrl_c_during_a_parallel_build_is_one_line(tmp_path, wait):
    """The terminal sends SIGINT to the whole group: the workers must not print tracebacks
    either, and a Ctrl-C that comes as a worker is forked must neither be lost nor hang."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for k in range(300):
        for f in sorted(SEEDS.iterdir()):
            text = f.read_text(encoding="utf-8")
            (inputs / f"{k:03d}_{f.name}").write_text(text + f"\n<p>副本 {k}。</p>\n", encoding="utf-8")
    if not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists():
        pytest.skip("needs /proc/PID/task/TID/children (Linux) to see the worker pool start")
    proc = _popen("build", inputs, "--out", tmp_path / "out", "--jobs", "2", "--no-cache", "--quiet", "--no-html")
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 60
    while not (children.exists() and children.read_text().strip()):   # the worker pool is up
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(wait)
    code, err = _interrupt(proc, group=True)
    assert code == 130 and err == "kg: interrupted\n", err


# ---------------------------------------------------------------------------
# defect 6: eval of a graph holding none of the gold's articles


def test_eval_with_none_of_the_gold_articles_says_so(seeds_out):
    other = sorted((ROOT / "tests" / "gold").glob("*.json"))[0]
    line = assert_one_line_error(kg_run("eval", seeds_out / "graph.ttl", "--gold", other), "E507",
                                 seeds_out / "graph.ttl")
    assert "none of the" in line and json.loads(other.read_text(encoding="utf-8"))


def test_eval_with_some_gold_articles_missing_scores_and_warns(seeds_out):
    if not SEEDS_GOLD.is_file():
        pytest.skip(f"no {SEEDS_GOLD}")
    other = sorted((ROOT / "tests" / "gold").glob("*.json"))[0]
    p = kg_run("eval", seeds_out, "--gold", SEEDS_GOLD, other)
    assert p.returncode == 0, p.stderr
    assert "adopts" in p.stdout and "1 of 3 gold articles are not in the graph" in p.stderr


def test_eval_json_output(seeds_out):
    if not SEEDS_GOLD.is_file():
        pytest.skip(f"no {SEEDS_GOLD}")
    p = kg_run("eval", seeds_out, "--gold", SEEDS_GOLD, "--json")
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert len(doc["articles_scored"]) == 2 and doc["articles_missing"] == []
    assert doc["regions"]["n_gold"] > 0


def test_evaluate_has_no_command_line_of_its_own():
    """One CLI (issue 12): `kg eval` is the only way in."""
    import kg.evaluate as ev
    assert not hasattr(ev, "main")
    assert "__main__" not in (ROOT / "kg" / "evaluate.py").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# defect 7: push counts distinct triples and graphs; its hint names --from


def test_push_hint_names_the_from_option(tmp_path):
    line = assert_one_line_error(kg_run("push", "--from", tmp_path / "nope.ttl", "--endpoint", "http://127.0.0.1:9/store"),
                                 "E501", tmp_path / "nope.ttl")
    assert "--from FILE" in line and "--graph FILE" not in line


# ---------------------------------------------------------------------------
# defect 10: --version; view without a browser


def test_version():
    p = kg_run("--version")
    assert p.returncode == 0 and p.stdout.strip() == f"kg (policy-kg) {kg.__version__}"


def test_view_without_a_browser_says_where_the_page_is(seeds_out, tmp_path):
    empty = tmp_path / "bin"      # no browser on PATH, no display
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")}
    env.update(PATH=str(empty), PYTHONPATH=str(ROOT))
    out = tmp_path / "page.html"
    p = subprocess.run([sys.executable, "-m", "kg.cli", "view", str(seeds_out), "--out", str(out)],
                       env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == str(out.resolve()) and out.is_file()
    assert "no browser found" in p.stderr and out.resolve().as_uri() in p.stderr



def test_train_cross_validates_a_subset_and_names_a_bad_gold_file(tmp_path):
    shared = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "policy"
    if not shared.exists():
        pytest.skip("../shared/corpus absent")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert_one_line_error(kg_run("train", "--cv", "2", "--score", bad), "E505", bad)
    gold = Path(__file__).resolve().parent / "gold" / "health_shandong_pcr_price.json"
    r = kg_run("train", "--cv", "2", "--score", gold, "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["adopts"]["n_gold"] > 0 and "cross-validation" in r.stderr
