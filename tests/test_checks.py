"""One group of tests per check code, each on invented records that do and do not trigger it."""
from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

from xxgk.extract.checks import CHECKS, explain, run_checks, selected
from xxgk.extract.checks.catalogue import catalogue
from xxgk.models import Report, TableIssue

_spec = importlib.util.spec_from_file_location("checks_builder",
                                               Path(__file__).parent / "fixtures" / "checks" / "builder.py")
B = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(B)

SPEC_CODES = ["S001", "S002", "S003", "S004", "S005", "S006", "T301", "T302", "T303", "T401", "P201", "P202",
              "P301", "P302", "P303", "P401", "C001", "C002", "D001", "D002"]
SPEC_SEVERITY = {"S001": "error", "S002": "error", "S003": "warning", "S004": "warning", "S005": "info",
                 "S006": "warning", "D001": "warning", "D002": "info", "X101": "warning", "X301": "warning",
                 "X201": "info"}


def codes(a, **kw):
    return [f.code for f in run_checks(a, **kw)]


def with_changes(**changes):
    cells = B.consistent_cells()
    for k, v in changes.items():
        cells[k.replace("__", "/").replace("_DOT_", ".")] = v
    return cells


def cells(**kv):
    """cells(t3__granted__total=15) → the consistent tables with that one cell changed."""
    return with_changes(**kv)


# ---------------------------------------------------------------------------------------- registry

def test_every_spec_code_is_registered_and_documented():
    run_checks(B.analysis())  # loads the check modules
    assert sorted(CHECKS) == sorted(SPEC_CODES)
    cat = catalogue()
    for code in SPEC_CODES + ["X101", "X201", "X301"]:
        doc = cat[code]
        assert doc.title and doc.explanation and doc.example
        assert doc.severity == SPEC_SEVERITY.get(code, "error"), code


def test_consistent_report_has_no_findings():
    assert codes(B.analysis()) == []


def test_select_and_ignore_take_prefixes():
    assert selected("T303", ["T3"]) and not selected("T401", ["T3"])
    assert not selected("T303", None, ["T"]) and selected("P301", None, ["T"])
    a = B.analysis(cells(t3__new_received__total=34))
    assert "T301" in codes(a) and "T301" not in codes(a, ignore=["T30"]) and codes(a, select=["P"]) == []


def test_explain_text_json_and_unknown(capsys):
    import io
    import json
    out = io.StringIO()
    assert explain("t303", "text", out) == 0 and "勾稽" in out.getvalue()
    out = io.StringIO()
    assert explain("P301", "json", out) == 0 and json.loads(out.getvalue())["severity"] == "error"
    assert explain("Q999", "text", io.StringIO()) == 2


# ---------------------------------------------------------------------------------------- S codes

def test_s001_missing_section():
    fs = run_checks(B.analysis(missing=("五",)))
    assert [f.code for f in fs] == ["S001"]
    assert "存在的主要问题" in fs[0].message and fs[0].severity.value == "error"


def test_s001_once_for_a_text_that_is_no_report():
    a = B.analysis(missing=tuple("一二三四五六"))
    a.sections.is_annual_report = False
    fs = run_checks(a)
    assert [f.code for f in fs] == ["S001"] and "不是" in fs[0].message


def test_s002_table_missing_and_present():
    only_t3_t4 = {k: v for k, v in B.consistent_cells().items() if not k.startswith("t2/")}
    fs = run_checks(B.analysis(only_t3_t4))
    assert [(f.code, f.expected) for f in fs] == [("S002", "t2")]
    issue = TableIssue(code="S002", table="t4", message="表格跨页断开")
    no_t4 = {k: v for k, v in B.consistent_cells().items() if not k.startswith("t4/")}
    assert codes(B.analysis(no_t4, issues=[issue])) == ["S002"]


def test_s003_s004_s006_come_from_the_table_reader():
    issues = [TableIssue(code="S003", table="t3", row="other.overdue_correction", message="6个数字，应为7个"),
              TableIssue(code="S004", table="t2", row="licensing", message="不是数字", raw="若干"),
              TableIssue(code="S006", table="t2", row="normative_documents", message="连写", raw="693665",
                         alternatives=[{"t2/normative_documents/issued": 69}, {"t2/normative_documents/issued": 6}])]
    fs = {f.code: f for f in run_checks(B.analysis(issues=issues))}
    assert sorted(fs) == ["S003", "S004", "S006"]
    assert all(f.severity.value == "warning" for f in fs.values())
    assert "若干" in fs["S004"].message and "逾期不补正" in fs["S003"].message
    assert len(fs["S006"].data["alternatives"]) == 2 and "2种" in fs["S006"].message


def test_s005_old_template_is_info_and_skips_table_two_comparison():
    body = "全年制发规范性文件30件。"
    c = B.claim("proactive.normative_documents", 30, "规范性文件30件", body)
    assert codes(B.analysis(claims=[c], text=body)) == ["P201"]
    fs = run_checks(B.analysis(claims=[c], text=body, template="2019"))
    assert [(f.code, f.severity.value) for f in fs] == [("S005", "info")]


# ---------------------------------------------------------------------------------------- T codes

def test_t301_row_total():
    fs = run_checks(B.analysis(cells(t3__new_received__total=34)))
    t301 = [f for f in fs if f.code == "T301"]
    assert len(t301) == 1 and t301[0].expected == 33 and t301[0].found == 34
    keys = {(e.row, e.column) for e in t301[0].evidence}
    assert ("new_received", "total") in keys and ("new_received", "natural_person") in keys


def test_t301_empty_cells_are_skipped_unless_known_parts_exceed_the_total():
    # only the 总计 column filled: nothing to compare
    only_totals = {k: (v if k.endswith("/total") or not k.startswith("t3/") else None)
                   for k, v in B.consistent_cells().items()}
    assert codes(B.analysis(only_totals)) == []
    # natural_person 30 alone exceeds a total of 25
    c = cells(t3__new_received__total=25)
    c["t3/new_received/commercial"] = None
    fs = [f for f in run_checks(B.analysis(c)) if f.code == "T301"]
    assert len(fs) == 1 and fs[0].expected == 31 and "已达" in fs[0].message


def test_t302_results_total_column():
    c = cells(t3__granted__natural_person=13, t3__granted__total=15)
    fs = run_checks(B.analysis(c))
    t302 = [f for f in fs if f.code == "T302"]
    assert sorted((f.expected, f.found) for f in t302) == [(30, 29), (33, 32)]
    assert "T301" not in [f.code for f in fs]  # the changed row itself still adds up


def test_t303_balance_per_column():
    fs = run_checks(B.analysis(cells(t3__carried_forward__natural_person=4, t3__carried_forward__total=4)))
    t303 = [f for f in fs if f.code == "T303"]
    assert sorted((f.expected, f.found) for f in t303) == [(32, 33), (35, 36)]
    assert "自然人" in " ".join(f.message for f in t303) and "总计" in " ".join(f.message for f in t303)


def test_t303_skipped_when_carried_rows_absent():
    c = {k: v for k, v in B.consistent_cells().items()
         if not k.startswith(("t3/carried_over/", "t3/carried_forward/"))}
    assert "T303" not in codes(B.analysis(c))


def test_t401_group_total_never_repaired():
    c = cells(t4__review__total=0, t4__litigation_after_review__upheld=5)
    fs = [f for f in run_checks(B.analysis(c)) if f.code == "T401"]
    assert sorted((f.expected, f.found) for f in fs) == [(2, 0), (5, 0)]
    assert B.consistent_cells()["t4/review/total"] == 2 and c["t4/review/total"] == 0


# ---------------------------------------------------------------------------------------- P codes

def _one(ctype, value, text, body, **kw):
    return [B.claim(ctype, value, text, body, **kw)]


def test_p201_p202_table_two():
    body = "本年制发规范性文件13件，制定规章1件。"
    cl = [B.claim("proactive.normative_documents", 13, "规范性文件13件", body),
          B.claim("proactive.regulations", 1, "规章1件", body)]
    fs = run_checks(B.analysis(claims=cl, text=body))
    assert sorted((f.code, f.expected, f.found) for f in fs) == [("P201", 12, 13), ("P202", 0, 1)]
    p201 = next(f for f in fs if f.code == "P201")
    assert p201.line == 1 and p201.col == body.index("规范性文件13件") + 1
    assert p201.evidence[0].kind == "prose" and p201.evidence[1].row == "normative_documents"
    ok = [B.claim("proactive.normative_documents", 12, "规范性文件12件", "规范性文件12件")]
    assert codes(B.analysis(claims=ok, text="规范性文件12件")) == []
    approx = [B.claim("proactive.normative_documents", 10, "规范性文件10余件", "规范性文件10余件", approximate=True)]
    assert codes(B.analysis(claims=approx, text="规范性文件10余件")) == []


@pytest.mark.parametrize("value,flagged", [(33, False), (35, False), (40, True), (2, True)])
def test_p301_received_new_or_new_plus_carried_over(value, flagged):
    body = f"全年共收到政府信息公开申请{value}件。"
    cl = _one("request.received", value, f"申请{value}件", body)
    assert ("P301" in codes(B.analysis(claims=cl, text=body))) is flagged


def test_p301_carried_over_and_prose_equal_to_parts_of_a_bad_total():
    body = "上年结转申请3件。"
    assert codes(B.analysis(claims=_one("request.carried_over", 3, "结转申请3件", body), text=body)) == ["P301"]
    # the table's total cell is wrong (T301); prose equal to the row's parts is not blamed
    body = "收到申请33件。"
    fs = codes(B.analysis(cells(t3__new_received__total=34),
                          claims=_one("request.received", 33, "申请33件", body), text=body))
    assert "T301" in fs and "P301" not in fs


def test_p302_all_completed_against_carried_forward():
    body = "收到的申请已全部办结。"
    cl = _one("request.all_completed", True, "已全部办结", body)
    fs = run_checks(B.analysis(claims=cl, text=body))
    assert [(f.code, f.found) for f in fs] == [("P302", 3)]
    none_left = cells(t3__carried_forward__natural_person=0, t3__carried_forward__total=0,
                      t3__carried_over__natural_person=0, t3__carried_over__total=0,
                      t3__new_received__natural_person=29, t3__new_received__total=32)
    assert codes(B.analysis(none_left, claims=cl, text=body)) == []


def test_p302_completed_and_carried_forward_counts():
    body = "办结32件，结转下年度办理3件。"
    cl = [B.claim("request.completed", 32, "办结32件", body),
          B.claim("request.carried_forward", 3, "办理3件", body)]
    assert codes(B.analysis(claims=cl, text=body)) == []
    body = "办结35件，结转下年度办理2件。"
    cl = [B.claim("request.completed", 35, "办结35件", body),
          B.claim("request.carried_forward", 2, "办理2件", body)]
    fs = run_checks(B.analysis(claims=cl, text=body))
    assert sorted((f.code, f.expected, f.found) for f in fs) == [("P302", 3, 2), ("P302", 32, 35)]


def test_p303_result_groups():
    body = "予以公开14件，部分公开6件，不予公开2件，无法提供9件，不予处理2件。"
    cl = [B.claim("request.granted", 14, "予以公开14件", body), B.claim("request.partial", 6, "部分公开6件", body),
          B.claim("request.denied", 2, "不予公开2件", body), B.claim("request.unable", 9, "无法提供9件", body),
          B.claim("request.refused", 2, "不予处理2件", body)]
    fs = run_checks(B.analysis(claims=cl, text=body))
    assert [(f.code, f.expected, f.found) for f in fs] == [("P303", 5, 6)]
    assert "部分公开" in fs[0].message


def test_p401_review_and_litigation():
    body = "发生行政复议2件，行政诉讼2件。"
    cl = [B.claim("review.cases", 2, "行政复议2件", body), B.claim("litigation.cases", 2, "行政诉讼2件", body)]
    assert codes(B.analysis(claims=cl, text=body)) == []
    body = "发生行政复议3件，行政诉讼1件。"
    cl = [B.claim("review.cases", 3, "行政复议3件", body), B.claim("litigation.cases", 1, "行政诉讼1件", body)]
    fs = run_checks(B.analysis(claims=cl, text=body))
    assert sorted((f.code, f.expected, f.found) for f in fs) == [("P401", 2, 1), ("P401", 2, 3)]


def test_p_checks_skip_when_the_cell_is_empty():
    body = "收到申请40件。"
    c = cells(t3__new_received__total=None)
    assert "P301" not in codes(B.analysis(c, claims=_one("request.received", 40, "申请40件", body), text=body))


# ---------------------------------------------------------------------------------------- C codes

def test_c001_breakdown_larger_than_total():
    body = "通过门户网站发布信息(120)条,其中:政策文件(80)条、政务动态(50)条。"
    fs = run_checks(B.analysis(text=body))
    assert [(f.code, f.expected, f.found) for f in fs] == [("C001", 120, 130)]


def test_c001_exhaustive_list_must_match_and_asides_are_not_counted():
    body = "全年共公开政府信息300条(其中机构职能类信息20条，规划计划类信息30条，其他信息251条)。"
    fs = run_checks(B.analysis(text=body))
    assert [(f.code, f.expected, f.found) for f in fs] == [("C001", 300, 301)]
    assert "其他" in fs[0].message or "列举" in fs[0].message
    fine = ("主动公开文件共80件，其中，规范性文件12件(以县政府名义印发5件,以县政府办公室名义印发7件)，"
            "刊发政府公报6期，微信公众号发布信息250期。")
    assert codes(B.analysis(text=fine)) == []
    short = "发布信息176条，其中工作动态22条、通知公告12条。"
    assert codes(B.analysis(text=short)) == []  # a partial list may sum to less


@pytest.mark.parametrize("body,flagged", [
    ("全年累计主动公开政府信息162条。其中,镇政府文件公开141条,工作动态40条。", True),
    ("全年累计主动公开政府信息162条。其中,镇政府文件公开41条,通过微信公众号发布信息293篇。", True),
    ("全年累计主动公开政府信息162条。其中,镇政府文件公开41条,刊发政府公报12期,印发文件130件。", False),
    ("共收到申请35件，办结32件，结转下年度继续办理3件。其中，予以公开14件，部分公开5件。", False),
    ("办结32件，结转3件，其中予以公开14件，部分公开5件，不予公开2件。", False),
    ("发布信息共计300条(其中工作动态200条，通知公告120条)，同比增长50条。", True),
    ("发布信息300条，其中工作动态200条，较上年增长120条。", False),
    ("共收到政府信息公开申请12件，其中自然人申请10件、法人申请2件，均已按时办结，予以公开8件，部分公开2件。", False),
    ("共收到政府信息公开申请12件，其中网上申请10件、信函申请2件，予以公开8件，部分公开2件。", False),
    ("共收到政府信息公开申请12件，其中网上申请10件、信函申请4件，均已按时办结。", True),
    ("共收到政府信息公开申请12件，其中予以公开8件，部分公开2件，无法提供5件。", True),
])
def test_c001_phrasing_families(body, flagged):
    assert ("C001" in codes(B.analysis(text=body))) is flagged


def test_c001_results_may_include_last_years_applications():
    body = "本年新收政府信息公开申请33件，其中予以公开20件，部分公开9件，无法提供6件。"
    assert "C001" not in codes(B.analysis(text=body))  # 35 = 33 new + 2 carried over (table 3)
    no_carried = cells(t3__carried_over__natural_person=0, t3__carried_over__total=0)
    assert "C001" in codes(B.analysis(no_carried, text=body))


def test_c001_from_linked_claims():
    body = "受理申请20件，网上申请15件，信函申请9件。"
    parent = B.claim("request.received", 33, "受理申请20件", body)
    parent.value = 20
    kids = [B.claim("request.received", 15, "网上申请15件", body, parent=0),
            B.claim("request.received", 9, "信函申请9件", body, parent=0)]
    for k in kids:
        k.unit = "件"
    parent.unit = "件"
    fs = [f for f in run_checks(B.analysis(claims=[parent, *kids], text=body)) if f.code == "C001"]
    assert [(f.expected, f.found) for f in fs] == [(20, 24)]


def test_c002_fee_statements_disagree():
    body = "本年度未收取信息处理费。……收取信息处理费380元。"
    cl = [B.claim("fee.none", True, "未收取信息处理费", body), B.claim("fee.amount", 380, "信息处理费380元", body)]
    fs = run_checks(B.analysis(claims=cl, text=body))
    assert [(f.code, f.found) for f in fs] == [("C002", 380)]
    assert codes(B.analysis(claims=cl[:1], text=body)) == []


def test_c002_two_received_counts():
    body = "共收到申请35件……本年新收申请33件……收到申请40件"
    a = B.claim("request.received", 35, "收到申请35件", body)
    b = B.claim("request.received", 33, "新收申请33件", body)
    c = B.claim("request.received", 40, "收到申请40件", body)
    no_t3 = {k: v for k, v in B.consistent_cells().items() if not k.startswith("t3/")}
    carried = B.claim("request.carried_over", 2, "新收申请33件", body)
    assert "C002" not in codes(B.analysis(no_t3, claims=[a, b, carried], text=body))  # differ by 上年结转 2
    assert "C002" in codes(B.analysis(no_t3, claims=[b, c], text=body))
    # with table 3 present the table settles it: P301 names the statement that disagrees, no C002 besides
    found = codes(B.analysis(claims=[b, c], text=body))
    assert "P301" in found and "C002" not in found


# ---------------------------------------------------------------------------------------- D codes

def test_d001_statistics_sentence_from_last_year():
    body = "一、总体情况\n2022年，县政府办公室共收到政府信息公开申请33件。"
    cl = _one("request.received", 33, "申请33件", body)
    fs = run_checks(B.analysis(claims=cl, text=body))
    assert [(f.code, f.expected, f.found, f.severity.value) for f in fs] == [("D001", 2023, 2022, "warning")]
    for ok in ("一、总体情况\n2023年，县政府办公室共收到政府信息公开申请33件。",
               "一、总体情况\n较2022年，县政府办公室共收到政府信息公开申请33件。",
               "一、总体情况\n截至2022年底累计收到政府信息公开申请33件。",
               "一、总体情况\n2022年12月收到的政府信息公开申请33件。",
               "一、总体情况\n2022年度结转的政府信息公开申请33件已办结。"):
        assert codes(B.analysis(claims=_one("request.received", 33, "申请33件", ok), text=ok)) == []


def test_d001_title_and_period_disagree():
    rep = Report(year=2023, title="青禾县人民政府办公室2023年政府信息公开工作年度报告",
                 period_start=date(2022, 1, 1), period_end=date(2022, 12, 31), published=date(2024, 1, 20))
    fs = run_checks(B.analysis(report=rep))
    assert [(f.code, f.expected, f.found) for f in fs] == [("D001", 2023, 2022)]
    rep.period_start, rep.period_end = date(2023, 1, 1), date(2023, 12, 31)
    assert codes(B.analysis(report=rep)) == []


@pytest.mark.parametrize("published,is_government,late", [
    (date(2024, 1, 31), False, False), (date(2024, 2, 1), False, True),
    (date(2024, 3, 31), True, False), (date(2024, 4, 1), True, True)])
def test_d002_deadline(published, is_government, late):
    rep = Report(year=2023, published=published, is_government=is_government)
    fs = run_checks(B.analysis(report=rep))
    assert ([(f.code, f.severity.value) for f in fs] == [("D002", "info")]) is late


# ---------------------------------------------------------------------------------------- baseline

def test_baseline_fingerprint_ignores_line_numbers(tmp_path):
    from xxgk.extract.checks import baseline
    body = "本年制发规范性文件13件。"
    cl = _one("proactive.normative_documents", 13, "规范性文件13件", body)
    before = run_checks(B.analysis(claims=cl, text=body))
    shifted_body = "\n\n前言。\n" + body
    after = run_checks(B.analysis(claims=_one("proactive.normative_documents", 13, "规范性文件13件", shifted_body),
                                  text=shifted_body))
    assert before[0].line != after[0].line
    p = tmp_path / "baseline.json"
    baseline.write(p, baseline.entries("reports/青禾县-2023.txt", before))
    known = baseline.load(p)
    assert baseline.new_findings("青禾县-2023.txt", after, known) == []
    changed = run_checks(B.analysis(claims=_one("proactive.normative_documents", 14, "规范性文件13件", body),
                                    text=body))
    assert len(baseline.new_findings("青禾县-2023.txt", changed, baseline.load(p))) == 1


def test_docs_page_is_generated_from_the_catalogue():
    from xxgk.extract.checks import catalogue_markdown
    page = Path(__file__).resolve().parent.parent / "docs" / "checks.md"
    assert page.read_text("utf-8") == catalogue_markdown(), "regenerate: xxgk explain all --format markdown"
    assert all(f"## {code}" in page.read_text("utf-8") for code in SPEC_CODES)


# ---------------------------------------------------------------------------------------- whole pipeline

CLEAN = Path(__file__).resolve().parent / "fixtures" / "checks" / "clean.txt"

# One change to the invented clean report (云溪县 2023) → the code it must raise.
VARIANTS = [
    ("T301", "一、本年新收政府信息公开申请数量 | 30 | 2 | 0 | 0 | 1 | 0 | 33",
             "一、本年新收政府信息公开申请数量 | 30 | 2 | 0 | 0 | 1 | 0 | 34"),
    ("T302", "（七）总计 | 29 | 2 | 0 | 0 | 1 | 0 | 32", "（七）总计 | 29 | 2 | 0 | 0 | 1 | 0 | 31"),
    ("T303", "四、结转下年度继续办理 | 3 | 0 | 0 | 0 | 0 | 0 | 3", "四、结转下年度继续办理 | 4 | 0 | 0 | 0 | 0 | 0 | 4"),
    ("T401", "| 1 | 0 | 0 | 1 | 2 | 0 | 0 | 0 | 0 | 0 |", "| 1 | 0 | 0 | 1 | 3 | 0 | 0 | 0 | 0 | 0 |"),
    ("P201", "制发行政规范性文件12件", "制发行政规范性文件15件"),
    ("P301", "共收到政府信息公开申请35件", "共收到政府信息公开申请41件"),
    ("P302", "结转下年度继续办理3件", "结转下年度继续办理1件"),
    ("P401", "被申请行政复议2件", "被申请行政复议4件"),
    ("P303", "办理结果中，予以公开14件", "其中，予以公开16件"),
    ("C001", "主动公开政府信息1860条，其中", "主动公开政府信息1860条，其中，门户网站发布动态信息1900条，"),
    ("C002", "本年度未收取政府信息公开信息处理费。", "本年度未收取政府信息公开信息处理费。全年收取信息处理费120元。"),
    ("S001", "五、存在的主要问题及改进情况\n", "\n"),
    ("D001", "统计期限为2023年1月1日至2023年12月31日", "统计期限为2022年1月1日至2022年12月31日"),
    ("D002", "发布时间：2024-01-20 09:30", "发布时间：2024-02-26 09:30"),
]


def _check_text(text: str, name: str = "云溪县-2023.txt"):
    from xxgk.extract import pipeline
    return pipeline.analyse(text.encode("utf-8"), name).findings


def test_clean_invented_report_has_no_findings():
    assert [f.code for f in _check_text(CLEAN.read_text("utf-8"))] == []


@pytest.mark.parametrize("code,old,new", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_one_change_to_an_invented_report_raises_its_code(code, old, new):
    text = CLEAN.read_text("utf-8")
    assert text.count(old) == 1
    found = [f.code for f in _check_text(text.replace(old, new))]
    assert code in found, found


def test_a_failing_check_is_skipped_with_one_line(monkeypatch, capsys):
    from xxgk.extract import checks

    def broken(ctx):
        raise ValueError("boom")
        yield

    run_checks(B.analysis())
    monkeypatch.setitem(checks.CHECKS, "T301", broken)
    fs = run_checks(B.analysis(cells(t4__review__total=0)))
    assert [f.code for f in fs] == ["T401"]
    err = capsys.readouterr().err
    assert "Traceback" not in err
