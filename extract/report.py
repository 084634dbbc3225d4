"""Output formatters: one function per format. Data goes to the given stream; nothing else does."""
from __future__ import annotations

import csv
import json
from typing import IO

from xxgk.models import Analysis

SCHEMA_VERSION = 1


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)


# --- per-command JSON objects (SPEC §5) -------------------------------------------------------

def claims_object(a: Analysis) -> dict:
    return {"file": a.document.path, "version": SCHEMA_VERSION, "report": a.report.to_dict(),
            "claims": [c.to_dict() for c in a.claims]}


def tables_object(a: Analysis) -> dict:
    return {"file": a.document.path, "version": SCHEMA_VERSION, "report": a.report.to_dict(),
            "cells": [c.to_dict() for c in a.tables.cells],
            "warnings": [{"code": i.code, "table": i.table, "row": i.row, "message": i.message}
                         for i in a.tables.issues]}


def check_object(a: Analysis) -> dict:
    return {"file": a.document.path, "version": SCHEMA_VERSION, "report": a.report.to_dict(),
            "findings": [f.to_dict() for f in a.findings]}


def error_object(path: str, message: str) -> dict:
    return {"file": path, "version": SCHEMA_VERSION, "error": message}


OBJECT = {"claims": claims_object, "tables": tables_object, "check": check_object}


class Writer:
    """Streams results of one command in one format. `add` per input, `close` at the end."""

    def __init__(self, command: str, fmt: str, out: IO[str]):
        self.command, self.fmt, self.out = command, fmt, out
        self._json: list[dict] = []
        self._csv = None
        self._sarif: list[Analysis] = []
        self._notes: list[tuple[str, str]] = []

    def add(self, a: Analysis) -> None:
        getattr(self, f"_add_{self.fmt}")(a)

    def add_error(self, path: str, message: str) -> None:
        if self.fmt == "jsonl":
            self.out.write(_dump(error_object(path, message)) + "\n")
        elif self.fmt == "json":
            self._json.append(error_object(path, message))
        elif self.fmt == "sarif":
            self._notes.append((path, message))

    def close(self) -> None:
        if self.fmt == "json":
            obj = self._json[0] if len(self._json) == 1 else self._json
            self.out.write(json.dumps(obj, ensure_ascii=False, indent=1, default=str) + "\n")
        elif self.fmt == "sarif":
            self.out.write(json.dumps(sarif_log(self._sarif, self._notes), ensure_ascii=False, indent=1,
                                      default=str) + "\n")

    # full: the text line, then the sentence with a caret under the span, expected/found and the cells
    def _add_full(self, a: Analysis) -> None:
        if self.command != "check":
            return self._add_text(a)
        for f in a.findings:
            self.out.write(full_finding(a, f) + "\n")

    # sarif: one log for all inputs, written at close
    def _add_sarif(self, a: Analysis) -> None:
        self._sarif.append(a)

    # json / jsonl
    def _add_json(self, a: Analysis) -> None:
        self._json.append(OBJECT[self.command](a))

    def _add_jsonl(self, a: Analysis) -> None:
        self.out.write(_dump(OBJECT[self.command](a)) + "\n")
        self.out.flush()

    # csv: one row per claim / cell / finding, with the file first
    def _add_csv(self, a: Analysis) -> None:
        rows = _csv_rows(self.command, a)
        if self._csv is None:
            self._csv = csv.writer(self.out)
            self._csv.writerow(CSV_HEADER[self.command])
        self._csv.writerows(rows)

    # text: grep-friendly, one line per record, path:line:col first
    def _add_text(self, a: Analysis) -> None:
        path = a.document.path
        if self.command == "claims":
            for c in a.claims:
                approx = "≈" if c.approximate else ""
                unit = c.unit or ""
                self.out.write(f"{path}:{c.line or 0}:{c.col or 0}: {c.type} {approx}{_value(c.value)}{unit}"
                               f"  «{c.text}»\n")
        elif self.command == "tables":
            from xxgk.extract import table_view
            table_view.render(a, self.out)
        else:
            for f in a.findings:
                self.out.write(f"{path}:{f.line or 1}:{f.col or 1}: {f.code} {f.message}\n")


def _value(v) -> str:
    if isinstance(v, list):
        return "、".join(map(str, v))
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


CSV_HEADER = {
    "claims": ["file", "type", "value", "unit", "approximate", "parent", "subject", "section",
               "start", "end", "line", "col", "rule", "text"],
    "tables": ["file", "table", "row", "col", "value"],
    "check": ["file", "code", "severity", "line", "col", "message", "expected", "found"],
}


def _csv_rows(command: str, a: Analysis):
    path = a.document.path
    if command == "claims":
        return [[path, c.type, _value(c.value), c.unit, c.approximate, c.parent, c.subject, c.section,
                 c.start, c.end, c.line, c.col, c.rule, c.text] for c in a.claims]
    if command == "tables":
        return [[path, c.table, c.row, c.col, c.value] for c in a.tables.cells]
    return [[path, f.code, f.severity.value, f.line, f.col, f.message, _dump(f.expected), _dump(f.found)]
            for f in a.findings]


# --- full ----------------------------------------------------------------------------------------

SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
CONTEXT_CHARS = 40  # a one-line page can be thousands of characters long: show a window around the span


def _width(text: str) -> int:
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _orig_span(a: Analysis, start: int, end: int) -> tuple[int, int]:
    n = a.normalized
    if n is None or not n.offsets:
        return start, end
    s = n.original_offset(start)
    e = n.original_offset(end) if end > start else s
    return s, max(e, s)


def _caret_block(a: Analysis, start: int, end: int) -> list[str]:
    """The original line holding [start, end) (normalised offsets) and a caret line under the span."""
    original = a.normalized.original if a.normalized is not None else a.document.text
    s, e = _orig_span(a, start, end)
    ls = original.rfind("\n", 0, s) + 1
    le = original.find("\n", s)
    le = len(original) if le < 0 else le
    e = min(e, le)
    lo, hi = max(ls, s - CONTEXT_CHARS), min(le, e + CONTEXT_CHARS)
    before, span, after = original[lo:s], original[s:e], original[e:hi]
    lead = "…" if lo > ls else ""
    tail = "…" if hi < le else ""
    line_no = original.count("\n", 0, s) + 1
    gutter = f"{line_no:>5} | "
    text = f"{gutter}{lead}{before}{span}{after}{tail}".replace("\t", " ")
    caret = " " * (len(gutter) - 2) + "| " + " " * _width(lead + before) + "^" * max(1, _width(span))
    return [text.rstrip(), caret]


def _line_block(a: Analysis, line: int, col: int) -> list[str]:
    original = a.normalized.original if a.normalized is not None else a.document.text
    src = original.split("\n")
    if not 1 <= line <= len(src):
        return []
    text = src[line - 1]
    lo = max(0, col - 1 - CONTEXT_CHARS)
    hi = min(len(text), col - 1 + 2 * CONTEXT_CHARS)
    lead, tail = ("…" if lo > 0 else ""), ("…" if hi < len(text) else "")
    gutter = f"{line:>5} | "
    shown = f"{gutter}{lead}{text[lo:hi]}{tail}".replace("\t", " ")
    caret = " " * (len(gutter) - 2) + "| " + " " * _width(lead + text[lo:col - 1]) + "^"
    return [shown.rstrip(), caret]


def _table_label(table: str | None) -> str:
    return {"t2": "表二", "t3": "表三", "t4": "表四"}.get(table or "", table or "")


def full_finding(a: Analysis, f) -> str:
    path = a.document.path
    sev = f.severity.value
    lines = [f"{path}:{f.line or 1}:{f.col or 1}: {f.code} [{SEVERITY_LABEL.get(sev, sev)}] {f.message}"]
    prose = [e for e in f.evidence if e.kind == "prose" and e.start is not None and e.end is not None]
    if prose:  # the first span gets the caret; further spans (其中 parts, a second statement) one line each
        lines += _caret_block(a, prose[0].start, prose[0].end)
    elif f.line:  # a table finding: the line it points at (the table row or heading)
        lines += _line_block(a, f.line, f.col or 1)
    for e in prose[1:]:
        lines.append(f"      = 另见 {e.line or '?'}:{e.col or '?'} «{e.text}»")
    if f.expected is not None or f.found is not None:
        lines.append(f"      = 应为(expected): {_value(f.expected) if f.expected is not None else '—'}"
                     f"    实为(found): {_value(f.found) if f.found is not None else '—'}")
    for e in f.evidence:
        if e.kind == "cell":
            v = "空" if e.value is None else _value(e.value)
            lines.append(f"      = {_table_label(e.table)} {e.table}/{e.row}/{e.column} = {v}")
    alts = f.data.get("alternatives") if f.data else None
    for alt in alts or []:
        lines.append(f"      = 可能的读法: {_dump(alt)}")
    return "\n".join(lines) + "\n"


# --- sarif ---------------------------------------------------------------------------------------

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
MIME = {"text": "text/plain", "markdown": "text/markdown", "html": "text/html", "pdf": "application/pdf"}
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _version() -> str:
    try:
        from importlib.metadata import version
        return version("xxgk")
    except Exception:
        return "0"


def _uri(path: str) -> str:
    from pathlib import PurePath
    from urllib.parse import quote
    return quote(PurePath(path).as_posix(), safe="/:._-~")


def sarif_rules() -> list[dict]:
    from xxgk.extract.checks.catalogue import catalogue
    rules = []
    for code, doc in catalogue().items():
        rules.append({
            "id": code,
            "name": code,
            "shortDescription": {"text": doc.title},
            "fullDescription": {"text": doc.explanation or doc.title},
            "help": {"text": f"{doc.explanation}\n例：{doc.example}" if doc.example else doc.explanation},
            "defaultConfiguration": {"level": SARIF_LEVEL.get(doc.severity, "warning")},
            "properties": {"severity": doc.severity, "messageTemplates": [t for t in
                           ([doc.message] if doc.message else []) + list(doc.messages.values())]},
        })
    return rules


def _region(a: Analysis, start: int, end: int, text: str | None) -> dict:
    original = a.normalized.original if a.normalized is not None else a.document.text
    s, e = _orig_span(a, start, end)

    def line_col(o):
        return original.count("\n", 0, o) + 1, o - (original.rfind("\n", 0, o) + 1) + 1
    sl, sc = line_col(s)
    el, ec = line_col(e)
    region = {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": max(ec, sc + (1 if e == s else 0))}
    if text:
        region["snippet"] = {"text": text}
    return region


def sarif_result(a: Analysis, f, rule_index: dict[str, int]) -> dict:
    from xxgk.extract.checks.baseline import fingerprint
    uri = _uri(a.document.path)
    locations = []
    for e in f.evidence:
        if e.kind == "prose" and e.start is not None and e.end is not None:
            locations.append({"physicalLocation": {"artifactLocation": {"uri": uri},
                                                   "region": _region(a, e.start, e.end, e.text)}})
    if not locations:
        locations.append({"physicalLocation": {"artifactLocation": {"uri": uri},
                                               "region": {"startLine": f.line or 1, "startColumn": f.col or 1}}})
    result = {"ruleId": f.code, "level": SARIF_LEVEL[f.severity.value], "message": {"text": f.message},
              "locations": locations, "partialFingerprints": {"xxgk/v1": fingerprint(a.document.path, f)},
              "properties": {"severity": f.severity.value, "expected": f.expected, "found": f.found,
                             "cells": [e.to_dict() for e in f.evidence if e.kind == "cell"]}}
    if f.code in rule_index:
        result["ruleIndex"] = rule_index[f.code]
    if f.data:
        result["properties"]["data"] = f.data
    return result


def sarif_log(analyses: list[Analysis], errors: list[tuple[str, str]] = ()) -> dict:
    rules = sarif_rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = [sarif_result(a, f, index) for a in analyses for f in a.findings]
    invocation = {"executionSuccessful": not errors}
    if errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": msg},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(path)}}}]}
            for path, msg in errors]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "xxgk", "version": _version(), "semanticVersion": _version(),
                                "rules": rules}},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            # positions in HTML and PDF inputs refer to their rendered text (Document.text), not the raw file
            "artifacts": [{"location": {"uri": _uri(a.document.path)}, "encoding": a.document.encoding,
                           "mimeType": MIME.get(a.document.format, "text/plain")} for a in analyses],
            "results": results,
        }],
    }
