"""One build's outputs, replaced together.

A build writes graph.ttl, store/, graph.html and report.json into its
output folder.  They belong together, so they are replaced together:

* `prepare()` checks, before any file is read, that the folder can be
  written (the message names the folder), and removes what a killed build
  left (temp files, spill folders, half-built stores);
* each new output is written complete beside the old one under a temp name
  (".graph.ttl.XXXXXXXX.tmp", ".store.tmp-XXXXXXXX", …) and
  nothing is renamed while the build runs: a build that fails, is
  interrupted (Ctrl-C) or finds nothing to build leaves the previous set
  untouched;
* `Staging.commit()` renames them all into place, removes the outputs this
  build does not write (a graph.html left from an earlier build with the
  viewer), and renames report.json last.  Ctrl-C is held back for the few
  renames of the commit, so they happen all or (if the process is killed)
  as a prefix, ending with the report.

Every output names the graph it belongs to: report.json holds the build id
and the sha256 of graph.ttl, the store's stamp (store/kg-store.json) the
same two, the page <meta name="kg-graph" content="sha256=…">.  graph.ttl
itself stays byte-stable (the same input gives the same bytes), so its
identity is its sha256; the page names only the graph, so the same graph
gives the same page.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

from .atomic import _UMASK, clean_stale_temps

#: what a build may write into its output folder (in commit order; the report last)
OUTPUTS = ("graph.ttl", "store", "graph.html", "report.json")


class OutputError(OSError):
    """The output folder cannot be used (one line, names the folder)."""


def new_build_id() -> str:
    """A build id: UTC time and 8 random hex digits, e.g. 20261206T161440Z-3f9a1c2b."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(4)


def prepare(folder: str | os.PathLike) -> Path:
    """Create `folder` if needed and check that files can be written in it;
    remove what a killed build left there.  Raises OutputError naming the folder."""
    out = Path(folder)
    try:
        if out.exists() and not out.is_dir():
            raise OutputError(f"cannot write to the output folder {out}: it is not a folder")
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".kg-probe-", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OutputError:
        raise
    except OSError as e:
        raise OutputError(f"cannot write to the output folder {out}: {e.strerror or type(e).__name__}") from None
    clean_stale_temps(out)
    patterns = [".kg-evidence-*", ".kg-probe-*"] + [f".{n}.{k}-*" for n in OUTPUTS for k in ("tmp", "old")]
    for pattern in patterns:
        for stale in out.glob(pattern):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    stale.unlink()
    return out


@contextlib.contextmanager
def held_interrupts():
    """SIGINT/SIGTERM wait until the block ends (main thread only), then act."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    got: list[int] = []
    old = {s: signal.signal(s, lambda n, f: got.append(n)) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        if got:
            if got[0] == signal.SIGINT:
                raise KeyboardInterrupt
            os.kill(os.getpid(), got[0])


class Staging:
    """The new outputs of one build, written beside the old ones, renamed at commit."""

    def __init__(self, folder: str | os.PathLike, build_id: str | None = None) -> None:
        self.folder = Path(folder)
        self.build_id = build_id or new_build_id()
        self.staged: dict[str, Path] = {}

    def file_path(self, name: str) -> Path:
        """A fresh temp path for output `name` (".name.XXXXXXXX.tmp"); the caller writes it."""
        self._forget(name)
        with held_interrupts():      # a Ctrl-C here must not leave an unregistered temp file
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
            self.staged[name] = Path(tmp)
        os.fchmod(fd, 0o666 & ~_UMASK)
        os.close(fd)
        return Path(tmp)

    @contextlib.contextmanager
    def file(self, name: str):
        """A binary file that becomes output `name` at commit (fsynced when the block ends)."""
        tmp = self.file_path(name)
        try:
            with open(tmp, "wb") as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
        except BaseException:
            self._forget(name)
            raise

    def dir_path(self, name: str) -> Path:
        """A fresh empty temp folder for output `name` (".name.tmp-XXXXXXXX")."""
        self._forget(name)
        with held_interrupts():
            tmp = Path(tempfile.mkdtemp(prefix=f".{name}.tmp-", dir=self.folder))
            self.staged[name] = tmp
        os.chmod(tmp, 0o777 & ~_UMASK)
        return tmp

    def _forget(self, name: str) -> None:
        old = self.staged.pop(name, None)
        if old is not None:
            _remove(old)

    def commit(self) -> None:
        """Rename every staged output into place, remove the outputs of OUTPUTS
        this build did not write, the report last."""
        order = [n for n in OUTPUTS if n != "report.json"] + \
                sorted(set(self.staged) - set(OUTPUTS)) + ["report.json"]
        trash: list[Path] = []
        with held_interrupts():
            for name in order:
                dest = self.folder / name
                tmp = self.staged.pop(name, None)
                if tmp is None:
                    if name in OUTPUTS and (dest.exists() or dest.is_symlink()):
                        trash.append(_set_aside(dest))      # a stale output of an earlier build
                    continue
                if tmp.is_dir() and dest.is_dir() and not dest.is_symlink():
                    trash.append(_set_aside(dest))
                os.replace(tmp, dest)
            _fsync_dir(self.folder)
        for t in trash:
            _remove(t)

    def discard(self) -> None:
        """Remove every staged output; the previous outputs stay as they were."""
        for name in list(self.staged):
            self._forget(name)


def _set_aside(dest: Path) -> Path:
    """Rename `dest` to a temp name (removed after the commit)."""
    aside = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
    os.rmdir(aside)
    os.replace(dest, aside)
    return aside


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            p.unlink()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
