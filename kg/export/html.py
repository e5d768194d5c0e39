"""The graph as one self-contained HTML page (opens from file:// offline).

What the page holds, in order: a small stylesheet and the viewer's own
script (both from ``kg/export/assets/``), vis-network (the copy pyvis ships,
or ``assets/vis-network.min.js`` if one is placed there; its licence header
is kept), and the graph itself as ONE JSON document in
``<script type="application/json">``.  Nothing is ever fetched: no CDN, no
font, no image.

Safety: article text is untrusted.  The JSON has ``<``, ``>``, ``&`` and
U+2028/U+2029 escaped, so no title or sentence can close the script element
or start markup, and the viewer only ever puts data into the DOM with
``textContent`` (never ``innerHTML``) or onto the vis canvas.

Scale: nodes and edges are handed to ``vis.DataSet`` as whole arrays.  Every
node gets a deterministic position computed here (regions as hubs, their
agencies, documents, measures and metrics in bands around them; hubs packed
in division-code order).  Graphs up to ``PHYSICS_MAX_NODES`` then get a short,
bounded physics pass in the browser (stabilise, then freeze); larger ones are
drawn at the precomputed positions with physics off, so they are usable as
soon as the first frame is drawn.  The page sets ``window.kgReady = true``
(and ``window.kgReadyAt``, ms since navigation start) after that first draw.

Determinism: the same graph gives the same bytes (sorted everything, no
timestamps, integer coordinates).
"""
from __future__ import annotations

import json
import math
import random
import re
import webbrowser
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from ..vocab import DCTERMS, POL, PROV
from .turtle import atomic_write

CLASSES = ("Region", "Agency", "Document", "Measure", "Metric")
#: the three evidenced relations, then the structural links drawn dashed
RELATIONS = ("adopts", "issues", "hasMetric")
LINKS = ("partOf", "jurisdiction", "forRegion")
EDGE_KINDS = RELATIONS + LINKS

#: above this many nodes the browser does no physics at all
PHYSICS_MAX_NODES = 1000
# Sentences embedded per relation edge: a triple seen in hundreds of articles
# keeps the page small; the rest are one `kg query triple_provenance` away.
EVIDENCE_PER_EDGE = 5
# Entities drawn at most (the 20k-node page is usable in a few seconds; more is not).
MAX_NODES = 20000

ASSETS = Path(__file__).with_name("assets")
FORMAT_VERSION = 1

_POL = str(POL.Region)[: -len("Region")]


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
# graph -> data
# --------------------------------------------------------------------------

def _local(term) -> str:
    s = str(term)
    return s[len(_POL):] if s.startswith(_POL) else s


def _text(lit) -> str:
    return "" if lit is None else str(lit)


def _int(lit) -> int | None:
    try:
        return int(lit.toPython()) if isinstance(lit, Literal) else int(lit)
    except (TypeError, ValueError):
        return None


def _pick(values) -> str | None:
    """Deterministic choice among several literals (the contract says one)."""
    vals = sorted(str(v) for v in values)
    return vals[0] if vals else None


def _highlight(sentence: str, char_start, span_start, span_end) -> list[str]:
    """[before, match, after] of the sentence; the match is clamped to it."""
    cs, ss, se = _int(char_start), _int(span_start), _int(span_end)
    if cs is None or ss is None or se is None:
        return [sentence, "", ""]
    a = min(max(ss - cs, 0), len(sentence))
    b = min(max(se - cs, a), len(sentence))
    return [sentence[:a], sentence[a:b], sentence[b:]]


class PlainView:
    """The two lookups `graph_data` makes, over `kg.graph.Triples`.

    A build hands the viewer its plain triples: converting a 10k-article
    graph to rdflib terms first cost more than everything else in the build.
    IRIs come back as URIRef, literals as their lexical form.
    """

    def __init__(self, triples) -> None:
        self._by_pred: dict[str, list] = defaultdict(list)
        iris: dict[str, URIRef] = {}

        def iri(x: str) -> URIRef:
            r = iris.get(x)
            if r is None:
                r = iris[x] = URIRef(x)
            return r

        for s, preds in triples.blocks():
            subj = iri(s)
            for p, objs in preds.items():
                pairs = self._by_pred[p]
                for o in objs:
                    pairs.append((subj, iri(o) if isinstance(o, str) else o[0]))

    def triples(self, pattern):
        _, p, _ = pattern
        for s, o in self._by_pred.get(str(p), ()):
            yield s, p, o

    def subjects(self, predicate, obj):
        target = str(obj)
        for s, o in self._by_pred.get(str(predicate), ()):
            if str(o) == target:
                yield s


def graph_data(graph: Graph) -> dict:
    """Everything the page needs, as plain JSON-able data (deterministic)."""
    by_pred: dict = defaultdict(lambda: defaultdict(list))

    def values(pred) -> dict:
        if pred not in by_pred:
            d = by_pred[pred]
            for s, _, o in graph.triples((None, pred, None)):
                d[s].append(o)
        return by_pred[pred]

    labels, alts = values(RDFS.label), values(SKOS.altLabel)

    # ---- nodes
    cls_of: dict = {}
    for ci, cls in enumerate(CLASSES):
        for s in graph.subjects(RDF.type, POL[cls]):
            if isinstance(s, URIRef) and s not in cls_of:
                cls_of[s] = ci
    total_nodes = len(cls_of)
    if total_nodes > MAX_NODES:
        # a page of 60k nodes is not usable: keep every region and the entities named
        # in most articles; the whole graph stays in graph.ttl and the store
        mentions = values(POL.mentionedIn)
        ranked = sorted((s for s in cls_of if cls_of[s] != 0),
                        key=lambda s: (-len(mentions.get(s, ())), str(s)))
        keep = {s for s in cls_of if cls_of[s] == 0}
        keep.update(ranked[:max(0, MAX_NODES - len(keep))])
        cls_of = {s: c for s, c in cls_of.items() if s in keep}
    label_of = {s: (_pick(labels.get(s, ())) or str(s)) for s in cls_of}
    order = sorted(cls_of, key=lambda s: (cls_of[s], label_of[s], str(s)))
    nid = {s: i for i, s in enumerate(order)}

    codes, units, quals = values(POL.divisionCode), values(POL.unit), values(POL.qualifier)
    vals, surf, ind = values(POL.value), values(POL.surfaceText), values(POL.indicator)

    # ---- articles (only those the page refers to)
    mentioned = values(POL.mentionedIn)
    derived = values(PROV.wasDerivedFrom)
    art_set = {a for s in order for a in mentioned.get(s, ())}
    ev_subjects = [e for e in graph.subjects(RDF.type, POL.Evidence)
                   if total_nodes <= MAX_NODES or any(x in nid for x in values(RDF.subject).get(e, ()))]
    art_set.update(a for e in ev_subjects for a in derived.get(e, ()))
    titles, dates, sources = values(DCTERMS.title), values(DCTERMS.date), values(DCTERMS.source)

    def art_key(a):
        return (_pick(dates.get(a, ())) or "", _pick(titles.get(a, ())) or _pick(labels.get(a, ())) or "", str(a))

    art_order = sorted(art_set, key=art_key)
    aid = {a: i for i, a in enumerate(art_order)}
    articles = [[_pick(titles.get(a, ())) or _pick(labels.get(a, ())) or str(a),
                 _pick(dates.get(a, ())) or "", _pick(sources.get(a, ())) or "", str(a)] for a in art_order]

    # ---- evidence, grouped by the triple it supports
    subj, pred, obj = values(RDF.subject), values(RDF.predicate), values(RDF.object)
    sent, cst, sst, sen, rule = (values(POL.sentence), values(POL.charStart), values(POL.spanStart),
                                 values(POL.spanEnd), values(POL.extractedBy))
    ev_by_triple: dict = defaultdict(list)
    for e in ev_subjects:
        for s in subj.get(e, ()):
            for p in pred.get(e, ()):
                for o in obj.get(e, ()):
                    ev_by_triple[(s, p, o)].append(e)

    def one(d, e):
        v = d.get(e)
        return v[0] if v else None

    evidence: list = []
    totals: list[int] = []

    def evidence_for(s, p, o) -> list[int]:
        recs = []
        for e in ev_by_triple.get((s, p, o), ()):
            arts = sorted(derived.get(e, ()), key=lambda a: aid.get(a, -1))
            a = aid.get(arts[0], -1) if arts else -1
            sentence = _text(one(sent, e))
            pre, hit, post = _highlight(sentence, one(cst, e), one(sst, e), one(sen, e))
            start = _int(one(cst, e))
            recs.append(((articles[a][1] if a >= 0 else "", a, -1 if start is None else start, sentence, str(e)),
                         [a, pre, hit, post, _text(one(rule, e))]))
        out = []
        for _, rec in sorted(recs, key=lambda r: r[0])[:EVIDENCE_PER_EDGE]:
            out.append(len(evidence))
            evidence.append(rec)
        totals.append(len(recs))
        return out

    # ---- edges
    edges = []
    for ri, rel in enumerate(EDGE_KINDS):
        p = POL[rel]
        pairs = sorted({(nid[s], nid[o], s, o) for s, os_ in values(p).items() if s in nid
                        for o in os_ if o in nid}, key=lambda t: (t[0], t[1]))
        for a, b, s, o in pairs:
            totals.clear()
            edge = [a, b, ri, evidence_for(s, p, o) if rel in RELATIONS else []]
            if totals and totals[0] > len(edge[3]):
                edge.append(totals[0])   # how many sentences support it in all; the page shows the first few
            edges.append(edge)

    # ---- the regions each node belongs to (for the region filter)
    regions_of: dict[int, set[int]] = defaultdict(set)
    out_by_kind: dict = defaultdict(lambda: defaultdict(list))
    for a, b, ri, *_ in edges:
        out_by_kind[EDGE_KINDS[ri]][a].append(b)
    for s in order:
        i = nid[s]
        if cls_of[s] == 0:
            regions_of[i].add(i)
    for a, targets in out_by_kind["jurisdiction"].items():
        regions_of[a].update(targets)
    for a, targets in out_by_kind["issues"].items():       # documents via their agencies
        for d in targets:
            regions_of[d].update(regions_of.get(a, ()))
    for a, targets in out_by_kind["adopts"].items():
        for m in targets:
            regions_of[m].add(a)
    for a, targets in out_by_kind["forRegion"].items():
        regions_of[a].update(targets)
    for m, targets in out_by_kind["hasMetric"].items():
        for t in targets:
            regions_of[t].update(regions_of.get(m, ()))

    nodes = []
    for s in order:
        i = nid[s]
        n: dict = {"c": cls_of[s], "l": label_of[s], "i": str(s)}
        a = sorted({str(x) for x in alts.get(s, ())} - {label_of[s]})
        if a:
            n["a"] = a
        if regions_of.get(i):
            n["r"] = sorted(regions_of[i])
        m = sorted({aid[x] for x in mentioned.get(s, ()) if x in aid})
        if m:
            n["m"] = m
        props = {}
        cls = CLASSES[cls_of[s]]
        if cls == "Region" and codes.get(s):
            props["code"] = _pick(codes[s])
        elif cls == "Metric":
            for key, d in (("value", vals), ("unit", units), ("surface", surf), ("indicator", ind)):
                if d.get(s):
                    props[key] = _pick(d[s])
            if quals.get(s):
                props["qualifier"] = _local(_pick(quals[s]))
        if props:
            n["p"] = props
        nodes.append(n)

    data = {"v": FORMAT_VERSION, "classes": list(CLASSES), "rels": list(EDGE_KINDS),
            "evidenced": len(RELATIONS), "nodes": nodes, "edges": edges, "ev": evidence,
            "art": articles, "total": total_nodes}
    positions = layout(nodes, edges)
    for n, (x, y) in zip(nodes, positions):
        n["x"], n["y"] = x, y
    data["physics"] = 0 < len(nodes) <= PHYSICS_MAX_NODES
    return data


# --------------------------------------------------------------------------
# layout: deterministic, O(n), no physics needed
# --------------------------------------------------------------------------

def layout(nodes: list[dict], edges: list[list], spacing: float = 46.0) -> list[tuple[int, int]]:
    """Integer (x, y) per node.

    Each region is a hub; the nodes whose most specific region it is sit in
    concentric bands around it (agencies, documents, measures, metrics), a
    document at the angle of its agency and a metric at the angle of its
    measure.  Hubs are shelf-packed in division-code order, so a province's
    districts lie next to it.  Nodes without any region form one more hub.
    """
    n = len(nodes)
    if n == 0:
        return []
    region_ids = [i for i, nd in enumerate(nodes) if nd["c"] == 0]
    rank = {r: k for k, r in enumerate(sorted(region_ids, key=lambda r: (
        (nodes[r].get("p") or {}).get("code") or "~", nodes[r]["l"], r)))}
    depth: dict[int, int] = {}
    parent = {a: b for a, b, ri, *_ in edges if EDGE_KINDS[ri] == "partOf"}

    def region_depth(r: int) -> int:
        if r not in depth:
            d, seen, cur = 0, {r}, r
            while cur in parent and parent[cur] not in seen:
                cur = parent[cur]
                seen.add(cur)
                d += 1
            depth[r] = d
        return depth[r]

    def home(i: int) -> int:
        rs = nodes[i].get("r")
        if not rs:
            return -1
        if nodes[i]["c"] == 0:
            return i
        return min(rs, key=lambda r: (-region_depth(r), rank[r]))

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[home(i)].append(i)

    anchor: dict[int, int] = {}   # document -> its agency, metric -> its measure
    for a, b, ri, *_ in edges:
        if EDGE_KINDS[ri] in ("issues", "hasMetric") and b not in anchor:
            anchor[b] = a

    placed: dict[int, tuple[float, float]] = {}
    hubs = []
    for g in sorted(groups, key=lambda g: (g < 0, rank.get(g, 0))):
        members = groups[g]
        local: dict[int, tuple[float, float]] = {}
        angle: dict[int, float] = {}
        outer = 0.0
        if g >= 0:
            local[g] = (0.0, 0.0)
            angle[g] = 0.0
        for c in range(5):
            band = [i for i in members if nodes[i]["c"] == c and i != g]
            if not band:
                continue
            band.sort(key=lambda i: (angle.get(anchor.get(i, -1), 7.0), i))
            r0 = outer + spacing * (1.6 if local else 0.6)
            rings = max(1, math.ceil(len(band) * spacing / (2 * math.pi * max(r0, spacing))))
            for k, i in enumerate(band):
                th = 2 * math.pi * k / len(band) - math.pi / 2
                r = r0 + (k % rings) * spacing
                local[i] = (r * math.cos(th), r * math.sin(th))
                angle[i] = th + math.pi / 2
            outer = r0 + (rings - 1) * spacing
        hubs.append((g, local, outer + spacing))

    # shelf packing of the hubs (squares of side 2R), row width ~ sqrt(total area)
    total = sum((2 * R) ** 2 for _, _, R in hubs)
    width = max(math.sqrt(total) * 1.15, max(2 * R for _, _, R in hubs))
    x = y = row_h = 0.0
    for g, local, R in hubs:
        side = 2 * R
        if x > 0 and x + side > width:
            x, y, row_h = 0.0, y + row_h, 0.0
        cx, cy = x + R, y + R
        for i, (lx, ly) in local.items():
            placed[i] = (cx + lx, cy + ly)
        x += side
        row_h = max(row_h, side)
    # centre on the origin
    xs = [p[0] for p in placed.values()]
    ys = [p[1] for p in placed.values()]
    mx, my = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return [(int(round(placed[i][0] - mx)), int(round(placed[i][1] - my))) for i in range(n)]


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
  <main id="graph" aria-label="graph"></main>
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


def render(graph: Graph) -> str:
    return render_data(graph_data(graph))


def render_data(data: dict) -> str:
    css = (ASSETS / "viewer.css").read_text(encoding="utf-8")
    viewer = (ASSETS / "viewer.js").read_text(encoding="utf-8")
    vis = vis_js_path().read_text(encoding="utf-8")
    parts = {"__CSS__": css.replace("</", "<\\/"), "__VIS__": _inline_script(vis),
             "__VIEWER__": _inline_script(viewer), "__DATA__": safe_json(data)}
    return re.sub("__(CSS|VIS|VIEWER|DATA)__", lambda m: parts[m.group()], PAGE)


def write_html(graph: Graph, path: Path) -> None:
    atomic_write(Path(path), render(graph))


def view(graph_path, out_path=None, open_browser: bool = True) -> Path:
    """Write the viewer for a saved graph (a .ttl file or a build folder) and open it.

    Returns the HTML path.  The default output is the graph's path with the
    suffix ``.html`` (``output/graph.ttl`` -> ``output/graph.html``).
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
    write_html(g, out)
    if open_browser:
        webbrowser.open(out.resolve().as_uri())
    return out


# --------------------------------------------------------------------------
# a synthetic graph for benchmarks and tests
# --------------------------------------------------------------------------

def synthetic_graph(n_nodes: int = 20000, seed: int = 0) -> Graph:
    """A deterministic graph of about ``n_nodes`` entities shaped like a real build.

    About 2% regions (provinces and their districts), 10% agencies, 20%
    documents, 30% measures and 38% metrics; every relation has one or two
    pol:Evidence sentences from a pool of articles.  (About 19 triples per
    entity: building the 20k graph with rdflib takes a few seconds.)
    """
    rnd = random.Random(seed)
    base = "https://w3id.org/policy-kg/id/"
    g = Graph(store="SimpleMemory", bind_namespaces="none")   # no contexts: adds are ~3x faster
    triples: list = []
    add = triples.append
    zh = lambda s: Literal(s, lang="zh")  # noqa: E731
    n_reg = max(2, n_nodes * 2 // 100)
    n_ag, n_doc, n_mea = n_nodes // 10, n_nodes // 5, n_nodes * 3 // 10
    n_met = max(0, n_nodes - n_reg - n_ag - n_doc - n_mea)
    n_art = max(1, n_nodes // 10)
    chars = "政策措施教育培训机构服务管理监督资金补贴住房税收产业就业社会组织卫生健康贸易跨境电商综合试验区"

    def word(k: int) -> str:
        return "".join(rnd.choice(chars) for _ in range(k))

    arts = []
    for k in range(n_art):
        a = URIRef(f"{base}article/syn{k:06d}")
        arts.append(a)
        add((a, RDF.type, POL.Article))
        add((a, DCTERMS.title, zh(f"{word(6)}新闻{k}")))
        add((a, DCTERMS.date, Literal(f"2021-{1 + k % 12:02d}-{1 + k % 28:02d}T08:00:00", datatype=XSD.dateTime)))
        add((a, DCTERMS.source, Literal(f"synthetic/{k:06d}.md")))

    def entity(kind: str, k: int, label: str) -> URIRef:
        s = URIRef(f"{base}{kind.lower()}/syn{k:06d}")
        add((s, RDF.type, POL[kind]))
        add((s, RDFS.label, zh(label)))
        if k % 3 == 0:
            add((s, SKOS.altLabel, zh(label[:2] + "简称")))
        add((s, POL.mentionedIn, arts[k % n_art]))
        return s

    n_prov = max(1, n_reg // 10)
    regions = []
    for k in range(n_reg):
        prov = k % n_prov
        code = f"{11 + prov:02d}0000" if k < n_prov else f"{11 + prov:02d}{k // n_prov:02d}{k % 100:02d}"
        r = entity("Region", k, f"{word(2)}省{k}" if k < n_prov else f"{word(2)}区{k}")
        add((r, POL.divisionCode, Literal(code)))
        if k >= n_prov:
            add((r, POL.partOf, regions[prov]))
        regions.append(r)
    agencies = []
    for k in range(n_ag):
        a = entity("Agency", k, f"{word(3)}局{k}")
        add((a, POL.jurisdiction, regions[rnd.randrange(n_reg)]))
        agencies.append(a)
    measures = [entity("Measure", k, f"“{word(4)}”{k}") for k in range(n_mea)]

    rule = Literal("synthetic")
    offsets = [Literal(x) for x in range(40)]

    def relation(s, p, o, k):
        add((s, p, o))
        for j in range(1 + (k % 10 == 0)):
            e = URIRef(f"{base}evidence/syn{p.split('#')[-1]}{k:06d}-{j}")
            sentence = f"{word(8)}，{word(10)}，{word(6)}。"
            add((e, RDF.type, POL.Evidence))
            add((e, RDF.subject, s))
            add((e, RDF.predicate, p))
            add((e, RDF.object, o))
            add((e, PROV.wasDerivedFrom, arts[(k + j) % n_art]))
            add((e, POL.sentence, zh(sentence)))
            add((e, POL.charStart, offsets[j]))
            add((e, POL.charEnd, offsets[j + len(sentence)]))
            add((e, POL.spanStart, offsets[j + 2]))
            add((e, POL.spanEnd, offsets[j + 6]))
            add((e, POL.extractedBy, rule))

    for k in range(n_doc):
        d = entity("Document", k, f"《{word(6)}办法》{k}")
        relation(agencies[rnd.randrange(n_ag)], POL.issues, d, k)
    for k, m in enumerate(measures):
        relation(regions[rnd.randrange(n_reg)], POL.adopts, m, k)
    quals = ("Exact", "AtLeast", "MoreThan", "AtMost", "LessThan", "Approximately")
    for k in range(n_met):
        t = entity("Metric", k, f"{word(4)} {k}%")
        add((t, POL.value, Literal(str(Decimal(k) / 100), datatype=XSD.decimal)))
        add((t, POL.unit, Literal("%")))
        add((t, POL.qualifier, POL[quals[k % 6]]))
        add((t, POL.surfaceText, zh(f"{k / 100}%")))
        add((t, POL.indicator, zh(word(5))))
        add((t, POL.forRegion, regions[rnd.randrange(n_reg)]))
        relation(measures[rnd.randrange(n_mea)], POL.hasMetric, t, k)
    g.addN((s, p, o, g) for s, p, o in triples)
    return g
