"""`xxgk inspect`: what reading, normalising and sectioning found — the first thing to run when a result surprises.

Line numbers refer to the file the user gave (through the normalisation offset map).
"""
from __future__ import annotations

import json

import regex

_TABLE_LINE = regex.compile(r"^[^\n]*\|[^\n]*$|^[ \t]*\d+(?:\.\d+)?[ \t]*\|?[ \t]*$", regex.M)


def _line(a, norm_offset: int) -> int:
    return a.normalized.line_col(norm_offset)[0]


def _orig_line(a, orig_offset: int) -> int:
    return a.normalized.original.count("\n", 0, orig_offset) + 1


def summary(a) -> dict:
    """Everything `inspect` shows, as plain data (the json format)."""
    doc, norm, sm, rep = a.document, a.normalized, a.sections, a.report

    def sec(s) -> dict:
        body = norm.text[s.body_start:s.end]
        return {"id": s.id, "title": s.title, "start": s.start, "body_start": s.body_start, "end": s.end,
                "line": _line(a, s.start), "end_line": _line(a, max(s.start, s.end - 1)),
                "chars": s.end - s.body_start, "table_lines": len(_TABLE_LINE.findall(body)),
                "children": [sec(c) for c in s.children]}

    return {
        "file": doc.path,
        "format": doc.format,
        "encoding": doc.encoding,
        "size": doc.size,
        "sha256": doc.sha256,
        "page_meta": doc.meta,
        "report": {
            "agency": rep.agency, "year": rep.year,
            "published": rep.published.isoformat() if rep.published else None,
            "period_start": rep.period_start.isoformat() if rep.period_start else None,
            "period_end": rep.period_end.isoformat() if rep.period_end else None,
            "title": rep.title, "is_government": rep.is_government,
        },
        "normalisation": {"flags": norm.flags, "chars_in": len(doc.text), "chars_out": len(norm.text)},
        "sections": [sec(s) for s in sm.sections],
        "missing": sm.missing,
        "template": sm.template,
        "is_annual_report": sm.is_annual_report,
        "notes": sm.notes,
        "source_tables": [{"rows": len(t.rows), "cols": max((len(r) for r in t.rows), default=0),
                           "page": t.page, "line": _orig_line(a, t.start)} for t in doc.tables],
        "tables": {t: {"form": a.tables.found.get(t),
                       "cells": sum(1 for c in a.tables.cells if c.table == t),
                       "filled": sum(1 for c in a.tables.cells if c.table == t and c.value is not None)}
                   for t in ("t2", "t3", "t4")},
        "table_issues": [{"code": i.code, "table": i.table, "row": i.row, "message": i.message}
                         for i in a.tables.issues],
        "chrome_removed": [{"kind": r.kind, "line": _orig_line(a, r.start), "text": r.text} for r in norm.removed],
        "sentences": _sentences(a),
    }


def _sentences(a) -> list[dict]:
    """Prose sentences with jieba tokens and rule hits (spaCy is loaded only here)."""
    from xxgk.extract import sentences
    return sentences.describe(a)


def render(a, fmt: str, out) -> None:
    data = summary(a)
    if fmt == "json":
        out.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return
    _render_table(data, out)


def _render_table(d: dict, out) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False, soft_wrap=False, width=max(100, Console(file=out).width))
    console.print(f"[bold]{d['file']}[/bold]  {d['format']} · {d['encoding']} · {d['size']} bytes")
    rep = d["report"]
    t = Table(title="metadata", show_header=False, title_justify="left")
    for k in ("agency", "year", "published", "period_start", "period_end", "title", "is_government"):
        t.add_row(k, "" if rep[k] is None else str(rep[k]))
    for k, v in d["page_meta"].items():
        t.add_row(f"page {k}", v.replace("\n", " ⏎ ")[:100])
    console.print(t)
    console.print(f"normalisation: {', '.join(d['normalisation']['flags']) or 'nothing special'} "
                  f"({d['normalisation']['chars_in']} → {d['normalisation']['chars_out']} characters)")
    t = Table(title=f"sections (template {d['template']}; annual report: {'yes' if d['is_annual_report'] else 'NO'})",
              title_justify="left")
    for col in ("id", "title", "lines", "offsets", "body chars", "table lines"):
        t.add_column(col)
    for s in d["sections"]:
        for row, indent in [(s, "")] + [(c, "  ") for c in s["children"]]:
            t.add_row(indent + row["id"], row["title"], f"{row['line']}–{row['end_line']}",
                      f"{row['start']}–{row['end']}", str(row["chars"]), str(row["table_lines"]))
    console.print(t)
    if d["missing"]:
        console.print(f"[yellow]missing sections: {' '.join(d['missing'])}[/yellow]")
    for n in d["notes"]:
        console.print(f"note: {n}")
    if d["source_tables"]:
        t = Table(title=f"tables in the source ({len(d['source_tables'])})", title_justify="left")
        for col in ("#", "rows", "cols", "page", "line"):
            t.add_column(col)
        for i, st in enumerate(d["source_tables"], 1):
            t.add_row(str(i), str(st["rows"]), str(st["cols"]), str(st["page"] or ""), str(st["line"]))
        console.print(t)
    t = Table(title="tables read (xxgk tables shows the cells)", title_justify="left")
    for col in ("table", "form met", "cells", "with a value"):
        t.add_column(col)
    for name, info in d["tables"].items():
        t.add_row(name, info["form"] or "not found", str(info["cells"]), str(info["filled"]))
    console.print(t)
    for i in d["table_issues"]:
        console.print(f"[yellow]{i['code']}[/yellow] {i['message']}")
    if d["chrome_removed"]:
        t = Table(title=f"page chrome removed ({len(d['chrome_removed'])})", title_justify="left")
        for col in ("line", "kind", "text"):
            t.add_column(col)
        for c in d["chrome_removed"]:
            t.add_row(str(c["line"]), c["kind"], c["text"].replace("\n", "⏎")[:80])
        console.print(t)
    hits = [(s, c) for s in d.get("sentences", []) for c in s["claims"]]
    t = Table(title=f"claims ({len(hits)} in {len(d.get('sentences', []))} prose sentences)", title_justify="left")
    for col in ("line", "type", "value", "rule", "tokens (jieba)"):
        t.add_column(col)
    for s, c in hits:
        t.add_row(str(s["line"]), c["type"], str(c["value"]), c["rule"].split("/", 1)[-1],
                  " ".join(c.get("tokens", []))[:90])
    console.print(t)
