"""The read stage's first step: which files a build reads.

`discover(inputs)` takes one path (str or PathLike) or a list of them --
never a string's characters -- and returns the article files under them,
sorted, with the problems met on the way.  The walk follows symbolic links
only while they stay inside the folders given, and never enters /proc,
/dev or /sys (a file there can block a reader forever).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from .errors import problem
from .model import Problem

ARTICLE_SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm"}
SYSTEM_DIRS = ("/proc", "/dev", "/sys")

Inputs = "str | os.PathLike | Iterable[str | os.PathLike]"


def as_paths(inputs) -> list[Path]:
    """One path or a list of paths -> list of Path (a str is ONE path)."""
    if isinstance(inputs, (str, bytes, os.PathLike)):
        inputs = [inputs]
    paths = []
    for i in inputs:
        if not isinstance(i, (str, bytes, os.PathLike)):
            raise TypeError(f"inputs: expected a path or a list of paths, got {type(i).__name__}: {i!r}")
        paths.append(Path(os.fsdecode(i)))
    return paths


def is_system(real: str) -> bool:
    """True for a resolved path in /proc, /dev or /sys."""
    return any(real == d or real.startswith(d + "/") for d in SYSTEM_DIRS)


def _inside(real: str, roots: Iterable[str]) -> bool:
    return any(real == r or real.startswith(r.rstrip("/") + "/") for r in roots)


def discover(inputs, exclude: Iterable[str | os.PathLike] = ()) -> tuple[list[Path], list[Problem]]:
    """Article files under `inputs` (a path or a list of paths), sorted per
    input; symbolic link loops, links leading outside, unreadable folders
    reported.  Folders in `exclude` (the build's output folder) are not walked."""
    paths = as_paths(inputs)
    skip = {os.path.realpath(x) for x in exclude}
    files: list[Path] = []
    problems: list[Problem] = []
    roots = [os.path.realpath(p) for p in paths if p.is_dir()]
    seen_dirs: set[tuple[int, int]] = set()
    for p in paths:
        real = os.path.realpath(p)
        if is_system(real):
            problems.append(problem("E005", str(p)))
            continue
        if p.is_file() or (p.exists() and not p.is_dir()):  # a FIFO, a device: read_article says no
            files.append(p)
            continue
        if not p.exists():
            problems.append(Problem("E001", str(p), "no such file or folder"))
            continue

        def onerror(e: OSError) -> None:
            problems.append(Problem("E001", str(e.filename), f"cannot read folder ({e.strerror})"))

        for root, dirs, names in os.walk(p, followlinks=True, onerror=onerror):
            try:
                st = os.stat(root)
            except OSError:
                dirs[:] = []
                continue
            if (st.st_dev, st.st_ino) in seen_dirs:
                problems.append(Problem("E004", root, "symbolic link loop, folder already visited"))
                dirs[:] = []
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            keep = []
            for d in sorted(dirs):
                if d.startswith("."):
                    continue
                sub = os.path.join(root, d)
                if os.path.realpath(sub) in skip:
                    continue          # the output folder inside an input folder: not articles
                if is_system(os.path.realpath(sub)) or (os.path.islink(sub) and not _inside(os.path.realpath(sub), roots)):
                    problems.append(problem("N002", sub, target=os.path.realpath(sub)))
                    continue
                keep.append(d)
            dirs[:] = keep
            for n in sorted(names):
                if n.startswith("."):
                    continue
                f = os.path.join(root, n)
                if Path(n).suffix.lower() not in ARTICLE_SUFFIXES and Path(n).suffix:
                    continue
                if os.path.islink(f) or is_system(os.path.realpath(root)):
                    target = os.path.realpath(f)
                    if is_system(target) or not _inside(target, roots):
                        problems.append(problem("N002", f, target=target))
                        continue
                files.append(Path(f))
    return files, problems
