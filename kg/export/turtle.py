"""Byte-stable Turtle, written by a small streaming writer.

rdflib's serializer spent most of a build's time and its output order is
not a documented promise; this writer sorts subjects, predicates and
objects, escapes every literal for strict parsers (Oxigraph, serdi, Jena),
and writes through a temporary file renamed into place (atomic).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

_LOCAL_OK = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t\b\f\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]')
# not allowed raw in an IRI (RFC 3987 ucschar, Turtle IRIREF): percent-encoded as UTF-8;
# a "%" that does not start a %XX escape becomes %25
_IRI_BAD = re.compile(
    '[\x00-\x20<>"{}|^`\\\\\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufff0-\uffff\U000e0000-\U000e0fff\U000f0000-\U0010ffff'
    + "".join(chr(p * 0x10000 + 0xFFFE) + chr(p * 0x10000 + 0xFFFF) for p in range(1, 15))
    + "]|%(?![0-9A-Fa-f]{2})")


def _pct(m: re.Match) -> str:
    c = m.group()
    data = b"\xef\xbf\xbd" if "\ud800" <= c <= "\udfff" else c.encode("utf-8")  # lone surrogate: U+FFFD
    return "".join("%%%02X" % b for b in data)


def _esc_char(m: re.Match) -> str:
    c = m.group()
    if c in _ESCAPES:
        return _ESCAPES[c]
    if "\ud800" <= c <= "\udfff":
        return "\\uFFFD"
    return "\\u%04X" % ord(c)


def literal_text(s: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(_esc_char, s) + '"'


def iri_text(iri: str) -> str:
    """<iri> for strict parsers: forbidden characters percent-encoded, and after
    the authority a second "#" and "[", "]" too."""
    s = _IRI_BAD.sub(_pct, iri)
    if "#" in s or "[" in s or "]" in s:
        auth = s.find("://")
        path = s.find("/", auth + 3) if auth >= 0 else s.find(":") + 1
        if path < 0:
            path = len(s)
        frag = s.find("#", path)
        rest = s[path:frag if frag >= 0 else len(s)].replace("[", "%5B").replace("]", "%5D")
        if frag >= 0:
            rest += "#" + s[frag + 1:].replace("#", "%23").replace("[", "%5B").replace("]", "%5D")
        s = s[:path] + rest
    return "<" + s + ">"


class TurtleWriter:
    def __init__(self, prefixes: Iterable[tuple[str, str]]):
        # longest namespace first so res: wins over a shorter overlapping one
        self.prefixes = sorted(((p, str(ns)) for p, ns in prefixes), key=lambda x: -len(x[1]))

    def term(self, t) -> str:
        if isinstance(t, URIRef):
            s = str(t)
            if t == RDF.type:
                return "a"
            for p, ns in self.prefixes:
                if s.startswith(ns) and _LOCAL_OK.match(s[len(ns):]) and "/" not in s[len(ns):]:
                    return f"{p}:{s[len(ns):]}"
            return iri_text(s)
        if isinstance(t, Literal):
            body = literal_text(str(t))
            if t.language:
                return f"{body}@{t.language}"
            if t.datatype and t.datatype != XSD.string:
                return body + "^^" + self.term(URIRef(t.datatype))
            return body
        if isinstance(t, BNode):
            return f"_:b{t}"
        raise TypeError(f"not an RDF term: {t!r}")

    def lines(self, triples: Iterable[tuple]) -> Iterable[str]:
        for p, ns in sorted(self.prefixes):
            yield f"@prefix {p}: <{ns}> .\n"
        yield "\n"
        by_subject: dict = {}
        for s, p, o in triples:
            by_subject.setdefault(s, {}).setdefault(p, []).append(o)
        for s in sorted(by_subject, key=str):
            preds = by_subject[s]
            order = sorted(preds, key=lambda p: (p != RDF.type, str(p)))
            parts = []
            for p in order:
                objs = sorted({self.term(o) for o in preds[p]})
                parts.append(f"    {self.term(p)} " + " ,\n        ".join(objs))
            yield f"{self.term(s)}\n" + " ;\n".join(parts) + " .\n\n"


def serialize(graph: Graph) -> str:
    w = TurtleWriter((p, ns) for p, ns in graph.namespaces() if p)
    return "".join(w.lines(graph))


from ..atomic import atomic_file, atomic_write, clean_stale_temps  # noqa: E402,F401  (their one home)


def write_turtle(graph: Graph, path: Path) -> None:
    atomic_write(path, serialize(graph))


# --------------------------------------------------------------------------
# plain-Python graphs (kg.graph.Triples): streamed, no rdflib terms


class PlainTurtleWriter(TurtleWriter):
    """The same bytes as TurtleWriter, for IRIs as str and literals as
    (lexical, language, datatype) tuples; renderings of IRIs are cached."""

    def __init__(self, prefixes: Iterable[tuple[str, str]]):
        super().__init__(prefixes)
        self._iris: dict[str, str] = {}
        self._rdf_type = str(RDF.type)
        self._xsd_string = str(XSD.string)

    def iri(self, s: str) -> str:
        r = self._iris.get(s)
        if r is None:
            r = self.term(URIRef(s))
            if len(self._iris) < 1_000_000:
                self._iris[s] = r
        return r

    def obj(self, o) -> str:
        if type(o) is str:
            return self.iri(o)
        lex, lang, dt = o
        body = literal_text(lex)
        if lang:
            return f"{body}@{lang}"
        if dt and dt != self._xsd_string:
            return body + "^^" + self.iri(dt)
        return body

    def block(self, s: str, preds: dict) -> tuple[str, int]:
        """The Turtle of one subject, and its number of triples."""
        t = self._rdf_type
        parts = []
        n = 0
        obj = self.obj
        for p in sorted(preds, key=lambda p: (p != t, p)):
            objs = sorted({obj(o) for o in preds[p]})
            n += len(preds[p])
            parts.append(f"    {self.iri(p)} " + " ,\n        ".join(objs))
        # a block's subject is rendered once per graph: not kept in the cache (evidence
        # IRIs never come back; a million of them filled it for nothing)
        subject = self._iris.get(s) or self.term(URIRef(s))
        return f"{subject}\n" + " ;\n".join(parts) + " .\n\n", n

    def header(self) -> str:
        return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(self.prefixes)) + "\n"


def write_triples(triples, path: Path, prefixes: Iterable[tuple[str, str]] | None = None) -> int:
    """Stream a kg.graph.Triples to `path` (atomically); returns the number of triples."""
    with atomic_file(Path(path)) as raw:
        n, _ = write_triples_to(triples, raw, prefixes)
    return n


def write_triples_to(triples, raw, prefixes: Iterable[tuple[str, str]] | None = None,
                     on_chunk=None, flush_at: int = 1 << 20, chunk_rendered: bool = True) -> tuple[int, str]:
    """Stream a kg.graph.Triples into the binary file `raw`; (number of triples, sha256 of the bytes).
    `on_chunk(bytes)` also gets the blocks written, in pieces of whole subject blocks without the
    prefixes (e.g. a store feeder); with `chunk_rendered=False` only those this writer rendered
    (the workers' rendered blocks went to the store while they arrived)."""
    import hashlib

    from ..graph import prefixes as graph_prefixes

    w = PlainTurtleWriter(prefixes if prefixes is not None else graph_prefixes())
    h = hashlib.sha256()
    n = 0
    header = w.header().encode()
    h.update(header)
    raw.write(header)

    def emit(parts: list, fed: list) -> None:
        data = "".join(parts).encode("utf-8", "backslashreplace")
        h.update(data)
        raw.write(data)
        if on_chunk is not None and fed:
            on_chunk(data if fed is parts else "".join(fed).encode("utf-8", "backslashreplace"))

    buf: list[str] = []
    fed: list[str] = buf if chunk_rendered else []
    size = 0
    for s, preds in triples.blocks():
        if type(preds) is tuple:           # a worker's rendered block
            text, k = preds
        else:
            text, k = w.block(s, preds)
            if fed is not buf:
                fed.append(text)
        n += k
        buf.append(text)
        size += len(text)
        if size > flush_at:
            emit(buf, fed)
            buf = []
            fed = buf if chunk_rendered else []
            size = 0
    emit(buf, fed)
    return n, h.hexdigest()
