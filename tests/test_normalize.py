"""Normalisation: width folding, whitespace, Traditional, pinyin, page chrome — and offsets back to the file."""
from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.extract import normalize, read
from xxgk.models import Document


def _doc(text: str, fmt: str = "text") -> Document:
    return Document(path="t.txt", sha256="0", format=fmt, encoding="utf-8", text=text)


def _norm(text: str, fmt: str = "text"):
    return normalize.normalize(_doc(text, fmt))


def _check_offsets(n) -> None:
    """Every kept character maps to the same character (modulo folding) in the original."""
    assert len(n.offsets) == len(n.text) + 1
    assert n.offsets[-1] == len(n.original)
    assert all(a <= b for a, b in zip(n.offsets, n.offsets[1:-1]))


def test_width_folding_keeps_chinese_punctuation():
    n = _norm("全年主动公开信息１２３４条（含规范性文件８件）；其中：“青禾发布”。、")
    assert n.text == "全年主动公开信息1234条(含规范性文件8件);其中:“青禾发布”。、"
    _check_offsets(n)


def test_document_number_brackets_are_kept_and_parenthesised_numerals_unfold():
    n = _norm("依据国办公开办函﹝2021﹞30号和〔2021〕30号。\n㈠主动公开情况\n⑵依申请公开")
    assert "﹝2021﹞30号" in n.text and "〔2021〕30号" in n.text
    assert n.text.splitlines()[1] == "(一)主动公开情况"
    assert n.text.splitlines()[2] == "(2)依申请公开"
    _check_offsets(n)


def test_layout_spaces_between_digits_and_chinese_go_but_table_cells_stay():
    n = _norm("2023 年，我区发布信息 2428 条，公开会议 7 期。\n规章 | 0 | 0 | 0 |\n自然人　　 商业企业\n  缩进的一行  ")
    lines = n.text.splitlines()
    assert lines[0] == "2023年,我区发布信息2428条,公开会议7期。"
    assert lines[1] == "规章 | 0 | 0 | 0 |"
    assert lines[2] == "自然人 商业企业"  # a run of spaces separates cells: kept as one space
    assert lines[3] == "缩进的一行"
    _check_offsets(n)


def test_numbers_separated_by_spaces_are_not_merged():
    n = _norm("总计 20 0 0 0 0 1 21")
    assert n.text == "总计20 0 0 0 0 1 21"


def test_traditional_is_converted_and_flagged():
    n = _norm("雲溪縣2023年政府信息公開工作年度報告\n一、總體情況\n全年主動公開政府信息356條。")
    assert "traditional" in n.flags
    assert n.text.splitlines()[1] == "一、总体情况"
    assert "主动公开政府信息356条" in n.text
    _check_offsets(n)


def test_simplified_text_is_not_flagged_traditional():
    n = _norm("青禾区2023年政府信息公开工作年度报告\n一、总体情况\n全年主动公开政府信息356条。")
    assert "traditional" not in n.flags


def test_pinyin_readings_are_removed_and_recorded():
    src = "國家機(jī)關(guān)事務(wù)管理局根據(jù)條例編制"
    n = _norm(src)
    assert "pinyin-garbled" in n.flags
    assert n.text == "国家机关事务管理局根据条例编制"
    assert [r.text for r in n.removed if r.kind == "pinyin"] == ["(jī)", "(guān)", "(wù)", "(jù)"]
    _check_offsets(n)


def test_a_lone_latin_word_in_brackets_is_not_pinyin():
    n = _norm("通过门户网站(www)和微信(wechat)发布。")
    assert n.text == "通过门户网站(www)和微信(wechat)发布。"
    assert "pinyin-garbled" not in n.flags


CHROME = """当前位置：首页 > 政务公开 > 年报
青禾区2023年政府信息公开工作年度报告
发布时间：2024-01-22 09:30　来源：青禾区人民政府办公室　浏览次数：125
索 引 号：11-2024-0001　文 号：
【字体：大 中 小】　打印本页　关闭窗口
分享到：
一、总体情况
2023年，青禾区主动公开信息356条。
- 3 -
扫一扫在手机打开当前页
网站标识码：1234000001　青公网安备 12345678901234号
"""


def test_page_chrome_is_removed_and_recorded():
    n = _norm(CHROME)
    assert n.text.splitlines() == ["青禾区2023年政府信息公开工作年度报告", "一、总体情况",
                                   "2023年,青禾区主动公开信息356条。"]
    kinds = [r.kind for r in n.removed]
    for k in ("breadcrumb", "metadata", "widgets", "share", "page-number", "footer"):
        assert k in kinds
    for r in n.removed:  # recorded text is the original text at the recorded place
        assert CHROME[r.start:r.end].strip() == r.text
    assert "chrome-removed" in n.flags
    _check_offsets(n)


def test_line_col_after_removed_chrome_points_into_the_original():
    n = _norm(CHROME)
    i = n.text.index("356条")
    line, col = n.line_col(i)
    original_line = CHROME.splitlines()[line - 1]
    assert original_line[col - 1:col + 2] == "356"
    assert (line, col) == (8, 16)


def test_line_col_with_crlf_and_folding():
    src = "发布时间：2024-01-22\r\n一、总体情况\r\n收到申请１７件。\r\n"
    n = _norm(src)
    assert "\r" not in n.text
    line, col = n.line_col(n.text.index("17件"))
    assert src.split("\r\n")[line - 1][col - 1] == "１"


def test_metadata_line_ending_in_widgets_and_catalogue_keys():
    src = ("【发布时间：2024-01-22】 作者：办公室 来源：青禾区 【字体：大 中 小】【打印】【关闭】\n"
           "信息索引号：11-01 生成日期：2024-01-20 公开形式：主动公开\n一、总体情况\n")
    n = _norm(src)
    assert n.text == "一、总体情况\n"
    assert [r.kind for r in n.removed] == ["metadata", "metadata"]


def test_prose_that_mentions_metadata_words_is_kept():
    text = ("一、总体情况\n信息来源:各部门报送,发布时间:均在形成后20个工作日内,共发布信息356条,"
            "做到来源可查、时间可溯,确保分享到位。\n打印机采购项目已公开。")
    n = _norm(text)
    assert n.text == text
    assert n.removed == []


def test_chrome_inside_a_page_flattened_onto_one_line():
    src = ("当前位置： 首页政务公开年报 青禾区2023年政府信息公开工作年度报告 来源：青禾区人民政府 "
           "时间：2024-01-22 16:34 微信 微博 QQ空间 根据《条例》编制本报告。一、总体情况2023年,青禾区坚持公开。")
    n = _norm(src)
    assert "来源" not in n.text and "微博" not in n.text and "当前位置" not in n.text
    assert "青禾区2023年政府信息公开工作年度报告" in n.text
    assert "根据《条例》编制本报告。一、总体情况2023年,青禾区坚持公开。" in n.text
    _check_offsets(n)


PDF_TEXT = """洪溪县人民政府
2023 年政府信息公开工作年度报告
本报告由洪溪县人民政府办公室根据《中华人民共和国政府信息
公开条例》要求编制。报告中所列数据统计期限自 2023 年 1 月 1 日
起至 2023 年 12 月 31 日止。如对本报告有疑问，请与洪溪县人民政
府办公室联系。
一、总体情况
2023 年，洪溪县人民政府坚持以公开为常态、不公开为例外，全
面推进政务公开工作，有力服务保障全县经济社会高质量发展。
（一）主动公开情况。主要通过政府门户网站主动公开政府文件
等各类政府信息。2023 年，在政府网站平台主动发布各类信息 1136
条。
（二）依申请公开情况。
规章 | 0 | 0 | 0 |
- 1 -
"""


def test_pdf_wrapped_lines_are_joined_but_headings_and_tables_are_not():
    n = _norm(PDF_TEXT, fmt="pdf")
    lines = n.text.splitlines()
    assert "pdf-lines-joined" in n.flags
    assert lines[0] == "洪溪县人民政府"
    assert lines[1] == "2023年政府信息公开工作年度报告"
    assert lines[2].startswith("本报告由洪溪县人民政府办公室根据《中华人民共和国政府信息公开条例》要求编制。")
    assert lines[2].endswith("请与洪溪县人民政府办公室联系。")
    assert lines[3] == "一、总体情况"
    assert lines[4].endswith("有力服务保障全县经济社会高质量发展。")
    assert "主动发布各类信息1136条。" in lines[5]
    assert lines[6] == "(二)依申请公开情况。"
    assert lines[7] == "规章 | 0 | 0 | 0 |"
    assert len(lines) == 8  # the page number is gone
    _check_offsets(n)


def test_pdf_running_header_repeated_on_every_page_is_removed():
    page = "洪溪县人民政府文件\n第{n}页正文。\n"
    src = "".join(page.format(n=i) for i in range(1, 5)) + "规章 | 0 | 0 | 0 |\n" * 3
    n = _norm(src, fmt="pdf")
    assert "洪溪县人民政府文件" not in n.text
    assert n.text.count("规章 | 0 | 0 | 0 |") == 3
    assert [r.kind for r in n.removed].count("running-header") == 4
    _check_offsets(n)
    labels = _norm("结果维持\n结果纠正\n总计\n" * 3 + "正文一段。\n" * 5, fmt="pdf")
    assert labels.text.count("总计") == 3


def test_plain_text_lines_are_never_joined():
    text = "信息内容\n本年制发件数\n规章\n0\n"
    assert _norm(text).text == text


def test_fixture_report_normalises_with_original_positions(fixtures: Path):
    p = fixtures / "reading" / "qinghe_2023.txt"
    doc = read.decode(p.read_bytes(), str(p))
    n = normalize.normalize(doc)
    i = n.text.index("1234条")
    line, col = n.line_col(i)
    assert p.read_text(encoding="utf-8").splitlines()[line - 1][col - 1:col + 4] == "１２３４条"


@pytest.mark.parametrize("name", ["006.txt", "024.txt", "111.txt", "hzq2024.pdf", "006h.html"])
def test_real_pages_keep_offsets_consistent(shared_dev, name):
    p = shared_dev / name
    doc = read.decode(p.read_bytes(), str(p))
    n = normalize.normalize(doc)
    _check_offsets(n)
    for r in n.removed:
        assert doc.text[r.start:r.end].strip() == r.text
