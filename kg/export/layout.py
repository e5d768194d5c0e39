"""Where the viewer's nodes sit and which labels come first (networkx, fixed seeds).

The page is read as a map of regions: every node belongs to the cluster of
its top-level region (a province, 全国, ...; the region it is most
specifically about, followed up `pol:partOf`), nodes with no region form
one more cluster.  Each cluster is laid out on its own by networkx's
spring layout (so a city's measures gather round the city inside its
province) and scaled to an area proportional to its size; clusters are then
packed in rows, biggest first.  Laying out clusters separately keeps the
cost near-linear in the number of clusters and the picture stable: one
region's facts never move because another region grew.

Label priority (`rank`, 0 first): the clusters' regions, biggest cluster
first, then every other node by its number of links (regions count double),
so the viewer labels the anchors and the most connected measures first and
more of the rest as the user zooms in.

Deterministic: nodes and clusters in a fixed order, spring layouts seeded,
coordinates rounded to integers.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

#: distance between neighbouring nodes at zoom 1, in page pixels
SPACING = 42.0
#: a cluster is at least this wide (room for its region's label at the first view)
MIN_RADIUS = 4.5 * SPACING
SEED = 7
#: weight of the spring tying a cluster's unlinked parts to its centre (links weigh 1)
TIE = 1.0


@dataclass
class Placed:
    positions: list = field(default_factory=list)   # (x, y) integers, one per node
    rank: list = field(default_factory=list)        # label priority per node, 0 first
    clusters: list = field(default_factory=list)    # {"r": region node or -1, "n", "x", "y", "R"}


def neighbourhood(center, pairs, radius: int) -> set:
    """The nodes at most `radius` links from `center` (links taken both ways)."""
    g = nx.Graph()
    g.add_node(center)
    g.add_edges_from(pairs)
    return set(nx.ego_graph(g, center, radius=radius))


def _clusters(nodes: list[dict], parent: dict) -> dict[int, list[int]]:
    """top-level region (or -1) -> its members, from each node's most specific region."""
    depth: dict[int, int] = {}
    root: dict[int, int] = {}

    def climb(r: int) -> None:
        d, seen, cur = 0, {r}, r
        while cur in parent and parent[cur] not in seen:
            cur = parent[cur]
            seen.add(cur)
            d += 1
        depth[r], root[r] = d, cur

    def key(r: int):
        if r not in depth:
            climb(r)
        return (-depth[r], (nodes[r].get("p") or {}).get("code") or "~", nodes[r]["l"], r)

    groups: dict[int, list[int]] = {}
    for i, n in enumerate(nodes):
        rs = [i] if n["c"] == 0 else n.get("r") or []
        if rs:
            home = min(rs, key=key)
            g = root[home]
        else:
            g = -1
        groups.setdefault(g, []).append(i)
    return groups


def _place_cluster(g: nx.Graph, members: list[int], anchor: int) -> tuple[dict, float]:
    """Positions around (0, 0) and the radius, for one cluster.

    Parts of the cluster that share no link (an isolated document, a
    measure adopted elsewhere too) would be pushed to the rim by the spring
    layout's repulsion; each is tied to the cluster's centre by one weak
    spring from its best-connected node, so they sit round the region instead.
    """
    n = len(members)
    if n == 1:
        return {members[0]: (0.0, 0.0)}, MIN_RADIUS
    sub = nx.Graph(g.subgraph(members))
    centre = anchor if anchor >= 0 else -1
    parts = sorted((sorted(c) for c in nx.connected_components(sub)), key=lambda c: (-len(c), c[0]))
    for part in parts:
        if centre in part:
            continue
        head = max(part, key=lambda i: (sub.degree(i), -i))
        sub.add_edge(centre, head, weight=TIE)
    pos = nx.spring_layout(sub, seed=SEED, iterations=60 if n <= 400 else 40)
    # scale so that half the nodes are at least SPACING from their nearest neighbour (a hub's
    # leaves crowd round it), but never past 2.2 times the size its node count asks for
    pts = np.array([pos[i] for i in members])
    near = cKDTree(pts).query(pts, k=2)[0][:, 1]
    typical = float(np.quantile(near, 0.5))
    radius = min(SPACING / typical if typical > 0 else math.inf, 2.2 * SPACING * math.sqrt(n))
    cx, cy = pos[centre] if centre in pos else (0.0, 0.0)
    out = {i: ((pos[i][0] - cx) * radius, (pos[i][1] - cy) * radius) for i in members}
    extent = max(math.hypot(x, y) for x, y in out.values())
    return out, max(MIN_RADIUS, extent + SPACING)


def layout(nodes: list[dict], edges: list[list], kinds) -> Placed:
    n = len(nodes)
    if n == 0:
        return Placed()
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from((a, b) for a, b, *_ in edges)
    parent: dict[int, int] = {}
    for a, b, ri, *_ in edges:
        if kinds[ri] == "partOf":
            parent[a] = min(b, parent.get(a, b))
    groups = _clusters(nodes, parent)

    def code(r):
        return (nodes[r].get("p") or {}).get("code") or "~" if r >= 0 else "~~"

    order = sorted(groups, key=lambda r: (-len(groups[r]), r < 0, code(r), r))
    shapes = []
    for r in order:
        local, radius = _place_cluster(g, sorted(groups[r]), r)
        shapes.append((r, local, radius))

    # shelf packing, biggest first, rows about 1.6 times wider than the whole is tall
    total = sum((2 * R) ** 2 for *_, R in shapes)
    width = max(math.sqrt(total * 1.6), max(2 * R for *_, R in shapes))
    positions: list = [None] * n
    clusters = []
    x = y = row_h = 0.0
    row: list = []

    def close_row():
        for r, local, R, left in row:
            cx, cy = left + R, y + row_h / 2
            for i, (lx, ly) in local.items():
                positions[i] = (cx + lx, cy + ly)
            clusters.append({"r": r, "n": len(local), "x": cx, "y": cy, "R": R})

    for r, local, R in shapes:
        if row and x + 2 * R > width:
            close_row()
            x, y, row_h, row = 0.0, y + row_h, 0.0, []
        row.append((r, local, R, x))
        x += 2 * R
        row_h = max(row_h, 2 * R)
    close_row()

    xs = [p[0] for p in positions]
    ys = [p[1] for p in positions]
    mx, my = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    positions = [(int(round(px - mx)), int(round(py - my))) for px, py in positions]
    for c in clusters:
        c["x"], c["y"], c["R"] = int(round(c["x"] - mx)), int(round(c["y"] - my)), int(round(c["R"]))
    return Placed(positions, _rank(nodes, g, order), clusters)


def _rank(nodes: list[dict], g: nx.Graph, anchors: list[int]) -> list[int]:
    first = [r for r in anchors if r >= 0]
    lead = set(first)
    degree = nx.degree_centrality(g) if len(g) > 1 else {i: 0.0 for i in g}
    rest = sorted((i for i in range(len(nodes)) if i not in lead),
                  key=lambda i: (-degree[i] * (2 if nodes[i]["c"] == 0 else 1), i))
    rank = [0] * len(nodes)
    for k, i in enumerate(first + rest):
        rank[i] = k
    return rank
