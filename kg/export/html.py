"""The graph as one self-contained HTML page (opens from file:// offline).

What the page holds, in order: a small stylesheet and the viewer's own
script (both from ``kg/export/assets/``), vis-network (the copy pyvis ships,
or ``assets/vis-network.min.js`` if one is placed there; its licence header
is kept), and the graph itself as ONE JSON document in
``<script type="application/json">`` (made by kg/export/viewdata.py, laid
out by kg/export/layout.py).  Nothing is ever fetched: no CDN, no font, no
image.

Safety: article text is untrusted.  The JSON has ``<``, ``>``, ``&`` and
U+2028/U+2029 escaped, so no title or sentence can close the script element
or start markup, and the viewer only ever puts data into the DOM with
``textContent`` (never ``innerHTML``) or onto the vis canvas.

Scale: positions are computed here, so the page draws at once with physics
off.  Over ``MAX_NODES`` entities the page is a summary (the regions and the
most connected entities) that names the command rendering any part:
``kg view graph.ttl --region 上海市`` or ``--focus LABEL``.  The page sets
``window.kgReady = true`` (and ``window.kgReadyAt``, ms since navigation
start) after the first draw.

Determinism: the same graph gives the same bytes (sorted everything, no
timestamps, integer coordinates, seeded layouts).
"""
from __future__ import annotations

import json
import re
import webbrowser
from pathlib import Path

from rdflib import Graph

from .synthetic import synthetic_graph
from .turtle import atomic_write
from .viewdata import (CLASSES, EDGE_KINDS, EVIDENCE_PER_EDGE, LINKS, MAX_NODES, RELATIONS, NotFound,
                       PlainView, graph_data)

#: the page's API; the data and the synthetic graph are re-exported for the pipeline, bench, tests and scripts
__all__ = ["CLASSES", "EDGE_KINDS", "EVIDENCE_PER_EDGE", "LINKS", "MAX_NODES", "RELATIONS", "NotFound",
           "PlainView", "graph_data", "render", "render_data", "safe_json", "synthetic_graph", "view",
           "vis_js_path", "write_html"]

ASSETS = Path(__file__).with_name("assets")
#: the viewer's own scripts, in the order they run (one <script> element)
SCRIPTS = ("labels.js", "viewer.js")


# --------------------------------------------------------------------------
# vis-network
# --------------------------------------------------------------------------

def _version_key(p: Path) -> tuple:
    return tuple(int(x) for x in re.findall(r"\d+", p.parent.name))


def vis_js_path() -> Path:
    """The vis-network bundle to inline: assets/ first, else pyvis's newest copy."""
    local = ASSETS / "vis-network.min.js"
    if local.is_file():
        return local
    try:
        import pyvis
    except ImportError as exc:  # pragma: no cover - pyvis is a declared dependency
        raise RuntimeError("the HTML viewer needs vis-network: install pyvis (a dependency of policy-kg) "
                           f"or put vis-network.min.js in {ASSETS}") from exc
    found = sorted((Path(pyvis.__file__).parent / "lib").glob("vis-*/vis-network.min.js"), key=_version_key)
    if not found:  # pragma: no cover
        raise RuntimeError(f"pyvis ships no vis-network.min.js; put one in {ASSETS}")
    return found[-1]


def _inline_script(js: str) -> str:
    """Make JavaScript safe to place inside <script>...</script>."""
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    if "<!--" in js:  # would switch the HTML tokenizer into "escaped" script states
        js = js.replace("<!--", "<\\!--")
    return js


# --------------------------------------------------------------------------
# the page
# --------------------------------------------------------------------------

def safe_json(data) -> str:
    """JSON that can sit inside <script type="application/json"> whatever it holds."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            .replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'">
<meta name="generator" content="policy-kg">
<title>policy-kg · 政策知识图谱</title>
<style>
__CSS__
</style>
</head>
<body>
<div id="app">
  <aside id="sidebar" aria-label="controls">
    <header>
      <h1>policy-kg <span>政策知识图谱</span></h1>
      <p id="stats" class="muted"></p>
      <div id="scope" class="note small" hidden></div>
    </header>
    <section class="search">
      <label for="search" class="section-title">搜索 Search</label>
      <input id="search" type="search" placeholder="名称或别名，如 上海市" autocomplete="off" spellcheck="false">
      <ul id="results" role="listbox" aria-label="search results"></ul>
    </section>
    <section>
      <div class="section-title">类别 Classes</div>
      <ul id="legend-classes" class="legend"></ul>
    </section>
    <section>
      <div class="section-title">关系 Relations</div>
      <ul id="legend-rels" class="legend"></ul>
    </section>
    <section>
      <label for="region" class="section-title">地区 Region</label>
      <select id="region"></select>
      <p id="region-note" class="muted small"></p>
    </section>
    <footer>
      <button id="fit" type="button">适应窗口 Fit</button>
      <button id="reset" type="button">重置 Reset</button>
      <span id="status" class="muted small">加载中 Loading…</span>
    </footer>
  </aside>
  <div id="stage">
    <nav id="crumbs" aria-label="breadcrumb"></nav>
    <main id="graph" aria-label="graph"></main>
  </div>
  <aside id="panel" aria-label="details" hidden></aside>
  <div id="loading"><div class="spinner"></div><span id="loading-text">布局中 Laying out…</span></div>
</div>
<script id="kg-data" type="application/json">__DATA__</script>
<script>
__VIS__
</script>
<script>
__VIEWER__
</script>
</body>
</html>
"""


def render(graph, **part) -> str:
    """The page for `graph` (rdflib Graph or PlainView); `part`: region=, focus=, limit= (see graph_data)."""
    return render_data(graph_data(graph, **part))


def render_data(data: dict) -> str:
    css = (ASSETS / "viewer.css").read_text(encoding="utf-8")
    viewer = "\n".join((ASSETS / name).read_text(encoding="utf-8") for name in SCRIPTS)
    vis = vis_js_path().read_text(encoding="utf-8")
    parts = {"__CSS__": css.replace("</", "<\\/"), "__VIS__": _inline_script(vis),
             "__VIEWER__": _inline_script(viewer), "__DATA__": safe_json(data)}
    return re.sub("__(CSS|VIS|VIEWER|DATA)__", lambda m: parts[m.group()], PAGE)


def write_html(graph, path: Path, **part) -> None:
    atomic_write(Path(path), render(graph, **part))


def view(graph_path, out_path=None, open_browser: bool = True, **part) -> Path:
    """Write the viewer for a saved graph (a .ttl file or a build folder) and open it.

    Returns the HTML path.  The default output is the graph's path with the
    suffix ``.html`` (``output/graph.ttl`` -> ``output/graph.html``).  `part`
    (region=, focus=, limit=) renders one part of the graph; NotFound when
    the region or entity named is not in it.
    """
    src = Path(graph_path)
    if src.is_dir():
        src = src / "graph.ttl"
    if not src.is_file():
        raise FileNotFoundError(f"no graph at {src}")
    g = Graph()
    fmt = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld", ".rdf": "xml", ".xml": "xml"}
    g.parse(src, format=fmt.get(src.suffix.lower(), "turtle"))
    out = Path(out_path) if out_path else src.with_suffix(".html")
    write_html(g, out, **part)
    if open_browser:
        webbrowser.open(out.resolve().as_uri())
    return out


