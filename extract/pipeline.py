"""One report, start to finish: read → normalise → sections → (tables, sentences → claims) → checks.

`analyse` is pure: bytes in, records out. The corpus builder maps it over many files in worker processes.
"""
from __future__ import annotations

import hashlib

from xxgk.models import Analysis

ALL_STAGES = frozenset({"tables", "claims", "checks"})


def analyse(data: bytes, path: str, *, encoding: str = "auto", stages=ALL_STAGES,
            select: list[str] | None = None, ignore: list[str] | None = None) -> Analysis:
    """Run the pipeline over one input's bytes. Raises `xxgk.extract.read.InputError` for unreadable input."""
    from xxgk.extract import metadata, normalize, read, sections
    from xxgk.models import TableResult

    doc = read.decode(data, path, encoding=encoding, sha256=hashlib.sha256(data).hexdigest())
    norm = normalize.normalize(doc)
    secmap = sections.find_sections(norm.text)
    report = metadata.extract_metadata(doc, norm, secmap)
    tables = TableResult()
    if "tables" in stages or "checks" in stages:
        from xxgk.extract import table_parsing as tables_stage
        tables = tables_stage.parse_tables(norm, secmap, doc.tables)
    claims = []
    if "claims" in stages or "checks" in stages:
        from xxgk.extract import claim_extraction as claims_stage
        claims = claims_stage.extract_claims(norm, secmap)
    analysis = Analysis(document=doc, normalized=norm, report=report, sections=secmap,
                        tables=tables, claims=claims)
    if "checks" in stages:
        from xxgk.extract import checks
        analysis.findings = checks.run_checks(analysis, select=select, ignore=ignore)
    return analysis
