"""`session-analytics export`: every mart as Parquet, for tools that read files.

Each relation of schema `marts` becomes `<out>/<mart>.parquet`, except the row-level
facts in MONTH_PARTITIONED, which become a Hive-partitioned folder
`<out>/<mart>/session_month=YYYY-MM/*.parquet` (read it with hive partitioning, e.g.
`read_parquet('<out>/fct_sessions/*/*.parquet', hive_partitioning = true)`).
`<out>/_manifest.json` lists what was written. The warehouse is opened read-only.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

SCHEMA = "marts"
# Row-level facts that grow with the data; the daily/hourly marts and dimensions stay
# one file each.
MONTH_PARTITIONED = frozenset({"fct_sessions", "fct_graph_media_streams"})
PARTITION_COLUMN = "session_month"
MANIFEST = "_manifest.json"


@dataclass(frozen=True)
class ExportedMart:
    mart: str
    rows: int
    path: str  # relative to the output dir
    partitioned_by: str | None


def _marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables"
        " where table_schema = ? and table_catalog = current_database()"
        " order by table_name",
        [SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def _sql_string(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _export_one(
    con: duckdb.DuckDBPyConnection, mart: str, out_dir: Path
) -> ExportedMart:
    relation = f'{SCHEMA}."{mart}"'
    found = con.execute(f"select count(*) from {relation}").fetchone()
    rows = int(found[0]) if found else 0
    if mart in MONTH_PARTITIONED:
        target = out_dir / mart
        shutil.rmtree(target, ignore_errors=True)
        con.execute(
            f"copy (select *, strftime(session_date, '%Y-%m') as {PARTITION_COLUMN}"
            f" from {relation}) to {_sql_string(target)}"
            f" (format parquet, partition_by ({PARTITION_COLUMN}), overwrite_or_ignore)"
        )
        if rows == 0:  # COPY writes no folder for an empty result
            target.mkdir(parents=True, exist_ok=True)
        return ExportedMart(mart, rows, f"{mart}/", PARTITION_COLUMN)
    target = out_dir / f"{mart}.parquet"
    con.execute(f"copy {relation} to {_sql_string(target)} (format parquet)")
    return ExportedMart(mart, rows, target.name, None)


def export_parquet(db_path: Path, out_dir: Path) -> list[ExportedMart]:
    """Write every mart of `db_path` as Parquet under `out_dir`; returns the list."""
    if not db_path.exists():
        raise FileNotFoundError(
            f"warehouse {db_path} does not exist: run `make build` (or pass --db)"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(db_path), read_only=True) as con:
        marts = _marts(con)
        if not marts:
            raise ValueError(f"warehouse {db_path} has no relations in schema {SCHEMA}")
        exported = [_export_one(con, mart, out_dir) for mart in marts]
    (out_dir / MANIFEST).write_text(
        json.dumps(
            {"warehouse": str(db_path), "marts": [asdict(e) for e in exported]},
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return exported
