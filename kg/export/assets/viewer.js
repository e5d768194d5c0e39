/* policy-kg viewer.
 *
 * Reads the graph from <script id="kg-data" type="application/json">, hands
 * nodes and edges to vis.DataSet as whole arrays at the positions computed
 * by kg/export/layout.py (no physics) and wires up the sidebar.  Labels are
 * drawn here, not by vis: most important first (the clusters' regions, then
 * by links), never overlapping, more as one zooms in.  Clicking a region
 * shows that region only, with a breadcrumb back to the whole.
 * Every piece of graph data reaches the DOM through textContent (see el());
 * innerHTML is never used.  window.kgReady becomes true after the first
 * draw; window.kgReadyAt is that moment in ms since navigation start.
 */
(function () {
  'use strict';

  var STYLE = {
    Region:   {zh: '地区', shape: 'hexagon',  color: '#2563eb', size: 18, font: 24},
    Agency:   {zh: '机构', shape: 'square',   color: '#ea580c', size: 12, font: 16},
    Document: {zh: '文件', shape: 'triangle', color: '#16a34a', size: 12, font: 14},
    Measure:  {zh: '措施', shape: 'dot',      color: '#9333ea', size: 11, font: 14},
    Metric:   {zh: '指标', shape: 'diamond',  color: '#db2777', size: 9, font: 13}
  };
  var REL_STYLE = {
    adopts:       {zh: '采取', color: '#8b5cf6', dashes: false},
    issues:       {zh: '发布', color: '#f97316', dashes: false},
    hasMetric:    {zh: '指标', color: '#ec4899', dashes: false},
    partOf:       {zh: '隶属', color: '#9fb0c4', dashes: [4, 4]},
    jurisdiction: {zh: '辖区', color: '#b6c2d1', dashes: [2, 4]},
    forRegion:    {zh: '地区', color: '#c3b4c9', dashes: [6, 3]}
  };
  var QUALIFIER_ZH = {Exact: '精确', AtLeast: '不低于', MoreThan: '超过', AtMost: '不超过',
                      LessThan: '不足', Approximately: '约'};
  var PLURAL = {Agency: 'agencies', Document: 'documents', Measure: 'measures', Metric: 'metrics'};
  var FONT = getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'sans-serif';
  var LIST_CAP = 60;
  var ANIM;  // vis animates frame by frame: on big graphs each frame is a full redraw, so jump instead

  var statusEl = document.getElementById('status');
  function setStatus(text) { statusEl.textContent = text; }

  // ------------------------------------------------------------------ DOM helpers (text only)
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function append(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }
  var SVGNS = 'http://www.w3.org/2000/svg';
  function swatch(cls, px) {
    px = px || 14;
    var st = STYLE[cls], svg = document.createElementNS(SVGNS, 'svg');
    svg.setAttribute('width', px); svg.setAttribute('height', px);
    svg.setAttribute('viewBox', '0 0 20 20'); svg.setAttribute('class', 'swatch');
    var shape;
    if (st.shape === 'dot') {
      shape = document.createElementNS(SVGNS, 'circle');
      shape.setAttribute('cx', 10); shape.setAttribute('cy', 10); shape.setAttribute('r', 8);
    } else {
      shape = document.createElementNS(SVGNS, 'polygon');
      var pts = {hexagon: '10,1.5 17.5,5.8 17.5,14.2 10,18.5 2.5,14.2 2.5,5.8',
                 square: '3,3 17,3 17,17 3,17', triangle: '10,2 18.5,17 1.5,17',
                 diamond: '10,1 19,10 10,19 1,10'}[st.shape];
      shape.setAttribute('points', pts);
    }
    shape.setAttribute('fill', st.color);
    shape.setAttribute('stroke', shade(st.color, -0.25));
    shape.setAttribute('stroke-width', '1.2');
    svg.appendChild(shape);
    return svg;
  }
  function lineSwatch(rel) {
    var st = REL_STYLE[rel] || {color: '#999'}, svg = document.createElementNS(SVGNS, 'svg');
    svg.setAttribute('width', 22); svg.setAttribute('height', 10); svg.setAttribute('class', 'swatch');
    var l = document.createElementNS(SVGNS, 'line');
    l.setAttribute('x1', 1); l.setAttribute('y1', 5); l.setAttribute('x2', 21); l.setAttribute('y2', 5);
    l.setAttribute('stroke', st.color); l.setAttribute('stroke-width', 2);
    if (st.dashes) l.setAttribute('stroke-dasharray', st.dashes.join(' '));
    svg.appendChild(l);
    return svg;
  }
  function shade(hex, f) {
    var n = parseInt(hex.slice(1), 16), r = n >> 16, g = (n >> 8) & 255, b = n & 255;
    function c(v) { return Math.max(0, Math.min(255, Math.round(f < 0 ? v * (1 + f) : v + (255 - v) * f))); }
    return '#' + ((1 << 24) | (c(r) << 16) | (c(g) << 8) | c(b)).toString(16).slice(1);
  }

  // ------------------------------------------------------------------ data
  var marks = window.kgTimings = {start: performance.now()};
  var D;
  try {
    D = JSON.parse(document.getElementById('kg-data').textContent);
  } catch (err) {
    setStatus('图数据无法读取 Cannot read graph data: ' + err);
    return;
  }
  if (typeof vis === 'undefined' || !vis.Network) {
    setStatus('vis-network 未加载 vis-network failed to load');
    return;
  }
  marks.parsed = performance.now();
  var CLASSES = D.classes, RELS = D.rels, N = D.nodes.length, E = D.edges.length;
  var BIG = N > 1000;
  ANIM = BIG ? false : {duration: 450, easingFunction: 'easeInOutQuad'};
  var outEdges = new Array(N), inEdges = new Array(N);
  for (var i = 0; i < N; i++) { outEdges[i] = []; inEdges[i] = []; }
  var classCount = CLASSES.map(function () { return 0; });
  var relCount = RELS.map(function () { return 0; });
  var degree = new Array(N).fill(0);
  D.edges.forEach(function (e, j) {
    outEdges[e[0]].push(j); inEdges[e[1]].push(j);
    relCount[e[2]]++; degree[e[0]]++; degree[e[1]]++;
  });
  D.nodes.forEach(function (n) { classCount[n.c]++; });
  var parentOfNode = {};
  D.edges.forEach(function (e) { if (RELS[e[2]] === 'partOf' && !(e[0] in parentOfNode)) parentOfNode[e[0]] = e[1]; });
  var anchorOf = {};   // region node -> its cluster (the regions the first view is organised by)
  (D.clusters || []).forEach(function (c) { if (c.r >= 0) anchorOf[c.r] = c; });

  var regionSel = -1, regionSet = null;
  var hiddenNow = new Array(N).fill(false), edgeHiddenNow = new Array(E).fill(false);

  function clsName(i) { return CLASSES[D.nodes[i].c]; }
  function shortLabel(s) { return s.length > 18 ? s.slice(0, 17) + '…' : s; }

  // ------------------------------------------------------------------ vis data, as whole arrays
  // Labels are not vis's: the viewer draws them itself (labels.js), most important first and
  // never overlapping, so the first view names the regions and more appear as one zooms in.
  var visNodes = new Array(N);
  for (i = 0; i < N; i++) {
    var n = D.nodes[i], cls = CLASSES[n.c];
    // the hover tooltip: vis sets a string title as innerText (text, never markup)
    visNodes[i] = {id: i, group: cls, x: n.x, y: n.y, title: n.l + ' · ' + STYLE[cls].zh + ' ' + cls,
                   size: (anchorOf[i] ? 22 : STYLE[cls].size) + Math.min(10, Math.sqrt(degree[i]) * 1.2)};
  }
  var visEdges = new Array(E);
  for (var j = 0; j < E; j++) {
    var e = D.edges[j], rel = RELS[e[2]], rs = REL_STYLE[rel] || {color: '#999', dashes: false};
    // dashed lines and translucency cost a lot on big canvases: large graphs draw solid, opaque edges
    visEdges[j] = {id: j, from: e[0], to: e[1], dashes: BIG ? false : rs.dashes,
                   color: {color: rs.color, highlight: shade(rs.color, -0.3), hover: shade(rs.color, -0.3),
                           opacity: 0.55},
                   width: e[2] < D.evidenced ? 1.2 : 0.8};
  }
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  marks.datasets = performance.now();

  var groups = {};
  CLASSES.forEach(function (c) {
    var st = STYLE[c];
    groups[c] = {shape: st.shape, color: {background: st.color, border: shade(st.color, -0.25),
                 highlight: {background: shade(st.color, 0.25), border: '#111827'},
                 hover: {background: shade(st.color, 0.15), border: shade(st.color, -0.4)}}};
  });
  var options = {
    autoResize: true,
    layout: {improvedLayout: false, randomSeed: 7},
    physics: false,
    groups: groups,
    nodes: {borderWidth: 1.2, borderWidthSelected: 2.5},
    edges: {arrows: {to: {enabled: false, scaleFactor: 0.45}}, smooth: false,
            selectionWidth: 1.5, hoverWidth: 0.5},
    interaction: {hover: !BIG, hideEdgesOnDrag: BIG, hideEdgesOnZoom: BIG, tooltipDelay: 300,
                  multiselect: false, navigationButtons: false, keyboard: false}
  };
  var container = document.getElementById('graph');
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  marks.network = performance.now();

  // ------------------------------------------------------------------ labels and cluster discs (labels.js)
  var labels = window.kgLabels({
    network: network, container: container, nodes: D.nodes, clusters: D.clusters || [], font: FONT,
    label: shortLabel, size: function (k) { return visNodes[k].size || 10; },
    hidden: function (k) { return hiddenNow[k]; },
    focusedCluster: function () { return regionSel >= 0 ? rootOf(regionSel) : null; }
  });
  var px = labels.x, py = labels.y, labelAt = labels.at;
  network.on('beforeDrawing', labels.discs);
  network.on('afterDrawing', labels.draw);
  network.on('dragEnd', function (p) { if (p.nodes.length) labels.readPositions(); });
  function rootOf(r) {
    var seen = new Set();
    while (!anchorOf[r] && parentOfNode[r] !== undefined && !seen.has(r)) { seen.add(r); r = parentOfNode[r]; }
    return r;
  }

  window.kg = {network: network, nodes: nodes, edges: edges, data: D,
               select: function (id) { selectNode(id, true); }, search: runSearchText,
               showNode: showNode, showEdge: showEdge,
               focusRegion: function (id) { focusRegion(id); }, home: function () { showAll(); },
               labels: labels.boxes};
  window.kgNetwork = network;

  // ------------------------------------------------------------------ ready
  function markReady() {
    if (window.kgReady) return;
    window.kgReadyAt = performance.now();
    window.kgReady = true;
    document.body.classList.add('ready');
    setStatus('就绪 Ready in ' + (window.kgReadyAt / 1000).toFixed(2) + ' s');
  }
  // vis fits the nodes' shapes; the labels drawn below them need a margin
  function fitTo(ids, animation) {
    var cl = D.clusters || [];
    if (ids || !cl.length) {
      network.fit(ids ? {nodes: ids, animation: false} : {animation: false});
      network.moveTo({scale: network.getScale() * 0.93, animation: animation || false});
      return;
    }
    // the whole picture: every cluster's disc in view
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    cl.forEach(function (c) {
      x0 = Math.min(x0, c.x - c.R); x1 = Math.max(x1, c.x + c.R);
      y0 = Math.min(y0, c.y - c.R); y1 = Math.max(y1, c.y + c.R);
    });
    var W = container.clientWidth || 1, H = container.clientHeight || 1;
    network.moveTo({position: {x: (x0 + x1) / 2, y: (y0 + y1) / 2},
                    scale: 0.98 * Math.min(W / (x1 - x0 || 1), H / (y1 - y0 || 1)), animation: animation || false});
  }
  network.once('afterDrawing', function () { setTimeout(markReady, 0); });
  fitTo();
  network.redraw();

  if (BIG) {
    var arrowsOn = false;
    // arrowheads only once zoomed in (by wheel, focus or fit); toggled at most once per crossing
    network.on('afterDrawing', function () {
      var want = network.getScale() > 0.55;
      if (want !== arrowsOn) {
        arrowsOn = want;
        setTimeout(function () { network.setOptions({edges: {arrows: {to: {enabled: arrowsOn}}}}); }, 0);
      }
    });
  } else {
    network.setOptions({edges: {arrows: {to: {enabled: true}}}});
  }

  // ------------------------------------------------------------------ header
  var nArticles = D.articles !== undefined ? D.articles : D.art.length;   // the build's count
  document.getElementById('stats').textContent =
    N + ' nodes 节点 · ' + E + ' edges 边 · ' + nArticles + ' articles 文章';
  (function () {
    var sc = D.scope, note = document.getElementById('scope');
    if (!sc) return;
    var lines = [];
    if (sc.kind === 'region') lines.push('地区 Part: ' + sc.label + ' 及下级地区 and its sub-regions');
    if (sc.kind === 'focus') lines.push('邻域 Around ' + sc.label + ' (' + sc.radius + ' links 跳)');
    if (sc.of) {
      lines.push('摘要 Summary: the ' + N + ' most connected of ' + sc.of +
                 ' entities 仅显示连接最多的节点 (regions first).');
      lines.push('Any part in full: kg view graph.ttl --region 上海市 · --focus 名称');
    }
    lines.forEach(function (t) { note.appendChild(el('div', null, t)); });
    note.hidden = false;
  })();

  // ------------------------------------------------------------------ filters
  var classOn = CLASSES.map(function () { return true; });
  var relOn = RELS.map(function () { return true; });

  var children = new Array(N);
  D.edges.forEach(function (e) {
    if (RELS[e[2]] === 'partOf') (children[e[1]] = children[e[1]] || []).push(e[0]);
  });
  function descendants(r) {
    var set = new Set([r]), todo = [r];
    while (todo.length) {
      var k = todo.pop();
      (children[k] || []).forEach(function (c) { if (!set.has(c)) { set.add(c); todo.push(c); } });
    }
    return set;
  }
  function nodeVisible(i) {
    var n = D.nodes[i];
    if (!classOn[n.c]) return false;
    if (!regionSet) return true;
    var rs = n.r;
    if (!rs) return false;
    for (var k = 0; k < rs.length; k++) if (regionSet.has(rs[k])) return true;
    return false;
  }
  function applyFilters() {
    var nu = [], eu = [], shown = 0;
    for (var i = 0; i < N; i++) {
      var h = !nodeVisible(i);
      if (!h) shown++;
      if (h !== hiddenNow[i]) { hiddenNow[i] = h; nu.push({id: i, hidden: h}); }
    }
    for (var j = 0; j < E; j++) {
      var eh = !relOn[D.edges[j][2]];
      if (eh !== edgeHiddenNow[j]) { edgeHiddenNow[j] = eh; eu.push({id: j, hidden: eh}); }
    }
    if (nu.length) nodes.update(nu);
    if (eu.length) edges.update(eu);
    var note = document.getElementById('region-note');
    note.textContent = shown === N ? '' : '显示 showing ' + shown + ' / ' + N + ' 节点 nodes';
    return shown;
  }

  var legendC = document.getElementById('legend-classes');
  CLASSES.forEach(function (c, ci) {
    var li = el('li'), cb = el('input');
    cb.type = 'checkbox'; cb.checked = true; cb.setAttribute('aria-label', c);
    cb.dataset.cls = c;
    var name = el('span', 'name', STYLE[c].zh + ' ' + c);
    append(li, cb, swatch(c), name, el('span', 'count', classCount[ci]));
    li.dataset.cls = c;
    function toggle() { classOn[ci] = cb.checked; li.classList.toggle('off', !cb.checked); applyFilters(); }
    cb.addEventListener('change', toggle);
    li.addEventListener('click', function (ev) { if (ev.target !== cb) { cb.checked = !cb.checked; toggle(); } });
    legendC.appendChild(li);
  });
  var legendR = document.getElementById('legend-rels');
  RELS.forEach(function (r, ri) {
    var li = el('li'), cb = el('input');
    cb.type = 'checkbox'; cb.checked = true; cb.setAttribute('aria-label', r);
    var st = REL_STYLE[r] || {zh: ''};
    append(li, cb, lineSwatch(r), el('span', 'name', r + ' ' + st.zh), el('span', 'count', relCount[ri]));
    li.dataset.rel = r;
    function toggle() { relOn[ri] = cb.checked; li.classList.toggle('off', !cb.checked); applyFilters(); }
    cb.addEventListener('change', toggle);
    li.addEventListener('click', function (ev) { if (ev.target !== cb) { cb.checked = !cb.checked; toggle(); } });
    legendR.appendChild(li);
  });

  // region select: regions in hierarchy order (parent, then its children)
  var regionSelect = document.getElementById('region');
  (function () {
    var regionIds = [], parentOf = {};
    D.nodes.forEach(function (n, k) { if (CLASSES[n.c] === 'Region') regionIds.push(k); });
    D.edges.forEach(function (e) { if (RELS[e[2]] === 'partOf') parentOf[e[0]] = e[1]; });
    var members = {};
    D.nodes.forEach(function (n) { (n.r || []).forEach(function (r) { members[r] = (members[r] || 0) + 1; }); });
    function code(k) { return (D.nodes[k].p && D.nodes[k].p.code) || '~'; }
    function cmp(a, b) { return code(a) < code(b) ? -1 : code(a) > code(b) ? 1 : a - b; }
    var opt = el('option', null, '全部地区 All regions');
    opt.value = '-1';
    regionSelect.appendChild(opt);
    var done = new Set();
    function add(k, depth) {
      if (done.has(k)) return;
      done.add(k);
      var o = el('option', null, '\u3000'.repeat(depth) + D.nodes[k].l +
                 (code(k) !== '~' ? ' ' + code(k) : '') + ' (' + ((members[k] || 1) - 1) + ')');
      o.value = String(k);
      regionSelect.appendChild(o);
      (children[k] || []).slice().sort(cmp).forEach(function (c) { add(c, depth + 1); });
    }
    regionIds.filter(function (k) { return !(k in parentOf); }).sort(cmp).forEach(function (k) { add(k, 0); });
    regionIds.sort(cmp).forEach(function (k) { add(k, 0); });  // anything left (cycles)
  })();
  regionSelect.addEventListener('change', function () {
    var r = parseInt(regionSelect.value, 10);
    if (r >= 0) focusRegion(r); else showAll();
  });

  // ------------------------------------------------------------------ whole picture <-> one region
  var crumbs = document.getElementById('crumbs');
  function renderCrumbs() {
    crumbs.textContent = '';
    var all = el('button', regionSel < 0 ? 'crumb current' : 'crumb', '全部地区 All regions');
    all.type = 'button';
    all.addEventListener('click', function () { showAll(); });
    crumbs.appendChild(all);
    if (regionSel < 0) {
      crumbs.appendChild(el('span', 'hint', '点击地区查看其事实 Click a region for its facts'));
      return;
    }
    var chain = [], seen = new Set(), k = regionSel;
    while (k !== undefined && !seen.has(k)) { seen.add(k); chain.unshift(k); k = parentOfNode[k]; }
    chain.forEach(function (r) {
      crumbs.appendChild(el('span', 'sep', '›'));
      var b = el('button', r === regionSel ? 'crumb current' : 'crumb', D.nodes[r].l);
      b.type = 'button';
      b.addEventListener('click', function () { focusRegion(r); });
      crumbs.appendChild(b);
    });
    if (D.scope && D.scope.of) {   // a summary page holds part of the region's facts: say how to see them all
      crumbs.appendChild(el('span', 'hint', '摘要 summary · all its facts: kg view graph.ttl --region ' + D.nodes[regionSel].l));
    }
  }
  function focusRegion(r) {
    if (D.nodes[r].c !== 0) return;
    regionSel = r;
    regionSelect.value = String(r);
    regionSet = descendants(r);
    applyFilters();
    // fit the region's facts, less the few that sit in other clusters (a document of a national
    // agency drawn by the province that adopted it), into the part of the canvas the panel leaves free
    var ids = [];
    for (var k = 0; k < N; k++) if (!hiddenNow[k]) ids.push(k);
    function dist(k) { return Math.hypot(px[k] - px[r], py[k] - py[r]); }
    ids.sort(function (a, b) { return dist(a) - dist(b); });
    ids = ids.slice(0, Math.max(1, Math.ceil(ids.length * 0.9)));
    renderCrumbs();
    network.selectNodes([r]);
    showNode(r);
    fitTo(ids);
    var cover = Math.min(panel.offsetWidth, container.offsetWidth / 2);
    network.moveTo({position: network.getViewPosition(), scale: network.getScale() * (1 - cover / container.offsetWidth),
                    offset: {x: -cover / 2, y: 0}, animation: ANIM});
  }
  function showAll() {
    regionSel = -1; regionSet = null; regionSelect.value = '-1';
    applyFilters();
    renderCrumbs();
    network.unselectAll();
    closePanel();
    fitTo(null, ANIM);
  }
  function resetFilters() {
    classOn = classOn.map(function () { return true; });
    relOn = relOn.map(function () { return true; });
    regionSel = -1; regionSet = null; regionSelect.value = '-1';
    document.querySelectorAll('.legend input').forEach(function (cb) { cb.checked = true; });
    document.querySelectorAll('.legend li').forEach(function (li) { li.classList.remove('off'); });
    applyFilters();
    renderCrumbs();
  }
  document.getElementById('reset').addEventListener('click', function () {
    resetFilters(); closePanel(); network.unselectAll(); fitTo();
  });
  document.getElementById('fit').addEventListener('click', function () {
    fitTo(null, ANIM);
  });

  renderCrumbs();

  // ------------------------------------------------------------------ search
  function norm(s) { return String(s).normalize('NFKC').toLowerCase(); }
  var keys = D.nodes.map(function (n) { return [norm(n.l)].concat((n.a || []).map(norm)); });
  function search(q) {
    q = norm(q.trim());
    if (!q) return [];
    var hits = [];
    for (var i = 0; i < N; i++) {
      var ks = keys[i], best = 99, via = -1;
      for (var k = 0; k < ks.length; k++) {
        var pos = ks[k].indexOf(q);
        if (pos < 0) continue;
        var s = (ks[k] === q ? 0 : pos === 0 ? 2 : 4) + (k ? 1 : 0);
        if (s < best) { best = s; via = k; }
      }
      if (best < 99) hits.push([best, D.nodes[i].l.length, i, via]);
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return hits;
  }
  var searchInput = document.getElementById('search'), resultsEl = document.getElementById('results');
  var composing = false, current = [], activeIdx = 0;
  function renderResults(hits) {
    resultsEl.textContent = '';
    current = hits.slice(0, 50);
    activeIdx = 0;
    if (searchInput.value.trim() && !hits.length) {
      resultsEl.appendChild(el('li', 'none', '无匹配 No match'));
      return;
    }
    current.forEach(function (h, k) {
      var id = h[2], n = D.nodes[id], li = el('li', k === 0 ? 'active' : '');
      li.setAttribute('role', 'option');
      li.dataset.id = String(id);
      append(li, swatch(CLASSES[n.c], 12), el('span', 'name', n.l),
             h[3] > 0 ? el('span', 'via', '别名 ' + n.a[h[3] - 1]) : null);
      li.addEventListener('click', function () { selectNode(id, true); });
      resultsEl.appendChild(li);
    });
    if (hits.length > current.length) resultsEl.appendChild(el('li', 'none', '… ' + (hits.length - current.length) + ' more'));
  }
  function runSearchText(q) {
    if (q !== undefined) searchInput.value = q;
    var hits = search(searchInput.value);
    renderResults(hits);
    return hits.map(function (h) { return h[2]; });
  }
  searchInput.addEventListener('compositionstart', function () { composing = true; });
  searchInput.addEventListener('compositionend', function () { composing = false; runSearchText(); });
  searchInput.addEventListener('input', function () { if (!composing) runSearchText(); });
  searchInput.addEventListener('keydown', function (ev) {
    if (composing || ev.isComposing) return;
    var items = resultsEl.querySelectorAll('li[data-id]');
    if (ev.key === 'Enter') {
      if (current.length) selectNode(current[Math.min(activeIdx, current.length - 1)][2], true);
      ev.preventDefault();
    } else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      if (!items.length) return;
      items[activeIdx] && items[activeIdx].classList.remove('active');
      activeIdx = (activeIdx + (ev.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      items[activeIdx].classList.add('active');
      items[activeIdx].scrollIntoView({block: 'nearest'});
      ev.preventDefault();
    } else if (ev.key === 'Escape') {
      searchInput.value = ''; renderResults([]);
    }
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === '/' && document.activeElement !== searchInput) { searchInput.focus(); ev.preventDefault(); }
    // Escape outside the search box: one level up the breadcrumb (region -> its parent -> all)
    if (ev.key === 'Escape' && document.activeElement !== searchInput && regionSel >= 0) {
      var up = parentOfNode[regionSel];
      if (up !== undefined && up !== regionSel) focusRegion(up); else showAll();
    }
  });

  // ------------------------------------------------------------------ selection and the panel
  var panel = document.getElementById('panel');
  function selectNode(id, focus) {
    if (D.nodes[id].c === 0) { if (!classOn[0]) resetFilters(); focusRegion(id); return; }
    if (hiddenNow[id]) resetFilters();
    network.selectNodes([id]);
    showNode(id);
    if (focus) {   // centre it in the part of the canvas the panel does not cover
      var cover = Math.min(panel.offsetWidth, container.offsetWidth / 2);
      network.focus(id, {scale: Math.max(network.getScale(), BIG ? 1.1 : 1.0), animation: ANIM,
                         offset: {x: -cover / 2, y: 0}});
    }
  }
  function closePanel() { panel.hidden = true; panel.textContent = ''; }
  network.on('click', function (p) {
    var id = p.nodes.length ? p.nodes[0] : labelAt(p.pointer.DOM.x, p.pointer.DOM.y);
    if (id >= 0 && D.nodes[id].c === 0 && id !== regionSel) focusRegion(id);
    else if (id >= 0) { network.selectNodes([id]); showNode(id); }
    else if (p.edges.length) showEdge(p.edges[0]);
    else closePanel();
  });

  function nodeLink(id) {
    var a = el('a', 'node-link');
    a.href = '#';
    append(a, swatch(clsName(id), 11), el('span', null, D.nodes[id].l));
    a.addEventListener('click', function (ev) { ev.preventDefault(); selectNode(id, true); });
    return a;
  }
  function dateOnly(d) { return d ? String(d).slice(0, 10) : ''; }
  function evidenceBlock(k) {
    var ev = D.ev[k], box = el('div', 'evidence'), p = el('p', 'sentence');
    p.appendChild(document.createTextNode(ev[1]));
    if (ev[2]) p.appendChild(el('mark', null, ev[2]));
    p.appendChild(document.createTextNode(ev[3]));
    var src = el('div', 'source');
    if (ev[0] >= 0) {
      var a = D.art[ev[0]];
      append(src, el('span', 'title', a[0]), document.createTextNode(a[1] ? ' · ' + dateOnly(a[1]) : ''));
    }
    if (ev[4]) src.appendChild(document.createTextNode(' · ' + ev[4]));
    return append(box, p, src);
  }
  function field(dl, name, value) {
    if (value === undefined || value === null || value === '') return;
    var dd = el('dd');
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    append(dl, el('dt', null, name), dd);
  }
  function linkList(ids) {
    var wrap = el('div', 'chips');
    ids.slice(0, LIST_CAP).forEach(function (t) { wrap.appendChild(nodeLink(t)); });
    if (ids.length > LIST_CAP) wrap.appendChild(el('span', 'more', '… +' + (ids.length - LIST_CAP)));
    return wrap;
  }

  function showNode(id) {
    var n = D.nodes[id], cls = CLASSES[n.c], p = n.p || {};
    panel.textContent = '';
    panel.hidden = false;
    panel.dataset.node = String(id);
    var head = el('div', 'head'), titles = el('div', 'titles'), close = el('button', 'close', '×');
    close.type = 'button'; close.setAttribute('aria-label', 'close');
    close.addEventListener('click', function () { network.unselectAll(); closePanel(); });
    var badge = append(el('span', 'badge'), swatch(cls, 12), el('span', null, STYLE[cls].zh + ' ' + cls));
    append(titles, badge, el('h2', 'label', n.l));
    append(panel, append(head, titles, close));

    var dl = el('dl');
    if (n.a && n.a.length) {
      var chips = el('div', 'chips aliases');
      n.a.forEach(function (a) { chips.appendChild(el('span', 'chip', a)); });
      field(dl, '别名 Aliases', chips);
    }
    field(dl, 'IRI', el('code', 'iri', n.i));
    field(dl, '类型 Type', 'pol:' + cls);
    var outBy = {}, inBy = {};
    outEdges[id].forEach(function (j) { var r = RELS[D.edges[j][2]]; (outBy[r] = outBy[r] || []).push(j); });
    inEdges[id].forEach(function (j) { var r = RELS[D.edges[j][2]]; (inBy[r] = inBy[r] || []).push(j); });
    function targets(js, end) { return (js || []).map(function (j) { return D.edges[j][end]; }); }
    if (cls === 'Region') {
      field(dl, '区划代码 Code', p.code);
      if (outBy.partOf) field(dl, '隶属 Part of', linkList(targets(outBy.partOf, 1)));
      field(dl, '本地区 In it', regionCounts(id));
    } else if (cls === 'Agency') {
      if (outBy.jurisdiction) field(dl, '辖区 Jurisdiction', linkList(targets(outBy.jurisdiction, 1)));
    } else if (cls === 'Metric') {
      field(dl, '数值 Value', p.value !== undefined ? p.value + (p.unit ? ' ' + p.unit : '') : undefined);
      field(dl, '单位 Unit', p.unit);
      field(dl, '限定 Qualifier', p.qualifier ? p.qualifier + (QUALIFIER_ZH[p.qualifier] ? ' · ' + QUALIFIER_ZH[p.qualifier] : '') : undefined);
      field(dl, '原文 Surface', p.surface);
      field(dl, '指标 Indicator', p.indicator);
      if (outBy.forRegion) field(dl, '地区 For region', linkList(targets(outBy.forRegion, 1)));
    }
    panel.appendChild(dl);

    // the evidenced relations, both directions
    var evidenced = RELS.slice(0, D.evidenced), any = false;
    evidenced.forEach(function (r) {
      [[outBy[r], 1, r + ' →'], [inBy[r], 0, '← ' + r]].forEach(function (spec) {
        var js = spec[0];
        if (!js || !js.length) return;
        any = true;
        var sec = el('section', 'relation');
        sec.dataset.rel = r;
        sec.appendChild(el('h3', null, spec[2] + ' ' + (REL_STYLE[r] ? REL_STYLE[r].zh : '') + ' (' + js.length + ')'));
        js.slice(0, LIST_CAP).forEach(function (j) {
          var e = D.edges[j], box = el('div', 'rel');
          append(box, append(el('div', 'target'), nodeLink(e[spec[1]])));
          e[3].forEach(function (k) { box.appendChild(evidenceBlock(k)); });
          if (e[4]) box.appendChild(el('p', 'more', '… +' + (e[4] - e[3].length) + ' 句 more sentences (kg query triple_provenance)'));
          sec.appendChild(box);
        });
        if (js.length > LIST_CAP) sec.appendChild(el('p', 'more', '… +' + (js.length - LIST_CAP)));
        panel.appendChild(sec);
      });
    });
    if (!any) panel.appendChild(el('p', 'muted small', '无关系证据 No relation evidence for this node.'));

    if (cls === 'Region') regionFacts(inBy);

    // structure: sub-regions, agencies of a region, metrics about a region
    [['partOf', inBy, '下级地区 Sub-regions'], ['jurisdiction', inBy, '辖区机构 Agencies'],
     ['forRegion', cls === 'Region' ? {} : inBy, '地区指标 Metrics about it']].forEach(function (spec) {
      var js = spec[1][spec[0]];
      if (!js || !js.length) return;
      panel.appendChild(el('h3', null, spec[2] + ' (' + js.length + ')'));
      panel.appendChild(linkList(targets(js, 0)));
    });

    if (n.m && n.m.length) {
      panel.appendChild(el('h3', null, '出处 Mentioned in (' + n.m.length + ')'));
      var ul = el('ul', 'plain articles');
      n.m.slice(0, LIST_CAP).forEach(function (k) {
        var a = D.art[k], li = el('li');
        append(li, el('span', 'title', a[0]), el('span', 'muted small', a[1] ? ' · ' + dateOnly(a[1]) : ''));
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
    panel.scrollTop = 0;
  }

  // a region's own facts: what its agencies issued, and its figures with the sentence that gives them
  function regionCounts(r) {
    var inside = descendants(r), count = CLASSES.map(function () { return 0; });
    for (var k = 0; k < N; k++) {
      var rs = D.nodes[k].r || [];
      for (var q = 0; q < rs.length; q++) if (inside.has(rs[q])) { count[D.nodes[k].c]++; break; }
    }
    var box = el('div', 'facts');
    CLASSES.forEach(function (c, ci) {
      if (ci > 0 && count[ci]) box.appendChild(el('span', null, count[ci] + ' ' + STYLE[c].zh + ' ' + PLURAL[c]));
    });
    if (count[0] > 1) box.appendChild(el('span', null, (count[0] - 1) + ' 下级地区 sub-regions'));
    return box.childNodes.length ? box : undefined;
  }
  function regionFacts(inBy) {
    var docs = [];
    (inBy.jurisdiction || []).forEach(function (j) {
      outEdges[D.edges[j][0]].forEach(function (k) { if (RELS[D.edges[k][2]] === 'issues') docs.push(k); });
    });
    if (docs.length) {
      var sec = el('section', 'relation');
      sec.dataset.rel = 'documents';
      sec.appendChild(el('h3', null, '文件 Documents its agencies issued (' + docs.length + ')'));
      docs.slice(0, LIST_CAP).forEach(function (k) {
        var e = D.edges[k], box = el('div', 'rel');
        append(box, append(el('div', 'target'), nodeLink(e[1]), el('span', 'muted small', ' ← '), nodeLink(e[0])));
        e[3].forEach(function (q) { box.appendChild(evidenceBlock(q)); });
        sec.appendChild(box);
      });
      panel.appendChild(sec);
    }
    var figs = (inBy.forRegion || []).map(function (j) { return D.edges[j][0]; });
    if (figs.length) {
      var fsec = el('section', 'relation');
      fsec.dataset.rel = 'figures';
      fsec.appendChild(el('h3', null, '数字 Figures (' + figs.length + ')'));
      figs.slice(0, LIST_CAP).forEach(function (t) {
        var p = D.nodes[t].p || {}, box = el('div', 'rel'), head = el('div', 'target');
        append(head, nodeLink(t), p.value !== undefined ? el('span', 'fig-value', p.value + (p.unit ? ' ' + p.unit : '')) : null);
        box.appendChild(head);
        inEdges[t].forEach(function (k) {
          if (RELS[D.edges[k][2]] !== 'hasMetric') return;
          D.edges[k][3].slice(0, 1).forEach(function (q) { box.appendChild(evidenceBlock(q)); });
        });
        fsec.appendChild(box);
      });
      if (figs.length > LIST_CAP) fsec.appendChild(el('p', 'more', '… +' + (figs.length - LIST_CAP)));
      panel.appendChild(fsec);
    }
  }

  function showEdge(j) {
    var e = D.edges[j], r = RELS[e[2]];
    panel.textContent = '';
    panel.hidden = false;
    delete panel.dataset.node;
    var head = el('div', 'head'), titles = el('div', 'titles'), close = el('button', 'close', '×');
    close.type = 'button';
    close.addEventListener('click', function () { network.unselectAll(); closePanel(); });
    append(titles, append(el('span', 'badge'), lineSwatch(r), el('span', null, 'pol:' + r)),
           el('h2', null, D.nodes[e[0]].l + ' → ' + D.nodes[e[1]].l));
    append(panel, append(head, titles, close));
    var dl = el('dl');
    field(dl, '主语 Subject', nodeLink(e[0]));
    field(dl, '关系 Relation', r + (REL_STYLE[r] ? ' · ' + REL_STYLE[r].zh : ''));
    field(dl, '宾语 Object', nodeLink(e[1]));
    panel.appendChild(dl);
    if (e[3].length) {
      panel.appendChild(el('h3', null, '证据 Evidence (' + (e[4] || e[3].length) + ')'));
      e[3].forEach(function (k) { panel.appendChild(evidenceBlock(k)); });
      if (e[4]) panel.appendChild(el('p', 'more', '… +' + (e[4] - e[3].length) + ' 句 more sentences (kg query triple_provenance)'));
    }
  }
})();
