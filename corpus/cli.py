"""`xxgk corpus …` commands. Kept light: heavy imports happen inside the commands. (stub)"""
from __future__ import annotations

import typer

app = typer.Typer(help="Build and query a corpus of many reports (Parquet + DuckDB); cross-year checks.",
                  no_args_is_help=True)


@app.command()
def build():
    """Many reports → Parquet + DuckDB store. (not yet)"""
    raise typer.Exit(2)
