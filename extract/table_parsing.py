"""Tables 2, 3 and 4 → canonical cells. (stub)"""
from __future__ import annotations

from xxgk.models import NormalizedText, SectionMap, SourceTable, TableResult


def parse_tables(norm: NormalizedText, sections: SectionMap, source_tables: list[SourceTable]) -> TableResult:
    return TableResult()
