"""A finding of a check (SPEC §4)."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


@dataclass(slots=True)
class Evidence:
    """`kind` is "prose" (start, end, text; line/col in the original) or "cell" (table, row, col, value)."""
    kind: str
    start: int | None = None
    end: int | None = None
    text: str | None = None
    line: int | None = None
    col: int | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    value: Any = None

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "cell":
            return {"kind": "cell", "table": self.table, "row": self.row, "col": self.column, "value": self.value}
        d = {"kind": "prose", "start": self.start, "end": self.end, "text": self.text}
        if self.line is not None:
            d["line"], d["col"] = self.line, self.col
        return d


@dataclass(slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    expected: Any = None
    found: Any = None
    evidence: list[Evidence] = field(default_factory=list)
    line: int | None = None         # where the finding points in the original file (first prose evidence,
    col: int | None = None          # else the table's position)
    data: dict[str, Any] = field(default_factory=dict)  # extra machine-readable detail (e.g. S006 alternatives)

    def to_dict(self) -> dict[str, Any]:
        d = {"code": self.code, "severity": self.severity.value, "message": self.message,
             "expected": self.expected, "found": self.found,
             "evidence": [e.to_dict() for e in self.evidence]}
        if self.line is not None:
            d["line"], d["col"] = self.line, self.col
        if self.data:
            d["data"] = self.data
        return d
