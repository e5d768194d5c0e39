"""Figures in Chinese policy text → exact `Quantity` values (never through float).

`find_quantities(sentence)` returns every figure that is a measurement, with
its span in the sentence; `parse_number` and `decimal_str` are the exact
numeral and xsd:decimal helpers it is built on.

Choices that users rely on (tests/test_numbers.py shows each one):

* 万/亿/万亿/千万/百万 are folded into the value (3.5万人 → 35000 人); the
  unit is a closed list (`UNITS`), normalised by `_UNIT_NORMAL` (％ → %,
  百分点 → 个百分点, 个小时 → 小时, 人民币 → 元…).  No unit → unit ''.
* Qualifier precedence: a prefix word (超过, 不低于, 约…) wins over the infix
  余/多 of the numeral, which wins over a suffix word (以上, 左右…).
* Ranges (10%-15%, 3至5年, 10～20家) give two quantities, each spanning its
  own bound: the low bound AtLeast, the high bound AtMost.  The low bound
  takes unit, % and 万/亿 from the high bound when it has none (3-5万元 →
  30000 元 AtLeast, 50000 元 AtMost).  A range whose high bound is not a
  measurement (1-5月, 2021-2025年, 010-12345678) gives nothing.
* 成 is a tenth: 三成 → 30 with unit '%'.
* Changes keep their magnitude: 下降3% → 3 %; the sign is the indicator's.
  Only an explicit minus after 为/是/：… is a sign (增速为-2.7% → -2.7).
* Bare Arabic numbers (165骨干) are kept with unit '' unless they look like a
  code, date, time, list marker, ordinal or name.  Bare Chinese numerals
  are never quantities; with a unit they are, except lone 一 with a
  classifier (一批, 一次性: "a", not "one") and slogans (两个优化).
* Numbers inside names are not quantities: anything inside 《…》, inside a
  short “…” quotation (no clause punctuation; a name or slogan such as
  “5+2”, “12345”, “24小时在线监测”), or inside a fixed phrase (十四五).
* 月 and 日 mark dates, never units (durations: 个月, 天, 个工作日);
  a 4-digit 1900–2100 before 年, or bare, is a year.  3个多月 → 3 个月
  MoreThan; 3个半月 is skipped rather than misread.  ASCII units (100MW, 5G) are
  not read: figures touching ASCII letters are skipped.
"""
from __future__ import annotations

import re
from decimal import Decimal, localcontext
from typing import NamedTuple

from kg.model import Quantity

__all__ = ["find_quantities", "parse_number", "decimal_str", "UNITS", "QUALIFIERS"]

QUALIFIERS = ("Exact", "AtLeast", "MoreThan", "AtMost", "LessThan", "Approximately")

# ---------------------------------------------------------------- numerals

_FW = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_D = "[0-9０-９]"
_ARABIC = rf"(?:{_D}{{1,3}}(?:[,，]{_D}{{3}}(?!{_D}))+|{_D}+)(?:[.．]{_D}+)?"
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 1, "百": 2, "千": 3}
_CN_BIG = {"万": 4, "亿": 8}
_TOKEN_RE = re.compile(rf"({_ARABIC})|([零〇一二两三四五六七八九])|([十百千])|([万亿])")
_TEN = Decimal(10)
_PLAIN_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?\Z")


def _canonical(d: Decimal) -> Decimal:
    """Same number, no exponent, no trailing zeros: 1.4E+9 → 1400000000, 1.50 → 1.5."""
    if not d.is_finite():
        raise ValueError(f"not a finite number: {d}")
    t = d.as_tuple()
    with localcontext() as ctx:
        ctx.prec = max(60, len(t.digits) + max(0, t.exponent) + 1)   # exact, however many digits
        d = d.normalize()
        if d.as_tuple().exponent > 0:
            d = d.quantize(Decimal(1))
    return d


def decimal_str(d: Decimal) -> str:
    """Canonical xsd:decimal lexical form: '1400000000', '21.73', '0.5'."""
    return format(_canonical(d), "f")


def parse_number(s: str) -> Decimal:
    """Exact value of a bare numeral: '1,500', '３.5', '二十三', '1500万', '3万5千'.

    Qualifier marks (余, 多), units and signs are not numerals: ValueError.
    """
    if not isinstance(s, str) or not s.strip():
        raise ValueError(f"not a numeral: {s!r}")
    s = s.strip()
    if _PLAIN_RE.match(s):     # fast path, already canonical once fraction zeros are gone
        return Decimal(s.rstrip("0").rstrip(".") if "." in s else s)
    pos, tokens = 0, []
    for m in _TOKEN_RE.finditer(s):
        if m.start() != pos:
            break
        pos = m.end()
        if m.group(1):
            tokens.append(("n", Decimal(m.group(1).translate(_FW).replace(",", ""))))
        elif m.group(2):
            d = _CN_DIGIT[m.group(2)]
            tokens.append(("z", 0) if d == 0 else ("n", Decimal(d)))
        elif m.group(3):
            tokens.append(("s", _CN_SMALL[m.group(3)]))
        else:
            tokens.append(("b", _CN_BIG[m.group(4)]))
    if pos != len(s):
        raise ValueError(f"not a numeral: {s!r}")
    with localcontext() as ctx:
        ctx.prec = 60
        return _canonical(_fold(tokens, s))


def _fold(tokens: list, s: str) -> Decimal:
    """Positional folding of digit / 十百千 / 万亿 tokens (Arabic chunks act as digits)."""
    def bad() -> ValueError:
        return ValueError(f"not a numeral: {s!r}")

    done = Decimal(0)        # groups closed by 亿
    wan = None               # group closed by 万 inside the current 亿 group
    section = Decimal(0)     # below 万
    pending = None           # a digit waiting for its place
    last_small = 99          # places must fall within a section: 三千五百, not 三百五千
    last_place = None        # place of the previous token, for 三千五 = 3500
    seen = False
    for kind, v in tokens:
        if kind == "n":
            if pending is not None:
                raise bad()
            pending, seen = v, True
            continue
        if kind == "z":
            if pending is not None or (not seen and len(tokens) > 1):
                raise bad()
            last_place, seen = None, True
            continue
        if kind == "s":
            if pending is None:
                if v == 1 and section == 0 and last_small == 99:
                    pending = Decimal(1)        # 十二 = 12
                else:
                    raise bad()
            if v >= last_small:
                raise bad()
            section += pending * _TEN ** v
            pending, last_small, last_place, seen = None, v, v, True
            continue
        # 万 / 亿
        if pending is not None:
            section += pending
            pending = None
        if v == 4:
            if wan is not None or section == 0:
                raise bad()
            wan, section = section, Decimal(0)
        else:
            group = (wan or 0) * _TEN ** 4 + section
            if group == 0 and done == 0:
                raise bad()
            done = (done + group) * _TEN ** 8
            wan, section = None, Decimal(0)
        last_small, last_place = 99, v
    if pending is not None:
        # 三千五 = 3500, 一万五 = 15000; after 零 (一百零五) the digit is a unit digit
        if last_place and pending == pending.to_integral_value() and 0 < pending < 10:
            pending *= _TEN ** (last_place - 1)
        section += pending
    if not seen:
        raise bad()
    return done + (wan or 0) * _TEN ** 4 + section


# ---------------------------------------------------------------- vocabulary

# Closed list of units.  A guard (negative lookahead) stops words that merely
# start with a unit: 3台湾, 处理, 座谈, 批准, 起草, 所有, 年级, 周年.
UNITS: dict[str, str] = {
    # ratios
    "%": "", "％": "", "‰": "", "个百分点": "", "百分点": "", "倍": "",
    "成": "(?![员为立功果本效绩长熟型交都就品分份人年批片套群语事不了])",
    # money
    "元": "(?![旦素宵])", "美元": "", "欧元": "", "日元": "", "港元": "", "英镑": "",
    "人民币": "", "美金": "",
    # people and bodies
    "人次": "", "人份": "", "人": "(?![民])", "名": "(?![单称义])", "位": "(?![于置数])",
    "户次": "", "户": "(?![籍口型外])", "家次": "", "家": "(?![镇村乡庄])", "所": "(?![有以在属得谓])",
    "部门": "", "部委": "", "省份": "", "省区市": "", "城": "(?![乡镇区管])", "家庭": "",
    # things counted
    "个": "(?![半多])", "项": "", "件": "", "条": "(?![件例款])", "套": "(?![餐])",
    "次": "(?![性])", "幅": "(?![度])", "本": "(?![市地省区级科土届次轮年月期身着])",
    "台": "(?![湾账阶风])", "辆": "", "座": "(?![谈位])", "间": "(?![隔断])", "张": "",
    "份": "(?![额子])", "起": "(?![草诉来步点])", "宗": "(?![旨教])", "类": "(?![似型别])",
    "款": "", "批": "(?![准复示评])", "例": "(?![如外])", "处": "(?![理罚置分长])",
    "支": "(?![持付出撑援部])", "种": "(?![植子养])", "篇": "", "册": "", "场": "(?![景地馆])",
    "期": "(?![间限货末初望待])", "轮": "", "门": "(?![槛户诊])", "节": "(?![约点能日])",
    "笔": "", "包": "(?![括含装容])", "单": "(?![位独一])", "票": "", "标准箱": "", "箱": "",
    "只": "(?![有是要能])",
    "枚": "", "批次": "", "艘": "", "架次": "", "架": "", "栋": "", "幢": "", "剂次": "", "剂": "",
    "课时": "", "学时": "", "学分": "", "岗位": "",
    # time
    "小时": "", "个小时": "", "个多小时": "", "个多月": "", "分钟": "", "秒钟": "", "秒": "",
    "天": "(?![然津气])",
    "周岁": "", "周": "(?![年边末岁])", "个月": "", "个工作日": "", "工作日": "",
    "个季度": "", "学期": "", "学年": "", "年": "(?![级度底初末中])", "岁": "",
    # physical
    "吨": "", "千克": "", "公斤": "", "克": "(?![服])", "斤": "", "千瓦时": "", "千瓦": "",
    "兆瓦": "", "平方公里": "", "平方千米": "", "平方米": "", "平米": "", "㎡": "",
    "立方米": "", "公顷": "", "亩": "", "公里": "", "千米": "", "厘米": "", "毫米": "",
    "米": "(?![面饭粉])", "毫升": "", "升": "(?![级学值])",
}
_UNIT_NORMAL = {"％": "%", "百分点": "个百分点", "个小时": "小时", "个多小时": "小时",
                "个多月": "个月", "秒钟": "秒", "周岁": "岁", "个工作日": "工作日", "人民币": "元", "美金": "美元", "平米": "平方米",
                "㎡": "平方米", "千米": "公里", "平方千米": "平方公里", "公斤": "千克"}
_PER_UNITS = "平方米|千瓦时|吨|月|年|人|天|小时|亩|户|次|件|个|公斤|斤|台|辆|平米|㎡"
_TIME_UNITS = {"小时", "分钟", "秒", "天", "周", "个月", "工作日", "个季度", "学期", "学年", "年"}
# Lone 一 with a classifier is an article ("一批", "一次性", "一家一户"), not a count.
_CLASSIFIERS = {"个", "项", "件", "条", "套", "户", "次", "台", "辆", "所", "家", "名", "位",
                "人", "批", "座", "间", "张", "份", "起", "宗", "类", "款", "例", "处", "支",
                "种", "篇", "册", "场", "期", "轮", "门", "节", "笔", "单", "票", "箱", "只",
                "枚", "艘", "架", "栋", "幢", "城", "剂"}

_PREFIX = {
    "不低于": "AtLeast", "不少于": "AtLeast", "不小于": "AtLeast", "至少": "AtLeast",
    "最少": "AtLeast", "最低": "AtLeast",
    "超过": "MoreThan", "超出": "MoreThan", "超": "MoreThan", "逾": "MoreThan",
    "高于": "MoreThan", "大于": "MoreThan", "多于": "MoreThan", "突破": "MoreThan",
    "不超过": "AtMost", "不超": "AtMost", "未超过": "AtMost", "不高于": "AtMost",
    "不多于": "AtMost", "不大于": "AtMost", "至多": "AtMost", "最多": "AtMost", "最高": "AtMost",
    "不足": "LessThan", "不到": "LessThan", "低于": "LessThan", "少于": "LessThan",
    "小于": "LessThan", "未满": "LessThan", "未达": "LessThan",
    "约": "Approximately", "约为": "Approximately", "大约": "Approximately",
    "近": "Approximately", "将近": "Approximately", "接近": "Approximately",
    "大概": "Approximately",
}
# 近 and 约 inside words: 最近3天, 附近, 预约3000人次, 签约.
_PREFIX_GUARD = {"近": "(?<![最附就靠临亲])", "约": "(?<![预签节制邀合条公违特履])"}
_SUFFIX = {"及以上": "AtLeast", "以上": "AtLeast", "及以下": "AtMost", "以下": "AtMost",
           "以内": "AtMost", "之内": "AtMost", "左右": "Approximately",
           "上下": "Approximately", "多": "MoreThan", "余": "MoreThan"}


def _alt(words, before: dict | None = None, after: dict | None = None) -> str:
    """Longest-first alternation, each word with its own look-behind / look-ahead guard."""
    before, after = before or {}, after or {}
    return "|".join(before.get(w, "") + re.escape(w) + after.get(w, "")
                    for w in sorted(words, key=len, reverse=True))


_MULT = "(?:万亿|千亿|百亿|千万|百万|亿|万|千(?![米克瓦])|百(?![分米]))"
_AR_NUM = (rf"(?<![0-9０-９])(?<![0-9０-９][.．]){_ARABIC}"
           rf"(?:[余多]{_MULT}?|{_MULT}(?:{_ARABIC}[千百])?[余多]?)?")
_CN_NUM = ("(?<![数几若好])[〇零一二两三四五六七八九十][〇零一二两三四五六七八九十百千万亿]*"
           "(?:[余多](?:万亿|千亿|百亿|千万|百万|亿|万)?)?")
_FIGURE_RE = re.compile(
    # the lookahead is a cheap first-character filter; it doubles throughput
    rf"(?=[{''.join(sorted({w[0] for w in _PREFIX}))}百0-9０-９〇零一二两三四五六七八九十])"
    rf"(?P<pre>{_alt(_PREFIX, _PREFIX_GUARD)})?"
    rf"(?P<pct>百分之)?"
    rf"(?P<num>{_AR_NUM}|{_CN_NUM}|(?<=百分之)百)"
    rf"(?P<unit>[ \u00a0\u2009]?(?:{_alt(UNITS, after=UNITS)})(?:[/／](?:{_PER_UNITS}))?)?"
    # 47万套（间）以上: a short bracketed gloss of the unit before the suffix
    rf"(?:[（(][\u4e00-\u9fff]{{1,2}}[）)](?=及以上|以上|及以下|以下|以内|左右))?"
    rf"(?P<suf>及以上|以上|及以下|以下|以内|之内|左右|上下(?![班学游级文楼来课])"
    rf"|(?<=[年天周时钟])[多余](?![次种样元项]))?"
)
_ANY_NUMERAL = re.compile("[0-9０-９〇零一二两三四五六七八九十]")
_ARABIC_START = set("0123456789０１２３４５６７８９")
_RANGE_SEP = {"-", "－", "—", "——", "–", "~", "～", "〜", "至", "到"}

# Protected spans: names and titles whose numbers are not measurements.
_PROTECTED_RE = re.compile(
    r"《[^《》]*》|〈[^〈〉]*〉"
    r"|“[^“”，。；！？：,;!?]{1,30}”|\"[^\"，。；！？,;!?\n]{1,30}\"|「[^「」]{1,30}」|『[^『』]{1,30}』"
    r"|十[二三四五]五|三次产业|三次分配|二次|五台山|七台河|三门峡|九台|一年一度|一揽子|一站式|一条龙|一张网|一张图"
    r"|一件事|一盘棋|一把手|一刀切|五位一体|一带一路|两个维护|两个确立|四个意识|四个自信|四个全面"
)
_SLOGAN_AFTER_GE = re.compile(
    "(?:优化|提高|确保|坚持|维护|确立|全面|务必|必须|转变|聚焦|着力|强化|加强|提升|落实|统筹|结合"
    "|倾斜|到位|优先|更加|意识|自信|代表|重点(?![0-9０-９一-龥]))"
)
# After a bare number these words make it a date, time, code, ordinal or name.
_BARE_STOP = re.compile("\\s*(?:年|月|日|号|时|点|分|秒|届|版|型|式|代|级|星|楼|层|路|线|室|栋|季|几|后"
                        "|强|天|个|世纪|周年|热线|接警|报警|急救|专线|模式|码)")
# A bare number right after these is a label: 病例1, 附件2, 表3.
_LABEL_BEFORE = re.compile("(?:病例|感染者|患者|案例|附件|附表|图|表|样本|编号|序号)$")
_CODE_BEFORE = re.compile("(?:代码|编号|编码|号码|电话|热线|拨打|邮编|账号|文号|批号|序号|证号|尾号"
                          "|型号|车牌|门牌|航班)[:：为是]?$")
_BARE_NEIGHBOUR = set("+＋:：/／-－—–~～〜.．×*＊#＃@、)）(（〔〕［］[]【】")
_ASCII_WORD_BEFORE = re.compile("[A-Za-z][ \\t]$")
_ASCII_WORD_AFTER = re.compile("[ \\t][A-Za-z]")
_SIGN_AFTER = set("为是达至到：:，,（( \t")
_PAIRING = re.compile("[0-9０-９一二三四五六七八九十][对加比]$|^[对加比][0-9０-９一二三四五六七八九十]")


# ---------------------------------------------------------------- matching

class _Raw(NamedTuple):
    """One regex match, before the rules decide whether it is a quantity."""
    start: int
    end: int
    num_start: int
    num_end: int
    num: str            # numeral without 余/多
    pre: str | None
    pct: bool
    unit: str | None    # normalised
    unit_end: int
    suf: str | None
    infix: bool         # 余/多 inside the numeral

    @property
    def arabic(self) -> bool:
        return self.num[0] not in "〇零一二两三四五六七八九十百"


def _raw(m: re.Match) -> _Raw:
    num = m.group("num")
    unit = m.group("unit")
    unit = unit.lstrip(" \u00a0\u2009") if unit else unit     # "3 人" as typeset by some feeds
    return _Raw(m.start(), m.end(), m.start("num"), m.end("num"),
                num.replace("余", "").replace("多", ""), m.group("pre"), bool(m.group("pct")),
                _UNIT_NORMAL.get(unit, unit) if unit else None,
                m.end("unit") if unit else m.end("num"), m.group("suf"),
                "余" in num or "多" in num or (unit is not None and "多" in unit))


def _protected(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PROTECTED_RE.finditer(text)]


def _inside(spans, pos: int) -> bool:
    return any(s <= pos < e for s, e in spans)


def _value(r: _Raw, unit: str | None) -> Decimal | None:
    """The numeral's value with 成 as tenths, or None when it is not a numeral."""
    try:
        v = Decimal(100) if r.num == "百" else parse_number(r.num)
    except ValueError:
        return None
    if unit == "成":
        if not (0 < v <= 10 and v == v.to_integral_value()):
            return None
        v *= 10
    return v


def _qualifier(r: _Raw) -> str:
    if r.pre:
        return _PREFIX[r.pre]
    if r.infix:
        return "MoreThan"
    return _SUFFIX[r.suf] if r.suf else "Exact"


def _context_ok(r: _Raw, text: str, spans) -> bool:
    """Rules for every figure, with or without a unit."""
    before = text[r.start - 1] if r.start else ""
    after = text[r.end] if r.end < len(text) else ""
    if before and (before in "第届$¥￥×*＊" or (before.isascii() and before.isalnum())):
        return False            # 第3, 十三届四次会议, $308, B12, 7×24小时
    if after and ((after.isascii() and after.isalpha()) or after in "×*＊"):
        return False            # 5G, 100MW
    if _ASCII_WORD_BEFORE.search(text, max(0, r.start - 2), r.start) or _ASCII_WORD_AFTER.match(text, r.end):
        return False            # English or CSS around it: "margin: 0 auto", "TB/T 2705"
    if text[r.num_end:r.num_end + 2][:1] in (".", "．") and text[r.num_end + 1:r.num_end + 2].isdigit():
        return False            # 2021.3.18, v1.2.3
    if r.arabic and len(r.num) > 1 and r.num[0] in "0０" and r.num[1] not in ".．":
        return False            # 010, 05: codes
    if _CODE_BEFORE.search(text, max(0, r.start - 5), r.start):
        return False
    return not _inside(spans, r.num_start)


def _bare_ok(r: _Raw, text: str, in_range: bool) -> bool:
    """Rules for an Arabic number with no unit (165骨干): not a code, date or marker."""
    if not r.arabic:
        return False
    before = text[r.start - 1] if r.start else ""
    after = text[r.num_end] if r.num_end < len(text) else ""
    if before in _BARE_NEIGHBOUR or (before in (",", "，") and text[r.start - 2:r.start - 1].isdigit()):
        return False
    if not in_range and (after in _BARE_NEIGHBOUR
                         or (after in (",", "，") and text[r.num_end + 1:r.num_end + 2].isdigit())):
        return False            # 1，2，3: a list of labels
    if _BARE_STOP.match(text, r.num_end) or _PAIRING.search(text[max(0, r.start - 2):r.start]) \
            or _PAIRING.search(text[r.num_end:r.num_end + 2]):
        return False
    if _LABEL_BEFORE.search(text, max(0, r.start - 3), r.start):
        return False
    digits = r.num.translate(_FW)
    if digits.isdigit() and (len(digits) >= 5 or (len(digits) == 4 and 1900 <= int(digits) <= 2100)):
        return False            # 12345, 95598: hotlines and codes; 2022: a year
    return True


def _accept(r: _Raw, text: str, spans, unit: str | None = None, pct: bool | None = None,
            in_range: bool = False) -> tuple[Decimal, str] | None:
    """(value, unit) when `r` is a measurement, else None."""
    unit = r.unit if unit is None else unit
    pct = r.pct if pct is None else pct
    if not _context_ok(r, text, spans):
        return None
    v = _value(r, unit)
    if v is None:
        return None
    if pct:
        if unit not in (None, "%"):
            return None
        unit = "%"
    if unit is None:
        return (v, "") if _bare_ok(r, text, in_range) else None
    if unit == "成":
        unit = "%"
    if not r.arabic:
        if r.num in ("零", "〇"):
            return None
        if r.num == "一" and unit in _CLASSIFIERS and not in_range:
            return None
        if unit == "个" and v <= 10 and _SLOGAN_AFTER_GE.match(text, r.unit_end):
            return None        # 两个优化, 三个提高
    if unit == "次" and not r.arabic and text.startswith("会议", r.unit_end):
        return None            # 十三届全国人大四次会议: a session, not a count
    if unit == "年" and r.arabic and re.fullmatch(r"(19|20)\d\d|2100", r.num.translate(_FW)):
        return None            # 2021年 is a date
    if text[r.start - 1:r.start] in ("前", "后") and unit in _TIME_UNITS | {"名", "位"}:
        return None            # 前3个月, 后三名: a period or a rank
    return v, unit


def _mult_factor(num: str) -> Decimal:
    """The trailing 万/亿… multiplier of a numeral (1 when none): 5万 → 10^4."""
    m = re.search(_MULT + "$" if num[0] not in "〇零一二两三四五六七八九十" else "[万亿]+$", num)
    return parse_number("1" + m.group()) if m else Decimal(1)


def _range(lo: _Raw, hi: _Raw, text: str, spans) -> list[Quantity] | None:
    """Both bounds of `lo SEP hi`, or [] when the pair is a date/code, None if not a range."""
    if lo.suf or hi.pre or text[lo.end:hi.start] not in _RANGE_SEP:
        return None
    if lo.unit is not None and (lo.unit != hi.unit or lo.pct != hi.pct):
        return None
    high = _accept(hi, text, spans, in_range=True)
    if high is None or high[1] == "":
        return []
    factor = _mult_factor(hi.num)
    if factor != 1 and _mult_factor(lo.num) == 1:
        base = _value(lo, hi.unit)
        if base is not None and base * factor <= high[0]:
            lo = lo._replace(num=decimal_str(base * factor))
    low = _accept(lo, text, spans, unit=hi.unit, pct=hi.pct or lo.pct, in_range=True)
    if low is None or low[0] >= high[0]:
        return []
    return [_quantity(lo, text, low, "AtLeast"), _quantity(hi, text, high, "AtMost")]


def _quantity(r: _Raw, text: str, vu: tuple[Decimal, str], qualifier: str | None = None,
              signed: bool = False) -> Quantity:
    value, start = (-vu[0], r.start - 1) if signed and vu[0] else (vu[0], r.start)
    return Quantity(value=value, unit=vu[1], qualifier=qualifier or _qualifier(r),
                    surface=text[start:r.end], start=start, end=r.end)


def _signed(r: _Raw, text: str) -> bool:
    """An explicit minus (涨幅为-1.3%) is part of the number; 下降3% is not a sign."""
    return (r.pre is None and not r.pct and r.start >= 1 and text[r.start - 1] in "-−－"
            and (r.start == 1 or text[r.start - 2] in _SIGN_AFTER))


def find_quantities(text: str) -> list[Quantity]:
    """Every measurement figure in `text`, in order, with offsets into `text`."""
    if not text or not (_ANY_NUMERAL.search(text) or "百分之" in text):
        return []
    raws = [_raw(m) for m in _FIGURE_RE.finditer(text)
            if m.group("unit") or m.group("pct") or m.group("num")[0] in _ARABIC_START
            or text[m.end():m.end() + 1] in _RANGE_SEP]     # bare Chinese: only a range's low bound
    if not raws:
        return []
    spans = _protected(text)
    out: list[Quantity] = []
    i = 0
    while i < len(raws):
        if i + 1 < len(raws):
            pair = _range(raws[i], raws[i + 1], text, spans)
            if pair is not None:
                out.extend(pair)
                i += 2
                continue
        vu = _accept(raws[i], text, spans)
        if vu is not None:
            out.append(_quantity(raws[i], text, vu, signed=vu[1] != "" and _signed(raws[i], text)))
        i += 1
    return out
