"""Checks across reports (SPEC §4): consecutive years of the same agency.

- X301 (warning): this year's 二、上年结转 (t3/carried_over/total) ≠ last year's 四、结转下年度 (t3/carried_forward/total).
- X201 (info): last year's 现行有效 + this year's 本年制发 − 本年废止 ≠ this year's 现行有效, for 规章 and
  行政规范性文件 (t2 regulations / normative_documents).
- X101 (warning): the prose (sections 一, 五, 六) is near-identical to last year's. Similarity is the Jaccard
  index of the two texts' character 5-gram sets, after dropping whitespace and punctuation and masking
  every digit run (so a text copied with only its numbers updated still scores ≈1.0). Independently written
  reports share the template's boilerplate: different agencies score below 0.2, one agency's two
  consecutive real reports about 0.35, generated reports with sentences drawn from common pools up to 0.6;
  a text carried over with its numbers and a few words changed scores above 0.85, the same report in two
  formats (HTML and text) 0.99. Default threshold: 0.85 (`--threshold`). Prose shorter than
  200 characters is not compared (two nearly empty reports are alike without being copied).

Reports are grouped by `agency_key`: the agency name normalised (Traditional → Simplified, full-width →
half-width, whitespace and bracketed qualifiers removed, 人民政府 → 政府, 管理委员会 → 管委会). A name that
names no place (市政府办公室, 区财政局, 教育局 …) is qualified by the report's directory, so that the offices
of two different cities are not taken for one. A name given without its city (松岚区政府) joins the one
key that is the same name with a prefix (青禾市松岚区政府), when there is exactly one such key. When one agency has several reports for a year, the one with
the most table cells (then the latest published, then the first path) stands for that year.
"""
from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import regex

from xxgk.models import Evidence, Finding, Severity

DEFAULT_THRESHOLD = 0.85
MIN_PROSE_CHARS = 200
SHINGLE = 5
SEVERITY = {"X101": Severity.warning, "X301": Severity.warning, "X201": Severity.info}
T2_LABELS = {"regulations": "规章", "normative_documents": "行政规范性文件"}

# --- agency names -------------------------------------------------------------------------------

_BRACKETED = regex.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|<[^<>]*>|《[^《》]*》")
_NOISE = regex.compile(r"[\s\"'“”‘’「」『』·•\-_—]+")
_TITLE_TAIL = regex.compile(r"(关于)?(20\d\d|二〇.{2})年度?.*$|(政府信息公开|政务公开).*(年度报告|工作报告).*$")
_GENERIC_START = regex.compile(r"^(本|我)?[省市区县州盟旗镇乡街]")
_PLACE_MARK = regex.compile(r"[省市区县州盟旗镇乡]|街道|苏木|自治")
_FILE_YEAR = regex.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
        return opencc.OpenCC("t2s").convert
    except Exception:
        return lambda s: s


@lru_cache(maxsize=65536)
def normalise_agency(name: str | None) -> str | None:
    """The comparable form of an agency name (see the module docstring); None when nothing is left."""
    if not name:
        return None
    s = unicodedata.normalize("NFKC", _t2s()(name))
    s = s.replace("〈", "<").replace("〉", ">")
    prev = None
    while prev != s:  # nested brackets
        prev, s = s, _BRACKETED.sub("", s)
    s = _NOISE.sub("", s)
    s = _TITLE_TAIL.sub("", s)
    s = s.replace("人民政府", "政府").replace("管理委员会", "管委会")
    return s or None


def agency_key(agency: str | None, path: str | None = None) -> str | None:
    """Group key of a report's agency. Falls back on the file name when the agency is unknown and the
    name carries a year (青禾区教育局-2023.txt and 青禾区教育局-2024.txt group together)."""
    key = normalise_agency(agency)
    where = os.path.dirname(os.path.abspath(path)) if path and path != "-" else ""
    if key is None:
        if not path or path == "-":
            return None
        stem = os.path.splitext(os.path.basename(path))[0]
        if not _FILE_YEAR.search(stem):
            return None
        rest = _NOISE.sub("", _FILE_YEAR.sub("", stem)).strip("._-年度报告")
        if len(rest) < 2:
            return None
        return f"file:{where}/{rest}"
    if _GENERIC_START.match(key) or (len(key) <= 4 and not _PLACE_MARK.search(key)):
        return f"{key}@{where}"
    return key


def merge_prefixed_names(keys) -> dict[str, str]:
    """Aliases for names given with and without the city: 松岚区政府 → 青禾市松岚区政府 when exactly one
    other key ends with it (two cities' 鼓楼区 stay apart unless only one of them is in the corpus)."""
    plain = {k for k in keys if k and "@" not in k and not k.startswith("file:")}
    by_suffix: dict[str, list[str]] = {}   # every proper suffix of 4+ characters -> the keys ending so
    for k in plain:
        for i in range(1, len(k) - 3):
            by_suffix.setdefault(k[i:], []).append(k)
    alias: dict[str, str] = {}
    for short in plain:
        longer = by_suffix.get(short, ())
        if len(longer) == 1 and _PLACE_MARK.search(short):
            alias[short] = longer[0]
    return alias


# --- prose similarity ---------------------------------------------------------------------------

_NOT_TEXT = regex.compile(r"[\s\p{P}\p{S}]+")
_DIGITS = regex.compile(r"\d+(?:\.\d+)?")


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    t = _DIGITS.sub("#", unicodedata.normalize("NFKC", text or ""))
    t = _NOT_TEXT.sub("", t)
    if len(t) < k:
        return {t} if t else set()
    return {t[i:i + k] for i in range(len(t) - k + 1)}


def similarity(a: str, b: str, k: int = SHINGLE) -> float:
    """Jaccard index of the character k-gram sets of two texts (1.0 = the same wording)."""
    sa, sb = shingles(a, k), shingles(b, k)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


# --- checks over one agency's consecutive years -------------------------------------------------

@dataclass
class ReportFacts:
    """What the cross-year checks need of one stored report."""
    path: str
    sha256: str
    year: int
    agency: str | None = None
    agency_key: str | None = None
    cells: dict[str, float | None] = field(default_factory=dict)   # "t3/carried_over/total" -> value
    prose: str = ""
    n_cells: int = 0
    published: Any = None


def _message(code: str, fallback: str, **values) -> str:
    """The message template of rules/checks.yaml (the one place check prose lives), else `fallback`."""
    try:
        from xxgk.extract.checks.catalogue import render
        return render(code, **values)
    except Exception:
        return fallback


def _int(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _cell(table: str, row: str, col: str, value) -> Evidence:
    return Evidence(kind="cell", table=table, row=row, column=col, value=_int(value))


def _previous(prev: ReportFacts) -> dict:
    return {"path": prev.path, "sha256": prev.sha256, "year": prev.year}


def check_pair(prev: ReportFacts, cur: ReportFacts, *, threshold: float = DEFAULT_THRESHOLD) -> list[Finding]:
    """X301, X201, X101 for a report and the same agency's report of the year before."""
    out: list[Finding] = []
    ref = _previous(prev)

    before = prev.cells.get("t3/carried_forward/total")
    now = cur.cells.get("t3/carried_over/total")
    if before is not None and now is not None and before != now:
        out.append(Finding(
            code="X301", severity=SEVERITY["X301"],
            message=_message("X301", f"表三“上年结转政府信息公开申请数量”为{_int(now)}件，而{prev.year}年度报告"
                                     f"“结转下年度继续办理”为{_int(before)}件，请核对两年的结转数。",
                             found=_int(now), expected=_int(before), previous=prev.year),
            expected=_int(before), found=_int(now),
            evidence=[_cell("t3", "carried_over", "total", now), _cell("t3", "carried_forward", "total", before)],
            data={"previous": ref, "evidence_years": [cur.year, prev.year]}))

    for row, label in T2_LABELS.items():
        stock = prev.cells.get(f"t2/{row}/in_force")
        issued = cur.cells.get(f"t2/{row}/issued")
        repealed = cur.cells.get(f"t2/{row}/repealed")
        in_force = cur.cells.get(f"t2/{row}/in_force")
        if None in (stock, issued, repealed, in_force):
            continue
        expected = stock + issued - repealed
        if expected != in_force:
            out.append(Finding(
                code="X201", severity=SEVERITY["X201"],
                message=f"表二{label}：" + _message(
                    "X201", f"{prev.year}年现行有效{_int(stock)}件＋本年制发{_int(issued)}件－本年废止{_int(repealed)}件"
                            f"＝{_int(expected)}件，但本年现行有效为{_int(in_force)}件。",
                    previous=_int(stock), issued=_int(issued), repealed=_int(repealed), expected=_int(expected),
                    found=_int(in_force)),
                expected=_int(expected), found=_int(in_force),
                evidence=[_cell("t2", row, "in_force", in_force), _cell("t2", row, "issued", issued),
                          _cell("t2", row, "repealed", repealed), _cell("t2", row, "in_force", stock)],
                data={"previous": ref, "row": row, "evidence_years": [cur.year, cur.year, cur.year, prev.year]}))

    if len(prev.prose) >= MIN_PROSE_CHARS and len(cur.prose) >= MIN_PROSE_CHARS:
        sim = similarity(prev.prose, cur.prose)
        if sim >= threshold:
            out.append(Finding(
                code="X101", severity=SEVERITY["X101"],
                message=_message("X101", f"正文与{prev.year}年度报告几乎相同（相似度{sim:.2f}），请核对是否沿用了上年的内容。",
                                 previous=prev.year, similarity=f"{sim:.2f}"),
                expected=f"< {threshold:.2f}", found=round(sim, 4),
                # the stored prose is not the report's normalised text: no offsets to point at
                evidence=[Evidence(kind="prose", text=cur.prose[:80])],
                data={"previous": ref, "similarity": round(sim, 4), "threshold": threshold,
                      "method": f"jaccard of character {SHINGLE}-grams, digits masked"}))
    return out


def _representative(reports: list[ReportFacts]) -> ReportFacts:
    return sorted(reports, key=lambda r: (-r.n_cells, -(r.published.toordinal() if r.published else 0),
                                          r.path))[0]


def check_series(reports: list[ReportFacts], *, threshold: float = DEFAULT_THRESHOLD
                 ) -> list[tuple[ReportFacts, ReportFacts, Finding]]:
    """Every finding over reports of any agencies: (current report, previous report, finding)."""
    groups: dict[tuple[str, int], list[ReportFacts]] = {}
    alias = merge_prefixed_names({r.agency_key for r in reports})
    for r in reports:
        if r.agency_key and r.year is not None:
            groups.setdefault((alias.get(r.agency_key, r.agency_key), r.year), []).append(r)
    chosen = {k: _representative(v) for k, v in groups.items()}
    out = []
    for (key, year), cur in sorted(chosen.items()):
        prev = chosen.get((key, year - 1))
        if prev is None:
            continue
        out.extend((cur, prev, f) for f in check_pair(prev, cur, threshold=threshold))
    return out


def _selected(code: str, select: list[str] | None, ignore: list[str] | None) -> bool:
    if select and not any(code.startswith(s) for s in select):
        return False
    return not (ignore and any(code.startswith(s) for s in ignore))


_CELL_KEYS = ["t3/carried_over/total", "t3/carried_forward/total"] + [
    f"t2/{r}/{c}" for r in T2_LABELS for c in ("issued", "repealed", "in_force")]


def load_facts(root) -> list[ReportFacts]:
    """The reports of a store, with the cells the cross-year checks read."""
    from xxgk.corpus.store import connect
    con = connect(root)
    try:
        rows = con.execute(
            "SELECT sha256, path, year, agency, coalesce(prose, ''), coalesce(n_cells, 0), published "
            "FROM reports WHERE year IS NOT NULL").fetchall()
        # the key is recomputed rather than read, so a store built by an older xxgk groups like this one
        facts = {r[0]: ReportFacts(sha256=r[0], path=r[1], year=r[2], agency=r[3], agency_key=agency_key(r[3], r[1]),
                                   prose=r[4], n_cells=r[5], published=r[6]) for r in rows}
        facts = {k: f for k, f in facts.items() if f.agency_key}
        keys = ", ".join(f"'{k}'" for k in _CELL_KEYS)
        cells = con.execute(
            f'SELECT sha256, "table" || \'/\' || "row" || \'/\' || col AS key, value FROM cells '
            f'WHERE "table" || \'/\' || "row" || \'/\' || col IN ({keys})').fetchall()
    finally:
        con.close()
    for sha, key, value in cells:
        if sha in facts:
            facts[sha].cells[key] = value
    return list(facts.values())


def check_across(root, *, select: list[str] | None = None, ignore: list[str] | None = None,
                 threshold: float = DEFAULT_THRESHOLD, write: bool = True):
    """Run X101/X201/X301 over the store at `root`; store the findings (table findings_across) unless
    `write` is false. Returns [(current ReportFacts, previous ReportFacts, Finding)]."""
    results = [t for t in check_series(load_facts(root), threshold=threshold)
               if _selected(t[2].code, select, ignore)]
    if write:
        save_across(root, results)
    return results


def save_across(root, results) -> None:
    """Replace the store's findings_across with these. Raises StoreError while a build holds the store."""
    from xxgk.corpus.build import ruleset_hash, xxgk_version
    from xxgk.corpus.store import Store, refresh_database
    prov = {"xxgk_version": xxgk_version(), "ruleset_hash": ruleset_hash()}
    rows = [{"path": cur.path, "sha256": cur.sha256, **prov, "year": cur.year,
             "agency_key": cur.agency_key, "code": f.code, "severity": f.severity.value,
             "message": f.message, "expected": _dump(f.expected), "found": _dump(f.found),
             "evidence": _dump([e.to_dict() for e in f.evidence]), "data": _dump(f.data),
             "previous_path": prev.path, "previous_sha256": prev.sha256, "previous_year": prev.year}
            for cur, prev, f in results]
    with Store(root) as store:
        store.write_across(rows)
    refresh_database(root)


def _dump(v):
    return None if v is None else json.dumps(v, ensure_ascii=False, default=str)
