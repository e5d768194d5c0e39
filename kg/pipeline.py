"""`build()`: the public entry point, as the list of its stages.

    prepare -> discover -> extract (read, segment, extract, resolve: in
    workers) -> graph (merge) -> write Turtle -> store -> view -> report -> commit

Files are processed independently (kg/executors.py: worker processes or
Dask) and merged in file-name order, so the output does not depend on
scheduling.  A file that cannot be used becomes a `Problem`, never an
exception.  The outputs of one build are staged beside the old ones and
replaced together at the end (kg/outputs.py): a build that fails, finds
nothing, fails --strict or is interrupted leaves the previous outputs as
they were.
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .errors import is_error, is_note
from .executors import compact, extract_files, process_file, work_chunk  # noqa: F401  (public names)
from .inputs import ARTICLE_SUFFIXES, discover  # noqa: F401
from .model import Problem
from .outputs import OutputError, Staging, prepare  # noqa: F401


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
    build_id: str = ""
    sha256: str = ""        # of graph.ttl
    failed: str | None = None   # why nothing was written ("nothing built", "strict"), else None

    @property
    def skipped(self) -> list[Problem]:
        """Files that were articles but could not be used (E codes)."""
        return [p for p in self.problems if is_error(p)]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not is_error(p) and not is_note(p)]

    @property
    def notes(self) -> list[Problem]:
        """Files that are plainly no article, links not followed (N codes): nothing lost."""
        return [p for p in self.problems if is_note(p)]

    @property
    def strict_problems(self) -> list[Problem]:
        """What fails a --strict build: every problem but the notes."""
        return [p for p in self.problems if not is_note(p)]

    def summary(self) -> str:
        notes = len(self.notes)
        counts = (f"{len(self.skipped)} files skipped, "
                  + (f"{notes} note{'s' if notes != 1 else ''}, " if notes else ""))
        cache = f" ({self.cached} from cache)" if self.cached else ""
        if self.failed:
            return (f"{self.articles} articles read, {counts}nothing written ({self.failed}) "
                    f"in {self.seconds:.2f}s{cache}")
        return (f"{self.articles} articles built, {counts}"
                f"{self.triples} triples, {self.entities} entities in {self.seconds:.2f}s{cache}")


def build(inputs: str | Path | Sequence[str | Path], out_dir: str | Path = "output", *, jobs: int = 1,
          html: bool = True, store: bool = True, strict: bool = False, on_problem=None,
          cache: bool = True, executor: str = "local", scheduler=None,
          progress: bool | None = None) -> BuildResult:
    """Build `inputs` (one path, or a list of paths) into `out_dir`.

    html / store: write graph.html / store/ (an output not written is removed).
    strict: any problem but a note (N code) fails the build; nothing is replaced.
    cache: reuse each unchanged file's extraction from out_dir/.cache/.
    executor: "local" (jobs processes) or "dask" (scheduler: address, Client or None).
    progress: a progress bar on stderr; None = only when stderr is a terminal.
    Raises OutputError (before anything is read) when out_dir cannot be written.
    """
    clock = _Clock()
    out = prepare(out_dir)
    staging = Staging(out)
    result = BuildResult(build_id=staging.build_id)
    report = _Reporter(result, on_problem)
    feeder = None
    try:
        files = _discover(inputs, out, result, report)
        clock.lap(result, "discover")
        # workers render the evidence's Turtle themselves unless the viewer needs the
        # evidence as data, or two files share a name (their evidence nodes would merge);
        # rendered blocks go to the store as they arrive
        render = not html and len({f.name for f in files}) == len(files)
        if store:
            feeder = _store_feeder(staging)
        builder = _extract(files, out, result, report, jobs=jobs, cache=cache, executor=executor,
                           scheduler=scheduler, progress=progress, clock=clock, render=render,
                           feeder=feeder if render else None)
        try:
            if result.articles == 0:
                result.failed = "nothing built"
            elif strict and result.strict_problems:
                result.failed = "strict"
            else:
                _write_outputs(builder, staging, result, html=html, feeder=feeder, rendered_fed=render,
                               clock=clock)
                feeder = None
                result.seconds = clock.total()
                _write_report(staging, result)
                staging.commit()
        finally:
            builder.evidence.close()
    finally:
        if feeder is not None:
            feeder.abort()
        staging.discard()       # nothing left to discard after a commit
    if result.failed:
        result.outputs = {}
    result.seconds = clock.total()
    return result


def _store_feeder(staging: Staging):
    from .export.turtle import PlainTurtleWriter
    from .graph import prefixes
    from .store import StoreFeeder
    return StoreFeeder(staging.dir_path("store"), PlainTurtleWriter(prefixes()).header().encode())


# --------------------------------------------------------------------------
# the stages


def _discover(inputs, out: Path, result: BuildResult, report) -> list[Path]:
    files, problems = discover(inputs, exclude=[out])
    result.files = len(files)
    for p in problems:
        report(p)
    return files


def _extract(files, out: Path, result: BuildResult, report, *, jobs, cache, executor, scheduler,
             progress, clock, render=False, feeder=None):
    """read -> segment -> extract -> resolve (workers), merged into a GraphBuilder.
    render: the workers also write the evidence blocks' Turtle (kg.graph.render_evidence)."""
    from .graph import GraphBuilder

    cache_dir = None
    if cache:
        from .cache import CACHE_DIR, ExtractionCache
        cache_dir = out / CACHE_DIR
        ExtractionCache(cache_dir).prune_other_tags()
    builder = GraphBuilder(spill_dir=out)
    bar = _progress_bar(len(files), progress)
    merge = 0.0
    t = time.perf_counter()
    try:
        for ex, probs, hit in extract_files(files, jobs, cache_dir=cache_dir, executor=executor,
                                            scheduler=scheduler, render=render):
            tm = time.perf_counter()
            for p in probs:
                report(p)
            if hit:
                result.cached += 1
            else:
                result.extracted += 1
            if ex is None:
                pass
            elif render:          # ex is the article's digest
                builder.add_digest(ex)
                if feeder is not None:
                    feeder.feed("".join(text for _, text, _ in ex[-1]).encode("utf-8", "backslashreplace"))
            else:
                builder.add(ex)
            merge += time.perf_counter() - tm
            if bar is not None:
                bar.update(1)
    except BaseException:
        builder.evidence.close()
        raise
    finally:
        if bar is not None:
            bar.close()
    result.timings["extract"] = time.perf_counter() - t - merge
    result.timings["merge"] = merge
    clock.reset()
    result.articles = builder.count
    return builder


def _write_outputs(builder, staging: Staging, result: BuildResult, *, html: bool, feeder, rendered_fed: bool,
                   clock) -> None:
    """graph -> Turtle (feeding the store the blocks it has not had yet) -> (store optimize || viewer), staged."""
    from .export.turtle import write_triples_to

    triples = builder.finish()
    try:
        result.entities = triples.entities
        clock.lap(result, "finish")
        with staging.file("graph.ttl") as f:
            # with worker-rendered evidence (already loaded), the store gets the other blocks as
            # they are written; otherwise it loads the finished file while the viewer renders
            result.triples, result.sha256 = write_triples_to(
                triples, f, on_chunk=feeder.feed if feeder is not None and rendered_fed else None,
                chunk_rendered=False)
        ttl = staging.staged["graph.ttl"]
        clock.lap(result, "turtle")
        out = staging.folder
        result.outputs["turtle"] = str(out / "graph.ttl")
        stamp = {"build": result.build_id, "sha256": result.sha256}
        # the store's last loads and its compaction (pyoxigraph, releases the GIL) run in a
        # thread while the viewer is rendered: the two overlap on a 2-core machine
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = None
            if feeder is not None:
                t = time.perf_counter()
                pending = pool.submit(lambda: (feeder.finish(ttl, source="graph.ttl", stamp=stamp,
                                                             load=not rendered_fed), time.perf_counter() - t))
            if html:
                from .export.html import PlainView, write_html
                t = time.perf_counter()
                page = staging.file_path("graph.html")
                write_html(PlainView(triples), page)
                _stamp_html(page, stamp)
                result.outputs["html"] = str(out / "graph.html")
                result.timings["html"] = time.perf_counter() - t
            if pending is not None:
                _, result.timings["store"] = pending.result()
                feeder = None
                result.outputs["store"] = str(out / "store")
        clock.reset()
    finally:
        if feeder is not None:
            feeder.abort()
        triples.close()


def _write_report(staging: Staging, result: BuildResult) -> None:
    def rows(problems):
        return [{"code": p.code, "file": p.source, "reason": p.message} for p in problems]

    report = {
        "build": result.build_id, "graph_sha256": result.sha256,
        "files": result.files, "articles": result.articles, "triples": result.triples,
        "entities": result.entities, "seconds": round(result.seconds, 3),
        "extracted": result.extracted, "cached": result.cached,
        "skipped": rows(result.skipped), "warnings": rows(result.warnings), "notes": rows(result.notes),
        "outputs": result.outputs,
    }
    text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    with staging.file("report.json") as f:
        f.write(text.encode("utf-8", "backslashreplace"))


def _stamp_html(page: Path, stamp: dict) -> None:
    """Name the graph in the page: <meta name="kg-graph" content="sha256=…"> after <head>.
    (The graph's hash, not the build id: the same graph gives the same page bytes.)"""
    data = page.read_bytes()
    meta = f'\n<meta name="kg-graph" content="sha256={stamp["sha256"]}">'.encode()
    i = data.find(b"<head>")
    if i >= 0:
        data = data[:i + 6] + meta + data[i + 6:]
        with open(page, "wb") as f:
            f.write(data)


# --------------------------------------------------------------------------
# small helpers


class _Clock:
    def __init__(self) -> None:
        self.t0 = self.t = time.perf_counter()

    def lap(self, result: BuildResult, name: str) -> None:
        now = time.perf_counter()
        result.timings[name] = now - self.t
        self.t = now

    def reset(self) -> None:
        self.t = time.perf_counter()

    def total(self) -> float:
        return time.perf_counter() - self.t0


class _Reporter:
    def __init__(self, result: BuildResult, on_problem) -> None:
        self.result, self.on_problem = result, on_problem

    def __call__(self, p: Problem) -> None:
        self.result.problems.append(p)
        if self.on_problem:
            self.on_problem(p)


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
