"""Metadata: agency, year, publication date, statistics period — from invented pages of the real shapes."""
from __future__ import annotations

import json
from datetime import date

import pytest

from xxgk.extract import metadata, normalize, read, sections
from xxgk.models import Document


def _meta(text: str, fmt: str = "text", meta: dict | None = None):
    doc = Document(path="t.txt", sha256="0", format=fmt, encoding="utf-8", text=text, meta=meta or {})
    n = normalize.normalize(doc)
    return metadata.extract_metadata(doc, n, sections.find_sections(n.text))


BODY = "\n一、总体情况\n2023年,全县坚持公开。\n二、主动公开政府信息情况\n规章 | 0 | 0 | 0 |\n"


@pytest.mark.parametrize("head, agency, year", [
    ("云溪县农业农村局2023年政府信息公开工作年度报告", "云溪县农业农村局", 2023),
    ("云溪县农业农村局2023年度政府信息公开工作年度报告", "云溪县农业农村局", 2023),
    ("2023年云溪县农业农村局政府信息公开工作年度报告", "云溪县农业农村局", 2023),
    ("2022年度青禾镇政府信息公开工作年度报告", "青禾镇", 2022),
    ("云溪县地震局2023年政府信息公开年度报告", "云溪县地震局", 2023),
    ("云溪县人民政府门户网站-2023年云溪县卫生健康局政府信息公开工作年度报告_某某娱乐app下载", "云溪县卫生健康局", 2023),
    ("2023年政府信息公开工作年度报告\n云溪县青禾镇人民政府", "云溪县青禾镇人民政府", 2023),
    ("云溪县生态环境局青禾分局\n2024年政府信息公开工作年度报告", "云溪县生态环境局青禾分局", 2024),
    ("# 云溪县农业农村局2023年政府信息公开工作年度报告", "云溪县农业农村局", 2023),
    ("云溪县农业农村局2023年政府信息公开工作\n年度报告", "云溪县农业农村局", 2023),
    ("云溪县统计局二〇二三年政府信息公开工作年度报告", "云溪县统计局", 2023),
    ("云溪县人民政府(云溪县政务服务中心)2023年政府信息公开工作年度报告", "云溪县人民政府", 2023),
    ("云溪县教育局关于2023年度政府信息公开工作年度报告", "云溪县教育局", 2023),
    ("云溪县统计局政府信息公开工作2023年度报告", "云溪县统计局", 2023),
    ("2023年度云溪县人民政府政府信息公开工作年度报告", "云溪县人民政府", 2023),
])
def test_agency_and_year_from_the_title(head, agency, year):
    r = _meta(head + BODY)
    assert (r.agency, r.year) == (agency, year)


@pytest.mark.parametrize("opening, agency", [
    ("根据《条例》要求,现公布云溪县人力资源和社会保障局2021年政府信息公开工作年度报告。", "云溪县人力资源和社会保障局"),
    ("根据《条例》要求,特编制云溪县地方志办公室2021年政府信息公开工作年度报告。", "云溪县地方志办公室"),
    ("本年度报告由云溪县发展改革委编制,根据《条例》要求,对2021年度工作进行了梳理。", "云溪县发展改革委"),
    ("本报告由云溪县生态环境局青禾分局按照《条例》要求编制。", "云溪县生态环境局青禾分局"),
    ("根据《条例》的规定,云溪县卫健委编制了云溪县卫生健康委员会2021年政府信息公开工作年度报告。", "云溪县卫生健康委员会"),
    ("根据《条例》要求,结合云溪县人民政府办公室政府信息公开工作实际,编制本报告。", "云溪县人民政府办公室"),
    ("根据《条例》规定,现将《云溪县统计局2021年政府信息公开工作年度报告》公布如下。", "云溪县统计局"),
])
def test_agency_from_the_opening_sentence(opening, agency):
    r = _meta(opening + "\n一、总体情况\n2021年,我局坚持公开。\n")
    assert r.agency == agency
    assert r.year == 2021


def test_blank_lines_between_title_agency_and_page_metadata():
    r = _meta("发布时间:\n\n2023-01-18 10:36\n\n云溪县生态环境局青禾分局\n\n2022年政府信息公开工作年度报告\n\n"
              "## 一、总体情况\n\n结合生态环境工作,我局坚持公开。\n")
    assert (r.agency, r.year, r.published) == ("云溪县生态环境局青禾分局", 2022, date(2023, 1, 18))


def test_a_work_area_is_not_an_agency():
    r = _meta("根据《条例》,结合生态环境工作实际编制本报告。\n一、总体情况\n2023年,我局坚持公开。\n")
    assert r.agency is None


def test_page_words_run_into_the_title():
    r = _meta("云溪县人民政府 政府信息公开 云溪县人民政府2022年政府信息公开工作年度报告 年度报告根据条例编制。一、总体情况")
    assert (r.agency, r.year) == ("云溪县人民政府", 2022)


def test_subject_right_after_a_run_together_heading():
    r = _meta("根据条例编制本报告。一、总体情况 2023年,云溪经济技术开发区认真贯彻落实条例。")
    assert (r.agency, r.year) == ("云溪经济技术开发区", 2023)


def test_agency_from_the_subject_of_the_first_sentence():
    r = _meta("一、总体情况\n2024年,青禾街道深入贯彻落实《条例》,主动公开信息20条。\n")
    assert (r.agency, r.year) == ("青禾街道", 2024)


def test_title_named_in_a_sentence_is_trimmed_to_the_title():
    r = _meta("根据《2021年政务公开工作要点》要求,现公布云溪县审计局2023年政府信息公开工作年度报告。\n一、总体情况\n")
    assert r.title == "云溪县审计局2023年政府信息公开工作年度报告"
    assert r.year == 2023


def test_another_years_report_named_in_prose_does_not_set_the_year():
    r = _meta("与2021年政府信息公开工作年度报告相比,本年度公开数量增加。统计期限为2022年1月1日至2022年12月31日。\n"
              "一、总体情况\n")
    assert r.year == 2022


def test_we_and_this_unit_are_not_agencies():
    r = _meta("根据《条例》要求,特向社会公布2023年本单位信息公开年度报告。\n一、总体情况\n2023年,我局坚持公开。\n")
    assert r.agency is None
    assert r.year == 2023


def test_a_notice_named_in_prose_is_not_the_title():
    r = _meta("根据《省政府办公厅关于做好2022年政府信息公开工作年度报告编制和发布工作的通知》要求,"
              "由云溪县审计局编制本报告。\n一、总体情况\n2023年,我局坚持公开。\n")
    assert r.agency == "云溪县审计局"
    assert r.year == 2023


@pytest.mark.parametrize("period, start, end", [
    ("本报告所列数据的统计期限为2022年1月1日至2022年12月31日。", date(2022, 1, 1), date(2022, 12, 31)),
    ("数据统计期限自2022年1月1日起至12月31日止。", date(2022, 1, 1), date(2022, 12, 31)),
    ("报告全文及数据统计期限从202211日起到20221231日止。", date(2022, 1, 1), date(2022, 12, 31)),
    ("统计期限为202511日至20251231日。", date(2025, 1, 1), date(2025, 12, 31)),
])
def test_statistics_period_including_damaged_dates(period, start, end):
    r = _meta("根据《条例》编制本报告。" + period + "\n一、总体情况\n我局坚持公开。\n")
    assert (r.period_start, r.period_end) == (start, end)
    assert r.year == end.year


def test_published_from_page_metadata_not_the_effective_date():
    text = ("索引号: 11-2023-01 发布机构:\n生效日期: 2023-03-21 废止日期:\n"
            "来源: 发布时间:2023-03-17 浏览次数:\n云溪县人民政府2022年政府信息公开工作年度报告\n" + BODY +
            "云溪县人民政府\n2023年3月1日\n")
    r = _meta(text)
    assert r.published == date(2023, 3, 17)
    assert r.is_government


def test_published_with_the_value_on_the_next_line_and_in_a_pipe_table():
    assert _meta("发布时间:\n2023-01-18 10:36\n信息来源:\n市政府办公室\n" + BODY).published == date(2023, 1, 18)
    text = "| 标 题 | 云溪县民委2023年政府信息公开工作年度报告 | |\n| 发布机构 | 发布日期 | 2024-02-21 17:44:04 | |\n"
    r = _meta(text + BODY)
    assert r.published == date(2024, 2, 21)
    assert r.agency == "云溪县民委"


def test_published_date_on_a_metadata_line_without_its_key():
    r = _meta("云溪县水利局2022年政府信息公开工作年度报告\n2023-01-16 10:20 来源:云溪县水利局 浏览次数:35\n" + BODY)
    assert r.published == date(2023, 1, 16)


def test_catalogue_generated_date():
    r = _meta("信息索引号:11-01 生成日期:2024-01-20 公开形式:主动公开\n云溪县水利局2023年政府信息公开工作年度报告" + BODY)
    assert r.published == date(2024, 1, 20)


def test_closing_date_line_is_the_fallback_for_published():
    r = _meta("云溪县水利局2022年政府信息公开工作年度报告" + BODY + "云溪县水利局\n2023年1月9日\n")
    assert r.published == date(2023, 1, 9)
    assert not r.is_government


def test_html_page_metadata():
    r = _meta("一、总体情况\n2021年,我区坚持公开。\n", fmt="html",
              meta={"title": "青禾区2021年度政府信息公开工作年度报告", "published": "2022-02-08 16:34"})
    assert (r.agency, r.year, r.published) == ("青禾区", 2021, date(2022, 2, 8))


def test_html_publication_date_inside_dropped_page_chrome():
    html = ("<html><body><div class='article-header'><h1>云溪县审计局2023年政府信息公开工作年度报告</h1>"
            "<span>发布时间：2024-01-19</span></div><div class='content'><p>一、总体情况</p>"
            "<p>2023年,云溪县审计局坚持公开。</p></div></body></html>")
    doc = read.decode(html.encode("utf-8"), "p.html")
    n = normalize.normalize(doc)
    r = metadata.extract_metadata(doc, n, sections.find_sections(n.text))
    assert (r.agency, r.year, r.published) == ("云溪县审计局", 2023, date(2024, 1, 19))


def test_traditional_page_keeps_the_agency_as_written():
    r = _meta("雲溪縣發展和改革局2024年度政府信息公開工作年度報告\n來源:雲溪縣發展和改革局 發布時間:2025-01-20\n"
              "一、總體情況\n2024年,我局認真貫徹落實《條例》。\n")
    assert r.agency == "雲溪縣發展和改革局"
    assert (r.year, r.published) == (2024, date(2025, 1, 20))


def test_traditional_html_title_keeps_the_agency_as_written():
    r = _meta("一、總體情況\n2024年,我局認真貫徹落實《條例》,主動公開政府資訊。\n", fmt="html",
              meta={"page_title": "雲溪縣統計局2024年政府信息公開工作年度報告_雲溪縣人民政府"})
    assert (r.agency, r.year) == ("雲溪縣統計局", 2024)


def test_due_to_is_not_compiled_by():
    r = _meta("由于人员调整根据安排,本年度工作有所延迟。\n一、总体情况\n2023年,云溪县档案馆坚持公开。\n")
    assert r.agency == "云溪县档案馆"


def test_pinyin_readings_do_not_leak_into_the_agency():
    r = _meta("本年度報告由雲溪縣機(jī)關(guān)事務(wù)管理局根據(jù)《條例》編制。統計期限從2021年1月1日起至2021年12月31日止。\n"
              "一、總體情況\n")
    assert r.agency == "雲溪縣機關事務管理局"
    assert r.year == 2021


def test_metadata_accuracy_on_dev(shared_dev):
    """The reading foundation's own bar: agency/year/published ≥ 0.95 on the gold-labelled dev reports."""
    ok = n = 0
    for gold_path in sorted(shared_dev.glob("*.gold.json")):
        stem = gold_path.name[:-len(".gold.json")]
        src = [p for p in shared_dev.glob(stem + ".*") if not p.name.endswith(".gold.json")]
        if not src:
            continue
        doc = read.decode(src[0].read_bytes(), str(src[0]))
        norm = normalize.normalize(doc)
        got = metadata.extract_metadata(doc, norm, sections.find_sections(norm.text)).to_dict()
        gold = json.loads(gold_path.read_text(encoding="utf-8"))["report"]
        for k in ("agency", "year", "published"):
            if gold.get(k) is None:
                continue
            n += 1
            g, p = str(gold[k]), str(got[k])
            if k == "agency":
                g, p = g.replace("人民", ""), p.replace("人民", "")
                ok += g == p or (got[k] is not None and len(p) >= 2 and (g in p or p in g))
            else:
                ok += g == p
    assert n and ok / n >= 0.95


def test_metadata_and_sections_survive_re_encoding_and_traditional_conversion(shared_dev):
    """The same report as GB18030, UTF-16 (with and without BOM), CRLF and Traditional gives the same answers."""
    from opencc import OpenCC
    s2t = OpenCC("s2t")

    def run(data: bytes):
        doc = read.decode(data, "r.txt")
        norm = normalize.normalize(doc)
        sm = sections.find_sections(norm.text)
        return metadata.extract_metadata(doc, norm, sm).to_dict(), [s.id for s in sm.sections]

    for p in sorted(shared_dev.glob("*.txt")):
        raw = p.read_text(encoding="utf-8")
        base, base_sections = run(raw.encode("utf-8"))
        variants = {"gb18030": raw.encode("gb18030", errors="replace"), "utf-16": raw.encode("utf-16"),
                    "utf-16-le": raw.encode("utf-16-le"), "utf-16-be": raw.encode("utf-16-be"),
                    "crlf": raw.replace("\n", "\r\n").encode("utf-8"), "traditional": s2t.convert(raw).encode("utf-8")}
        for label, data in variants.items():
            got, got_sections = run(data)
            if label == "traditional" and base["agency"]:
                assert got["agency"] == s2t.convert(base["agency"]), (p.name, label)
                got["agency"] = base["agency"]
            assert (got, got_sections) == (base, base_sections), (p.name, label)


@pytest.mark.parametrize("title, government", [
    ("云溪县2023年政府信息公开工作年度报告", True),          # a place stands for its government
    ("青禾区人民政府2023年政府信息公开工作年度报告", True),
    ("青禾经济开发区管委会2023年政府信息公开工作年度报告", True),
    ("云溪县教育局2023年政府信息公开工作年度报告", False),
    ("青禾区人民政府办公室2023年政府信息公开工作年度报告", False),
])
def test_a_governments_own_report_is_told_from_a_departments(title, government):
    r = _meta(title + "\n一、总体情况\n2023年，本机关依法公开政府信息。")
    assert r.is_government is government


def test_a_date_alone_under_the_title_is_the_publication_date():
    r = _meta("关于青禾县教育局2024年度政府信息公开工作年度报告的公告\n2025-01-20\n一、总体情况\n"
              "2024年，县教育局坚持公开为常态。\n")
    assert r.published == date(2025, 1, 20)


def test_a_date_alone_under_the_title_of_another_year_is_not_taken():
    r = _meta("青禾县教育局2024年度政府信息公开工作年度报告\n2019-05-01\n一、总体情况\n2024年，县教育局坚持公开。\n")
    assert r.published is None
