"""`xxgk inspect`: what reading, normalising and sectioning found. (stub)"""
from __future__ import annotations

import json


def render(a, fmt: str, out) -> None:
    out.write(json.dumps({"file": a.document.path, "format": a.document.format,
                          "encoding": a.document.encoding, "report": a.report.to_dict()},
                         ensure_ascii=False, indent=1) + "\n")
