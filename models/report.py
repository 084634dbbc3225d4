"""Report metadata and the record of one analysed report."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from xxgk.models.claim import Claim
from xxgk.models.document import Document, NormalizedText
from xxgk.models.finding import Finding
from xxgk.models.section import SectionMap
from xxgk.models.table import TableResult


@dataclass(slots=True)
class Report:
    """What a report says about itself (SPEC §5 `report`)."""
    agency: str | None = None
    year: int | None = None            # the report year (the year the statistics cover)
    published: date | None = None      # publication date, from page metadata or the closing date line
    period_start: date | None = None   # 统计期限
    period_end: date | None = None
    title: str | None = None
    is_government: bool = False        # a people's government's own report (deadline 31 March, not 31 January)
    evidence: dict[str, tuple[int, int]] = field(default_factory=dict)  # field -> (start, end) in normalised text

    def to_dict(self) -> dict:
        return {"agency": self.agency, "year": self.year,
                "published": self.published.isoformat() if self.published else None}


@dataclass(slots=True)
class Analysis:
    """Everything the pipeline learnt about one input."""
    document: Document
    normalized: NormalizedText
    report: Report
    sections: SectionMap
    tables: TableResult
    claims: list[Claim] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
