"""Table-driven extractor cases: sentence in, facts out (negatives included).

Each case is one line: a body (optionally a title), and what must (or must
not) come out.  Run on `read_text` so offsets and sentences are real.
"""
import pytest

from kg.extract import extract_article
from kg.read import read_text


def _extract(body: str, title: str = "测试"):
    raw = f"---\ntitle: '{title}'\ndate: 2021-10-25\n---\n<p>{body}</p>\n"
    article, problems = read_text(raw, "t.md", "t.md")
    assert article is not None, problems
    return extract_article(article)


def _triples(ex, predicate):
    return {(f.subject.label, f.object.label) for f in ex.facts if f.predicate == predicate}


@pytest.mark.parametrize("body,region,key", [
    ("上海市全面实施“5+2”课后服务。", "上海市", "“5+2”课后服务"),
    ("北京方面，设立“绿色通道”。", "北京市", "“绿色通道”"),
    ("广州方面，建立培训机构“黑白名单”制度。", "广州市", "“黑白名单”制度"),
    ("上海市组建由27个部门组成的“双减”专班。", "上海市", "“双减”专班"),
    ("深圳市启动根治欠薪冬季专项行动。", "深圳市", "根治欠薪冬季专项行动"),
    ("上海市大幅压减培训机构数量。", "上海市", "压减培训机构数量"),
    ("以“四不两直”“双随机一公开”等多种方式开展执法检查。", "全国", "“四不两直”"),
    ("各单位不得为非法社会组织提供活动场地。", "全国", "不得为非法社会组织提供活动场地"),   # requirements are measures
])
def test_adopts(body, region, key):
    assert any(r == region and key in m for r, m in _triples(_extract(body), "adopts")), _triples(_extract(body), "adopts")


@pytest.mark.parametrize("body", [
    "北京方面，坚持首善标准，高度重视“双减”工作。",      # slogans of attitude
    "结合“12345”市民热线、110接警等数据信息。",            # numbers in names, no adopting verb
    "由此前的“愿留者提出申请”调整为“不留者提出申请”。",    # quoted speech
])
def test_not_measures(body):
    assert _triples(_extract(body), "adopts") == set()


@pytest.mark.parametrize("body,agency,doc", [
    ("教育部公布“双减”工作试点地区典型案例。", "教育部", "典型案例"),
    ("上海市委、市政府及时发布《实施意见》。", "上海市委", "实施意见"),
    ("上海市委、市政府及时发布《实施意见》。", "上海市人民政府", "实施意见"),
    ("商务部、发展改革委、财政部等三部门联合印发《关于扩大跨境电商零售进口试点的通知》。", "国家发展和改革委员会", "关于扩大跨境电商零售进口试点的通知"),
    ("北京方面，制定学科类培训机构退租工作的指导意见。", "北京市人民政府", "退租工作的指导意见"),
    ("江西根治拖欠农民工工资工作领导小组办公室发布《关于开展根治欠薪冬季专项行动的通知》。",
     "江西省根治拖欠农民工工资工作领导小组办公室", "根治欠薪冬季专项行动的通知"),
])
def test_issues(body, agency, doc):
    got = _triples(_extract(body), "issues")
    assert any(a == agency and doc in d for a, d in got), got


def test_cited_authority_is_not_issuer():
    got = _triples(_extract("经国务院批准，商务部等六部门联合印发《关于扩大试点的通知》。"), "issues")
    assert ("国务院", "关于扩大试点的通知") not in got
    assert ("商务部", "关于扩大试点的通知") in got


def test_generic_titles_do_not_merge_across_issuers():
    a = _extract("上海市委印发《实施意见》。")
    b = _extract("广州市委印发《实施意见》。")
    key = lambda ex: {f.object.key for f in ex.facts if f.predicate == "issues"}
    assert key(a) and key(b) and key(a).isdisjoint(key(b))


def test_abbreviated_title_is_an_alias():
    ex = _extract("商务部印发《关于扩大跨境电商零售进口试点的通知》（以下简称《通知》）。《通知》明确，扩大试点范围。")
    docs = {m.entity.key for m in ex.mentions if m.entity.kind == "Document"}
    assert len(docs) == 1


@pytest.mark.parametrize("body,agency,region", [
    ("上海市委、市政府高度重视。市委印发《实施意见》。", "上海市委", "310000"),
    ("北京方面，建立区教委、区民政局等部门“同审联批”机制。", "北京市各区教育委员会", "110000"),
])
def test_relative_agencies_resolve_to_passage(body, agency, region):
    ex = _extract(body)
    agencies = {(m.entity.label, m.entity.prop("jurisdiction")) for m in ex.mentions if m.entity.kind == "Agency"}
    assert (agency, region) in agencies, agencies


@pytest.mark.parametrize("body,value,unit,qualifier,indicator", [
    ("上海市大幅压减培训机构数量，义务教育学科类培训机构压减21.73%，从业人员减少3.5万人。", "21.73", "%", "Exact", "学科类培训机构"),
    ("上海市大幅压减培训机构数量，义务教育学科类培训机构压减21.73%，从业人员减少3.5万人。", "35000", "人", "Exact", "从业人员"),
    ("上海市拓宽课后服务渠道，目前已有超过80%的教师投入课后服务。", "80", "%", "MoreThan", "教师"),
    ("北京方面，开展执法检查，对多家违规企业顶格罚款1500余万元。", "15000000", "元", "MoreThan", "罚款"),
    ("上海市建立“跨界公益互助机制”，已形成超过14亿元的公益互助课程库。", "1400000000", "元", "MoreThan", "公益互助课程库"),
])
def test_metrics(body, value, unit, qualifier, indicator):
    ex = _extract(body)
    metrics = [f.object for f in ex.facts if f.predicate == "hasMetric"]
    hit = [m for m in metrics if str(m.prop("value")) == value]
    assert hit, [(m.prop("value"), m.prop("unit")) for m in metrics]
    m = hit[0]
    assert (m.prop("unit"), m.prop("qualifier")) == (unit, qualifier)
    assert indicator in m.prop("indicator")


@pytest.mark.parametrize("body", [
    "上海市全面实施“5+2”课后服务。",                     # numbers in names
    "北京市结合“12345”市民热线、110接警建立预警机制。",
    "上海市建立“24小时在线监测”机制。",
    "2021年3月18日，上海市出台《第9版实施方案》。",        # dates, versions
    "上海市建立工作机制，联系电话010-12345678。",          # phone numbers
    "广州方面，出台“营转非”、机构转型和终止办学三个指引。",  # counts inside a document's name
])
def test_numbers_in_names_are_not_metrics(body):
    ex = _extract(body)
    assert [f for f in ex.facts if f.predicate == "hasMetric"] == []


def test_every_fact_has_evidence_inside_its_sentence():
    ex = _extract("上海方面，全面实施“5+2”课后服务，参加学生比例达到95%。教育部发布《关于加强作业管理的通知》。")
    text = ex.article.text
    assert ex.facts
    for f in ex.facts:
        e = f.evidence
        assert text[e.char_start:e.char_end] == e.sentence
        assert e.char_start <= e.span_start <= e.span_end <= e.char_end
        assert e.rule


def test_newspapers_are_not_documents():
    ex = _extract("据《21世纪经济报道》和《南国早报》报道，上海市印发《关于加强作业管理的通知》。")
    assert {m.entity.label for m in ex.mentions if m.entity.kind == "Document"} == {"关于加强作业管理的通知"}


def test_bare_title_refers_back_to_the_last_document_of_its_kind():
    ex = _extract("北京市人民政府办公厅印发《北京市全民科学素质行动规划纲要（2021—2035年）》。《纲要》提出，比例达到28%。")
    assert len({m.entity.key for m in ex.mentions if m.entity.kind == "Document"}) == 1


@pytest.mark.parametrize("body", [
    "北京市重点实施五项科学素质提升行动。",     # a count inside a program's name
    "全国部署开展节能减排十大重点工程。",
])
def test_counts_in_program_names_are_not_metrics(body):
    assert [f for f in _extract(body).facts if f.predicate == "hasMetric"] == []


@pytest.mark.parametrize("body,key", [
    ("会议要求地方重点做好以下工作：一是抓紧分配，二是适当集中。", "抓紧分配"),
    ("浙江省深化展会招商，开展资本招商。", "展会招商"),
    ("通过源头核查经营主体、重点区域路面巡查、清查违规网约车平台等举措，保持高压态势。", "路面巡查"),
    ("北京、上海、广州出手整顿学区房炒作乱象。", "整顿学区房炒作乱象"),
])
def test_more_measure_shapes(body, key):
    assert any(key in m for _, m in _triples(_extract(body), "adopts")), _triples(_extract(body), "adopts")


def test_region_list_each_adopts():
    got = _triples(_extract("北京、上海、广州出手整顿学区房炒作乱象。"), "adopts")
    assert {r for r, m in got if "整顿学区房" in m} == {"北京市", "上海市", "广州市"}


@pytest.mark.parametrize("body", [
    "专项债券重点用于9个大的方向：一是交通基础设施，二是能源，三是生态环保。",   # fields, not tasks
    "在严格落实风险防范措施的前提下，合理安排额度。",                              # a condition
    "上海市委、市政府及时落实“双减”要求。",                                         # the topic itself
])
def test_more_non_measures(body):
    got = _triples(_extract(body, title="“双减”试点"), "adopts")
    assert not any(k in m for _, m in got for k in ("交通基础设施", "前提下", "“双减”要求")), got
