"""Single-report checks (SPEC §4): one small function per code, registered under its code.

A check takes a `Context` (the Analysis, indexed) and yields Findings. Its title, severity and message
templates are data in rules/checks.yaml, so `xxgk explain`, SARIF rule descriptors and the docs share one
source. S codes say the tool could not read part of the report; T/P/C/D codes say the report is inconsistent.
A check whose inputs are missing (empty cells, no claim) yields nothing.
"""
from __future__ import annotations

import functools
import json
import logging
import re
from typing import IO, Callable, Iterable

from xxgk.extract.checks.catalogue import CheckDoc, catalogue
from xxgk.extract.checks.context import Context
from xxgk.models import Finding

log = logging.getLogger(__name__)

CheckFn = Callable[["object"], Iterable[Finding]]
CHECKS: dict[str, CheckFn] = {}
_MODULES = ("structure", "arithmetic", "prose_vs_table", "consistency", "dates")


def register(code: str):
    """Register a check function under its SPEC code (the code must be in rules/checks.yaml)."""
    def deco(fn: CheckFn) -> CheckFn:
        if code in CHECKS:
            raise ValueError(f"check {code} registered twice")
        CHECKS[code] = fn
        return fn
    return deco


@functools.cache
def _load() -> dict[str, CheckFn]:
    """The registry, its modules imported on first use."""
    import importlib
    for m in _MODULES:
        importlib.import_module(f"xxgk.extract.checks.{m}")
    in_order = sorted(CHECKS.items())  # kept in code order, so a run need not sort them
    CHECKS.clear()
    CHECKS.update(in_order)
    return CHECKS


def selected(code: str, select: list[str] | None = None, ignore: list[str] | None = None) -> bool:
    """ruff-style selection: codes or prefixes ("T3", "P"); ignore wins over select."""
    if select and not any(code.startswith(s) for s in select):
        return False
    if ignore and any(code.startswith(s) for s in ignore):
        return False
    return True


def run_checks(analysis, select: list[str] | None = None, ignore: list[str] | None = None) -> list[Finding]:
    """Every registered single-report check over one Analysis, findings in file order."""
    ctx = Context(analysis)
    findings: list[Finding] = []
    for code, fn in _load().items():
        if (select or ignore) and not selected(code, select, ignore):
            continue
        try:
            findings.extend(fn(ctx))
        except Exception as e:  # a defect in one check must not hide the other checks' findings
            log.warning("xxgk: %s: check %s skipped: %s: %s", analysis.document.path, code, type(e).__name__, e)
    findings.sort(key=lambda f: (f.line or 0, f.col or 0, f.code))
    return findings


# ---------------------------------------------------------------------------------------------- explain

CODE_RE = re.compile(r"^[A-Za-z]\d{3}$")


def explain(name: str, fmt: str = "text", out: IO[str] | None = None) -> int:
    """Document a check code (from rules/checks.yaml) or a claim type. Returns the exit code."""
    import sys
    out = out or sys.stdout
    if name.lower() == "all":  # the whole catalogue: docs/checks.md is this, as markdown
        docs = list(catalogue().values())
        if fmt == "json":
            out.write(json.dumps([d.to_dict() for d in docs], ensure_ascii=False, indent=1) + "\n")
        elif fmt == "markdown":
            out.write(catalogue_markdown())
        else:
            out.write("\n".join(_explain_text(d) for d in docs))
        return 0
    if CODE_RE.match(name):
        doc = catalogue().get(name.upper())
        if doc is None:
            print(f"xxgk: unknown check code {name!r} (see `xxgk rules list`)", file=sys.stderr)
            return 2
        if fmt == "json":
            out.write(json.dumps(doc.to_dict(), ensure_ascii=False, indent=1) + "\n")
        else:
            out.write(_explain_text(doc))
        return 0
    try:
        from xxgk.extract import ruleset
        explain_type = getattr(ruleset, "explain_type", None) or getattr(ruleset, "explain", None)
    except ImportError:
        explain_type = None
    if explain_type is not None:
        return explain_type(name, fmt, out)
    print(f"xxgk: unknown check code or claim type {name!r}", file=sys.stderr)
    return 2


def _explain_text(doc: CheckDoc) -> str:
    lines = [f"{doc.code} {doc.title}", f"severity: {doc.severity}", "", doc.explanation, ""]
    templates = ([doc.message] if doc.message else []) + list(doc.messages.values())
    lines.append("message:")
    lines += [f"  {t}" for t in templates]
    if doc.example:
        lines += ["", "example:", f"  {doc.example}"]
    return "\n".join(lines) + "\n"


def catalogue_markdown() -> str:
    """The check catalogue as a Markdown page (docs/checks.md is generated from this)."""
    docs = list(catalogue().values())
    lines = ["# Checks", "", "Generated from `rules/checks.yaml` by `xxgk explain all --format markdown`; "
             "edit that file, not this page.", "", "| code | severity | title |", "|---|---|---|"]
    lines += [f"| [{d.code}](#{d.code.lower()}) | {d.severity} | {d.title} |" for d in docs]
    for d in docs:
        lines += ["", f"## {d.code}", "", f"**{d.title}** · severity `{d.severity}`", "", d.explanation, "",
                  "Message:", ""]
        templates = ([d.message] if d.message else []) + list(d.messages.values())
        lines += [f"- {t}" for t in templates]
        if d.example:
            lines += ["", f"Example: {d.example}"]
    return "\n".join(lines) + "\n"
