"""Agency, report year, publication date, statistics period. (stub)"""
from __future__ import annotations

from xxgk.models import Document, NormalizedText, Report, SectionMap


def extract_metadata(doc: Document, norm: NormalizedText, sections: SectionMap) -> Report:
    return Report()
