"""Reading the store: SQL through DuckDB, the `corpus stats` summary, and table/csv/json rendering."""
from __future__ import annotations

import csv
import json
from typing import IO, Any

from xxgk.corpus.store import connect

Block = tuple[str, list[str], list[tuple]]   # (title, columns, rows)


class QueryError(Exception):
    """SQL that DuckDB rejects; the message is DuckDB's first line."""


def run_query(root, sql: str) -> tuple[list[str], list[tuple]]:
    import duckdb
    con = connect(root)
    try:
        cur = con.execute(sql)
        if cur.description is None:
            return [], []
        return [d[0] for d in cur.description], cur.fetchall()
    except duckdb.Error as e:
        raise QueryError(str(e).splitlines()[0]) from None
    finally:
        con.close()


def stats(root, top: int = 20) -> list[Block]:
    con = connect(root)
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    try:
        blocks: list[Block] = []
        blocks.append(("reports per year", ["year", "reports", "agencies", "claims", "cells", "findings"], q(
            "SELECT year, count(*), count(DISTINCT agency_key), sum(n_claims), sum(n_cells), sum(n_findings) "
            "FROM reports GROUP BY year ORDER BY year NULLS LAST")))
        blocks.append(("claims per type", ["type", "claims", "reports"], q(
            "SELECT type, count(*), count(DISTINCT sha256) FROM claims GROUP BY type ORDER BY 2 DESC, 1")))
        blocks.append(("most frequent findings", ["code", "severity", "findings", "reports"], q(
            "SELECT code, severity, count(*), count(DISTINCT sha256) FROM ("
            " SELECT code, severity, sha256 FROM findings UNION ALL"
            " SELECT code, severity, sha256 FROM findings_across) "
            f"GROUP BY code, severity ORDER BY 3 DESC, 1 LIMIT {int(top)}")))
        blocks.append(("errors per stage", ["stage", "errors", "example reason"], q(
            "SELECT stage, count(*), min(reason) FROM errors GROUP BY stage ORDER BY 2 DESC")))
        # an agency lacks a year when, between its first report and the corpus's latest year, the corpus
        # has reports of that year but none of this agency (a gap, or reports that stopped)
        blocks.append(("agencies missing a year", ["agency", "years present", "years missing"], [
            (a, ",".join(map(str, have)), ",".join(map(str, miss))) for a, have, miss in q(
                "WITH years AS (SELECT list(DISTINCT year) AS ys, max(year) AS hi FROM reports), "
                "ag AS (SELECT coalesce(max(agency), agency_key) AS agency, agency_key, "
                "       list_sort(list_distinct(list(year))) AS have "
                "       FROM reports WHERE year IS NOT NULL AND agency_key IS NOT NULL GROUP BY agency_key) "
                "SELECT agency, have, list_filter(range(have[1], years.hi + 1), "
                "       lambda y: list_contains(years.ys, y) AND NOT list_contains(have, y)) AS miss "
                "FROM ag, years WHERE len(miss) > 0 "
                f"ORDER BY len(miss) DESC, agency LIMIT {int(top)}")]))
        return blocks
    finally:
        con.close()


def _cell(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        return ",".join(map(str, v))
    return v


def render_blocks(blocks: list[Block], fmt: str, out: IO[str], single: bool = False) -> None:
    if fmt == "json":
        data = [{"title": t, "rows": [dict(zip(cols, r)) for r in rows]} for t, cols, rows in blocks]
        obj = data[0]["rows"] if single else data
        out.write(json.dumps(obj, ensure_ascii=False, indent=1, default=str) + "\n")
    elif fmt == "csv":
        w = csv.writer(out)
        for i, (title, cols, rows) in enumerate(blocks):
            if not single:
                if i:
                    out.write("\n")
                w.writerow([f"# {title}"])
            w.writerow(cols)
            w.writerows([[_cell(v) for v in r] for r in rows])
    else:
        from rich.console import Console
        from rich.table import Table
        console = Console(file=out, soft_wrap=False, width=max(100, Console(file=out).width))
        for title, cols, rows in blocks:
            t = Table(title=title or None, title_justify="left")
            for c in cols:
                t.add_column(str(c))
            for r in rows:
                t.add_row(*["" if v is None else str(_cell(v)) for v in r])
            console.print(t)
