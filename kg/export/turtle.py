"""Byte-stable Turtle, written by a small streaming writer.

rdflib's serializer spent most of a build's time and its output order is
not a documented promise; this writer sorts subjects, predicates and
objects, escapes every literal for strict parsers (Oxigraph, serdi, Jena),
and writes through a temporary file renamed into place (atomic).
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

_LOCAL_OK = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t\b\f\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]')
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\\ud800-\udfff]')


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
    return "<" + _IRI_BAD.sub(lambda m: "%%%02X" % ord(m.group()) if ord(m.group()) < 128 else "%EF%BF%BD", iri) + ">"


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


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write to a temp file in the same folder, fsync, rename over `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_turtle(graph: Graph, path: Path) -> None:
    atomic_write(path, serialize(graph))
