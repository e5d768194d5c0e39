"""policy-kg: deterministic, explainable knowledge graphs from Chinese policy news."""
from __future__ import annotations

__version__ = "0.1.0"


def build(*args, **kwargs):
    """Build a graph from article files or folders; see kg.pipeline.build."""
    from .pipeline import build as _build
    return _build(*args, **kwargs)


def ontology_path():
    from .vocab import ontology_path as _p
    return _p()
