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

    def add(self, a: Analysis) -> None:
        getattr(self, f"_add_{self.fmt}")(a)

    def add_error(self, path: str, message: str) -> None:
        if self.fmt == "jsonl":
            self.out.write(_dump(error_object(path, message)) + "\n")
        elif self.fmt == "json":
            self._json.append(error_object(path, message))

    def close(self) -> None:
        if self.fmt == "json":
            obj = self._json[0] if len(self._json) == 1 else self._json
            self.out.write(json.dumps(obj, ensure_ascii=False, indent=1, default=str) + "\n")

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
            for c in a.tables.cells:
                self.out.write(f"{path}: {c.key} = {'' if c.value is None else c.value}\n")
            for i in a.tables.issues:
                self.out.write(f"{path}: {i.code} {i.message}\n")
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
