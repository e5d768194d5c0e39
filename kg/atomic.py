"""Atomic file writing: the one home of the helpers every output goes through.

A file is written to a temp file in its folder (".NAME.XXXXXXXX.tmp"),
fsynced and renamed over NAME, so a reader sees the old file or the new
one, never half of one.  `clean_stale_temps` removes what a killed writer
left behind.
"""
from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

_UMASK = os.umask(0o022)
os.umask(_UMASK)
# the names atomic_write gives its temp files: "." + name + "." + 8 random chars + ".tmp"
_TEMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


@contextlib.contextmanager
def atomic_file(path: Path):
    """A binary file in `path`'s folder that replaces `path` only once complete.

    Written to a temp file, fsynced, renamed over `path`; on any error the
    temp file is removed and `path` is untouched.  The file gets the usual
    mode (0666 minus the umask), not mkstemp's 0600.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), 0o666 & ~_UMASK)
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write `data` atomically (see atomic_file).

    A str is written as UTF-8; a lone surrogate (an undecodable file name,
    os.fsdecode) becomes a ``\\udcff`` escape, which JSON reads back exactly.
    """
    with atomic_file(path) as f:
        f.write(data.encode("utf-8", "backslashreplace") if isinstance(data, str) else data)


def clean_stale_temps(folder: Path) -> list[Path]:
    """Remove temp files that a killed atomic_write left in `folder` (the
    folder's outputs themselves are never touched).  Two builds must not
    share an output folder at the same time."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for e in entries:
        if _TEMP_NAME.match(e.name) and e.is_file(follow_symlinks=False):
            try:
                os.unlink(e.path)
                removed.append(Path(e.path))
            except OSError:
                pass
    return removed
