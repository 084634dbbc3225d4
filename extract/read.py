"""Inputs → bytes → a decoded Document.

The format is told apart by content (PDF magic, HTML tags, Markdown headings/pipe rows, else text), not by
the file name. Encodings: a BOM wins; UTF-16 without BOM is recognised by its NUL pattern; otherwise strict
UTF-8, then strict GB18030, and charset-normalizer only as a last resort.

Tables found in HTML and PDF are rendered into `Document.text` as one line per row, `cell | cell | cell |`,
and kept in `Document.tables`. Spans are expanded so that every row has the table's true column count:
a cell with rowspan=N REPEATS its text in each of the N rows it covers (row labels such as
三、本年度办理结果 stay on every row they govern); a cell with colspan=N is PLACED in its first column and
the other N-1 columns are empty strings (so `行政许可 | 2293 | | |` is never read as three numbers).
"""
from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from xxgk.models import Document, SourceTable

DEFAULT_GLOBS = ("*.txt", "*.html", "*.htm", "*.md", "*.pdf")
MAX_BYTES = 50 * 1024 * 1024  # a report is a few hundred kB; anything this large is not one


class InputError(Exception):
    """An input that cannot be read; the message is one line a person can act on."""


# ---------------------------------------------------------------------------------------------- inputs

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
            found = sorted({str(f) for g in globs for f in p.rglob(g) if f.is_file()
                            and not f.name.endswith(".gold.json")})
            if not found:
                out.append(a)  # reported as "no reports in directory"
            out.extend(found)
        elif any(ch in a for ch in "*?["):
            matched = sorted(str(f) for f in Path().glob(a) if f.is_file()) if not p.is_absolute() else \
                sorted(str(f) for f in Path(p.anchor).glob(str(p.relative_to(p.anchor))) if f.is_file())
            out.extend(matched or [a])
        else:
            out.append(a)
    return out


def read_bytes(path: str, stdin=None, limit: int = MAX_BYTES) -> bytes:
    """The bytes of one input. Refuses files over `limit` bytes without reading them."""
    import sys
    if path == "-":
        data = (stdin or sys.stdin.buffer).read(limit + 1)
        if len(data) > limit:
            raise InputError(f"standard input is larger than {limit // (1024 * 1024)} MB; not a report")
        return data
    p = Path(path)
    if p.is_dir():
        raise InputError("directory holds no reports (*.txt, *.html, *.htm, *.md, *.pdf)")
    if any(ch in path for ch in "*?[") and not p.exists():
        raise InputError("pattern matches no files")
    try:
        size = p.stat().st_size
        if size > limit:
            raise InputError(f"file is {size / (1024 * 1024):.0f} MB, larger than the "
                             f"{limit // (1024 * 1024)} MB limit; not a report")
        with p.open("rb") as f:
            return f.read(limit + 1)
    except FileNotFoundError:
        raise InputError("no such file") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}") from None


# ---------------------------------------------------------------------------------------------- decoding

_ENCODING_ALIASES = {"utf8": "utf-8", "utf-8": "utf-8", "gbk": "gb18030", "gb2312": "gb18030", "big5": "big5",
                     "gb18030": "gb18030", "utf-16": "utf-16", "utf16": "utf-16"}


def _text_score(text: str) -> float:
    """Share of characters a report is made of: CJK, ASCII, CJK punctuation and full-width forms."""
    if not text:
        return 0.0
    good = sum(1 for c in text if c.isascii() and (c.isprintable() or c in "\r\n\t")
               or "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
               or c in "“”‘’…—·")
    return good / len(text)


def _utf16_by_nuls(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes in a text file mean UTF-16; the byte order that decodes to a report wins."""
    sample = data[:8192]
    if len(sample) < 4 or sample.count(0) < 2:
        return None
    best, best_score = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        score = _text_score(sample.decode(enc, errors="replace"))
        if score > best_score:
            best, best_score = enc, score
    return best if best_score >= 0.9 else None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if sample.count(0) > max(8, len(sample) // 1000):  # a stray NUL or two in a text file is not binary
        return True
    ctrl = len(sample.translate(None, _NOT_CONTROL))  # count control bytes in C, not byte by byte
    return ctrl > 0.05 * len(sample)


_CONTROL = {b for b in range(32) if b not in (9, 10, 12, 13, 27)}
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)


def _decode_declared(data: bytes, encoding: str) -> tuple[str, str]:
    enc = _ENCODING_ALIASES.get(encoding.lower(), encoding.lower())
    if enc == "utf-8" and data.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    try:
        codecs.lookup(enc)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    try:
        return data.decode(enc), enc
    except UnicodeDecodeError as e:
        raise InputError(f"not valid {encoding} at byte {e.start}") from None


# Words every report uses, in Simplified and Traditional: a decoding that yields none of them is suspect.
_COMMON_WORDS = re.compile("政府|信息|公开|公開|報告|报告|情况|情況|工作")


def decode_text(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """Bytes → (text, encoding name)."""
    if encoding and encoding != "auto":
        return _decode_declared(data, encoding)
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise InputError(f"not valid utf-8 at byte {e.start + 3} (file starts with a UTF-8 BOM)") from None
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise InputError(f"not valid {enc} at byte {e.start} (file starts with a {enc} BOM)") from None
    enc16 = _utf16_by_nuls(data)
    if enc16:
        try:
            return data.decode(enc16), enc16
        except UnicodeDecodeError:
            pass
    if _looks_binary(data):
        if data.startswith(b"PK\x03\x04"):
            raise InputError("a zip archive (Word .docx/WPS?), not a text, HTML, Markdown or PDF report; "
                             "save it as PDF or text first")
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise InputError("an old Office document (.doc/.xls?), not a text, HTML, Markdown or PDF report; "
                             "save it as PDF or text first")
        raise InputError("binary file, not a text, HTML, Markdown or PDF report")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    decoded = {}
    for enc in ("gb18030", "big5"):  # Big5 bytes also decode as GB18030, to nonsense without report words
        try:
            decoded[enc] = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _COMMON_WORDS.search(decoded[enc][:20000]):
            return decoded[enc], enc
    if "gb18030" in decoded:
        return decoded["gb18030"], "gb18030"
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is None:
        raise InputError("cannot tell the text encoding; give --encoding")
    return str(best), best.encoding


_HTML_DOC = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.I)
_HTML_TAG = re.compile(r"<(?:div|p|table|tr|td|span|br|a|meta|title|ul|li|h[1-6]|font|strong)\b[^<>]*>", re.I)
_MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.M)
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$", re.M)


def sniff_format(text: str) -> str:
    """html | markdown | text, by content."""
    head = text[:50000]
    if _HTML_DOC.search(head[:5000]) or len(_HTML_TAG.findall(head)) >= 5:
        return "html"
    # the literal each pattern needs first: the patterns try every line start of the head
    if "---" in head and _MD_TABLE_SEP.search(head) or "#" in head and len(_MD_HEADING.findall(head)) >= 2:
        return "markdown"
    return "text"


def decode(data: bytes, path: str, *, encoding: str = "auto", sha256: str | None = None) -> Document:
    """One input's bytes → Document. Raises InputError with a one-line message for unreadable input."""
    sha = sha256 or hashlib.sha256(data).hexdigest()
    if len(data) > MAX_BYTES:
        raise InputError(f"input is larger than {MAX_BYTES // (1024 * 1024)} MB; not a report")
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputError("empty file")
    if data[:1024].lstrip().startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        from xxgk.extract import read_pdf
        text, tables, meta = read_pdf.pdf_to_text(data)
        if not text.strip():
            raise InputError("PDF has no text layer (a scanned image?); cannot read it")
        return Document(path=path, sha256=sha, format="pdf", encoding="binary", text=text, tables=tables,
                        meta=meta, size=len(data))
    text, enc = decode_text(data, encoding)
    if not text.strip():
        raise InputError("empty file")
    fmt = sniff_format(text)
    if fmt == "html":
        from xxgk.extract import read_html
        rendered, tables, meta = read_html.html_to_text(text)
        return Document(path=path, sha256=sha, format="html", encoding=enc, text=rendered, tables=tables,
                        meta=meta, size=len(data))
    return Document(path=path, sha256=sha, format=fmt, encoding=enc, text=text, size=len(data))


def render_row(cells: list[str]) -> str:
    """One table row as the line `a | b | c |` (empty cells stay empty between the pipes)."""
    row = " | ".join(cells) + " |"
    if row.count("|") > len(cells):  # a cell holds a pipe of its own: it becomes a blank
        row = " | ".join(c.replace("|", " ") for c in cells) + " |"
    return row


def new_table(rows: list[list[str]], start: int, page: int | None = None) -> SourceTable:
    return SourceTable(rows=rows, start=start, end=start, page=page)
