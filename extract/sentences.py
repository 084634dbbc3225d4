"""Segmentation with spaCy's Chinese tokenizer (jieba segmenter) and the claims on a spaCy Doc.

Claims themselves come from regex rules over characters (claim_extraction.py); this module builds a
Doc for `xxgk inspect` and for users who want claims in their own spaCy pipeline:

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("xxgk_claims")
    doc = nlp("通过“青禾发布”微信公众号发布信息297期。")
    doc.spans["claims"]            # spans labelled with the claim type; span._.claim holds the Claim

The `xxgk_claims` factory is registered through the `spacy_factories` entry point of the distribution.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

JIEBA_CONFIG = {"nlp": {"tokenizer": {"segmenter": "jieba"}}}
SPAN_KEY = "claims"

if not Span.has_extension("claim"):
    Span.set_extension("claim", default=None)


def lexicon_path() -> Path:
    from xxgk.extract.ruleset import shipped_rules_dir
    return shipped_rules_dir() / "lexicon.txt"


@lru_cache(maxsize=1)
def load_lexicon() -> int:
    """Add rules/lexicon.txt to jieba's (process-global) dictionary, once per process; returns its size."""
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)
    path = lexicon_path()
    if not path.is_file():
        return 0
    jieba.load_userdict(str(path))
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


@lru_cache(maxsize=1)
def nlp() -> Language:
    """A blank Chinese pipeline with the jieba segmenter, the domain lexicon and `xxgk_claims`."""
    load_lexicon()
    n = spacy.blank("zh", config=JIEBA_CONFIG)
    n.add_pipe("xxgk_claims")
    return n


@lru_cache(maxsize=1)
def tokenizer_only() -> Language:
    """A blank Chinese pipeline with the jieba segmenter and the lexicon, built once per process."""
    load_lexicon()
    return spacy.blank("zh", config=JIEBA_CONFIG)


def nfkc_with_map(text: str) -> tuple[str, list[int]]:
    """NFKC form of `text` and, for each of its characters, the index of the source character (plus one
    entry for the end), so that spans found in the normalised form map back onto the source."""
    if unicodedata.is_normalized("NFKC", text):
        return text, list(range(len(text) + 1))
    out, offsets = [], []
    for i, ch in enumerate(text):
        n = unicodedata.normalize("NFKC", ch)
        out.append(n)
        offsets.extend([i] * len(n))
    offsets.append(len(text))
    return "".join(out), offsets


def set_sentences(doc: Doc) -> Doc:
    """Sentence starts from the claim engine's splitter (。 ; ! ? and line breaks, wrapped lines joined)."""
    import numpy
    from spacy.attrs import SENT_START

    from xxgk.extract.claim_extraction import split_sentences
    starts = {s.base if s.pos is None else s.pos[0] for s in split_sentences(doc.text)}
    # one array write: setting token.is_sent_start one by one re-checks the Doc's annotation every time
    flags = [[1 if (t.i == 0 or t.idx in starts) else -1] for t in doc]
    arr = numpy.array(flags, dtype="int64").astype("uint64")      # spaCy's own array layout
    if len(doc):
        doc.from_array([SENT_START], arr)
    return doc


def attach_claims(doc: Doc, claims, offsets: list[int] | None = None) -> Doc:
    """Put claims on `doc.spans["claims"]` (label = claim type, `span._.claim` = the Claim).

    `offsets` maps claim offsets to doc characters when the claims were found in a normalised copy."""
    spans = []
    for c in claims:
        start, end = c.start, c.end
        if offsets is not None:
            start, end = offsets[min(start, len(offsets) - 1)], offsets[min(end, len(offsets) - 1)]
        sp = doc.char_span(start, end, label=c.type, alignment_mode="expand")
        if sp is None:
            continue
        sp._.claim = c
        spans.append(sp)
    doc.spans[SPAN_KEY] = spans
    return doc


def build_doc(text: str, claims=None, rules=None) -> Doc:
    """A Doc of `text` (normalised text) with sentences and claims; claims are extracted when not given."""
    n = tokenizer_only()
    doc = n.make_doc(text)
    set_sentences(doc)
    if claims is None:
        from xxgk.extract.claim_extraction import extract_from_text
        claims = extract_from_text(text, rules)
    return attach_claims(doc, claims)


class ClaimsComponent:
    """Pipeline component: finds claims in doc.text and stores them as doc.spans["claims"]."""

    def __init__(self, name: str = "xxgk_claims", rules: str | None = None, sentences: bool = True):
        self.name = name
        self.rules_path = rules
        self.sentences = sentences

    def _rules(self):
        from xxgk.extract.ruleset import load_ruleset
        return load_ruleset([Path(self.rules_path)] if self.rules_path else None)

    def __call__(self, doc: Doc) -> Doc:
        from xxgk.extract.claim_extraction import extract_from_text
        text, offsets = nfkc_with_map(doc.text)
        if self.sentences and not doc.has_annotation("SENT_START"):
            set_sentences(doc)
        claims = extract_from_text(text, self._rules())
        return attach_claims(doc, claims, offsets)


@Language.factory("xxgk_claims", default_config={"rules": None, "sentences": True})
def make_claims_component(nlp: Language, name: str, rules: str | None, sentences: bool) -> ClaimsComponent:
    """`nlp.add_pipe("xxgk_claims", config={"rules": "my_rules/"})` — rules default to the shipped set.

    Adding the component also loads the domain lexicon into jieba, so the pipeline's own tokenizer keeps
    微信公众号, 规范性文件 … whole from the next text on."""
    load_lexicon()
    return ClaimsComponent(name, rules, sentences)


def describe(a, *, tokens: bool = True) -> list[dict]:
    """For `xxgk inspect`: the prose sentences claims are read from, with their jieba tokens (through spaCy)
    and the claims found in each (rule id, value, matched text). `a` is an Analysis."""
    from xxgk.extract.claim_extraction import extract_claims, prose_sentences
    norm, sm = a.normalized, a.sections
    claims = a.claims or extract_claims(norm, sm)
    sents = prose_sentences(norm.text, sm)
    tok = tokenizer_only() if tokens else None
    out = []
    ci = 0
    ordered = sorted(range(len(claims)), key=lambda i: claims[i].start)
    for s in sents:
        start = s.offset(0)
        end = s.end_offset(len(s.text))
        here = []
        while ci < len(ordered) and claims[ordered[ci]].start < end:
            c = claims[ordered[ci]]
            if c.start >= start:
                here.append({"index": ordered[ci], "type": c.type, "value": c.value, "unit": c.unit,
                             "rule": c.rule, "text": c.text, "parent": c.parent})
            ci += 1
        d = {"line": norm.line_col(start)[0], "start": start, "end": end, "text": s.text, "claims": here}
        if tok is not None:
            doc = tok.make_doc(s.text)
            d["tokens"] = [t.text for t in doc if not t.is_space]
            for c in here:     # the tokens the claim covers (jieba may split or merge around the match)
                i = s.text.find(c["text"])
                sp = doc.char_span(i, i + len(c["text"]), alignment_mode="expand") if i >= 0 else None
                c["tokens"] = [t.text for t in sp if not t.is_space] if sp is not None else []
        out.append(d)
    return out
