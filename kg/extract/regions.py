"""Regions: every division named, resolved to one record; then passages.

A mention is resolved with the regions already in force as context (朝阳区
in a Beijing passage is Beijing's).  A region that opens a clause as its
subject (“北京方面，…”, “上海市大幅压减…”) starts a passage that runs until
the next one; relative names and measures are read against it.
"""
from __future__ import annotations

from ..gazetteer.matcher import Matcher
from ..gazetteer.regions import NATIONAL_CODE, RegionRecord
from ..resolve import region_entity
from .context import CLAUSE_BREAKS, Context, Span

# Characters after a place name that show it is part of a longer word
# (大连路, 中山大学, 海南岛 …) rather than the division itself.
_WORD_CONTINUES = set("路街道桥湖江河山岭岛大学院站港口镇村乡寺庙馆园")
_LIST_JOINERS = set("、和与及等")


# Official names that are also everyday words (阳泉市城区, 长治市郊区).
_GENERIC_NAMES = {"城区", "郊区", "矿区"}
_MATCHERS: dict[int, Matcher] = {}


def _matcher(gaz) -> Matcher:
    m = _MATCHERS.get(id(gaz))
    if m is None:
        m = _MATCHERS[id(gaz)] = Matcher(s for s in gaz.surfaces() if s not in _GENERIC_NAMES)
    return m


def _find(ctx: Context) -> list[tuple[int, int, str]]:
    m = _matcher(ctx.regions)
    text = ctx.text
    out = []
    for a, b, s in m.finditer(text):
        if b < len(text) and text[b] in _WORD_CONTINUES and len(s) <= 3 and not s.endswith(("市", "省", "区", "县")):
            continue
        out.append((a, b, s))
    return out


def _title_region(ctx: Context) -> RegionRecord:
    gaz = ctx.regions
    m = _matcher(gaz)
    found = []
    for _, _, s in m.finditer(ctx.article.title or ""):
        rec = gaz.resolve(s)
        if rec and rec.code != NATIONAL_CODE and rec not in found:
            found.append(rec)
    return found[0] if len(found) == 1 else gaz.by_code(NATIONAL_CODE)


def _resolve(gaz, surface: str, context: list[str]) -> RegionRecord | None:
    """Resolve by context; a county's short form (安居, 和安) needs its city or
    province in force, since such short forms hide inside ordinary words."""
    rec = gaz.resolve(surface, context)
    if rec is None or rec.level < 3 or surface == rec.name:
        return rec
    if any(rec.code == c or gaz.is_within(rec.code, c) for c in context):
        return rec
    return None


def _opens_passage(text: str, a: int, b: int, sent_start: int) -> bool:
    """Clause-initial and not the head of a list (北京、上海等地)."""
    before = text[a - 1] if a > sent_start else "，"
    if before not in CLAUSE_BREAKS and before not in "　 “":
        if not text[max(sent_start, a - 1):a] in ("在",):
            return False
    after = text[b] if b < len(text) else "。"
    return after not in _LIST_JOINERS


def extract(ctx: Context) -> None:
    gaz = ctx.regions
    text = ctx.text
    sentences = ctx.article.sentences
    in_force = _title_region(ctx)
    hits = _find(ctx)
    hi = 0
    for s in sentences:
        context_codes = [in_force.code] if in_force.code != NATIONAL_CODE else []
        opener = None
        while hi < len(hits) and hits[hi][0] < s.end:
            a, b, surface = hits[hi]
            hi += 1
            if a < s.start:
                continue
            rec = _resolve(gaz, surface, context_codes)
            if rec is None:
                continue
            span = Span(a, b, surface, region_entity(rec), s.index, "region.gazetteer")
            ctx.region_spans.append(span)
            ctx.mention(span)
            if opener is None and _opens_passage(text, a, b, s.start):
                opener = rec
        if opener is not None and opener.code != NATIONAL_CODE:
            in_force = opener
        ctx.passage.append(in_force)
