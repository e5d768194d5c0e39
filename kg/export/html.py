"""The graph as one self-contained HTML page (opens from file:// offline).

vis-network comes from the copy pyvis ships; it is inlined, never loaded
from a CDN.  Graph data goes in as one JSON document whose `<`, `>` and
`&` are escaped, so article text can never close the script element; the
page only ever puts text into the DOM with textContent.
"""
from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from ..vocab import POL
from .turtle import atomic_write

CLASSES = ("Region", "Agency", "Document", "Measure", "Metric")
RELATIONS = ("adopts", "issues", "hasMetric")


def _vis_js() -> str:
    import pyvis
    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8")


def graph_data(graph: Graph) -> dict:
    nodes, edges = [], []
    ids: dict[str, int] = {}
    for cls in CLASSES:
        for s in sorted(graph.subjects(RDF.type, POL[cls]), key=str):
            ids[str(s)] = len(ids)
            label = str(graph.value(s, RDFS.label) or s)
            nodes.append({"id": ids[str(s)], "label": label, "group": cls, "iri": str(s)})
    for rel in RELATIONS:
        for s, o in sorted(graph.subject_objects(POL[rel]), key=lambda x: (str(x[0]), str(x[1]))):
            if str(s) in ids and str(o) in ids:
                edges.append({"from": ids[str(s)], "to": ids[str(o)], "label": rel})
    return {"nodes": nodes, "edges": edges}


def safe_json(data) -> str:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True)
            .replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


PAGE = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>policy-kg</title>
<style>html,body{margin:0;height:100%;font-family:sans-serif}#graph{position:absolute;inset:0}</style>
<script>__VIS__</script></head>
<body><div id="graph"></div>
<script id="kg-data" type="application/json">__DATA__</script>
<script>
const data = JSON.parse(document.getElementById('kg-data').textContent);
const net = new vis.Network(document.getElementById('graph'),
  {nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)},
  {physics: {stabilization: {iterations: 200}}, edges: {arrows: 'to', font: {size: 9}}});
net.once('stabilizationIterationsDone', () => net.setOptions({physics: false}));
window.kgNetwork = net;
</script></body></html>
"""


def render(graph: Graph) -> str:
    return PAGE.replace("__VIS__", _vis_js().replace("</script", "<\\/script")).replace("__DATA__", safe_json(graph_data(graph)))


def write_html(graph: Graph, path: Path) -> None:
    atomic_write(path, render(graph))
