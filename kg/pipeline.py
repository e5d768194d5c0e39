"""The stage list; `build()` is the public entry point.

    read -> segment -> extract -> resolve -> build graph -> export

Files are processed independently (in worker processes with jobs > 1) and
merged in file-name order, so the output does not depend on scheduling.
A file that cannot be used becomes a `Problem`, never an exception.
"""
from __future__ import annotations

import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from .extract import extract_article
from .model import Extraction, Problem
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

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if p.code.startswith("E")]

    def summary(self) -> str:
        return (f"{self.articles} articles built, {len(self.skipped)} files skipped, "
                f"{self.triples} triples, {self.entities} entities in {self.seconds:.2f}s")


def discover(inputs: Sequence[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Article files under `inputs`, sorted, symlink loops and unreadable folders reported."""
    files: list[Path] = []
    problems: list[Problem] = []
    seen_dirs: set[tuple[int, int]] = set()
    for inp in inputs:
        p = Path(inp)
        if p.is_file():
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


def extract_files(files: Sequence[Path], jobs: int = 1) -> Iterator[tuple[Extraction | None, list[Problem]]]:
    if jobs <= 1 or len(files) < 8:
        for f in files:
            yield process_file(f)
        return
    chunk = max(1, min(64, len(files) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(process_file, files, chunksize=chunk)


def build(inputs: Sequence[str | Path], out_dir: str | Path = "output", *, jobs: int = 1,
          html: bool = True, on_problem=None) -> BuildResult:
    from .export.turtle import atomic_write, write_turtle
    from .graph import build_graph

    t0 = time.perf_counter()
    out = Path(out_dir)
    result = BuildResult()
    files, problems = discover(inputs)
    result.files = len(files)
    for p in problems:
        _report(result, p, on_problem)
    extractions: list[Extraction] = []
    for ex, probs in extract_files(files, jobs):
        for p in probs:
            _report(result, p, on_problem)
        if ex is not None:
            extractions.append(ex)
    result.articles = len(extractions)
    graph = build_graph(extractions)
    result.triples = len(graph)
    result.entities = len({s for s in graph.subjects() if "/evidence/" not in str(s) and "/article/" not in str(s)})
    if result.articles:
        ttl = out / "graph.ttl"
        write_turtle(graph, ttl)
        result.outputs["turtle"] = str(ttl)
        if html:
            from .export.html import write_html
            page = out / "graph.html"
            write_html(graph, page)
            result.outputs["html"] = str(page)
    result.seconds = time.perf_counter() - t0
    report = {
        "files": result.files, "articles": result.articles, "triples": result.triples,
        "entities": result.entities, "seconds": round(result.seconds, 3),
        "skipped": [{"code": p.code, "file": p.source, "reason": p.message} for p in result.skipped],
        "warnings": [{"code": p.code, "file": p.source, "reason": p.message}
                     for p in result.problems if not p.code.startswith("E")],
        "outputs": result.outputs,
    }
    atomic_write(out / "report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return result


def _report(result: BuildResult, p: Problem, on_problem) -> None:
    result.problems.append(p)
    if on_problem:
        on_problem(p)
