"""The command line on real-world inputs: bad input gives exit 2 and one line on stderr, the rest still runs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.extract.cli import app

REPORT = Path(__file__).parent / "fixtures" / "reading" / "qinghe_2023.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    nodir = tmp_path / "no-reports"
    nodir.mkdir()
    (nodir / "readme.json").write_text("{}")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:  # sparse: 51 MB on paper, nothing on disk
        f.truncate(51 * 1024 * 1024)
    return {"empty": empty, "binary": binary, "dir": nodir, "missing": tmp_path / "missing.txt", "huge": huge}


def _jsonl(out: str) -> dict[str, dict]:
    objs = [json.loads(line) for line in out.splitlines() if line.strip()]
    return {Path(o["file"]).name: o for o in objs}


def test_bad_inputs_each_get_one_line_and_the_good_one_is_still_processed(runner, bad_inputs):
    args = ["claims", *map(str, bad_inputs.values()), str(REPORT), "--format", "jsonl"]
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    err = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(err) == len(bad_inputs)
    assert "Traceback" not in res.stderr and "Traceback" not in res.stdout
    expected = {"empty": "empty file", "binary": "binary file", "dir": "directory holds no reports",
                "missing": "no such file", "huge": "larger than the 50 MB limit"}
    for key, words in expected.items():
        line = next(x for x in err if str(bad_inputs[key]) in x)
        assert words in line
    got = _jsonl(res.stdout)
    good = got[REPORT.name]
    assert good["report"] == {"agency": "青禾区人民政府", "year": 2023, "published": "2024-01-26"}


def test_invalid_bytes_in_the_declared_encoding(runner, tmp_path):
    p = tmp_path / "gb.txt"
    p.write_bytes(REPORT.read_text(encoding="utf-8").encode("gb18030"))
    res = runner.invoke(app, ["claims", str(p), "--encoding", "utf-8", "--format", "json"])
    assert res.exit_code == 2
    assert res.stderr.strip().endswith("not valid utf-8 at byte 0")
    res = runner.invoke(app, ["claims", str(p), "--format", "json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["report"]["agency"] == "青禾区人民政府"


def test_stdin_with_a_reported_name(runner):
    res = runner.invoke(app, ["tables", "-", "--stdin-filename", "青禾区.txt", "--format", "jsonl"],
                        input=REPORT.read_bytes())
    assert res.exit_code == 0
    assert list(_jsonl(res.stdout)) == ["青禾区.txt"]


def test_inspect_json(runner, tmp_path):
    p = tmp_path / "utf16.txt"
    p.write_bytes(REPORT.read_text(encoding="utf-8").encode("utf-16"))
    res = runner.invoke(app, ["inspect", str(p), "--format", "json"])
    assert res.exit_code == 0
    d = json.loads(res.stdout)
    assert (d["format"], d["encoding"]) == ("text", "utf-16")
    assert d["report"]["agency"] == "青禾区人民政府" and d["report"]["period_end"] == "2023-12-31"
    assert [s["id"] for s in d["sections"]] == list("一二三四五六") and d["missing"] == []
    assert [c["id"] for c in d["sections"][0]["children"]][:2] == ["一.(一)", "一.(二)"]
    assert d["sections"][0]["line"] == 6  # line in the user's file
    assert d["sections"][1]["table_lines"] == 4
    kinds = {c["kind"]: c["line"] for c in d["chrome_removed"]}
    assert kinds["breadcrumb"] == 1 and kinds["metadata"] == 3 and kinds["footer"] == 33


def test_inspect_table_view_and_bad_input(runner, tmp_path):
    res = runner.invoke(app, ["inspect", str(REPORT)])
    assert res.exit_code == 0
    assert "青禾区人民政府" in res.stdout and "总体情况" in res.stdout
    res = runner.invoke(app, ["inspect", str(tmp_path / "nope.txt")])
    assert res.exit_code == 2
    assert res.stderr.count("\n") == 1 and "no such file" in res.stderr


def test_inspect_runs_on_every_dev_file(runner, shared_dev):
    files = sorted(p for p in shared_dev.iterdir() if p.suffix in {".txt", ".html", ".pdf", ".md", ".htm"})
    assert files
    for p in files:
        res = runner.invoke(app, ["inspect", str(p), "--format", "json"])
        assert res.exit_code == 0, (p.name, res.stderr)
        assert json.loads(res.stdout)["file"] == str(p)
