"""Sections: the six headings and their variants, sub-headings of 一, template and not-a-report detection."""
from __future__ import annotations

import pytest

from xxgk.extract import normalize, read, sections
from xxgk.models import Document


def _sections(text: str):
    doc = Document(path="t.txt", sha256="0", format="text", encoding="utf-8", text=text)
    n = normalize.normalize(doc)
    return n, sections.find_sections(n.text)


STANDARD = """云溪县2023年政府信息公开工作年度报告
本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。
一、总体情况
(一)主动公开
全年主动公开信息356条。
(二)依申请公开
收到申请12件。
二、主动公开政府信息情况
规章 | 0 | 0 | 0 |
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量 | 12 | 0 | 0 | 0 | 0 | 0 | 12 |
三、本年度办理结果 | (一)予以公开 | 9 | 0 | 0 | 0 | 0 | 0 | 9 |
四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
四、政府信息公开行政复议、行政诉讼情况
0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
五、存在的主要问题及改进情况
解读形式单一。
六、其他需要报告的事项
未收取信息处理费。
"""


def test_six_sections_in_order_with_offsets():
    n, sm = _sections(STANDARD)
    assert [s.id for s in sm.sections] == list("一二三四五六")
    assert sm.missing == [] and sm.template == "2021" and sm.is_annual_report
    for s, nxt in zip(sm.sections, sm.sections[1:]):
        assert s.end == nxt.start
    assert sm.sections[-1].end == len(n.text)
    one = sm.get("一")
    assert n.text[one.start:one.body_start] == "一、总体情况\n"
    # the mention in the opening sentence is not the heading; table rows 三、本年度办理结果 … are not either
    three = sm.get("三")
    assert n.text[three.start:].startswith("三、收到和处理政府信息公开申请情况\n一、本年新收")
    four = sm.get("四")
    assert n.text[four.start:].startswith("四、政府信息公开行政复议、行政诉讼情况")


def test_children_of_section_one():
    n, sm = _sections(STANDARD)
    one = sm.get("一")
    assert [(c.id, c.title) for c in one.children] == [("一.(一)", "主动公开"), ("一.(二)", "依申请公开")]
    assert sm.at(n.text.index("356条")) == "一.(一)"
    assert sm.at(n.text.index("收到申请")) == "一.(二)"
    assert sm.at(n.text.index("规章")) == "二"


@pytest.mark.parametrize("heading, sid", [
    ("一. 总体情况", "一"),
    ("一．总体情况", "一"),
    ("一 、 总体情况", "一"),
    ("## 一、总体情况", "一"),
    ("**二、主动公开政府信息情况**", "二"),
    ("三、行政机关收到和处理政府信息公开申请的情况", "三"),
    ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "四"),
    ("四、政府信息公开行政复议及行政诉讼情况", "四"),
    ("五、存在问题及改进情况", "五"),
    ("五、政府信息公开工作存在的主要问题及改进情况", "五"),
    ("五、存在的主要问题和改进措施", "五"),
    ("六、其他需要报告的事项", "六"),
    ("第一部分 总体情况", "一"),
    ("三、政府信息公开申请办理情况", "三"),
    ("四、复议诉讼情况", "四"),
    ("五、工作中存在的问题和改进措施", "五"),
    ("六、其他需要说明的事项", "六"),
    ("二、政府信息主动公开情况", "二"),
    ("三、政府信息依申请公开情况", "三"),
    ("四、因政府信息公开申请行政复议、提起行政诉讼的情况", "四"),
    ("五、存在问题和下一步工作打算", "五"),
])
def test_heading_variants(heading, sid):
    n, sm = _sections(f"前言一段。\n{heading}\n正文内容。\n")
    s = sm.get(sid)
    assert s is not None, sm
    assert "正文内容" in n.text[s.body_start:s.end]


def test_headings_wrapped_before_their_last_word():
    text = ("一、总体情况\n正文。\n三、收到和处理政府信息公开申请\n情况\n表。\n"
            "四、因政府信息公开工作被申请行政复议、提起行政诉讼\n情况\n表。\n")
    _, sm = _sections(text)
    assert [s.id for s in sm.sections] == ["一", "三", "四"]


def test_traditional_headings_after_conversion():
    text = "一、總體情況\n正文。\n二、主動公開政府信息情況\n表格。\n三、收到和處理政府信息公開申請情況\n"
    _, sm = _sections(text)
    assert [s.id for s in sm.sections] == ["一", "二", "三"]
    assert sm.missing == ["四", "五", "六"]


def test_headings_run_together_on_one_line():
    text = ("本报告包括总体情况、主动公开政府信息情况等六个部分。一、总体情况2023年,青禾区坚持公开。(一)主动公开方面。"
            "全年公开信息356条。(二)依申请公开方面。收到申请8件。二、主动公开政府信息情况第二十条第(一)项信息内容"
            "三、收到和处理政府信息公开申请情况一、本年新收政府信息公开申请数量80000008"
            "四、政府信息公开行政复议、行政诉讼情况000000000000000五、存在的主要问题及改进情况解读不足。"
            "六、其他需要报告的事项无。")
    n, sm = _sections(text)
    assert [s.id for s in sm.sections] == list("一二三四五六")
    assert n.text[sm.get("一").body_start:].startswith("2023年,青禾区")
    assert [c.id for c in sm.get("一").children] == ["一.(一)", "一.(二)"]
    assert sm.at(n.text.index("356条")) == "一.(一)"
    assert any("run into the text" in note for note in sm.notes)


def test_flattened_page_with_1_dot_sub_headings():
    text = ("一、总体情况2025年度,青禾街道坚持公开。1.主动公开。公开信息20条。2.依申请公开。未收到申请。"
            "3.政府信息管理。规范管理。二、主动公开政府信息情况")
    n, sm = _sections(text)
    assert [c.id for c in sm.get("一").children] == ["一.(一)", "一.(二)", "一.(三)"]
    assert sm.at(n.text.index("未收到")) == "一.(二)"


def test_sub_heading_title_does_not_swallow_the_next_one():
    text = "一、总体情况 (一)主动公开 公开信息20条. (二)依申请公开 未收到申请 (三)政府信息管理 规范。"
    _, sm = _sections(text)
    assert [c.id for c in sm.get("一").children] == ["一.(一)", "一.(二)", "一.(三)"]


def test_line_start_heading_preferred_over_a_numbered_list_in_prose():
    text = ("本报告包括:一、总体情况;二、主动公开政府信息情况。\n"
            "一、总体情况\n正文。\n二、主动公开政府信息情况\n表格。\n")
    n, sm = _sections(text)
    assert n.text[sm.get("一").start:].startswith("一、总体情况\n正文")
    assert n.text[sm.get("二").start:].startswith("二、主动公开政府信息情况\n表格")


def test_a_contents_list_before_the_sections_is_skipped():
    text = ("目录\n一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
            "一、总体情况\n正文。\n二、主动公开政府信息情况\n表格。\n三、收到和处理政府信息公开申请情况\n表格。\n")
    n, sm = _sections(text)
    assert [s.id for s in sm.sections] == ["一", "二", "三"]
    assert n.text[sm.get("一").start:].startswith("一、总体情况\n正文")


def test_sections_that_lost_their_tables_stay_sections():
    text = "一、总体情况\n正文。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
    _, sm = _sections(text)
    assert [s.id for s in sm.sections] == ["一", "二", "三", "四"]


def test_unnumbered_title_lines_are_headings_when_no_numbered_one_exists():
    _, sm = _sections("总体情况\n本单位坚持公开。\n主动公开政府信息情况\n规章 | 0 |\n")
    assert [s.id for s in sm.sections] == ["一", "二"]
    assert any("no number" in x for x in sm.notes)


def test_sections_numbered_in_brackets():
    text = ("(一)总体情况\n1、主动公开:公开信息10条。\n(二)主动公开政府信息情况\n规章 | 0 |\n"
            "(三)收到和处理政府信息公开申请情况\n表。\n")
    _, sm = _sections(text)
    assert [s.id for s in sm.sections] == ["一", "二", "三"]
    assert [c.id for c in sm.get("一").children] == ["一.(一)"]


def test_a_bracketed_sub_heading_is_not_taken_for_section_two():
    _, sm = _sections("一、总体情况\n(一)主动公开情况\n公开信息10条。\n(二)依申请公开情况\n收到申请2件。\n")
    assert [s.id for s in sm.sections] == ["一"]


def test_sub_headings_numbered_1_2_and_skipped_numbers():
    _, sm = _sections("一、总体情况\n1、主动公开:公开信息10条。\n2、依申请公开:收到申请2件。\n二、主动公开政府信息情况\n")
    assert [c.id for c in sm.get("一").children] == ["一.(一)", "一.(二)"]
    _, sm = _sections("一、总体情况\n稳步推进标准化建设。\n(二)依申请公开\n收到申请2件。\n(三)政府信息管理\n规范。\n")
    assert [c.id for c in sm.get("一").children] == ["一.(二)", "一.(三)"]


@pytest.mark.parametrize("open_, close", [("【", "】"), ("[", "]"), ("〔", "〕"), ("?", "?"), ("（", ")")])
def test_garbled_sub_heading_brackets(open_, close):
    text = f"一、总体情况\n{open_}一{close}主动公开\n公开信息10条。\n{open_}二{close}依申请公开\n收到申请2件。\n"
    _, sm = _sections(text)
    assert [(c.id, c.title) for c in sm.get("一").children] == [("一.(一)", "主动公开"), ("一.(二)", "依申请公开")]


def test_missing_sections_are_listed():
    _, sm = _sections("一、总体情况\n正文。\n五、存在的主要问题及改进情况\n问题。\n")
    assert sm.missing == ["二", "三", "四", "六"]


def test_old_2019_template_is_recognised():
    text = STANDARD.replace("规章 | 0 | 0 | 0 |", "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |")
    _, sm = _sections(text)
    assert sm.template == "2019"


def test_an_excerpt_with_only_section_one_is_still_a_report():
    _, sm = _sections("依据《中华人民共和国政府信息公开条例》制作本报告。\n一、总体情况\n2024年,青禾局坚持公开。\n")
    assert sm.is_annual_report and sm.missing == list("二三四五六")


def test_template_is_unknown_when_no_table_label_is_left():
    _, sm = _sections("一、总体情况\n正文。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n")
    assert sm.template == "unknown"


def test_a_page_that_is_not_an_annual_report():
    _, sm = _sections("青禾区召开安全生产工作会议\n会议要求各部门压实责任。\n")
    assert not sm.is_annual_report
    assert sm.missing == list("一二三四五六")


@pytest.mark.parametrize("name, missing", [("006.txt", []), ("006h.html", []), ("hzq2024.pdf", []),
                                           ("078.txt", ["六"])])
def test_real_pages(shared_dev, name, missing):
    p = shared_dev / name
    doc = read.decode(p.read_bytes(), str(p))
    n = normalize.normalize(doc)
    sm = sections.find_sections(n.text)
    assert sm.missing == missing
    assert len(sm.get("一").children) >= 4


def test_dev_reports_flattened_onto_one_line_keep_their_sections(shared_dev):
    for p in sorted(shared_dev.glob("*.txt")):
        raw = p.read_text(encoding="utf-8")
        flat = " ".join(line.strip() for line in raw.splitlines() if line.strip())
        base, got = _sections(raw)[1], _sections(flat)[1]
        assert [(s.id, [c.id for c in s.children]) for s in got.sections] == \
            [(s.id, [c.id for c in s.children]) for s in base.sections], p.name
