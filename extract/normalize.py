"""NFKC width folding, whitespace, page-chrome removal, with an offset map. (stub)"""
from __future__ import annotations

from xxgk.models import Document, NormalizedText


def normalize(doc: Document) -> NormalizedText:
    return NormalizedText(text=doc.text, offsets=list(range(len(doc.text) + 1)), original=doc.text)
