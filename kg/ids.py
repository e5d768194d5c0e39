"""The one place IRIs are minted.

Every IRI is ASCII and a pure function of an entity's identity key, so the
same entity gets the same IRI in every run and from every article: graphs
built on different days merge.  Readable pinyin slugs are kept short and a
hash of the full key makes them unique (homophones, long names).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from pypinyin import lazy_pinyin

from .vocab import RES  # noqa: E402  (the base IRI is defined once, in kg/vocab.py)

BASE = str(RES)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
KIND_PATHS = {
    "Region": "region", "Agency": "agency", "Document": "document",
    "Measure": "measure", "Metric": "metric", "Article": "article",
    "Evidence": "evidence",
}


def digest(text: str, n: int = 12) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:n]


@lru_cache(maxsize=65536)
def slug(text: str, limit: int = 40) -> str:
    """Pinyin of the Chinese, ASCII letters/digits kept, everything else '-'."""
    text = unicodedata.normalize("NFKC", text).lower()
    ascii_text = "-".join(lazy_pinyin(text, errors=lambda s: s))
    out = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return out[:limit].rstrip("-")


@lru_cache(maxsize=65536)
def entity_iri(kind: str, key: str, label: str) -> str:
    """IRI of an entity of `kind` with identity `key`.

    Regions use their division code; others a pinyin slug of the label plus
    a hash of the key (the key, not the label, decides identity).
    """
    path = KIND_PATHS[kind]
    if kind == "Region" and key.isascii() and key.isdigit():  # not "１２" or "²"
        return f"{BASE}{path}/{key}"
    if kind == "Metric":
        return f"{BASE}{path}/{digest(key, 16)}"
    s = slug(label)
    return f"{BASE}{path}/{s + '-' if s else ''}{digest(kind + chr(31) + key)}"


def article_iri(name: str) -> str:
    return f"{BASE}article/{digest(name, 16)}"


def evidence_iri(*parts: object) -> str:
    return f"{BASE}evidence/{digest(chr(31).join(map(str, parts)), 20)}"
