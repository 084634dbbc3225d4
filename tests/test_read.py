"""Reading: encodings, formats told apart by content, HTML and PDF tables, bad input. Invented reports only."""
from __future__ import annotations

import codecs

import pytest

from xxgk.extract import read
from xxgk.extract.read import InputError

REPORT = ("云溪县农业农村局2023年政府信息公开工作年度报告\n"
          "一、总体情况\n2023年，云溪县农业农村局主动公开政府信息３５６条。\n"
          "二、主动公开政府信息情况\n规章 | 0 | 0 | 0 |\n")


# ------------------------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("encoding, data, expected", [
    ("utf-8", REPORT.encode("utf-8"), "utf-8"),
    ("utf-8 with BOM", codecs.BOM_UTF8 + REPORT.encode("utf-8"), "utf-8-sig"),
    ("gb18030", REPORT.encode("gb18030"), "gb18030"),
    ("gbk", REPORT.encode("gbk"), "gb18030"),
    ("utf-16 with BOM", REPORT.encode("utf-16"), "utf-16"),
    ("utf-16-be with BOM", codecs.BOM_UTF16_BE + REPORT.encode("utf-16-be"), "utf-16"),
    ("utf-16-le without BOM", REPORT.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be without BOM", REPORT.encode("utf-16-be"), "utf-16-be"),
])
def test_encoding_is_detected(encoding, data, expected):
    doc = read.decode(data, "r.txt")
    assert doc.text == REPORT
    assert doc.encoding == expected
    assert doc.format == "text"
    assert doc.size == len(data)


def test_big5_is_not_mistaken_for_gb18030():
    text = "雲溪縣政府資訊公開工作年度報告\n一、總體情況\n全年主動公開政府資訊356條。\n"
    doc = read.decode(text.encode("big5"), "r.txt")
    assert (doc.text, doc.encoding) == (text, "big5")


def test_declared_encoding_is_honoured():
    data = REPORT.encode("gb18030")
    assert read.decode(data, "r.txt", encoding="gb18030").text == REPORT


def test_declared_encoding_with_invalid_bytes_names_the_byte():
    data = "总体情况".encode("utf-8") + b"\xff\xfe\xfd"
    with pytest.raises(InputError, match=r"^not valid gb18030 at byte 12$"):
        read.decode(data, "r.txt", encoding="gb18030")
    bad = "青禾".encode("gb18030")
    with pytest.raises(InputError, match=r"^not valid utf-8 at byte 0$"):
        read.decode(bad, "r.txt", encoding="utf-8")


def test_utf8_bom_with_invalid_bytes_is_an_error_not_a_guess():
    with pytest.raises(InputError, match="not valid utf-8"):
        read.decode(codecs.BOM_UTF8 + "青禾".encode("gb18030"), "r.txt")


# ------------------------------------------------------------------------------------------- bad input

def test_empty_and_blank_files_are_refused():
    for data in (b"", b"  \n\t\r\n", codecs.BOM_UTF8):
        with pytest.raises(InputError, match="^empty file$"):
            read.decode(data, "r.txt")


def test_a_stray_nul_in_a_text_file_is_not_binary():
    doc = read.decode(REPORT.encode("utf-8").replace("一、总体情况".encode(), "一、总体情况\x00".encode()), "r.txt")
    assert doc.encoding == "utf-8" and "总体情况" in doc.text


def test_binary_file_is_refused():
    data = bytes(range(256)) * 20
    with pytest.raises(InputError, match="^binary file"):
        read.decode(data, "r.bin")


def test_office_documents_are_named_in_the_error(tmp_path):
    import zipfile
    p = tmp_path / "report.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("word/document.xml", "<w:document/>" * 50)
    with pytest.raises(InputError, match="zip archive"):
        read.decode(p.read_bytes(), str(p))
    with pytest.raises(InputError, match="old Office document"):
        read.decode(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "r.doc")


def test_missing_path_and_directory_without_reports(tmp_path):
    with pytest.raises(InputError, match="^no such file$"):
        read.read_bytes(str(tmp_path / "nope.txt"))
    (tmp_path / "notes.json").write_text("{}")
    with pytest.raises(InputError, match="directory holds no reports"):
        read.read_bytes(str(tmp_path))
    assert read.expand_inputs([str(tmp_path)]) == [str(tmp_path)]


def test_file_over_the_limit_is_refused_without_reading_it(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"x" * 2048)
    with pytest.raises(InputError, match="larger than"):
        read.read_bytes(str(p), limit=1024)
    assert read.read_bytes(str(p), limit=4096) == b"x" * 2048


def test_stdin_over_the_limit_is_refused():
    import io
    with pytest.raises(InputError, match="larger than"):
        read.read_bytes("-", stdin=io.BytesIO(b"y" * 3000), limit=1000)


def test_unreadable_file(tmp_path):
    import os
    p = tmp_path / "locked.txt"
    p.write_text(REPORT, encoding="utf-8")
    p.chmod(0)
    try:
        if os.access(p, os.R_OK):
            pytest.skip("running with permissions that ignore file modes")
        with pytest.raises(InputError, match="permission denied"):
            read.read_bytes(str(p))
    finally:
        p.chmod(0o644)


def test_expand_inputs_walks_directories_and_globs(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "r1.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "a" / "r2.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "a" / "skip.json").write_text("{}", encoding="utf-8")
    got = read.expand_inputs([str(tmp_path), "-"])
    assert got == [str(tmp_path / "a" / "r1.txt"), str(tmp_path / "a" / "r2.html"), "-"]
    assert read.expand_inputs([str(tmp_path / "a" / "*.txt")]) == [str(tmp_path / "a" / "r1.txt")]


# ------------------------------------------------------------------------------------------- formats

def test_format_by_content_not_suffix():
    md = "# 云溪县2023年报告\n\n## 一、总体情况\n\n| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | 0 |\n"
    assert read.decode(md.encode(), "report.txt").format == "markdown"
    html = "<html><body><p>一、总体情况</p><p>正文</p></body></html>"
    assert read.decode(html.encode(), "report.txt").format == "html"
    assert read.decode(REPORT.encode(), "report.html").format == "text"


def test_markdown_text_is_kept_as_written():
    md = "## 一、总体情况\n\n| 规章 | 0 | 0 | 0 |\n|---|---|---|---|\n"
    doc = read.decode(md.encode(), "r.md")
    assert doc.text == md


HTML = """<!DOCTYPE html><html><head><title>云溪县2023年政府信息公开工作年度报告_云溪县人民政府</title>
<meta name="PubDate" content="2024-01-22 10:00"><style>p{color:red}</style><script>var x="总体情况";</script></head>
<body><div class="nav">首页 | 政务公开</div><div class="breadcrumb">当前位置：首页</div>
<div class="article"><h1>云溪县2023年政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>全年主动公开<span>政府信息</span>356条。<br>第二行</p>
<p>三、收到和处理政府信息公开申请情况</p>
<table border="1">
<tr><td rowspan="2" colspan="3">（本列数据的勾稽关系）</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="1">自然人</td><td colspan="5">法人或其他组织</td><td>总计</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>5</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>6</td></tr>
<tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>4</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>5</td></tr>
<tr><td colspan="2">（二）部分公开</td><td>1</td><td></td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
</table>
<p>六、其他需要报告的事项</p></div><footer>版权所有 云溪县人民政府</footer></body></html>"""


def test_html_text_keeps_blocks_and_drops_scripts_and_chrome():
    doc = read.decode(HTML.encode("utf-8"), "page.html")
    assert doc.format == "html"
    lines = doc.text.splitlines()
    assert "一、总体情况" in lines
    assert "全年主动公开政府信息356条。" in lines and "第二行" in lines
    assert "var x" not in doc.text and "color:red" not in doc.text
    assert "首页 | 政务公开" not in doc.text and "版权所有" not in doc.text
    assert doc.meta["published"] == "2024-01-22 10:00"
    assert doc.meta["page_title"].startswith("云溪县2023年")


def test_html_table_spans_are_expanded_rowspan_repeats_colspan_pads():
    doc = read.decode(HTML.encode("utf-8"), "page.html")
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert all(len(r) == 10 for r in t.rows)  # every row has the true column count
    assert t.rows[0][:4] == ["（本列数据的勾稽关系）", "", "", "申请人情况"]
    assert t.rows[1][:5] == ["（本列数据的勾稽关系）", "", "", "自然人", "法人或其他组织"]  # rowspan repeats
    assert t.rows[2] == ["一、本年新收政府信息公开申请数量", "", "", "5", "1", "0", "0", "0", "0", "6"]
    assert t.rows[4][:5] == ["三、本年度办理结果", "（二）部分公开", "", "1", ""]  # empty cell stays empty
    rendered = doc.text[t.start:t.end].splitlines()
    assert len(rendered) == 5
    assert rendered[2] == "一、本年新收政府信息公开申请数量 |  |  | 5 | 1 | 0 | 0 | 0 | 0 | 6 |"
    assert doc.text[t.end] == "\n" and doc.text[t.start - 1] == "\n"


def test_report_inside_a_box_classed_like_chrome_is_kept():
    html = ("<html><body><div class='nav'>首页 政务公开</div><div class='side-content'><p>一、总体情况</p>"
            "<p>2023年,青禾区主动公开政府信息356条。</p></div></body></html>")
    doc = read.decode(html.encode(), "p.html")
    assert "一、总体情况" in doc.text.splitlines()


def test_page_metadata_box_is_not_a_report_table():
    html = ("<html><body><div id='top'>首页 政务公开</div><table><tr><td>索引号：</td><td>11-2024-01</td>"
            "<td>发布机构：</td><td>青禾区教育局</td></tr><tr><td>发布日期：</td><td>2024-01-22</td><td>文号：</td>"
            "<td></td></tr></table><p>一、总体情况</p><table><tr><td>规章</td><td>0</td></tr></table></body></html>")
    doc = read.decode(html.encode(), "p.html")
    assert [t.rows for t in doc.tables] == [[["规章", "0"]]]
    assert "索引号： | 11-2024-01 | 发布机构： | 青禾区教育局 |" in doc.text.splitlines()
    assert "首页" not in doc.text


def test_layout_table_is_read_as_text():
    html = ("<html><body><table><tr><td><p>一、总体情况</p><p>正文一段。</p>"
            "<table><tr><td>规章</td><td>0</td></tr></table></td></tr></table></body></html>")
    doc = read.decode(html.encode(), "p.html")
    assert "一、总体情况" in doc.text.splitlines()
    assert [t.rows for t in doc.tables] == [[["规章", "0"]]]


def test_layout_table_holding_the_article_next_to_navigation():
    article = "".join(f"<p>第{i}段:青禾区坚持以公开为常态、不公开为例外,全面推进政务公开工作,取得明显成效。</p>" for i in range(6))
    html = f"<html><body><table><tr><td>首页</td><td><p>一、总体情况</p>{article}</td></tr></table></body></html>"
    doc = read.decode(html.encode(), "p.html")
    assert doc.tables == []
    assert "一、总体情况" in doc.text.splitlines()
    assert " | " not in doc.text


def test_html_in_gb18030():
    html = "<html><head><meta charset='gbk'></head><body><p>二、主动公开政府信息情况</p></body></html>"
    doc = read.decode(html.encode("gb18030"), "p.htm")
    assert doc.encoding == "gb18030" and "二、主动公开政府信息情况" in doc.text


# ------------------------------------------------------------------------------------------- PDF

def _pdf_with_table() -> bytes:
    fpdf = pytest.importorskip("fpdf")
    # No CJK font is available to the tests: the PDF path is tested on an ASCII and number report.
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 8, "Annual report 2023", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, "Section two", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(60, 30, 30, 30)) as table:
        for row in (("Item", "Issued", "Repealed", "In force"), ("Rules", "0", "0", "0"),
                    ("Documents", "3", "1", "12")):
            r = table.row()
            for c in row:
                r.cell(c)
    pdf.cell(0, 8, "Section three follows the table", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_pdf_text_and_table_rows_in_reading_order():
    data = _pdf_with_table()
    doc = read.decode(data, "report.bin")  # told apart by its magic, not its name
    assert doc.format == "pdf"
    lines = doc.text.splitlines()
    assert lines[0] == "Annual report 2023"
    assert "Item | Issued | Repealed | In force |" in lines
    assert "Documents | 3 | 1 | 12 |" in lines
    assert lines.index("Section two") < lines.index("Rules | 0 | 0 | 0 |") < lines.index(
        "Section three follows the table")
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert t.page == 1 and t.rows[2] == ["Documents", "3", "1", "12"]
    assert doc.text[t.start:t.end].splitlines()[0] == "Item | Issued | Repealed | In force |"


def test_broken_pdf_is_one_line_error():
    with pytest.raises(InputError, match="^cannot read PDF|^PDF has no text"):
        read.decode(b"%PDF-1.4\n garbage without objects\n%%EOF", "x.pdf")
