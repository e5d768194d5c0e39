"""IRIs: ASCII, deterministic, one per entity key."""
import re

import pytest

from kg.ids import BASE, article_iri, entity_iri, evidence_iri, slug

SAFE = re.compile(r"^https://w3id\.org/policy-kg/id/[a-z]+/[A-Za-z0-9._~-]+$")


@pytest.mark.parametrize("kind,key,label,expected", [
    ("Region", "310000", "上海市", BASE + "region/310000"),
    ("Region", "000000", "全国", BASE + "region/000000"),
    ("Agency", "上海市委", "上海市委", "https://w3id.org/policy-kg/id/agency/shang-hai-shi-wei-c20ae84d720a"),
])
def test_known_iris(kind, key, label, expected):
    assert entity_iri(kind, key, label) == expected


def test_iris_are_stable_across_calls_and_processes():
    # pinned values: a change here breaks every user's stored graph
    assert entity_iri("Agency", "教育部", "教育部") == "https://w3id.org/policy-kg/id/agency/jiao-yu-bu-952da6e7ffab"
    assert article_iri("000_31ab85aaea601f26.txt") == BASE + "article/1ec187c03e18a6a5"


@pytest.mark.parametrize("label", ["上海市人民政府", "《实施意见》", "“5+2”课后服务", "<script>x</script>", "a b\"c{}|^`\\",
                                   "", "\u200b\u202e", "１２３ＡＢＣ", "🙂" * 50])
def test_iris_are_safe_ascii(label):
    for kind in ("Agency", "Document", "Measure", "Metric"):
        iri = entity_iri(kind, "k|" + label, label)
        assert iri.isascii() and SAFE.match(iri), iri


def test_key_not_label_decides_identity():
    a = entity_iri("Document", "310000|实施意见", "实施意见")
    b = entity_iri("Document", "440100|实施意见", "实施意见")
    assert a != b
    assert entity_iri("Document", "k", "标题甲") != entity_iri("Document", "k2", "标题甲")


def test_evidence_iri_depends_on_every_part():
    base = evidence_iri("s", "p", "o", "a.md", 0, 10, "rule")
    assert base != evidence_iri("s", "p", "o", "a.md", 0, 11, "rule")
    assert base != evidence_iri("s", "p", "o", "b.md", 0, 10, "rule")
    assert base == evidence_iri("s", "p", "o", "a.md", 0, 10, "rule")


def test_slug_is_pinyin():
    assert slug("上海市") == "shang-hai-shi"
    assert slug("“5+2”课后服务") == "5-2-ke-hou-fu-wu"
