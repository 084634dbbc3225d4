# Stage modules are named claim_extraction / table_parsing so that they never shadow the API functions
# claims() and tables() of the package.
"""The Python API: paths in, pandas DataFrames out."""
from __future__ import annotations

from pathlib import Path


def analyse_file(path, *, encoding: str = "auto", stages=None):
    from xxgk.extract import pipeline, read
    data = read.read_bytes(str(path))
    return pipeline.analyse(data, str(path), encoding=encoding,
                            stages=pipeline.ALL_STAGES if stages is None else stages)


def _paths(paths) -> list[str]:
    from xxgk.extract import read
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return read.expand_inputs([str(p) for p in paths])


def claims(paths, *, encoding: str = "auto"):
    """Claims of one or many reports as a DataFrame (one row per claim, `file` first)."""
    import pandas as pd
    rows = []
    for p in _paths(paths):
        a = analyse_file(p, encoding=encoding, stages={"claims"})
        rows += [{"file": a.document.path, **c.to_dict()} for c in a.claims]
    return pd.DataFrame(rows, columns=["file", "type", "value", "unit", "approximate", "parent", "subject",
                                       "section", "sentence", "start", "end", "rule", "text", "line", "col"])


def tables(paths, *, encoding: str = "auto"):
    """Cells of one or many reports as a long DataFrame (file, table, row, col, value)."""
    import pandas as pd
    rows = []
    for p in _paths(paths):
        a = analyse_file(p, encoding=encoding, stages={"tables"})
        rows += [{"file": a.document.path, **c.to_dict()} for c in a.tables.cells]
    return pd.DataFrame(rows, columns=["file", "table", "row", "col", "value"])


def tables_wide(path, *, encoding: str = "auto") -> dict:
    """One report's tables as wide DataFrames {"t2", "t3", "t4"}: template rows × columns, None where empty."""
    import pandas as pd
    from xxgk.models.table import T2_COLS, T2_ROWS, T3_COLS, T3_ROWS, T4_COLS, T4_ROWS
    a = analyse_file(path, encoding=encoding, stages={"tables"})
    got = a.tables.as_dict()
    t2_cols = list(dict.fromkeys(c for cols in T2_COLS.values() for c in cols))
    t3_cols = list(T3_COLS) + (["organisations"] if any(k.endswith("/organisations") for k in got) else [])
    out = {}
    for t, rows, cols in (("t2", T2_ROWS, t2_cols), ("t3", T3_ROWS, t3_cols), ("t4", T4_ROWS, list(T4_COLS))):
        data = [[getattr(got.get(f"{t}/{r}/{c}"), "value", None) for c in cols] for r in rows]
        out[t] = pd.DataFrame(data, index=pd.Index(list(rows), name="row"), columns=cols, dtype=object)
    return out


def check(paths, *, encoding: str = "auto", select=None, ignore=None):
    """Findings of one or many reports as a DataFrame (one row per finding)."""
    import pandas as pd
    from xxgk.extract import pipeline, read
    rows = []
    for p in _paths(paths):
        a = pipeline.analyse(read.read_bytes(p), p, encoding=encoding, select=select, ignore=ignore)
        for f in a.findings:
            d = f.to_dict()
            rows.append({"file": a.document.path, "code": d["code"], "severity": d["severity"],
                         "message": d["message"], "expected": d["expected"], "found": d["found"],
                         "line": f.line, "col": f.col, "evidence": d["evidence"]})
    return pd.DataFrame(rows, columns=["file", "code", "severity", "message", "expected", "found", "line", "col",
                                       "evidence"])
