"""The build cache: each article's extraction, keyed by what decides it.

    output/.cache/<tag>/<k[:2]>/<k>.pkl

`tag` hashes EXTRACTOR_VERSION (kg/extract/__init__.py), the source of the
reading and extraction modules, the gazetteer data files and the Python version, so a rule change, a gazetteer edit or a new
interpreter starts a fresh cache (older tags are removed).  `k` is the
sha256 of the file's path and bytes: an unchanged file is never read twice,
a changed one is extracted again.  Entries are pickles of
(compact Extraction, problems), written atomically; a damaged entry is a
miss.  A build that changes one article of 10k extracts one article and
merges the rest from here.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

CACHE_DIR = ".cache"
PROTOCOL = pickle.HIGHEST_PROTOCOL


@lru_cache(maxsize=None)
def cache_tag() -> str:
    from .extract import EXTRACTOR_VERSION
    h = hashlib.sha256()
    h.update(f"kg-cache-1\0{EXTRACTOR_VERSION}\0{sys.version_info[:2]}\0{PROTOCOL}\0".encode())
    # the code that decides an extraction: a rule edited without bumping
    # EXTRACTOR_VERSION must still invalidate the cache
    pkg = Path(__file__).parent
    for f in sorted([*pkg.glob("extract/*.py"), *pkg.glob("gazetteer/*.py"),
                     *(pkg / n for n in ("read.py", "text.py", "numbers.py", "resolve.py", "model.py", "errors.py"))]):
        if f.is_file():
            h.update(f.name.encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    for data in (pkg / "gazetteer" / "data", pkg / "extract" / "data"):   # gazetteers, lexicon, model
        for f in sorted(data.rglob("*")):
            if f.is_file():
                h.update(f.relative_to(pkg).as_posix().encode() + b"\0")
                h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()[:16]


def file_key(path: str | os.PathLike, data: bytes) -> str:
    h = hashlib.sha256(os.fsencode(path))
    h.update(b"\0")
    h.update(data)
    return h.hexdigest()


class ExtractionCache:
    """Payloads (pickled bytes) by key, in one folder per cache tag."""

    def __init__(self, root: str | os.PathLike, tag: str | None = None) -> None:
        self.root = Path(root)
        self.tag = tag or cache_tag()
        self.dir = self.root / self.tag

    def prune_other_tags(self) -> None:
        """Remove the entries of other extractor versions (call once per build)."""
        try:
            for d in self.root.iterdir():
                if d.is_dir() and d.name != self.tag and not d.name.startswith("."):
                    shutil.rmtree(d, ignore_errors=True)
        except OSError:
            pass

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.pkl"

    def get(self, key: str) -> bytes | None:
        try:
            with open(self._path(key), "rb") as f:
                return f.read()
        except OSError:
            return None

    def put(self, key: str, payload: bytes) -> None:
        p = self._path(key)
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=p.parent)
            with os.fdopen(fd, "wb") as f:
                f.write(payload)
            os.replace(tmp, p)
        except OSError:
            pass   # a cache that cannot be written only makes the next build slower


def loads(payload: bytes):
    return pickle.loads(payload)


def dumps(value) -> bytes:
    return pickle.dumps(value, PROTOCOL)
