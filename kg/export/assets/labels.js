/* policy-kg viewer: the names on the canvas, and a faint disc per cluster.
 *
 * vis-network draws no labels here; kgLabels draws them after each frame, in
 * screen pixels: most important first (node.k from kg/export/layout.py: the
 * clusters' regions, then by number of links), each only where it overlaps no
 * label already drawn, and at most one per LABEL_AREA of screen.  So the
 * first view names every region cluster and the best-connected entities, and
 * zooming in names more.  A cluster's name is sized to fit its disc (its
 * short form, 新疆, where the full name does not fit even at 10px).  Text is
 * only ever drawn on the canvas (fillText), never put into the DOM.
 *
 * kgLabels(env) -> {draw(ctx), discs(ctx), at(x, y), boxes(), readPositions(), x, y}
 * env: network, container, nodes, clusters, font, label(text) -> shown text,
 *      size(k) -> node radius at zoom 1, hidden(k), focusedCluster() -> region id or null.
 */
window.kgLabels = function (env) {
  'use strict';
  var network = env.network, container = env.container, nodes = env.nodes, clusters = env.clusters;
  var N = nodes.length, FONT = env.font;
  var LABEL_AREA = 14000;   // screen px^2 per label at most: the first view stays readable
  var NO_REGION = '无地区 No region';
  var anchorOf = {};
  clusters.forEach(function (c) { if (c.r >= 0) anchorOf[c.r] = c; });

  var px = new Float64Array(N), py = new Float64Array(N);
  function readPositions() {
    var pos = network.getPositions();
    for (var k = 0; k < N; k++) { px[k] = pos[k].x; py[k] = pos[k].y; }
  }
  readPositions();
  var order = [];
  for (var i = 0; i < N; i++) order.push(i);
  order.sort(function (a, b) { return (nodes[a].k || 0) - (nodes[b].k || 0) || a - b; });
  var text = nodes.map(function (n) { return env.label(n.l); });
  var short = nodes.map(function (n) { return n.s || null; });   // 新疆维吾尔自治区 -> 新疆
  var widthCache = {};   // label width at a 1px font size
  function textWidth(ctx, key, t, weight) {
    var w = widthCache[key];
    if (w === undefined) {
      ctx.font = weight + ' 100px ' + FONT;
      w = widthCache[key] = ctx.measureText(t).width / 100;
    }
    return w;
  }

  var placed = [];   // [x0, y0, x1, y1, node id (-1: the no-region cluster)] in screen pixels
  function draw(ctx) {
    var W = container.clientWidth, H = container.clientHeight;
    var s = network.getScale(), o = network.canvasToDOM({x: 0, y: 0});
    var budget = Math.max(12, Math.floor(W * H / LABEL_AREA)), boxes = [];
    var dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.textAlign = 'center'; ctx.textBaseline = 'top'; ctx.lineJoin = 'round';
    function place(id, t, sx, top, w, fs, weight, color, halo) {
      var box = [sx - w / 2 - 2, top - 1, sx + w / 2 + 2, top + fs + 3, id];
      if (box[2] < 0 || box[0] > W || box[3] < 0 || box[1] > H) return;
      for (var b = 0; b < boxes.length; b++) {
        var c = boxes[b];
        if (box[0] < c[2] && c[0] < box[2] && box[1] < c[3] && c[1] < box[3]) return;
      }
      boxes.push(box);
      ctx.font = weight + ' ' + fs + 'px ' + FONT;
      ctx.lineWidth = halo;
      ctx.strokeStyle = 'rgba(255,255,255,0.92)';
      ctx.strokeText(t, sx, top);
      ctx.fillStyle = color;
      ctx.fillText(t, sx, top);
    }
    function noRegion() {   // the cluster of what has no region, named after the regions
      if (env.focusedCluster() !== null) return;
      clusters.forEach(function (c) {
        if (c.r >= 0) return;
        place(-1, NO_REGION, c.x * s + o.x, (c.y - c.R * 0.9) * s + o.y,
              textWidth(ctx, 'none', NO_REGION, '600') * 13, 13, '600', '#64748b', 3);
      });
    }
    var named = false;
    for (var q = 0; q < N && boxes.length < budget; q++) {
      var k = order[q];
      if (!named && !anchorOf[k]) { named = true; noRegion(); }
      if (env.hidden(k)) continue;
      var sx = px[k] * s + o.x, sy = py[k] * s + o.y;
      if (sx < -300 || sy < -60 || sx > W + 300 || sy > H + 60) continue;
      var region = nodes[k].c === 0, weight = region ? '600' : '400';
      var t = text[k], unit = textWidth(ctx, k, t, weight), fs = region ? 13 : 12;
      var top = sy + env.size(k) * s + 2;
      if (anchorOf[k]) {
        // a cluster's name fits its disc: smaller at the first view, full size when zoomed in
        var room = 2 * anchorOf[k].R * s * 0.9 - 6;
        if (unit * 10 > room && short[k]) {
          t = short[k];
          unit = textWidth(ctx, 'a' + k, t, weight);
        }
        fs = Math.max(10, Math.min(17, room / unit));
        top = sy + Math.min(env.size(k) * s, anchorOf[k].R * s * 0.5) + 2;
      }
      place(k, t, sx, top, unit * fs, fs, weight, region ? '#1e3a8a' : '#1f2933', anchorOf[k] ? 5 : 3.5);
    }
    ctx.restore();
    placed = boxes;
  }

  // behind everything: the focused region's cluster only, else every cluster whose region is shown
  function discs(ctx) {
    var only = env.focusedCluster();
    clusters.forEach(function (c) {
      if (only !== null ? c.r !== only : c.r >= 0 && env.hidden(c.r)) return;
      ctx.beginPath();
      ctx.arc(c.x, c.y, c.R * 0.96, 0, 2 * Math.PI);
      ctx.fillStyle = c.r >= 0 ? 'rgba(37, 99, 235, 0.045)' : 'rgba(100, 116, 139, 0.05)';
      ctx.fill();
    });
  }

  function at(x, y) {   // the node whose label is under the screen point, or -1
    for (var b = placed.length - 1; b >= 0; b--) {
      var c = placed[b];
      if (x >= c[0] && x <= c[2] && y >= c[1] && y <= c[3]) return c[4];
    }
    return -1;
  }
  function boxes() { return placed.map(function (b) { return {id: b[4], box: b.slice(0, 4)}; }); }

  return {draw: draw, discs: discs, at: at, boxes: boxes, readPositions: readPositions, x: px, y: py};
};
