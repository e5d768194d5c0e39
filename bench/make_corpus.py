"""Synthetic benchmark corpora made of real Chinese policy prose.

    python bench/make_corpus.py 1000 10000 100000        # -> /tmp/kgbench/1000 …
    python bench/make_corpus.py 10000 --out /data/kgbench --seed 7

Every synthetic article takes the front matter of a real article of
../shared/corpus (title, author, categories; the date is moved by a few
days) and a body of real paragraphs drawn from the whole corpus, with as
many paragraphs as a real article has.  The same seed gives byte-identical
corpora.  Files go 1,000 to a folder (`00000/…`) so that no folder is huge.
The corpus is written outside the repository and is never committed.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parent.parent / "shared" / "corpus"
if not DEFAULT_SOURCE.exists():
    DEFAULT_SOURCE = Path("/work/shared/corpus")
DEFAULT_OUT = Path("/tmp/kgbench")
FOLDERS = ("policy", "other")          # odd/ holds deliberately broken files

_FM = re.compile(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*\n(.*)\Z", re.S)
_PARA = re.compile(r"<p\b[^>]*>.*?</p>", re.S | re.I)
_DATE = re.compile(r"^date:.*$", re.M)


def load_sources(root: Path) -> tuple[list[str], list[str], list[int]]:
    """(front matters, paragraphs, paragraph counts) of the real corpus, in file-name order."""
    fronts, paras, counts = [], [], []
    for folder in FOLDERS:
        for f in sorted((root / folder).glob("*.md")):
            m = _FM.match(f.read_text(encoding="utf-8"))
            if not m:
                continue
            ps = [p for p in _PARA.findall(m.group(2)) if len(re.sub(r"<[^>]+>|\s", "", p)) >= 8]
            if not ps or "date:" not in m.group(1):
                continue
            fronts.append(m.group(1))
            paras.extend(ps)
            counts.append(len(ps))
    if not fronts:
        sys.exit(f"no usable articles under {root}")
    return fronts, paras, counts


def make_corpus(n: int, out: Path, source: Path = DEFAULT_SOURCE, seed: int = 20211025) -> Path:
    fronts, paras, counts = load_sources(source)
    rng = random.Random(f"{seed}:{n}")
    out.mkdir(parents=True, exist_ok=True)
    base = datetime(2021, 1, 1, tzinfo=timezone.utc)
    for i in range(n):
        fm = rng.choice(fronts)
        when = base + timedelta(seconds=rng.randrange(2 * 365 * 86400))
        fm = _DATE.sub("date: " + when.strftime("%a, %d %b %Y %H:%M:%S GMT"), fm, count=1)
        k = rng.choice(counts)
        body = "\n".join(rng.choice(paras) for _ in range(k))
        text = f"---\n{fm}\n---\n\n<div>\n{body}\n</div>\n"
        tag = hashlib.sha1(text.encode()).hexdigest()[:12]
        d = out / f"{i // 1000:05d}"
        if i % 1000 == 0:
            d.mkdir(exist_ok=True)
        (d / f"{i:06d}_{tag}.md").write_text(text, encoding="utf-8")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="+", type=int, help="numbers of articles, e.g. 1000 10000 100000")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="parent folder (default /tmp/kgbench)")
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="the real corpus")
    ap.add_argument("--seed", type=int, default=20211025)
    ap.add_argument("--force", action="store_true", help="rewrite a corpus that exists")
    a = ap.parse_args(argv)
    for n in a.sizes:
        target = a.out / str(n)
        if target.exists() and not a.force and sum(1 for _ in target.glob("*/*.md")) == n:
            print(f"{target}: exists ({n} articles)")
            continue
        if target.exists():
            import shutil
            shutil.rmtree(target)
        make_corpus(n, target, a.source, a.seed)
        print(f"{target}: {n} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
