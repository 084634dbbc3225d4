"""Output-format and option choices shared by `xxgk …` and `xxgk corpus …` (one definition, one help text)."""
from __future__ import annotations

from enum import Enum


class ClaimsFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class CheckFormat(str, Enum):
    text = "text"
    full = "full"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    sarif = "sarif"


class InspectFormat(str, Enum):
    table = "table"
    json = "json"


class TableFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class Encoding(str, Enum):
    auto = "auto"
    utf8 = "utf-8"
    gb18030 = "gb18030"
    utf16 = "utf-16"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
