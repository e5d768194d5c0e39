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

HEADS = ("课后服务", "服务", "制度", "机制", "模式", "方案", "平台", "工程", "行动", "专班", "体系", "原则", "关口",
         "标准", "要求", "清单", "通道", "工作法", "工作流程", "流程", "改革", "试点", "计划", "项目", "政策",
         "办法", "措施", "中心", "专项", "系统", "基金", "补贴", "名单", "举措", "工作机制")
# Heads that make a topic word a topic, not a measure: “双减”工作, “双减”试点.
_GENERIC_HEADS = ("试点", "政策", "要求", "改革", "工作")
ADOPT_VERBS = ("建立", "健全", "完善", "组建", "成立", "设立", "新设", "实施", "实行", "推行", "推出", "开展", "建设",
               "打造", "升级", "优化", "拓宽", "压减", "落实", "启动", "试行", "设置", "开通", "发放", "提供",
               "安排", "帮扶", "整顿", "停播", "取缔", "关停", "严禁", "禁止", "取消", "延长", "放宽",
               "减免", "免征", "退还", "推进", "构建", "开设", "上线", "制定", "研制", "出台", "组成",
               "实现", "做到", "通过", "调整", "扩大", "降低", "下调", "上调", "新增", "增设", "搭建",
               "征收", "执行", "推广", "部署", "启用", "要求", "规定", "进行", "核定",
               "暂停", "恢复", "整治", "清理", "查处", "排查", "予以", "供应", "打击", "推动", "强化", "深化",
               "严查", "清查", "核查", "巡查", "下架", "清除", "纳入", "加大", "记入", "复制推广",
               "发展", "增加", "筹集", "遏制", "投放", "采取", "防止",
               "避免", "抓好")
# Weak verbs take an object that reads as a program only when it ends in a
# program noun (开展专项治理, 建设…服务平台), never 开展一切活动, 建设领域.
_WEAK_VERBS = {"开展", "建设", "提供", "部署", "落实", "完善", "优化", "推进", "上线", "执行", "恢复", "组成",
               "调整", "扩大", "延长", "健全", "构建", "搭建", "升级", "拓宽", "打造", "排查", "予以", "供应",
               "推动", "深化", "纳入", "加大", "强化", "发展", "增加", "采取"}
# …unless a plan or tally governs the verb: 计划建设筹措保障性租赁住房, 累计供应…用地.
_PLANNED = re.compile(r"(?:计划|将|拟|累计|新增|加快|大力|着力|继续|持续|逐步|共|已)$")
_PROGRAM_OBJECT_END = ("治理", "整治", "平台", "体系", "机制", "制度", "工程", "行动", "计划", "服务", "专班",
                       "小组", "中心", "渠道", "通道", "检查", "监管", "项目", "试点", "改革", "监测", "政策",
                       "补贴", "补助", "资助", "减免", "经费", "标准", "清单", "名单", "基金", "工作室", "管理处",
                       "设计", "测试制", "制", "排查", "改造", "清零", "方式", "供给", "供应", "管理", "市场",
                       "扣除", "降费", "让利", "缓缴", "退税", "缓税")
# Named programs written without quotes: 重点行业绿色升级工程, 根治欠薪冬季专项行动.
PROGRAM_HEADS = ("专项行动", "行动计划", "专项整治", "专项治理", "行动", "工程", "计划", "改造", "制度", "机制")
_PROGRAM_RE = re.compile("|".join(PROGRAM_HEADS))
_NEEDS_VERB = {"制度", "机制"}
_HEAD_INSIDE_WORD = re.compile(r"[者师生性化费款队部处院局员]|建设|管理|领域|项目")
_PROGRAM_STOP = re.compile(r"(?:开展|实施|启动|推进|部署|组织|完成|通过|加快|深入|持续|全面|分别为|建立|健全|完善|"
                           r"优化|落实|推动|参加|参与|加强|强化|坚持|围绕|按照|根据|依据|相关|有关|各项|这项|此项|"
                           r"该|本|的|对|了|和|与|及|等|在|是|将|为|从|由|向|以|每项|各项|各类|这些|上述|若干|"
                           r"工程|行动|计划|[一二三四五六七八九十两]+[项个大类条批])$")
_NEGATION = re.compile(r"不得|不准|不能|不予|不再|未|禁止.{0,6}$")
# Verbs that only carry a quoted name, never an unquoted program.
_QUOTE_ONLY_VERBS = {"实现", "做到", "通过", "要求", "规定", "进行", "核定", "防止", "避免", "抓好"}
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
_MAY_HAVE_NUMBER = re.compile(r"[0-9０-９一二三四五六七八九十百千万亿两]")
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
    return any(d.start < b and a < d.end for d in ctx.document_spans)


def _has_verb_before(ctx: Context, clause_start: int, pos: int) -> bool:
    return _VERB_RE.search(ctx.text, clause_start, pos) is not None


def _add(ctx: Context, label: str, a: int, b: int, sentence, rule: str, seen: set) -> None:
    label = label.strip(" ，,、")
    if len(norm(label)) < 2:
        return
    listed = _listed_regions(ctx, sentence, a)
    for region in listed or [ctx.region_in_force(sentence.index)]:
        ent = measure_entity(label, region)
        if (ent.key, a) in seen:
            continue
        seen.add((ent.key, a))
        span = Span(a, b, ctx.text[a:b], ent, sentence.index, rule)
        ctx.measure_spans.append(span)
        ctx.mention(span)
        ctx.fact(region_entity(region), "adopts", ent, sentence, (a, b), rule + ("+list" if listed else ""))


_LIST_GAP = set("、和与及 ")


def _listed_regions(ctx: Context, sentence, pos: int, inherit: bool = True) -> list:
    """北京、上海…西宁出手整顿…: each region of a list that opens the clause adopts it."""
    spans = [r for r in ctx.region_spans if sentence.start <= r.start and r.end <= pos]
    chain: list = []
    for r in spans:
        if chain and all(ch in _LIST_GAP for ch in ctx.text[chain[-1].end:r.start]):
            chain.append(r)
        else:
            chain = [r]
    if len(chain) < 2 or any(a.start < chain[-1].end and chain[0].start < a.end for a in ctx.agency_spans) \
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
    text = ctx.text
    covered: list[tuple[int, int]] = []
    for group in _quote_groups(text, sentence.start, sentence.end):
        g0, g1 = group[0].start(), group[-1].end()
        clause_start, clause_end = ctx.clause_bounds(g0)
        inner = "".join(m.group(1) for m in group)
        if _in_brackets(text, sentence.start, g0) or _SPEECH_BEFORE.search(text, max(0, g0 - 4), g0):
            continue
        head = _HEAD_RE.match(text, g1, min(clause_end, g1 + 16))
        if head and _HEAD_BREAKING_VERB.search(head.group(2)):
            head = None   # “十四五”时期实施…行动: a verb between quote and head, not one name
        last = group[-1].group(1)
        if _PERIOD.match(inner):
            continue      # “十四五”: a planning period, not a measure
        if head and inner in topics and head.group(2).endswith(_GENERIC_HEADS):
            continue
        if head:
            if len(inner) > 20:
                label = head.group(2)
            else:
                label = text[g0:head.end()]
            _add(ctx, label, g0, head.end(), sentence, "measure.quoted-head", seen)
            covered.append((g0, head.end()))
            continue
        if any(last.endswith(h) for h in HEADS) and len(inner) <= 24:
            _add(ctx, text[g0:g1], g0, g1, sentence, "measure.quoted-head", seen)
            covered.append((g0, g1))
            continue
        after = text[g1:clause_end]
        is_list = after.startswith("等") and _has_verb_before(ctx, g1, clause_end)
        if not (is_list or _has_verb_before(ctx, clause_start, g0)):
            continue
        for m in group:
            q = m.group(1)
            if q in topics or text.startswith(_TOPIC_FOLLOWERS, m.end()):
                continue
            if len(q) > 30 or not re.search(r"[\u4e00-\u9fff]", q):
                continue
            _add(ctx, m.group(0), m.start(), m.end(), sentence, "measure.quoted", seen)
            covered.append((m.start(), m.end()))
    return covered


def _topic_only(obj: str, topics: set) -> bool:
    rest = obj
    for t in topics:
        rest = rest.replace(f"“{t}”", "")
    return rest != obj and (not rest or rest in _GENERIC_HEADS)


def _verb_object(ctx: Context, sentence, covered, seen: set, topics: set = frozenset()) -> None:
    text = ctx.text
    pos = sentence.start
    while pos < sentence.end:
        a, b = ctx.clause_bounds(pos)
        pos = b + 1
        if any(a <= c0 < b for c0, _ in covered):
            continue
        if text.startswith(_PURPOSE_START, a):
            continue
        m = _VERB_RE.search(text, a, b)
        while m and m.group() == "通过":   # 通过实施…政策: the program's verb comes next
            m = _VERB_RE.search(text, m.end(), b)
        if not m or m.group() in _QUOTE_ONLY_VERBS or _in_document(ctx, m.start(), b):
            continue
        obj_start = m.end()
        obj = text[obj_start:b]
        if obj.startswith(("、", "和", "与")):
            continue  # 查处、追罚齐发力: the verb is one of a list, not an action with an object
        cut = _OBJECT_CUT.search(obj)
        if cut and cut.start() >= 2:
            obj = obj[:cut.start()]
        # drop figures: a measure's name holds no metric
        quantities = find_quantities(obj) if _MAY_HAVE_NUMBER.search(obj) else ()
        for q in sorted(quantities, key=lambda q: q.start, reverse=True):
            obj = obj[:q.start] + obj[q.end:]
        obj = re.sub(r"^(?:由|对|向|把|将|在|了)?", "", obj)
        if "的" in obj and "、" in obj.rsplit("的", 1)[0]:
            continue  # 建成新型研发机构达到、纳入…的孵化器: a list of results, no one program
        if "的" in obj:
            tail = obj.rsplit("的", 1)[1]
            if len(tail) >= 2:
                obj = tail
        obj = _ADVERB_PREFIX.sub("", obj).strip()
        obj = _OBJECT_TAIL.sub("", obj)
        if obj.startswith(_NOMINAL_NEXT) or obj.endswith(_CONDITION_END) or obj.endswith(_SLOGAN_END):
            continue  # …项目的情况相匹配, 在…的前提下: a condition, not a program
        if len(obj) < 3 or len(obj) > 24 or obj[-1] in _BAD_END or "《" in obj:
            continue
        if _topic_only(obj, topics):
            continue  # 落实“双减”要求, 推进“双减”试点: the topic itself, not a measure
        if m.group() in _WEAK_VERBS and not obj.endswith(_PROGRAM_OBJECT_END) \
                and not _PLANNED.search(text, a, m.start()) \
                and not (_compact(obj) and m.group() not in _NO_COMPACT):
            continue
        if _nominal_use(text, m.end()) or text[m.start() - 1:m.start()] == "的" or text[m.end():m.end() + 1] in "值率量额司局厅处":
            continue  # 整治工作持续…, 实施情况: the verb used as a noun
        if text.startswith(_DOC_COMPOUND, m.end()):
            continue  # 实施方案, 实施意见: a document's name, not an action
        if m.group() == "新增" and (any(q.unit == "例" for q in find_quantities(text[a:b])) or "无" in text[a:m.start()]):
            continue  # 新增3例确诊病例: a count reported, not a program
        if _NEGATION.search(text, a, m.start()):
            continue  # 不得提供…: a prohibition's content is not a measure put in place
        if any(c0 < b and a < c1 for c0, c1 in covered):
            continue
        _add(ctx, m.group() + obj, m.start(), b, sentence, "measure.verb-object", seen)


def _named_programs(ctx: Context, sentence, covered, seen: set) -> list[tuple[int, int]]:
    text = ctx.text
    out = []
    for m in _PROGRAM_RE.finditer(text, sentence.start, sentence.end):
        h, e = m.start(), m.end()
        if any(c0 <= h < c1 for c0, c1 in covered) or _in_document(ctx, h, e) \
                or any(g.start < e and h < g.end for g in ctx.agency_spans):
            continue  # 国务院联防联控机制 is a body, named like a program
        if _HEAD_INSIDE_WORD.match(text, e):
            continue  # 行动者, 计划生育, 工程师: the head is inside a longer word
        a = h
        while a > sentence.start and h - a < 18 and ("\u4e00" <= text[a - 1] <= "\u9fff" or text[a - 1].isdigit()):
            if _PROGRAM_STOP.search(text, max(sentence.start, a - 4), a):
                break
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
        if any(r.start == a and r.end == h for r in ctx.region_spans):
            continue  # 贺兰县计划完成…: 计划 is the region's verb here
        if m.group() in _NEEDS_VERB and not (_VERB_RE.search(text, ctx.clause_bounds(a)[0], a)
                                              or text[a - 1:a] in "、：:"):
            continue  # 拥有…反应机制: a mechanism described, not one put in place
        _add(ctx, text[a:e], a, e, sentence, "measure.named-program", seen)
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
        if any(r.start == s.start + m.end() for r in ctx.region_spans):
            continue   # 北京市博友园房地产经纪中心: a named organisation, not a task
        a = s.start + m.end()
        _add(ctx, label, a, s.end, s, "measure.heading", seen)


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
                _add(ctx, item, a, a + len(item), sentence, "measure.listed", seen)
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
        _add(ctx, m.group(1), a, b, sentence, "measure.enumerated", seen)
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
    ctx.measure_spans.sort(key=lambda sp: (sp.start, sp.end))
