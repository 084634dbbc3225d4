"""xxgk's pipeline. The public Python API returns pandas DataFrames:

    from xxgk.extract import claims, tables, check
    claims("report.txt")      # one row per claim
    tables("report.txt")      # one row per cell (table, row, col, value)
    check("report.txt")       # one row per finding
"""
from __future__ import annotations

from xxgk.extract.api import analyse_file, check, claims, tables

__all__ = ["analyse_file", "check", "claims", "tables"]
