"""The reader: every odd corpus file, the seeds, and hand-made broken inputs."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import MESSAGES, is_warning, problem
from kg.model import Article, Problem
from kg.read import fix_title_quotes, parse_date, read_article, read_text
from kg.text import MAX_SENTENCE

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SEEDS = ROOT / "seeds"
NO_CORPUS = f"shared corpus not found at {CORPUS} (tests read it in place and skip without it)"

# C0/C1 controls, DEL, lone surrogates, non-characters, zero-width and bidi controls
FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
                       "\u200b-\u200d\ufeff\u2060\u202a-\u202e\u2066-\u2069]")
FM = "---\ntitle: '测试标题'\nauthor: 新浪财经\ndate: Mon, 25 Oct 2021 05:37:19 GMT\n---\n"


def corpus_files(folder: str | None = None) -> list:
    base = CORPUS / folder if folder else CORPUS
    files = sorted(base.rglob("*.md")) if base.is_dir() else []
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=NO_CORPUS))]
    return [pytest.param(f, id=f"{f.parent.name}/{f.name[:40]}") for f in files]


def check_article(a: Article) -> None:
    """Invariants every produced Article satisfies."""
    assert a.text and a.sentences
    assert "\n\n" not in a.text and not a.text.startswith("\n") and not a.text.endswith("\n")
    assert not FORBIDDEN.search(a.text.replace("\n", " "))
    assert not FORBIDDEN.search(a.title)
    for line in a.text.split("\n"):
        assert line == line.strip() and line
    n_par = a.text.count("\n") + 1
    prev_end = 0
    for i, s in enumerate(a.sentences):
        assert s.index == i
        assert a.text[s.start:s.end] == s.text
        assert s.text and s.text == s.text.strip() and "\n" not in s.text
        assert 0 < s.end - s.start <= MAX_SENTENCE
        assert s.start >= prev_end
        prev_end = s.end
        assert 0 <= s.paragraph < n_par
        assert a.text.count("\n", 0, s.start) == s.paragraph
        assert not FORBIDDEN.search(s.text)


# ---------------------------------------------------------------- odd corpus

def _ok(title, date, **more):
    return dict(article=True, title=title, date=date, **more)


def _no(code, title, date):
    return dict(article=False, code=code, title=title, date=date)


# file-name prefix (what is odd about it) -> expected outcome
ODD = {
    "deep-nested-font": _ok(
        "2022高校毕业生秋招行情出炉：上海招聘最多，房地产、教培行业招聘量跌出前十",
        "2021-12-15T07:44:26Z", first_line="记者 | 查沁君",
        contains=["汽车和零配件和工业自动化分别列第14位和19位"]),
    "double-quoted-title-apostrophe": _ok(
        "BIRDIE WING -Golf Girls' Story-｜小鳥之翼", "2022-05-10T15:00:00Z",
        lines=["番组计划", "哔哩哔哩（港澳台）", "動畫瘋", "Ani-One Asia"]),
    "english-no-p-empty-thumbnail": _ok(
        "Apple Ordered To Pay $308.5 Million In Patent Infringement Case", "2021-03-20T12:45:00Z",
        lines=["Apple Ordered To Pay $308.5 Million In Patent Infringement Case"]),
    "image-only": _no("E030", "一图看懂丨第9版新冠肺炎诊疗方案的变化有哪些？", "2022-03-16T06:23:02Z"),
    "large-tables": _ok(
        "2021年四季度和全年国内生产总值（GDP）初步核算结果", "2022-01-18T06:16:29Z",
        origin="国家统计局网站", original_title="2021年四季度和全年国内生产总值（GDP）初步核算结果",
        has_line=["GDP | 324237 | 1143670 | 4.0 | 8.1", "4季度 | 全年 | 4季度 | 全年"]),
    "multiline-unquoted-title-year0900": _ok(
        "2021年04月18日 割引終了 DLsite専売 アールグレイ・『恋』パックVol.1", "0900-01-01T00:00:00Z",
        contains=["大人気、『恋』シリーズが DLサイト限定でお得なパックになって再登場"]),
    "near-empty-body": _ok("米国财爸，有点急", "2020-09-02T15:40:22Z", lines=["着急有用吗。。。？"],
                           sentences=["着急有用吗。。。？"]),
    "old-template-no-headimg": _ok(
        "浙江加强房贷审慎管理：全面自查开发贷、按揭、经营贷等涉房贷款", "2021-03-22T08:27:41Z",
        original_title="独家丨浙江加强房贷审慎管理 全面自查开发贷、按揭、经营贷等涉房贷款", origin=None,
        first_line="作者：辛继召"),
    "other-feed-no-p-placeholder-img": _ok(
        "AI戒毒：被机器监控的毒品“心瘾”", "2019-01-03T08:06:00Z",
        first_sentence="AI应用场景不断被挖掘出来，除了商业场景，AI技术也正在凸显其社会价值。"),
    "quote-wrapped-title-isodate-image-only": _no("E030", "BthI1stOpeC7Cwfの投稿イラスト", "2021-03-22T04:50:45Z"),
    "quote-wrapped-title-video": _ok(
        "首付不够？南京一楼盘教客户假离婚降首付", "2021-03-22T03:10:10Z",
        first_sentence="【鲸视频：首付不够？南京一#楼盘教客户假离婚降首付#】近日，江苏南京，记者在一楼盘售楼处了解到，"
                       "销售人员会“教”人假离婚来骗取首套房贷款资质，以降低首付比例。",
        absent=["视频加载中", "自动播放", "向前", "play"]),
    "sentence-fragment-paragraphs": _ok(
        "“复方脑残片”“二货救心丸”…… 查处！", "2022-03-14T04:23:17Z", origin="现代快报",
        has_line=["近日，", "校园周边向未成年人"]),
    "two-char-title": _ok("0！", "2021-06-16T01:27:56Z", origin="健康广东",
                          first_sentence="6月15日0-24时，广东全省无新增本土确诊病例和本土无症状感染者。"),
    "unquoted-title-starting-with-at": _ok(
        "@大道无形我有型 关注了股票 AMC娱乐", "2021-01-27T23:08:53Z",
        lines=["@大道无形我有型 在1/27/2021, 11:08:53 PM 关注了 AMC娱乐(NYSE:AMC)。"]),
}


@pytest.mark.parametrize("path", corpus_files("odd"))
def test_odd_file(path: Path) -> None:
    prefix = path.name.split("_", 1)[0]
    assert prefix in ODD, f"new odd file {path.name}: add its expected outcome to ODD"
    exp = ODD[prefix]
    article, problems = read_article(path)
    if not exp["article"]:
        assert article is None
        assert [p.code for p in problems] == [exp["code"]]
        assert problems[0].source == str(path)
        assert exp["title"] in problems[0].message          # the title is still read
        assert str(problems[0]).startswith(f"{exp['code']} {path}: no body text")
        # the front matter itself is understood: same file with a body
        raw = path.read_text(encoding="utf-8")
        head = raw[:raw.index("\n---", raw.index("---") + 3) + 4]
        article, problems = read_text(head + "\n<p>正文。</p>", str(path), path.name)
        assert article is not None and article.title == exp["title"] and article.date == exp["date"]
        return
    assert article is not None, [str(p) for p in problems]
    assert problems == []
    assert article.title == exp["title"]
    assert article.date == exp["date"]
    assert article.name == path.name and article.source == str(path)
    check_article(article)
    lines = article.text.split("\n")
    if "lines" in exp:
        assert lines == exp["lines"]
    if "first_line" in exp:
        assert lines[0] == exp["first_line"]
    for line in exp.get("has_line", []):
        assert line in lines
    for frag in exp.get("contains", []):
        assert frag in article.text
    for frag in exp.get("absent", []):
        assert frag not in article.text
    if "sentences" in exp:
        assert [s.text for s in article.sentences] == exp["sentences"]
    if "first_sentence" in exp:
        assert article.sentences[0].text == exp["first_sentence"]
    for key in ("origin", "original_title"):
        if key in exp:
            assert getattr(article, key) == exp[key]


def test_odd_table_covers_folder() -> None:
    folder = CORPUS / "odd"
    if not folder.is_dir():
        pytest.skip(NO_CORPUS)
    prefixes = {p.name.split("_", 1)[0] for p in folder.glob("*.md")}
    assert prefixes == set(ODD)


# ---------------------------------------------------------------- whole corpus

@pytest.mark.parametrize("path", corpus_files())
def test_corpus_invariants(path: Path) -> None:
    article, problems = read_article(path)
    if article is None:
        assert len(problems) == 1 and problems[0].code.startswith(("E", "N"))  # an error, or a note: no article at all
        return
    assert all(is_warning(p) for p in problems)
    check_article(article)
    for junk in ("责任编辑", "新浪财经APP", "appendQr", "img_descr", "炒股神器", "视频加载中",
                 "原标题：", "&#123;", "<p", "</"):
        assert junk not in article.text
    if path.parent.name == "policy":
        assert problems == [] and article.date and article.date.endswith("Z")


# ---------------------------------------------------------------- seeds

def test_seed_000() -> None:
    a, problems = read_article(SEEDS / "000_31ab85aaea601f26.txt")
    assert problems == [] and a is not None
    assert a.title == "教育部：上海市双管齐下 以“双增”推进“双减”试点工作"
    assert "“双增”" in a.title
    assert a.date == "2021-10-25T05:37:19Z"
    assert a.author == "新浪财经"
    assert a.name == "000_31ab85aaea601f26.txt"
    assert a.sentences[0].text == "上海市双管齐下 以“双增”推进“双减”试点工作"
    assert a.sentences[1].text.startswith("上海市委、市政府高度重视“双减”试点工作")
    check_article(a)


def test_seed_001() -> None:
    a, problems = read_article(SEEDS / "001_576fbc2e2e950493.txt")
    assert problems == [] and a is not None
    assert a.title == "教育部发布“双减”工作试点地区典型案例 北京原有各类培训机构压减比例60%"
    assert a.date == "2021-10-25T06:05:05Z"
    assert a.origin == "教育部官网"
    assert a.original_title == "教育部发布“双减”工作试点地区典型案例 北京原有各类培训机构压减比例60%"
    assert a.sentences[0].text == "10月25日，教育部公布“双减”工作试点地区典型案例。"
    assert a.sentences[1].text == "北京方面，坚持首善标准，坚定有序推进校外培训机构治理。"
    # a quotation/parenthesis does not cut the sentence
    assert any(s.text.startswith("出台“1+1+3”规范标准（“1”是建立预付费资金监管机制") and s.text.endswith("以政策突破解决治理难题。")
               for s in a.sentences)
    check_article(a)


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_seed_boilerplate_removed(seed: Path) -> None:
    a, _ = read_article(seed)
    for junk in ("责任编辑", "新浪财经APP", "appendQr", "原标题", "来源：", "编辑：", "article_adlist"):
        assert junk not in a.text


# ---------------------------------------------------------------- errors

def test_problem_str() -> None:
    p = problem("E021", "seeds/x.md", line=3)
    assert isinstance(p, Problem)
    assert str(p) == "E021 seeds/x.md: front matter is not valid YAML (line 3)"
    assert set(MESSAGES) >= {"E001", "E002", "E003", "E010", "E020", "E021", "E022",
                             "E030", "E031", "W040", "W041"}
    assert is_warning("W040") and not is_warning("E030")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


BODY = "<div><p>　　原标题：原来的标题</p><p>　　来源：新华社</p><p>　　教育部发布通知。要求各地落实。</p></div>"
DOC = FM + BODY


def _assert_doc(a: Article | None, problems: list) -> None:
    assert problems == [] and a is not None
    assert a.title == "测试标题" and a.date == "2021-10-25T05:37:19Z" and a.author == "新浪财经"
    assert a.text == "教育部发布通知。要求各地落实。"
    assert [s.text for s in a.sentences] == ["教育部发布通知。", "要求各地落实。"]
    assert a.original_title == "原来的标题" and a.origin == "新华社"


def test_utf8(tmp_path: Path) -> None:
    _assert_doc(*read_article(_write(tmp_path, "a.md", DOC.encode("utf-8"))))


def test_utf8_bom(tmp_path: Path) -> None:
    _assert_doc(*read_article(_write(tmp_path, "a.md", b"\xef\xbb\xbf" + DOC.encode("utf-8"))))


def test_crlf(tmp_path: Path) -> None:
    _assert_doc(*read_article(_write(tmp_path, "a.md", DOC.replace("\n", "\r\n").encode("utf-8"))))


@pytest.mark.parametrize("enc", ["gbk", "gb18030"])
def test_gbk(tmp_path: Path, enc: str) -> None:
    _assert_doc(*read_article(_write(tmp_path, "a.md", DOC.encode(enc))))


@pytest.mark.parametrize("enc", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, enc: str) -> None:
    data = DOC.encode(enc)
    if enc == "utf-16-le":
        data = b"\xff\xfe" + data
    elif enc == "utf-16-be":
        data = b"\xfe\xff" + data
    _assert_doc(*read_article(_write(tmp_path, "a.md", data)))


def test_utf16_without_bom_is_binary(tmp_path: Path) -> None:
    a, problems = read_article(_write(tmp_path, "a.md", DOC.encode("utf-16-le")))
    assert a is None and [p.code for p in problems] == ["E002"]


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    b"---\ntitle: x\n---\n<p>abc\x00def</p>",
    bytes(range(1, 32)) * 50,                        # control bytes, no NUL
    b"\xff\xff\x81\x30\xfe" * 100,                   # neither UTF-8 nor GB18030
])
def test_binary(tmp_path: Path, data: bytes) -> None:
    a, problems = read_article(_write(tmp_path, "b.md", data))
    assert a is None and [p.code for p in problems] == ["E002"]
    assert str(problems[0]).startswith(f"E002 {tmp_path / 'b.md'}: not text")


@pytest.mark.parametrize("data", [b"", b"   \n\n\t\n", b"\xef\xbb\xbf"])
def test_empty(tmp_path: Path, data: bytes) -> None:
    a, problems = read_article(_write(tmp_path, "e.md", data))
    assert a is None and [p.code for p in problems] == ["E010"]


def test_not_readable(tmp_path: Path) -> None:
    a, problems = read_article(tmp_path)                       # a directory
    assert a is None and [p.code for p in problems] == ["E001"]
    a, problems = read_article(tmp_path / "missing.md")
    assert a is None and [p.code for p in problems] == ["E001"]


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "big.md"
    with open(p, "wb") as f:                                     # sparse 50 MB file
        f.write(DOC.encode("utf-8"))
        f.truncate(50 * 1024 * 1024)
    read_calls: list[int] = []
    real_open = open

    def spy_open(*args, **kwargs):
        read_calls.append(1)
        return real_open(*args, **kwargs)

    monkeypatch.setattr("builtins.open", spy_open)
    a, problems = read_article(p)
    assert a is None and [x.code for x in problems] == ["E003"]
    assert read_calls == []                                      # rejected from stat, not read
    monkeypatch.undo()
    small = _write(tmp_path, "s.md", DOC.encode("utf-8"))
    a, problems = read_article(small, max_bytes=100)
    assert a is None and [x.code for x in problems] == ["E003"]
    assert read_article(small, max_bytes=10_000)[0] is not None


@pytest.mark.parametrize("raw", [
    "<p>只有正文，没有元数据。</p>",
    "title: x\ndate: 2021-01-01\n\n<p>正文。</p>",
    "---\ntitle: 未闭合\n<p>正文。</p>",
])
def test_no_front_matter(raw: str) -> None:
    a, problems = read_text(raw, "n.md", "n.md")
    assert a is None and [p.code for p in problems] == ["E020"]


def test_front_matter_after_blank_lines() -> None:
    a, problems = read_text("\n\n  \n" + DOC, "x.md", "x.md")
    _assert_doc(a, problems)


@pytest.mark.parametrize("fm, line", [
    ("title: x\ndate: 2021-01-01\nthis line is not yaml\n", 4),
    ("title: x\nauthor: [unclosed\ncategories: {\n", 3),
    ("not a key line\ntitle: x\n", 2),
])
def test_malformed_yaml(fm: str, line: int) -> None:
    a, problems = read_text("---\n" + fm + "---\n<p>正文。</p>", "seeds/x.md", "x.md")
    assert a is None and [p.code for p in problems] == ["E021"]
    assert str(problems[0]) == f"E021 seeds/x.md: front matter is not valid YAML (line {line})"


@pytest.mark.parametrize("fm", ["- a\n- b\n", "just a string\n", "42\n"])
def test_front_matter_not_mapping(fm: str) -> None:
    a, problems = read_text("---\n" + fm + "---\n<p>正文。</p>", "x.md", "x.md")
    assert a is None and [p.code for p in problems] == ["E022"]


def test_tolerant_front_matter() -> None:
    raw = ("---\ntitle: 'It''s “ok”: _双减_ here\n  and continued\ncategories:\n- a\n- b\n"
           "author: @someone\ndate: 2021-03-22 04:50:45\n---\n<p>正文。</p>")
    a, problems = read_text(raw, "x.md", "x.md")
    assert problems == [] and a is not None
    assert a.title == "'It''s “ok”: “双减” here and continued"
    assert a.author == "@someone" and a.date == "2021-03-22T04:50:45Z"


def test_non_string_title_kept_as_written() -> None:
    a, _ = read_text("---\ntitle: 1.10\ndate: 2021-01-01\n---\n<p>正文。</p>", "x.md", "x.md")
    assert a.title == "1.10"


def test_warnings_article_kept() -> None:
    a, problems = read_text("---\ntitle: ''\ndate: someday\n---\n<p>　　原标题：原题</p><p>正文。</p>",
                            "x.md", "x.md")
    assert a is not None and a.date is None and a.title == "原题"
    assert [p.code for p in problems] == ["W040", "W041"]
    assert "someday" in problems[0].message
    a, problems = read_text("---\ntitle: t\n---\n<p>正文。</p>", "x.md", "x.md")
    assert a is not None and [p.code for p in problems] == ["W040"]


@pytest.mark.parametrize("value, iso", [
    ("Mon, 25 Oct 2021 05:37:19 GMT", "2021-10-25T05:37:19Z"),
    ("Mon, 25 Oct 2021 13:37:19 +0800", "2021-10-25T05:37:19Z"),
    ("2021-10-25T05:37:19Z", "2021-10-25T05:37:19Z"),
    ("2021-10-25T13:37:19+08:00", "2021-10-25T05:37:19Z"),
    ("2021-10-25 05:37:19", "2021-10-25T05:37:19Z"),
    ("2021-10-25", "2021-10-25T00:00:00Z"),
    ("Fri, 01 Jan 0900 00:00:00 GMT", "0900-01-01T00:00:00Z"),
    ("Fri, 01 Jan 0000 00:00:00 GMT", None),
    ("2021-02-30 00:00:00", None),
    ("someday", None),
    ("", None),
    (None, None),
])
def test_parse_date(value, iso) -> None:
    assert parse_date(value) == iso


def test_yaml_timestamp_dates() -> None:
    a, problems = read_text("---\ntitle: t\ndate: 2021-03-22 04:50:45\n---\n<p>正文。</p>", "x.md")
    assert a.date == "2021-03-22T04:50:45Z" and problems == []
    a, problems = read_text("---\ntitle: t\ndate: 2021-02-30\n---\n<p>正文。</p>", "x.md")
    assert a.date is None and [p.code for p in problems] == ["W040"]


@pytest.mark.parametrize("raw, fixed", [
    ("教育部发布_双减_工作", "教育部发布“双减”工作"),
    ("_复方脑残片__二货救心丸_…… 查处！", "“复方脑残片”“二货救心丸”…… 查处！"),
    ("14部门：坚决防止_一刀切_和_层层加码_", "14部门：坚决防止“一刀切”和“层层加码”"),
    ("推动_AI_发展", "推动“AI”发展"),
    ("snake_case_name", "snake_case_name"),
    ("a _ b _ c", "a _ b _ c"),
    ("单个_下划线", "单个_下划线"),
])
def test_title_quotes(raw: str, fixed: str) -> None:
    assert fix_title_quotes(raw) == fixed


# ---------------------------------------------------------------- body cleaning

def body_of(html: str) -> tuple[Article | None, list]:
    return read_text(FM + html, "x.md", "x.md")


def test_image_and_video_only_bodies() -> None:
    for html in ['<div><div class="img_wrapper"><img src="a.jpg"><span class="img_descr">图</span></div></div>',
                 '<div class="artical-player-wrap"><div id="J_Article_Player">视频加载中，请稍候...</div></div>',
                 '<div>   \n</div>', "", "<!-- only a comment -->"]:
        a, problems = body_of(html)
        assert a is None and [p.code for p in problems] == ["E030"]
        assert "测试标题" in problems[0].message


def test_no_usable_sentences() -> None:
    a, problems = body_of("<p>……</p><p>——</p>")
    assert a is None and [p.code for p in problems] == ["E031"]


def test_boilerplate_dropped() -> None:
    html = ("<div><p>　　正文第一句。</p><style>.x&#123;&#125;</style><script>var s='<p>x</p>';</script>"
            "<iframe src=x>框架</iframe><!-- 注释 --><div class=\"img_wrapper\"><img src=x>"
            "<span class=\"img_descr\">图片说明</span></div>"
            "<div class=\"clearfix appendQr_wrap\"><div class=\"appendQr_normal_txt\">海量资讯、精准解读，尽在新浪财经APP</div></div>"
            "<p>海量资讯、精准解读，尽在新浪财经APP</p><p class=\"article-editor\">责任编辑：某某</p>"
            "<p>责任编辑：某某</p><p>　　（编辑：毕凤至）</p></div>")
    a, problems = body_of(html)
    assert problems == [] and a.text == "正文第一句。"


def test_inline_flattened_blocks_split_entities() -> None:
    html = ("<div><p>　　<font>北京</font><strong>方面</strong>，<span><a href=x>坚持</a></span>标准&#12290;</p>"
            "<h2>标题</h2><ul><li>一</li><li>二</li></ul>第一行<br>第二行<br/>第三行&nbsp;&nbsp;尾&amp;</div>")
    a, _ = body_of(html)
    assert a.text.split("\n") == ["北京方面，坚持标准。", "标题", "一", "二", "第一行", "第二行", "第三行 尾&"]


def test_table_rows() -> None:
    html = ("<table><tbody><tr><td><p>地区</p></td><td><p>增长</p><p>（%）</p></td></tr>"
            "<tr><td>北京</td><td>8.5</td></tr><tr><td> </td><td> </td></tr><tr><td>上海<td>8.1</table><p>表后。</p>")
    a, _ = body_of(html)
    assert a.text.split("\n") == ["地区 | 增长 （%）", "北京 | 8.5", "上海 | 8.1", "表后。"]


def test_control_and_zero_width_removed() -> None:
    nasty = "教\u200b育\u200c部\u200d发\ufeff布\u2060通\u202e知\u2066。\x00a\x01b\x1fc\x7fd\x85e\ud800f"
    a, problems = body_of(f"<p>{nasty}</p><p>&#0;&#1;&#x202E;第二段。</p>")
    assert problems == []
    assert a.text == "教育部发布通知。 a b c d e\ufffdf\n\ufffd第二段。"
    check_article(a)


def test_title_control_chars_removed() -> None:
    a, _ = read_text("---\ntitle: \"标\\u200b题\\x01尾\"\ndate: 2021-01-01\n---\n<p>正文。</p>", "x.md")
    assert a.title == "标题 尾"


def test_deeply_nested_font() -> None:
    depth = 10_000
    html = "<div><p>前文。</p><p>" + "<font cms-style=\"font-L\">" * depth + "深处的文字。" + \
        "</font>" * depth + "尾巴。</p><p>下一段。</p></div>"
    a, problems = body_of(html)
    assert problems == []
    assert a.text == "前文。\n深处的文字。尾巴。\n下一段。"
    assert [s.text for s in a.sentences] == ["前文。", "深处的文字。", "尾巴。", "下一段。"]


def test_deeply_nested_unclosed() -> None:
    a, _ = body_of("<p>" + "<div><span>" * 10_000 + "还在。")
    assert a.text == "还在。"


def test_unclosed_and_broken_tags() -> None:
    html = ("<div><p>未闭合段落。<p>第二段<b>粗体<i>斜体</div>后面的文字。</span></font></p></p>"
            "<div class=\"img_wrapper\"><img src=x><p>说明</td>结尾。</div>a < b 且 c > d。"
            "<font color=\"red>坏属性</font>")
    a, problems = body_of(html)
    assert problems == [] and a is not None
    check_article(a)
    assert a.text.split("\n")[:3] == ["未闭合段落。", "第二段粗体斜体", "后面的文字。"]
    assert "a < b 且 c > d。" in a.text


def test_unclosed_comment_and_script() -> None:
    a, _ = body_of("<p>保留。</p><!-- 未闭合注释 <p>丢弃</p>")
    assert a.text == "保留。"
    a, _ = body_of("<p>保留。</p><script>丢弃<p>也丢弃")
    assert a.text == "保留。"


def test_hundred_thousand_char_sentence() -> None:
    body = "很长的句子，" * 16_000 + "结尾" + "无标点" * 10_000
    assert len(body) > 100_000
    a, problems = body_of(f"<p>{body}</p>")
    assert problems == []
    check_article(a)
    assert "".join(s.text for s in a.sentences) == body
    assert max(len(s.text) for s in a.sentences) <= MAX_SENTENCE
    assert all(s.text.endswith("，") for s in a.sentences[:40])


def test_plain_markdown_paragraphs() -> None:
    a, _ = body_of("第一段第一行\n第一段第二行。\n\n第二段。")
    assert a.text == "第一段第一行 第一段第二行。\n第二段。"


# ---------------------------------------------------------------- properties

HTMLISH = st.lists(st.one_of(
    st.text(max_size=30),
    st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<font>", "</font>", "<br>", "<table>",
                     "<tr>", "<td>", "</td>", "</table>", "<!--", "-->", "<script>", "</script>",
                     '<div class="img_wrapper">', "&#0;", "&#x202e;", "&amp;", "&", "“", "”", "（",
                     "）", "。", "！", "；", "\n", "\n\n", "\x00", "\x1b", "\u200b", "\ud800", "\ufeff",
                     "　", " ", "原标题：", "来源：", "责任编辑：", "---", "<", ">", '"', "'"]),
), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HTMLISH)
def test_property_any_body(body: str) -> None:
    a, problems = read_text(FM + body, "p.md", "p.md")
    assert isinstance(problems, list)
    if a is None:
        assert [p.code for p in problems] in (["E030"], ["E031"])
    else:
        check_article(a)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_property_any_file_text(raw: str) -> None:
    a, problems = read_text(raw, "p.md", "p.md")
    assert all(isinstance(p, Problem) for p in problems)
    if a is None:
        assert problems and problems[0].code.startswith(("E", "N"))  # an error, or a note: no article at all
    else:
        check_article(a)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_property_any_front_matter(fm: str) -> None:
    a, problems = read_text("---\n" + fm + "\n---\n<p>正文。</p>", "p.md", "p.md")
    if a is None:
        assert len(problems) == 1 and problems[0].code in ("E020", "E021", "E022")
    else:
        check_article(a)
        assert not FORBIDDEN.search(a.title) and a.title == a.title.strip()
        assert all(is_warning(p) for p in problems)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_property_any_bytes(tmp_path_factory, data: bytes) -> None:
    p = tmp_path_factory.mktemp("bin") / "x.md"
    p.write_bytes(data)
    a, problems = read_article(p)
    if a is None:
        assert len(problems) == 1 and problems[0].code.startswith(("E", "N"))  # an error, or a note: no article at all
    else:
        check_article(a)
