"""Metrics: each figure that quantifies a measure (measure -hasMetric-> metric).

The number parser (kg.numbers) already refuses numbers in names, dates,
codes and phone numbers.  Here a figure is tied to a measure:
- ``metric.same-clause``: a measure named earlier in the figure's clause;
- ``metric.action``: the clause itself names the action (…机构压减21.73%,
  无证机构动态清零的区12个): that action, as a measure of the passage;
- ``metric.same-sentence``: else the nearest measure of the sentence.
A figure with no measure in its sentence is not a metric.
The indicator is what the figure counts: the noun phrase before it
(参加学生比例达到95%) or, after an object-taking verb, the noun after it
(组建由27个部门…, 超过80%的教师).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..gazetteer.regions import load_regions
from ..model import Entity, Mention
from ..numbers import decimal_str
from ..resolve import measure_entity, norm, region_entity
from .context import Context, Span
from .select import active_model, model_version

ACTION_VERBS = ("压减", "清零", "治理", "整治", "取缔", "关停", "查处", "罚款", "退费", "化解", "减免", "退税",
                "开工", "竣工", "资助", "补贴", "下调", "上调", "调整")
# Counts of parts of a text, not of the world: 八个方面, 前五批, 第三批.
_NOT_A_FIGURE_AFTER = re.compile(r"方面|部分|层次|环节|阶段|步骤|条措施|项措施")
_NOT_A_FIGURE_BEFORE = set("前后第")
_IN_PROGRAM_NAME = re.compile(r"[\u4e00-\u9fff]{0,12}?(?:工程|行动|措施|任务|举措|制度|机制|专项治理|专项整治)")
_COUNTED_POLICIES = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:政策|措施|举措|任务|意见|规定|条款)")
# Documents that set targets (a plan's 下降13.5%), unlike laws and notices.
_PLAN_WORDS = ("方案", "规划", "计划", "纲要", "意见", "措施")
_ACTION_RE = re.compile("|".join(ACTION_VERBS))
# Link words between an indicator and its figure; change verbs (增长, 减少) stay: 同比增长 is the indicator.
_TRAILING_LINK = re.compile(r"(?:达到|达|为|是|约为|累计|共计|共|合计|已有|已经|已|有|了|近|约)$")
_LEADING = re.compile(r"^(?:目前|其中|同时|今年|全年|此外|累计|共|已|并|另|首批|按|对|将|还|均|此次|本次|这次|该)+")
_OBJECT_VERBS = re.compile(r"(?:提供|组建|抽调|遴选|形成|安排|引入|投入|组成|建成|新增|完成|发放|帮助|惠及|开展|设立|"
                           r"建设|培训|招聘|吸纳|带动|支持|筹集|下达|拨付|安置|涉及|覆盖|检测|责令|处罚|查处|"
                           r"提出|有|由|对|向|给予|实现|达到|供应|筹措|发放|拨付|减免|退还)$")
_POST_STOP = re.compile(r"[，。；：、！？\n（(]|予以|组成|投入|引入|组建|用于|录制|促进|参加|参与|提供|实现|"
                        r"完成|达到|开展|进行|获得|享受|受益|通过|覆盖|的(?=[\u4e00-\u9fff]{0,2}[，。；])|"
                        r"[和及](?=[0-9一二三四五六七八九十])")


def _is_place(text: str) -> bool:
    return bool(load_regions().candidates(text))


def _indicator(text: str, clause_start: int, q_start: int, q_end: int, clause_end: int,
               others: list[tuple[int, int]] = ()) -> str:
    pre = text[clause_start:q_start]
    for a, b in sorted(others, reverse=True):  # other figures of the clause are not part of this one's name
        if clause_start <= a and b <= q_start:
            pre = pre[:a - clause_start] + pre[b - clause_start:]
    pre = pre.rstrip("、，约近超")
    pre = _TRAILING_LINK.sub("", pre)
    pre = _TRAILING_LINK.sub("", pre)
    post = text[q_end:clause_end]
    post = post[1:] if post.startswith("的") else post
    stop = _POST_STOP.search(post)
    post = post[:stop.start()] if stop else post
    post = post[:12]
    pre_clean = _LEADING.sub("", pre).strip()
    # after an object-taking verb or a list (腾讯…等1180家企业), the noun after the figure names it
    # …or when what precedes is only a verb or a place (累计推动约180家企业, 全国57个市)
    if not pre_clean or _OBJECT_VERBS.search(pre_clean) or pre_clean.endswith("等") \
            or (post.strip() and (len(pre_clean) <= 2 or _is_place(pre_clean))):
        return post.strip() or pre_clean
    return pre_clean[-20:]


def _measure_for(ctx: Context, sentence, clause: tuple[int, int], q_start: int) -> tuple[Span | None, str]:
    """The measure of the figure's clause, else of its sentence, else of the paragraph's
    lead or heading (annotation.md, "a metric's measure"); indexed lookups only."""
    in_sentence = ctx.measures_in(sentence)
    same_clause = [m for m in in_sentence if clause[0] <= m.start < clause[1]]
    if same_clause:
        before = [m for m in same_clause if m.start < q_start]
        return (before[-1] if before else same_clause[0]), "metric.same-clause"
    before = [m for m in in_sentence if m.start < q_start]
    if before:
        return before[-1], "metric.same-sentence"
    if _ACTION_RE.search(ctx.text, clause[0], q_start):
        return None, "metric.action"
    after = [m for m in in_sentence if m.start >= q_start]
    if after:
        return after[0], "metric.same-sentence"
    if ctx.text.startswith("其中", sentence.start) and sentence.index > 0:
        prev = ctx.article.sentences[sentence.index - 1]
        earlier = ctx.measures_in(prev)
        if earlier and prev.paragraph == sentence.paragraph:
            return earlier[-1], "metric.previous-sentence"   # 其中，123幅已开工: a part of what came before
    docs = [d for d in ctx.documents_in(sentence) if d.start < q_start and d.entity.label.endswith(_PLAN_WORDS)]
    if docs:
        return docs[-1], "metric.document"   # 《方案》提出…下降13.5%: the plan is the measure
    lead = _paragraph_lead(ctx, sentence)
    if lead is not None:
        return lead, "metric.paragraph-lead"
    return None, ""


def _promote(ctx: Context, c) -> Span:
    """A candidate the model left out names the figure's program: it is a measure after all."""
    from .measures import emit
    if not c.kept:
        c.kept = True
        emit(ctx, c)
    return next(sp for sp in ctx.measures_in(c.sentence) if sp.start == c.start and sp.end == c.end)


def _most_specific(ctx: Context, sentence, pos: int, in_force):
    """The region a figure is about: the region its clause opens with (吴忠市增长7.5%),
    else the deepest division named before it in its clause that lies within the region
    in force (郑州市 in “河南郑州设立纾困基金，规模100亿元”), else the region in force."""
    best = in_force
    clause_start = ctx.clause_bounds(pos)[0]
    for r in ctx.regions_in(sentence):
        if r.start >= pos or r.start < clause_start:
            continue
        rec = ctx.regions.by_code(r.entity.key)
        if rec is None:
            continue
        if r.start - clause_start <= 1:
            return rec
        if rec.level > best.level and \
                (in_force.code == "000000" or ctx.regions.is_within(rec.code, in_force.code)):
            best = rec
    return best


def _paragraph_lead(ctx: Context, sentence) -> Span | None:
    """The measure that the paragraph's lead sentence, or the heading above it, names."""
    sentences = ctx.article.sentences
    i = sentence.index
    while i > 0 and sentences[i - 1].paragraph == sentence.paragraph:
        i -= 1
    leads = [sentences[i]] if i != sentence.index else []
    if i > 0 and (i < 2 or sentences[i - 2].paragraph != sentences[i - 1].paragraph):
        leads.append(sentences[i - 1])   # a one-sentence paragraph just above: a heading
    for k in range(i - 1, max(-1, i - 8), -1):   # …安排于现代产业、基础设施、民生改善三大领域：
        if sentences[k].text.rstrip().endswith(("：", ":")):
            leads.append(sentences[k])
            break
    for lead in leads:
        kept = ctx.measures_in(lead)
        if kept:
            return kept[0]
        # a lead's candidate the model found less than half as likely as it needs names no program
        model = active_model("measure")
        floor = model.threshold / 2 if model else 0.0
        cands = [c for c in ctx.candidates_in(lead) if "no-verb" not in c.flags and c.score >= floor]
        if cands:
            return _promote(ctx, max(cands, key=lambda c: (c.score, -c.start)))
    return None


def extract(ctx: Context) -> None:
    text = ctx.text
    for s in ctx.article.sentences:
        quantities = ctx.quantities(s)
        for q in quantities:
            a, b = s.start + q.start, s.start + q.end
            if not q.unit:
                continue  # 山区26县, 12英寸: a number without its unit quantifies nothing here
            if any(d.start < b and a < d.end for d in ctx.documents_in(s)):
                continue  # 三个指引: part of a document's name
            if text[a - 1:a] in _NOT_A_FIGURE_BEFORE or _NOT_A_FIGURE_AFTER.match(text, b):
                continue
            if q.surface.endswith("部门") and "个" not in q.surface:
                continue  # 六部门联合印发, 22部门联合发文: the number of issuers, not a figure of a measure
            if q.unit in ("项", "条") and _COUNTED_POLICIES.match(text, b):
                continue  # 18项政策, 43项措施: how many policies a document has, not a figure they set
            if _IN_PROGRAM_NAME.match(text, b) and not any(c.isdigit() for c in q.surface):
                continue  # 五项科学素质提升行动, 十大重点工程: a count inside a program's name
            clause = ctx.clause_bounds(a)
            if not _keep_figure(ctx, s, clause, q, a, b):
                continue
            measure, rule = _measure_for(ctx, s, clause, a)
            region = ctx.region_in_force(s.index)
            if measure is None and rule == "metric.action":
                act = _ACTION_RE.search(text, clause[0], a)
                obj = _LEADING.sub("", text[clause[0]:act.start()]).strip()
                if any(ch.isdigit() or ch == "、" for ch in obj[-12:]):
                    continue  # 按照1、2、3胎…补贴: no clean name for the action
                named = obj[-12:]
                for r in ctx.regions_in(s):
                    named = named.replace(r.surface, "")
                if len(named) < 2:
                    continue  # 固原市开工: a place and a verb name no program
                label = obj[-12:] + act.group()
                ent = measure_entity(label, region)
                measure = Span(clause[0], act.end(), text[clause[0]:act.end()], ent, s.index, rule)
                ctx.measure_spans.append(measure)
                ctx.mention(measure)
                ctx.fact(region_entity(region), "adopts", ent, s, (clause[0], act.end()), rule)
            if measure is not None and rule == "metric.document":
                # the plan is named in full where it first appears (《方案》 later means it): the
                # measure takes that name, with that sentence as the adoption's evidence
                full = next((d for d in ctx.document_spans if d.entity.key == measure.entity.key), measure)
                where = ctx.article.sentences[full.sentence]
                ent = measure_entity(full.surface.strip("《》"), region)
                measure = Span(full.start, full.end, full.surface, ent, full.sentence, rule)
                ctx.mention(measure)
                ctx.fact(region_entity(region), "adopts", ent, where, (full.start, full.end), rule)
            if measure is None:
                continue
            others = [(s.start + o.start, s.start + o.end) for o in quantities if o is not q]
            indicator = _indicator(text, clause[0], a, b, clause[1], others) or measure.entity.label
            value = decimal_str(q.value)
            key = f"{measure.entity.key}|{value}|{q.unit}|{q.qualifier}|{norm(indicator)}"
            label = f"{indicator or measure.entity.label} {q.surface}".strip()
            metric = Entity("Metric", key, label, (
                ("value", q.value), ("unit", q.unit), ("qualifier", q.qualifier),
                ("surfaceText", q.surface), ("indicator", indicator),
                ("forRegion", _most_specific(ctx, s, a, region).code)))
            ctx.fact(measure.entity, "hasMetric", metric, s, (a, b), rule + "@" + model_version("figure"))
            ctx.out.mentions.append(_metric_mention(ctx, metric, q.surface, a, b))


@dataclass
class Figure:
    """A number with its unit, proposed as a metric; the figure model decides."""
    quantity: object
    start: int
    end: int
    features: list
    score: float = 0.0
    kept: bool = False


def _figure_features(ctx: Context, s, clause, q, a: int, b: int) -> list[str]:
    text = ctx.text
    f = [f"unit={q.unit}", f"qualifier={q.qualifier}"]
    before = ctx.words_in(clause[0], a)
    after = ctx.words_in(b, clause[1])
    if before:
        f.append(f"word-before={before[-1]}")
        if len(before) > 1:
            f.append(f"word-before2={before[-2]}")
    else:
        f.append("clause-initial")
    if after:
        f.append(f"word-after={after[0]}")
    else:
        f.append("clause-final")
    cue_feats = set()
    for x, y, name in ctx.cue_hits(s):
        cue_feats.add(f"sentence:{name}")
        if clause[0] <= x and y <= a:
            cue_feats.add(f"clause-before:{name}")
    f += sorted(cue_feats)
    kept = ctx.measures_in(s)
    if kept:
        f.append("measure-in-sentence")
        if any(clause[0] <= m.start < clause[1] for m in kept):
            f.append("measure-in-clause")
    if any(ch.isdigit() for ch in q.surface):
        f.append("arabic")
    if text[a - 1:a] in "（(":
        f.append("in-brackets")
    if s.paragraph <= 1:
        f.append("first-paragraphs")
    if ctx.article.title and q.surface in ctx.article.title:
        f.append("in-title")
    others = len(ctx.quantities_between(*clause))
    f.append(f"figures-in-clause={min(others, 3)}")
    return f


def _keep_figure(ctx: Context, s, clause, q, a: int, b: int) -> bool:
    fig = Figure(q, a, b, _figure_features(ctx, s, clause, q, a, b))
    model = active_model("figure")
    fig.score = model.score(fig.features) if model else 1.0
    fig.kept = fig.score >= (model.threshold if model else 0.5)
    ctx.figure_candidates.append(fig)
    return fig.kept


def _metric_mention(ctx: Context, metric: Entity, surface: str, a: int, b: int):
    return Mention(metric, surface, ctx.article.name, a, b)
