"""What the reading and normalising stages produce."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class SourceTable:
    """A table the source itself delimits (HTML <table>, a PDF page table), rowspan/colspan expanded.

    `rows` are lists of cell strings. `start`/`end` locate the table's rendering in `Document.text`.
    """
    rows: list[list[str]]
    start: int = 0
    end: int = 0
    page: int | None = None  # PDF page number (1-based), when known


@dataclass(slots=True)
class Document:
    """A decoded input: the text a person would read, plus what reading learnt about it.

    For plain text and Markdown `text` is the decoded file itself, so offsets are file offsets.
    For HTML and PDF `text` is the rendered text (tables as `a | b | c |` rows), and positions refer to it.
    """
    path: str                      # as the user gave it ("-" or --stdin-filename for stdin)
    sha256: str
    format: str                    # text | markdown | html | pdf
    encoding: str                  # utf-8, utf-8-sig, gb18030, utf-16, … ("binary" for pdf)
    text: str
    tables: list[SourceTable] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # page metadata seen while reading (title, 发布时间 …)
    size: int = 0                  # bytes read


@dataclass(slots=True)
class RemovedSpan:
    """A piece of page chrome dropped by normalisation (start/end in Document.text)."""
    start: int
    end: int
    text: str
    kind: str                      # share | font-size | print | breadcrumb | metadata | footer | …


@dataclass(slots=True)
class NormalizedText:
    """The normalised text and a map back to the original.

    `offsets[i]` is the index in `Document.text` of normalised character i; `offsets[len(text)]`
    is one past the last original character, so spans map as (offsets[start], offsets[end]).
    """
    text: str
    offsets: list[int]
    original: str                  # Document.text, kept for line:col
    removed: list[RemovedSpan] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # traditional, pinyin-garbled, … what normalising met

    def original_offset(self, i: int) -> int:
        if not self.offsets:
            return 0
        i = max(0, min(i, len(self.offsets) - 1))
        return self.offsets[i]

    def line_col(self, i: int) -> tuple[int, int]:
        """1-based line and column (code points) in the original text of normalised offset i."""
        o = self.original_offset(i)
        line = self.original.count("\n", 0, o) + 1
        col = o - (self.original.rfind("\n", 0, o) + 1) + 1
        return line, col
