"""Inputs → bytes → a decoded Document. (stub: the reading issue fills this in)"""
from __future__ import annotations

import hashlib
from pathlib import Path

from xxgk.models import Document

DEFAULT_GLOBS = ("*.txt", "*.html", "*.htm", "*.md", "*.pdf")


class InputError(Exception):
    """An input that cannot be read; the message is one line a person can act on."""


def expand_inputs(args: list[str], globs=DEFAULT_GLOBS) -> list[str]:
    """Files, directories (walked recursively) and glob patterns → paths; "-" stays "-".

    A missing path is kept in the list, so that reading it reports the error for that input alone.
    """
    out: list[str] = []
    for a in args:
        p = Path(a)
        if a == "-" or p.is_file():
            out.append(a)
        elif p.is_dir():
            found = sorted({str(f) for g in globs for f in p.rglob(g) if f.is_file()})
            if not found:
                out.append(a)  # reported as "no reports in directory"
            out.extend(found)
        elif any(ch in a for ch in "*?["):
            out.extend(sorted(str(f) for f in Path().glob(a) if f.is_file()))
        else:
            out.append(a)
    return out


def read_bytes(path: str, stdin=None) -> bytes:
    import sys
    if path == "-":
        return (stdin or sys.stdin.buffer).read()
    p = Path(path)
    if p.is_dir():
        raise InputError("directory holds no reports (*.txt, *.html, *.htm, *.md, *.pdf)")
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file") from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}") from None


def decode(data: bytes, path: str, *, encoding: str = "auto", sha256: str | None = None) -> Document:
    if not data.strip():
        raise InputError("empty file")
    text = data.decode("utf-8", errors="replace") if encoding == "auto" else data.decode(encoding)
    return Document(path=path, sha256=sha256 or hashlib.sha256(data).hexdigest(), format="text",
                    encoding="utf-8", text=text, size=len(data))
