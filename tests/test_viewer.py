"""The HTML viewer (kg/export/html.py): static checks and a real headless Chromium.

Browser tests need Debian's `chromium` + `chromium-driver` and the `selenium`
package; they skip with the reason when any is missing.  The page is loaded
from file:// with the browser's network emulated offline.  Timings (navigation
start -> window.kgReady) are printed; run with `pytest -s` to see them:

    python -m pytest tests/test_viewer.py -q -s
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.export import html as viewer
from kg.export import viewdata
from kg.vocab import DCTERMS, POL, PROV

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
RES = "https://w3id.org/policy-kg/id/"
HOSTILE_TITLE = '<script>window.__pwned=1</script>“双减”<img src=x onerror="window.__pwned=1"> javascript:alert(1)'
HOSTILE_LABEL = '<img src=x onerror="window.__pwned=1">措施<script>window.__pwned=1</script>\'"'


# --------------------------------------------------------------------------- graphs

def zh(s: str) -> Literal:
    return Literal(s, lang="zh")


def small_graph(hostile: bool = False) -> Graph:
    """A seeds-like graph: Shanghai's 双减 measures, documents, a metric, evidence."""
    g = Graph()
    t = []

    def ent(kind, key, label, alts=(), arts=("a1",)):
        s = URIRef(f"{RES}{kind.lower()}/{key}")
        t.extend([(s, RDF.type, POL[kind]), (s, RDFS.label, zh(label))])
        t.extend((s, SKOS.altLabel, zh(a)) for a in alts)
        t.extend((s, POL.mentionedIn, URIRef(f"{RES}article/{a}")) for a in arts)
        return s

    def article(key, title, date):
        a = URIRef(f"{RES}article/{key}")
        t.extend([(a, RDF.type, POL.Article), (a, DCTERMS.title, zh(title)), (a, RDFS.label, zh(title)),
                  (a, DCTERMS.date, Literal(date, datatype=XSD.dateTime)),
                  (a, DCTERMS.source, Literal(f"seeds/{key}.txt"))])
        return a

    a1 = article("a1", HOSTILE_TITLE if hostile else "上海“双减”一周年：学科类培训机构压减21.73%",
                 "2022-07-20T09:30:00")
    a2 = article("a2", "教育部：进一步减轻义务教育阶段学生作业负担", "2021-07-24T10:00:00")

    def rel(s, p, o, sentence, hit, art=a1, start=100, rule="test-rule"):
        t.append((s, p, o))
        k = sentence.index(hit)
        e = URIRef(f"{RES}evidence/{abs(hash((str(s), str(p), str(o), sentence))) % 10**12:012d}")
        t.extend([(e, RDF.type, POL.Evidence), (e, RDF.subject, s), (e, RDF.predicate, p), (e, RDF.object, o),
                  (e, PROV.wasDerivedFrom, art), (e, POL.sentence, zh(sentence)),
                  (e, POL.charStart, Literal(start)), (e, POL.charEnd, Literal(start + len(sentence))),
                  (e, POL.spanStart, Literal(start + k)), (e, POL.spanEnd, Literal(start + k + len(hit))),
                  (e, POL.extractedBy, Literal(rule))])

    china = ent("Region", "000000", "全国", ("中国",), ("a2",))
    sh = ent("Region", "310000", "上海市", ("上海", "沪"))
    pd = ent("Region", "310115", "浦东新区", ("浦东",))
    bj = ent("Region", "110000", "北京市", ("北京",), ("a2",))
    t.extend([(china, POL.divisionCode, Literal("000000")), (sh, POL.divisionCode, Literal("310000")),
              (pd, POL.divisionCode, Literal("310115")), (bj, POL.divisionCode, Literal("110000")),
              (sh, POL.partOf, china), (bj, POL.partOf, china), (pd, POL.partOf, sh)])
    moe = ent("Agency", "moe", "教育部", (), ("a2",))
    shw = ent("Agency", "shswei", "上海市委", ("市委",))
    shg = ent("Agency", "shgov", "上海市人民政府", ("市政府",))
    pdj = ent("Agency", "pdjw", "浦东新区教育局", ("区教育局",))
    t.extend([(moe, POL.jurisdiction, china), (shw, POL.jurisdiction, sh), (shg, POL.jurisdiction, sh),
              (pdj, POL.jurisdiction, pd)])
    doc1 = ent("Document", "zhiyin", "上海市民办培训机构培训资金管理指引")
    doc2 = ent("Document", "yijian", "关于进一步减轻义务教育阶段学生作业负担和校外培训负担的意见", ("《意见》",), ("a2",))
    m1 = ent("Measure", "5plus2", "“5+2”课后服务")
    m2 = ent("Measure", "yingzhuanfei", "“营转非”")
    m3 = ent("Measure", "heibai", "“黑白名单”制度")
    metric = ent("Metric", "m2173", "义务教育学科类培训机构压减 21.73%")
    t.extend([(metric, POL.value, Literal("21.73", datatype=XSD.decimal)), (metric, POL.unit, Literal("%")),
              (metric, POL.qualifier, POL.Exact), (metric, POL.surfaceText, zh("21.73%")),
              (metric, POL.indicator, zh("义务教育学科类培训机构压减比例")), (metric, POL.forRegion, sh)])
    rel(sh, POL.adopts, m1, "上海全面推行“5+2”课后服务，覆盖全市所有义务教育学校。", "“5+2”课后服务", start=120)
    rel(sh, POL.adopts, m1, "浦东新区等区已在“5+2”课后服务基础上增加托管。", "“5+2”课后服务", start=480)
    rel(sh, POL.adopts, m2, "上海完成“营转非”工作，学科类培训机构全部登记为非营利性。", "“营转非”", start=300)
    rel(pd, POL.adopts, m3, "浦东新区建立“黑白名单”制度。", "“黑白名单”制度", start=700)
    rel(shg, POL.issues, doc1, "上海市人民政府印发《上海市民办培训机构培训资金管理指引》。",
        "《上海市民办培训机构培训资金管理指引》", start=40)
    rel(moe, POL.issues, doc2, "中共中央办公厅、国务院办公厅印发《关于进一步减轻义务教育阶段学生作业负担和校外培训负担的意见》。",
        "关于进一步减轻义务教育阶段学生作业负担和校外培训负担的意见", art=a2, start=10)
    rel(m2, POL.hasMetric, metric, "义务教育学科类培训机构压减21.73%。", "21.73%", start=350)
    if hostile:
        bad = ent("Measure", "hostile", HOSTILE_LABEL, ('javascript:alert("x")',))
        rel(sh, POL.adopts, bad, 'A <b>bold</b> "quoted" sentence with onerror=alert(1) </script> inside.',
            "onerror=alert(1)", start=900)
    g.addN((s, p, o, g) for s, p, o in t)
    return g


def entity_count(g: Graph) -> int:
    return len({s for c in viewer.CLASSES for s in g.subjects(RDF.type, POL[c])})


def data_blob(page: str) -> dict:
    m = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S)
    assert m, "no data blob"
    return json.loads(m.group(1))


# --------------------------------------------------------------------------- static checks

def test_page_is_self_contained():
    page = viewer.render(small_graph())
    assert not re.search(r"<script[^>]*\ssrc\s*=", page, re.I), "a script loads a file"
    assert not re.search(r"<link\b", page, re.I), "a <link> element"
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I), "a network URL in src/href"
    assert "@import" not in page and "url(http" not in page
    assert page.count("</script>") == 3

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

    parser = Tags()
    parser.feed(page)
    scripts = [a for t, a in parser.tags if t == "script"]
    assert scripts == [{"id": "kg-data", "type": "application/json"}, {}, {}]
    assert not [t for t, a in parser.tags if t in ("link", "img", "iframe", "object", "embed")]


def test_data_blob_round_trips():
    g = small_graph()
    page = viewer.render(g)
    data = data_blob(page)
    assert data == json.loads(json.dumps(viewer.graph_data(g)))
    assert len(data["nodes"]) == entity_count(g) == 14
    labels = {n["l"] for n in data["nodes"]}
    assert {"上海市", "“5+2”课后服务", "义务教育学科类培训机构压减 21.73%"} <= labels
    sh = next(n for n in data["nodes"] if n["l"] == "上海市")
    assert sh["a"] == ["上海", "沪"] and sh["p"] == {"code": "310000"}
    metric = next(n for n in data["nodes"] if data["classes"][n["c"]] == "Metric")
    assert metric["p"] == {"value": "21.73", "unit": "%", "qualifier": "Exact", "surface": "21.73%",
                           "indicator": "义务教育学科类培训机构压减比例"}
    # the highlight is the matched span, cut out of its sentence
    hits = {ev[2] for ev in data["ev"]}
    assert "“5+2”课后服务" in hits and "21.73%" in hits
    # evidence of a relation seen twice: two sentences on one edge
    rels = data["rels"]
    two = [e for e in data["edges"] if rels[e[2]] == "adopts" and len(e[3]) == 2]
    assert len(two) == 1
    # region membership: the Pudong measure belongs to Pudong (a part of Shanghai)
    pd = next(i for i, n in enumerate(data["nodes"]) if n["l"] == "浦东新区")
    hb = next(n for n in data["nodes"] if n["l"] == "“黑白名单”制度")
    assert hb["r"] == [pd]


def test_highlight_is_clamped():
    assert viewdata._highlight("abcdef", 10, 12, 14) == ["ab", "cd", "ef"]
    assert viewdata._highlight("abcdef", 10, 5, 30) == ["", "abcdef", ""]
    assert viewdata._highlight("abcdef", 10, 20, 30) == ["abcdef", "", ""]
    assert viewdata._highlight("abcdef", None, 1, 2) == ["abcdef", "", ""]


def test_hostile_text_is_escaped_in_the_html():
    page = viewer.render(small_graph(hostile=True))
    blob = page.split('<script id="kg-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in blob
    assert "window.__pwned" in blob           # it is there, as inert JSON text
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    data = data_blob(page)
    assert HOSTILE_LABEL in {n["l"] for n in data["nodes"]}
    assert HOSTILE_TITLE in {a[0] for a in data["art"]}
    for name in viewer.SCRIPTS:
        js = (viewer.ASSETS / name).read_text(encoding="utf-8")
        assert not re.search(r"\.innerHTML\s*=|insertAdjacentHTML|outerHTML\s*=|document\.write", js), name


def test_line_separators_are_escaped():
    assert viewer.safe_json({"s": "a\u2028b\u2029c</script><!--&"}) == \
        '{"s":"a\\u2028b\\u2029c\\u003c/script\\u003e\\u003c!--\\u0026"}'


def test_output_is_deterministic():
    g1 = small_graph(hostile=True)
    g2 = Graph()
    g2.addN((s, p, o, g2) for s, p, o in sorted(g1, reverse=True))
    assert viewer.render(g1) == viewer.render(g2)


def test_layout_positions_are_distinct_and_integral():
    data = viewer.graph_data(viewer.synthetic_graph(2000, seed=3))
    pos = [(n["x"], n["y"]) for n in data["nodes"]]
    assert all(isinstance(x, int) and isinstance(y, int) for x, y in pos)
    assert len(set(pos)) == len(pos)


def degrees(data: dict) -> list[int]:
    deg = [0] * len(data["nodes"])
    for a, b, *_ in data["edges"]:
        deg[a] += 1
        deg[b] += 1
    return deg


def test_over_the_limit_the_page_is_a_summary():
    g = viewer.synthetic_graph(3000)
    full = viewer.graph_data(g, limit=10**6)
    capped = viewer.graph_data(g, limit=500)
    assert len(full["nodes"]) == entity_count(g) == 3000 and "scope" not in full
    assert len(capped["nodes"]) == 500 and capped["scope"] == {"of": 3000}
    assert all(a < 500 and b < 500 for a, b, *_ in capped["edges"])
    # every top-level region is kept, then the most connected entities
    cls = full["classes"]
    parts = {a for a, b, ri, *_ in full["edges"] if full["rels"][ri] == "partOf"}
    roots = {n["i"] for i, n in enumerate(full["nodes"]) if cls[n["c"]] == "Region" and i not in parts}
    kept = {n["i"] for n in capped["nodes"]}
    assert roots and roots <= kept
    deg = degrees(full)
    kept_others = [deg[i] for i, n in enumerate(full["nodes"]) if n["i"] in kept and n["c"] != 0]
    dropped = [deg[i] for i, n in enumerate(full["nodes"]) if n["i"] not in kept and n["c"] != 0]
    assert kept_others and dropped and min(kept_others) >= max(dropped)


def test_region_part():
    g = small_graph()
    data = viewer.graph_data(g, region="上海")          # an alias
    labels = {n["l"] for n in data["nodes"]}
    assert {"上海市", "浦东新区", "“5+2”课后服务", "“黑白名单”制度", "上海市人民政府",
            "上海市民办培训机构培训资金管理指引", "义务教育学科类培训机构压减 21.73%"} <= labels
    assert not labels & {"北京市", "全国", "教育部"}
    assert data["scope"] == {"kind": "region", "label": "上海市", "iri": f"{RES}region/310000"}
    assert viewer.graph_data(g, region="310115")["scope"]["label"] == "浦东新区"   # a division code
    with pytest.raises(viewer.NotFound, match="no region called '火星'"):
        viewer.graph_data(g, region="火星")


def test_focus_part():
    g = small_graph()
    data = viewer.graph_data(g, focus="“营转非”")
    labels = {n["l"] for n in data["nodes"]}
    # one link: Shanghai and the metric; two links: Shanghai's other measures, agencies, sub-regions
    assert {"“营转非”", "上海市", "义务教育学科类培训机构压减 21.73%", "“5+2”课后服务", "浦东新区"} <= labels
    assert not labels & {"北京市", "教育部", "“黑白名单”制度"}
    assert data["scope"]["kind"] == "focus" and data["scope"]["radius"] == 2
    with pytest.raises(viewer.NotFound):
        viewer.graph_data(g, focus="nothing like it")


def test_article_count_is_every_article_in_the_graph():
    g = small_graph()
    lonely = URIRef(f"{RES}article/a3")       # an article no fact comes from still counts
    g.add((lonely, RDF.type, POL.Article))
    g.add((lonely, DCTERMS.title, zh("无实体的文章")))
    data = viewer.graph_data(g)
    assert data["articles"] == 3 and len(data["art"]) == 2


def test_layout_clusters_by_top_level_region():
    data = viewer.graph_data(viewer.synthetic_graph(1500, seed=2))
    nodes, clusters = data["nodes"], data["clusters"]
    parts = {a: b for a, b, ri, *_ in data["edges"] if data["rels"][ri] == "partOf"}
    roots = {i for i, n in enumerate(nodes) if n["c"] == 0 and i not in parts}
    assert {c["r"] for c in clusters if c["r"] >= 0} == roots
    # discs do not overlap, and every node lies in its cluster's disc
    for k, c in enumerate(clusters):
        for d in clusters[k + 1:]:
            assert (c["x"] - d["x"]) ** 2 + (c["y"] - d["y"]) ** 2 >= (c["R"] + d["R"] - 2) ** 2
    assert sum(c["n"] for c in clusters) == len(nodes)
    for c in clusters:
        if c["r"] >= 0:
            members = [i for i, n in enumerate(nodes) if i == c["r"] or (n["c"] == 0 and parts.get(i) == c["r"])]
            for i in members:
                assert (nodes[i]["x"] - c["x"]) ** 2 + (nodes[i]["y"] - c["y"]) ** 2 <= c["R"] ** 2
    # label priority: the clusters' regions first
    first = sorted(range(len(nodes)), key=lambda i: nodes[i]["k"])[:len(roots)]
    assert set(first) == roots


def test_layout_is_deterministic():
    g = viewer.synthetic_graph(1200, seed=4)
    a, b = viewer.graph_data(g), viewer.graph_data(g)
    assert [(n["x"], n["y"], n["k"]) for n in a["nodes"]] == [(n["x"], n["y"], n["k"]) for n in b["nodes"]]


def test_view_writes_the_page(tmp_path):
    from kg.export.turtle import write_turtle
    ttl = tmp_path / "graph.ttl"
    write_turtle(small_graph(), ttl)
    out = viewer.view(tmp_path, open_browser=False)
    assert out == tmp_path / "graph.html"
    assert len(data_blob(out.read_text(encoding="utf-8"))["nodes"]) == 14


# --------------------------------------------------------------------------- the browser

TIMINGS: dict[str, str] = {}


def _browser_missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install selenium)"
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        return "no chromium browser on PATH (apt-get install chromium)"
    if not shutil.which("chromedriver"):
        return "no chromedriver on PATH (apt-get install chromium-driver)"
    return None


def make_driver(user_dir: str, width: int = 1400, height: int = 900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-dev-shm-usage", "--disable-extensions", f"--user-data-dir={user_dir}",
                 f"--window-size={width},{height}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=opts)
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
    return driver


@pytest.fixture(scope="module")
def browser():
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    user_dir = tempfile.mkdtemp(prefix="kg-chromium-")
    driver = make_driver(user_dir)
    yield driver
    driver.quit()
    shutil.rmtree(user_dir, ignore_errors=True)
    if TIMINGS:
        print("\nviewer timings (navigation start -> window.kgReady, headless Chromium):")
        for name, line in TIMINGS.items():
            print(f"  {name}: {line}")


def open_page(driver, path: Path, timeout: float = 25.0) -> float:
    """Load the page from file://, wait for window.kgReady; returns ms to ready."""
    from selenium.webdriver.support.ui import WebDriverWait
    driver.get(path.resolve().as_uri())
    WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        lambda d: d.execute_script("return window.kgReady === true"))
    return driver.execute_script("return window.kgReadyAt")


def record(name: str, path: Path, ms: float, nodes: int) -> None:
    line = f"{ms / 1000:.2f} s to usable, {nodes} nodes, HTML {path.stat().st_size / 1e6:.2f} MB"
    TIMINGS[name] = line
    print(f"\n[viewer] {name}: {line}")


def severe_logs(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def write_page(g: Graph, tmp_path: Path, name: str = "graph.html") -> Path:
    p = tmp_path / name
    viewer.write_html(g, p)
    return p


def test_browser_renders_small_graph(browser, tmp_path):
    g = small_graph()
    page = write_page(g, tmp_path)
    t0 = time.perf_counter()
    ms = open_page(browser, page)
    assert time.perf_counter() - t0 < 20
    record("seeds-like small graph (hand-made)", page, ms, entity_count(g))
    n = browser.execute_script("return window.kg.nodes.length")
    assert n == entity_count(g)
    assert browser.execute_script("return window.kg.edges.length") == len(data_blob(page.read_text())["edges"])
    # offline and nothing fetched from the network
    urls = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert not [u for u in urls if u.startswith(("http:", "https:"))]
    legend = browser.find_element("id", "legend-classes").text
    assert "Region" in legend and "Metric" in legend
    assert not severe_logs(browser)


def test_browser_search_finds_shanghai(browser, tmp_path):
    from selenium.webdriver.common.keys import Keys
    page = write_page(small_graph(), tmp_path)
    open_page(browser, page)
    box = browser.find_element("id", "search")
    box.send_keys("上海市")
    first = browser.find_element("css selector", "#results li[data-id]")
    assert first.find_element("css selector", ".name").text == "上海市"
    box.send_keys(Keys.ENTER)
    sel = browser.execute_script("return window.kg.network.getSelectedNodes()")
    data = data_blob(page.read_text())
    assert [data["nodes"][i]["l"] for i in sel] == ["上海市"]
    panel = browser.find_element("id", "panel")
    assert panel.is_displayed()
    assert panel.find_element("css selector", "h2").text == "上海市"
    assert "310000" in panel.text and "https://w3id.org/policy-kg/id/region/310000" in panel.text
    # search by an alias (沪) finds it too
    box.clear()
    box.send_keys("沪")
    assert browser.find_element("css selector", "#results li[data-id] .name").text == "上海市"


def click_node(browser, node: int) -> None:
    """A real mouse click at the node's position on the canvas."""
    from selenium.webdriver.common.action_chains import ActionChains
    pos = browser.execute_script(
        "const p = window.kg.network.getPositions([arguments[0]])[arguments[0]];"
        "return window.kg.network.canvasToDOM(p);", node)
    canvas = browser.find_element("css selector", "#graph canvas")
    w, h = canvas.size["width"], canvas.size["height"]
    ActionChains(browser).move_to_element_with_offset(canvas, int(pos["x"] - w / 2), int(pos["y"] - h / 2)) \
        .click().perform()


def open_and_click(browser, tmp_path, label: str) -> dict:
    """The small graph's page, opened, and the node labelled `label` clicked; the page's data."""
    page = write_page(small_graph(), tmp_path)
    open_page(browser, page)
    data = data_blob(page.read_text())
    click_node(browser, next(i for i, n in enumerate(data["nodes"]) if n["l"] == label))
    return data


def test_browser_click_shows_evidence(browser, tmp_path):
    data = open_and_click(browser, tmp_path, "“5+2”课后服务")
    panel = browser.find_element("id", "panel")
    assert panel.is_displayed()
    assert panel.find_element("css selector", "h2").text == "“5+2”课后服务"
    sentences = [e.text for e in panel.find_elements("css selector", ".evidence .sentence")]
    assert "上海全面推行“5+2”课后服务，覆盖全市所有义务教育学校。" in sentences
    assert len(sentences) == 2
    marks = [e.text for e in panel.find_elements("css selector", ".evidence mark")]
    assert marks == ["“5+2”课后服务", "“5+2”课后服务"]
    src = panel.find_element("css selector", ".evidence .source").text
    assert "上海“双减”一周年" in src and "2022-07-20" in src
    # a metric shows value, unit, qualifier and surface text
    metric = next(i for i, n in enumerate(data["nodes"]) if data["classes"][n["c"]] == "Metric")
    browser.execute_script("window.kg.select(arguments[0])", metric)
    text = panel.text
    assert "21.73 %" in text and "Exact" in text and "义务教育学科类培训机构压减比例" in text


def test_browser_filters(browser, tmp_path):
    from selenium.webdriver.support.ui import Select
    page = write_page(small_graph(), tmp_path)
    open_page(browser, page)
    data = data_blob(page.read_text())
    hidden = "return window.kg.nodes.get({filter: n => !n.hidden}).map(n => n.id)"
    sh = next(i for i, n in enumerate(data["nodes"]) if n["l"] == "上海市")
    Select(browser.find_element("id", "region")).select_by_value(str(sh))
    shown = {data["nodes"][i]["l"] for i in browser.execute_script(hidden)}
    assert {"上海市", "浦东新区", "“5+2”课后服务", "“黑白名单”制度", "上海市人民政府",
            "上海市民办培训机构培训资金管理指引", "义务教育学科类培训机构压减 21.73%"} <= shown
    assert "北京市" not in shown and "教育部" not in shown
    browser.find_element("css selector", '#legend-classes input[data-cls="Measure"]').click()
    shown = {data["nodes"][i]["l"] for i in browser.execute_script(hidden)}
    assert "“5+2”课后服务" not in shown and "上海市" in shown
    browser.find_element("id", "reset").click()
    assert len(browser.execute_script(hidden)) == len(data["nodes"])


def test_browser_hostile_text_does_not_execute(browser, tmp_path):
    g = small_graph(hostile=True)
    page = write_page(g, tmp_path)
    open_page(browser, page)
    data = data_blob(page.read_text())
    assert browser.execute_script("return window.kg.nodes.length") == entity_count(g)
    bad = next(i for i, n in enumerate(data["nodes"]) if n["l"] == HOSTILE_LABEL)
    box = browser.find_element("id", "search")
    box.send_keys("措施")
    assert browser.find_element("css selector", "#results li[data-id] .name").text == HOSTILE_LABEL
    browser.execute_script("window.kg.select(arguments[0])", bad)
    panel = browser.find_element("id", "panel")
    assert panel.find_element("css selector", "h2").get_attribute("textContent") == HOSTILE_LABEL
    sources = [e.get_attribute("textContent") for e in panel.find_elements("css selector", ".evidence .source .title")]
    assert HOSTILE_TITLE in sources
    assert browser.find_element("css selector", ".evidence .sentence").get_attribute("textContent") == \
        'A <b>bold</b> "quoted" sentence with onerror=alert(1) </script> inside.'
    # an article title with markup, on Shanghai's panel too
    sh = next(i for i, n in enumerate(data["nodes"]) if n["l"] == "上海市")
    browser.execute_script("window.kg.select(arguments[0])", sh)
    time.sleep(0.3)  # give any injected handler (onerror) a chance to run
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.execute_script("return document.querySelectorAll('#panel img, #panel b, #results img').length") == 0
    assert browser.execute_script("return document.scripts.length") == 3


def test_browser_20k_synthetic_graph(browser, tmp_path):
    g = viewer.synthetic_graph(20000, seed=1)
    page = write_page(g, tmp_path, "synthetic-20k.html")
    ms = open_page(browser, page, timeout=25)
    n = viewer.MAX_NODES
    record("20k-node synthetic graph (summary page)", page, ms, n)
    assert browser.execute_script("return window.kg.nodes.length") == n
    assert ms < 10000, f"the 20k graph's page took {ms:.0f} ms to become usable"
    note = browser.find_element("id", "scope").text
    assert f"the {n} most connected of 20000" in note and "kg view graph.ttl --region" in note
    assert_labels_do_not_overlap(browser)
    # still responsive: a search and a selection
    t0 = time.perf_counter()
    ids = browser.execute_script("return window.kg.search('局1')")
    browser.execute_script("window.kg.select(arguments[0])", ids[0])
    assert browser.find_element("id", "panel").is_displayed()
    assert time.perf_counter() - t0 < 3


def labels_now(driver) -> list[dict]:
    return driver.execute_script("return window.kg.labels()")


def assert_labels_do_not_overlap(driver) -> list[dict]:
    """The label boxes drawn (screen pixels) are pairwise disjoint; returns them."""
    boxes = labels_now(driver)
    for k, a in enumerate(boxes):
        for b in boxes[k + 1:]:
            x0, y0, x1, y1 = a["box"]
            u0, v0, u1, v1 = b["box"]
            assert x1 <= u0 or u1 <= x0 or y1 <= v0 or v1 <= y0, f"labels of {a['id']} and {b['id']} overlap"
    return boxes


def test_browser_first_view_names_the_regions(browser, tmp_path):
    """At fit zoom every cluster's region is labelled, no labels overlap; zooming in shows more."""
    g = viewer.synthetic_graph(5000, seed=5)   # 10 provinces; over the limit: the summary page
    page = write_page(g, tmp_path)
    open_page(browser, page)
    data = data_blob(page.read_text())
    boxes = assert_labels_do_not_overlap(browser)
    anchors = {c["r"] for c in data["clusters"] if c["r"] >= 0}
    assert len(anchors) == 10
    labelled = {b["id"] for b in boxes}
    assert anchors <= labelled, f"regions without a label at the first view: {sorted(anchors - labelled)}"
    # the region labels are where the regions are drawn
    net = "window.kg.network"
    for b in boxes:
        if b["id"] in anchors:
            pos = browser.execute_script(f"const p = {net}.getPositions([arguments[0]])[arguments[0]];"
                                         f"return {net}.canvasToDOM(p);", b["id"])
            x0, y0, x1, y1 = b["box"]
            assert x0 <= pos["x"] <= x1 and y0 - 60 <= pos["y"] <= y1
    # level of detail: zoomed in on the biggest cluster, more of its entities are named
    big = max(data["clusters"], key=lambda c: c["n"])
    members = {i for i, n in enumerate(data["nodes"]) if abs(n["x"] - big["x"]) <= big["R"]
               and abs(n["y"] - big["y"]) <= big["R"]}
    before = len(members & labelled)
    browser.execute_script(f"{net}.moveTo({{position: {{x: arguments[0], y: arguments[1]}}, scale: "
                           f"{net}.getScale() * 4}}); {net}.redraw();", big["x"], big["y"])
    time.sleep(0.3)
    after_boxes = assert_labels_do_not_overlap(browser)
    after = len(members & {b["id"] for b in after_boxes})
    assert after > before


def test_browser_click_on_a_region_shows_its_facts(browser, tmp_path):
    data = open_and_click(browser, tmp_path, "上海市")
    time.sleep(0.6)
    crumbs = [e.text for e in browser.find_elements("css selector", "#crumbs .crumb")]
    assert crumbs == ["全部地区 All regions", "全国", "上海市"]
    shown = {data["nodes"][i]["l"] for i in browser.execute_script(
        "return window.kg.nodes.get({filter: n => !n.hidden}).map(n => n.id)")}
    assert {"上海市", "浦东新区", "“5+2”课后服务", "上海市民办培训机构培训资金管理指引"} <= shown
    assert not shown & {"北京市", "教育部"}
    panel = browser.find_element("id", "panel")
    assert panel.find_element("css selector", "h2").text == "上海市"
    docs = panel.find_element("css selector", 'section[data-rel="documents"]')
    assert "上海市民办培训机构培训资金管理指引" in docs.text
    assert docs.find_element("css selector", ".evidence mark").text == "《上海市民办培训机构培训资金管理指引》"
    figures = panel.find_element("css selector", 'section[data-rel="figures"]')
    assert "21.73 %" in figures.text and figures.find_element("css selector", ".evidence mark").text == "21.73%"
    # Escape: one level up the breadcrumb; then the first crumb: back to the whole picture
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    time.sleep(0.3)
    assert [e.text for e in browser.find_elements("css selector", "#crumbs .crumb")] == ["全部地区 All regions", "全国"]
    assert panel.find_element("css selector", "h2").text == "全国"
    browser.find_element("css selector", "#crumbs .crumb").click()
    time.sleep(0.3)
    assert len(browser.execute_script("return window.kg.nodes.get({filter: n => !n.hidden})")) == len(data["nodes"])
    assert not panel.is_displayed()
    assert [e.text for e in browser.find_elements("css selector", "#crumbs .crumb")] == ["全部地区 All regions"]


def test_browser_header_counts_every_article(browser, tmp_path):
    g = small_graph()
    for k in range(5):   # articles no entity comes from (a build counts them)
        a = URIRef(f"{RES}article/empty{k}")
        g.add((a, RDF.type, POL.Article))
    page = write_page(g, tmp_path)
    open_page(browser, page)
    assert " 7 articles" in browser.find_element("id", "stats").text


def _built(inputs: list[Path], tmp_path: Path):
    """(the page, the build's result)."""
    try:
        from kg.pipeline import build
        result = build([str(p) for p in inputs], tmp_path / "out", jobs=min(4, os.cpu_count() or 1))
    except Exception as exc:  # the builder is developed alongside; report, do not fail here
        pytest.skip(f"kg build failed: {type(exc).__name__}: {exc}")
    html = result.outputs.get("html")
    if not html:
        pytest.skip("kg build wrote no HTML (no article built)")
    return Path(html), result


def test_browser_seeds_build(browser, tmp_path):
    page, result = _built([ROOT / "seeds"], tmp_path)
    ms = open_page(browser, page)
    n = len(data_blob(page.read_text(encoding="utf-8"))["nodes"])
    record("seeds (kg build seeds/)", page, ms, n)
    assert browser.execute_script("return window.kg.nodes.length") == n


def test_browser_corpus_build(browser, tmp_path):
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    page, result = _built(sorted(p for p in CORPUS.iterdir() if p.is_dir()), tmp_path)
    ms = open_page(browser, page)
    data = data_blob(page.read_text(encoding="utf-8"))
    n = len(data["nodes"])
    record("corpus (kg build ../shared/corpus/*)", page, ms, n)
    assert browser.execute_script("return window.kg.nodes.length") == n
    assert ms < 10000
    # the article count is the build's (defect 11: the page said 59 where the build said 66)
    assert data["articles"] == result.articles
    assert f" {result.articles} articles" in browser.find_element("id", "stats").text
    # the first view: every cluster's region named, no label over another
    labelled = {b["id"] for b in assert_labels_do_not_overlap(browser)}
    anchors = {c["r"] for c in data["clusters"] if c["r"] >= 0}
    assert anchors <= labelled, [data["nodes"][i]["l"] for i in sorted(anchors - labelled)]


def test_a_build_hands_the_viewer_its_plain_triples(tmp_path, monkeypatch):
    """PlainView (what kg build passes) and the rdflib graph of the same Turtle give the same page data."""
    from kg.pipeline import build
    seen = {}
    real = viewer.PlainView

    def keep(triples):
        seen["view"] = real(triples)
        return seen["view"]

    monkeypatch.setattr(viewer, "PlainView", keep)
    result = build([str(ROOT / "seeds")], tmp_path / "out")
    monkeypatch.undo()
    g = Graph()
    g.parse(result.outputs["turtle"], format="turtle")
    plain, parsed = viewer.graph_data(seen["view"]), viewer.graph_data(g)
    assert len(plain["ev"]) > 50 and plain["articles"] == result.articles == 2
    assert plain == parsed


def test_kg_view_renders_a_part(tmp_path):
    """`kg view --region/--focus` through the command line; an unknown name is one line and exit 2."""
    import subprocess
    import sys
    from kg.export.turtle import write_turtle
    ttl = tmp_path / "graph.ttl"
    write_turtle(small_graph(), ttl)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def kg_view(*args):
        return subprocess.run([sys.executable, "-m", "kg.cli", "view", str(ttl), "--no-open", *args],
                              capture_output=True, text=True, env=env, timeout=120)

    done = kg_view("--region", "上海", "--out", str(tmp_path / "sh.html"))
    assert done.returncode == 0, done.stderr
    data = data_blob((tmp_path / "sh.html").read_text(encoding="utf-8"))
    assert data["scope"]["label"] == "上海市" and "北京市" not in {n["l"] for n in data["nodes"]}
    done = kg_view("--focus", "“营转非”", "--out", str(tmp_path / "f.html"))
    assert done.returncode == 0, done.stderr
    assert data_blob((tmp_path / "f.html").read_text(encoding="utf-8"))["scope"]["kind"] == "focus"
    done = kg_view("--region", "火星", "--out", str(tmp_path / "x.html"))
    assert done.returncode == 2 and not (tmp_path / "x.html").exists()
    assert done.stderr.strip().count("\n") == 0 and "火星" in done.stderr and "Traceback" not in done.stderr
