"""Check registry: code → function. (stub)"""
from __future__ import annotations


def run_checks(analysis, select=None, ignore=None):
    return []
