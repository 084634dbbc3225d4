"""The corpus store: build → store round trip, resume, crash safety under SIGKILL, errors, cross-year checks."""
from __future__ import annotations

import importlib.util
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from xxgk.corpus import across, store
from xxgk.corpus.across import ReportFacts, agency_key, check_pair, check_series, normalise_agency, similarity
from xxgk.corpus.build import build

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "corpus"


def _generator():
    spec = importlib.util.spec_from_file_location("xxgk_bench_generate", ROOT / "bench" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while the file executes
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def gen():
    return _generator()


def _rows(root, table: str) -> list[tuple]:
    """Every row of a table, sorted, as tuples (the comparison unit of the crash test)."""
    con = store.connect(root)
    try:
        return con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall()
    finally:
        con.close()


def _all_rows(root) -> dict[str, list[tuple]]:
    return {t: _rows(root, t) for t in store.TABLES}


def _committed_files(root: Path) -> set[Path]:
    return {root / f for e in store.Store(root).manifest() for f in e["files"]}


def _visible_files(root: Path) -> set[Path]:
    return {p for t in store.TABLES for p in (root / t).glob("*/*")}


# --- build → store ------------------------------------------------------------------------------

def test_build_round_trip(tmp_path, gen):
    truth = gen.generate(8, tmp_path / "in", seed=11)
    s = build([str(tmp_path / "in")], str(tmp_path / "st"), workers=0, progress=False)
    assert s.inputs == 8 and s.reports + s.errors == 8
    reports = _rows(tmp_path / "st", "reports") + _rows(tmp_path / "st", "errors")
    files = {str(tmp_path / "in" / t["file"]) for t in truth}
    con = store.connect(tmp_path / "st")
    stored = con.execute("SELECT path, sha256, xxgk_version FROM reports UNION ALL "
                         "SELECT path, sha256, xxgk_version FROM errors").fetchall()
    assert {p for p, _, _ in stored} == files
    import hashlib
    for p, sha, version in stored:
        assert sha == hashlib.sha256(Path(p).read_bytes()).hexdigest()
        assert version
    # Hive partitions: each row sits under the directory of its year
    years = {r[0] for r in con.execute("SELECT DISTINCT year FROM reports").fetchall()}
    parts = {p.name for p in (tmp_path / "st" / "reports").glob("year=*")}
    assert parts == {store.partition_name(y) for y in years}
    assert len(reports) == 8
    # what the store holds for a report is what the pipeline said about it
    from xxgk.extract import pipeline
    for p, sha, _ in stored:
        a = pipeline.analyse(Path(p).read_bytes(), p)
        cells = con.execute('SELECT "table", "row", col, value FROM cells WHERE sha256 = ? ORDER BY ALL',
                            [sha]).fetchall()
        assert cells == sorted((c.table, c.row, c.col, None if c.value is None else float(c.value))
                               for c in a.tables.cells)
        claims = con.execute("SELECT idx, type, value, start, \"end\" FROM claims WHERE sha256 = ? ORDER BY idx",
                             [sha]).fetchall()
        assert claims == [(i, c.type, json.dumps(c.value, ensure_ascii=False), c.start, c.end)
                          for i, c in enumerate(a.claims)]
        findings = con.execute("SELECT code FROM findings WHERE sha256 = ? ORDER BY code", [sha]).fetchall()
        assert findings == sorted((f.code,) for f in a.findings)
        year = con.execute("SELECT year FROM reports WHERE sha256 = ?", [sha]).fetchone()
        assert year == (a.report.year,)
    # the DuckDB file carries the same views
    import duckdb
    db = duckdb.connect(str(tmp_path / "st" / store.DB_NAME), read_only=True)
    assert db.execute("SELECT count(*) FROM reports").fetchone()[0] == s.reports
    # and a generic Parquet reader sees the same rows (what Spark or Dask would read)
    import pyarrow as pa
    import pyarrow.dataset as ds
    hive = ds.partitioning(pa.schema([("year", pa.int32())]), flavor="hive")
    d = ds.dataset(str(tmp_path / "st" / "reports"), format="parquet", partitioning=hive)
    assert d.count_rows() == s.reports


def test_resume_skips_unchanged_files(tmp_path, gen):
    gen.generate(6, tmp_path / "in", seed=12)
    first = build([str(tmp_path / "in")], str(tmp_path / "st"), workers=0, progress=False)
    assert first.skipped == 0
    again = build([str(tmp_path / "in")], str(tmp_path / "st"), workers=0, progress=False)
    assert again.skipped == 6 and again.reports == 0 and again.errors == 0
    # one new file and one edited file are analysed; the rest are skipped
    files = sorted(p for p in (tmp_path / "in").rglob("*") if p.suffix in (".txt", ".md", ".html"))
    files[0].write_bytes(files[0].read_bytes() + "\n附件：无\n".encode(_encoding(files[0])))
    (tmp_path / "in" / "extra.txt").write_text("青禾区2023年政府信息公开工作年度报告\n一、总体情况\n主动公开信息12条。\n",
                                             encoding="utf-8")
    third = build([str(tmp_path / "in")], str(tmp_path / "st"), workers=0, progress=False)
    assert third.skipped == 5
    assert third.reports + third.errors == 2
    shas = [r[0] for r in store.connect(tmp_path / "st").execute(
        "SELECT sha256 FROM reports UNION ALL SELECT sha256 FROM errors").fetchall()]
    assert len(shas) == len(set(shas)) == 8


def _encoding(p: Path) -> str:
    try:
        p.read_bytes().decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def test_duplicate_bytes_are_stored_once(tmp_path, gen):
    gen.generate(2, tmp_path / "in", seed=13)
    one = next(p for p in (tmp_path / "in").rglob("r000000.*"))
    (tmp_path / "in" / ("copy" + one.suffix)).write_bytes(one.read_bytes())
    s = build([str(tmp_path / "in")], str(tmp_path / "st"), workers=0, progress=False)
    assert s.duplicates == 1 and s.reports + s.errors == 2


# --- errors -------------------------------------------------------------------------------------

def test_unreadable_and_crashing_files_land_in_errors(tmp_path, gen, monkeypatch):
    gen.generate(3, tmp_path / "in", seed=14)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "broken.pdf").write_bytes(b"%PDF-1.4\n 1 0 obj << /Type /Catalog \x00\x01 truncated")
    bad = tmp_path / "in" / "crash.txt"
    bad.write_text("云溪县2023年政府信息公开工作年度报告\n触发表格阶段故障\n", encoding="utf-8")
    from xxgk.extract import table_parsing
    real = table_parsing.parse_tables

    def parse_tables(norm, sections, tables):
        if "触发表格阶段故障" in norm.text:
            raise ValueError("cannot split the cells")
        return real(norm, sections, tables)

    monkeypatch.setattr(table_parsing, "parse_tables", parse_tables)
    s = build([str(tmp_path / "in"), str(tmp_path / "missing.txt")], str(tmp_path / "st"), workers=0,
              progress=False)
    errors = {Path(p).name: (stage, reason) for p, stage, reason in store.connect(tmp_path / "st").execute(
        "SELECT path, stage, reason FROM errors").fetchall()}
    assert errors["empty.txt"][0] == "read"
    assert errors["broken.pdf"][0] == "read"
    assert errors["missing.txt"] == ("read", "no such file")
    assert errors["crash.txt"] == ("tables", "ValueError: cannot split the cells")
    # the other reports were still analysed (or failed on their own, not because of these)
    assert s.reports + s.errors == 7
    # a second run does not record the same failures again
    again = build([str(tmp_path / "in"), str(tmp_path / "missing.txt")], str(tmp_path / "st"), workers=0,
                  progress=False)
    assert again.errors == 0 and again.skipped == 7


def test_cli_build_exit_status(tmp_path, gen):
    from typer.testing import CliRunner
    from xxgk.extract.cli import app
    gen.generate(2, tmp_path / "in", seed=15)
    runner = CliRunner()
    assert runner.invoke(app, ["corpus", "build", str(tmp_path / "in")]).exit_code == 2   # no --out
    r = runner.invoke(app, ["corpus", "build", str(tmp_path / "nowhere.txt"), "--out", str(tmp_path / "st"),
                            "--workers", "0"])
    assert r.exit_code == 1
    assert "Traceback" not in r.output


# --- crash safety -------------------------------------------------------------------------------

def _build_cmd(src: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "xxgk.extract", "corpus", "build", str(src), "--out", str(out),
            "--workers", "2", "--batch-size", "2", "--commit-seconds", "0", "--no-progress"]


def test_sigkill_at_random_points_then_resume_gives_the_clean_rows(tmp_path, gen):
    gen.generate(24, tmp_path / "in", seed=16)
    src = tmp_path / "in"
    clean = tmp_path / "clean"
    t0 = time.monotonic()
    subprocess.run(_build_cmd(src, clean), check=False, capture_output=True, timeout=600)
    duration = time.monotonic() - t0
    expected = _all_rows(clean)
    assert sum(len(v) for v in expected.values()) >= 24

    crashed = tmp_path / "crashed"
    rng = random.Random()
    kills = []
    for _ in range(3):
        proc = subprocess.Popen(_build_cmd(src, crashed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        delay = rng.uniform(0.1, 0.9) * duration
        time.sleep(delay)
        kills.append(round(delay, 2))
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the builder and its workers, mid-write
        except ProcessLookupError:
            pass
        proc.wait()
    subprocess.run(_build_cmd(src, crashed), check=False, capture_output=True, timeout=600)
    assert _all_rows(crashed) == expected, f"kills at {kills} s of a {duration:.1f} s build"
    assert _visible_files(crashed) == _committed_files(crashed)
    assert not list(crashed.glob(".results-*")) and not list(clean.glob(".results-*"))   # chunk results spooled


def test_recover_rolls_committed_batches_forward_and_drops_the_rest(tmp_path):
    root = tmp_path / "st"
    row = {"path": "a.txt", "sha256": "a" * 64, "xxgk_version": "t", "ruleset_hash": None, "year": 2023,
           "agency": "青禾区教育局", "n_claims": 0, "n_cells": 0, "n_findings": 0}
    with store.Store(root) as st:
        st.commit({"reports": [row]}, ["a" * 64])
    # a committed batch whose renames did not happen: hide its file again
    final = next((root / "reports").glob("year=2023/part-*.parquet"))
    os.replace(final, final.with_name(f".{final.name}.tmp"))
    # an uncommitted batch: a hidden file and a visible file no manifest names
    stray_tmp = root / "reports" / "year=2023" / ".part-deadbeefdeadbeef.parquet.tmp"
    stray_tmp.write_bytes(b"partial")
    stray = root / "reports" / "year=2024" / "part-cafebabecafebabe.parquet"
    stray.parent.mkdir()
    stray.write_bytes(b"orphan")
    with store.Store(root) as st:
        assert st.known_keys() == {"a" * 64}
        assert st.recovered == {"rolled_forward": 1, "removed": 2}
    assert final.exists() and not stray_tmp.exists() and not stray.exists()
    assert [r[0] for r in store.connect(root).execute("SELECT path FROM reports").fetchall()] == ["a.txt"]


def test_second_writer_is_refused(tmp_path):
    with store.Store(tmp_path / "st"):
        with pytest.raises(store.StoreError):
            store.Store(tmp_path / "st").open_for_writing()


# --- agency names -------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("青禾区人民政府办公室", "青禾区政府办公室"),
    ("青禾区 人民政府 办公室", "青禾区人民政府办公室"),
    ("云溪县财政局（县国资办）", "云溪县财政局"),
    ("云溪县財政局", "云溪县财政局"),
    ("松岚经济开发区管理委员会", "松岚经济开发区管委会"),
])
def test_agency_names_normalise_to_one_key(a, b):
    assert normalise_agency(a) == normalise_agency(b)


def test_different_agencies_keep_different_keys():
    assert normalise_agency("青禾区教育局") != normalise_agency("青禾县教育局")
    # a name without a place is qualified by where the report lives
    assert agency_key("区财政局", "/data/青禾市/a.txt") != agency_key("区财政局", "/data/云溪市/a.txt")
    assert agency_key(None, "/d/x/青禾区教育局2022.txt") == agency_key(None, "/d/x/青禾区教育局2023.txt")
    assert agency_key(None, "/d/x/report.txt") is None


# --- cross-year checks --------------------------------------------------------------------------

PROSE_A = ("2023年，青禾区教育局坚持依法公开，主动公开政府信息120条，其中规范性文件5件。"
           "全年围绕教育民生重点领域，及时发布招生入学、学生资助、教师招聘等信息，"
           "健全信息发布审核机制，坚持先审查后公开。依托区政府网站教育专栏和“青禾教育”微信公众号"
           "发布各类信息，回应家长关切。存在的主要问题是政策解读形式较为单一，部分栏目更新不够及时。"
           "下一步将丰富解读形式，加强栏目巡查，提升公开质量。本年度未收取信息处理费。") * 2
PROSE_B = ("2024年，青禾区教育局以公开促落实，推进决策、执行、管理、服务、结果公开。"
           "聚焦义务教育优质均衡发展，发布学区划分方案和课后服务政策，开展政务公开业务培训两次，"
           "规范依申请公开办理流程，答复均在法定期限内完成。平台建设方面，完成网站适老化改造，"
           "新媒体账号统一纳入监管。问题在于基层学校公开意识不足，改进措施是建立学校公开清单制度。"
           "本年度收取信息处理费0元。") * 2


def _facts(year, **cells) -> ReportFacts:
    c = {"t3/carried_over/total": 2, "t3/carried_forward/total": 3,
         "t2/normative_documents/issued": 5, "t2/normative_documents/repealed": 1,
         "t2/normative_documents/in_force": 40, "t2/regulations/issued": 0, "t2/regulations/repealed": 0,
         "t2/regulations/in_force": 0}
    c.update({k.replace("__", "/"): v for k, v in cells.items()})
    return ReportFacts(path=f"{year}.txt", sha256=f"{year:064d}", year=year, agency="青禾区教育局",
                       agency_key="青禾区教育局", cells=c, prose=PROSE_A if year % 2 else PROSE_B)


def _consistent_series() -> list[ReportFacts]:
    y22 = _facts(2022, t3__carried_forward__total=2.0, t2__normative_documents__in_force=36.0)
    y23 = _facts(2023, t3__carried_over__total=2.0, t3__carried_forward__total=3.0,
                 t2__normative_documents__in_force=40.0)
    y24 = _facts(2024, t3__carried_over__total=3.0, t2__normative_documents__issued=2.0,
                 t2__normative_documents__repealed=4.0, t2__normative_documents__in_force=38.0)
    return [y22, y23, y24]


def test_consistent_series_raises_nothing():
    assert check_series(_consistent_series()) == []


def test_x301_carried_over_differs_from_last_years_carried_forward():
    y22, y23, y24 = _consistent_series()
    y24.cells["t3/carried_over/total"] = 7.0
    found = [(cur.year, f.code, f.expected, f.found) for cur, _, f in check_series([y22, y23, y24])]
    assert found == [(2024, "X301", 3, 7)]


def test_x201_stock_chain_break():
    y22, y23, y24 = _consistent_series()
    y23.cells["t2/normative_documents/in_force"] = 45.0   # 36 + 5 - 1 = 40 expected
    found = [(cur.year, f.code, f.expected, f.found, f.severity.value) for cur, _, f in check_series([y22, y23, y24])]
    # 2023 breaks the chain, and 2024 (38 = 40 + 2 - 4) no longer follows the 45 reported for 2023
    assert found == [(2023, "X201", 40, 45, "info"), (2024, "X201", 43, 38, "info")]


def test_x101_prose_copied_from_last_year():
    y22, y23, y24 = _consistent_series()
    y24.prose = PROSE_A.replace("2023年", "2024年").replace("120条", "135条")
    found = [(cur.year, f.code) for cur, _, f in check_series([y22, y23, y24])]
    assert found == [(2024, "X101")]
    f = check_pair(y23, y24)[0]
    assert f.data["similarity"] > 0.85 and f.severity.value == "warning"
    assert similarity(PROSE_A, PROSE_B) < 0.5


def test_years_that_are_not_consecutive_or_other_agencies_are_not_compared():
    y22, y23, y24 = _consistent_series()
    y24.cells["t3/carried_over/total"] = 7.0
    assert check_series([y22, y24]) == []
    y23.agency_key = "云溪县教育局"
    assert check_series([y22, y23, y24]) == []


def _store_with_series(root: Path, series: list[ReportFacts]) -> None:
    rows = {"reports": [], "cells": []}
    for f in series:
        base = {"path": f.path, "sha256": f.sha256, "xxgk_version": "t", "ruleset_hash": None, "year": f.year}
        rows["reports"].append({**base, "agency": f.agency, "agency_key": f.agency_key, "prose": f.prose,
                                "n_cells": len(f.cells)})
        for key, v in f.cells.items():
            t, r, c = key.split("/")
            rows["cells"].append({**base, "table": t, "row": r, "col": c, "value": v})
    with store.Store(root) as st:
        st.commit(rows, [f.sha256 for f in series])


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "csv"])
def test_corpus_check_command_stores_and_prints_findings(tmp_path, fmt):
    from typer.testing import CliRunner
    from xxgk.extract.cli import app
    y22, y23, y24 = _consistent_series()
    y24.cells["t3/carried_over/total"] = 9.0
    _store_with_series(tmp_path / "st", [y22, y23, y24])
    r = CliRunner().invoke(app, ["corpus", "check", str(tmp_path / "st"), "--format", fmt])
    assert r.exit_code == 0, r.output       # X codes are warnings and info: exit 0 by default
    if fmt == "json":
        obj = json.loads(r.output)
        assert obj["file"] == "2024.txt" and [f["code"] for f in obj["findings"]] == ["X301"]
        assert obj["findings"][0]["expected"] == 3 and obj["findings"][0]["found"] == 9
    elif fmt == "jsonl":
        assert [json.loads(line)["findings"][0]["code"] for line in r.output.splitlines()] == ["X301"]
    elif fmt == "csv":
        import csv
        rows = list(csv.reader(r.output.splitlines()))
        assert rows[1][:3] == ["2024.txt", "X301", "warning"]
    else:
        assert r.output.startswith("2024.txt:") and " X301 " in r.output
    stored = store.connect(tmp_path / "st").execute(
        "SELECT code, year, previous_year, previous_path FROM findings_across").fetchall()
    assert stored == [("X301", 2024, 2023, "2023.txt")]
    fail = CliRunner().invoke(app, ["corpus", "check", "--out", str(tmp_path / "st"), "--fail-on", "warning"])
    assert fail.exit_code == 1
    assert CliRunner().invoke(app, ["corpus", "check"]).exit_code == 2


def test_corpus_check_rewrites_findings_instead_of_appending(tmp_path):
    y22, y23, y24 = _consistent_series()
    y24.cells["t3/carried_over/total"] = 9.0
    _store_with_series(tmp_path / "st", [y22, y23, y24])
    across.check_across(tmp_path / "st")
    across.check_across(tmp_path / "st")
    assert len(_rows(tmp_path / "st", "findings_across")) == 1


def test_stats_and_query(tmp_path):
    from typer.testing import CliRunner
    from xxgk.extract.cli import app
    y22, y23, y24 = _consistent_series()
    y23.agency = y23.agency_key = "云溪县教育局"   # 青禾 has 2022 and 2024 only; 云溪 2023 only
    _store_with_series(tmp_path / "st", [y22, y23, y24])
    r = CliRunner().invoke(app, ["corpus", "stats", str(tmp_path / "st"), "--format", "json"])
    assert r.exit_code == 0, r.output
    blocks = {b["title"]: b["rows"] for b in json.loads(r.output)}
    assert [(b["year"], b["reports"]) for b in blocks["reports per year"]] == [(2022, 1), (2023, 1), (2024, 1)]
    missing = {b["agency"]: b["years missing"] for b in blocks["agencies missing a year"]}
    assert missing == {"青禾区教育局": "2023", "云溪县教育局": "2024"}
    r = CliRunner().invoke(app, ["corpus", "query", str(tmp_path / "st"),
                                 'SELECT year, value FROM cells WHERE "row" = \'carried_over\' ORDER BY year',
                                 "--format", "csv"])
    assert r.exit_code == 0 and r.output.splitlines() == ["year,value", "2022,2.0", "2023,2.0", "2024,3.0"]
    bad = CliRunner().invoke(app, ["corpus", "query", str(tmp_path / "st"), "SELEC nonsense"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    nostore = CliRunner().invoke(app, ["corpus", "stats", str(tmp_path / "nothing")])
    assert nostore.exit_code == 2


# --- end to end on a generated multi-year corpus ------------------------------------------------

def test_generated_series_end_to_end(tmp_path, gen):
    """Generated agencies over consecutive years, some with an injected X defect: exactly those are found."""
    truth = gen.generate(40, tmp_path / "in", seed=27, defect_rate=0.5)
    expected = {(Path(t["file"]).name, d) for t in truth for d in t["defects"] if d.startswith("X")}
    assert {c for _, c in expected} == {"X101", "X201", "X301"}
    build([str(tmp_path / "in")], str(tmp_path / "st"), workers=0, progress=False)
    con = store.connect(tmp_path / "st")
    known = con.execute("SELECT count(*) FROM reports WHERE year IS NOT NULL AND agency IS NOT NULL").fetchone()[0]
    cells = con.execute("SELECT count(*) FROM cells").fetchone()[0]
    if known < len(truth) // 2 or cells == 0:
        pytest.skip("the pipeline does not yet read agency, year and tables from these reports")
    results = across.check_across(tmp_path / "st")
    found = {(Path(cur.path).name, f.code) for cur, _, f in results}
    assert found == expected


def test_retry_errors_and_reanalyse_stale_replace_rows_instead_of_adding(tmp_path, gen):
    gen.generate(3, tmp_path / "in", seed=22)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    build([str(tmp_path / "in")], str(tmp_path / "st"), workers=0, progress=False)
    before = _all_rows(tmp_path / "st")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")   # still unreadable: recorded once again, not twice
    s = build([str(tmp_path / "in")], str(tmp_path / "st"), workers=0, progress=False, retry_errors=True)
    assert s.forgotten == 1 and s.errors == 1
    assert _all_rows(tmp_path / "st") == before
    # rows written by another rule set are analysed again and replaced
    import pyarrow as pa
    import pyarrow.parquet as pq
    for f in (tmp_path / "st" / "reports").glob("*/*.parquet"):
        t = pq.read_table(f, partitioning=None)
        t = t.set_column(t.schema.get_field_index("ruleset_hash"), "ruleset_hash",
                         pa.array(["old"] * t.num_rows, type=pa.string()))
        pq.write_table(t, f)
    s = build([str(tmp_path / "in")], str(tmp_path / "st"), workers=0, progress=False, reanalyse_stale=True)
    assert s.forgotten == s.reports + s.errors >= 3
    assert _all_rows(tmp_path / "st") == before
    assert _visible_files(tmp_path / "st") == _committed_files(tmp_path / "st")


def test_name_with_and_without_city_is_one_agency():
    y22, y23, y24 = _consistent_series()
    y23.agency_key = agency_key("青禾区教育局", "/d/a.txt")
    y24.agency_key = agency_key("云溪市青禾区教育局", "/d/b.txt")
    y24.cells["t3/carried_over/total"] = 7.0
    assert [f.code for _, _, f in check_series([y23, y24])] == ["X301"]
    # two longer names end the same way: which city the short one means is unknown, so none is chosen
    other = _facts(2024, t3__carried_over__total=7.0)
    other.agency_key = agency_key("松岚市青禾区教育局", "/d/c.txt")
    assert check_series([y23, y24, other]) == []
    assert agency_key("教育局", "/d/a.txt") != agency_key("教育局", "/e/a.txt")


def test_a_store_written_by_another_engine_is_read_and_left_alone(tmp_path, gen):
    """What a Spark/Dask job mapping rows_for_bytes writes: same layout, its own file names."""
    import uuid

    import pyarrow as pa
    import pyarrow.parquet as pq
    from xxgk.corpus.build import rows_for_bytes
    truth = gen.generate(4, tmp_path / "in", seed=23)
    by_table: dict[str, list[dict]] = {t: [] for t in store.TABLES}
    for t in truth:
        p = tmp_path / "in" / t["file"]
        for table, rows in rows_for_bytes(p.read_bytes(), str(p)).items():
            by_table[table].extend(rows)
    root = tmp_path / "cluster"
    written = []
    for table, rows in by_table.items():
        for r in rows:
            d = root / table / store.partition_name(r["year"])
            d.mkdir(parents=True, exist_ok=True)
            f = d / f"part-00000-{uuid.uuid4()}.c000.snappy.parquet"
            pq.write_table(pa.Table.from_pylist([r], schema=store.schema(table)), f)
            written.append(f)
    assert len(by_table["reports"]) + len(by_table["errors"]) == 4
    assert {r[0] for r in _rows(root, "reports")} == {r["path"] for r in by_table["reports"]}
    across.check_across(root)           # opens the store for writing: recovery must not touch those files
    (tmp_path / "in" / "new.txt").write_text("青禾区2024年政府信息公开工作年度报告\n一、总体情况\n主动公开信息9条。\n",
                                            encoding="utf-8")
    s = build([str(tmp_path / "in")], str(root), workers=0, progress=False)
    assert all(f.exists() for f in written)
    # the reports the other engine stored count as stored: only the new file is analysed
    assert s.skipped == 4 and s.reports + s.errors == 1


def test_generator_names_stay_unique_for_large_corpora(gen):
    agencies = gen.make_agencies(random.Random(1), 20000)
    assert sum(len(a.years) for a in agencies) >= 20000
    assert len({a.name for a in agencies}) == len(agencies)
    assert all(a.years == list(range(a.years[0], a.years[-1] + 1)) for a in agencies)


def test_a_report_that_takes_too_long_is_an_error_not_a_stall(tmp_path, gen, monkeypatch):
    gen.generate(2, tmp_path / "in", seed=24)
    (tmp_path / "in" / "slow.txt").write_text("青禾区2023年政府信息公开工作年度报告\n慢速样本\n", encoding="utf-8")
    from xxgk.extract import claim_extraction
    real = claim_extraction.extract_claims

    def extract_claims(norm, sections):
        if "慢速样本" in norm.text:
            time.sleep(30)
        return real(norm, sections)

    monkeypatch.setattr(claim_extraction, "extract_claims", extract_claims)
    s = build([str(tmp_path / "in")], str(tmp_path / "st"), workers=0, progress=False, timeout=0.5)
    errors = store.connect(tmp_path / "st").execute("SELECT path, stage, reason FROM errors").fetchall()
    assert [(Path(p).name, stage) for p, stage, _ in errors] == [("slow.txt", "claims")]
    assert "timeout" in errors[0][2]
    assert s.reports + s.errors == 3


def _spawned_workers(parent: int) -> list[int]:
    """Pool worker processes (multiprocessing spawn children) of `parent`, from /proc."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            cmd = (d / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and "spawn_main" in cmd:
            out.append(int(d.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_worker_that_dies_is_replaced_and_its_files_analysed_again(tmp_path, gen):
    import threading
    gen.generate(150, tmp_path / "in", seed=25, defect_rate=0)
    events: list[str] = []
    result = {}

    def run():
        result["s"] = build([str(tmp_path / "in")], str(tmp_path / "st"), workers=2, chunk_size=2,
                            batch_size=10, commit_seconds=0, progress=False, on_event=events.append)

    t = threading.Thread(target=run)
    t.start()
    victim = None
    while t.is_alive() and victim is None:
        workers = _spawned_workers(os.getpid())
        if workers and any((tmp_path / "st" / "_manifest").glob("*.json")):   # the workers are analysing
            victim = workers[0]
            os.kill(victim, signal.SIGKILL)
        time.sleep(0.05)
    t.join()
    if not any("died" in e for e in events):
        pytest.skip("the build finished before a worker could be killed")
    s = result["s"]
    assert s.reports + s.errors == 150
    paths = [r[0] for r in store.connect(tmp_path / "st").execute(
        "SELECT path FROM reports UNION ALL SELECT path FROM errors").fetchall()]
    assert len(paths) == len(set(paths)) == 150
    assert not store.connect(tmp_path / "st").execute("SELECT * FROM errors WHERE stage = 'worker'").fetchall()


def test_rows_that_cannot_be_written_cost_one_file_not_the_batch(tmp_path, gen, monkeypatch):
    gen.generate(3, tmp_path / "in", seed=26)
    bad = next((tmp_path / "in").rglob("r000001.*"))
    real = store.Store.commit

    def commit(self, rows, keys):
        if any(rc["base"]["path"] == str(bad) and rc["tables"]["reports"][0] for rc in rows):
            raise ValueError("cannot convert the value")
        return real(self, rows, keys)

    monkeypatch.setattr(store.Store, "commit", commit)
    s = build([str(tmp_path / "in")], str(tmp_path / "st"), workers=0, progress=False)
    assert s.reports == 2 and s.errors == 1
    assert store.connect(tmp_path / "st").execute("SELECT path, stage FROM errors").fetchall() == [
        (str(bad), "store")]


def test_values_of_unexpected_types_are_coerced_not_fatal():
    row = store.coerce("reports", {"path": "a.txt", "published": "2023-01-18T10:00", "n_claims": 3.0,
                                   "size": "12", "year": "2022", "is_government": 1})
    assert row["published"].isoformat() == "2023-01-18" and row["n_claims"] == 3 and row["size"] == 12
    assert row["year"] == 2022 and row["is_government"] is True
    assert store.coerce("reports", {"published": "昨天", "n_claims": 2.5})["published"] is None
    assert store.coerce("cells", {"start": 2**40})["start"] is None


def test_columns_convert_to_arrow_as_rows_are_coerced():
    """The build ships columns, not row dicts: a column holding values of other types converts exactly as
    `coerce` converts them one row at a time (3.5 in an int column is null, not 3)."""
    import datetime as dt
    cols = {"path": ["a.txt", "b.txt", "c.txt"], "published": ["2023-01-18T10:00", dt.datetime(2023, 2, 1, 9), None],
            "n_claims": [3.0, 2.5, 2**40], "size": ["12", True, 7], "is_government": [1, 0, None],
            "title": [5, None, "标题"]}
    t = store.arrow_table("reports", cols, 3).to_pylist()
    for i, got in enumerate(t):
        want = store.coerce("reports", {k: v[i] for k, v in cols.items()})
        assert got == {name: want.get(name) for name, _ in store.COLUMNS["reports"]}
    assert [r["n_claims"] for r in t] == [3, None, None]


def test_build_called_from_a_script_spawn_cannot_reimport_still_completes(tmp_path, gen):
    """`python - < script.py`: spawned workers cannot import the caller's main module; the files are then
    analysed in the calling process instead of all ending up as worker errors."""
    gen.generate(4, tmp_path / "in", seed=28)
    script = (f"from xxgk.corpus.build import build\n"
              f"s = build([{str(tmp_path / 'in')!r}], {str(tmp_path / 'st')!r}, workers=2, progress=False)\n"
              f"print(s.reports + s.errors, s.errors, s.warnings)\n")
    r = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, timeout=300)
    total, errors, warnings = r.stdout.strip().split(" ", 2)
    assert (total, errors) == ("4", "0")
    assert "could not start" in warnings


class _DyingPool:
    """An executor whose worker dies on any chunk holding a file named `poison`: what a crash in native
    code or the OOM killer does to a process pool. Other chunks are analysed in this process."""

    def __init__(self, prov):
        from xxgk.corpus import build as build_module
        self.prov, self.broken = prov, False
        build_module._WORKER.update(prov=prov, encoding="auto", timeout=None)

    def submit(self, fn, *args):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool
        if self.broken:
            raise BrokenProcessPool("the pool is broken")
        f = Future()
        if not args:                      # the start-up ping
            f.set_result(os.getpid())
        elif any("poison" in path for path, _ in args[0]):
            self.broken = True
            f.set_exception(BrokenProcessPool("a child process terminated abruptly"))
        else:
            f.set_result(fn(*args))
        return f

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def test_a_file_that_kills_its_worker_is_the_only_one_recorded(tmp_path, gen):
    import hashlib

    from xxgk.corpus import build as build_module
    gen.generate(12, tmp_path / "in", seed=29, defect_rate=0)
    poison = tmp_path / "in" / "poison.txt"
    poison.write_text("云溪县2023年政府信息公开工作年度报告\n", encoding="utf-8")
    todo = sorted((str(p), hashlib.sha256(p.read_bytes()).hexdigest())
                  for p in (tmp_path / "in").rglob("*") if p.suffix in (".txt", ".md", ".html"))
    prov = {"xxgk_version": "t", "ruleset_hash": None}
    taken: dict[str, dict] = {}
    events: list[str] = []

    class Bar:
        def advance(self, n):
            pass

    build_module._run_pool(todo, 2, 3, prov, "auto", None,
                           lambda key, rows: key is not None and taken.__setitem__(key, rows), Bar(),
                           events.append, make_pool=lambda: _DyingPool(prov))
    assert set(taken) == {sha for _, sha in todo}
    failed = {Path(r["path"]).name: r["stage"] for rc in taken.values() for r in store.rows_of(rc)["errors"]}
    assert failed == {"poison.txt": "worker"}
    assert events and "died" in events[0]


def test_corpus_check_prints_findings_while_a_build_holds_the_store(tmp_path):
    from typer.testing import CliRunner
    from xxgk.extract.cli import app
    y22, y23, y24 = _consistent_series()
    y24.cells["t3/carried_over/total"] = 9.0
    _store_with_series(tmp_path / "st", [y22, y23, y24])
    with store.Store(tmp_path / "st"):
        r = CliRunner().invoke(app, ["corpus", "check", str(tmp_path / "st"), "--format", "jsonl"])
    assert r.exit_code == 0
    assert [json.loads(line)["findings"][0]["code"] for line in r.output.splitlines()
            if line.startswith("{")] == ["X301"]
    assert "not stored" in r.output
    assert _rows(tmp_path / "st", "findings_across") == []


def test_fixture_series_through_the_command_line(tmp_path):
    """tests/fixtures/corpus: one invented agency, 2022 (UTF-8) and 2023 (GB18030); 2023 carries over 2
    applications where 2022 carried 1 forward, shows 35 规范性文件 in force where 30 + 2 − 0 = 32, and
    repeats 2022's prose with the year changed. Each report is consistent on its own."""
    from typer.testing import CliRunner
    from xxgk.extract.cli import app
    runner = CliRunner()
    r = runner.invoke(app, ["corpus", "build", str(FIXTURES), "--out", str(tmp_path / "st"), "--workers", "0"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["corpus", "check", str(tmp_path / "st"), "--format", "json"])
    assert r.exit_code == 0, r.output
    obj = json.loads(r.output)
    assert Path(obj["file"]).name == "云溪县财政局-2023.txt"
    got = {f["code"]: (f["expected"], f["found"]) for f in obj["findings"]}
    assert got.keys() == {"X101", "X201", "X301"}
    assert got["X301"] == (1, 2) and got["X201"] == (32, 35) and got["X101"][1] > 0.85


def test_forget_interrupted_after_its_commit_point_is_completed_on_the_next_open(tmp_path, gen, monkeypatch):
    gen.generate(8, tmp_path / "in", seed=30)
    build([str(tmp_path / "in")], str(tmp_path / "st"), workers=0, progress=False)
    before = _rows(tmp_path / "st", "reports")
    # one report of a year that has others, so that its batch files are rewritten, not just dropped
    victim = store.connect(tmp_path / "st").execute(
        "SELECT min(sha256) FROM reports WHERE year IN (SELECT year FROM reports GROUP BY year HAVING count(*) > 1)"
    ).fetchone()[0]
    assert victim is not None
    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith(".parquet"):
            raise RuntimeError("killed between the manifest and the renames")
        return real_replace(src, dst)

    monkeypatch.setattr(store.os, "replace", replace)
    with pytest.raises(RuntimeError):
        with store.Store(tmp_path / "st") as st:
            st.forget({victim})
    monkeypatch.setattr(store.os, "replace", real_replace)
    with store.Store(tmp_path / "st") as st:
        assert st.recovered["rolled_forward"] > 0
        assert victim not in st.known_keys()
    assert _rows(tmp_path / "st", "reports") == [r for r in before if r[1] != victim]
    assert not store.connect(tmp_path / "st").execute("SELECT * FROM cells WHERE sha256 = ?", [victim]).fetchall()
    assert _visible_files(tmp_path / "st") == _committed_files(tmp_path / "st")


def test_retry_errors_clears_the_error_of_a_file_that_has_since_appeared(tmp_path, gen):
    gen.generate(2, tmp_path / "in", seed=31)
    late = tmp_path / "in" / "late.txt"
    build([str(tmp_path / "in"), str(late)], str(tmp_path / "st"), workers=0, progress=False)
    assert [r[0] for r in store.connect(tmp_path / "st").execute("SELECT reason FROM errors").fetchall()] == [
        "no such file"]
    late.write_text("青禾区2023年政府信息公开工作年度报告\n一、总体情况\n2023年主动公开政府信息15条。\n", encoding="utf-8")
    s = build([str(tmp_path / "in"), str(late)], str(tmp_path / "st"), workers=0, progress=False,
              retry_errors=True)
    assert s.forgotten == 1
    errors = store.connect(tmp_path / "st").execute("SELECT path, reason FROM errors").fetchall()
    assert all(reason != "no such file" for _, reason in errors)
    paths = [r[0] for r in store.connect(tmp_path / "st").execute(
        "SELECT path FROM reports UNION ALL SELECT path FROM errors").fetchall()]
    assert sorted(paths).count(str(late)) == 1 and len(paths) == 3


def test_development_reports_build_and_pair_across_years(shared_dev, tmp_path):
    """The real reports of ../shared (read, never copied): none fails, and the one agency present with two
    consecutive years (its name given once with and once without the city) is paired."""
    s = build([str(shared_dev)], str(tmp_path / "st"), workers=0, progress=False)
    errors = store.connect(tmp_path / "st").execute("SELECT path, stage, reason FROM errors").fetchall()
    assert errors == [] and s.reports > 40
    pairs = {(Path(cur.path).name, Path(prev.path).name) for cur, prev, _ in
             across.check_across(tmp_path / "st", threshold=0.0, select=["X101"], write=False)}
    assert ("hzq2024.pdf", "hzq2023.pdf") in pairs
