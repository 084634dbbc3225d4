"""S001–S006: what the tool could not read. These never say the report is inconsistent."""
from __future__ import annotations

from xxgk.extract.checks import register
from xxgk.extract.checks.context import TABLE_NAMES, TABLE_SECTION, Context
from xxgk.models.section import SECTION_TITLES
from xxgk.models.table import T2_ROWS, T3_ROWS, T4_ROWS

ROW_LABELS = {"t2": T2_ROWS, "t3": T3_ROWS, "t4": T4_ROWS}


def row_label(table: str | None, row: str | None) -> str:
    if not row:
        return "?"
    return ROW_LABELS.get(table or "", {}).get(row, row)


def _issue_evidence(ctx: Context, issue):
    if issue.start is not None and issue.end is not None and issue.end > issue.start:
        return [ctx.span(issue.start, issue.end)]
    return []


def _issue_finding(ctx: Context, code: str, issue, **fields):
    offset = issue.start if issue.start is not None else ctx.table_offset(issue.table)
    data = {"table": issue.table, "row": issue.row, "detail": issue.message}
    if issue.alternatives:
        data["alternatives"] = issue.alternatives
    return ctx.finding(code, evidence=_issue_evidence(ctx, issue), offset=offset, data=data,
                       table_name=TABLE_NAMES.get(issue.table or "", "表格"),
                       row_label=row_label(issue.table, issue.row), **fields)


@register("S001")
def missing_section(ctx: Context):
    if not ctx.sections.is_annual_report and not ctx.sections.sections:
        # nothing of the template at all: one finding, not six
        yield ctx.finding("S001", variant="not_a_report", expected="一至六", found=None, offset=0,
                          section="一至六", heading="")
        return
    for sid in ctx.sections.missing:
        heading = SECTION_TITLES.get(sid, "")
        yield ctx.finding("S001", expected=f"{sid}、{heading}", found=None, offset=0, section=sid, heading=heading)


@register("S002")
def missing_table(ctx: Context):
    reported = set()
    for issue in ctx.issues_of("S002"):
        reported.add(issue.table)
        yield _issue_finding(ctx, "S002", issue, reason=issue.message or "未读出")
    if ctx.old_template:
        return
    # a section that is there with no table the reader could turn into cells
    for table, sid in TABLE_SECTION.items():
        if table in reported or sid in ctx.sections.missing or ctx.has_table(table):
            continue
        if not ctx.sections.sections:
            continue
        yield ctx.finding("S002", expected=table, found=None, offset=ctx.table_offset(table),
                          data={"table": table}, table_name=TABLE_NAMES[table], reason="该部分没有可读的表格")


@register("S003")
def wrong_cell_count(ctx: Context):
    for issue in ctx.issues_of("S003"):
        yield _issue_finding(ctx, "S003", issue, detail=issue.message)


@register("S004")
def not_a_number(ctx: Context):
    for issue in ctx.issues_of("S004"):
        yield _issue_finding(ctx, "S004", issue, raw=issue.raw or "")


@register("S005")
def old_template(ctx: Context):
    if ctx.old_template:
        issue = next(iter(ctx.issues_of("S005")), None)
        offset = issue.start if issue is not None and issue.start is not None else ctx.table_offset("t2")
        yield ctx.finding("S005", expected="2021", found="2019", offset=offset)


@register("S006")
def run_together(ctx: Context):
    for issue in ctx.issues_of("S006"):
        yield _issue_finding(ctx, "S006", issue, raw=issue.raw or "", count=len(issue.alternatives) or "多")
