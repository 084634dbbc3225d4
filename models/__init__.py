"""Typed records of xxgk and the canonical table schema. No I/O, no logic."""
from xxgk.models.claim import Claim
from xxgk.models.document import Document, NormalizedText, RemovedSpan, SourceTable
from xxgk.models.finding import Evidence, Finding, Severity
from xxgk.models.report import Analysis, Report
from xxgk.models.section import Section, SectionMap
from xxgk.models.table import Cell, TableIssue, TableResult

__all__ = [
    "Analysis", "Cell", "Claim", "Document", "Evidence", "Finding", "NormalizedText", "RemovedSpan",
    "Report", "Section", "SectionMap", "Severity", "SourceTable", "TableIssue", "TableResult",
]
