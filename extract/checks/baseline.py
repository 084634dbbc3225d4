"""Baselines: the findings a disclosure office has looked at and accepted, so later runs show only new ones.

A finding's fingerprint is the file name, the code, expected/found and the evidence keys (cell keys and
prose text), never line numbers: editing an unrelated paragraph does not make old findings look new.
"""
from __future__ import annotations

import collections
import hashlib
import json
from pathlib import Path, PurePath

from xxgk.models import Finding

BASELINE_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read; the message is one line."""


def fingerprint(file: str, f: Finding) -> str:
    keys = []
    for e in f.evidence:
        if e.kind == "cell":
            keys.append(f"cell:{e.table}/{e.row}/{e.column}={e.value}")
        else:
            keys.append(f"prose:{e.text}")
    payload = json.dumps([PurePath(file).name, f.code, f.expected, f.found, keys], ensure_ascii=False,
                         default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def load(path: Path) -> collections.Counter:
    """Fingerprints in a baseline file (a multiset: the same finding can occur twice in one report)."""
    try:
        obj = json.loads(Path(path).read_text("utf-8"))
        return collections.Counter(e["fingerprint"] for e in obj["findings"])
    except FileNotFoundError:
        raise BaselineError(f"baseline file {path} does not exist (create it with --update-baseline)")
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise BaselineError(f"baseline file {path} is not an xxgk baseline: {e}")


def new_findings(file: str, findings: list[Finding], known: collections.Counter) -> list[Finding]:
    """The findings not in the baseline. `known` is consumed, so a duplicate beyond the baseline's count is new."""
    out = []
    for f in findings:
        fp = fingerprint(file, f)
        if known[fp] > 0:
            known[fp] -= 1
        else:
            out.append(f)
    return out


def entries(file: str, findings: list[Finding]) -> list[dict]:
    return [{"file": PurePath(file).name, "code": f.code, "fingerprint": fingerprint(file, f),
             "message": f.message} for f in findings]


def write(path: Path, items: list[dict]) -> None:
    obj = {"version": BASELINE_VERSION, "findings": items}
    Path(path).write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", "utf-8")
