"""Table cells and the canonical schema of tables 2, 3 and 4 (SPEC §2)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# --- Table 2: 主动公开政府信息情况 -------------------------------------------------------------
T2_ROWS: dict[str, str] = {
    "regulations": "规章",
    "normative_documents": "行政规范性文件",
    "licensing": "行政许可",
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
}
T2_COLS: dict[str, tuple[str, ...]] = {
    "regulations": ("issued", "repealed", "in_force"),
    "normative_documents": ("issued", "repealed", "in_force"),
    "licensing": ("decisions",),
    "penalty": ("decisions",),
    "coercion": ("decisions",),
    "fees": ("amount",),
}
T2_COL_LABELS: dict[str, str] = {
    "issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
    "decisions": "本年处理决定数量", "amount": "本年收费金额",
}

# --- Table 3: 收到和处理政府信息公开申请情况 -------------------------------------------------------
T3_COLS: tuple[str, ...] = ("natural_person", "commercial", "research", "social", "legal", "other", "total")
T3_APPLICANT_COLS: tuple[str, ...] = T3_COLS[:-1]
T3_ORG_COLS: tuple[str, ...] = ("commercial", "research", "social", "legal", "other")
T3_COL_LABELS: dict[str, str] = {
    "natural_person": "自然人", "commercial": "商业企业", "research": "科研机构", "social": "社会公益组织",
    "legal": "法律服务机构", "other": "其他", "total": "总计", "organisations": "法人或其他组织",
}
T3_ROWS: dict[str, str] = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "三(一) 予以公开",
    "partial": "三(二) 部分公开",
    "denied.state_secret": "三(三)1 属于国家秘密",
    "denied.law_forbidden": "三(三)2 其他法律行政法规禁止公开",
    "denied.three_safety": "三(三)3 危及“三安全一稳定”",
    "denied.third_party": "三(三)4 保护第三方合法权益",
    "denied.internal_affairs": "三(三)5 属于三类内部事务信息",
    "denied.process_info": "三(三)6 属于四类过程性信息",
    "denied.enforcement_file": "三(三)7 属于行政执法案卷",
    "denied.inquiry": "三(三)8 属于行政查询事项",
    "unable.not_held": "三(四)1 本机关不掌握相关政府信息",
    "unable.needs_creation": "三(四)2 没有现成信息需要另行制作",
    "unable.unclear": "三(四)3 补正后申请内容仍不明确",
    "refused.petition": "三(五)1 信访举报投诉类申请",
    "refused.duplicate": "三(五)2 重复申请",
    "refused.publication": "三(五)3 要求提供公开出版物",
    "refused.excessive": "三(五)4 无正当理由大量反复申请",
    "refused.confirm": "三(五)5 要求行政机关确认或重新出具已获取信息",
    "other.overdue_correction": "三(六)1 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other.overdue_fee": "三(六)2 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other.other": "三(六)3 其他",
    "results_total": "三(七) 总计",
    "carried_forward": "四、结转下年度继续办理",
}
# The result rows whose sum is 三(七)总计 (T302).
T3_RESULT_ROWS: tuple[str, ...] = tuple(r for r in T3_ROWS if r.split(".")[0] in
                                       {"granted", "partial", "denied", "unable", "refused", "other"})
# Result groups as prose names them (request.denied = sum of denied.*).
T3_GROUPS: dict[str, tuple[str, ...]] = {
    g: tuple(r for r in T3_RESULT_ROWS if r.split(".")[0] == g)
    for g in ("granted", "partial", "denied", "unable", "refused", "other")
}

# --- Table 4: 政府信息公开行政复议、行政诉讼情况 ----------------------------------------------------
T4_ROWS: dict[str, str] = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼 未经复议直接起诉",
    "litigation_after_review": "行政诉讼 复议后起诉",
}
T4_COLS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
T4_COL_LABELS: dict[str, str] = {
    "upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计",
}


def canonical_keys(table: str) -> list[tuple[str, str]]:
    """Every (row, col) of a table in template order."""
    if table == "t2":
        return [(r, c) for r, cols in T2_COLS.items() for c in cols]
    if table == "t3":
        return [(r, c) for r in T3_ROWS for c in T3_COLS]
    if table == "t4":
        return [(r, c) for r in T4_ROWS for c in T4_COLS]
    raise ValueError(f"unknown table {table!r}")


@dataclass(slots=True)
class Cell:
    """One canonical cell. `value` is None when the source shows the cell empty (null is not 0)."""
    table: str                      # t2 | t3 | t4
    row: str
    col: str
    value: int | float | None
    raw: str | None = None          # the cell text as the source shows it
    start: int | None = None        # offsets of the cell (or its row) in the normalised text
    end: int | None = None
    inferred: bool = False          # filled from the template arithmetic, not read

    @property
    def key(self) -> str:
        return f"{self.table}/{self.row}/{self.col}"

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "row": self.row, "col": self.col, "value": self.value}


@dataclass(slots=True)
class TableIssue:
    """Something the table reader met that a structure check (S002–S006) reports.

    code: S002 table missing/unreadable, S003 wrong cell count, S004 non-numeric cell, S005 2019 template,
    S006 run-together cells with several readings (`alternatives` holds them as {cell key: value} dicts).
    """
    code: str
    table: str | None
    message: str
    row: str | None = None
    start: int | None = None
    end: int | None = None
    raw: str | None = None
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    # run-together digits that NO reading splits so that the row adds up: the report's own arithmetic is broken
    # there whatever the cells are (checks report T301/T401 besides the reading issue)
    arithmetic_fails: bool = False


@dataclass(slots=True)
class TableResult:
    cells: list[Cell] = field(default_factory=list)
    issues: list[TableIssue] = field(default_factory=list)
    found: dict[str, str] = field(default_factory=dict)   # table -> the flattened form met (pipes, lines, run-together, html …)

    def value(self, table: str, row: str, col: str):
        for c in self.cells:
            if c.table == table and c.row == row and c.col == col:
                return c.value
        return None

    def as_dict(self) -> dict[str, Cell]:
        return {c.key: c for c in self.cells}
