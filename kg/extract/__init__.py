"""Extractors: one module per thing extracted, all with `extract(ctx)`.

The registry order matters: each extractor reads the spans of those
before it (agencies need regions and passages, issues need agencies…).
"""
from __future__ import annotations

from ..model import Article, Extraction
from . import agencies, documents, measures, metrics, regions
from .context import Context

EXTRACTORS = (
    ("regions", regions.extract),
    ("agencies", agencies.extract),
    ("documents", documents.extract),
    ("measures", measures.extract),
    ("metrics", metrics.extract),
)

# Bump when a rule changes what is extracted: it keys the build cache.
EXTRACTOR_VERSION = "1"


def extract_article(article: Article) -> Extraction:
    return extract_context(article).out


def extract_context(article: Article) -> Context:
    """Like extract_article, but the whole context: candidates and all (training)."""
    ctx = Context(article)
    for _name, run in EXTRACTORS:
        run(ctx)
    return ctx
