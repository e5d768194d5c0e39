"""The stage list; `build()` is the public entry point.

    read -> segment -> extract -> resolve -> build graph -> export

Files are processed independently (in worker processes with jobs > 1) and
merged in file-name order, so the output does not depend on scheduling.
A file that cannot be used becomes a `Problem`, never an exception.
"""
from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from .extract import extract_article
from .model import Article, Extraction, Problem
from .read import read_article

ARTICLE_SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm"}


@dataclass
class BuildResult:
    files: int = 0
    articles: int = 0
    problems: list[Problem] = field(default_factory=list)
    triples: int = 0
    entities: int = 0
    seconds: float = 0.0
    outputs: dict[str, str] = field(default_factory=dict)
    extracted: int = 0      # files read and extracted in this build
    cached: int = 0         # files whose extraction came from the cache
    timings: dict[str, float] = field(default_factory=dict)   # seconds per stage (main process)

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if p.code.startswith("E")]

    def summary(self) -> str:
        return (f"{self.articles} articles built, {len(self.skipped)} files skipped, "
                f"{self.triples} triples, {self.entities} entities in {self.seconds:.2f}s"
                + (f" ({self.cached} from cache)" if self.cached else ""))


def discover(inputs: Sequence[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Article files under `inputs`, sorted, symlink loops and unreadable folders reported."""
    files: list[Path] = []
    problems: list[Problem] = []
    seen_dirs: set[tuple[int, int]] = set()
    for inp in inputs:
        p = Path(inp)
        if p.is_file() or (p.exists() and not p.is_dir()):  # a FIFO, a device: read_article says no
            files.append(p)
            continue
        if not p.exists():
            problems.append(Problem("E001", str(p), "no such file or folder"))
            continue
        for root, dirs, names in os.walk(p, followlinks=True, onerror=lambda e: problems.append(
                Problem("E001", str(e.filename), f"cannot read folder ({e.strerror})"))):
            try:
                st = os.stat(root)
            except OSError:
                continue
            if (st.st_dev, st.st_ino) in seen_dirs:
                problems.append(Problem("E004", root, "symbolic link loop, folder already visited"))
                dirs[:] = []
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for n in sorted(names):
                if n.startswith("."):
                    continue
                f = Path(root) / n
                if f.suffix.lower() in ARTICLE_SUFFIXES or not f.suffix:
                    files.append(f)
    return files, problems


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
               ship: bool = True) -> list[tuple[object, bool]]:
    """Worker task: [(payload, from_cache)] per path.  The payload is the
    pickled (compact Extraction, problems), or the pair itself when
    `ship` is false and nothing is cached (in-process, jobs=1)."""
    from .cache import ExtractionCache, dumps, file_key
    cache = ExtractionCache(cache_dir, tag) if cache_dir else None
    out: list[tuple[object, bool]] = []
    for path in paths:
        key = None
        if cache is not None:
            data = _read_for_key(path)
            if data is not None:
                key = file_key(path, data)
                payload = cache.get(key)
                if payload is not None:
                    out.append((payload, True))
                    continue
        ex, probs = process_file(path)
        value = (compact(ex) if ex is not None else None, probs)
        if key is None and not ship:
            out.append((value, False))
            continue
        payload = dumps(value)
        if key is not None and not any(p.code == "E099" for p in probs):
            cache.put(key, payload)
        out.append((payload, False))
    return out


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
                  executor: str = "local", scheduler=None) -> Iterator[tuple[Extraction | None, list[Problem], bool]]:
    """(compact extraction or None, problems, from_cache) per file, in file order.

    executor "local": jobs worker processes (in-process when jobs <= 1);
    "dask": a dask.distributed cluster (`scheduler`: an address, a Client,
    or None for a LocalCluster of `jobs` workers)."""
    from .cache import cache_tag, loads
    cdir = os.fspath(Path(cache_dir).resolve()) if cache_dir is not None else None
    tag = cache_tag() if cdir else None
    if executor == "dask":
        results = _dask_results(files, jobs, cdir, tag, scheduler)
    elif jobs <= 1 or len(files) < 8:
        results = (r for c in _chunks(files, 64) for r in work_chunk(c, cdir, tag, ship=False))
    else:
        results = _local_results(files, jobs, cdir, tag)
    for path, (payload, hit) in zip(files, results):
        if isinstance(payload, bytes):
            try:
                ex, probs = loads(payload)
            except Exception:      # a damaged cache entry: extract again
                ex, probs = process_file(path)
                ex, hit = (compact(ex) if ex is not None else None), False
        else:
            ex, probs = payload
        yield ex, probs, hit


def _local_results(files, jobs, cdir, tag) -> Iterator[tuple[object, bool]]:
    size = max(1, min(64, len(files) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for chunk in _ordered(lambda c: pool.submit(work_chunk, c, cdir, tag), _chunks(files, size), jobs * 4):
            yield from chunk


def _dask_results(files, jobs, cdir, tag, scheduler) -> Iterator[tuple[object, bool]]:
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
        submit = lambda c: client.submit(work_chunk, c, cdir, tag, True, pure=False)  # noqa: E731
        for chunk in _ordered(submit, _chunks([str(f) for f in files], size), workers * 3):
            yield from chunk
    finally:
        for x in own:
            x.close()


def build(inputs: Sequence[str | Path], out_dir: str | Path = "output", *, jobs: int = 1,
          html: bool = True, on_problem=None, cache: bool = True, executor: str = "local",
          scheduler=None, progress: bool | None = None) -> BuildResult:
    """Build `inputs` into `out_dir`.

    cache: reuse each unchanged file's extraction from out_dir/.cache/.
    executor: "local" (jobs processes) or "dask" (scheduler: address, Client or None).
    progress: a progress bar on stderr; None = only when stderr is a terminal.
    """
    from .export.turtle import atomic_write, clean_stale_temps, write_triples
    from .graph import GraphBuilder

    t0 = time.perf_counter()
    out = Path(out_dir)
    clean_stale_temps(out)  # left by a killed build; outputs are only ever renamed into place
    for stale in out.glob(".kg-evidence-*"):   # spill folders of a killed build
        shutil.rmtree(stale, ignore_errors=True)
    result = BuildResult()
    files, problems = discover(inputs)
    result.files = len(files)
    for p in problems:
        _report(result, p, on_problem)
    cache_dir = None
    if cache:
        from .cache import CACHE_DIR, ExtractionCache
        cache_dir = out / CACHE_DIR
        ExtractionCache(cache_dir).prune_other_tags()
    t1 = time.perf_counter()
    result.timings["discover"] = t1 - t0

    builder = GraphBuilder(spill_dir=out)
    bar = _progress_bar(len(files), progress)
    merge = 0.0
    try:
        for ex, probs, hit in extract_files(files, jobs, cache_dir=cache_dir, executor=executor,
                                            scheduler=scheduler):
            tm = time.perf_counter()
            for p in probs:
                _report(result, p, on_problem)
            if hit:
                result.cached += 1
            else:
                result.extracted += 1
            if ex is not None:
                builder.add(ex)
            merge += time.perf_counter() - tm
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    t2 = time.perf_counter()
    result.timings["extract"] = t2 - t1 - merge
    result.timings["merge"] = merge
    result.articles = builder.count
    triples = builder.finish()
    try:
        result.entities = triples.entities
        t3 = time.perf_counter()
        result.timings["finish"] = t3 - t2
        if result.articles:
            ttl = out / "graph.ttl"
            result.triples = write_triples(triples, ttl)
            result.outputs["turtle"] = str(ttl)
            t4 = time.perf_counter()
            result.timings["turtle"] = t4 - t3
            # The store load (pyoxigraph, releases the GIL) runs in a thread while the
            # viewer is rendered: the two stages overlap on a 2-core machine.
            from concurrent.futures import ThreadPoolExecutor
            from .store import write_store  # on-disk pyoxigraph store beside the Turtle, swapped in atomically

            def store_job():
                path = write_store(ttl)
                return path, time.perf_counter() - t4

            with ThreadPoolExecutor(max_workers=1) as pool:
                pending = pool.submit(store_job)
                if html:
                    from .export.html import PlainView, write_html
                    page = out / "graph.html"
                    write_html(PlainView(triples), page)
                    result.outputs["html"] = str(page)
                    result.timings["html"] = time.perf_counter() - t4
                store_dir, result.timings["store"] = pending.result()
            result.outputs["store"] = str(store_dir)
    finally:
        triples.close()
    result.seconds = time.perf_counter() - t0
    report = {
        "files": result.files, "articles": result.articles, "triples": result.triples,
        "entities": result.entities, "seconds": round(result.seconds, 3),
        "extracted": result.extracted, "cached": result.cached,
        "skipped": [{"code": p.code, "file": p.source, "reason": p.message} for p in result.skipped],
        "warnings": [{"code": p.code, "file": p.source, "reason": p.message}
                     for p in result.problems if not p.code.startswith("E")],
        "outputs": result.outputs,
    }
    atomic_write(out / "report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return result


def _progress_bar(total: int, progress: bool | None):
    """tqdm on stderr with rate and ETA; by default only when stderr is a terminal."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress or total == 0:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover
        return None
    return tqdm(total=total, unit="art", file=sys.stderr, dynamic_ncols=True, mininterval=0.5,
                bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}]")


def _report(result: BuildResult, p: Problem, on_problem) -> None:
    result.problems.append(p)
    if on_problem:
        on_problem(p)
