"""What every check needs from an Analysis: cells by key, claims by type, evidence and finding builders."""
from __future__ import annotations

from functools import cached_property, lru_cache
from operator import sub
from typing import Any, Iterable

from xxgk.extract.checks.catalogue import catalogue
from xxgk.models import Analysis, Cell, Claim, Evidence, Finding, Severity
from xxgk.models.section import SECTION_TABLE
from xxgk.models.table import T3_COLS, T3_ROWS, T4_COLS, T4_ROWS, TableIssue, canonical_keys

TABLE_NAMES = {"t2": "表二（主动公开政府信息情况）", "t3": "表三（收到和处理政府信息公开申请情况）",
               "t4": "表四（行政复议、行政诉讼情况）"}
TABLE_SECTION = {t: s for s, t in SECTION_TABLE.items()}
T4_PARTS = tuple(c for c in T4_COLS if c != "total")  # the columns a 表四 total adds up
# 表三's columns (the applicant columns, then 总计), and the 法人或其他组织 subtotal some layouts add
T3_GRID_COLS = T3_COLS + ("organisations",)
_SEVERITY = {s.value: s for s in Severity}  # Severity(value) without the enum machinery
# the template cells the checks read: 表三 row by row in T3_GRID_COLS, 表四 group by group with its total last
_TABLE_KEYS = {"t2": tuple(("t2", r, c) for r, c in canonical_keys("t2")),
               "t3": tuple(("t3", r, c) for r in T3_ROWS for c in T3_GRID_COLS),
               "t4": tuple(("t4", r, c) for r in T4_ROWS for c in T4_PARTS + ("total",))}
# the place of each in a report's grid of values, and each table's places
_GRID_KEYS = sum(_TABLE_KEYS.values(), ())
_PLACES = {key: i for i, key in enumerate(_GRID_KEYS)}
_TABLE_PLACES = {t: slice(_PLACES[keys[0]], _PLACES[keys[0]] + len(keys)) for t, keys in _TABLE_KEYS.items()}
_FIRST_PLACE = {t: places.start for t, places in _TABLE_PLACES.items()}
_T3_ROW_PLACE = {row: _PLACES["t3", row, T3_GRID_COLS[0]] for row in T3_ROWS}
# 表三's columns and 表四's groups as slices of the grid
_T3_PLACES = _TABLE_PLACES["t3"]
_T3_COLUMN_PLACES = tuple((col, slice(_T3_PLACES.start + i, _T3_PLACES.stop, len(T3_GRID_COLS)))
                          for i, col in enumerate(T3_GRID_COLS))
_T4_GROUP_PLACES = tuple((group, slice(_PLACES["t4", group, T4_PARTS[0]], _PLACES["t4", group, "total"] + 1))
                         for group in T4_ROWS)


def _by_table_row_col(places: dict[tuple[str, str, str], int]) -> dict[str, dict[str, dict[str, int]]]:
    """Places looked up by table, then row, then column: a cell finds its place without a key tuple."""
    nested: dict[str, dict[str, dict[str, int]]] = {}
    for (table, row, col), place in places.items():
        nested.setdefault(table, {}).setdefault(row, {})[col] = place
    return nested


_PLACE_OF = _by_table_row_col(_PLACES)


class Context:
    """One report's records, indexed for the checks. Read-only: checks never change cells or claims."""

    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.norm = analysis.normalized
        self.report = analysis.report
        self.sections = analysis.sections
        self.claims: list[Claim] = list(analysis.claims or [])
        # the template cells and their values in the places of _GRID_KEYS (None: the cell is empty or there is
        # none), the first cell of a key winning (so written from the last one back)
        self.grid: list = [None] * len(_PLACES)
        self._grid_cells: list[Cell | None] = [None] * len(_PLACES)
        grid, grid_cells, place_of = self.grid, self._grid_cells, _PLACE_OF
        for c in reversed(analysis.tables.cells):
            try:
                place = place_of[c.table][c.row][c.col]
            except KeyError:  # not a template cell
                continue
            grid[place] = c.value
            grid_cells[place] = c
        # 表三 by column of T3_GRID_COLS down the rows of T3_ROWS, 表四 by group in T4_PARTS then its total:
        # every report's arithmetic checks read them
        self.t3_columns: dict[str, list] = {col: grid[places] for col, places in _T3_COLUMN_PLACES}
        self.t4: dict[str, list] = {group: grid[places] for group, places in _T4_GROUP_PLACES}
        self._issues_of: dict[str, list[TableIssue]] = {}
        for issue in analysis.tables.issues:
            self._issues_of.setdefault(issue.code, []).append(issue)
        self.old_template: bool = self.sections.template == "2019" or "S005" in self._issues_of
        self._of_type: dict[str, list[tuple[int, Claim]]] = {}
        of_type = self._of_type
        for i, c in enumerate(self.claims):
            of_type.setdefault(c.type, []).append((i, c))

    # ---- tables
    @cached_property
    def cells(self) -> dict[tuple[str, str, str], Cell]:
        """Every cell by (table, row, col), the first of a key winning: wanted only beyond the template."""
        return {(c.table, c.row, c.col): c for c in reversed(self.analysis.tables.cells)}

    def cell(self, table: str, row: str, col: str) -> Cell | None:
        place = _PLACES.get((table, row, col))
        return self._grid_cells[place] if place is not None else self.cells.get((table, row, col))

    def row(self, table: str, row: str, cols: tuple[str, ...]) -> list[Cell | None]:
        """The cells of one row in the order of `cols` (None where there is none)."""
        return [self.cell(*key) for key in _row_keys(table, row, cols)]

    def column(self, table: str, rows: tuple[str, ...], col: str) -> list[Cell | None]:
        """The cells of one column in the order of `rows` (None where there is none)."""
        return [self.cell(*key) for key in _column_keys(table, rows, col)]

    def row_values(self, table: str, row: str, cols: tuple[str, ...]) -> list:
        """The values of `row` (None where the cell is empty or there is none)."""
        return [self.value(*key) for key in _row_keys(table, row, cols)]

    def column_values(self, table: str, rows: tuple[str, ...], col: str) -> list:
        """The values of `col` (None where the cell is empty or there is none)."""
        return [self.value(*key) for key in _column_keys(table, rows, col)]

    def value(self, table: str, row: str, col: str):
        place = _PLACES.get((table, row, col))
        if place is not None:
            return self.grid[place]
        cell = self.cell(table, row, col)  # not a template cell
        return cell.value if cell is not None else None

    def t3_row(self, row: str) -> list:
        """表三's values in one row, in the columns of T3_GRID_COLS."""
        first = _T3_ROW_PLACE[row]
        return self.grid[first:first + len(T3_GRID_COLS)]

    @cached_property
    def tables(self) -> set[str]:
        return {c.table for c in self.analysis.tables.cells}

    def has_table(self, table: str) -> bool:
        # the table's first template cell holds a value: then the set of all tables is not needed
        first = _FIRST_PLACE.get(table)
        return (first is not None and self.grid[first] is not None) or table in self.tables

    def issues_of(self, code: str) -> list[TableIssue]:
        """What the table reader met under one S code, in its order."""
        return self._issues_of.get(code, [])

    # ---- claims
    def claims_of(self, ctype: str, *, top_level: bool = True, exact: bool = True) -> list[tuple[int, Claim]]:
        """Claims of one type, in text order. By default only stated totals with an exact value.

        A claim inside a 其中 breakdown of a claim of another type (规范性文件12件 under 主动公开信息300条) is
        still a statement of its own fact; only a part of a same-type total (网上申请20件 under 收到申请35件)
        is left out.
        """
        out = []
        for i, c in self._of_type.get(ctype, ()):
            if top_level and c.parent is not None and self.part_of_same(c):
                continue
            if exact and c.approximate:
                continue
            out.append((i, c))
        return out

    def count_of(self, ctype: str) -> int:
        """How many claims of one type there are, of any kind: `claims_of` never gives more."""
        return len(self._of_type.get(ctype, ()))

    def part_of_same(self, c: Claim) -> bool:
        p = c.parent
        return p is not None and 0 <= p < len(self.claims) and self.claims[p].type == c.type

    # ---- evidence
    def prose(self, claim: Claim) -> Evidence:
        line, col = claim.line, claim.col
        if line is None and self.norm is not None and self.norm.offsets:
            line, col = self.norm.line_col(claim.start)
        return Evidence(kind="prose", start=claim.start, end=claim.end,
                        text=claim.text or self._slice(claim.start, claim.end), line=line, col=col)

    def span(self, start: int, end: int) -> Evidence:
        line = col = None
        if self.norm is not None and self.norm.offsets:
            line, col = self.norm.line_col(start)
        return Evidence(kind="prose", start=start, end=end, text=self._slice(start, end), line=line, col=col)

    def _slice(self, start: int, end: int) -> str:
        return self.norm.text[start:end] if self.norm is not None else ""

    @staticmethod
    def cell_ev(cell: Cell) -> Evidence:
        return Evidence(kind="cell", table=cell.table, row=cell.row, column=cell.col, value=cell.value)

    def cells_ev(self, cells: Iterable[Cell | None]) -> list[Evidence]:
        return [self.cell_ev(c) for c in cells if c is not None]

    def table_offset(self, table: str | None, cells: Iterable[Cell | None] = ()) -> int | None:
        """Where a table finding points: its first located cell, else the table's section heading."""
        starts = [c.start for c in cells if c is not None and c.start is not None]
        if starts:
            return min(starts)
        if table:
            starts = [c.start for c in self.cells.values() if c.table == table and c.start is not None]
            if starts:
                return min(starts)
            sec = self.sections.get(TABLE_SECTION.get(table, "")) if self.sections else None
            if sec is not None:
                return sec.start
        return None

    # ---- findings
    def finding(self, code: str, *, expected: Any = None, found: Any = None, evidence: list[Evidence] = (),
                variant: str | None = None, offset: int | None = None, data: dict | None = None,
                **fields) -> Finding:
        doc = catalogue()[code]
        fields["expected"], fields["found"] = expected, found
        message = doc.render(variant, fields)
        evidence = list(evidence)
        line = col = None
        for e in evidence:  # the first prose evidence points the finding, when it has a place
            if e.kind == "prose":
                if e.line is not None:
                    line, col = e.line, e.col
                break
        if line is None and offset is not None and self.norm is not None and self.norm.offsets:
            line, col = self.norm.line_col(offset)
        severity = _SEVERITY.get(doc.severity) or Severity(doc.severity)
        return Finding(code=code, severity=severity, message=message, expected=expected,
                       found=found, evidence=evidence, line=line, col=col, data=dict(data or {}))


# the checks read the same rows and columns of the template in every report: their keys are built once
@lru_cache(maxsize=None)
def _row_keys(table: str, row: str, cols: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    return tuple((table, row, c) for c in cols)


@lru_cache(maxsize=None)
def _column_keys(table: str, rows: tuple[str, ...], col: str) -> tuple[tuple[str, str, str], ...]:
    return tuple((table, r, col) for r in rows)


def all_add_up(parts: Iterable, totals) -> bool:
    """Is every total known, every one of its parts known, and the total the exact sum of its parts?
    Then `sum_mismatch` finds nothing in any of them: the common table is settled in one pass."""
    try:
        return not any(map(sub, map(sum, parts), totals))
    except TypeError:  # a part or a total is unknown (None)
        return False


def sum_mismatch(values: list | tuple, total) -> tuple[str, Any] | None:
    """Compare a stated total with the sum of its parts' values without ever repairing either.

    All parts known: ("equal", sum) when sum ≠ total. Some parts empty (null) or absent (None either way): an
    empty cell is at least 0, so only ("at_least", known sum) when the known parts already exceed the total.
    None otherwise, and when the total itself is unknown.
    """
    if total is None:
        return None
    if None not in values:
        s = sum(values)
        return None if _eq(s, total) else ("equal", _num(s))
    known = [v for v in values if v is not None]
    if known and sum(known) > total and not _eq(sum(known), total):
        return ("at_least", _num(sum(known)))
    return None


def _eq(a, b) -> bool:
    return abs(a - b) < 1e-6


def _num(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v
