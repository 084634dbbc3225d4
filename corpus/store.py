"""The corpus store: Parquet tables partitioned by report year, a manifest of committed batches, DuckDB views.

Layout of a store directory::

    DIR/reports/year=2022/part-<batch>.parquet     one row per report
    DIR/claims/year=2022/part-<batch>.parquet      one row per claim
    DIR/cells/year=2022/part-<batch>.parquet       one row per table cell
    DIR/findings/year=2022/part-<batch>.parquet    one row per finding of the per-report checks
    DIR/errors/year=__HIVE_DEFAULT_PARTITION__/…   one row per file that could not be read or analysed
    DIR/findings_across/year=2023/part-0.parquet   X101/X201/X301 findings, rewritten by `xxgk corpus check`
    DIR/_manifest/<batch>.json                     one file per committed batch: its files and sha256s
    DIR/xxgk.duckdb                                DuckDB views over the Parquet files

The directories follow Hive partitioning (`year=…`; a report without a year goes to
`__HIVE_DEFAULT_PARTITION__`, read back as NULL), so Spark, Dask, Polars and DuckDB read them directly.

Crash safety: a batch's Parquet files are first written under hidden names (`.part-<batch>.parquet.tmp`,
ignored by every Parquet reader) and fsynced; then its manifest entry is written atomically (temp file,
fsync, os.replace, directory fsync) — that is the commit point; then the hidden files are renamed to
their final names. On opening, `recover()` rolls committed batches forward (finishes their renames) and
deletes every hidden or final file of this module's naming that no manifest entry names (files another
engine wrote are left alone). A SIGKILL at any moment therefore leaves either the whole batch or none of
it. `forget()` (re-analysis of failed or stale files) rewrites a batch under the same protocol: new hidden
files, the batch's manifest entry replaced atomically, then the renames.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

TABLES = ("reports", "claims", "cells", "findings", "errors")
ACROSS_TABLE = "findings_across"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
MANIFEST_DIR = "_manifest"
DB_NAME = "xxgk.duckdb"
SPOOL_PREFIX = ".results-"   # a build's chunk results on their way from the workers (hidden, removed after)

# Columns every row carries (provenance).
_PROVENANCE = [("path", "string"), ("sha256", "string"), ("xxgk_version", "string"),
               ("ruleset_hash", "string")]

# Column name → Arrow type name. The partition column `year` is not stored in the files (Hive style).
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "reports": _PROVENANCE + [
        ("agency", "string"), ("agency_key", "string"), ("published", "date32"), ("title", "string"),
        ("is_government", "bool"), ("format", "string"), ("encoding", "string"), ("size", "int64"),
        ("template", "string"), ("missing_sections", "string"), ("flags", "string"),
        ("tables_found", "string"), ("n_claims", "int32"), ("n_cells", "int32"), ("n_findings", "int32"),
        ("prose", "string"),
    ],
    "claims": _PROVENANCE + [
        ("idx", "int32"), ("type", "string"), ("value", "string"), ("value_num", "float64"),
        ("unit", "string"), ("approximate", "bool"), ("parent", "int32"), ("subject", "string"),
        ("section", "string"), ("sentence", "string"), ("start", "int32"), ("end", "int32"),
        ("line", "int32"), ("col", "int32"), ("rule", "string"), ("text", "string"),
    ],
    "cells": _PROVENANCE + [
        ("table", "string"), ("row", "string"), ("col", "string"), ("value", "float64"), ("raw", "string"),
        ("inferred", "bool"), ("start", "int32"), ("end", "int32"),
    ],
    "findings": _PROVENANCE + [
        ("code", "string"), ("severity", "string"), ("message", "string"), ("expected", "string"),
        ("found", "string"), ("evidence", "string"), ("data", "string"), ("line", "int32"), ("col", "int32"),
    ],
    "errors": _PROVENANCE + [("stage", "string"), ("reason", "string")],
    ACROSS_TABLE: _PROVENANCE + [
        ("agency_key", "string"), ("code", "string"), ("severity", "string"), ("message", "string"),
        ("expected", "string"), ("found", "string"), ("evidence", "string"), ("data", "string"),
        ("previous_path", "string"), ("previous_sha256", "string"), ("previous_year", "int32"),
    ],
}

_OWN_PART = re.compile(r"^part-[0-9a-f]{16}(-[0-9a-f]{8})?\.parquet$")
_OWN_TMP = re.compile(r"^\.part-[0-9a-f]{16}(-[0-9a-f]{8})?\.parquet\.tmp$")

_DUCKDB_TYPES = {"string": "VARCHAR", "date32": "DATE", "bool": "BOOLEAN", "int64": "BIGINT",
                 "int32": "INTEGER", "float64": "DOUBLE"}


class StoreError(Exception):
    """A store that cannot be opened or written; the message is one line a person can act on."""


def schema(table: str):
    import pyarrow as pa
    types = {"string": pa.string(), "date32": pa.date32(), "bool": pa.bool_(), "int64": pa.int64(),
             "int32": pa.int32(), "float64": pa.float64()}
    return pa.schema([(name, types[t]) for name, t in COLUMNS[table]])


def _to_date(v):
    import datetime as dt
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def _to_int(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, float) and not v.is_integer():
        raise ValueError(v)
    return int(v)


_COERCE = {"string": str, "date32": _to_date, "bool": bool, "int64": _to_int, "int32": _to_int, "float64": float}


# Python types that already are a column's Arrow type (exact types: a bool is not an int64 here).
_ALREADY = {"string": str, "bool": bool, "int64": int, "float64": float}


def coerce_value(typ: str, v: Any) -> Any:
    """One value in the column type `typ`; None when it does not convert."""
    if v is None or type(v) is _ALREADY.get(typ):  # the common case: nothing to convert
        return v
    try:
        v = _COERCE[typ](v)
    except (TypeError, ValueError, OverflowError):
        return None
    if typ == "int32" and not -2**31 <= v < 2**31:
        return None
    return v


def coerce_year(y: Any) -> int | None:
    if y is None or (isinstance(y, int) and not isinstance(y, bool)):
        return y
    try:
        return _to_int(y)
    except (TypeError, ValueError, OverflowError):
        return None


def coerce(table: str, row: dict) -> dict:
    """The row with every column in its Arrow type; a value that does not convert becomes None, so that a
    stage returning an unexpected type costs one value, not the batch."""
    out = dict(row)
    for name, typ in COLUMNS[table]:
        v = out.get(name)
        if v is not None:
            out[name] = coerce_value(typ, v)
    if out.get("year") is not None:
        out["year"] = coerce_year(out["year"])
    return out


@lru_cache(maxsize=1)
def _exact_types() -> dict[str, frozenset[type]]:
    import datetime as dt
    none = type(None)
    return {"string": frozenset({str, none}), "date32": frozenset({dt.date, none}),
            "bool": frozenset({bool, none}), "int64": frozenset({int, none}), "int32": frozenset({int, none}),
            "float64": frozenset({float, none})}


def arrow_table(table: str, columns: dict[str, Any], n: int):
    """Columns (name → n values, or a _Repeated) → an Arrow table of `table`'s schema; a missing column is all
    null. Values
    are converted as `coerce` would; the common case (every value already of the column's type) goes to
    Arrow untouched."""
    import pyarrow as pa
    sch = schema(table)
    arrays = []
    for (name, typ), f in zip(COLUMNS[table], sch):
        values = columns.get(name)
        if values is None:
            arrays.append(pa.nulls(n, f.type))
            continue
        if isinstance(values, _Repeated):
            arrays.append(arrow_column(typ, f.type, values.values).take(values.index()))
            continue
        arrays.append(arrow_column(typ, f.type, values))
    return pa.Table.from_arrays(arrays, schema=sch)


def arrow_column(typ: str, arrow_type, values: list):
    """One column's values (converted as `coerce` would) → an Arrow array of `arrow_type`."""
    import pyarrow as pa
    if not _exact_types()[typ].issuperset(map(type, values)):
        values = [coerce_value(typ, v) for v in values]
    try:
        return pa.array(values, type=arrow_type)
    except (pa.ArrowInvalid, OverflowError):   # an int beyond int32
        return pa.array([coerce_value(typ, v) for v in values], type=arrow_type)


class _Repeated:
    """A column that holds one value per report, each repeated over the report's rows (path, sha256 …):
    converted once per report and spread by Arrow, not once per row."""
    __slots__ = ("values", "counts")

    def __init__(self, values: list, counts: list[int]):
        self.values, self.counts = values, counts

    def index(self):
        import numpy as np
        return np.repeat(np.arange(len(self.counts), dtype=np.int32), self.counts)


def partition_name(year: Any) -> str:
    return f"year={int(year)}" if isinstance(year, int) and not isinstance(year, bool) else f"year={NULL_PARTITION}"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _rows_table(table: str, rows: list[dict]):
    """Row dicts → an Arrow table of `table`'s schema, converted as `arrow_table` converts columns."""
    return arrow_table(table, {name: [r.get(name) for r in rows] for name, _ in COLUMNS[table]}, len(rows))


def report_columns(year: Any, base: dict[str, Any], tables: dict[str, tuple[int, dict[str, list]]]) -> dict:
    """One report's rows, column by column: the year (its partition), the columns every row carries with
    one value (`base`: path, sha256, provenance) and, per table, (row count, {column: values})."""
    return {"year": year, "base": base, "tables": tables}


def rows_of(rc: dict) -> dict[str, list[dict]]:
    """`report_columns` → {table: [row dicts]} (coerced, with `year`), as engines other than the build use."""
    out: dict[str, list[dict]] = {t: [] for t in TABLES}
    for table, (n, cols) in rc["tables"].items():
        names = list(cols)
        for i in range(n):
            row = {**rc["base"], "year": rc["year"], **{k: cols[k][i] for k in names}}
            out[table].append(coerce(table, row))
    return out


def _parts_of_reports(reports: list[dict]) -> dict[tuple[str, str], Any]:
    """(table, year partition) → Arrow table, from per-report column sets: the columns of all reports of a
    partition are concatenated, then converted once."""
    grouped: dict[tuple[str, str], list[tuple[dict, int, dict]]] = {}
    for rc in reports:
        part = partition_name(coerce_year(rc["year"]))
        for table, (n, cols) in rc["tables"].items():
            if n:
                grouped.setdefault((table, part), []).append((rc["base"], n, cols))
    out = {}
    for (table, part), items in grouped.items():
        total = sum(n for _, n, _ in items)
        counts = [n for _, n, _ in items]
        columns: dict[str, Any] = {}
        for name, _ in COLUMNS[table]:
            if all(name not in cols for _, _, cols in items):     # a per-report value: path, sha256 …
                columns[name] = _Repeated([base.get(name) for base, _, _ in items], counts)
                continue
            col: list = []
            for base, n, cols in items:
                v = cols.get(name)
                col.extend(v if v is not None else [base.get(name)] * n)
            columns[name] = col
        out[(table, part)] = arrow_table(table, columns, total)
    return out


def _parts_of_rows(rows: dict[str, list[dict]]) -> dict[tuple[str, str], Any]:
    out = {}
    for table in TABLES:
        by_year: dict[str, list[dict]] = {}
        for r in rows.get(table, []):
            by_year.setdefault(partition_name(r.get("year")), []).append(r)
        for part, prow in by_year.items():
            out[(table, part)] = _rows_table(table, prow)
    return out


def _pa_strings(values):
    import pyarrow as pa
    return pa.array(list(values), type=pa.string())


def _write_arrow(t, dest: Path) -> None:
    import pyarrow.parquet as pq
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "wb") as f:
        pq.write_table(t, f, compression="zstd")
        f.flush()
        os.fsync(f.fileno())


def _atomic_write_text(dest: Path, text: str) -> None:
    tmp = dest.with_name(f".{dest.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, dest)
    _fsync_dir(dest.parent)


class Store:
    """A store directory. Use as a context manager for writing: it takes an exclusive lock and recovers."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self._lock_fd: int | None = None
        self._known: set[str] | None = None
        self.recovered: dict[str, int] = {}   # what opening for writing had to repair

    # --- locking and recovery ---------------------------------------------------------------
    def __enter__(self) -> "Store":
        self.open_for_writing()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open_for_writing(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            (self.root / MANIFEST_DIR).mkdir(exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create store directory {self.root}: {e.strerror or e}") from None
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreError(f"another xxgk process is writing to {self.root}") from None
        self._lock_fd = fd
        self.recovered = self.recover()

    def close(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def manifest(self) -> list[dict]:
        """The committed batches (unreadable entries, which only a damaged disk leaves, are skipped)."""
        out = []
        d = self.root / MANIFEST_DIR
        if not d.is_dir():
            return out
        for p in sorted(d.glob("*.json")):
            try:
                out.append(json.loads(p.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
        return out

    def recover(self) -> dict[str, int]:
        """Finish committed batches, drop uncommitted ones. Returns counts of what it did."""
        done = {"rolled_forward": 0, "removed": 0}
        wanted: set[Path] = set()
        for entry in self.manifest():
            paths = [self.root / rel for rel in entry.get("files", [])]
            if any(not p.exists() and not p.with_name(f".{p.name}.tmp").exists() for p in paths):
                # a committed file vanished (deleted by hand, damaged disk): forget the whole batch so
                # that its reports are analysed again rather than silently missing
                (self.root / MANIFEST_DIR / f"{entry.get('batch')}.json").unlink(missing_ok=True)
                done["dropped_batches"] = done.get("dropped_batches", 0) + 1
                continue
            for final in paths:
                wanted.add(final)
                if not final.exists():
                    os.replace(final.with_name(f".{final.name}.tmp"), final)
                    done["rolled_forward"] += 1
        for table in TABLES:
            tdir = self.root / table
            if not tdir.is_dir():
                continue
            for part in tdir.iterdir():
                if not part.is_dir():
                    continue
                for f in part.iterdir():
                    # only names this module writes: files another engine wrote (Spark's part-00000-….parquet,
                    # Dask's part.0.parquet) are left alone
                    if (_OWN_TMP.match(f.name) or _OWN_PART.match(f.name)) and f not in wanted:
                        f.unlink()
                        done["removed"] += 1
                if not any(part.iterdir()):
                    part.rmdir()
        for f in (self.root / MANIFEST_DIR).glob(".*.tmp"):
            f.unlink()
        for d in self.root.glob(f"{SPOOL_PREFIX}*"):   # chunk results of a build that was killed
            shutil.rmtree(d, ignore_errors=True)
        if done["rolled_forward"] or done["removed"]:
            for table in TABLES:
                if (self.root / table).is_dir():
                    _fsync_dir(self.root / table)
        self._known = None
        return done

    # --- reading what is there ---------------------------------------------------------------
    def known_keys(self) -> set[str]:
        """sha256s (and `path:` keys of files that could not even be hashed) already in the store: those of
        the committed batches, plus those in files another engine wrote (a store built on a cluster)."""
        if self._known is None:
            self._known = {k for e in self.manifest() for k in e.get("sha256", [])} | self._foreign_keys()
        return self._known

    def _foreign_keys(self) -> set[str]:
        import pyarrow.parquet as pq
        keys: set[str] = set()
        for table in ("reports", "errors"):
            for f in (self.root / table).glob("*/*.parquet"):
                if _OWN_PART.match(f.name):
                    continue
                t = pq.read_table(f, columns=["sha256", "path"], partitioning=None)
                for sha, path in zip(t["sha256"].to_pylist(), t["path"].to_pylist()):
                    keys.add(sha if sha is not None else f"path:{os.path.abspath(path or '')}")
        return keys

    # --- writing a batch ---------------------------------------------------------------------
    def commit(self, rows: dict[str, list[dict]] | list[dict], keys: Iterable[str]) -> str:
        """Write one batch atomically. `rows` is either {table: [row dicts with a `year` key]} or a list of
        per-report column sets (`report_columns`, what the build ships from its workers)."""
        batch = uuid.uuid4().hex[:16]
        files: list[tuple[Path, Path]] = []
        parts = _parts_of_rows(rows) if isinstance(rows, dict) else _parts_of_reports(rows)
        counts = dict.fromkeys(TABLES, 0)
        for (table, part), t in sorted(parts.items(), key=lambda kv: (TABLES.index(kv[0][0]), kv[0][1])):
            counts[table] += t.num_rows
            final = self.root / table / part / f"part-{batch}.parquet"
            tmp = final.with_name(f".{final.name}.tmp")
            _write_arrow(t, tmp)
            files.append((tmp, final))
        # the files' directory entries, and those of new year=… directories, before the commit point
        for d in {f.parent for _, f in files} | {f.parent.parent for _, f in files}:
            _fsync_dir(d)
        keys = sorted(set(keys))
        entry = {"batch": batch, "files": [str(f.relative_to(self.root)) for _, f in files],
                 "sha256": keys, "rows": counts}
        _atomic_write_text(self.root / MANIFEST_DIR / f"{batch}.json", json.dumps(entry, ensure_ascii=False))
        # committed: make the files visible
        for tmp, final in files:
            os.replace(tmp, final)
        for d in {f.parent for _, f in files}:
            _fsync_dir(d)
        if self._known is not None:
            self._known.update(keys)
        return batch

    def forget(self, keys: set[str]) -> int:
        """Remove every row of these files (sha256s, or `path:` keys) so that the next build analyses them
        again. Each affected batch is rewritten under the same protocol as a commit: new hidden files, then
        the batch's manifest entry replaced atomically, then the renames. Returns how many keys were dropped."""
        import pyarrow.compute as pc
        import pyarrow.parquet as pq
        dropped = 0
        for entry in self.manifest():
            drop = set(entry.get("sha256", [])) & keys
            if not drop:
                continue
            dropped += len(drop)
            new_id = uuid.uuid4().hex[:8]
            files, renames, old = [], [], []
            path_keys = {k[5:] for k in drop if k.startswith("path:")}
            for rel in entry.get("files", []):
                src = self.root / rel
                t = pq.read_table(src, partitioning=None)
                mask = pc.is_in(t["sha256"], value_set=_pa_strings(drop))
                if path_keys:
                    abspaths = _pa_strings(os.path.abspath(p) if p is not None else "" for p in
                                           t["path"].to_pylist())
                    unhashed = pc.and_(pc.is_null(t["sha256"]), pc.is_in(abspaths, value_set=_pa_strings(path_keys)))
                    mask = pc.or_(pc.fill_null(mask, False), unhashed)
                keep = t.filter(pc.invert(pc.fill_null(mask, False)))
                if keep.num_rows == t.num_rows:
                    files.append(rel)
                    continue
                old.append(src)
                if keep.num_rows:
                    final = src.with_name(f"part-{entry['batch']}-{new_id}.parquet")
                    tmp = final.with_name(f".{final.name}.tmp")
                    _write_arrow(keep, tmp)
                    renames.append((tmp, final))
                    files.append(str(final.relative_to(self.root)))
            manifest = self.root / MANIFEST_DIR / f"{entry['batch']}.json"
            left = sorted(set(entry.get("sha256", [])) - drop)
            if left:
                entry = {**entry, "files": files, "sha256": left}
                _atomic_write_text(manifest, json.dumps(entry, ensure_ascii=False))
            else:
                manifest.unlink()
                _fsync_dir(manifest.parent)
                for f in [self.root / rel for rel in entry.get("files", [])] + [t for t, _ in renames]:
                    f.unlink(missing_ok=True)
                continue
            for tmp, final in renames:
                os.replace(tmp, final)
            for f in old:
                f.unlink(missing_ok=True)
        self._known = None
        return dropped

    def write_across(self, rows: list[dict]) -> None:
        """Replace the cross-report findings (derived data, rewritten whole by each `corpus check`)."""
        import shutil
        dest = self.root / ACROSS_TABLE
        tmp = self.root / f".{ACROSS_TABLE}.tmp"
        old = self.root / f".{ACROSS_TABLE}.old"
        for d in (tmp, old):
            if d.exists():
                shutil.rmtree(d)
        by_year: dict[str, list[dict]] = {}
        for r in rows:
            by_year.setdefault(partition_name(r.get("year")), []).append(r)
        tmp.mkdir(parents=True)
        for part, prow in sorted(by_year.items()):
            _write_arrow(_rows_table(ACROSS_TABLE, prow), tmp / part / "part-0.parquet")
        if dest.exists():
            os.replace(dest, old)
        os.replace(tmp, dest)
        _fsync_dir(self.root)
        if old.exists():
            shutil.rmtree(old)


# --- DuckDB ------------------------------------------------------------------------------------

def _empty_select(table: str) -> str:
    cols = ", ".join(f'CAST(NULL AS {_DUCKDB_TYPES[t]}) AS "{n}"' for n, t in COLUMNS[table])
    return f"SELECT {cols}, CAST(NULL AS INTEGER) AS year WHERE false"


def _has_files(root: Path, table: str) -> bool:
    d = root / table
    return d.is_dir() and any(d.glob("*/*.parquet"))


def spark_ddl(table: str) -> str:
    """The table's columns as a Spark DDL string (with the partition column `year`), for engines that write
    the same layout: spark.createDataFrame(rows, store.spark_ddl("claims"))."""
    spark = {"string": "STRING", "date32": "DATE", "bool": "BOOLEAN", "int64": "BIGINT", "int32": "INT",
             "float64": "DOUBLE"}
    return ", ".join([f"`{n}` {spark[t]}" for n, t in COLUMNS[table]] + ["`year` INT"])


def view_sql(root: str | os.PathLike, table: str) -> str:
    root = Path(root).resolve()
    if not _has_files(root, table):
        return f'CREATE OR REPLACE VIEW "{table}" AS {_empty_select(table)}'
    glob = str(root / table / "*" / "*.parquet").replace("'", "''")
    # union_by_name keeps older batches readable after a column is added to a table
    return (f'CREATE OR REPLACE VIEW "{table}" AS SELECT * FROM read_parquet(\'{glob}\', '
            f"hive_partitioning = true, union_by_name = true, hive_types = {{'year': INTEGER}})")


def connect(root: str | os.PathLike, database: str = ":memory:"):
    """A DuckDB connection with one view per table of the store at `root`."""
    import duckdb
    root = Path(root)
    if not (root / MANIFEST_DIR).is_dir() and not (root / "reports").is_dir():
        raise StoreError(f"{root} is not a corpus store (run `xxgk corpus build … --out {root}` first)")
    con = duckdb.connect(database)
    for table in TABLES + (ACROSS_TABLE,):
        con.execute(view_sql(root, table))
    return con


def refresh_database(root: str | os.PathLike) -> str | None:
    """(Re)create the views in DIR/xxgk.duckdb. Returns a warning when the file is busy, else None."""
    try:
        con = connect(root, str(Path(root) / DB_NAME))
    except Exception as e:  # a reader holding the file open: the Parquet files are complete anyway
        return f"could not update {DB_NAME}: {str(e).splitlines()[0]}"
    con.close()
    return None
