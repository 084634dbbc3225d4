"""Request, review/litigation, fee, plan and proposal claims read from whole invented reports.

The rule files' own examples test single sentences; these tests run the full pipeline on reports in the
template's shape, so that sections, table blocks and sentence splitting are part of what is checked:
table rows (一、本年新收政府信息公开申请数量 | 20 | …) and section 五's plans (降低行政复议发生率) must not
become claims, and the prose facts must. The agencies and numbers are invented.
"""
from __future__ import annotations

from collections import Counter

import pytest

from xxgk.extract import pipeline

OWN_TYPES = ("request.", "review.", "litigation.", "fee.", "plans.", "proposals.")

HEADER = (
    "{agency}2023年政府信息公开工作年度报告\n\n"
    "本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发"
    "<中华人民共和国政府信息公开工作年度报告格式>的通知》(国办公开办函〔2021〕30号)要求编制。\n\n"
)

BUSY_REPORT = HEADER.format(agency="青禾区人民政府办公室") + """一、总体情况

(一)主动公开

2023年,青禾区人民政府办公室通过区政府门户网站主动公开政府信息1,204条。及时公开了“十四五”全民健身规划、城乡供水保障规划、湿地保护规划等专项规划。

(二)依申请公开

2023年,区政府办公室收到公民、法人或其他组织的政府信息公开申请23件,上年结转2件,其中予以公开11件,部分公开4件,不予公开1件,无法提供5件,不予处理1件;办结22件,3件结转下年度继续办理。全年未发生因政府信息公开申请行政复议、提起行政诉讼的情况。

二、主动公开政府信息情况

| 第二十条第(一)项 |
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | 0 | 0 | 0 |
| 行政规范性文件 | 6 | 1 | 40 |

三、收到和处理政府信息公开申请情况

| 一、本年新收政府信息公开申请数量 | 20 | 3 | 0 | 0 | 0 | 0 | 23 |
| 二、上年结转政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
| 三、本年度办理结果 | (一)予以公开 | 9 | 2 | 0 | 0 | 0 | 0 | 11 |
| (二)部分公开 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |
| (五)不予处理 | 1.信访举报投诉类申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| 四、结转下年度继续办理 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |

四、政府信息公开行政复议、行政诉讼情况

| 行政复议 | 行政诉讼 |
| 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |

五、存在的主要问题及改进情况

依申请公开答复的规范性还需提高,下一步将降低行政复议、行政诉讼发生率。

六、其他需要报告的事项

本年度未收取信息处理费。全年承办区人大代表建议18件、区政协提案25件,均已按期办结。
"""

QUIET_REPORT = HEADER.format(agency="云溪县石桥镇人民政府") + """一、总体情况

(一)主动公开

2023年,石桥镇通过县政府门户网站乡镇专栏主动公开政府信息86条。

(二)依申请公开

2023年,我镇未收到政府信息公开申请,没有因政府信息公开申请引起行政复议和行政诉讼的情况。

二、主动公开政府信息情况

三、收到和处理政府信息公开申请情况

一、本年新收政府信息公开申请数量000000
二、上年结转政府信息公开申请数量000000

四、政府信息公开行政复议、行政诉讼情况

五、存在的主要问题及改进情况

个别工作人员对依申请公开工作不够熟悉,将加强培训。

六、其他需要报告的事项

2023年,全年收取政府信息公开信息处理费 0 元。
"""

PDF_LIKE_REPORT = HEADER.format(agency="云溪县交通运输局") + """一、总体情况
(二)依申请公开情况。进一步规范依申请公开流程,严格答复时限要求。2023 年全局受理政府
信息公开申请 9 件,均已在法定期限内予以答复。
六、其他需要报告的事项
2023 年,本局严格落实《政府信息公开信息处理费管理办法》,全年未产生信息处理费。
"""


def own_claims(text: str, tmp_path, name: str = "report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    analysis = pipeline.analyse(path.read_bytes(), str(path), stages={"claims"})
    return [c for c in analysis.claims if c.type.startswith(OWN_TYPES)]


def as_items(claims) -> Counter:
    items = Counter()
    for c in claims:
        value = tuple(c.value) if isinstance(c.value, list) else c.value
        items[(c.type, value)] += 1
    return items


def test_busy_report_prose_facts_are_claims(tmp_path):
    got = as_items(own_claims(BUSY_REPORT, tmp_path))
    assert got == Counter({
        ("request.received", 23): 1,
        ("request.carried_over", 2): 1,
        ("request.granted", 11): 1,
        ("request.partial", 4): 1,
        ("request.denied", 1): 1,
        ("request.unable", 5): 1,
        ("request.refused", 1): 1,
        ("request.completed", 22): 1,
        ("request.carried_forward", 3): 1,
        ("review.cases", 0): 1,
        ("litigation.cases", 0): 1,
        ("fee.none", True): 1,
        ("proposals.npc", 18): 1,
        ("proposals.cppcc", 25): 1,
        ("plans.listed", ("“十四五”全民健身规划", "城乡供水保障规划", "湿地保护规划")): 1,
    })


def test_busy_report_claims_come_from_prose_not_tables(tmp_path):
    claims = own_claims(BUSY_REPORT, tmp_path)
    assert claims
    for c in claims:
        assert "|" not in c.sentence, c
        assert c.section in {"一.(一)", "一.(二)", "六"}, (c.type, c.section)
        # offsets point at the matched words in the normalised text
        assert c.end > c.start


def test_all_completed_is_not_read_from_proposals(tmp_path):
    types = {c.type for c in own_claims(BUSY_REPORT, tmp_path)}
    assert "request.all_completed" not in types


def test_quiet_report_zero_statements(tmp_path):
    got = as_items(own_claims(QUIET_REPORT, tmp_path))
    assert got == Counter({
        ("request.received", 0): 1,
        ("review.cases", 0): 1,
        ("litigation.cases", 0): 1,
        ("fee.amount", 0): 1,
    })


def test_wrapped_lines_of_a_pdf_page(tmp_path):
    got = as_items(own_claims(PDF_LIKE_REPORT, tmp_path))
    assert got == Counter({
        ("request.received", 9): 1,
        ("request.all_completed", True): 1,
        ("fee.none", True): 1,
    })


@pytest.mark.parametrize("sentence", [
    "全年受理行政许可申请356件,已全部办结。",
    "全年收到网民留言86条,均已答复。",
    "收到行政复议申请4件,依法审结3件。",
    "2023年承办人大代表建议、政协委员提案共29件。",
    "全年办理行政复议案件156件,纠错率5%。",
])
def test_other_kinds_of_requests_are_not_disclosure_claims(tmp_path, sentence):
    report = HEADER.format(agency="青禾区林业局") + "一、总体情况\n\n" + sentence + "\n"
    assert own_claims(report, tmp_path) == []
