"""Bad input through the whole build (issue 8): every file becomes facts or a
clear one-line message, and the outputs stay valid whatever the text holds.

Each test makes an input folder in tmp_path holding the two seeds plus the
hostile file(s), runs `kg.pipeline.build`, and checks (`check_build`):

* the build finishes, the seeds' facts (their articles and Evidence) are in
  the graph;
* a rejected file is named in exactly one E-coded Problem whose str() is one
  line "E0xx <path>: <what>", and in output/report.json "skipped";
* a kept file is an Article in the graph (with its title as expected);
* graph.ttl parses in pyoxigraph (strict) and rdflib to the same triples;
* graph.html carries data only inside the JSON blob, which holds no "<",
  and no hostile marker appears anywhere else in the page.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV

import kg.read
from kg.cli import main as cli_main
from kg.errors import DEFAULT_MAX_BYTES
from kg.ids import article_iri
from kg.pipeline import build

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SEED = SEEDS[0].read_text(encoding="utf-8")
SEED_TITLE = "title: '教育部：上海市双管齐下 以_双增_推进_双减_试点工作'"
assert SEED_TITLE in SEED
MARKER = "<script>alert(1)</script>"
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def doc(title_line: str | None = None, body_extra: str = "", text: str = SEED) -> str:
    """Seed 000 with another title line (None: no title) and more body."""
    if title_line is not None:
        if not title_line.startswith("title:"):
            title_line = "title: " + title_line
        text = text.replace(SEED_TITLE, title_line, 1)
    else:
        text = text.replace(SEED_TITLE + "\n", "", 1)
    return text.replace("<div>", "<div>" + body_extra, 1) if body_extra else text


def gbk_safe(text: str) -> str:
    out = []
    for c in text:
        try:
            c.encode("gbk")
            out.append(c)
        except UnicodeEncodeError:
            out.append(" ")
    return "".join(out)


def make_input(tmp_path: Path) -> Path:
    inp = tmp_path / "in"
    inp.mkdir()
    for s in SEEDS:
        shutil.copy(s, inp / s.name)
    return inp


def run(tmp_path: Path, inp: Path | None = None, **kw):
    inp = inp or tmp_path / "in"
    out = tmp_path / "out"
    seen: list = []
    result = build([inp], out, on_problem=seen.append, **kw)
    assert seen == result.problems
    return result, out


def parse_outputs(out: Path) -> rdflib.Graph:
    ttl = (out / "graph.ttl").read_bytes()
    strict = list(pyoxigraph.parse(ttl, format=pyoxigraph.RdfFormat.TURTLE))   # raises on any error
    g = rdflib.Graph()
    g.parse(data=ttl.decode("utf-8"), format="turtle")
    assert len(g) == len(strict) > 0
    return g


def html_blob(out: Path) -> tuple[str, dict]:
    """(page without the JSON data blob, the parsed blob); asserts the blob is inert."""
    page = (out / "graph.html").read_text(encoding="utf-8")
    m = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S)
    assert m, "no JSON data blob in graph.html"
    blob = m.group(1)
    assert "<" not in blob and ">" not in blob and "&" not in blob
    return page[:m.start()] + page[m.end():], json.loads(blob)


def check_build(result, out: Path, skipped: dict[Path, str] = {}, kept: dict[str, str | None] = {},
                marker: str | None = None) -> rdflib.Graph:
    """`skipped`: path -> code; `kept`: file name -> expected title (None: any)."""
    assert result.articles == len(SEEDS) + len(kept)
    g = parse_outputs(out)
    for name in [s.name for s in SEEDS] + list(kept):
        a = URIRef(article_iri(name))
        assert g.value(a, DCTERMS.title) is not None, f"article {name} missing"
        if name in kept and kept[name] is not None:
            assert str(g.value(a, DCTERMS.title)) == kept[name]
        assert any(True for _ in g.subjects(PROV.wasDerivedFrom, a)), f"no facts from {name}"
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(report["skipped"]) == len(result.skipped) == len(skipped)
    for path, code in skipped.items():
        mine = [p for p in result.skipped if p.source == str(path)]
        assert [p.code for p in mine] == [code], [str(p) for p in result.problems]
        line = str(mine[0])
        assert "\n" not in line and line.startswith(f"{code} ") and ": " in line
        assert {"code": code, "file": str(path), "reason": mine[0].message} in report["skipped"]
    if (out / "graph.html").exists():
        rest, data = html_blob(out)
        if marker:
            assert marker not in rest
            assert marker.replace("<", "\\u003c") not in rest
    return g


def write(p: Path, data: bytes | str) -> Path:
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


# ---------------------------------------------------------------- encodings

@pytest.mark.parametrize("enc", ["gbk", "gb18030", "utf-8-sig", "utf-16"])
def test_encodings(tmp_path: Path, enc: str) -> None:
    inp = make_input(tmp_path)
    text = gbk_safe(doc("'编码测试：上海市双减'")) if enc == "gbk" else doc("'编码测试：上海市双减'")
    write(inp / "x.md", text.encode(enc))
    result, out = run(tmp_path)
    check_build(result, out, kept={"x.md": "编码测试：上海市双减"})
    assert not result.problems


@pytest.mark.parametrize("bom,codec", [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_utf16_with_bom(tmp_path: Path, bom: bytes, codec: str) -> None:
    inp = make_input(tmp_path)
    write(inp / "x.md", bom + doc("'UTF-16 标题'").encode(codec))
    result, out = run(tmp_path)
    check_build(result, out, kept={"x.md": "UTF-16 标题"})


def test_mixed_encodings_kept_with_warning(tmp_path: Path) -> None:
    inp = make_input(tmp_path)
    head, body = SEED.split("---\n", 2)[1:]
    data = ("---\n" + head + "---\n").encode("utf-8") + gbk_safe(body).encode("gbk")
    write(inp / "x.md", data)
    write(inp / "y.md", doc("'坏字节'").encode("utf-8").replace("上海市委".encode(), "上海市委".encode() + b"\xff", 1))
    result, out = run(tmp_path)
    check_build(result, out, kept={"x.md": "教育部：上海市双管齐下 以“双增”推进“双减”试点工作", "y.md": "坏字节"})
    warn = {Path(p.source).name: str(p) for p in result.problems}
    assert warn["x.md"].startswith(f"W042 {inp / 'x.md'}: not one clean encoding (") and "GB18030" in warn["x.md"]
    assert "U+FFFD" in warn["y.md"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {w["file"] for w in report["warnings"]} == {str(inp / "x.md"), str(inp / "y.md")}


def test_cesu_surrogate_bytes(tmp_path: Path) -> None:
    """A surrogate written as bytes (CESU-8 / surrogatepass): U+FFFD, file kept."""
    inp = make_input(tmp_path)
    write(inp / "x.md", doc("'代理\ud800对'", "<p>上海市\udc80委。</p>").encode("utf-8", "surrogatepass"))
    result, out = run(tmp_path)
    g = check_build(result, out, kept={"x.md": None})
    assert "\ufffd" in str(g.value(URIRef(article_iri("x.md")), DCTERMS.title))
    assert [p.code for p in result.problems] == ["W042"]


def test_lone_surrogates_in_decoded_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A decoder that lets lone surrogates through (surrogateescape) into read_text."""
    inp = make_input(tmp_path)
    write(inp / "x.md", b"placeholder")
    real = kg.read.decode_bytes

    def decode(data: bytes):
        if data == b"placeholder":
            return doc("'孤\ud800立\udfff代理'", "<p>上海市\udcff委发布\ud83d通知。</p>"), ""
        return real(data)

    monkeypatch.setattr(kg.read, "decode_bytes", decode)
    result, out = run(tmp_path)
    check_build(result, out, kept={"x.md": "孤\ufffd立\ufffd代理"})


def test_undecodable_file_name(tmp_path: Path) -> None:
    """A file name that is not UTF-8 (os.fsdecode gives lone surrogates), no title:
    the name becomes the label in Turtle, HTML and report.json."""
    inp = make_input(tmp_path)
    raw = os.path.join(os.fsencode(inp), b"\xff\xed\xa0\x80name.md")
    with open(raw, "wb") as f:
        f.write(doc(None).encode("utf-8"))
    result, out = run(tmp_path)
    name = os.fsdecode(b"\xff\xed\xa0\x80name.md")
    assert result.articles == 3
    check_build(result, out, kept={name: None})
    assert [p.code for p in result.problems] == ["W041"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["warnings"][0]["file"] == os.fsdecode(raw)          # exact, via \\udcff escapes


# ---------------------------------------------------------------- not text, empty, too large

@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40,
    b"\x7fELF\x02\x01\x01" + bytes(range(1, 32)) * 200,
    b"\xff\xff\x81\x30\xfe" * 1000,
], ids=["png", "control-bytes", "undecodable"])
def test_binary(tmp_path: Path, data: bytes) -> None:
    inp = make_input(tmp_path)
    bad = write(inp / "x.md", data)
    result, out = run(tmp_path)
    check_build(result, out, skipped={bad: "E002"})
    assert str(result.skipped[0]).startswith(f"E002 {bad}: not text (")


@pytest.mark.parametrize("data", [b"", b"  \n\t\n\r\n", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_empty(tmp_path: Path, data: bytes) -> None:
    inp = make_input(tmp_path)
    bad = write(inp / "x.md", data)
    result, out = run(tmp_path)
    check_build(result, out, skipped={bad: "E010"})
    assert str(result.skipped[0]) == f"E010 {bad}: empty file"


def test_fifty_megabytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inp = make_input(tmp_path)
    big = inp / "big.md"
    with open(big, "wb") as f:            # sparse: the front matter, then holes up to 50 MB
        f.write(SEED.encode("utf-8"))
        f.truncate(50 * 1024 * 1024)
    opened: list[str] = []
    real_open = open

    def spy(file, *a, **k):
        opened.append(os.fspath(file) if not isinstance(file, int) else "")
        return real_open(file, *a, **k)

    monkeypatch.setattr("builtins.open", spy)
    result, out = run(tmp_path, html=False)
    monkeypatch.undo()
    assert str(big) not in opened                                 # rejected from stat, never read
    check_build(result, out, skipped={big: "E003"})
    assert str(result.skipped[0]) == (f"E003 {big}: file too large ({50 * 1024 * 1024} bytes; "
                                      f"limit {DEFAULT_MAX_BYTES} bytes)")


# ---------------------------------------------------------------- front matter

@pytest.mark.parametrize("text,code,message", [
    ("<p>上海市发布通知。</p>", "E020", "no front matter (the file does not start with a '---' line)"),
    ("---\ntitle: x\n<p>上海市发布通知。</p>", "E020", "no front matter (no closing '---' line)"),
    ("---\ntitle: [x\ndate: {\n---\n<p>上海市发布通知。</p>", "E021", "front matter is not valid YAML (line 3)"),
    ("---\n- a\n- b\n---\n<p>上海市发布通知。</p>", "E022", "front matter is not a mapping (found list)"),
], ids=["missing", "unclosed", "malformed", "not-mapping"])
def test_front_matter(tmp_path: Path, text: str, code: str, message: str) -> None:
    inp = make_input(tmp_path)
    bad = write(inp / "x.md", text)
    result, out = run(tmp_path)
    check_build(result, out, skipped={bad: code})
    assert str(result.skipped[0]) == f"{code} {bad}: {message}"


# ---------------------------------------------------------------- HTML

@pytest.mark.parametrize("extra", [
    "<p>上海市发布《关于推进双减的通知》。<div><b><i>未闭合<table><tr><td>格",
    "<font>" * 10_000 + "上海市教育委员会发布通知。" + "</font>" * 10_000,
    "<div>" * 10_000 + "上海市教育委员会发布通知。",
    "<p>未闭合注释<!-- " + "x" * 1000,                       # appended: it swallows the rest
    "<p><script>document.write('<p>') " + "x" * 1000,
], ids=["unclosed", "nested-10000", "nested-10000-unclosed", "unclosed-comment", "unclosed-script"])
def test_html(tmp_path: Path, extra: str) -> None:
    inp = make_input(tmp_path)
    text = doc("'HTML 测试'", extra) if "<!--" not in extra and "<script" not in extra else doc("'HTML 测试'") + extra
    write(inp / "x.md", text)
    result, out = run(tmp_path)
    check_build(result, out, kept={"x.md": "HTML 测试"})


# ---------------------------------------------------------------- characters

def test_control_characters(tmp_path: Path) -> None:
    """Raw C0/C1 controls and DEL (no NUL: that means binary), as character
    references (&#0; &#x1b;), and a NUL after the 8 KB binary sniff."""
    inp = make_input(tmp_path)
    extra = ("<p>控制\x01\x08\x0b\x0c\x1b\x7f\x85\x9f字符&#0;&#x1b;&#x7f;&#xfffe;&#xffff;&#xd800;上海市委通知。</p>"
             + "<p>" + "填充。" * 3000 + "\x00后面。</p>")
    write(inp / "x.md", doc("'标题\x07\x1b\x7f响铃'", extra))
    nul = write(inp / "y.md", doc("'NUL'", "<p>a\x00b</p>"))
    result, out = run(tmp_path)
    g = check_build(result, out, kept={"x.md": "标题 响铃"}, skipped={nul: "E002"})
    for o in g.objects():
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]", str(o))


def test_zero_width_and_bidi(tmp_path: Path) -> None:
    inp = make_input(tmp_path)
    evil = "\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
    write(inp / "x.md", doc(f"'上海{evil}双减'", f"<p>上{evil}海市委发布通知。</p>"))
    result, out = run(tmp_path)
    g = check_build(result, out, kept={"x.md": "上海双减"})
    for o in g.objects():
        assert not any(c in str(o) for c in evil)


@pytest.mark.parametrize("title_line,title", [
    ('title: "引号\\"双\\" \'单\' 反斜杠\\\\ 大于> </script><script>alert(1)</script>"',
     "引号\"双\" '单' 反斜杠\\ 大于> </script><script>alert(1)</script>"),
    ('title: "第一行\\n第二行\\r\\n第三行\\t<script>alert(1)</script>"', "第一行 第二行 第三行 <script>alert(1)</script>"),
    ("title: |\n  多行\n  标题 </script><script>alert(1)</script> & &amp; ]]> \\u0000",
     "多行 标题 </script><script>alert(1)</script> & &amp; ]]> \\u0000"),
    ("title: '\"\"\" ''' \\\\\" <!-- <script>alert(1)</script>'",
     "\"\"\" '' \\\\\" <!-- <script>alert(1)</script>"),
], ids=["quotes-backslash-gt", "newlines", "block-scalar", "turtle-long-quotes"])
def test_hostile_titles(tmp_path: Path, title_line: str, title: str) -> None:
    inp = make_input(tmp_path)
    write(inp / "x.md", doc(title_line))
    result, out = run(tmp_path)
    check_build(result, out, kept={"x.md": title}, marker=MARKER)
    _, data = html_blob(out)
    assert title in _strings(data)                       # in the page as data, exactly


def _strings(data) -> set[str]:
    found, stack = set(), [data]
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            found.add(x)
        elif isinstance(x, dict):
            stack.extend(x.values())
            stack.extend(x.keys())
        elif isinstance(x, list):
            stack.extend(x)
    return found


def test_hundred_thousand_char_sentence(tmp_path: Path) -> None:
    inp = make_input(tmp_path)
    long = "上海市教育委员会加强管理" * 8334                     # ~100k chars, no punctuation
    write(inp / "x.md", doc("'长句'", f"<p>{long[:100_000]}</p><p>上海市委发布通知。</p>"))
    result, out = run(tmp_path)
    check_build(result, out, kept={"x.md": "长句"})


# ---------------------------------------------------------------- the file system

def test_symlink_loops(tmp_path: Path) -> None:
    inp = make_input(tmp_path)
    (inp / "sub").mkdir()
    (inp / "sub" / "loop").symlink_to(inp, target_is_directory=True)    # folder loop
    (inp / "self.md").symlink_to(inp / "self.md")                      # file loop (ELOOP)
    (inp / "dangling.md").symlink_to(inp / "nowhere.md")
    result, out = run(tmp_path)
    check_build(result, out, skipped={inp / "sub" / "loop": "E004", inp / "self.md": "E001",
                                      inp / "dangling.md": "E001"})
    msgs = {p.source: str(p) for p in result.skipped}
    assert msgs[str(inp / "sub" / "loop")].endswith("symbolic link loop, folder already visited")
    assert "symbolic links" in msgs[str(inp / "self.md")]
    assert "No such file" in msgs[str(inp / "dangling.md")]


def test_fifo_is_not_read(tmp_path: Path) -> None:
    """A FIFO in the folder (reading it would block forever)."""
    inp = make_input(tmp_path)
    os.mkfifo(inp / "pipe.md")
    os.mkfifo(tmp_path / "given.md")                                   # named on the command line
    result = build([inp, tmp_path / "given.md"], tmp_path / "out")
    check_build(result, tmp_path / "out", skipped={inp / "pipe.md": "E001", tmp_path / "given.md": "E001"})
    assert str(result.skipped[0]) == f"E001 {inp / 'pipe.md'}: cannot read file (not a regular file)"


@pytest.mark.skipif(ROOT_USER, reason="running as root: chmod 000 does not deny reads "
                    "(test_unreadable_file_permission_error covers the same path)")
def test_unreadable_file_chmod(tmp_path: Path) -> None:
    inp = make_input(tmp_path)
    bad = write(inp / "x.md", SEED)
    bad.chmod(0)
    try:
        result, out = run(tmp_path)
        check_build(result, out, skipped={bad: "E001"})
        assert "Permission denied" in str(result.skipped[0])
    finally:
        bad.chmod(stat.S_IRUSR | stat.S_IWUSR)


@pytest.mark.skipif(ROOT_USER, reason="running as root: chmod 000 does not deny reads")
def test_unreadable_folder_chmod(tmp_path: Path) -> None:
    inp = make_input(tmp_path)
    sub = inp / "locked"
    sub.mkdir()
    write(sub / "x.md", SEED)
    sub.chmod(0)
    try:
        result, out = run(tmp_path)
        check_build(result, out, skipped={sub: "E001"})
    finally:
        sub.chmod(stat.S_IRWXU)


def test_unreadable_file_permission_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The EACCES path without relying on chmod (tests may run as root)."""
    inp = make_input(tmp_path)
    bad = write(inp / "x.md", SEED)
    real_open = open

    def deny(file, *a, **k):
        if os.fspath(file) == str(bad):
            raise PermissionError(13, "Permission denied", str(bad))
        return real_open(file, *a, **k)

    monkeypatch.setattr("builtins.open", deny)
    result, out = run(tmp_path, html=False)
    monkeypatch.undo()
    check_build(result, out, skipped={bad: "E001"})
    assert str(result.skipped[0]) == f"E001 {bad}: cannot read file (Permission denied)"


def test_newline_in_file_name(tmp_path: Path) -> None:
    inp = make_input(tmp_path)
    bad = write(inp / "a\nE000 fake\u2028.md", b"")
    result, out = run(tmp_path)
    check_build(result, out, skipped={bad: "E010"})
    assert str(result.skipped[0]) == f"E010 {inp}/a\\nE000 fake\\u2028.md: empty file"


# ---------------------------------------------------------------- output paths

@pytest.mark.parametrize("name", ["up..\\..\\evil.md", "%2e%2e%2fevil.md", "-evil.md", " evil .md"])
def test_input_names_never_leave_output(tmp_path: Path, name: str) -> None:
    inp = make_input(tmp_path)
    write(inp / name, doc("'路径'"))
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    write(tmp_path / "evil.md", doc("'上层'"))
    before = {p for p in tmp_path.rglob("*")}
    # the input given as a path that climbs out of a folder: ../../evil.md
    result = build([inp, deep / ".." / ".." / "evil.md"], tmp_path / "out")
    new = {p for p in tmp_path.rglob("*")} - before
    assert new and all(p.is_relative_to(tmp_path / "out") for p in new), new
    assert {"graph.ttl", "graph.html", "report.json"} <= {p.name for p in new}
    check_build(result, tmp_path / "out", kept={name: "路径", "evil.md": "上层"})


# ---------------------------------------------------------------- report, exit codes, stale temps

def test_report_lists_every_skipped_file(tmp_path: Path) -> None:
    inp = make_input(tmp_path)
    bad = {write(inp / "empty.md", b""): "E010", write(inp / "bin.md", b"\x00\x01PNG"): "E002",
           write(inp / "nofm.md", "<p>上海市。</p>"): "E020",
           write(inp / "yaml.md", "---\ntitle: x\ndate: [2021\n---\n<p>正文。</p>"): "E021",
           write(inp / "img.md", "---\ntitle: 图\n---\n<p><img src=x></p>"): "E030"}
    (inp / "sub").mkdir()
    (inp / "sub" / "up").symlink_to(inp)
    bad[inp / "sub" / "up"] = "E004"
    result, out = run(tmp_path)
    check_build(result, out, skipped=bad)


def test_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    inp = make_input(tmp_path)
    out = str(tmp_path / "out")
    assert cli_main(["build", str(inp), "--out", out, "--no-html"]) == 0
    assert cli_main(["build", str(inp), "--out", out, "--no-html", "--strict"]) == 0
    write(inp / "nodate.md", doc("'无日期'").replace("date: Mon, 25 Oct 2021 05:37:19 GMT\n", ""))
    assert cli_main(["build", str(inp), "--out", out, "--no-html"]) == 0          # a warning only
    assert cli_main(["build", str(inp), "--out", out, "--no-html", "--strict"]) == 2
    bad = write(inp / "empty.md", b"")
    capsys.readouterr()
    assert cli_main(["build", str(inp), "--out", out, "--no-html"]) == 1
    err = capsys.readouterr().err
    assert f"E010 {bad}: empty file\n" in err and f"W040 {inp / 'nodate.md'}: " in err
    assert cli_main(["build", str(inp), "--out", out, "--no-html", "--strict"]) == 2
    empty = tmp_path / "nothing"
    empty.mkdir()
    write(empty / "e.md", b"")
    assert cli_main(["build", str(empty), "--out", out]) == 2                     # nothing built
    assert cli_main(["build", str(tmp_path / "missing"), "--out", out]) == 2
    blocker = write(tmp_path / "file", b"x")                                      # --out is a file
    assert cli_main(["build", str(inp), "--out", str(blocker / "out"), "--no-html"]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_stale_temp_files_removed(tmp_path: Path) -> None:
    make_input(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    stale = [write(out / n, b"half a graph") for n in
             (".graph.ttl.k2j_9x1a.tmp", ".graph.html.abcdefgh.tmp", ".report.json.12345678.tmp")]
    keep = write(out / "notes.tmp", b"mine")
    result, out = run(tmp_path)
    check_build(result, out)
    assert not any(p.exists() for p in stale) and keep.exists()
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp") and p != keep]
    assert stat.S_IMODE((out / "graph.ttl").stat().st_mode) & 0o044           # not mkstemp's 0600
