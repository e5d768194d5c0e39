"""`kg build --executor dask` on a LocalCluster writes the local build's bytes."""
from __future__ import annotations

from pathlib import Path

import pytest

distributed = pytest.importorskip("dask.distributed")

from kg.pipeline import build  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "policy"


def test_dask_local_cluster_identical(tmp_path):
    inputs = [SEEDS] + sorted(CORPUS.glob("*.md"))[:6] if CORPUS.exists() else [SEEDS]
    local = build(inputs, tmp_path / "local", html=False, cache=False, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = build(inputs, tmp_path / "dask", html=False, cache=False, progress=False,
                       executor="dask", scheduler=client)
        cached = build(inputs, tmp_path / "dask", html=False, progress=False, executor="dask", scheduler=client)
        again = build(inputs, tmp_path / "dask", html=False, progress=False, executor="dask", scheduler=client)
    assert remote.articles == local.articles > 0
    ttl = (tmp_path / "local" / "graph.ttl").read_bytes()
    assert (tmp_path / "dask" / "graph.ttl").read_bytes() == ttl
    assert cached.extracted == cached.files and again.cached == again.files
