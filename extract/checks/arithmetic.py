"""T301–T303, T401: the tables' own arithmetic. A total is never repaired; empty cells are at least 0."""
from __future__ import annotations

from operator import add, ne

from xxgk.extract.checks import register
from xxgk.extract.checks.context import T3_GRID_COLS, T4_PARTS, Context, all_add_up, sum_mismatch
from xxgk.models.table import T3_APPLICANT_COLS, T3_COL_LABELS, T3_ORG_COLS, T3_RESULT_ROWS, T3_ROWS

# 新收 + 上年结转 = 办理结果总计 + 结转下年度
BALANCE_ROWS = ("new_received", "carried_over", "results_total", "carried_forward")
T4_GROUP_LABELS = {"review": "行政复议", "litigation_direct": "行政诉讼·未经复议直接起诉",
                   "litigation_after_review": "行政诉讼·复议后起诉"}


# 表三's result rows (the parts of 三(七)总计) stand together in T3_ROWS
RESULTS = slice(tuple(T3_ROWS).index(T3_RESULT_ROWS[0]), tuple(T3_ROWS).index(T3_RESULT_ROWS[-1]) + 1)
assert tuple(T3_ROWS)[RESULTS] == T3_RESULT_ROWS
# where the organisation columns stand among the applicant columns
ORG_AMONG_APPLICANTS = tuple(T3_APPLICANT_COLS.index(c) for c in T3_ORG_COLS)


@register("T301")
def t3_row_total(ctx: Context):
    yield from _unsplittable_findings(ctx, "T301", "t3", T3_ROWS)
    if _rows_add_up(ctx):
        return
    for row, label in T3_ROWS.items():
        *parts, total, org = ctx.t3_row(row)  # the applicant columns, 总计, 法人或其他组织
        if total is None:
            continue
        bad = sum_mismatch(parts, total)
        if bad:
            kind, expected = bad
            cell = ctx.cell("t3", row, "total")
            yield ctx.finding("T301", variant=kind, expected=expected, found=total,
                              evidence=ctx.cells_ev([cell, *ctx.row("t3", row, T3_APPLICANT_COLS)]),
                              offset=ctx.table_offset("t3", [cell]), row_label=label)
            continue
        # layouts with a 法人或其他组织 subtotal: it must be the sum of the five organisation columns
        if org is not None:
            bad = sum_mismatch([parts[i] for i in ORG_AMONG_APPLICANTS], org)
            if bad:
                kind, expected = bad
                cell = ctx.cell("t3", row, "organisations")
                yield ctx.finding("T301", variant=kind, expected=expected, found=org,
                                  evidence=ctx.cells_ev([cell, *ctx.row("t3", row, T3_ORG_COLS)]),
                                  offset=ctx.table_offset("t3", [cell]), row_label=f"{label}”的“法人或其他组织")


def _rows_add_up(ctx: Context) -> bool:
    """Every row of 表三 read in full and adding up to its 总计, with no 法人或其他组织 subtotal: the common table,
    where T301 has no row to look at."""
    columns = ctx.t3_columns
    return columns["organisations"].count(None) == len(T3_ROWS) \
        and all_add_up(zip(*[columns[c] for c in T3_APPLICANT_COLS]), columns["total"])


def _unsplittable_findings(ctx: Context, code: str, table: str, row_labels: dict[str, str] | None = None):
    """Run-together digits with no reading that adds up: broken arithmetic whatever the cells are."""
    for issue in ctx.analysis.tables.issues:
        if issue.table != table or not getattr(issue, "arithmetic_fails", False):
            continue
        labels = {} if row_labels is None else {"row_label": row_labels.get(issue.row or "", issue.row or "?")}
        yield ctx.finding(code, variant="unsplittable", expected=None, found=issue.raw,
                          evidence=[ctx.span(issue.start, issue.end)] if issue.start is not None else [],
                          offset=issue.start, raw=issue.raw, **labels)


@register("T302")
def t3_results_total(ctx: Context):
    # a layout without the 法人或其他组织 subtotal has no cell in that column: it is skipped there
    columns, totals = [ctx.t3_columns[c][RESULTS] for c in T3_GRID_COLS], ctx.t3_row("results_total")
    if totals[-1] is None and all_add_up(columns[:-1], totals[:-1]):
        return  # every column adds up, and there is no 法人或其他组织 total
    for col, total, parts in zip(T3_GRID_COLS, totals, columns):
        if total is None:
            continue
        bad = sum_mismatch(parts, total)
        if bad:
            kind, expected = bad
            cell = ctx.cell("t3", "results_total", col)
            parts = [p for p in ctx.column("t3", T3_RESULT_ROWS, col) if p is not None and p.value]
            yield ctx.finding("T302", variant=kind, expected=expected, found=total,
                              evidence=ctx.cells_ev([cell, *parts]), offset=ctx.table_offset("t3", [cell]),
                              col_label=T3_COL_LABELS.get(col, col))


@register("T303")
def t3_balance(ctx: Context):
    """新收 + 上年结转 = 办理结果总计 + 结转下年度, column by column (the template's 勾稽关系)."""
    new, over, done, forward = rows = [ctx.t3_row(r) for r in BALANCE_ROWS]
    if _balanced(new, over, done, forward):
        return
    for col, vals in zip(T3_GRID_COLS, zip(*rows)):
        lhs, rhs = [v for v in vals[:2] if v is not None], [v for v in vals[2:] if v is not None]
        if not lhs or not rhs:
            continue
        lhs_known, rhs_known = sum(lhs), sum(rhs)
        lhs_full, rhs_full = len(lhs) == 2, len(rhs) == 2
        if lhs_full and rhs_full:
            bad = lhs_known != rhs_known
        elif rhs_full:       # the left side is at least its known part
            bad = lhs_known > rhs_known
        elif lhs_full:
            bad = rhs_known > lhs_known
        else:
            bad = False
        if bad:
            cells = ctx.column("t3", BALANCE_ROWS, col)
            yield ctx.finding("T303", expected=lhs_known, found=rhs_known, evidence=ctx.cells_ev(cells),
                              offset=ctx.table_offset("t3", cells[:1]), col_label=T3_COL_LABELS.get(col, col),
                              new_received=vals[0], carried_over=vals[1], results_total=vals[2],
                              carried_forward=vals[3])


def _balanced(new: list, over: list, done: list, forward: list) -> bool:
    """Every applicant and 总计 column read in full and balanced, the 法人或其他组织 column empty: nothing for T303."""
    org = len(T3_GRID_COLS) - 1
    if not (new[org] is None and over[org] is None and done[org] is None and forward[org] is None):
        return False
    try:
        return not any(map(ne, map(add, new[:org], over[:org]), map(add, done[:org], forward[:org])))
    except TypeError:  # a value is unknown (None)
        return False


@register("T401")
def t4_group_total(ctx: Context):
    yield from _unsplittable_findings(ctx, "T401", "t4")
    groups = ctx.t4
    if all_add_up([v[:-1] for v in groups.values()], [v[-1] for v in groups.values()]):
        return
    for group, (*parts, total) in groups.items():
        if total is None:
            continue
        bad = sum_mismatch(parts, total)
        if bad:
            kind, expected = bad
            cell = ctx.cell("t4", group, "total")
            yield ctx.finding("T401", variant=kind, expected=expected, found=total,
                              evidence=ctx.cells_ev([cell, *ctx.row("t4", group, T4_PARTS)]),
                              offset=ctx.table_offset("t4", [cell]), group_label=T4_GROUP_LABELS[group])
