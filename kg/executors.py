"""The extract stage's execution: read + extract files in worker processes
(or a Dask cluster) and hand the results back in file order.

Workers return compact, pickled extractions (no article text); the cache
(kg/cache.py) keys each file's payload by its path and bytes.  Whatever the
executor or the number of jobs, the results arrive in the order of `files`,
so the graph does not depend on scheduling.
"""
from __future__ import annotations

import os
import stat
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from .extract import extract_article
from .model import Article, Extraction, Problem
from .read import read_article


def process_file(path: Path) -> tuple[Extraction | None, list[Problem]]:
    """read + extract one file; every failure becomes a Problem."""
    try:
        article, problems = read_article(path)
        if article is None:
            return None, problems
        ex = extract_article(article)
        ex.problems.extend(problems)
        return ex, list(ex.problems)
    except Exception as exc:  # a bug must not end a 100k-file build
        return None, [Problem("E099", str(path), f"internal error while extracting: {type(exc).__name__}: {exc}")]


# --------------------------------------------------------------------------
# execution: workers read + extract and return compact, pickled extractions;
# the main process merges them in file order as they arrive.


def compact(ex: Extraction) -> Extraction:
    """The extraction without the article's text and sentences (all the merge needs)."""
    a = ex.article
    slim = Article(source=a.source, name=a.name, title=a.title, date=a.date, author=a.author,
                   text="", sentences=())
    return Extraction(article=slim, mentions=ex.mentions, facts=ex.facts, problems=ex.problems)


def _read_for_key(path: Path) -> bytes | None:
    """The bytes that key the cache, or None (not a regular file, too large,
    unreadable: read_article reports those, and they are never cached)."""
    from .errors import DEFAULT_MAX_BYTES
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > DEFAULT_MAX_BYTES:
            return None
        with open(path, "rb") as f:
            return f.read(DEFAULT_MAX_BYTES + 1)
    except OSError:
        return None


def work_chunk(paths: Sequence[Path], cache_dir: str | None = None, tag: str | None = None,
               ship: bool = True, render: bool = False) -> list[tuple[object, bool]]:
    """Worker task: [(payload, from_cache)] per path.  The payload is the
    pickled (compact Extraction, problems), or the pair itself when
    `ship` is false and nothing is cached (in-process, jobs=1).  With
    `render`: (digest, problems) -- the worker writes the evidence's Turtle
    and pre-aggregates the article's entities; the parent only merges."""
    from .cache import ExtractionCache, dumps, file_key, loads
    cache = ExtractionCache(cache_dir, tag) if cache_dir else None
    out: list[tuple[object, bool]] = []
    for path in paths:
        key = value = None
        hit = False
        if cache is not None:
            data = _read_for_key(path)
            if data is not None:
                key = file_key(path, data)
                payload = cache.get(key)
                if payload is not None:
                    if not render:
                        out.append((payload, True))
                        continue
                    try:
                        value, hit = loads(payload), True
                    except Exception:      # a damaged entry: extract again
                        value = None
        if value is None:
            ex, probs = process_file(path)
            value = (compact(ex) if ex is not None else None, probs)
            if key is not None or (ship and not render):
                payload = dumps(value)
                if key is not None and not any(p.code == "E099" for p in probs):
                    cache.put(key, payload)
                if not render:
                    out.append((payload if ship or key is not None else value, False))
                    continue
            elif not render:
                out.append((value, False))
                continue
        value = rendered(value)
        out.append((dumps(value) if ship else value, hit))
    return out


def rendered(value: tuple) -> tuple:
    """(compact Extraction, problems) -> (the article's digest for GraphBuilder.add_digest
    -- entities pre-aggregated, evidence rendered as Turtle -- or None, problems)."""
    from .graph import digest
    ex, probs = value
    return (digest(ex) if ex is not None else None), probs


def _ordered(submit, chunks: Iterable, window: int) -> Iterator:
    """Results of submit(chunk) in chunk order, at most `window` in flight."""
    pending: deque = deque()
    for c in chunks:
        pending.append(submit(c))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _chunks(files: Sequence[Path], size: int) -> Iterator[list[Path]]:
    for i in range(0, len(files), size):
        yield list(files[i:i + size])


def extract_files(files: Sequence[Path], jobs: int = 1, *, cache_dir: str | os.PathLike | None = None,
                  executor: str = "local", scheduler=None, render: bool = False) -> Iterator[tuple]:
    """(compact extraction or None, problems, from_cache) per file, in file order;
    with `render`, (digest or None, problems, from_cache): see kg.graph.digest.

    executor "local": jobs worker processes (in-process when jobs <= 1);
    "dask": a dask.distributed cluster (`scheduler`: an address, a Client,
    or None for a LocalCluster of `jobs` workers)."""
    from .cache import cache_tag, loads
    cdir = os.fspath(Path(cache_dir).resolve()) if cache_dir is not None else None
    tag = cache_tag() if cdir else None
    if executor == "dask":
        results = _dask_results(files, jobs, cdir, tag, scheduler, render)
    elif jobs <= 1 or len(files) < 8:
        results = (r for c in _chunks(files, 64) for r in work_chunk(c, cdir, tag, False, render))
    else:
        results = _local_results(files, jobs, cdir, tag, render)
    for path, (payload, hit) in zip(files, results):
        if isinstance(payload, bytes):
            try:
                value = loads(payload)
            except Exception:      # a damaged cache entry: extract again
                ex, probs = process_file(path)
                value, hit = ((compact(ex) if ex is not None else None), probs), False
                if render:
                    value = rendered(value)
        else:
            value = payload
        yield value[0], value[1], hit


def _local_results(files, jobs, cdir, tag, render=False) -> Iterator[tuple[object, bool]]:
    size = max(1, min(64, len(files) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for chunk in _ordered(lambda c: pool.submit(work_chunk, c, cdir, tag, True, render), _chunks(files, size), jobs * 4):
            yield from chunk


def _dask_results(files, jobs, cdir, tag, scheduler, render=False) -> Iterator[tuple[object, bool]]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError('--executor dask needs dask.distributed: pip install "dask[distributed]"') from exc
    own = []
    if scheduler is None:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
        own = [client, cluster]
    elif isinstance(scheduler, str):
        client = Client(scheduler)
        own = [client]
    else:
        client = scheduler          # a Client made by the caller
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
        size = max(1, min(256, len(files) // (workers * 4) or 1))
        submit = lambda c: client.submit(work_chunk, c, cdir, tag, True, render, pure=False)  # noqa: E731
        for chunk in _ordered(submit, _chunks([str(f) for f in files], size), workers * 3):
            yield from chunk
    finally:
        for x in own:
            x.close()
