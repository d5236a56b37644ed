"""Optional Parquet output: each written landing file becomes ``<stem>.parquet``.

CSV files keep their documented column names, all VARCHAR (NULL for empty).
JSON files become one row per object with a single ``json`` column.
"""

from __future__ import annotations

from pathlib import Path


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class ParquetConverter:
    """Converts native landing files in place (the native file is removed)."""

    def __init__(self) -> None:
        import duckdb  # only needed for fmt="parquet"

        self._con = duckdb.connect()

    def close(self) -> None:
        self._con.close()

    def convert(self, path: Path) -> Path:
        target = path.with_suffix(".parquet")
        if path.suffix == ".csv":
            source = (
                f"SELECT * FROM read_csv({_sql_path(path)}, "
                "header = true, all_varchar = true)"
            )
        else:
            source = (
                f"SELECT json FROM read_json_objects({_sql_path(path)}, "
                "format = 'auto')"
            )
        self._con.execute(f"COPY ({source}) TO {_sql_path(target)} (FORMAT parquet)")
        path.unlink()
        return target
