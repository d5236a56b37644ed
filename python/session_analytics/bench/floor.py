"""The floor: plain DuckDB reading every landed file into tables, nothing else.

The same text types as the staging readers (macros/landing/*.sql): CSV with every
column as VARCHAR (``all_varchar``, ``union_by_name``), a ``.json`` document as its
text (``read_text``), a ``.jsonl`` file as one JSON text per line
(``read_json_objects``). No typing, checks, keys or lineage beyond the file name: the
unavoidable cost of ingest that the dbt build is compared with.

Run as ``python -m session_analytics.bench.floor --db F --landing D`` (the benchmark
runs it in a child process to measure it like dbt); prints ``{table: rows}`` as JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FloorTable", "create_tables", "floor_tables", "main", "run_floor"]

CSV_SUFFIXES = (".csv",)
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl",)


@dataclass(frozen=True)
class FloorTable:
    """One table of the floor: a folder's files of one kind and the SQL reading them."""

    name: str
    files: tuple[Path, ...]
    select_sql: str


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _file_list(files: tuple[Path, ...]) -> str:
    return "[" + ", ".join(_quote(str(path)) for path in files) + "]"


def _table_name(folder: str, kind: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", f"{folder}__{kind}".lower())


def floor_tables(landing_dir: Path) -> list[FloorTable]:
    """The floor's tables of every landing folder (sorted, empty kinds left out)."""
    tables: list[FloorTable] = []
    for folder in sorted(p for p in Path(landing_dir).iterdir() if p.is_dir()):
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.stat().st_size)
        by_kind: dict[str, tuple[Path, ...]] = {
            kind: tuple(p for p in files if p.suffix.lower() in suffixes)
            for kind, suffixes in (
                ("csv", CSV_SUFFIXES),
                ("json", JSON_SUFFIXES),
                ("jsonl", JSONL_SUFFIXES),
            )
        }
        if by_kind["csv"]:
            listed = _file_list(by_kind["csv"])
            sql = (
                f"select * from read_csv({listed}, all_varchar = true,"
                " union_by_name = true, header = true, delim = ',', quote = '\"',"
                " escape = '\"', filename = true, ignore_errors = true)"
            )
            tables.append(
                FloorTable(_table_name(folder.name, "csv"), by_kind["csv"], sql)
            )
        if by_kind["json"]:
            listed = _file_list(by_kind["json"])
            sql = f"select filename, content from read_text({listed})"
            tables.append(
                FloorTable(_table_name(folder.name, "json"), by_kind["json"], sql)
            )
        if by_kind["jsonl"]:
            listed = _file_list(by_kind["jsonl"])
            sql = (
                "select filename, cast(json as varchar) as record"
                f" from read_json_objects({listed}, format = 'newline_delimited',"
                " filename = true, ignore_errors = true)"
            )
            tables.append(
                FloorTable(_table_name(folder.name, "jsonl"), by_kind["jsonl"], sql)
            )
    return tables


def create_tables(
    db_path: Path, statements: list[tuple[str, str]], memory_limit: str
) -> dict[str, int]:
    """Create each (table, select) in a fresh ``db_path``; returns {table: rows}."""
    import duckdb

    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        stale.unlink(missing_ok=True)
    rows: dict[str, int] = {}
    con = duckdb.connect(str(db_path))
    try:
        con.execute(f"set memory_limit = {_quote(memory_limit)}")
        # The cheapest plain ingest: rows need no order in a copy (DuckDB's advice for
        # large create-table-as; with order kept, the 10M Graph text ran out of memory).
        con.execute("set preserve_insertion_order = false")
        con.execute("set TimeZone = 'UTC'")
        for table, sql in statements:
            con.execute(f'create table "{table}" as {sql}')
            result = con.execute(f'select count(*) from "{table}"').fetchone()
            rows[table] = int(result[0]) if result else 0
        con.execute("checkpoint")
    finally:
        con.close()
    return rows


def run_floor(db_path: Path, landing_dir: Path, memory_limit: str) -> dict[str, int]:
    """Create every floor table in a fresh ``db_path``; returns {table: rows}."""
    statements = [(t.name, t.select_sql) for t in floor_tables(landing_dir)]
    return create_tables(db_path, statements, memory_limit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="DuckDB file to (re)create")
    parser.add_argument("--landing", required=True, help="landing directory to read")
    parser.add_argument("--memory-limit", default="3.5GB")
    args = parser.parse_args(argv)
    rows = run_floor(Path(args.db), Path(args.landing), args.memory_limit)
    print(json.dumps(rows, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
