"""Documents and who issues them (agency -issues-> document).

Rules:
- ``document.title``: every 《…》 title.  “以下简称《通知》” makes 通知 an
  alias of the title before it, and later 《通知》 mean that document.
- ``document.named``: an unquoted name that is 印发/出台/制定… and ends in a
  document word (…退租工作的指导意见, …试点地区典型案例).
- ``issues.subject``: the issuers are the agencies of the nearest clause
  before the issuing verb (商务部、发展改革委…等六部门联合印发 -> six triples).
- ``issues.region-government``: no agency written; the government of the
  passage's region issues it (gold calls this ``agency_region``).
"""
from __future__ import annotations

import re

from ..resolve import GENERIC_TITLE_MAX, document_entity, government_of, norm
from .context import Context, Span
from .lexicon import words
from .select import cues

_ADMIN_WORDS = words("administrative_document_words")

ISSUE_VERBS = ("联合印发", "印发", "出台", "发布", "公布", "制定", "下发", "颁布", "发出", "联合发文", "出具", "修订", "推出")
_VERB_RE = re.compile("|".join(ISSUE_VERBS))
DOC_WORDS = ("指导意见", "实施意见", "意见", "通知", "实施方案", "工作方案", "方案", "指引", "办法", "规定", "标准",
             "细则", "规划", "条例", "决定", "若干措施", "措施", "行动计划", "计划", "纲要", "典型案例",
             "清单", "指南", "目录", "公告", "通告", "批复", "规则", "导则", "白皮书", "建议书")
_TITLE_RE = re.compile(r"《([^《》\n]{1,120})》")
_ALIAS_RE = re.compile(r"(?:以下)?简称[“\"《]([^”\"》]{1,20})[”\"》]")
_NAMED_RE = re.compile(
    "(" + "|".join(ISSUE_VERBS) + r")(?:了|过)?((?:[^，。；：！？、《》（）()\n]|、(?=[^，。；\n]*?(?:"
    + "|".join(DOC_WORDS) + "))){4,48}?(?:" + "|".join(DOC_WORDS) + "))(?![\u4e00-\u9fff])?")
_GENERIC_NAMED = re.compile("等")
_AGENCY_JOINERS = set("、和与及 ，")
_JOINER_WORDS = re.compile("会同|联合|协同|以及")


_MEDIA = re.compile(r"(?:日报|晚报|早报|周报|报道|周刊|杂志|新闻|频道|时报|商报)$")
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")
_BARE_DOC_WORDS = set(DOC_WORDS) | {"规范", "通报", "法"}


def _back_reference(title: str, specific: list):
    """A bare 《通知》 / 《意见》 / 《方案》 means the last document of that kind named in full."""
    if title not in _BARE_DOC_WORDS:
        return None
    for ent in reversed(specific):
        if _TRAILING_NOTE.sub("", norm(ent.label)).endswith(title):   # …纲要（2021—2035年）
            return ent
    return None


def _is_specific(title: str, ctx: Context) -> bool:
    t = norm(title)
    if t.startswith("关于") or len(t) > GENERIC_TITLE_MAX:
        return True
    return any(s in t for s in ("省", "市", "区", "县", "部", "委", "局"))


def _issuers(ctx: Context, verb_pos: int) -> list[Span]:
    """Agencies of the nearest clause before `verb_pos` in its sentence."""
    s = ctx.sentence_at(verb_pos)
    before = [a for a in ctx.agency_spans_in(s) if a.end <= verb_pos]
    if not before:
        return []
    clause_start, _ = ctx.clause_bounds(before[-1].start)
    # a clause that merely cites an authority (经国务院批准, 据商务部消息) is no subject
    group = [a for a in before if a.start >= clause_start]
    head = ctx.text[clause_start:group[0].start]
    # issuers are the clause's subject: at its start, not cited (经国务院批准)
    # nor inside a phrase (由教育、公安…银保监等部门参加的专班)
    # …unless the agency directly governs the verb: 根据东莞市工信局发布的《目录》
    adjacent = verb_pos - group[-1].end <= 3
    if not adjacent and (len(head) > 6 or any(w in head for w in ("经", "据", "按照", "依据", "对", "向", "由"))):
        return []
    # keep only the list the clause is about: contiguous agencies joined by 、和与及, 会同
    chain = [group[-1]]
    for a in reversed(group[:-1]):
        gap = _JOINER_WORDS.sub("", ctx.text[a.end:chain[0].start])
        if all(ch in _AGENCY_JOINERS for ch in gap):
            chain.insert(0, a)
        else:
            break
    return chain


def _verb_before(ctx: Context, pos: int) -> re.Match | None:
    a, _ = ctx.clause_bounds(pos)
    last = None
    for m in _VERB_RE.finditer(ctx.text, a, pos):
        last = m
    return last


def extract(ctx: Context) -> None:
    text = ctx.text
    found: list[tuple[int, int, str, str, re.Match | None]] = []   # start, end, title, rule, verb
    for m in _TITLE_RE.finditer(text):
        found.append((m.start(), m.end(), m.group(1).strip(), "document.title", _verb_before(ctx, m.start())))
    for m in _NAMED_RE.finditer(text):
        name = m.group(2).strip()
        if _GENERIC_NAMED.search(name) or len(norm(name)) < 8:
            continue
        if any(a <= m.start(2) < b for a, b, *_ in found):
            continue
        found.append((m.start(2), m.end(2), name, "document.named", m))
    found.sort(key=lambda f: f[0])

    aliases: dict[str, object] = {}
    specific: list = []   # documents named in full so far, for bare back-references
    for start, end, title, rule, verb in found:
        if not norm(title) or _MEDIA.search(title):
            continue   # 《21世纪经济报道》, 《南国早报》: a newspaper, not a document
        s = ctx.sentence_at(start)
        key_title = norm(title)
        back = _back_reference(key_title, specific) if verb is None else None
        if key_title in aliases:
            ent = aliases[key_title]
        elif back is not None:
            ent = back     # 《通知》明确… after 《关于…的通知》: the same document
        else:
            issuers = _issuers(ctx, verb.start()) if verb else []
            if issuers:
                issuer_key = issuers[0].entity.key
            else:
                issuer_key = ctx.region_in_force(s.index).code
            ent = document_entity(title, issuer_key, _is_specific(title, ctx))
            alias = _ALIAS_RE.match(text, end, min(len(text), end + 30)) or _ALIAS_RE.search(text[end:end + 12])
            if alias:
                aliases[norm(alias.group(1))] = ent
            if verb is not None:
                _issue(ctx, ent, issuers, s, (start, end), verb)
        if ent.label == title and key_title not in _BARE_DOC_WORDS:
            specific.append(ent)
        span = Span(start, end, title if rule == "document.named" else text[start:end].strip("《》"), ent, s.index, rule)
        ctx.document_spans.append(span)
        ctx.mention(span)


def _issue(ctx, doc, issuers, sentence, span, verb) -> None:
    if issuers:
        for a in issuers:
            ctx.fact(a.entity, "issues", doc, sentence, span, "issues.subject")
        return
    # no issuer written: the region's government, but only for an administrative document
    # (a report, a ranking or a market survey is no government's), and not when a company
    # or an institute is what the clause is about
    title = norm(doc.label)
    if not (title.endswith(_ADMIN_WORDS) or "政府" in title):
        return
    clause_start = ctx.clause_bounds(verb.start())[0]
    if any(w in ctx.text[clause_start:verb.start()] for w in cues()["company"]):
        return
    ctx.fact(government_of(ctx.region_in_force(sentence.index)), "issues", doc, sentence, span,
             "issues.region-government")
