"""One long article: is every per-article step linear in its length?

    python bench/long_article.py                      # 500, 1000, 2000, 4000 paragraphs
    python bench/long_article.py --paragraphs 4000 --profile 25

Makes an article of N real paragraphs of ../shared/corpus (repeated in a
fixed order; 4,000 paragraphs is about 1 MB), and times, in this process:
read (file -> Article), extract (kg.extract.extract_article, all rules),
graph (GraphBuilder.add + finish), turtle (write_triples).  Doubling N
should double each time; a step whose time quadruples is quadratic.
--profile K prints the K functions with the most own time (cProfile) for
the largest N.  A benchmark: never run from a test.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from make_corpus import DEFAULT_SOURCE, load_sources  # noqa: E402


def make_article(n: int, folder: Path) -> Path:
    fronts, paras, _ = load_sources(DEFAULT_SOURCE)
    body = "\n".join(paras[i % len(paras)] for i in range(n))
    path = folder / f"long-{n}.md"
    path.write_text(f"---\n{fronts[0]}\n---\n\n<div>\n{body}\n</div>\n", encoding="utf-8")
    return path


def measure(path: Path, tmp: Path) -> dict[str, float]:
    from kg.export.turtle import write_triples
    from kg.extract import extract_article
    from kg.graph import GraphBuilder
    from kg.read import read_article

    t = {}
    t0 = time.perf_counter()
    article, _ = read_article(path)
    t["read"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    ex = extract_article(article)
    t["extract"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    b = GraphBuilder()
    b.add(ex)
    triples = b.finish()
    t["graph"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    t["triples"] = write_triples(triples, tmp / "g.ttl")
    t["turtle"] = time.perf_counter() - t0
    triples.close()
    return t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paragraphs", type=int, nargs="+", default=[500, 1000, 2000, 4000])
    ap.add_argument("--profile", type=int, default=0, metavar="K")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        measure(make_article(20, tmp), tmp)        # warm-up: dictionaries, gazetteers
        print("| paragraphs | bytes | read s | extract s | graph s | turtle s | triples |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for n in a.paragraphs:
            path = make_article(n, tmp)
            t = measure(path, tmp)
            print(f"| {n:,} | {path.stat().st_size:,} | {t['read']:.2f} | {t['extract']:.2f} | "
                  f"{t['graph']:.2f} | {t['turtle']:.2f} | {t['triples']:,} |", flush=True)
        if a.profile:
            path = make_article(a.paragraphs[-1], tmp)
            from kg.extract import extract_article
            from kg.read import read_article
            article, _ = read_article(path)
            prof = cProfile.Profile()
            prof.enable()
            extract_article(article)
            prof.disable()
            s = io.StringIO()
            pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(a.profile)
            print(s.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
