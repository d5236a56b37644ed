"""Building twice on the same input gives identical marts.

The bundled sample is built once (shared with test_pii.py) and then built again into the
same warehouse, as a second `dbt build` of the same landing dir would be. Every relation
of every schema is hashed in full (every row, every column, order-independent), nothing
excluded but `loaded_at` and `staged_at` (build times), which exist only in staging;
marts must not have them.

Known exception (docs/RELIABILITY.md, "Idempotency"): DOUBLE columns computed by
aggregating doubles (sum/avg/percentiles in the daily marts) may differ in the last
bits between builds, because DuckDB adds up the values of a group in whatever order its
parallel threads deliver them. For a relation whose hash differs, the test pairs the
rows of both builds on all non-DOUBLE columns and accepts it only if every non-DOUBLE
value is identical and every DOUBLE differs by at most FLOAT_RELATIVE_TOLERANCE; it
names the columns that differed (so that the marts can round or order the sums).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb
from dbt_harness import DbtResult, dbt_build
from test_pii import SAMPLE_DIR, sample_build

# The only column allowed to differ between two builds of the same input (staging only).
BUILD_TIME_COLUMNS = ("loaded_at", "staged_at")
FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")
FLOAT_RELATIVE_TOLERANCE = 1e-12


def relation_columns(db_path: Path) -> dict[str, list[tuple[str, str]]]:
    """{schema.relation: [(column, type)]} of every table and view."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute(
            "select table_schema, table_name, column_name, data_type"
            " from information_schema.columns where table_catalog = current_database()"
            " order by table_schema, table_name, ordinal_position"
        ).fetchall()
    finally:
        con.close()
    columns: dict[str, list[tuple[str, str]]] = {}
    for schema, name, column, data_type in rows:
        columns.setdefault(f"{schema}.{name}", []).append((column, data_type))
    return columns


def relation_hashes(result: DbtResult) -> dict[str, tuple[int, str]]:
    """{schema.relation: (rows, md5 of its sorted rows)} of every table and view, with
    the build-time columns left out."""
    hashes = {}
    for relation, columns in sorted(relation_columns(result.db_path).items()):
        kept = [c for c, _ in columns if c not in BUILD_TIME_COLUMNS]
        schema, name = relation.split(".", 1)
        select = ", ".join(f'"{c}"' for c in kept)
        rows, digest = result.query(
            f"select count(*), md5(coalesce(string_agg(cast(t as varchar), chr(10)"
            f" order by cast(t as varchar)), ''))"
            f' from (select {select} from "{schema}"."{name}") as t'
        )[0]
        hashes[relation] = (rows, digest)
    return hashes


def float_only_differences(
    before: Path, after: Path, relation: str, columns: list[tuple[str, str]]
) -> dict[str, float]:
    """{DOUBLE column: largest relative difference} between two builds of a relation,
    rows paired on every other column; fails if anything else differs."""
    keys = [
        c for c, t in columns if t not in FLOAT_TYPES and c not in BUILD_TIME_COLUMNS
    ]
    floats = [c for c, t in columns if t in FLOAT_TYPES]
    assert floats, f"{relation} differs and has no DOUBLE column"
    schema, name = relation.split(".", 1)
    con = duckdb.connect()
    try:
        con.execute(f"attach '{before}' as a (read_only)")
        con.execute(f"attach '{after}' as b (read_only)")
        order = ", ".join(f'"{c}"' for c in floats)
        partition = ", ".join(f'"{c}"' for c in keys) or "1"

        def numbered(db: str) -> str:
            return (
                f"select *, row_number() over"
                f" (partition by {partition} order by {order})"
                f' as _n from {db}."{schema}"."{name}"'
            )

        on = " and ".join(
            [f'a."{c}" is not distinct from b."{c}"' for c in keys] + ["a._n = b._n"]
        )
        diffs = ", ".join(
            f'max(abs(a."{c}" - b."{c}")'
            f' / greatest(abs(a."{c}"), abs(b."{c}"), 1e-300))'
            f' filter (where a."{c}" is distinct from b."{c}")'
            for c in floats
        )
        unmatched, *largest = con.execute(
            f"select count(*) filter (where a._n is null or b._n is null), {diffs}"
            f" from ({numbered('a')}) as a full outer join ({numbered('b')}) as b"
            f" on {on}"
        ).fetchone()
        assert unmatched == 0, f"{relation}: rows differ beyond DOUBLE columns"
        return {c: d for c, d in zip(floats, largest, strict=True) if d is not None}
    finally:
        con.close()


def test_building_twice_gives_identical_marts() -> None:
    first = sample_build()
    columns = relation_columns(first.db_path)
    marts = [r for r in columns if r.split(".")[0].endswith("marts")]
    assert marts, "no marts relations"
    assert [
        (r, c) for r in marts for c, _ in columns[r] if c in BUILD_TIME_COLUMNS
    ] == []
    before_hashes = relation_hashes(first)
    before_db = Path(tempfile.mkdtemp(prefix="idempotency_")) / "before.duckdb"
    shutil.copy(first.db_path, before_db)

    second = dbt_build(SAMPLE_DIR, first.work_dir)
    after_hashes = relation_hashes(second)
    assert set(after_hashes) == set(before_hashes)
    assert sum(after_hashes[r][0] for r in marts) > 0
    changed = sorted(r for r in before_hashes if before_hashes[r] != after_hashes[r])
    float_jitter = {
        relation: float_only_differences(
            before_db, second.db_path, relation, columns[relation]
        )
        for relation in changed
    }
    too_large = {
        relation: diffs
        for relation, diffs in float_jitter.items()
        if any(d > FLOAT_RELATIVE_TOLERANCE for d in diffs.values())
    }
    assert too_large == {}
    if float_jitter:
        print(f"DOUBLE columns differing in the last bits: {float_jitter}")
