"""The `xxgk` command line. Argument parsing, --format dispatch and exit codes; no domain logic.

Heavy modules (spaCy, pandas, pdfplumber) are imported inside the commands that need them, so that
`xxgk --help` stays fast.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from xxgk.extract.formats import CheckFormat, ClaimsFormat, Encoding, FailOn, InspectFormat

app = typer.Typer(
    name="xxgk",
    help="Audit government information-disclosure annual reports (政府信息公开工作年度报告).\n\n"
         "Reads a report (text, Markdown, HTML or PDF; UTF-8, GBK/GB18030 or UTF-16), extracts the claims "
         "its prose makes and the cells of its three tables, and checks them against each other.\n\n"
         "Start with:  xxgk check report.txt    or    xxgk inspect report.txt",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


FILES_ARG = typer.Argument(..., help="Report files, directories (searched recursively), glob patterns, or - for stdin.",
                           show_default=False)
OUTPUT_OPT = typer.Option(None, "--output", "-o", help="Write to FILE (UTF-8) instead of standard output.")
ENCODING_OPT = typer.Option(Encoding.auto, "--encoding", help="Input encoding; auto detects UTF-8/GB18030/UTF-16.")
GLOB_OPT = typer.Option("*.txt,*.html,*.htm,*.md,*.pdf", "--glob",
                        help="Comma-separated file patterns used when an input is a directory.")
STDIN_NAME_OPT = typer.Option(None, "--stdin-filename", help="Name to report for input read from stdin.")


def _eprint(msg: str) -> None:
    print(msg, file=sys.stderr)


def _open_output(output: Optional[Path]):
    if output is None:
        return sys.stdout
    return open(output, "w", encoding="utf-8", newline="")


def _run(command: str, files: List[str], fmt: str, output: Optional[Path], encoding: Encoding, glob: str,
         stdin_filename: Optional[str], **check_opts):
    """Analyse each input, stream it to the writer; returns (severities of the findings, any input failed)."""
    from xxgk.extract import pipeline, read
    from xxgk.extract.checks import baseline as bl
    from xxgk.extract.report import Writer

    stages = {"claims": {"claims"}, "tables": {"tables"}, "check": pipeline.ALL_STAGES}[command]
    paths = read.expand_inputs(files, tuple(g.strip() for g in glob.split(",") if g.strip()))
    known, baselined = _baseline_start(check_opts)
    out = _open_output(output)
    writer = Writer(command, fmt, out)
    failed = False
    severities: set[str] = set()  # what the findings reached; analyses are not kept (thousands of inputs)
    progress = _progress(len(paths))
    try:
        for path in paths:
            shown = (stdin_filename or "-") if path == "-" else path
            try:
                data = read.read_bytes(path)
                a = pipeline.analyse(data, shown, encoding=encoding.value, stages=stages,
                                     select=check_opts.get("select"), ignore=check_opts.get("ignore"))
            except read.InputError as e:
                _eprint(f"xxgk: {shown}: {e}")
                writer.add_error(shown, str(e))
                failed = True
                continue
            except Exception as e:  # an internal failure on one input must not stop the others
                _eprint(f"xxgk: {shown}: internal error: {type(e).__name__}: {e}")
                writer.add_error(shown, f"internal error: {type(e).__name__}: {e}")
                failed = True
                continue
            finally:
                if progress:
                    progress.advance()
            if check_opts.get("update_baseline"):
                baselined += bl.entries(a.document.path, a.findings)
                a.findings = []
            elif known is not None:
                a.findings = bl.new_findings(a.document.path, a.findings, known)
            severities.update(f.severity.value for f in a.findings)
            writer.add(a)
        writer.close()
        if check_opts.get("update_baseline"):
            bl.write(check_opts["baseline"], baselined)
            _eprint(f"xxgk: wrote {len(baselined)} findings to baseline {check_opts['baseline']}")
    finally:
        if progress:
            progress.stop()
        if out is not sys.stdout:
            out.close()
    return severities, failed


def _baseline_start(check_opts):
    """(fingerprints of the --baseline file or None, list collecting entries for --update-baseline)."""
    path = check_opts.get("baseline")
    if check_opts.get("update_baseline") and path is None:
        raise typer.BadParameter("--update-baseline needs --baseline FILE")
    if path is None or check_opts.get("update_baseline"):
        return None, []
    from xxgk.extract.checks import baseline as bl
    try:
        return bl.load(path), []
    except bl.BaselineError as e:
        _eprint(f"xxgk: {e}")
        raise typer.Exit(2)


class _Progress:
    def __init__(self, total: int):
        from rich.console import Console
        from rich.progress import Progress
        self.p = Progress(transient=True, console=Console(stderr=True))  # stdout carries only data
        self.p.start()
        self.task = self.p.add_task("reading reports", total=total)

    def advance(self):
        self.p.advance(self.task)

    def stop(self):
        self.p.stop()


def _progress(n: int):
    """A progress bar on stderr, only for many inputs and only when stderr is a terminal."""
    if n > 1 and sys.stderr.isatty():
        return _Progress(n)
    return None


@app.command()
def claims(files: List[str] = FILES_ARG,
           format: ClaimsFormat = typer.Option(ClaimsFormat.text, "--format", "-f", help="Output format."),
           output: Optional[Path] = OUTPUT_OPT, encoding: Encoding = ENCODING_OPT, glob: str = GLOB_OPT,
           stdin_filename: Optional[str] = STDIN_NAME_OPT):
    """Extract the narrative claims of the prose (counts, fees, plans …), SPEC §3."""
    _, failed = _run("claims", files, format.value, output, encoding, glob, stdin_filename)
    raise typer.Exit(2 if failed else 0)


@app.command()
def tables(files: List[str] = FILES_ARG,
           format: ClaimsFormat = typer.Option(ClaimsFormat.text, "--format", "-f", help="Output format."),
           output: Optional[Path] = OUTPUT_OPT, encoding: Encoding = ENCODING_OPT, glob: str = GLOB_OPT,
           stdin_filename: Optional[str] = STDIN_NAME_OPT):
    """Read tables 2, 3 and 4 into canonical cells (table/row/col/value), SPEC §2."""
    _, failed = _run("tables", files, format.value, output, encoding, glob, stdin_filename)
    raise typer.Exit(2 if failed else 0)


def _codes(values: Optional[List[str]]) -> Optional[List[str]]:
    if not values:
        return None
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


@app.command()
def check(files: List[str] = FILES_ARG,
          format: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="Output format."),
          output: Optional[Path] = OUTPUT_OPT, encoding: Encoding = ENCODING_OPT, glob: str = GLOB_OPT,
          stdin_filename: Optional[str] = STDIN_NAME_OPT,
          select: Optional[List[str]] = typer.Option(None, "--select", help="Only these codes or prefixes (T3, P)."),
          ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Skip these codes or prefixes."),
          fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="Lowest severity that makes the exit 1."),
          exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when findings fail the run."),
          baseline: Optional[Path] = typer.Option(
              None, "--baseline", help="Report only findings not in this baseline file; with --update-baseline, "
                                       "write the current findings to it."),
          update_baseline: bool = typer.Option(False, "--update-baseline",
                                               help="Write the current findings to the --baseline file.")):
    """Run every check (SPEC §4) and report findings. Exit 0: no error; 1: an error finding; 2: bad input."""
    severities, failed = _run("check", files, format.value, output, encoding, glob, stdin_filename,
                           select=_codes(select), ignore=_codes(ignore), baseline=baseline,
                           update_baseline=update_baseline)
    if failed:
        raise typer.Exit(2)
    levels = {"error"} if fail_on == FailOn.error else {"error", "warning"}
    bad = bool(severities & levels)
    raise typer.Exit(1 if bad and not exit_zero else 0)


@app.command()
def inspect(file: str = typer.Argument(..., help="One report file, or - for stdin."),
            format: InspectFormat = typer.Option(InspectFormat.table, "--format", "-f"),
            encoding: Encoding = ENCODING_OPT, stdin_filename: Optional[str] = STDIN_NAME_OPT):
    """Show what xxgk read: format, encoding, metadata, sections, table blocks, chrome removed."""
    from xxgk.extract import pipeline, read
    shown = (stdin_filename or "-") if file == "-" else file
    try:
        a = pipeline.analyse(read.read_bytes(file), shown, encoding=encoding.value, stages=frozenset({"tables"}))
    except read.InputError as e:
        _eprint(f"xxgk: {shown}: {e}")
        raise typer.Exit(2)
    except Exception as e:  # no traceback reaches the user
        _eprint(f"xxgk: {shown}: internal error: {type(e).__name__}: {e}")
        raise typer.Exit(2)
    from xxgk.extract import inspect as inspect_view
    inspect_view.render(a, format.value, sys.stdout)


rules_app = typer.Typer(help="Rule files: list them, run their examples.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


@rules_app.command("list")
def rules_list(format: InspectFormat = typer.Option(InspectFormat.table, "--format", "-f")):
    """Every claim type, rule id and check code with a one-line summary."""
    from xxgk.extract import ruleset
    raise typer.Exit(ruleset.list_rules(format.value, sys.stdout))


@rules_app.command("test")
def rules_test(paths: Optional[List[Path]] = typer.Argument(None, help="Rule files or directories "
                                                                      "(default: the shipped rules)."),
               format: str = typer.Option("text", "--format", "-f", help="text or json")):
    """Run the examples and counterexamples embedded in rule files. Exit 0 all pass, 1 a failure, 2 invalid file."""
    from xxgk.extract import ruleset
    raise typer.Exit(ruleset.test_rules(paths or [], format, sys.stdout))


@app.command()
def explain(name: str = typer.Argument(..., help="A check code (T303), a claim type (request.received), "
                                                  "or 'all' for every check code."),
            format: str = typer.Option("text", "--format", "-f", help="text or json (markdown for 'all')")):
    """Explain a check code or a claim type: what it means, its severity or rules, an example."""
    from xxgk.extract import checks
    raise typer.Exit(checks.explain(name, format, sys.stdout))


def _add_corpus_app() -> None:
    from xxgk.corpus.cli import app as corpus_app
    app.add_typer(corpus_app, name="corpus")


_add_corpus_app()


def main():
    try:
        app()
    except KeyboardInterrupt:
        _eprint("xxgk: interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
