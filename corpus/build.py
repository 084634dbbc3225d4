"""Many reports → the corpus store. Hashes inputs, skips sha256s already stored, maps the pure per-report
function `xxgk.extract.pipeline.analyse` over worker processes, commits rows in atomic batches.

A file that cannot be read, that raises in a stage, that runs past the per-file time limit or that kills
its worker process is recorded in the `errors` table (path, sha256, stage, reason) and the run goes on.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from xxgk.corpus.store import SPOOL_PREFIX, TABLES, Store, report_columns, rows_of

DEFAULT_BATCH_SIZE = 1000      # reports per committed batch (fewer, larger Parquet files)
DEFAULT_COMMIT_SECONDS = 30.0  # …or sooner, so that a kill loses at most this much work
DEFAULT_FILE_TIMEOUT = 120.0   # seconds one report may take before it is recorded as an error

# The module that raised, as seen from pipeline.analyse → the stage recorded in `errors`.
_STAGE_OF_MODULE = {
    "xxgk.extract.read": "read", "xxgk.extract.normalize": "normalize", "xxgk.extract.sections": "sections",
    "xxgk.extract.metadata": "metadata", "xxgk.extract.table_parsing": "tables",
    "xxgk.extract.claim_extraction": "claims", "xxgk.extract.checks": "checks",
}
_STAGE_OF_FUNCTION = {
    "decode": "read", "normalize": "normalize", "find_sections": "sections", "extract_metadata": "metadata",
    "parse_tables": "tables", "extract_claims": "claims", "run_checks": "checks",
}
_PROSE_SECTIONS = ("一", "五", "六")


@dataclass
class BuildSummary:
    inputs: int = 0
    skipped: int = 0            # already in the store (same sha256)
    duplicates: int = 0         # same bytes as another input of this run
    reports: int = 0
    claims: int = 0
    cells: int = 0
    findings: int = 0
    errors: int = 0
    batches: int = 0
    seconds: float = 0.0
    recovered: dict[str, int] = field(default_factory=dict)
    forgotten: int = 0          # files removed from the store to be analysed again (--retry-errors …)
    warnings: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return (self.reports + self.errors) / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        return (f"{self.reports} reports, {self.claims} claims, {self.cells} cells, {self.findings} findings, "
                f"{self.errors} errors; {self.skipped} skipped (already stored), {self.duplicates} duplicates; "
                f"{self.seconds:.1f} s, {self.rate:.1f} reports/s")


# --- provenance ---------------------------------------------------------------------------------

def xxgk_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("xxgk")
    except PackageNotFoundError:
        return "unknown"


def ruleset_hash() -> str | None:
    """sha256 (first 16 hex digits) over the shipped rule files, so rows say which rules produced them."""
    try:
        from importlib.resources import files
        root = files("xxgk.rules")
        h = hashlib.sha256()
        names = sorted(p.name for p in root.iterdir() if p.name.endswith((".yaml", ".yml", ".txt")))
        if not names:
            return None
        for name in names:
            h.update(name.encode() + b"\0" + root.joinpath(name).read_bytes() + b"\0")
        return h.hexdigest()[:16]
    except Exception:
        return None


# --- one report → rows --------------------------------------------------------------------------

def _json(v: Any) -> str | None:
    return None if v is None else json.dumps(v, ensure_ascii=False, default=str)


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


def prose_of(a) -> str:
    """The prose of sections 一, 五 and 六 (the whole text when sections were not found), table rows removed."""
    text = a.normalized.text
    parts = [text[s.start:s.end] for sid in _PROSE_SECTIONS if (s := a.sections.get(sid)) is not None]
    body = "\n".join(parts) if parts else text
    keep = [ln.strip() for ln in body.splitlines()
            if ln.count("|") < 2 and ln.strip() and not ln.strip().replace(" ", "").isdigit()]
    return "\n".join(keep)


def analysis_columns(a, path: str, sha: str, prov: dict) -> dict:
    """One analysed report's store rows, column by column (`store.report_columns`): lists per column ship
    between processes and convert to Arrow far more cheaply than a dict per row."""
    from xxgk.corpus.across import agency_key
    rep = a.report
    report = {
        "agency": rep.agency, "agency_key": agency_key(rep.agency, path), "published": rep.published,
        "title": rep.title, "is_government": bool(rep.is_government), "format": a.document.format,
        "encoding": a.document.encoding, "size": a.document.size, "template": a.sections.template,
        "missing_sections": ",".join(a.sections.missing), "flags": ",".join(a.normalized.flags),
        "tables_found": _json(a.tables.found) if a.tables.found else None,
        "n_claims": len(a.claims), "n_cells": len(a.tables.cells), "n_findings": len(a.findings),
        "prose": prose_of(a),
    }
    cl, ce, fi = a.claims, a.tables.cells, a.findings
    claims = {"idx": list(range(len(cl))), "type": [c.type for c in cl], "value": [_json(c.value) for c in cl],
              "value_num": [_num(c.value) for c in cl], "unit": [c.unit for c in cl],
              "approximate": [bool(c.approximate) for c in cl], "parent": [c.parent for c in cl],
              "subject": [c.subject for c in cl], "section": [c.section for c in cl],
              "sentence": [c.sentence for c in cl], "start": [c.start for c in cl], "end": [c.end for c in cl],
              "line": [c.line for c in cl], "col": [c.col for c in cl], "rule": [c.rule for c in cl],
              "text": [c.text for c in cl]}
    cells = {"table": [c.table for c in ce], "row": [c.row for c in ce], "col": [c.col for c in ce],
             "value": [_num(c.value) for c in ce], "raw": [c.raw for c in ce],
             "inferred": [bool(c.inferred) for c in ce], "start": [c.start for c in ce],
             "end": [c.end for c in ce]}
    findings = {"code": [f.code for f in fi], "severity": [getattr(f.severity, "value", f.severity) for f in fi],
                "message": [f.message for f in fi], "expected": [_json(f.expected) for f in fi],
                "found": [_json(f.found) for f in fi],
                "evidence": [_json([e.to_dict() for e in f.evidence]) for f in fi],
                "data": [_json(f.data or None) for f in fi], "line": [f.line for f in fi],
                "col": [f.col for f in fi]}
    return report_columns(rep.year, {"path": path, "sha256": sha, **prov},
                          {"reports": (1, {k: [v] for k, v in report.items()}), "claims": (len(cl), claims),
                           "cells": (len(ce), cells), "findings": (len(fi), findings), "errors": (0, {})})


def error_columns(path: str, sha: str | None, prov: dict, stage: str, reason: str) -> dict:
    tables = {t: (0, {}) for t in TABLES} | {"errors": (1, {"stage": [stage], "reason": [reason[:500]]})}
    return report_columns(None, {"path": path, "sha256": sha, **prov}, tables)


def _stage_of(exc: BaseException) -> str:
    """Which pipeline stage raised: the module of the frame right below `analyse` in the traceback."""
    from xxgk.extract.read import InputError
    if isinstance(exc, InputError):
        return "read"
    tb, below_analyse = exc.__traceback__, False
    while tb is not None:
        frame = tb.tb_frame
        if below_analyse:
            if frame.f_code.co_name in _STAGE_OF_FUNCTION:
                return _STAGE_OF_FUNCTION[frame.f_code.co_name]
            mod = frame.f_globals.get("__name__", "")
            for prefix, stage in _STAGE_OF_MODULE.items():
                if mod == prefix or mod.startswith(prefix + "."):
                    return stage
            return mod or "pipeline"
        if frame.f_code.co_name == "analyse" and frame.f_globals.get("__name__") == "xxgk.extract.pipeline":
            below_analyse = True
        tb = tb.tb_next
    return "pipeline" if below_analyse else "build"


class _Timeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Timeout()


def analyse_file(path: str, sha: str, prov: dict, encoding: str = "auto",
                 timeout: float | None = DEFAULT_FILE_TIMEOUT) -> dict:
    """Read and analyse one file → its `report_columns`; never raises for a problem of that file (it becomes
    an `errors` row)."""
    from xxgk.extract import read
    try:
        data = read.read_bytes(path)
    except Exception as e:
        return error_columns(path, sha, prov, "read", str(e) or type(e).__name__)
    return _columns_for_bytes(data, path, prov, encoding, timeout)


def rows_for_bytes(data: bytes, path: str, prov: dict | None = None, *, encoding: str = "auto",
                   timeout: float | None = None) -> dict[str, list[dict]]:
    """The store rows of one report: {"reports": […], "claims": […], "cells": […], "findings": […],
    "errors": […]}, each row a dict with the table's columns plus `year`. Pure (bytes in, rows out) and never
    raises for a problem of the report, so an engine can map it over (path, bytes) pairs."""
    return rows_of(_columns_for_bytes(data, path, prov, encoding, timeout))


def _columns_for_bytes(data: bytes, path: str, prov: dict | None, encoding: str, timeout: float | None) -> dict:
    from xxgk.extract import pipeline, read
    if prov is None:
        prov = {"xxgk_version": xxgk_version(), "ruleset_hash": ruleset_hash()}
    sha = hashlib.sha256(data).hexdigest()  # the bytes actually analysed
    use_alarm = bool(timeout) and threading.current_thread() is threading.main_thread()
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        a = pipeline.analyse(data, path, encoding=encoding)
        return analysis_columns(a, path, sha, prov)
    except _Timeout as e:
        return error_columns(path, sha, prov, _stage_of(e), f"timeout: analysis took more than {timeout:g} s")
    except RecursionError as e:
        return error_columns(path, sha, prov, _stage_of(e), "RecursionError")
    except Exception as e:
        msg = str(e).splitlines()[0] if str(e) else ""
        reason = msg if isinstance(e, read.InputError) else f"{type(e).__name__}: {msg}".rstrip(": ")
        return error_columns(path, sha, prov, _stage_of(e), reason)
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)


# --- worker processes ---------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(prov: dict, encoding: str, timeout: float | None) -> None:
    """Once per worker process: ignore Ctrl-C (the parent handles it) and warm the pipeline up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER.update(prov=prov, encoding=encoding, timeout=timeout)
    _warm_up()


def _warm_up() -> None:
    """Import the pipeline and load its lazy state (rule files, tables) before the first report. jieba is not
    loaded: claims are read by the rules over characters, so its dictionary (0.5 s a worker) is never used."""
    try:
        from xxgk.extract import pipeline
        pipeline.analyse(_WARMUP.encode("utf-8"), "warmup.txt")
    except Exception:
        pass


_WARMUP = ("青禾区2023年政府信息公开工作年度报告\n一、总体情况\n2023年，主动公开政府信息120条。\n"
           "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
           "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n")


def _work(items: list[tuple[str, str]], spool: str) -> str:
    """Analyse a chunk; its rows go to a file in `spool` and only the file's name goes back through the
    pool's result pipe. A worker killed while sending a large result would leave half a message in the pipe
    and the pipe's lock held, and the whole pool would hang; a short name is written at once."""
    import pickle
    import uuid
    out = []
    for path, sha in items:
        out.append((sha, analyse_file(path, sha, _WORKER["prov"], _WORKER["encoding"], _WORKER["timeout"])))
    dest = os.path.join(spool, f"{os.getpid()}-{uuid.uuid4().hex}.pickle")
    with open(dest + ".tmp", "wb") as f:
        pickle.dump(out, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(dest + ".tmp", dest)
    return dest


def _results(name: str) -> list[tuple[str, dict]]:
    import pickle
    with open(name, "rb") as f:
        out = pickle.load(f)
    os.unlink(name)
    return out


# --- the build ----------------------------------------------------------------------------------

def _hash(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


class _Buffer:
    """Rows waiting for the next commit, per file."""

    def __init__(self):
        self.items: list[tuple[str, dict[str, list[dict]]]] = []
        self.since = time.monotonic()

    def add(self, key: str, columns: dict) -> None:
        self.items.append((key, columns))

    def __len__(self) -> int:
        return len(self.items)


def build(inputs: list[str], out: str, *, workers: int | None = None, globs: tuple[str, ...] | None = None,
          encoding: str = "auto", batch_size: int = DEFAULT_BATCH_SIZE,
          commit_seconds: float = DEFAULT_COMMIT_SECONDS, timeout: float | None = DEFAULT_FILE_TIMEOUT,
          chunk_size: int | None = None, progress: bool | None = None, retry_errors: bool = False,
          reanalyse_stale: bool = False,
          on_event: Callable[[str], None] | None = None) -> BuildSummary:
    """Analyse every input not yet in the store at `out` and commit the rows. `workers=0` runs in-process.

    `retry_errors`: files recorded in `errors` are analysed again (their error rows are removed first).
    `reanalyse_stale`: files analysed by another xxgk version or rule set are analysed again."""
    from xxgk.extract import read
    summary = BuildSummary()
    t0 = time.monotonic()
    log = on_event or (lambda msg: None)
    prov = {"xxgk_version": xxgk_version(), "ruleset_hash": ruleset_hash()}
    paths = read.expand_inputs(list(inputs), globs or read.DEFAULT_GLOBS)
    summary.inputs = len(paths)
    with Store(out) as store:
        summary.recovered = {k: v for k, v in store.recovered.items() if v}
        hashed: list[tuple[str, str, OSError | None]] = []   # (path, key, error)
        hashing = _ProgressBar(len(paths) if len(paths) > 1000 else 0, progress, "hashing", "files")
        for p in paths:
            hashing.advance(1)
            if p == "-":
                summary.warnings.append("standard input is not read: a store is built from files")
                continue
            try:
                hashed.append((p, _hash(p), None))
            except OSError as e:
                hashed.append((p, f"path:{os.path.abspath(p)}", e))
        hashing.stop()
        if retry_errors or reanalyse_stale:
            # only files given now: rows of files not among the inputs stay as they are
            given = {k for _, k, _ in hashed} | {f"path:{os.path.abspath(p)}" for p, _, _ in hashed}
            redo = _keys_to_redo(out, prov, retry_errors, reanalyse_stale) & given
            summary.forgotten = store.forget(redo) if redo else 0
        known = store.known_keys()
        buf = _Buffer()
        todo: list[tuple[str, str]] = []
        seen: set[str] = set()
        for p, key, err in hashed:
            if key in known:
                summary.skipped += 1
            elif key in seen:
                summary.duplicates += 1
            elif err is not None:
                seen.add(key)
                reason = "no such file" if isinstance(err, FileNotFoundError) else f"cannot read: {err.strerror or err}"
                if os.path.isdir(p):
                    reason = "directory holds no reports"
                buf.add(key, error_columns(p, None, prov, "read", reason))
            else:
                seen.add(key)
                todo.append((p, key))

        def take(key: str | None, rows: dict | None) -> None:
            if key is not None:
                buf.add(key, rows)
            if len(buf) >= batch_size or (len(buf) and time.monotonic() - buf.since >= commit_seconds):
                flush()

        def commit(items) -> None:
            store.commit([rc for _, rc in items], [k for k, _ in items])
            summary.batches += 1
            for t in TABLES:
                setattr(summary, t, getattr(summary, t) + sum(rc["tables"][t][0] for _, rc in items))

        def flush() -> None:
            if not len(buf):
                return
            try:
                commit(buf.items)
            except OSError:
                raise  # disk full, permissions: nothing per file about it
            except Exception as e:
                # rows Parquet would not take: commit file by file, and record the files that still fail
                log(f"a batch could not be written ({type(e).__name__}: {e}); writing it file by file")
                for key, rows in buf.items:
                    try:
                        commit([(key, rows)])
                    except OSError:
                        raise
                    except Exception as e1:
                        base = rows["base"]
                        commit([(key, error_columns(base.get("path", key), base.get("sha256"), prov, "store",
                                                 f"{type(e1).__name__}: {e1}"))])
            buf.__init__()

        bar = _ProgressBar(len(todo), progress)
        try:
            n = workers if workers is not None else default_workers()
            if n <= 0 or len(todo) <= 1:
                for p, sha in todo:
                    take(sha, analyse_file(p, sha, prov, encoding, timeout))
                    bar.advance(1)
            else:
                try:
                    _run_pool(todo, min(n, len(todo)), chunk_size, prov, encoding, timeout, take, bar, log,
                              spool_in=str(store.root))
                except _PoolUnavailable as e:
                    log("worker processes could not start; analysing in this process instead")
                    summary.warnings.append("worker processes could not start; the files were analysed in "
                                            "one process")
                    for p, sha in e.left:
                        take(sha, analyse_file(p, sha, prov, encoding, timeout))
                        bar.advance(1)
            flush()
        finally:
            bar.stop()
    from xxgk.corpus.store import refresh_database
    warn = refresh_database(out)
    if warn:
        summary.warnings.append(warn)
    summary.seconds = time.monotonic() - t0
    return summary


def _keys_to_redo(out: str, prov: dict, errors: bool, stale: bool) -> set[str]:
    from xxgk.corpus.store import connect
    con = connect(out)
    keys: set[str] = set()
    try:
        if errors:
            for sha, path in con.execute("SELECT sha256, path FROM errors").fetchall():
                keys.add(sha if sha is not None else f"path:{os.path.abspath(path)}")
        if stale:
            cond = "xxgk_version IS DISTINCT FROM ? OR ruleset_hash IS DISTINCT FROM ?"
            args = [prov["xxgk_version"], prov["ruleset_hash"]]
            for (sha,) in con.execute(f"SELECT sha256 FROM reports WHERE {cond} UNION "
                                      f"SELECT sha256 FROM errors WHERE sha256 IS NOT NULL AND ({cond})",
                                      args + args).fetchall():
                keys.add(sha)
    finally:
        con.close()
    return keys


def _ping() -> int:
    return os.getpid()


class _PoolUnavailable(Exception):
    def __init__(self, left: list[tuple[str, str]]):
        super().__init__("worker processes could not start")
        self.left = left


def _run_pool(todo, n, chunk_size, prov, encoding, timeout, take, bar, log, make_pool=None,
              spool_in: str | None = None) -> None:
    """Map `_work` over chunks in `n` processes. When a worker dies, the files that were in flight are
    retried one at a time; a file that kills the worker while alone in the pool becomes an `errors` row."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    size = chunk_size or max(1, min(16, len(todo) // (n * 8) or 1))
    pending = deque(todo[i:i + size] for i in range(0, len(todo), size))
    suspects: deque = deque()   # files that were in flight when a worker died, retried one at a time
    ctx = multiprocessing.get_context("spawn")  # no fork of a parent holding threads and open files

    def new_pool():
        if make_pool is not None:
            return make_pool()
        return ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init_worker,
                                   initargs=(prov, encoding, timeout))

    pool = new_pool()
    try:
        # a task that reads no file: if it fails, the workers cannot start at all (e.g. a spawned process
        # cannot re-import the calling script), and no file is to blame
        pool.submit(_ping).result()
    except BrokenProcessPool:
        pool.shutdown(wait=False, cancel_futures=True)
        raise _PoolUnavailable(todo) from None
    in_flight: dict = {}        # future -> (chunk, is_suspect)
    # chunk results (see _work), in the store when there is one: a killed build's are removed on reopening
    spool = tempfile.mkdtemp(prefix=SPOOL_PREFIX, dir=spool_in)
    try:
        while pending or suspects or in_flight:
            pool_broken = False
            try:
                if suspects:     # alone in the pool, so that a death names its file
                    if not in_flight:
                        item = suspects.popleft()
                        in_flight[pool.submit(_work, [item], spool)] = ([item], True)
                else:
                    while pending and len(in_flight) < n * 3:
                        chunk = pending.popleft()
                        try:
                            in_flight[pool.submit(_work, chunk, spool)] = (chunk, False)
                        except BrokenProcessPool:
                            pending.appendleft(chunk)
                            raise
            except BrokenProcessPool:  # a worker died since the last wait
                pool_broken = True
            done, _ = wait(list(in_flight), timeout=1.0, return_when=FIRST_COMPLETED) if in_flight else ((), ())
            broken = []
            for fut in done:
                chunk, suspect = in_flight.pop(fut)
                try:
                    results = _results(fut.result())
                except BrokenProcessPool:
                    broken.append((chunk, suspect))
                    continue
                for sha, rows in results:
                    take(sha, rows)
                bar.advance(len(chunk))
            if not done:
                take(None, None)  # no result this second: still commit on time
            if broken or pool_broken:
                # every chunk still in flight died with the pool
                broken += list(in_flight.values())
                in_flight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
                log(f"a worker process died; retrying {sum(len(c) for c, _ in broken)} files one at a time")
                for chunk, suspect in broken:
                    if suspect:
                        path, sha = chunk[0]
                        take(sha, error_columns(path, sha, prov, "worker",
                                             "the worker process died while analysing this file "
                                             "(out of memory or a crash in native code)"))
                        bar.advance(1)
                    else:
                        suspects.extend(chunk)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(spool, ignore_errors=True)


class _ProgressBar:
    """A rich progress bar on stderr with rate and ETA; silent when stderr is not a terminal."""

    def __init__(self, total: int, enabled: bool | None, what: str = "analysing", unit: str = "reports"):
        self.p = None
        if enabled is None:
            enabled = sys.stderr.isatty()
        if not enabled or total == 0:
            return
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def render(self, task):
                speed = task.finished_speed or task.speed
                return Text(f"{speed:.1f} {unit}/s" if speed else f"– {unit}/s", style="progress.data.speed")

        self.p = Progress(TextColumn(f"[bold]{what}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                          TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                          console=Console(stderr=True), transient=what != "analysing")
        self.p.start()
        self.task = self.p.add_task(unit, total=total)

    def advance(self, n: int) -> None:
        if self.p:
            self.p.advance(self.task, n)

    def stop(self) -> None:
        if self.p:
            self.p.stop()
            self.p = None
