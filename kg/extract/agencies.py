"""Agencies: central bodies by gazetteer, local ones by pattern.

Three rules, tried in this order over the text:
- ``agency.local``: a region name followed by a body suffix (上海市委,
  广州市教育局); the canonical suffix is used (政府 -> 人民政府).
- ``agency.relative``: 市委, 市政府, 区教委… with no region written; the
  region comes from the passage in force.
- ``agency.central``: a name or press short form from the gazetteer
  (发改委 -> 国家发展和改革委员会), with jurisdiction 全国.
"""
from __future__ import annotations

import re

from ..gazetteer.matcher import Matcher
from ..gazetteer.regions import NATIONAL_CODE
from ..resolve import agency_entity, local_agency, relative_region
from .context import Context, Span

_RELATIVE_PREFIXES = ("自治区", "省", "市", "区", "县", "州")
# A character before 市/区/县 that makes it part of another word (城市, 社区).
_WORD_BEFORE = {
    "市": set("城超都上股夜集门闹菜早楼黑花鱼省县区全各本该我此同别多湖沪深"),
    "区": set("地城社景园新验范辖片街山灾疫险市郊矿牧林老湾保特学校商住能港贸试省县各本该全我此"),
    "县": set("郡州市区各本该全我此"),
    "省": set("各本该全我此外节反"),
    "州": set("各本该全我此"),
    "自治区": set("各本该全"),
}
# 教育部门, 财政部门: a department in general, not the ministry.
_NOT_AFTER = {"部": set("门署分位")}
_JOINERS = set("、和与及由经对向据是在")


_CACHE: dict[int, tuple] = {}


def _patterns(gaz) -> tuple[re.Pattern, re.Pattern, Matcher]:
    """(region+suffix, relative prefix+suffix, central names), built once per gazetteer."""
    got = _CACHE.get(id(gaz))
    if got is None:
        alts = "|".join(re.escape(s) for s in sorted(gaz.suffixes(), key=len, reverse=True))
        pre = "|".join(_RELATIVE_PREFIXES)
        got = _CACHE[id(gaz)] = (re.compile(f"(?:中共)?({alts})"),
                                 re.compile(f"({pre})(?:各区|各县)?({alts})"),
                                 Matcher(gaz.surfaces()))
    return got


_BRANCH_RE = re.compile(r"(?:中心支行|营业管理部|分行|支行|分局|监管局|调查总队|办事处)")


def _branch(ctx: Context, sentence, b: int):
    """A central body's local branch: the body, a region, a branch word → (region, end)."""
    for r in ctx.regions_in(sentence):
        if r.start == b:
            m = _BRANCH_RE.match(ctx.text, r.end)
            rec = ctx.regions.by_code(r.entity.key)
            if m and rec is not None and rec.code != NATIONAL_CODE:
                return rec, m.end()
    return None


class _Cover:
    """Characters already taken by an agency: overlap checks in the span's length, not in
    the number of agencies found (linear in the article)."""

    def __init__(self, n: int):
        self.taken = bytearray(n + 1)

    def add(self, sp: Span) -> Span:
        self.taken[sp.start:sp.end] = b"\x01" * (sp.end - sp.start)
        return sp

    def hits(self, a: int, b: int) -> bool:
        return 1 in self.taken[a:b]


def extract(ctx: Context) -> None:
    text = ctx.text
    suffixes = ctx.agencies.suffixes()
    suffix_re, rel_re, matcher = _patterns(ctx.agencies)
    by_region: dict[int, Span] = {}   # one local agency per region mention, keyed by its start

    # region + suffix
    for r in ctx.region_spans:
        m = suffix_re.match(text, r.end)
        if not m:
            continue
        surface_suffix = m.group(1)
        canonical, _ = suffixes[surface_suffix]
        rec = ctx.regions.by_code(r.entity.key)
        if rec is None or rec.code == NATIONAL_CODE:
            continue
        start = r.start - 2 if text[max(0, r.start - 2):r.start] == "中共" else r.start
        ent = local_agency(rec, canonical)
        by_region[r.start] = Span(start, m.end(), text[start:m.end()], ent, r.sentence, "agency.local")

    # region + a body the suffix table lacks: 西宁市住房保障和房产管理局, 西宁市委网络安全和信息化委员会办公室
    for r in ctx.region_spans:
        m = _OPEN_BODY_RE.match(text, r.end)
        rec = ctx.regions.by_code(r.entity.key)
        if not m or rec is None or rec.code == NATIONAL_CODE:
            continue
        fixed = by_region.get(r.start)
        if fixed and fixed.end >= m.end():
            continue
        ent = agency_entity(rec.name + m.group(), rec.code)
        by_region[r.start] = Span(r.start, m.end(), text[r.start:m.end()], ent, r.sentence, "agency.local-open")
    cover = _Cover(len(text))
    found = [cover.add(sp) for sp in by_region.values()]

    # region + named body: 江西根治拖欠农民工工资工作领导小组办公室
    for r in ctx.region_spans:
        m = _BODY_RE.match(text, r.end)
        rec = ctx.regions.by_code(r.entity.key)
        if m and rec and rec.code != NATIONAL_CODE and not cover.hits(r.start, m.end()) \
                and not any(ch in m.group() for ch in "，。、；"):
            ent = agency_entity(rec.name + m.group(), rec.code)
            found.append(cover.add(Span(r.start, m.end(), text[r.start:m.end()], ent, r.sentence, "agency.local+body")))

    # relative: 市委, 市政府, 区教委
    for m in rel_re.finditer(text):
        a, b = m.span()
        if cover.hits(a, b):
            continue
        prefix, surface_suffix = m.group(1), m.group(2)
        before = text[a - 1] if a > 0 else ""
        if before and before in _WORD_BEFORE.get(prefix, ()):
            continue
        if before and ("\u4e00" <= before <= "\u9fff") and _ends_region_name(ctx, a):
            continue
        s = ctx.sentence_at(a)
        rec = relative_region(ctx.regions, prefix, ctx.region_in_force(s.index))
        if rec is None:
            continue
        canonical, _ = suffixes[surface_suffix]
        collective = "各" in m.group(0) or (prefix in ("区", "县") and rec.level < 3)
        ent = local_agency(rec, canonical, collective=collective)
        found.append(cover.add(Span(a, b, m.group(0), ent, s.index, "agency.relative")))

    # central bodies
    surfaces = ctx.agencies.surfaces()
    for a, b, surface in matcher.finditer(text):
        if cover.hits(a, b):
            continue
        nxt = text[b] if b < len(text) else ""
        if nxt in _NOT_AFTER.get(surface[-1], ()):
            continue
        before = text[a - 1] if a > 0 else ""
        if len(surface) == 2 and "\u4e00" <= before <= "\u9fff" and before not in _JOINERS:
            continue  # 国办 in 全国办理, 人行 in 个人行为
        rec = surfaces[surface]
        s = ctx.sentence_at(a)
        branch = _branch(ctx, s, b)
        if branch is not None:   # 中国人民银行福州中心支行, 国家外汇管理局福建省分局
            region, end = branch
            ent = agency_entity(rec.name + text[b:end], region.code)
            found.append(cover.add(Span(a, end, text[a:end], ent, s.index, "agency.central-branch")))
            continue
        ent = agency_entity(rec.name, rec.jurisdiction or NATIONAL_CODE)
        found.append(cover.add(Span(a, b, surface, ent, s.index, "agency.central")))

    ends = {sp.end for sp in found}
    found = [_named_body(ctx, sp) for sp in found
             if not _SOURCE_AFTER.match(text, sp.end) and not _in_domain_list(text, sp, ends)
             and text[sp.start - 1:sp.start] != "届"]   # 十三届全国人大四次会议: a session, not an actor
    found.sort(key=lambda s: (s.start, s.end))
    for span in found:
        ctx.agency_spans.append(span)
        ctx.mention(span)


# A body named after its parent: 国务院根治拖欠农民工工资工作领导小组办公室.
_BODY_RE = re.compile(r"[\u4e00-\u9fff]{2,24}?(?:领导小组办公室|领导小组|联席会议办公室|联席会议|指挥部|工作专班)")
_OPEN_BODY_RE = re.compile(r"(?:(?![的了在将对为等是和与及])[\u4e00-\u9fff]|和(?=[\u4e00-\u9fff]{2})){2,16}?"
                           r"(?:委员会办公室|管理委员会|委员会|管理局|执法局|监督局|服务局|事务局|办公室|局|厅)"
                           r"(?![\u4e00-\u9fff]{0,1}(?:长|员|干部|人士))")
# A news source, not an actor: 新华社记者, 商务部网站消息.
_SOURCE_AFTER = re.compile(r"(?:[\u4e00-\u9fff]{0,6}\d{1,2}月\d{1,2}日)?(?:记者|讯|电|报道)|网站|官网|客户端|微信公众号|官方微博")


def _in_domain_list(text: str, sp: Span, ends: set[int]) -> bool:
    """教育、公安、信访…银保监等部门: a list of fields, where 银保监 names no actor."""
    if sp.rule != "agency.central" or not text.startswith(("等部门", "等单位"), sp.end):
        return False
    return text[sp.start - 1:sp.start] == "、" and sp.start - 1 not in ends


def _named_body(ctx: Context, span: Span) -> Span:
    m = _BODY_RE.match(ctx.text, span.end)
    if not m or any(ch in m.group() for ch in "，。、；"):
        return span
    name = span.entity.label + m.group()
    ent = agency_entity(name, span.entity.prop("jurisdiction") or NATIONAL_CODE)
    return Span(span.start, m.end(), ctx.text[span.start:m.end()], ent, span.sentence, span.rule + "+body")


def _ends_region_name(ctx: Context, a: int) -> bool:
    """True when a region mention ends right at `a` (already a local agency)."""
    return any(r.end == a for r in ctx.region_spans)
