"""The typed floor: plain DuckDB reading every landed file once into typed tables.

The second floor of the benchmark (issue "Read every landed byte once"): what a careful
engineer's hand-written DuckDB script costs when it also types the rows, with no checks,
no dedupe, no pseudonymisation and no lineage beyond the file name. Types come from
DuckDB's own detection (``read_csv`` / ``read_json`` defaults), so the floor needs no
column list and shares no code with the project's landing layer.

- CSV folders: one ``read_csv`` of all the folder's files (``union_by_name``) into one
  table; CQD's building and endpoint files have no header row.
- JSON folders: each file is read once, by its shape: pages (``{"value": [...]}`` or
  ``{"items": [...]}``), single records (a ``.json`` document without a page key) and
  JSON Lines. A shape's records go to one table (``<folder>__<shape>``) of typed
  STRUCTs; for Graph, the nested levels are unnested from that table (``__sessions``,
  ``__segments``, ``__media_streams``), never from the files again.

A level whose lists are empty in every record of a shape is typed ``JSON[]`` by DuckDB
and cannot be unnested further: the floor is meant for the generator's data, where
every level has rows. The shape of a ``.json`` file is told from its first 4 KiB (a
page key at the top of the document), which is all the floor reads twice. Run as
``python -m session_analytics.bench.typed_floor --db F --landing D``; prints
``{table: rows}`` as JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from .floor import _file_list, create_tables

__all__ = ["json_shape", "main", "run_typed_floor", "typed_floor_sql"]

PAGE_KEYS = ("value", "items")
HEADERLESS = ("buildings", "endpoints")  # CQD tenant data files have no header row
PEEK_BYTES = 4096
# The nested Graph levels: (table suffix, parent suffix, list member of the parent).
GRAPH_LEVELS = (
    ("sessions", "records", "sessions"),
    ("segments", "sessions", "segments"),
    ("media", "segments", "media"),
    ("media_streams", "media", "streams"),
)


def _name(*parts: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", "__".join(parts).lower())


def json_shape(path: Path) -> str:
    """``jsonl``, ``page:<key>`` or ``record`` (from the first PEEK_BYTES of .json)."""
    if path.suffix.lower() == ".jsonl":
        return "jsonl"
    head = path.open("rb").read(PEEK_BYTES).decode("utf-8", errors="replace")
    for key in PAGE_KEYS:
        if re.search(r'^\ufeff?\s*\{(?:[^\[{]*,)?\s*"' + key + r'"\s*:\s*\[', head):
            return f"page:{key}"
    return "record"


def typed_floor_sql(landing_dir: Path) -> list[tuple[str, str]]:
    """(table, select) of every typed floor table, parents before children."""
    statements: list[tuple[str, str]] = []
    for folder in sorted(p for p in Path(landing_dir).iterdir() if p.is_dir()):
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.stat().st_size)
        csv_files = [p for p in files if p.suffix.lower() in (".csv", ".tsv")]
        if csv_files:
            statements.append(
                (
                    _name(folder.name),
                    f"select * from read_csv({_file_list(tuple(csv_files))},"
                    f" header = {folder.name not in HEADERLESS},"
                    " union_by_name = true, filename = true)",
                )
            )
        shapes: dict[str, list[Path]] = {}
        for path in files:
            if path.suffix.lower() in (".json", ".jsonl"):
                shapes.setdefault(json_shape(path), []).append(path)
        for shape, paths in sorted(shapes.items()):
            table = _name(folder.name, shape.split(":")[0], "records")
            options = "filename = true"
            if shape != "jsonl":  # one document per file: as large as the largest
                largest = max(path.stat().st_size for path in paths)
                options += f", maximum_object_size = {max(largest + 1024, 1 << 24)}"
            if shape.startswith("page:"):
                key = shape.split(":")[1]
                sql = (
                    f"select filename, unnest({key}) as record"
                    f" from read_json({_file_list(tuple(paths))}, {options})"
                )
            else:
                fmt = "newline_delimited" if shape == "jsonl" else "auto"
                sql = (
                    "select doc.filename, doc as record"
                    f" from read_json({_file_list(tuple(paths))},"
                    f" format = '{fmt}', {options})"
                    " as doc"
                )
            statements.append((table, sql))
            if folder.name == "graph":
                statements += _graph_levels(table[: -len("records")])
    return statements


def _graph_levels(prefix: str) -> list[tuple[str, str]]:
    statements = []
    for level, parent, member in GRAPH_LEVELS:
        statements.append(
            (
                prefix + level,
                f"select filename, unnest(record.{member}) as record"
                f" from {prefix + parent}",
            )
        )
    return statements


def run_typed_floor(
    db_path: Path, landing_dir: Path, memory_limit: str
) -> dict[str, int]:
    """Create every typed floor table in a fresh ``db_path``; returns {table: rows}."""
    return create_tables(db_path, typed_floor_sql(landing_dir), memory_limit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="DuckDB file to (re)create")
    parser.add_argument("--landing", required=True, help="landing directory to read")
    parser.add_argument("--memory-limit", default="3.5GB")
    args = parser.parse_args(argv)
    rows = run_typed_floor(Path(args.db), Path(args.landing), args.memory_limit)
    print(json.dumps(rows, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
