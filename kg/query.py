"""Named SPARQL queries over a built graph.

A named query is a `.rq` file in `ontology/queries/`.  Its leading `# `
comment says what it answers; lines of the form

    # param: region (label, the region's rdfs:label, e.g. 上海市)

declare the variables a caller may bind (`kg query measures_by_region
--param region=上海市`).  The kinds are

    label    a Chinese label: "…"@zh
    string   a plain string literal
    iri      an IRI, full or as a prefixed name (pol:adopts, res:region/310000)
    integer  an xsd:integer
    decimal  an xsd:decimal

A value is never pasted into the query text: it becomes an RDF term handed
to the engine (pyoxigraph `substitutions`, rdflib `initBindings`), so a
value with quotes, braces or `}` cannot change the query.  An unbound
parameter means "any".

Engines: the embedded on-disk store beside the Turtle when it is fresh
(kg/store.py), else the Turtle loaded into an in-memory pyoxigraph store;
`engine="rdflib"` parses it with rdflib instead (slower; kept to check the
two agree).
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable, Sequence

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from .vocab import NAMESPACES, ontology_path

FORMATS = ("table", "csv", "tsv", "json")
ENGINES = ("auto", "store", "memory", "rdflib")
PARAM_KINDS = ("label", "string", "iri", "integer", "decimal")
_EXAMPLE_LINE = re.compile(r"^#\s*example:(.*)$")
_PARAM_LINE = re.compile(r"^#\s*param:\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*([a-z]+)\s*(?:,\s*(.*?))?\s*\)\s*$")
_XSD_STRING = str(XSD.string)
#: predeclared in every query (a .rq may use pol:, rdfs:, skos: … without PREFIX lines; its own win)
PREFIXES = {p: str(ns) for p, ns in NAMESPACES.items()}


class QueryError(Exception):
    """A query that cannot run: unknown name, bad parameter, syntax error, missing graph.

    `code` is the one-line message's code (kg/cli.py lists them): E501 no
    graph, E510 the query or a parameter, E511 SPARQL syntax, E512 an
    ambiguous alias.
    """

    exit_code = 2

    def __init__(self, message: str, code: str = "E510"):
        super().__init__(message)
        self.code = code


class QuerySyntaxError(QueryError):
    def __init__(self, source: str, line: int | None, column: int | None, message: str):
        self.source, self.line, self.column, self.message = source, line, column, message
        where = f"{source}:{line}:{column}" if line is not None else source
        super().__init__(f"{where}: SPARQL syntax error: {message}", "E511")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    doc: str = ""


@dataclass
class NamedQuery:
    name: str
    path: Path | None
    text: str
    description: str = ""
    params: dict[str, Param] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)   # arguments after `kg query NAME`


# --------------------------------------------------------------------------
# finding and reading queries


def queries_dir() -> Path:
    return ontology_path() / "queries"


def query_path(name_or_file: str) -> Path:
    p = Path(name_or_file)
    if p.suffix == ".rq" and p.is_file():
        return p
    named = queries_dir() / f"{name_or_file.removesuffix('.rq')}.rq"
    if named.is_file():
        return named
    known = ", ".join(q.stem for q in sorted(queries_dir().glob("*.rq")))
    raise QueryError(f"no query file or named query {name_or_file!r} (named queries: {known})")


def is_query_ref(text: str) -> bool:
    try:
        query_path(text)
        return True
    except QueryError:
        return False


def parse_header(text: str) -> tuple[str, dict[str, Param]]:
    """The description (leading `# ` comment lines) and the declared parameters."""
    desc: list[str] = []
    params: dict[str, Param] = {}
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith("#"):
            break
        if _EXAMPLE_LINE.match(s):
            continue
        m = _PARAM_LINE.match(s)
        if m:
            name, kind, doc = m.group(1), m.group(2), m.group(3) or ""
            if kind not in PARAM_KINDS:
                raise QueryError(f"parameter {name!r} has unknown kind {kind!r} (kinds: {', '.join(PARAM_KINDS)})")
            params[name] = Param(name, kind, doc)
        elif s.lower().startswith("# param"):
            raise QueryError(f"malformed parameter declaration {s!r}; expected '# param: NAME (KIND, description)'")
        else:
            desc.append(s.lstrip("#").strip())
    return " ".join(desc), params


def parse_examples(text: str) -> list[str]:
    """The `# example: --param NAME=VALUE ...` lines of the leading comment (`kg query --list` shows them;
    tests/test_query.py runs each on the seeds and expects rows)."""
    out = []
    for line in text.splitlines():
        s = line.strip()
        if s and not s.startswith("#"):
            break
        m = _EXAMPLE_LINE.match(s)
        if m:
            out.append(m.group(1).strip())
    return out


def load_query(name_or_file: str) -> NamedQuery:
    path = query_path(name_or_file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QueryError(f"{path}: cannot read the query ({e})") from None
    desc, params = parse_header(text)
    return NamedQuery(path.stem, path, text, desc, params, parse_examples(text))


def list_queries() -> list[NamedQuery]:
    return [load_query(str(p)) for p in sorted(queries_dir().glob("*.rq"))]


# --------------------------------------------------------------------------
# parameters


def expand_iri(value: str) -> str:
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        return v[1:-1]
    prefix, colon, local = v.partition(":")
    if colon and prefix in NAMESPACES and not local.startswith("//"):
        return str(NAMESPACES[prefix]) + local
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", v) or v.startswith("urn:"):
        return v
    raise QueryError(f"not an IRI or known prefixed name: {value!r} (prefixes: {', '.join(NAMESPACES)})")


def make_term(param: Param, value: str):
    """The RDF term (rdflib) a `--param name=value` stands for."""
    if param.kind == "label":
        return Literal(value, lang="zh")
    if param.kind == "string":
        return Literal(value)
    if param.kind == "iri":
        iri = expand_iri(value)
        if re.search(r'[\x00-\x20<>"{}|^`\\]', iri):
            raise QueryError(f"parameter {param.name}: {iri!r} is not a valid IRI")
        return URIRef(iri)
    if param.kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryError(f"parameter {param.name}: {value!r} is not an integer")
        return Literal(value.strip(), datatype=XSD.integer)
    if param.kind == "decimal":
        try:
            Decimal(value.strip())
        except InvalidOperation:
            raise QueryError(f"parameter {param.name}: {value!r} is not a decimal") from None
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value.strip()):
            raise QueryError(f"parameter {param.name}: {value!r} is not a decimal")
        return Literal(value.strip(), datatype=XSD.decimal)
    raise QueryError(f"unknown parameter kind {param.kind!r}")


def bind_params(q: NamedQuery, given: dict[str, str] | Sequence[str] | None) -> dict[str, object]:
    """`{'region': '上海市'}` or `['region=上海市']` -> {variable name: rdflib term}."""
    if not given:
        return {}
    if not isinstance(given, dict):
        pairs = {}
        for item in given:
            name, eq, value = item.partition("=")
            if not eq:
                raise QueryError(f"--param {item!r}: expected NAME=VALUE")
            if name.strip() in pairs:
                raise QueryError(f"parameter {name.strip()!r} given twice")
            pairs[name.strip()] = value
        given = pairs
    out = {}
    for name, value in given.items():
        if name not in q.params:
            declared = ", ".join(q.params) or "none"
            raise QueryError(f"query {q.name!r} declares no parameter {name!r} (declared: {declared})")
        out[name] = make_term(q.params[name], value)
    return out


# --------------------------------------------------------------------------
# terms between the engines


def from_ox(t):
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language, normalize=False)
        dt = t.datatype.value
        if dt == _XSD_STRING:
            return Literal(t.value, normalize=False)
        return Literal(t.value, datatype=URIRef(dt), normalize=False)
    raise TypeError(f"unsupported term {t!r}")


def to_ox(t):
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        if t.datatype and str(t.datatype) != _XSD_STRING:
            return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
        return ox.Literal(str(t))
    raise TypeError(f"unsupported term {t!r}")


# --------------------------------------------------------------------------
# running


@dataclass
class Result:
    """A query result, engine-independent: rows of rdflib terms (None = unbound)."""
    kind: str                                  # select | ask | graph
    vars: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple] = field(default_factory=list)
    engine: str = ""
    notes: list[str] = field(default_factory=list)   # aliases resolved, for the user

    def dicts(self) -> list[dict[str, str | None]]:
        return [{v: (None if t is None else str(t)) for v, t in zip(self.vars, r)} for r in self.rows]

    def column(self, var: str) -> list[str | None]:
        i = self.vars.index(var)
        return [None if r[i] is None else str(r[i]) for r in self.rows]


_OX_SYNTAX = re.compile(r"error at (\d+):(\d+)(?:-\d+:\d+)?:\s*(.*)", re.S)


def check_syntax(text: str, source: str = "<query>") -> None:
    """Raise QuerySyntaxError (with the line) if `text` is not SPARQL 1.1."""
    try:
        ox.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as e:
        msg = str(e)
        m = _OX_SYNTAX.search(msg)
        if m:
            raise QuerySyntaxError(source, int(m.group(1)), int(m.group(2)), m.group(3).strip()) from None
        raise QuerySyntaxError(source, None, None, msg) from None


def _ox_result(res, engine: str) -> Result:
    if isinstance(res, ox.QueryBoolean):
        return Result("ask", boolean=bool(res), engine=engine)
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        rows = [tuple(from_ox(sol[i]) for i in range(len(names))) for sol in res]
        return Result("select", names, rows, engine=engine)
    triples = [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in res]
    return Result("graph", ["subject", "predicate", "object"], triples=triples, engine=engine)


def run_on_store(store: ox.Store, text: str, bindings: dict | None = None, *,
                 union: bool = False, engine: str = "store") -> Result:
    subs = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
    try:
        res = store.query(text, prefixes=PREFIXES, substitutions=subs or None, use_default_graph_as_union=union)
    except SyntaxError as e:
        raise QuerySyntaxError("<query>", None, None, str(e)) from None
    except RuntimeError as e:   # e.g. a parameter that is not a projected variable
        raise QueryError(str(e)) from None
    return _ox_result(res, engine)


def run_on_rdflib(graph, text: str, bindings: dict | None = None) -> Result:
    from rdflib.term import Variable
    res = graph.query(text, initNs=NAMESPACES, initBindings={Variable(k): v for k, v in (bindings or {}).items()})
    if res.type == "ASK":
        return Result("ask", boolean=bool(res.askAnswer), engine="rdflib")
    if res.type in ("CONSTRUCT", "DESCRIBE"):
        return Result("graph", ["subject", "predicate", "object"], triples=list(res.graph), engine="rdflib")
    names = [str(v) for v in res.vars]
    rows = [tuple(row[i] for i in range(len(names))) for row in res]
    return Result("select", names, rows, engine="rdflib")


def resolve_graph(graph: str | Path | None, option: str = "--graph") -> Path:
    """A graph file, or an output folder holding graph.ttl (default: output/).

    `option` is the command's option for the graph, named in the hint."""
    p = Path(graph) if graph else Path("output")
    if p.is_dir():
        p = p / "graph.ttl"
    if not p.is_file():
        what = "not a file" if p.exists() else "no graph here"
        raise QueryError(f"{p}: {what} (run `kg build` first, or pass {option} FILE)", "E501")
    return p


def run(query: str | NamedQuery, graph: str | Path | None = None, params=None, *,
        engine: str = "auto", option: str = "--graph") -> Result:
    """Run a named query / .rq file / NamedQuery over a built graph.

    `label` parameters resolve aliases first (kg/aliases.py); what was
    resolved is said in `Result.notes`."""
    from .aliases import AmbiguousAlias, resolve_params

    q = query if isinstance(query, NamedQuery) else load_query(query)
    bindings = bind_params(q, params)
    check_syntax(q.text, str(q.path or q.name))
    path = resolve_graph(graph, option)
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r} (engines: {', '.join(ENGINES)})")
    execute = _engine(path, engine)
    try:
        bindings, notes = resolve_params(bindings, {n: p.kind for n, p in q.params.items()}, execute)
    except AmbiguousAlias as e:
        raise QueryError(str(e), "E512") from None
    result = execute(q.text, bindings)
    result.notes = notes
    return result


def _engine(path: Path, engine: str):
    """`execute(text, bindings) -> Result` over the graph at `path` with the chosen engine."""
    from . import store as st

    if engine == "rdflib":
        from rdflib import Dataset, Graph
        try:
            if st.is_quads(path):
                g = Dataset(default_union=True)
                g.parse(str(path), format="trig" if path.suffix == ".trig" else "nquads")
            else:
                g = Graph()
                g.parse(str(path), format={".nt": "nt", ".jsonld": "json-ld"}.get(path.suffix, "turtle"))
        except Exception as e:  # rdflib raises parser-specific types
            raise QueryError(f"{path}: does not parse as RDF ({type(e).__name__}: {e})", "E502") from None
        return lambda text, b: run_on_rdflib(g, text, b)
    if engine in ("auto", "store"):
        store = st.open_store(path)
        if store is not None:
            return lambda text, b: run_on_store(store, text, b, engine="store")
        if engine == "store":
            raise QueryError(f"no fresh store at {st.store_path(path)} for {path} (rebuild, or use --engine memory)")
    try:
        store = st.memory_store(path)
    except (SyntaxError, ValueError) as e:
        raise QueryError(f"{path}: does not parse as RDF ({e})", "E502") from None
    union = st.is_quads(path)
    return lambda text, b: run_on_store(store, text, b, union=union, engine="memory")


def run_query_file(graph_path: str, query: str) -> str:
    """Backwards-compatible: the table of a query over a graph."""
    return format_result(run(query, graph_path), "table")


# --------------------------------------------------------------------------
# output


def _compact(iri: str) -> str:
    best = None
    for prefix, ns in NAMESPACES.items():
        ns = str(ns)
        if iri.startswith(ns) and (best is None or len(ns) > len(best[1])):
            best = (prefix, ns)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else f"<{iri}>"


def display(t) -> str:
    if t is None:
        return ""
    if isinstance(t, URIRef):
        return _compact(str(t))
    if isinstance(t, BNode):
        return f"_:{t}"
    return str(t).replace("\r\n", "\n").replace("\n", "⏎").replace("\t", " ")


def text_width(s: str) -> int:
    """Columns `s` takes in a terminal: East Asian wide/fullwidth count 2, combining marks 0."""
    w = 0
    for c in s:
        if unicodedata.combining(c):
            continue
        w += 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
    return w


def _pad(s: str, width: int, right: bool = False) -> str:
    fill = " " * (width - text_width(s))
    return fill + s if right else s + fill


_NUMERIC = {str(XSD[n]) for n in ("integer", "decimal", "double", "float", "long", "int",
                                   "nonNegativeInteger", "positiveInteger")}


def as_table(result: Result) -> str:
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    if result.kind == "graph":
        return as_ntriples(result)
    head = list(result.vars)
    cells = [[display(t) for t in row] for row in result.rows]
    numeric = [bool(result.rows) and all(r[i] is None or (isinstance(r[i], Literal) and str(r[i].datatype) in _NUMERIC)
                                         for r in result.rows) for i in range(len(head))]
    widths = [max([text_width(h)] + [text_width(r[i]) for r in cells]) for i, h in enumerate(head)]
    out = ["  ".join(_pad(h, w, numeric[i]) for i, (h, w) in enumerate(zip(head, widths))).rstrip(),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(_pad(c, w, numeric[i]) for i, (c, w) in enumerate(zip(r, widths))).rstrip() for r in cells]
    return "\n".join(out) + "\n"


def _json_term(t) -> dict:
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    d = {"type": "literal", "value": str(t)}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype and str(t.datatype) != _XSD_STRING:
        d["datatype"] = str(t.datatype)
    return d


def as_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    if result.kind == "ask":
        doc = {"head": {}, "boolean": bool(result.boolean)}
    elif result.kind == "graph":
        raise QueryError("JSON results are for SELECT and ASK; a CONSTRUCT/DESCRIBE result is RDF (use --format table for N-Triples)")
    else:
        doc = {"head": {"vars": list(result.vars)},
               "results": {"bindings": [{v: _json_term(t) for v, t in zip(result.vars, row) if t is not None}
                                        for row in result.rows]}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _csv_value(t) -> str:
    if t is None:
        return ""
    if isinstance(t, BNode):
        return f"_:{t}"
    return str(t)


def as_csv(result: Result) -> str:
    """SPARQL 1.1 Query Results CSV Format (lexical values, CRLF line ends)."""
    if result.kind != "select":
        return as_table(result)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(result.vars)
    for row in result.rows:
        w.writerow([_csv_value(t) for t in row])
    return buf.getvalue()


_TSV_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def tsv_term(t) -> str:
    """An RDF term in the Turtle/SPARQL syntax that the TSV results format uses."""
    if t is None:
        return ""
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, BNode):
        return f"_:{t}"
    body = '"' + "".join(_TSV_ESC.get(c, c) for c in str(t)) + '"'
    if t.language:
        return f"{body}@{t.language}"
    dt = str(t.datatype) if t.datatype else _XSD_STRING
    if dt == str(XSD.integer) and re.fullmatch(r"[+-]?\d+", str(t)):
        return str(t)
    if dt == str(XSD.decimal) and re.fullmatch(r"[+-]?\d*\.\d+", str(t)):
        return str(t)
    if dt == _XSD_STRING:
        return body
    return f"{body}^^<{dt}>"


def as_tsv(result: Result) -> str:
    """SPARQL 1.1 Query Results TSV Format."""
    if result.kind != "select":
        return as_table(result)
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    lines += ["\t".join(tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def as_ntriples(result: Result) -> str:
    from .export.formats import nt_line
    return "".join(sorted(nt_line(s, p, o) for s, p, o in result.triples))


def format_result(result: Result, fmt: str = "table") -> str:
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    return {"table": as_table, "csv": as_csv, "tsv": as_tsv, "json": as_json}[fmt](result)


def parse_json_results(data: str | bytes) -> Result:
    """Read SPARQL 1.1 JSON results (e.g. from a server) into a Result."""
    doc = json.loads(data)
    if "boolean" in doc:
        return Result("ask", boolean=bool(doc["boolean"]), engine="json")
    names = doc["head"]["vars"]

    def term(d):
        if d is None:
            return None
        if d["type"] == "uri":
            return URIRef(d["value"])
        if d["type"] == "bnode":
            return BNode(d["value"])
        if "xml:lang" in d:
            return Literal(d["value"], lang=d["xml:lang"])
        if d.get("datatype") and d["datatype"] != _XSD_STRING:
            return Literal(d["value"], datatype=URIRef(d["datatype"]))
        return Literal(d["value"])

    rows = [tuple(term(b.get(v)) for v in names) for b in doc["results"]["bindings"]]
    return Result("select", names, rows, engine="json")


def describe(queries: Iterable[NamedQuery]) -> str:
    out = []
    for q in queries:
        out.append(f"{q.name}\n    {q.description}")
        for p in q.params.values():
            out.append(f"    --param {p.name}=…  ({p.kind}{', ' + p.doc if p.doc else ''})")
        for ex in q.examples:
            out.append(f"    e.g. kg query {q.name}{' ' + ex if ex else ''}")
    return "\n".join(out) + "\n"
