"""`xxgk tables FILE --format text`: tables 2, 3 and 4 laid out as the template prints them (rich)."""
from __future__ import annotations

from typing import IO

from xxgk.models import Analysis
from xxgk.models.table import (T2_COL_LABELS, T2_COLS, T2_ROWS, T3_COL_LABELS, T3_COLS, T3_ROWS,
                               T4_COL_LABELS,
                               T4_COLS, T4_ROWS)

# Table 2 as the template groups it: 第二十条 item → rows
_T2_ITEMS = (("第二十条第(一)项", ("regulations", "normative_documents")),
             ("第二十条第(五)项", ("licensing",)),
             ("第二十条第(六)项", ("penalty", "coercion")),
             ("第二十条第(八)项", ("fees",)))
_T4_GROUP_TITLES = {"review": "行政复议", "litigation_direct": "行政诉讼·未经复议直接起诉",
                    "litigation_after_review": "行政诉讼·复议后起诉"}


def _show(cell) -> str:
    if cell is None or cell.value is None:
        return ""
    v = cell.value
    text = str(v)
    return text + ("*" if cell.inferred else "")


def render(analysis: Analysis, out: IO[str]) -> None:
    """Write the three tables of one report, then what the reader met (S002–S006)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=160, highlight=False, soft_wrap=False,
                      force_terminal=False if not hasattr(out, "isatty") or not out.isatty() else None)
    cells = analysis.tables.as_dict()
    found = analysis.tables.found
    console.print(f"[bold]{analysis.document.path}[/bold]")

    def get(table, row, col):
        return cells.get(f"{table}/{row}/{col}")

    if any(k.startswith("t2/") for k in cells):
        t = Table(title=f"二、主动公开政府信息情况  ({found.get('t2', '')})", title_justify="left")
        t.add_column("信息内容")
        for col in ("issued", "repealed", "in_force"):
            t.add_column(T2_COL_LABELS[col], justify="right")
        for item, rows in _T2_ITEMS:
            t.add_row(f"[italic]{item}[/italic]", *[""] * 3)
            for r in rows:
                vals = [_show(get("t2", r, c)) for c in T2_COLS[r]]
                t.add_row(T2_ROWS[r], *(vals + [""] * (3 - len(vals))))
        console.print(t)
    else:
        console.print(f"二、主动公开政府信息情况: 未读出表格 ({found.get('t2', 'missing')})")

    if any(k.startswith("t3/") for k in cells):
        cols = list(T3_COLS)
        if any(k.startswith("t3/") and k.endswith("/organisations") for k in cells):
            cols.insert(-1, "organisations")
        t = Table(title=f"三、收到和处理政府信息公开申请情况  ({found.get('t3', '')})", title_justify="left")
        t.add_column("申请人情况")
        for c in cols:
            t.add_column(T3_COL_LABELS[c], justify="right")
        for r, label in T3_ROWS.items():
            if any(get("t3", r, c) is not None for c in cols):
                t.add_row(label, *[_show(get("t3", r, c)) for c in cols])
        console.print(t)
    else:
        console.print(f"三、收到和处理政府信息公开申请情况: 未读出表格 ({found.get('t3', 'missing')})")

    if any(k.startswith("t4/") for k in cells):
        t = Table(title=f"四、政府信息公开行政复议、行政诉讼情况  ({found.get('t4', '')})", title_justify="left")
        t.add_column("")
        for c in T4_COLS:
            t.add_column(T4_COL_LABELS[c], justify="right")
        for g in T4_ROWS:
            t.add_row(_T4_GROUP_TITLES[g], *[_show(get("t4", g, c)) for c in T4_COLS])
        console.print(t)
    else:
        console.print(f"四、政府信息公开行政复议、行政诉讼情况: 未读出表格 ({found.get('t4', 'missing')})")

    for i in analysis.tables.issues:
        console.print(f"{i.code} {i.message}", markup=False)
        for alt in i.alternatives[:6]:
            reading = ", ".join(f"{k.split('/', 1)[1]}={v}" for k, v in alt.items())
            console.print("    " + reading, markup=False)
