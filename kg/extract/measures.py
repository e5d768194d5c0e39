"""Measures a region puts in place (region -adopts-> measure).

Rules, one per shape of the language:
- ``measure.quoted-head``: quoted names with their head noun: “5+2”课后服务,
  “黑白名单”制度, “营转非”、“备改审”方案, “跨界公益互助机制”.
- ``measure.quoted``: a quoted name that is the object of an adopting verb
  (实行“双签字”, 设立“绿色通道”) or one of a list of ways (以“四不两直”
  “双随机一公开”等方式开展…).
- ``measure.verb-object``: an adopting verb and its object read as a
  program (组建…专班, 压减培训机构数量, 制定作业管理细则).
The adopting region is the passage's region.  Slogans of attitude (坚持首善
标准, 高度重视) never match: their verbs are not adopting verbs.
A quoted term that is the article's topic (“双减” in a 双减 article) is not
a measure on its own, only inside a headed name (“双减”专班).
"""
from __future__ import annotations

import re

from ..numbers import find_quantities
from ..resolve import measure_entity, norm, region_entity
from .context import Context, Span
from .lexicon import words
from .select import Candidate, decide, model_version

HEADS = words("measure_heads")
# Heads that make a topic word a topic, not a measure: “双减”工作, “双减”试点.
_GENERIC_HEADS = ("试点", "政策", "要求", "改革", "工作")
ADOPT_VERBS = words("adopt_verbs")
# Weak verbs take an object that reads as a program only when it ends in a
# program noun (开展专项治理, 建设…服务平台), never 开展一切活动, 建设领域.
_WEAK_VERBS = set(words("weak_verbs"))
# …unless a plan or tally governs the verb: 计划建设筹措保障性租赁住房, 累计供应…用地.
_PLANNED = re.compile(r"(?:计划|将|拟|累计|新增|加快|大力|着力|继续|持续|逐步|共|已)$")
_PROGRAM_OBJECT_END = words("program_object_ends")
# Named programs written without quotes: 重点行业绿色升级工程, 根治欠薪冬季专项行动.
PROGRAM_HEADS = words("program_heads")
_PROGRAM_RE = re.compile("|".join(PROGRAM_HEADS))
_NEEDS_VERB = {"制度", "机制"}
_HEAD_INSIDE_WORD = re.compile(r"[者师生性化费款队部处院局员]|建设|管理|领域|项目")
_PROGRAM_STOP = re.compile(r"(?:开展|实施|启动|推进|部署|组织|完成|通过|加快|深入|持续|全面|分别为|建立|健全|完善|"
                           r"优化|落实|推动|参加|参与|加强|强化|坚持|围绕|按照|根据|依据|相关|有关|各项|这项|此项|"
                           r"该|本|的|对|了|和|与|及|等|在|是|将|为|从|由|向|以|每项|各项|各类|这些|上述|若干|"
                           r"工程|行动|计划|[一二三四五六七八九十两]+[项个大类条批])$")
_NEGATION = re.compile(r"不得|不准|不能|不予|不再|未|禁止.{0,6}$")
# Verbs that only carry a quoted name, never an unquoted program.
_QUOTE_ONLY_VERBS = set(words("quote_only_verbs"))
# A clause that states a purpose or a means is not itself a program.
_PURPOSE_START = ("为", "以便", "从而", "进而", "确保", "以")
# Quoted speech after these is content, not a name: 调整为“不留者提出申请”.
_SPEECH_BEFORE = re.compile(r"(?:为|变成|改成|是|称|说|叫|即)$")
# Verb-object programs are not headed by these (goals and attitudes).
_TOPIC_FOLLOWERS = ("工作", "政策", "试点", "要求", "以来", "实施", "背景", "改革", "精神", "会议", "讲话", "期间")
_QUOTE_RE = re.compile(r"“([^“”\n]{1,80})”")
_HEAD_RE = re.compile(r"(的)?((?:(?![是的为在和对])[\u4e00-\u9fffA-Za-z0-9]){0,12}?(?:" + "|".join(HEADS) + "))")
_VERB_RE = re.compile("|".join(sorted(set(ADOPT_VERBS), key=len, reverse=True)))
_ADVERB_PREFIX = re.compile(r"^(?:全面|积极|及时|大力|着力|加快|进一步|切实|严格|同时|另|首批|还|并|均|大幅|率先|"
                            r"统一|持续|不断|已|都|也|将|要|再|共|先后|逐步|主动|有效|依法|从严从快|从严|全力)+")
_OBJECT_CUT = re.compile(r"(?:用于|以便|为了|确保|促进|帮助|从而|进行|实现|提高|形成|，)")
_HEAD_BREAKING_VERB = re.compile(r"实施|开展|推进|建立|组建|落实|推动|加强|出台|制定|启动|部署")
_PERIOD = re.compile(r"^[一二三四五六七八九十]+五$")
def _nominal_use(text: str, pos: int) -> bool:
    """整治工作持续…, 实施情况相匹配, 建设现场举行: the verb heads a noun phrase."""
    for w in _NOMINAL_NEXT:
        if text.startswith(w, pos):
            after = pos + len(w)
            return w in ("的", "是", "为") or after >= len(text) or text[after] in "，。；：、！？" \
                or text.startswith(_NOMINAL_FOLLOW, after)
    return False


# 落实新发展理念, 落实“两会”精神, 推进项目落地见效: attitudes and goals, not instruments
_SLOGAN_END = ("精神", "理念", "部署", "指示", "见效", "思想", "定位", "导向")
_CONDITION_END = ("前提下", "情况下", "背景下", "基础上", "过程中", "条件下")
_NOMINAL_FOLLOW = ("持续", "取得", "已", "要", "非常", "相", "举行", "开展", "进展", "情况", "的", "是", "为", "中", "下")
_NOMINAL_NEXT = ("态势", "工作", "情况", "力度", "非常", "效果", "条件", "范围", "主体", "进展", "的", "是", "为", "过程",
                 "现场", "前提", "单位", "领域")
_DOC_COMPOUND = ("方案", "意见", "细则", "办法", "规定", "条例")
# 加大整治…力度: the program is the action, not its "strength".
_OBJECT_TAIL = re.compile(r"(?:的)?(?:力度|工作|水平|步伐|进度)$")
_BAD_END = set("的了等和与及、对把将在为以")


def _topics(ctx: Context) -> set[str]:
    """Quoted terms the article is about: in the title, or quoted 3+ times."""
    title = ctx.article.title or ""
    counts: dict[str, int] = {}
    for m in _QUOTE_RE.finditer(ctx.text):
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    out = {q for q, n in counts.items() if n >= 3}
    out |= {q for q in counts if f"“{q}”" in title}
    return out


def _quote_groups(text: str, start: int, end: int):
    """Runs of adjacent quotes: “A”“B”, “A”、“B”."""
    group: list[re.Match] = []
    for m in _QUOTE_RE.finditer(text, start, end):
        if group and text[group[-1].end():m.start()] not in ("", "、", " ", "，"[:0]):
            yield group
            group = []
        group.append(m)
    if group:
        yield group


# 增加可信度, 发展空间: these verbs take any noun; they need a program noun
_NO_COMPACT = {"增加", "发展"}


def _compact(obj: str) -> bool:
    """A short noun compound (资本招商, 飞地招商), not a phrase (一切活动, 相关服务)."""
    return 3 <= len(obj) <= 8 and not _FUNCTION_CHARS.search(obj) and not obj.startswith(_DETERMINERS)


_FUNCTION_CHARS = re.compile(r"[的了着过或和与及在对为把被从向以之其等]")
_DETERMINERS = ("一切", "各项", "各类", "相关", "有关", "这些", "上述", "其他", "所有", "一些", "一批", "多项", "多种",
                "一系列", "各种")


def _in_brackets(text: str, start: int, pos: int) -> bool:
    """Inside an explanation in brackets: （“三早”即早发现…）."""
    seg = text[start:pos]
    return seg.count("（") > seg.count("）") or seg.count("(") > seg.count(")")


def _in_document(ctx: Context, a: int, b: int) -> bool:
    return any(d.start < b and a < d.end for d in ctx.documents_in(ctx.sentence_at(a)))


def _has_verb_before(ctx: Context, clause_start: int, pos: int) -> bool:
    return _VERB_RE.search(ctx.text, clause_start, pos) is not None


def _add(ctx: Context, a: int, b: int, sentence, rule: str, seen: set,
         flags: tuple[str, ...] = ()) -> None:
    """Propose text[a:b] as a measure; `select.decide` keeps it or not.

    The label is always the verbatim span (quotes and white space aside)."""
    while a < b and ctx.text[a] in " ，,、":
        a += 1
    while b > a and ctx.text[b - 1] in " ，,、":
        b -= 1
    label = ctx.text[a:b]
    if len(norm(label)) < 2 or (a, b) in seen:
        return
    seen.add((a, b))
    listed = _listed_regions(ctx, sentence, a)
    regions = listed or [ctx.region_in_force(sentence.index)]
    ctx.measure_candidates.append(Candidate(label, a, b, sentence, rule, regions, bool(listed), tuple(flags)))


def emit(ctx: Context, c: Candidate, regions=None, rule: str | None = None) -> None:
    """A kept candidate becomes a measure of each of its regions (or of `regions`)."""
    rule = rule or c.rule + ("+list" if c.listed else "") + "@" + model_version("measure")
    for region in regions or c.regions:
        ent = measure_entity(c.label, region)
        span = Span(c.start, c.end, c.label, ent, c.sentence.index, c.rule)
        ctx.measure_spans.append(span)
        ctx.mention(span)
        ctx.fact(region_entity(region), "adopts", ent, c.sentence, (c.start, c.end), rule)


_LIST_GAP = set("、和与及 ")


def _listed_regions(ctx: Context, sentence, pos: int, inherit: bool = True) -> list:
    """北京、上海…西宁出手整顿…: each region of a list that opens the clause adopts it."""
    spans = [r for r in ctx.regions_in(sentence) if r.end <= pos]
    chain: list = []
    for r in spans:
        if chain and all(ch in _LIST_GAP for ch in ctx.text[chain[-1].end:r.start]):
            chain.append(r)
        else:
            chain = [r]
    if len(chain) < 2 or any(a.start < chain[-1].end and chain[0].start < a.end for a in ctx.agency_spans_in(sentence)) \
            or chain[0].start - ctx.clause_bounds(chain[0].start)[0] > 4:
        # 要有效增加…供给 right after “成都、西安…要大力发展…”: the same subject goes on
        prev = ctx.article.sentences[sentence.index - 1] if sentence.index else None
        if not spans and prev is not None and prev.paragraph == sentence.paragraph and inherit:
            return _listed_regions(ctx, prev, prev.end, inherit=False)
        return []
    out, seen = [], set()
    for r in chain:
        rec = ctx.regions.by_code(r.entity.key)
        if rec is not None and rec.code not in seen:
            seen.add(rec.code)
            out.append(rec)
    return out


def _quoted(ctx: Context, sentence, topics: set, seen: set) -> list[tuple[int, int]]:
    """Quoted names, with their head noun when one follows (“黑白名单”制度)."""
    text = ctx.text
    covered: list[tuple[int, int]] = []
    for group in _quote_groups(text, sentence.start, sentence.end):
        g0, g1 = group[0].start(), group[-1].end()
        clause_start, clause_end = ctx.clause_bounds(g0)
        inner = "".join(m.group(1) for m in group)
        if _PERIOD.match(inner):
            continue      # “十四五”: a planning period, not a measure
        flags = []
        if _in_brackets(text, sentence.start, g0):
            flags.append("in-brackets")
        if _SPEECH_BEFORE.search(text, max(0, g0 - 4), g0):
            flags.append("speech-before")
        head = _HEAD_RE.match(text, g1, min(clause_end, g1 + 16))
        if head and _HEAD_BREAKING_VERB.search(head.group(2)):
            head = None   # “十四五”时期实施…行动: a verb between quote and head, not one name
        last = group[-1].group(1)
        if head and inner in topics and head.group(2).endswith(_GENERIC_HEADS):
            flags.append("topic-generic-head")
        if head:
            a = head.start(2) if len(inner) > 20 else g0
            _add(ctx, a, head.end(), sentence, "measure.quoted-head", seen, tuple(flags))
            covered.append((g0, head.end()))
            continue
        if any(last.endswith(h) for h in HEADS) and len(inner) <= 24:
            _add(ctx, g0, g1, sentence, "measure.quoted-head", seen, tuple(flags))
            covered.append((g0, g1))
            continue
        after = text[g1:clause_end]
        is_list = after.startswith("等") and _has_verb_before(ctx, g1, clause_end)
        if not (is_list or _has_verb_before(ctx, clause_start, g0)):
            flags.append("no-verb")
        for m in group:
            q = m.group(1)
            if len(q) > 30 or not re.search(r"[\u4e00-\u9fff]", q):
                continue
            f = list(flags)
            if q in topics:
                f.append("topic")
            if text.startswith(_TOPIC_FOLLOWERS, m.end()):
                f.append("topic-follower")
            _add(ctx, m.start(), m.end(), sentence, "measure.quoted", seen, tuple(f))
            if "no-verb" not in f:
                covered.append((m.start(), m.end()))
    return covered


def _topic_only(obj: str, topics: set) -> bool:
    """落实“双减”要求: the topic itself (quoted terms looked up, never every topic tried)."""
    rest = _QUOTE_RE.sub(lambda m: "" if m.group(1) in topics else m.group(0), obj)
    return rest != obj and (not rest or rest in _GENERIC_HEADS)


def _verb_object(ctx: Context, sentence, covered, seen: set, topics: set = frozenset()) -> None:
    """An adopting verb and its object, verbatim: 组建“双减”专班, 压减培训机构数量."""
    pos = sentence.start
    while pos < sentence.end:
        a, b = ctx.clause_bounds(pos)
        pos = b + 1
        if any(a <= c0 < b for c0, _ in covered):
            continue
        verbs = _verbs(ctx, a, b)
        for rank, m in enumerate(verbs[:4]):
            if not _in_document(ctx, m.start(), b):
                _one_verb_object(ctx, sentence, a, b, m, rank, covered, seen, topics)
        if not verbs and b - a >= 4:
            _clause(ctx, sentence, a, b, covered, seen)


def _verbs(ctx: Context, a: int, b: int) -> list:
    """The clause's adopting verbs that start a word (开通 is no word of 公开通报)."""
    return [m for m in _VERB_RE.finditer(ctx.text, a, b)
            if m.group() != "通过" and ctx.is_word_start(m.start())]


_SUBJECT_LEAD = re.compile(r"^(?:[一二三四五六七八九十]是|其中|同时|此外|另外|并|还|也|要|将)+")


def _clause(ctx: Context, sentence, a: int, b: int, covered, seen: set) -> None:
    """A clause with no adopting verb, after its subject: 单人单检, 10人一混检 (the model decides)."""
    text = ctx.text
    start = a
    for sp in ctx.regions_in(sentence) + ctx.agency_spans_in(sentence):
        if a <= sp.start <= start + 1 and sp.end < b:
            start = max(start, sp.end)
    lead = _SUBJECT_LEAD.match(text, start, b)
    if lead:
        start = lead.end()
    quantities = ctx.quantities_between(start, b)
    if quantities:   # 续建项目539个: the name stops before its figure
        b = quantities[0][0]
    if any(c0 < b and start < c1 for c0, c1 in covered) or not 4 <= b - start <= 20:
        return
    _add(ctx, start, b, sentence, "measure.clause", seen, ("no-verb",))


def _one_verb_object(ctx: Context, sentence, a: int, b: int, m, rank: int, covered, seen: set,
                     topics: set) -> None:
    text = ctx.text
    flags = [f"verb-rank={min(rank, 2)}"]
    if text.startswith(_PURPOSE_START, a):
        flags.append("purpose")
    if m.group() in _QUOTE_ONLY_VERBS:
        flags.append("quote-only-verb")
    o0, o1 = m.end(), b
    if text.startswith(("、", "和", "与"), o0):
        return  # 查处、追罚齐发力: the verb is one of a list, not an action with an object
    cut = _OBJECT_CUT.search(text, o0, o1)
    if cut and cut.start() - o0 >= 2:
        o1 = cut.start()
    start = m.start()
    # a measure's name holds no metric: cut before a figure, or start after it
    obj = text[o0:o1]
    quantities = ctx.quantities_between(o0, o1)
    if quantities:
        if quantities[0][0] - o0 >= 2:
            o1 = quantities[0][0]
        else:
            o0 = start = quantities[-1][1]
    obj = text[o0:o1]
    if "、" in obj and "的" not in obj:
        _object_list(ctx, sentence, o0, o1, covered, seen, flags)
    if "的" in obj and "、" in obj.rsplit("的", 1)[0]:
        return  # 建成新型研发机构达到、纳入…的孵化器: a list of results, no one program
    if "的" in obj:
        tail = len(obj.rsplit("的", 1)[1])
        if tail >= 2:
            o0 = start = o1 - tail
            flags.append("de-tail")
    tail = _OBJECT_TAIL.search(text, o0, o1)
    if tail and tail.end() == o1 and tail.start() > o0:
        o1 = tail.start()
    obj = _ADVERB_PREFIX.sub("", text[o0:o1]).strip()
    if obj.startswith(_NOMINAL_NEXT) or obj.endswith(_CONDITION_END) or obj.endswith(_SLOGAN_END):
        flags.append("slogan-or-condition")
    if len(obj) < 3 or len(obj) > 24 or obj[-1] in _BAD_END or "《" in obj:
        return
    if _topic_only(obj, topics):
        flags.append("topic-only")
    if m.group() in _WEAK_VERBS and not obj.endswith(_PROGRAM_OBJECT_END) \
            and not _PLANNED.search(text, a, m.start()) \
            and not (_compact(obj) and m.group() not in _NO_COMPACT):
        flags.append("weak-verb-bare-object")
    if _nominal_use(text, m.end()) or text[m.start() - 1:m.start()] == "的" or text[m.end():m.end() + 1] in "值率量额司局厅处":
        flags.append("verb-as-noun")
    if text.startswith(_DOC_COMPOUND, m.end()):
        return  # 实施方案, 实施意见: a document's name, not an action
    if m.group() == "新增" and (any(q.unit == "例" for _, _, q in ctx.quantities_between(a, b))
                                or "无" in text[a:m.start()]):
        return  # 新增3例确诊病例: a count reported, not a program
    if _NEGATION.search(text, a, m.start()):
        flags.append("negated")
    if any(c0 < o1 and start < c1 for c0, c1 in covered):
        return
    _add(ctx, start, o1, sentence, "measure.verb-object", seen, tuple(flags))


def _object_list(ctx: Context, sentence, o0: int, o1: int, covered, seen: set, flags) -> None:
    """完善法规标准、经济政策、市场化机制: each object of the verb a candidate of its own."""
    text = ctx.text
    pos = o0
    for item in re.split(r"[、和及]", text[o0:o1]):
        a, pos = pos, pos + len(item) + 1
        if 2 <= len(item) <= 16 and not any(c0 < a + len(item) and a < c1 for c0, c1 in covered):
            _add(ctx, a, a + len(item), sentence, "measure.verb-object-item", seen, tuple(flags))


_MODAL_RE = re.compile(r"(?:原则上)?(?:应当|应|须|必须|需|不得|不准|不能|严禁|禁止|一律|均应|要)")


def _requirements(ctx: Context, sentence, covered, seen: set) -> None:
    """What a document requires or forbids (应独立成栋, 不得超过…): a measure of the region it binds."""
    text = ctx.text
    for m in _MODAL_RE.finditer(text, sentence.start, sentence.end):
        if not ctx.is_word_start(m.start()) or any(c0 <= m.start() < c1 for c0, c1 in covered):
            continue
        _, b = ctx.clause_bounds(m.start())
        cut = _OBJECT_CUT.search(text, m.end(), b)
        if cut and cut.start() - m.end() >= 2:
            b = cut.start()
        if not 2 <= b - m.end() <= 22:
            continue
        flags = ("modal=" + m.group()[-2:],)
        _add(ctx, m.start(), b, sentence, "measure.requirement", seen, flags)


_PLAN_RE = re.compile(r"(?:将|拟|计划|力争|争取|到\d{4}年(?:底|前)?，?)")


def _plans(ctx: Context, sentence, covered, seen: set) -> None:
    """Measures announced for the future (将…扩大至…, 到2025年建成…)."""
    text = ctx.text
    for m in _PLAN_RE.finditer(text, sentence.start, sentence.end):
        if not ctx.is_word_start(m.start()) or any(c0 <= m.start() < c1 for c0, c1 in covered):
            continue
        _, b = ctx.clause_bounds(m.start())
        a = m.end()
        quantities = ctx.quantities_between(a, b)
        if quantities and quantities[0][0] - a >= 2:
            b = quantities[0][0]
        if not 3 <= b - a <= 22:
            continue
        _add(ctx, a, b, sentence, "measure.plan", seen, ("plan=" + m.group()[:2],))


def _named_programs(ctx: Context, sentence, covered, seen: set) -> list[tuple[int, int]]:
    text = ctx.text
    out = []
    for m in _PROGRAM_RE.finditer(text, sentence.start, sentence.end):
        h, e = m.start(), m.end()
        if any(c0 <= h < c1 for c0, c1 in covered) or _in_document(ctx, h, e) \
                or any(g.start < e and h < g.end for g in ctx.agency_spans_in(sentence)):
            continue  # 国务院联防联控机制 is a body, named like a program
        if _HEAD_INSIDE_WORD.match(text, e):
            continue  # 行动者, 计划生育, 工程师: the head is inside a longer word
        a = h
        region_ends = {r.end for r in ctx.regions_in(sentence)}
        while a > sentence.start and h - a < 18 and ("\u4e00" <= text[a - 1] <= "\u9fff" or text[a - 1].isdigit()):
            if _PROGRAM_STOP.search(text, max(sentence.start, a - 4), a) or a in region_ends:
                break   # …(深圳)2022年重大项目计划: the name starts after its region
            a -= 1
        a = _skip_dates(text, a, h)
        if any(ch.isdigit() for ch in text[a:h]):
            # 完成5.3亿吨钢铁产能超低排放改造: the name starts after the figure;
            # 187家半导体企业中超过一半招聘计划: no short name after it, no program
            qs = find_quantities(text[a:h])
            if not qs or h - (a + qs[-1].end) > 10:
                continue
            a += qs[-1].end
        if h - a < 3:
            continue
        if any(r.start == a and r.end == h for r in ctx.regions_in(sentence)):
            continue  # 贺兰县计划完成…: 计划 is the region's verb here
        if m.group() in _NEEDS_VERB and not (_VERB_RE.search(text, ctx.clause_bounds(a)[0], a)
                                              or text[a - 1:a] in "、：:"):
            continue  # 拥有…反应机制: a mechanism described, not one put in place
        _add(ctx, a, e, sentence, "measure.named-program", seen)
        out.append((a, e))
    return out


_DATE_PREFIX = re.compile(r"(?:\d{4}年度?|[一二三四五六七八九十]+五|年度|年)")


def _skip_dates(text: str, a: int, h: int) -> int:
    m = _DATE_PREFIX.match(text, a, h)
    return m.end() if m else a


_HEADING_BULLET = re.compile(r"^[●•■◆▲★☆○◎·\-—\s]*(?:[（(]?[一二三四五六七八九十]+[)）、.．]|\d+[、.．])?\s*")
_NOT_HEADING = re.compile(r"[，。！？!?：:；;]$|摄$|^资料图|^图|^全文|^附件|^原标题|^来源|\d{1,2}月\d{1,2}日")


def _headings(ctx: Context, seen: set) -> None:
    """A one-line paragraph that names a task (明确重点招商方向, ● 项目引进实现新突破)."""
    sentences = ctx.article.sentences
    for i, s in enumerate(sentences):
        alone = (i == 0 or sentences[i - 1].paragraph != s.paragraph) and \
                (i + 1 < len(sentences) and sentences[i + 1].paragraph != s.paragraph)
        if not alone or _NOT_HEADING.search(s.text):
            continue
        m = _HEADING_BULLET.match(s.text)
        label = s.text[m.end():].strip()
        if not 5 <= len(label) <= 16 or not _VERB_RE.search(label) and not label.endswith(HEADS) \
                and not re.search(r"实现|突破|提升|增长|加强|强化|完善|建强|突出|创新|明确", label):
            continue
        if any(r.start == s.start + m.end() for r in ctx.regions_in(s)):
            continue   # 北京市博友园房地产经纪中心: a named organisation, not a task
        a = s.start + m.end()
        _add(ctx, a, s.end, s, "measure.heading", seen)


_LISTED_RE = re.compile(r"(?:通过|采取|以|利用|运用)?((?:[\u4e00-\u9fff“”]{3,16}[、和及]){1,8}[\u4e00-\u9fff“”]{3,16})"
                        r"等(?:多种|一系列|一批)?(?:举措|措施|方式|手段|办法|形式)")


def _listed(ctx: Context, sentence, covered, seen: set) -> list[tuple[int, int]]:
    """通过源头核查经营主体、重点区域路面巡查、清查违规网约车平台等举措: each item a measure."""
    out = []
    for m in _LISTED_RE.finditer(ctx.text, sentence.start, sentence.end):
        group, pos = m.group(1), m.start(1)
        lead = max(group.rfind(w) + len(w) if w in group else -1 for w in ("通过", "采取", "推行", "运用", "利用"))
        if lead > 0:   # 深圳、上海等地也通过推行A、B等方式: the items start after the verb
            group, pos = group[lead:], pos + lead
        for item in re.split(r"[、和及]", group):
            a, pos = pos, pos + len(item) + 1
            if 3 <= len(item) <= 16 and "“" not in item and not any(c0 <= a < c1 for c0, c1 in covered):
                _add(ctx, a, a + len(item), sentence, "measure.listed", seen)
                out.append((a, a + len(item)))
    return out


_ENUMERATED = re.compile(r"(?:^|(?<=[，。；：]))(?:[一二三四五六七八九十]是|第[一二三四五六七八九十]，)([\u4e00-\u9fff“”]{3,16})(?=[，。；])")


_TASK_START = ("抓紧", "做好", "加快", "加强", "严格", "规范", "提高", "提升", "适当", "确保", "坚决", "切实",
               "积极", "全面", "继续", "进一步", "着力", "大力", "及时", "统筹", "保障")


def _enumerated(ctx: Context, sentence, covered, seen: set) -> list[tuple[int, int]]:
    """一是抓紧分配…，二是…: each enumerated task is a measure."""
    out = []
    for m in _ENUMERATED.finditer(ctx.text, sentence.start, sentence.end):
        a, b = m.span(1)
        if any(c0 < b and a < c1 for c0, c1 in covered):
            continue
        if not (_VERB_RE.match(ctx.text, a) or ctx.text.startswith(_TASK_START, a)):
            continue  # 一是交通基础设施: an enumerated field, not a task
        _add(ctx, a, b, sentence, "measure.enumerated", seen)
        out.append((a, b))
    return out


def extract(ctx: Context) -> None:
    topics = _topics(ctx)
    seen: set = set()
    _headings(ctx, seen)
    for s in ctx.article.sentences:
        covered = _quoted(ctx, s, topics, seen)
        covered += _listed(ctx, s, covered, seen)
        covered += _enumerated(ctx, s, covered, seen)
        covered += _named_programs(ctx, s, covered, seen)
        _verb_object(ctx, s, covered, seen, topics)
        _requirements(ctx, s, covered, seen)
        _plans(ctx, s, covered, seen)
    for c in decide(ctx, ctx.measure_candidates):
        emit(ctx, c)
    _region_lists(ctx)


_LIST_FILLER = re.compile(r"[、，,；;。和及与等区\s]|市区|城区|地区")


def _region_lists(ctx: Context) -> None:
    """A sentence that is only a list of regions (杭州市区、宁波市区、余姚市…)
    names who adopts the measure its lead sentence announces
    (…城市名单包括：): each listed region adopts it."""
    sentences = ctx.article.sentences
    for s in sentences:
        spans = ctx.regions_in(s)
        if len(spans) < 3:
            continue
        rest = _LIST_FILLER.sub("", "".join(ctx.text[a:b] for a, b in _gaps(s, spans)))
        if len(rest) > 2:
            continue
        regions = []
        for r in spans:
            rec = ctx.regions.by_code(r.entity.key)
            if rec is not None and rec not in regions:
                regions.append(rec)
        lead = _list_lead(ctx, s)
        if lead is None:
            continue
        new = [r for r in regions if r not in lead.regions]
        if new:
            emit(ctx, lead, new, lead.rule + "+region-list")


def _gaps(s, spans):
    pos = s.start
    for r in spans:
        yield pos, r.start
        pos = r.end
    yield pos, s.end


def _list_lead(ctx: Context, s):
    """The best candidate of the nearest sentence before the list that introduces it (ends in ：)."""
    for i in range(s.index - 1, max(-1, s.index - 5), -1):
        lead = ctx.article.sentences[i]
        if lead.text.rstrip().endswith(("：", ":")):
            cands = [c for c in ctx.candidates_in(lead) if "no-verb" not in c.flags]
            if cands:
                return max(cands, key=lambda c: (c.kept, c.score))
    return None
