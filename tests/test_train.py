"""kg train: labels by the scorer's rules, a deterministic fit, a readable model."""
import json
from pathlib import Path

import pytest

from kg.extract.select import Candidate, Model
from kg.gazetteer.regions import load_regions
from kg.model import Sentence
from kg.train import Example, figure_label, fit, label_of, train, versioned

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _cand(label, region_name):
    rec = next(r for r in load_regions() if r.name == region_name)
    s = Sentence(0, 0, len(label), label, 0)
    return Candidate(label, 0, len(label), s, "measure.quoted", [rec])


@pytest.mark.parametrize("label,region,expected", [
    ("“5+2”课后服务", "上海市", 1),          # contains a required key, same region
    ("“5+2”课后服务", "北京市", 0),          # right words, wrong region
    ("课后服务渠道", "上海市", None),          # matches only an optional item: no lesson
    ("高度重视", "上海市", 0),
])
def test_labels_follow_the_scorer(label, region, expected):
    items = [("上海", frozenset({"5+2"}), False), ("上海", frozenset({"课后服务渠道"}), True)]
    assert label_of(_cand(label, region), items) == expected


def test_figure_label_needs_value_and_unit():
    from decimal import Decimal

    from kg.model import Quantity

    class Fig:
        quantity = Quantity(Decimal("21.73"), "%", "Exact", "21.73%")
    assert figure_label(Fig, [(Decimal("21.73"), frozenset({"%"}), False)]) == 1
    assert figure_label(Fig, [(Decimal("21.73"), frozenset({"人"}), False)]) == 0
    assert figure_label(Fig, [(Decimal("21.73"), frozenset({"%"}), True)]) is None


def test_fit_is_deterministic_and_learns_the_sign():
    data = [Example("a", ["rule=x", "flag=bad"], 0) for _ in range(5)] + \
           [Example("b", ["rule=x", "good"], 1) for _ in range(5)]
    m1, m2 = fit(data, "t"), fit(list(data), "t")
    assert m1.to_json() == m2.to_json()
    assert m1.weights["good"] > 0 > m1.weights["flag=bad"]
    assert m1.score(["rule=x", "good"]) > 0.5 > m1.score(["rule=x", "flag=bad"])
    assert [f for f, _ in m1.explain(["good", "unknown"])] == ["good"]


def test_version_names_the_weights():
    a = versioned(Model("x", 0.0, 0.5, {"f": 1.0}), "measure")
    b = versioned(Model("y", 0.0, 0.5, {"f": 2.0}), "measure")
    assert a.version != b.version and a.version.endswith("-measure")
    assert json.loads(a.to_json())["weights"] == {"f": 1.0}


def test_training_twice_gives_the_same_bytes(tmp_path):
    if not (SHARED / "corpus" / "policy").exists():
        pytest.skip("../shared/corpus absent")
    _, s1 = train(out_dir=tmp_path / "a")
    _, s2 = train(out_dir=tmp_path / "b")
    for kind in s1["models"]:
        a = Path(s1["models"][kind]["path"]).read_bytes()
        assert a == Path(s2["models"][kind]["path"]).read_bytes()
        assert len(a) < 200_000            # a small, committed artefact
    assert s1["articles"] >= 45
    assert s1["seconds"] < 60


def test_committed_models_are_what_kg_train_makes(tmp_path):
    """The committed models were trained from the committed gold with this code (rerun `kg train`)."""
    if not (SHARED / "corpus" / "policy").exists():
        pytest.skip("../shared/corpus absent")
    from kg.extract.select import MODEL_PATHS
    _, stats = train(out_dir=tmp_path)
    for kind, m in stats["models"].items():
        assert Path(m["path"]).read_bytes() == MODEL_PATHS[kind].read_bytes(), kind
