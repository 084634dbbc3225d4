"""Tables 2, 3 and 4 → canonical cells, on an invented report flattened in every way SPEC §1 lists."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from xxgk.extract.table_parsing import parse_tables
from xxgk.models import NormalizedText, SectionMap, SourceTable

_spec = importlib.util.spec_from_file_location("tables_builder",
                                               Path(__file__).parent / "fixtures" / "tables" / "builder.py")
B = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(B)


def parse(text: str, source_tables=None):
    norm = NormalizedText(text=text, offsets=list(range(len(text) + 1)), original=text)
    return parse_tables(norm, SectionMap(sections=[]), source_tables or [])


def cells(result) -> dict[str, object]:
    return {c.key: c.value for c in result.cells}


def codes(result) -> list[str]:
    return [i.code for i in result.issues]


FORMS = {
    "pipes-padded": B.pipes_padded,
    "markdown": B.markdown,
    "cell-per-line-pipe": B.cell_per_line_pipe,
    "cell-per-line-blank": B.cell_per_line_blank,
    "breaks-in-cells": B.breaks_in_cells,
}


@pytest.mark.parametrize("form", FORMS)
def test_every_separated_form_reads_every_cell(form):
    result = parse(B.report(FORMS[form]))
    assert cells(result) == B.expected()
    assert codes(result) == []


def test_markdown_rule_lines_are_not_cells():
    text = B.report(B.markdown)
    assert "|---|" in text
    assert cells(parse(text))["t2/regulations/issued"] == 1


def test_run_together_recovers_cells_by_arithmetic_and_flags_the_ambiguous_row():
    result = parse(B.report(B.run_together))
    got = cells(result)
    want = B.expected()
    # 行政规范性文件12357: 12|3|57, 1|23|57, 1|2|357 … fit; table 2 has no arithmetic to choose
    amb = [i for i in result.issues if i.code == "S006"]
    assert [i.row for i in amb] == ["normative_documents"]
    assert {"t2/normative_documents/issued": 12, "t2/normative_documents/repealed": 3,
            "t2/normative_documents/in_force": 57} in amb[0].alternatives
    assert all(got[f"t2/normative_documents/{c}"] is None for c in ("issued", "repealed", "in_force"))
    for k, v in want.items():
        if not k.startswith("t2/normative_documents/"):
            assert got[k] == v, k
    assert result.found["t3"] == "run-together"


def test_run_together_unique_row_is_read():
    text = ("二、主动公开政府信息情况\n第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数规章104行政规范性文件3090\n"
            + B.PROSE_AFTER)
    got = cells(parse(text))
    assert [got[f"t2/regulations/{c}"] for c in ("issued", "repealed", "in_force")] == [1, 0, 4]
    # 3|0|90 is the only split with 现行有效 ≥ the other two
    assert (got["t2/normative_documents/issued"], got["t2/normative_documents/in_force"]) == (3, 90)


def test_run_together_row_resolved_by_the_column_totals():
    # new_received 22,0,0,0,0,3,25 reads also as 2,20,0,0,0,3,25; 勾稽关系 with the other rows decides
    t3 = dict(B.T3)
    t3["new_received"] = (22, 0, 0, 0, 0, 3, 25)
    t3["carried_over"] = (0, 0, 0, 0, 0, 0, 0)
    t3["granted"] = (20, 0, 0, 0, 0, 3, 23)
    t3["partial"] = (0,) * 7
    for k in ("denied.law_forbidden", "denied.third_party", "unable.not_held", "unable.needs_creation",
              "refused.petition", "refused.duplicate", "other.other"):
        t3[k] = (0,) * 7
    t3["results_total"] = (20, 0, 0, 0, 0, 3, 23)
    t3["carried_forward"] = (2, 0, 0, 0, 0, 0, 2)
    got = cells(parse(B.report(B.run_together, t3=t3)))
    assert [got[f"t3/new_received/{c}"] for c in B.T3_COLS] == [22, 0, 0, 0, 0, 3, 25]


def test_run_together_row_without_constraints_is_ambiguous():
    text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量220000325\n" + B.PROSE_AFTER
    result = parse(text)
    s006 = [i for i in result.issues if i.code == "S006"]
    assert len(s006) == 1 and len(s006[0].alternatives) == 2
    assert {a["t3/new_received/natural_person"] for a in s006[0].alternatives} == {2, 22}
    assert cells(result)["t3/new_received/total"] is None


def test_run_together_table4_groups():
    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉"
            "复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
            "10203120001200000五、存在的主要问题及改进情况\n")
    got = cells(parse(text))
    assert [got[f"t4/review/{c}"] for c in B.T4_COLS] == [1, 0, 2, 0, 3]
    assert [got[f"t4/litigation_direct/{c}"] for c in B.T4_COLS] == [12, 0, 0, 0, 12]
    assert [got[f"t4/litigation_after_review/{c}"] for c in B.T4_COLS] == [0, 0, 0, 0, 0]


def test_empty_cells_are_null_and_zero_words_are_zero():
    # form 7: only 总计 filled; 无 / — mean 0
    t3 = dict(B.T3)
    text = B.report(B.pipes_padded, t3=t3)
    text = text.replace("二、上年结转政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
                        "二、上年结转政府信息公开申请数量 | | | | | | | 2 |")
    text = text.replace("规章 | 1 | 0 | 4 |", "规章 | 1 | 无 | 4 |")
    text = text.replace("行政强制 | 7 |", "行政强制 | — |")
    got = cells(parse(text))
    assert [got[f"t3/carried_over/{c}"] for c in B.T3_COLS] == [None] * 6 + [2]
    assert got["t2/regulations/repealed"] == 0
    assert got["t2/coercion/decisions"] == 0


def test_ragged_row_is_left_aligned_with_s003():
    # six numbers, the last not their sum: which cell is missing is unknown, so 总计 stays null
    text = B.report(B.pipes_padded).replace(
        "3.其他 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |", "3.其他 | 1 | 0 | 0 | 0 | 0 | 0 |")
    result = parse(text)
    got = cells(result)
    assert [got[f"t3/other.other/{c}"] for c in B.T3_COLS] == [1, 0, 0, 0, 0, 0, None]
    s003 = [i for i in result.issues if i.code == "S003"]
    assert [(i.table, i.row) for i in s003] == [("t3", "other.other")]


def test_non_numeric_cell_is_s004():
    text = B.report(B.pipes_padded).replace("行政许可 | 318 |", "行政许可 | 未统计 |")
    result = parse(text)
    assert cells(result)["t2/licensing/decisions"] is None
    assert [(i.code, i.row) for i in result.issues] == [("S004", "licensing")]


def test_full_width_digits_thousands_and_traditional_labels():
    text = B.report(B.pipes_padded).replace("行政许可 | 318 |", "行政許可 | １,３１８ |").replace(
        "行政规范性文件", "行政規範性文件")
    got = cells(parse(text))
    assert got["t2/licensing/decisions"] == 1318
    assert got["t2/normative_documents/in_force"] == 57


def test_eight_column_layout_with_subtotal():
    def eight(rows):
        return B.pipes_padded(B.with_organisations(rows), width=12)
    result = parse(B.report(eight))
    got = cells(result)
    assert [got[f"t3/new_received/{c}"] for c in B.T3_COLS] == list(B.T3["new_received"])
    assert got["t3/new_received/organisations"] == 6
    assert [got[f"t3/results_total/{c}"] for c in B.T3_COLS] == list(B.T3["results_total"])


def test_old_2019_template_gives_s005_and_no_cells():
    text = ("二、主动公开政府信息情况\n第二十条第(一)项 |\n信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
            "规章 | 0 | 0 | 0 |\n规范性文件 | 2 | 2 | 30 |\n")
    result = parse(text)
    assert result.cells == []
    assert codes(result) == ["S005"]


def test_headings_without_tables_are_not_read_and_not_s002():
    text = B.PROSE_BEFORE + "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n" \
           "四、政府信息公开行政复议、行政诉讼情况\n" + B.PROSE_AFTER
    result = parse(text)
    assert result.cells == []
    assert "S002" not in codes(result)
    assert result.found["t3"] == "heading-only"


def test_labels_without_cells_are_s002():
    text = ("三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量\n"
            "三、本年度办理结果\n(一)予以公开\n")
    assert "S002" in codes(parse(text))


def test_prose_mentions_before_the_table_are_not_rows():
    # the prose says 规章1件 and 收到申请47件; neither may become a cell
    text = B.report(B.pipes_padded)
    got = cells(parse(text))
    assert got["t2/regulations/issued"] == 1 and got["t2/regulations/in_force"] == 4


def _source(rows, page):
    return SourceTable(rows=[list(r) for r in rows], page=page)


def test_pdf_table3_split_over_two_pages():
    """Source tables only (the text layer lost the table): table 3 continues on the next page."""
    tables = B.table_rows()
    t2, t3, t4 = (rows for _, rows in tables)
    width3 = 10
    def pad(r, w):
        fill = [None] * (w - len(r))
        return fill + list(r) if len(r) < w and r[-1].isdigit() else list(r) + fill
    split = 14
    source = [_source(t2, 2),
              _source([pad(r, width3) for r in t3[:split]], 3),
              _source([pad(r, width3) for r in t3[split:]], 4),
              _source(t4, 4)]
    text = B.PROSE_BEFORE + "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n" \
        + B.PROSE_AFTER
    result = parse(text, source)
    assert cells(result) == B.expected()
    assert result.found["t3"] == "pdf"


def test_html_spans_through_the_reader():
    """Rowspan/colspan expanded by the reader, rendered as pipe rows into the text."""
    from xxgk.extract import normalize, read
    html = (Path(__file__).parent / "fixtures" / "tables" / "qinghe_spans.html").read_bytes()
    doc = read.decode(html, "qinghe_spans.html")
    norm = normalize.normalize(doc)
    result = parse_tables(norm, SectionMap(sections=[]), doc.tables)
    got = cells(result)
    assert [got[f"t3/new_received/{c}"] for c in B.T3_COLS] == [41, 3, 0, 1, 2, 0, 47]
    assert [got[f"t3/denied.law_forbidden/{c}"] for c in B.T3_COLS] == [1, 0, 0, 0, 0, 0, 1]
    assert [got[f"t3/carried_forward/{c}"] for c in B.T3_COLS] == [2, 1, 0, 0, 0, 0, 3]
    assert got["t2/licensing/decisions"] == 318
    assert [got[f"t4/litigation_after_review/{c}"] for c in B.T4_COLS] == [0, 0, 1, 0, 1]


def test_cells_carry_offsets_into_the_text():
    text = B.report(B.pipes_padded)
    result = parse(text)
    c = next(c for c in result.cells if c.key == "t2/licensing/decisions")
    assert "行政许可" in text[c.start:c.end] and "318" in text[c.start:c.end]


def test_dev_reports_with_cells(shared_dev):
    """The dev reports' gold cells (measured by score.py; here only as a smoke test that they parse)."""
    import json
    from xxgk.extract import pipeline
    for name in ("000_dc9309ee2353fe7a.txt", "006.txt", "054.txt"):
        p = shared_dev / name
        gold = json.loads(p.with_name(p.stem + ".gold.json").read_text("utf-8"))["cells"]
        a = pipeline.analyse(p.read_bytes(), str(p), stages={"tables"})
        got = cells(a.tables)
        right = sum(1 for k, v in gold.items() if got.get(k, "absent") == v)
        assert right / len(gold) >= 0.98, name


def test_text_view_lays_out_the_three_tables(tmp_path):
    import io
    from xxgk.extract import pipeline, table_view
    p = tmp_path / "qinghe.txt"
    p.write_text(B.report(B.pipes_padded), "utf-8")
    a = pipeline.analyse(p.read_bytes(), str(p), stages={"tables"})
    out = io.StringIO()
    table_view.render(a, out)
    text = out.getvalue()
    assert "行政规范性文件" in text and "结转下年度" in text and "复议后起诉" in text
    line = next(ln for ln in text.splitlines() if "本年新收" in ln)
    assert [int(x) for x in line.replace("│", " ").split() if x.isdigit()] == list(B.T3["new_received"])
    assert "12.5" in text


def test_tables_wide_gives_one_frame_per_table(tmp_path):
    from xxgk.extract.api import tables_wide
    p = tmp_path / "qinghe.txt"
    p.write_text(B.report(B.cell_per_line_blank), "utf-8")
    wide = tables_wide(p)
    assert list(wide["t3"].loc["results_total"]) == list(B.T3["results_total"])
    assert wide["t4"].loc["review", "total"] == 4
    assert wide["t2"].loc["licensing", "decisions"] == 318
    assert wide["t2"].loc["licensing", "issued"] is None


def test_run_together_row_whose_own_sum_is_wrong_reads_the_nearest_split():
    # 12+0+0+0+0+1 ≠ 14 in the source: no cut adds up; the nearest reading keeps the error visible
    text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量120000114\n" + B.PROSE_AFTER
    result = parse(text)
    assert [cells(result)[f"t3/new_received/{c}"] for c in B.T3_COLS] == [12, 0, 0, 0, 0, 1, 14]
    assert codes(result) == []


def test_run_together_table4_with_wrong_totals_and_two_near_readings_is_s006():
    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉"
            "复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
            "1010000000050000\n五、存在的主要问题及改进情况\n")
    result = parse(text)
    s006 = [i for i in result.issues if i.code == "S006"]
    assert len(s006) == 1 and s006[0].arithmetic_fails
    assert {a["t4/review/upheld"] for a in s006[0].alternatives} == {1, 10}
    assert cells(result)["t4/review/upheld"] is None


def test_short_row_whose_last_number_is_the_sum_keeps_it_as_the_total():
    text = B.report(B.pipes_padded).replace(
        "2.重复申请 | 1 | 0 | 0 | 0 | 1 | 0 | 2 |", "2.重复申请 | 1 | 1 | 2 |")
    result = parse(text)
    got = cells(result)
    assert [got[f"t3/refused.duplicate/{c}"] for c in B.T3_COLS] == [1, 1, None, None, None, None, 2]
    assert [(i.code, i.row) for i in result.issues] == [("S003", "refused.duplicate")]


def test_pdf_text_layer_with_a_label_wrapped_around_its_numbers():
    text = B.report(B.pipes_padded).replace(
        "(二)部分公开(区分处理的,只计这一情形,不计其他情形) | 5 | 0 | 0 | 0 | 0 | 0 | 5 |",
        "(二)部分公开(区分处理的,只计这一情 5 0 0 0 0 0 5\n形,不计其他情形)")
    got = cells(parse(text))
    assert [got[f"t3/partial/{c}"] for c in B.T3_COLS] == [5, 0, 0, 0, 0, 0, 5]


def test_label_rest_before_the_pipes_keeps_empty_cells():
    text = B.report(B.pipes_padded).replace(
        "4.无正当理由大量反复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |", "4.无正当理由大量反复 申请 | | | | | | | 0 |")
    result = parse(text)
    got = cells(result)
    assert [got[f"t3/refused.excessive/{c}"] for c in B.T3_COLS] == [None] * 6 + [0]
    assert codes(result) == []


def test_table4_as_three_rows_of_five():
    def vertical(rows):
        if rows[0][0] != "行政复议":
            return B.pipes_padded(rows)
        v = rows[-1]
        return ("| | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
                f"| 行政复议 | {' | '.join(v[0:5])} |\n"
                f"| 行政诉讼(未经复议直接起诉) | {' | '.join(v[5:10])} |\n"
                f"| 行政诉讼(复议后起诉) | {' | '.join(v[10:15])} |\n")
    result = parse(B.report(vertical))
    got = cells(result)
    for k, v in B.expected().items():
        if k.startswith("t4/"):
            assert got[k] == v, k
    assert result.found["t4"] == "rows"


def test_a_mirror_in_traditional_characters():
    import opencc
    text = opencc.OpenCC("s2t").convert(B.report(B.pipes_padded))
    assert "規章" in text and "重複申請" in text
    assert cells(parse(text)) == B.expected()


def test_missing_results_total_row_does_not_take_table4_numbers():
    text = B.report(B.pipes_padded)
    text = text.replace("(七)总计 | 41 | 2 | 0 | 1 | 2 | 0 | 46 |", "")
    text = text.replace("四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况")
    got = cells(parse(text))
    assert "t3/results_total/total" not in got
    assert got["t3/carried_forward/total"] == 3
    assert got["t4/review/total"] == 4


def test_table3_column_order_from_the_header():
    # a page that prints 总计 right after 自然人; its rows follow that order
    def total_second(rows):
        out = []
        for r in rows:
            if r == ["自然人", "法人或其他组织", "总计"]:
                r = ["自然人", "总计", "法人或其他组织"]
            vals = [c for c in r if c.isdigit()]
            if len(vals) == 7:
                r = [c for c in r if not c.isdigit()] + [vals[0], vals[6], *vals[1:6]]
            out.append(r)
        return B.pipes_padded(out)
    got = cells(parse(B.report(total_second)))
    assert [got[f"t3/new_received/{c}"] for c in B.T3_COLS] == list(B.T3["new_received"])
    assert [got[f"t3/results_total/{c}"] for c in B.T3_COLS] == list(B.T3["results_total"])


def test_prose_under_a_table_heading_is_not_a_table():
    text = (B.PROSE_BEFORE + "二、主动公开政府信息情况\n本年制定规章3件，制发行政规范性文件12件，废止2件。"
            "办理行政许可318件。\n三、收到和处理政府信息公开申请情况\n全年新收申请47件。\n" + B.PROSE_AFTER)
    result = parse(text)
    assert result.cells == []
    assert "S002" not in codes(result)


def test_a_note_after_the_last_row_is_not_prose_for_the_row():
    text = B.report(B.cell_per_line_blank).replace(
        "四、政府信息公开行政复议", "注:本表数据统计至2023年12月31日。\n四、政府信息公开行政复议")
    got = cells(parse(text))
    assert [got[f"t3/carried_forward/{c}"] for c in B.T3_COLS] == list(B.T3["carried_forward"])


def test_table4_row_opening_with_an_empty_cell():
    text = B.report(B.pipes_padded, t4=("", "1", "0", "1", "2") + B.T4[5:])
    text = text.replace("\n | 1 | 0 | 1 | 2 |", "\n | 1 | 0 | 1 | 2 |")
    got = cells(parse(text))
    assert [got[f"t4/review/{c}"] for c in B.T4_COLS] == [None, 1, 0, 1, 2]
    assert [got[f"t4/litigation_after_review/{c}"] for c in B.T4_COLS] == [0, 0, 1, 0, 1]


def test_table4_header_without_numbers_is_s002():
    text = B.report(B.pipes_padded).replace(" | ".join(map(str, B.T4)) + " |", "(见附件)")
    result = parse(text)
    assert [(i.code, i.table) for i in result.issues] == [("S002", "t4")]
    assert result.found["t4"] == "unreadable"


def test_labels_printed_apart_from_their_numbers_are_not_guessed():
    # a text layer that gives all row labels first and all numbers after them
    labels = "\n".join(ls[-1] for _, ls in B.T3_LABELS)
    numbers = "\n".join(" ".join(map(str, B.T3[k])) for k, _ in B.T3_LABELS)
    text = "三、收到和处理政府信息公开申请情况\n" + labels + "\n" + numbers + "\n"
    result = parse(text)
    assert all(c.value is None for c in result.cells)
    assert "S003" in codes(result)


def test_table4_after_a_sentence_with_a_header_printed_letter_by_letter():
    text = ("四、政府信息公开行政复议、行政诉讼情况\n2023 年,本机关未发生因政府信息公开被申请行政复议、提起行政诉讼的情况。\n"
            "行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n结 结 其 尚\n结 结 其 尚 结 结 其 尚\n果 果 他 未\n"
            "总计 果 果 他 未 总 果 果 他 未 总\n维 纠 结 审\n维 纠 结 审 计 维 纠 结 审 计\n持 正 果 结\n"
            "持 正 果 结 持 正 果 结\n2 1 0 1 4 1 0 0 0 1 0 0 1 0 1\n五、存在的主要问题及改进情况\n")
    result = parse(text)
    got = cells(result)
    assert [got[f"t4/{g}/{c}"] for g in B.T4_GROUPS for c in B.T4_COLS] == list(B.T4)
    assert codes(result) == []


def test_a_misspelt_row_label_is_found_by_its_number():
    text = B.report(B.cell_per_line_pipe).replace("5.属于三类内部事务信息", "5.属于三类内容事务信息")
    got = cells(parse(text))
    assert got == B.expected()


def test_page_leaving_cells_empty_one_cell_per_line():
    """Form 7 with form 3: `56 |` then `|` for each empty cell; rows with no number at all are all null."""
    def sparse(rows):
        out = []
        for r in rows:
            vals = [c for c in r if c.isdigit()]
            if len(vals) == 7:
                keep = {0, 6} if vals[6] != "0" else set()
                shown = [v if i in keep else "" for i, v in enumerate(vals)]
                r = [c for c in r if not c.isdigit()] + shown + [""]
            out.append(r)
        return "".join(c + " |\n" if c else "|\n" for r in out for c in r)
    result = parse(B.report(sparse))
    got = cells(result)
    assert [got[f"t3/new_received/{c}"] for c in B.T3_COLS] == [41, None, None, None, None, None, 47]
    assert [got[f"t3/denied.state_secret/{c}"] for c in B.T3_COLS] == [None] * 7
    assert [got[f"t3/results_total/{c}"] for c in B.T3_COLS] == [41, None, None, None, None, None, 46]
    assert "S003" not in codes(result)


def test_a_mirror_with_taiwan_phrasing():
    import opencc
    text = opencc.OpenCC("s2twp").convert(B.report(B.pipes_padded))
    assert "規範性檔案" in text
    assert cells(parse(text)) == B.expected()


def test_run_together_row_cut_by_the_end_of_an_excerpt_is_not_read():
    text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量801000081二、上年结转政府信息公开申请数量000"
    result = parse(text)
    got = cells(result)
    assert [got[f"t3/new_received/{c}"] for c in B.T3_COLS] == [80, 1, 0, 0, 0, 0, 81]
    assert not any(k.startswith("t3/carried_over/") for k in got)
    assert codes(result) == []


def test_row_label_wording_variants():
    text = B.report(B.pipes_padded)
    for old, new in (("一、本年新收", "一、本年度新收"), ("二、上年结转", "二、上年度结转"), ("(七)总计", "(七)合计"),
                     ("四、结转下年度继续办理", "四、结转下一年度继续办理")):
        text = text.replace(old, new)
    assert cells(parse(text)) == B.expected()


def test_an_extra_row_the_template_lacks_is_not_read_into_the_row_before():
    text = B.report(B.pipes_padded).replace("行政强制 | 7 |", "行政强制 | 7 |\n行政确认 | 12 |")
    result = parse(text)
    assert cells(result)["t2/coercion/decisions"] == 7
    assert codes(result) == []


def test_a_local_extra_item_is_not_the_2019_template():
    text = B.report(B.pipes_padded).replace(
        "三、收到和处理", "第二十条第(九)项 |\n信息内容 | 采购总金额 |\n政府集中采购 | 120 |\n三、收到和处理")
    result = parse(text)
    assert "S005" not in codes(result)
    assert cells(result)["t2/fees/amount"] == 12.5


def test_a_missing_row_does_not_take_a_word_from_the_prose_after_the_table():
    text = B.report(B.cell_per_line_pipe).replace("3.其他 |\n1 |\n0 |\n0 |\n0 |\n0 |\n0 |\n1 |\n", "")
    assert "3.其他" not in text
    text = text.replace("四、政府信息公开行政复议", "注:其他情形见说明。\n四、政府信息公开行政复议")
    got = cells(parse(text))
    assert "t3/other.other/total" not in got
    assert [got[f"t3/results_total/{c}"] for c in B.T3_COLS] == list(B.T3["results_total"])
    assert got["t3/carried_forward/total"] == 3


def test_no_table_row_or_column_name_holds_a_slash():
    """A cell's key is table/row/col and the checks look cells up by the three parts: a slash inside a
    name would make two cells share one key."""
    from xxgk.models.table import canonical_keys
    for table in ("t2", "t3", "t4"):
        keys = canonical_keys(table)
        assert keys
        assert all("/" not in part for row, col in keys for part in (table, row, col))
