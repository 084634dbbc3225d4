"""PDF text layer → text with page tables as `a | b | c |` rows (pdfplumber).

Per page, the text outside the detected tables and the rows of each table are merged in vertical order.
Spans are expanded as `xxgk.extract.read` describes (rowspan repeats, colspan pads with empty cells), from
the cell boxes pdfplumber finds. Many reports draw a frame around the whole page, which pdfplumber reports
as a table whose rows hold one cell each: such rows (before the first and after the last row with two or
more cells) are prose and are rendered as plain lines.
"""
from __future__ import annotations

import io
import re

from xxgk.models import SourceTable

_CJK = r"\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_CELL_BREAK = re.compile(rf"(?<=[{_CJK}])\s*\n\s*|\s*\n\s*(?=[{_CJK}])")


def _cell(text: str | None) -> str:
    if not text:
        return ""
    return re.sub(r"\s*\n\s*", " ", _CELL_BREAK.sub("", text)).strip()


def _clusters(values, tol: float = 2.0) -> list[float]:
    """Distinct positions, merging those closer than `tol` points (cell edges drift a little)."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _pdf_string(v) -> str:
    if isinstance(v, bytes):
        v = v.decode("latin-1")
    if not isinstance(v, str):
        return ""
    if v.startswith(("\xfe\xff", "\xff\xfe", "þÿ", "ÿþ")):
        try:
            v = v.encode("latin-1").decode("utf-16")
        except (UnicodeError, ValueError):
            return ""
    return v.strip() if v.isprintable() else ""


def _expand(table, page=None) -> list[tuple[float, list[str], str]]:
    """(top, cells, raw text of the first cell) per row, spans expanded."""
    raw = table.extract()
    rows = table.rows
    ncols = max((len(r.cells) for r in rows), default=0)
    row_tops = [r.bbox[1] for r in rows]
    col_lefts = _clusters(c[0] for r in rows for c in r.cells if c)
    grid: list[list[str | None]] = [[None] * ncols for _ in rows]
    firsts: list[str] = ["" for _ in rows]
    for i, row in enumerate(rows):
        for j, box in enumerate(row.cells):
            if box is None:
                continue
            text = raw[i][j] if i < len(raw) and j < len(raw[i]) else None
            x0, top, x1, bottom = box
            rs = [k for k, t in enumerate(row_tops) if top - 1 <= t < bottom - 1] or [i]
            cs = [k for k, left in enumerate(col_lefts) if x0 - 1 <= left < x1 - 1]
            cs = [c for c in cs if c < ncols] or [j]
            for k in rs:
                for m in cs:
                    if grid[k][m] is None:
                        grid[k][m] = _cell(text) if m == cs[0] else ""
            if text and not firsts[i]:
                firsts[i] = text
    # a slot no cell box covers (a missing ruling line) may still hold text: read it from the page
    x_edges = col_lefts[:ncols] + [table.bbox[2]]
    y_edges = row_tops + [table.bbox[3]]
    for i in range(len(rows)):
        for j in range(ncols):
            if grid[i][j] is None and page is not None and j + 1 < len(x_edges):
                box = (x_edges[j], y_edges[i], x_edges[j + 1], y_edges[i + 1])
                try:
                    found = page.within_bbox(box).extract_text() or ""
                except ValueError:
                    found = ""
                grid[i][j] = _cell(found)
                if found and not firsts[i]:
                    firsts[i] = found
    return [(row_tops[i], [c or "" for c in grid[i]], firsts[i]) for i in range(len(rows))]


def pdf_to_text(data: bytes) -> tuple[str, list[SourceTable], dict[str, str]]:
    import logging
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    import pdfplumber
    from xxgk.extract.read import InputError, render_row

    lines: list[str] = []
    tables: list[tuple[int, int, list[list[str]], int]] = []
    meta: dict[str, str] = {}
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfminer raises many kinds; the user needs one line
        raise InputError(f"cannot read PDF: {type(e).__name__}") from None
    try:
        info = pdf.metadata or {}
        title = _pdf_string(info.get("Title"))
        if title:
            meta["pdf_title"] = title
        for pno, page in enumerate(pdf.pages, 1):
            items: list[tuple[float, int, object]] = []  # (top, order, str line | list row-block)
            found = page.find_tables()
            outside = page
            for t in found:
                try:
                    outside = outside.outside_bbox(t.bbox)
                except ValueError:
                    pass
            for ln in outside.extract_text_lines(layout=False, strip=True, return_chars=False):
                if ln["text"].strip():
                    items.append((ln["top"], 0, ln["text"]))
            for t in found:
                rows = _expand(t, page)
                multi = [i for i, (_, cells, _) in enumerate(rows) if len({c for c in cells if c}) >= 2]
                lo, hi = (multi[0], multi[-1]) if multi else (len(rows), -1)
                block: list[list[str]] = []
                for i, (top, cells, first) in enumerate(rows):
                    if lo <= i <= hi:
                        if not block:
                            items.append((top, 1, block))
                        block.append(cells)
                    else:
                        for k, part in enumerate((first or "").split("\n")):
                            if part.strip():
                                items.append((top + k * 0.01, 0, part.strip()))
            items.sort(key=lambda x: (x[0], x[1]))
            for _, _, item in items:
                if isinstance(item, list):
                    first = len(lines)
                    lines.extend(render_row(r) for r in item)
                    tables.append((first, len(lines), item, pno))
                else:
                    lines.append(item)
    except InputError:
        raise
    except Exception as e:
        raise InputError(f"cannot read PDF: {type(e).__name__}: {e}".splitlines()[0]) from None
    finally:
        pdf.close()
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    starts.append(pos)
    text = "\n".join(lines) + ("\n" if lines else "")
    out = [SourceTable(rows=rows, start=starts[a], end=starts[b] - 1, page=pno) for a, b, rows, pno in tables]
    return text, out, meta
