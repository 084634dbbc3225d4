"""Claims from an invented report in the template's shape: types, values, sections, offsets, 其中 parents,
table bodies and traps left alone."""
from __future__ import annotations

import pytest

from xxgk.extract import claim_extraction
from xxgk.extract.claim_extraction import extract_from_text, split_sentences

REPORT = """青禾区人民政府2023年政府信息公开工作年度报告

本报告依据《中华人民共和国政府信息公开条例》(以下简称《条例》)和国办公开办函〔2021〕30号要求编制。咨询电话0571-88881234。

一、总体情况
(一)主动公开
2023年，青禾区主动公开政府信息1,256条，其中规范性文件12件。通过“青禾发布”微信公众号发布信息364期，政务微博发布信息320条，召开新闻发布会6场，发布政策解读45篇，刊发政府公报4期。
一是主动公开重点领域信息，二是完善三审三校制度，信息公开率达100%。
(二)依申请公开
全年共收到政府信息公开申请66件，均已按期答复。
二、主动公开政府信息情况
| 第二十条第(一)项 | | | |
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | 0 | 0 | 0 |
| 行政规范性文件 | 12 | 3 | 125 |
三、收到和处理政府信息公开申请情况
| 一、本年新收政府信息公开申请数量 | 60 | 6 | 0 | 0 | 0 | 0 | 66 |
四、政府信息公开行政复议、行政诉讼情况
| 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
五、存在的主要问题及改进情况
2024年，我区将召开新闻发布会不少于8场。
六、其他需要报告的事项
本年度未收取信息处理费。
"""


@pytest.fixture(scope="module")
def analysis():
    from xxgk.extract import pipeline
    return pipeline.analyse(REPORT.encode("utf-8"), "青禾区-2023.txt", stages={"claims"})


def by_type(claims):
    out = {}
    for c in claims:
        out.setdefault(c.type, []).append(c.value)
    return out


def test_the_proactive_claims_of_the_report(analysis):
    got = by_type(analysis.claims)
    assert got["proactive.total"] == [1256]
    assert got["proactive.normative_documents"] == [12]
    assert got["proactive.wechat_posts"] == [364]
    assert got["proactive.weibo_posts"] == [320]
    assert got["proactive.press_conferences"] == [6]
    assert got["proactive.interpretations"] == [45]
    assert got["proactive.gazette_issues"] == [4]


def test_table_bodies_and_traps_are_not_claims(analysis):
    values = [c.value for c in analysis.claims if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]
    for trap in (2023, 2021, 30, 20, 100, 125, 3, 60, 571, 88881234):
        assert trap not in values
    for c in analysis.claims:
        assert "|" not in c.sentence


def test_offsets_point_at_the_claim_text(analysis):
    text = analysis.normalized.text
    for c in analysis.claims:
        assert text[c.start:c.end] == c.text
        assert c.rule.startswith(c.type + "/")


def test_line_and_column_in_the_original(analysis):
    [c] = [c for c in analysis.claims if c.type == "proactive.wechat_posts"]
    lines = REPORT.splitlines()
    assert lines[c.line - 1][c.col - 1:].startswith(c.text[:6])
    assert c.subject == "青禾发布" and c.unit == "期"


def test_section_of_each_claim(analysis):
    secs = {c.type: c.section for c in analysis.claims}
    if not analysis.sections.sections:
        pytest.skip("sections are not found by this build")
    assert secs["proactive.wechat_posts"] == "一.(一)"
    assert secs["proactive.total"] == "一.(一)"


def test_qizhong_breakdown_points_at_its_total(analysis):
    claims = analysis.claims
    [nd] = [c for c in claims if c.type == "proactive.normative_documents"]
    assert nd.parent is not None and claims[nd.parent].type == "proactive.total"
    [wc] = [c for c in claims if c.type == "proactive.wechat_posts"]
    assert wc.parent is None


def test_a_part_is_counted_like_its_total():
    claims = extract_from_text("主动公开文件共215件,其中,规范性文件11件,刊发政府公报9期,通过微信公众号发布信息364期。")
    parents = {c.type: c.parent for c in claims}
    assert claims[parents["proactive.normative_documents"]].type == "proactive.total"
    assert parents["proactive.gazette_issues"] is None
    assert parents["proactive.wechat_posts"] is None


def test_extract_from_text_reads_every_sentence():
    claims = extract_from_text("本年度发布政策解读41篇;召开新闻发布会3场!")
    assert [(c.type, c.value) for c in claims] == [("proactive.interpretations", 41),
                                                   ("proactive.press_conferences", 3)]


def test_sentences_split_on_punctuation_and_lines_and_join_wrapped_lines():
    text = "(一)主动公开\n全年主动公开政府信息\n1247 条,发布政策解读\n9 篇。另起一句;再一句\n| 规章 | 0 | 0 |\n"
    sents = [s.text for s in split_sentences(text)]
    assert sents == ["(一)主动公开", "全年主动公开政府信息1247 条,发布政策解读9 篇。", "另起一句;", "再一句"]
    s = split_sentences(text)[1]
    assert text[s.offset(0):s.offset(3)] == "全年主"
    i = s.text.index("1247")
    assert text[s.offset(i):s.offset(i) + 4] == "1247"


def test_a_wrapped_line_may_open_with_a_decimal_but_not_with_an_enumerator():
    assert [s.text for s in split_sentences("微信公众号全年发布信息\n1.2万条。")] == ["微信公众号全年发布信息1.2万条。"]
    assert [s.text for s in split_sentences("主要做法如下\n1.加强领导。")] == ["主要做法如下", "1.加强领导。"]


def test_table_sections_keep_their_prose_and_drop_their_cells():
    from xxgk.models import Section, SectionMap
    text = ("二、主动公开政府信息情况\n行政规范性文件 12 3 125\n本年度制发规范性文件12件,均已公开\n"
            "三、收到和处理政府信息公开申请情况\n")
    body = text.index("行政")
    sm = SectionMap(sections=[Section("二", "主动公开政府信息情况", 0, body, text.index("三、")),
                              Section("三", "收到和处理政府信息公开申请情况", text.index("三、"),
                                      len(text), len(text))])
    kept = [s.text for s in claim_extraction.prose_sentences(text, sm)]
    assert "本年度制发规范性文件12件,均已公开" in kept
    assert "行政规范性文件 12 3 125" not in kept


def test_a_table_section_drops_cells_on_their_own_lines_before_splitting():
    from xxgk.models import Section, SectionMap
    text = ("三、收到和处理政府信息公开申请情况\n本年新收申请数量\n12\n3\n0\n上年结转0件,本年办结15件,均已答复。\n"
            "四、政府信息公开行政复议、行政诉讼情况\n0\n1\n")
    sm = SectionMap(sections=[
        Section("三", "收到和处理政府信息公开申请情况", 0, text.index("本年"), text.index("四、")),
        Section("四", "政府信息公开行政复议、行政诉讼情况", text.index("四、"), text.rindex("\n0\n") + 1, len(text))])
    assert [s.text for s in split_sentences(text, 0, len(text), cells=False)] == [
        "三、收到和处理政府信息公开申请情况", "本年新收申请数量", "上年结转0件,本年办结15件,均已答复。",
        "四、政府信息公开行政复议、行政诉讼情况"]
    assert [s.text for s in split_sentences(text)][-2:] == ["0", "1"]     # kept where cells are asked for
    kept = [s.text for s in claim_extraction.prose_sentences(text, sm)]
    assert kept == ["三、收到和处理政府信息公开申请情况", "上年结转0件,本年办结15件,均已答复。",
                    "四、政府信息公开行政复议、行政诉讼情况"]


def test_table_cells_one_per_line_are_not_prose():
    text = "本年新收政府信息公开申请数量 |\n66 |\n规章 |\n0 |\n全年召开新闻发布会6场。\n"
    assert [s.text for s in split_sentences(text)] == ["全年召开新闻发布会6场。"]


def test_a_wrapped_pdf_line_yields_a_claim_with_offsets_across_the_break():
    text = "全年主动公开政府信息\n1247 条。"
    [c] = extract_from_text(text)
    assert (c.type, c.value) == ("proactive.total", 1247)
    assert text[c.start:c.end].replace("\n", "") == c.text


def test_overlap_prefers_the_specific_channel_over_the_total():
    claims = extract_from_text("通过“青禾发布”微信公众号发布信息364期。")
    assert [(c.type, c.value) for c in claims] == [("proactive.wechat_posts", 364)]


def test_a_report_states_its_total_once():
    text = "本局主动公开政府信息203条,其中主动公开的公文类信息199条。主动公开财政信息12条。"
    assert [c.value for c in extract_from_text(text) if c.type == "proactive.total"] == [203]


def test_plans_and_targets_are_not_claims():
    assert extract_from_text("2024年,我区将召开新闻发布会不少于8场,计划发布政策解读20篇。") == []


TRAPS = [
    "根据国办公开办函〔2021〕30号和《条例》第二十条第(一)项的规定编制本报告。",
    "一是主动公开重点领域信息，二是严格落实三审三校制度。",
    "全面落实“十四五”规划，信息公开率达100%。",
    "政务公开咨询电话0571-88881234，邮编311200。",
    "2023年1月9日通过微信公众号发布本年度报告。",
    "微信公众号关注人数达1.2万人，网站访问量120万次。",
    "在门户网站开设专栏12个，关停政务新媒体2个。",
    "受理12345热线工单338条，办结率100%。",
    "开展政府开放日活动3次，组织政务公开培训2次。",
    "现行有效规范性文件125件，对规范性文件进行合法性审核12件。",
    "通过短信平台发布预警信息12条。",
    "计划全年召开新闻发布会不少于6场。",
    "在政府公报第3期刊登规范性文件。",
    "全年办理网民留言326条，组织政务公开培训3期。",
    "建立信息发布审核机制，审核稿件860篇，清理已公开政府信息326条。",
    "在门户网站设置政务公开专栏15个，微信公众号关注用户达3.5万人。",
    "转载上级政策文件156件，发布招标采购公告45条。",
    "与上年相比，主动公开政府信息增加256条。",
]


@pytest.mark.parametrize("text", TRAPS)
def test_traps_yield_no_proactive_claim(text):
    assert [c for c in extract_from_text(text) if c.type.startswith("proactive.")] == []


def test_a_page_that_repeats_its_text_yields_its_claims_once():
    para = "全年主动公开政府信息1,247条,发布政策解读41篇。\n"
    claims = extract_from_text(para + "加强平台建设。\n" + para)
    assert sorted((c.type, c.value) for c in claims) == [("proactive.interpretations", 41),
                                                         ("proactive.total", 1247)]


def test_an_approximation_after_the_unit():
    [c] = extract_from_text("全年召开新闻发布会10场左右。")
    assert (c.value, c.approximate) == (10, True)
    [c] = extract_from_text("全年召开新闻发布会10场。")
    assert c.approximate is False


def test_prefilter_skips_sentences_without_numbers_or_zero_words():
    assert not claim_extraction._PREFILTER.search("加强政府信息公开平台建设。")
    assert claim_extraction._PREFILTER.search("发布信息二十条。")


def test_a_run_without_full_stops_is_read_in_bounded_pieces():
    """A page that lost its 。 is cut at clause commas, so rules look back over at most one piece, and the
    claims inside the run are still found."""
    from xxgk.extract.claim_extraction import _MAX_SENTENCE, extract_from_text, split_sentences
    filler = "严格落实信息发布审核制度,持续优化栏目设置,"
    text = filler * 60 + "全年收到政府信息公开申请12件," + filler * 60
    pieces = split_sentences(text)
    assert len(pieces) > 1 and all(len(p.text) <= _MAX_SENTENCE for p in pieces)
    assert "".join(p.text for p in pieces) == text
    assert [(c.type, c.value) for c in extract_from_text(text) if c.type == "request.received"] == [
        ("request.received", 12)]


def test_remembered_readings_give_the_same_claims_as_first_readings():
    """Sentences recur across reports (headings, boilerplate): their readings are remembered by the rule
    set, and a remembered reading must give claims equal to a first one, as objects of their own."""
    from xxgk.extract import claim_extraction as ce
    from xxgk.extract.ruleset import load_ruleset
    rs = load_ruleset()
    text = ("2023年共收到政府信息公开申请25件,其中予以公开18件。主动公开政府信息1,200条。"
            "编制发布《青禾区国土空间总体规划》《青禾区“十四五”交通发展规划》。")
    rs.readings.clear()
    first = ce.extract_from_text(text, rs)
    assert rs.readings                     # the sentences are remembered
    again = ce.extract_from_text(text, rs)
    assert [c.to_dict() for c in again] == [c.to_dict() for c in first]
    plans = [c for c in again if c.type == "plans.listed"]
    assert plans and plans[0].value is not [c for c in first if c.type == "plans.listed"][0].value
    rs.readings.clear()
    assert [c.to_dict() for c in ce.extract_from_text(text, rs)] == [c.to_dict() for c in first]


def test_the_readings_memo_stays_bounded(monkeypatch):
    from xxgk.extract import claim_extraction as ce
    from xxgk.extract.ruleset import load_ruleset
    rs = load_ruleset()
    rs.readings.clear()
    monkeypatch.setattr(ce, "_MEMO_SIZE", 5)
    ce.extract_from_text("。".join(f"全年主动公开政府信息{n}条" for n in range(12)) + "。", rs)
    assert 0 < len(rs.readings) <= 5
