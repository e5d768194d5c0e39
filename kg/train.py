"""`kg train`: learn which candidate measures to keep, from the gold files.

Labels come from the scorer's own matching rules (annotation.md, as in
kg/evaluate.py): a candidate is a positive when its label contains a key of
a required gold `adopts` item of its article for one of its regions, a
negative when it matches no gold item, and is left out when it matches only
optional ones.  The model is L2-regularised logistic regression over the
one-hot features of kg/extract/select.py, fitted by full-batch gradient
descent from zero with a fixed number of steps: the same gold gives the
same bytes.

Cross-validation (`--cv K`) holds out whole articles (fixed folds by a hash
of the article name), trains on the rest, extracts the held-out articles
with that model, and scores the union exactly as `kg eval` does.  The blind
set (tests/gold/blind/) is never trained on; `--blind` scores it once.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from .evaluate import _to_decimal, _units, evaluate, load_gold, norm, norm_region, norm_unit
from .extract import extract_context
from .extract.select import MODEL_PATHS, Model, using
from .read import read_article

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "tests" / "gold"
BLIND_DIR = GOLD_DIR / "blind"
SHARED = ROOT.parent / "shared"
SEARCH = [ROOT / "seeds", SHARED / "corpus"]
STEPS = 400
L2 = 1.0
THRESHOLDS = {"measure": 0.3, "figure": 0.35}   # chosen by cross-validation (README)
MIN_COUNT = 2       # a feature seen in fewer candidates than this is ignored


def training_gold() -> list[Path]:
    """Every gold file but the blind set: ours and the seeds'."""
    files = sorted(GOLD_DIR.glob("*.json"))
    seeds = SHARED / "gold" / "seeds.json"
    return files + ([seeds] if seeds.exists() else [])


def blind_gold() -> list[Path]:
    return sorted(BLIND_DIR.glob("*.json"))


def find_articles(names: set[str], search=SEARCH) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for d in search:
        if d.exists():
            for p in sorted(d.rglob("*")):
                if p.name in names and p.name not in found and p.is_file():
                    found[p.name] = p
    return found


@dataclass
class Example:
    article: str
    features: list[str]
    label: int


def _adopt_items(gold_article: dict) -> list[tuple[str, frozenset, bool]]:
    out = []
    for d in gold_article.get("adopts", []) or []:
        keys = frozenset(k for k in (norm(x) for x in d.get("keys", [])) if k)
        if keys:
            out.append((norm_region(d.get("region", "")), keys, bool(d.get("optional", False))))
    return out


def _verdict(optional_flags: list[bool]) -> int | None:
    """1 if a required gold item matched, None if only optional ones (no lesson either way), else 0."""
    if any(not opt for opt in optional_flags):
        return 1
    return None if optional_flags else 0


def label_of(candidate, items) -> int | None:
    name = norm(candidate.label)
    regions = {norm_region(r.name) for r in candidate.regions}
    return _verdict([opt for reg, keys, opt in items if reg in regions and any(k in name for k in keys)])


def _metric_items(gold_article: dict) -> list[tuple]:
    """(value, units, optional) of the gold metrics, normalised as the scorer does."""
    out = []
    for d in gold_article.get("metrics", []) or []:
        value = _to_decimal(d.get("value"))
        if value is not None:
            out.append((value, _units(d.get("unit", "")), bool(d.get("optional", False))))
    return out


def figure_label(fig, items) -> int | None:
    """A figure is a metric when the gold has its value and unit (its measure is attachment's business)."""
    q = fig.quantity
    return _verdict([opt for value, units, opt in items if value == q.value and norm_unit(q.unit) in units])


def _contexts(names, paths: dict[str, Path]):
    """(name, extraction context) of each article found, in the order given."""
    for name in names:
        article = read_article(paths[name])[0] if name in paths else None
        if article is not None:
            yield name, extract_context(article)


def examples(gold: list[dict], paths: dict[str, Path]) -> dict[str, list[Example]]:
    """Labelled candidates of both kinds: {"measure": [...], "figure": [...]}."""
    out: dict[str, list[Example]] = {"measure": [], "figure": []}
    by_name = {g["article"]: g for g in gold}
    for name, ctx in _contexts([g["article"] for g in gold], paths):
        g = by_name[name]
        items = _adopt_items(g)
        for c in ctx.measure_candidates:
            y = label_of(c, items)
            if y is not None:
                out["measure"].append(Example(g["article"], list(c.features), y))
        figs = _metric_items(g)
        for fig in ctx.figure_candidates:
            y = figure_label(fig, figs)
            if y is not None:
                out["figure"].append(Example(g["article"], list(fig.features), y))
    return out


def fit(data: list[Example], version: str, threshold: float = 0.5) -> Model:
    """L2 logistic regression, full-batch gradient descent from zero (deterministic)."""
    import numpy as np

    counts: dict[str, int] = {}
    for ex in data:
        for f in set(ex.features):
            counts[f] = counts.get(f, 0) + 1
    vocab = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(vocab)}
    rows, cols = [], []
    for r, ex in enumerate(data):
        for f in sorted(set(ex.features)):
            i = index.get(f)
            if i is not None:
                rows.append(r)
                cols.append(i)
    rows_a = np.asarray(rows, dtype=np.int64)
    cols_a = np.asarray(cols, dtype=np.int64)
    y = np.asarray([ex.label for ex in data], dtype=np.float64)
    n, F = len(data), len(vocab)
    w = np.zeros(F)
    b = 0.0
    gw2 = np.zeros(F) + 1e-8
    gb2 = 1e-8
    lr = 0.5
    for _ in range(STEPS):
        z = b + np.bincount(rows_a, weights=w[cols_a], minlength=n)
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        err = p - y
        gw = np.bincount(cols_a, weights=err[rows_a], minlength=F) / n + L2 * w / n
        gb = float(err.mean())
        gw2 += gw * gw
        gb2 += gb * gb
        w -= lr * gw / np.sqrt(gw2)
        b -= lr * gb / np.sqrt(gb2)
    weights = {f: float(w[i]) for f, i in index.items()}
    return Model(version, float(b), threshold, weights)


def versioned(model: Model, kind: str) -> Model:
    """The version names what decides: a digest of the weights, bias and threshold."""
    body = json.dumps([model.bias, model.threshold, sorted(model.weights.items())], ensure_ascii=False)
    digest = hashlib.sha256(body.encode()).hexdigest()[:10]
    return Model(f"lr-{digest}-{kind}", model.bias, model.threshold, model.weights)


def fit_all(data: dict[str, list[Example]], version: str, held: set[str] = frozenset()) -> dict[str, Model]:
    return {kind: fit([e for e in exs if e.article not in held], f"{version}-{kind}", THRESHOLDS[kind])
            for kind, exs in data.items()}


def train(gold_files: list[Path] | None = None, out_dir: Path | None = None) -> tuple[dict, dict]:
    gold_files = gold_files or training_gold()
    t0 = time.perf_counter()
    gold = load_gold(gold_files)
    paths = find_articles({g["article"] for g in gold})
    with using({}):
        data = examples(gold, paths)
    models = {kind: versioned(m, kind) for kind, m in fit_all(data, "lr").items()}
    stats = {"articles": len({e.article for e in data["measure"]}), "seconds": 0.0, "models": {}}
    for kind, model in models.items():
        path = (out_dir / MODEL_PATHS[kind].name) if out_dir else MODEL_PATHS[kind]
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(model.to_json(), encoding="utf-8")
        tmp.replace(path)
        stats["models"][kind] = {"path": str(path), "examples": len(data[kind]),
                                 "positives": sum(e.label for e in data[kind]),
                                 "weights": len(model.weights), "bytes": path.stat().st_size}
    stats["seconds"] = round(time.perf_counter() - t0, 2)
    return models, stats


def fold_of(article: str, k: int) -> int:
    return int(hashlib.sha256(article.encode()).hexdigest(), 16) % k


def _graph(extractions):
    from .graph import build_graph
    return build_graph(extractions)


def cv_extractions(k: int = 5, gold_files: list[Path] | None = None) -> tuple[list, list[dict]]:
    """Leave-articles-out: each fold extracted by models that never saw it."""
    gold_files = gold_files or training_gold()
    gold = load_gold(gold_files)
    paths = find_articles({g["article"] for g in gold})
    with using({}):
        data = examples(gold, paths)
    extractions = []
    for fold in range(k):
        held = {g["article"] for g in gold if fold_of(g["article"], k) == fold}
        with using(fit_all(data, f"cv{fold}", held)):
            extractions += [ctx.out for _, ctx in _contexts(sorted(held), paths)]
    return extractions, gold


def cross_validate(k: int = 5, gold_files: list[Path] | None = None, subset: list[Path] | None = None) -> dict:
    """The cross-validated report, over all gold or the articles of `subset`'s gold files."""
    extractions, gold = cv_extractions(k, gold_files)
    if subset:
        gold = load_gold(subset)
        names = {g["article"] for g in gold}
        extractions = [e for e in extractions if e.article.name in names]
    return evaluate(_graph(extractions), gold).as_dict()


def score(gold_files: list[Path]) -> dict:
    """The committed model on `gold_files` (the blind set, once)."""
    gold = load_gold(gold_files)
    paths = find_articles({g["article"] for g in gold})
    return evaluate(_graph(ctx.out for _, ctx in _contexts(sorted(paths), paths)), gold).as_dict()


def table(report: dict) -> str:
    """The report as the table `kg train --cv` prints."""
    lines = ["            P      R      F1"]
    for name in ("regions", "agencies", "documents", "adopts", "issues", "hasMetric"):
        r = report[name]
        lines.append(f"{name:10s} {r['precision']:.3f}  {r['recall']:.3f}  {r['f1']:.3f}"
                     f"   ({r['tp_gold']}/{r['n_gold']} gold, {r['n_pred']} predicted)")
    m = report.get("metrics", {})
    if m:
        lines.append(f"indicator {m.get('indicator_correct')}/{m.get('n_matched')}, "
                     f"qualifier {m.get('qualifier_correct')}/{m.get('n_matched')}")
    return "\n".join(lines)
