"""Runs the compiled rule set over the prose → Claim records. (stub)"""
from __future__ import annotations

from xxgk.models import Claim, NormalizedText, SectionMap


def extract_claims(norm: NormalizedText, sections: SectionMap) -> list[Claim]:
    return []
