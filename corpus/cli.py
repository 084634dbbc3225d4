"""`xxgk corpus …` commands. Kept light: heavy imports happen inside the commands."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from xxgk.extract.formats import CheckFormat as AcrossFormat  # the same choices as `xxgk check`
from xxgk.extract.formats import FailOn, TableFormat

app = typer.Typer(help="Build and query a corpus of many reports (Parquet + DuckDB); cross-year checks.",
                  no_args_is_help=True)


STORE_ARG = typer.Argument(..., help="The store directory (written by `xxgk corpus build --out DIR`).")
OPTIONAL_STORE_ARG = typer.Argument(None, help="The store directory (written by `xxgk corpus build --out DIR`).",
                                    show_default=False)
OUT_OPT = typer.Option(None, "--out", help="The store directory, as an option (same as the argument).")


def _store_dir(arg: Optional[Path], out: Optional[Path]) -> Path:
    if arg is not None and out is not None and arg != out:
        _die("give the store directory once (argument or --out)")
    if arg is None and out is None:
        _die("missing the store directory (xxgk corpus … DIR)")
    return arg if arg is not None else out


def _die(msg: str, code: int = 2):
    print(f"xxgk: {msg}", file=sys.stderr)
    raise typer.Exit(code)


def _internal(e: Exception) -> str:
    first = str(e).splitlines()[0] if str(e) else ""
    return f"internal error: {type(e).__name__}: {first}".rstrip(": ")


def _open_output(output: Optional[Path]):
    if output is None:
        return sys.stdout
    try:
        return open(output, "w", encoding="utf-8", newline="")
    except OSError as e:
        _die(f"{output}: {e.strerror or e}")


def _codes(values: Optional[List[str]]) -> Optional[List[str]]:
    if not values:
        return None
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


@app.command()
def build(inputs: List[str] = typer.Argument(..., help="Report files, directories (searched recursively) or "
                                                       "glob patterns.", show_default=False),
          out: Path = typer.Option(..., "--out", help="Store directory (created if missing; resumed if present)."),
          workers: Optional[int] = typer.Option(None, "--workers", "--jobs", "-j",
                                                help="Worker processes (default: all cores; 0 = in this process)."),
          glob: str = typer.Option("*.txt,*.html,*.htm,*.md,*.pdf", "--glob",
                                   help="Comma-separated file patterns used when an input is a directory."),
          encoding: str = typer.Option("auto", "--encoding", help="auto, utf-8, gb18030 or utf-16."),
          batch_size: int = typer.Option(1000, "--batch-size", min=1,
                                         help="Reports per committed batch (one Parquet file per table and year)."),
          commit_seconds: float = typer.Option(30.0, "--commit-seconds", min=0.0,
                                               help="Commit at least this often, so a kill loses little work."),
          timeout: float = typer.Option(120.0, "--timeout", min=0.0,
                                        help="Seconds one report may take before it is recorded as an error "
                                             "(0: no limit)."),
          progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                                  help="Progress bar on stderr (default: when it is a terminal)."),
          retry_errors: bool = typer.Option(False, "--retry-errors",
                                            help="Analyse again the files recorded in the errors table."),
          reanalyse_stale: bool = typer.Option(False, "--reanalyse-stale",
                                               help="Analyse again the files stored by another xxgk version or "
                                                    "rule set (their old rows are replaced).")):
    """Many reports → Parquet tables (reports, claims, cells, findings, errors; partitioned by year) and
    DIR/xxgk.duckdb. Resumes: files whose sha256 is already stored are skipped. Exit 0; 1 if a file failed."""
    from xxgk.corpus.build import build as run_build
    from xxgk.corpus.store import StoreError
    if encoding not in ("auto", "utf-8", "gb18030", "utf-16"):
        _die(f"unknown --encoding {encoding!r} (auto, utf-8, gb18030, utf-16)")
    globs = tuple(g.strip() for g in glob.split(",") if g.strip())
    try:
        s = run_build(inputs, str(out), workers=workers, globs=globs, encoding=encoding, batch_size=batch_size,
                      commit_seconds=commit_seconds, timeout=timeout or None, progress=progress,
                      retry_errors=retry_errors, reanalyse_stale=reanalyse_stale,
                      on_event=lambda m: print(f"xxgk: {m}", file=sys.stderr))
    except StoreError as e:
        _die(str(e))
    except OSError as e:
        _die(f"{out}: {e.strerror or e}")
    except Exception as e:  # damaged store files, a library failure: one line, never a traceback
        _die(_internal(e))
    if s.recovered:
        print(f"xxgk: recovered the store after an interrupted run ({s.recovered})", file=sys.stderr)
    if s.forgotten:
        print(f"xxgk: {s.forgotten} stored files will be analysed again", file=sys.stderr)
    for w in s.warnings:
        print(f"xxgk: warning: {w}", file=sys.stderr)
    print(f"xxgk corpus build: {s.line()} → {out}", file=sys.stderr)
    raise typer.Exit(1 if s.errors else 0)


@app.command()
def check(store: Optional[Path] = OPTIONAL_STORE_ARG, out: Optional[Path] = OUT_OPT,
          format: AcrossFormat = typer.Option(AcrossFormat.text, "--format", "-f", help="Output format."),
          output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to FILE instead of stdout."),
          select: Optional[List[str]] = typer.Option(None, "--select", help="Only these codes or prefixes."),
          ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Skip these codes or prefixes."),
          threshold: float = typer.Option(0.85, "--threshold", min=0.0, max=1.0,
                                          help="X101: prose similarity (Jaccard of character 5-grams) at or "
                                               "above which two years count as near-identical."),
          fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="Lowest severity that makes the exit 1."),
          exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when findings fail the run.")):
    """Cross-year checks X301, X201, X101 over consecutive years of each agency; findings are printed and
    stored (table findings_across). Exit 0; 1 when a finding reaches --fail-on; 2 bad store/usage."""
    from xxgk.corpus.across import check_across, save_across
    from xxgk.corpus.store import StoreError
    store = _store_dir(store, out)
    try:
        results = check_across(store, select=_codes(select), ignore=_codes(ignore), threshold=threshold,
                               write=False)
    except StoreError as e:
        _die(str(e))
    except Exception as e:
        _die(_internal(e))
    try:
        save_across(store, results)
    except StoreError as e:  # a build is writing: the findings are still worth printing
        print(f"xxgk: warning: findings not stored: {e}", file=sys.stderr)
    except Exception as e:
        print(f"xxgk: warning: findings not stored: {_internal(e)}", file=sys.stderr)
    stream = _open_output(output)
    try:
        write_findings(results, format.value, stream)
    finally:
        if stream is not sys.stdout:
            stream.close()
    levels = {"error"} if fail_on == FailOn.error else {"error", "warning"}
    bad = any(f.severity.value in levels for _, _, f in results)
    raise typer.Exit(1 if bad and not exit_zero else 0)


def write_findings(results, fmt: str, out) -> None:
    """Print cross-report findings with the same writer (and so the same shapes) as `xxgk check`."""
    from xxgk.extract.report import Writer
    from xxgk.models import Analysis, Document, NormalizedText, Report, SectionMap, TableResult
    by_report: dict[str, Analysis] = {}
    for cur, _prev, f in results:
        a = by_report.get(cur.sha256)
        if a is None:
            doc = Document(path=cur.path, sha256=cur.sha256, format="", encoding="", text="")
            a = Analysis(document=doc, normalized=NormalizedText(text="", offsets=[0], original=""),
                         report=Report(agency=cur.agency, year=cur.year), sections=SectionMap(sections=[]),
                         tables=TableResult())
            by_report[cur.sha256] = a
        a.findings.append(f)
    writer = Writer("check", fmt, out)
    for a in by_report.values():
        writer.add(a)
    writer.close()


@app.command()
def stats(store: Optional[Path] = OPTIONAL_STORE_ARG, out: Optional[Path] = OUT_OPT,
          format: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="table or json (csv: "
                                                                                    "one section per block)."),
          top: int = typer.Option(20, "--top", min=1, help="How many rows of the longer lists.")):
    """Reports per year, claims per type, most frequent findings, errors per stage, and agencies missing a
    year (a year of the corpus after the agency's first report for which it has none)."""
    from xxgk.corpus.query import stats as compute
    from xxgk.corpus.store import StoreError
    store = _store_dir(store, out)
    try:
        blocks = compute(store, top=top)
    except StoreError as e:
        _die(str(e))
    except Exception as e:
        _die(_internal(e))
    from xxgk.corpus.query import render_blocks
    render_blocks(blocks, format.value, sys.stdout)


@app.command()
def query(store: Path = STORE_ARG,
          sql: str = typer.Argument(..., help='SQL over the views reports, claims, cells, findings, errors, '
                                              'findings_across (quote "table" and "row").'),
          format: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="Output format."),
          output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to FILE instead of stdout.")):
    """Run SQL over the store through DuckDB."""
    from xxgk.corpus.query import QueryError, run_query
    from xxgk.corpus.store import StoreError
    try:
        columns, rows = run_query(store, sql)
    except (StoreError, QueryError) as e:
        _die(str(e))
    except Exception as e:
        _die(_internal(e))
    from xxgk.corpus.query import render_blocks
    stream = _open_output(output)
    try:
        render_blocks([("", columns, rows)], format.value, stream, single=True)
    finally:
        if stream is not sys.stdout:
            stream.close()
