"""Agency gazetteer: central bodies by surface form, local suffixes."""
from __future__ import annotations

from collections import Counter
from importlib import resources

import pytest

from kg.gazetteer.agencies import (
    AGENCY_TYPES,
    SUFFIX_TYPES,
    AgencyRecord,
    load_agencies,
)


@pytest.fixture(scope="module")
def gaz():
    return load_agencies()


def _raw_rows(filename: str) -> list[list[str]]:
    text = (resources.files("kg.gazetteer") / "data" / filename).read_text(encoding="utf-8")
    lines = [l for l in text.splitlines() if l.strip() and not l.startswith("#")]
    return [l.split("\t") for l in lines[1:]]  # drop header


@pytest.mark.parametrize("surface, name", [
    ("发改委", "国家发展和改革委员会"),
    ("国家发改委", "国家发展和改革委员会"),
    ("国家发展改革委", "国家发展和改革委员会"),
    ("发展改革委", "国家发展和改革委员会"),
    ("国家发展和改革委员会", "国家发展和改革委员会"),
    ("央行", "中国人民银行"),
    ("人民银行", "中国人民银行"),
    ("人行", "中国人民银行"),
    ("教育部", "教育部"),
    ("市场监管总局", "国家市场监督管理总局"),
    ("国家市场监管总局", "国家市场监督管理总局"),
    ("海关总署", "海关总署"),
    ("税务总局", "国家税务总局"),
    ("住建部", "住房和城乡建设部"),
    ("住房城乡建设部", "住房和城乡建设部"),
    ("工信部", "工业和信息化部"),
    ("人社部", "人力资源和社会保障部"),
    ("人力资源社会保障部", "人力资源和社会保障部"),
    ("国办", "国务院办公厅"),
    ("证监会", "中国证券监督管理委员会"),
    ("最高人民法院", "最高人民法院"),
    ("最高检", "最高人民检察院"),
    ("中央网信办", "中央网络安全和信息化委员会办公室"),
    ("中宣部", "中共中央宣传部"),
    ("中央财办", "中央财经委员会办公室"),
    ("全国人大常委会", "全国人民代表大会常务委员会"),
    ("全国政协", "中国人民政治协商会议全国委员会"),
    ("中消协", "中国消费者协会"),
    ("全国总工会", "中华全国总工会"),
    ("全国工商联", "中华全国工商业联合会"),
    ("金融监管总局", "国家金融监督管理总局"),
    ("卫健委", "国家卫生健康委员会"),
])
def test_lookup(gaz, surface, name):
    rec = gaz.lookup(surface)
    assert rec is not None, surface
    assert rec.name == name
    assert rec.jurisdiction == "000000"


@pytest.mark.parametrize("surface, status", [
    ("银保监会", "former"),
    ("中国银行保险监督管理委员会", "former"),
    ("银保监", "former"),
    ("国家工商总局", "former"),
    ("国家金融监督管理总局", "current"),
    ("国家卫生健康委员会", "current"),
])
def test_status(gaz, surface, status):
    assert gaz.lookup(surface).status == status


def test_unknown_surface(gaz):
    assert gaz.lookup("上海市委") is None
    assert gaz.lookup("") is None


def test_row_count_and_columns():
    rows = _raw_rows("agencies.tsv")
    assert len(rows) >= 100
    for row in rows:
        assert len(row) == 5, row
        name, short, typ, status, jurisdiction = row
        assert name
        assert typ in AGENCY_TYPES, row
        assert status in {"current", "former"}, row
        assert jurisdiction == "000000", row


def test_every_jurisdiction_is_national(gaz):
    assert gaz.records
    assert all(r.jurisdiction == "000000" for r in gaz.records)
    assert all(isinstance(r, AgencyRecord) for r in gaz.surfaces().values())


def test_no_duplicate_surfaces():
    seen = Counter()
    names = Counter()
    for name, short, *_ in _raw_rows("agencies.tsv"):
        names[name] += 1
        row_surfaces = {name, *(s for s in short.split("|") if s)}
        seen.update(row_surfaces)
    assert [n for n, c in names.items() if c > 1] == []
    assert [s for s, c in seen.items() if c > 1] == []


def test_no_one_character_short_forms(gaz):
    for rec in gaz.records:
        for s in rec.short:
            assert len(s) >= 2, (rec.name, s)
            assert s != rec.name, rec.name


def test_surfaces_cover_names_and_shorts(gaz):
    surfaces = gaz.surfaces()
    for rec in gaz.records:
        for s in (rec.name, *rec.short):
            assert surfaces[s] is rec


def test_source_comment():
    text = (resources.files("kg.gazetteer") / "data" / "agencies.tsv").read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# source:")
    assert "2026-11-25" in first


def test_load_is_cached():
    assert load_agencies() is load_agencies()


@pytest.mark.parametrize("surface, canonical, typ", [
    ("政府", "人民政府", "government"),
    ("人民政府", "人民政府", "government"),
    ("委", "委", "party"),
    ("市场监管局", "市场监督管理局", "department"),
    ("市监局", "市场监督管理局", "department"),
    ("消协", "消费者协会", "association"),
    ("教委", "教育委员会", "department"),
    ("住建委", "住房和城乡建设委员会", "department"),  # 住建 is always 住房和城乡建设: one node for both names,
    ("民政局", "民政局", "department"),
    ("人民检察院", "人民检察院", "procuratorate"),
    ("中级人民法院", "中级人民法院", "court"),
    ("人大常委会", "人大常委会", "other"),
    ("培训协会", "培训协会", "association"),
])
def test_suffixes(gaz, surface, canonical, typ):
    assert gaz.suffixes()[surface] == (canonical, typ)


def test_suffix_table():
    rows = _raw_rows("agency_suffixes.tsv")
    assert 80 <= len(rows)
    surfaces = [r[0] for r in rows]
    assert len(surfaces) == len(set(surfaces))
    for row in rows:
        assert len(row) == 3, row
        assert row[0] and row[1]
        assert row[2] in SUFFIX_TYPES, row
