"""Corpus builder and store: many reports → Parquet + DuckDB; cross-report checks.

    from xxgk.corpus import build, check_across
    build(["reports/"], "store")          # → BuildSummary; resumable, crash-safe
    check_across("store")                 # → [(report, previous year's report, Finding)] for X101/X201/X301
"""
from __future__ import annotations


def build(inputs, out, **options):
    """Analyse files, directories or globs into the store at `out`. See xxgk.corpus.build.build."""
    from xxgk.corpus.build import build as _build
    return _build(list(inputs) if not isinstance(inputs, str) else [inputs], str(out), **options)


def check_across(store, **options):
    """Cross-year checks over a store. See xxgk.corpus.across.check_across."""
    from xxgk.corpus.across import check_across as _check
    return _check(store, **options)


__all__ = ["build", "check_across"]
