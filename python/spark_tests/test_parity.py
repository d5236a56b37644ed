"""DuckDB <-> Spark parity of the warehouse (`make test-spark`, docs/SCALING.md).

Builds the bundled sample (data/sample) twice, with `dbt build` on the DuckDB target and
on the Spark target (local PySpark, `method: session`), then compares every mart of the
`marts` schema row by row: same columns in the same order, same number of rows, equal
values, floats equal to within 1e-9 (relative to their size, at least 1e-9 absolute).

The Spark marts are parquet tables under the Spark warehouse dir; they are read back
with DuckDB's parquet reader, so the comparison needs no second Spark session.

Quantiles: both engines use the same definition (DuckDB quantile_cont, Spark
percentile: exact, linear interpolation at rank (n - 1) * p), so percentile columns are
compared like any other float. test_quantile_definitions pins that on edge cases.

Not collected by the default `pytest` run (it is outside python/tests): run it with
`make test-spark` (needs `make spark-setup` and Java 17).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DBT = str(BIN / "dbt")
REL_TOL = 1e-9
ABS_TOL = 1e-9


def _run_dbt(args: list[str], work: Path, env: dict[str, str], log_name: str) -> None:
    """Run dbt in the repo, target and logs in `work`; fail with the log tail."""
    log = work / f"{log_name}.log"
    command = [
        DBT,
        "--no-use-colors",
        *args,
        "--target-path",
        str(work / f"target-{log_name}"),
        "--log-path",
        str(work / f"logs-{log_name}"),
    ]
    with log.open("w") as out:
        result = subprocess.run(
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    if result.returncode != 0:
        lines = log.read_text(errors="replace").splitlines()
        summary = [line for line in lines if "ERROR" in line or "Error" in line]
        pytest.fail(
            f"{' '.join(args)} failed ({log}):\n"
            + "\n".join(summary[-40:] or lines[-60:])
        )


def _env(work: Path, target: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DBT_PROFILES_DIR=str(REPO / "profiles"),
        DBT_PROJECT_DIR=str(REPO),
        DO_NOT_TRACK="1",
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        SESSION_ANALYTICS_TARGET=target,
        SESSION_ANALYTICS_DB=str(work / "duckdb" / "session_analytics.duckdb"),
        SESSION_ANALYTICS_SPARK_DIR=str(work / "spark"),
        # a salt of the test's own on both engines (with a quote and a backslash): the
        # pseudonymised columns compared below are equal only if each engine reads it
        # from the environment (DuckDB: the plugin; Spark: inside the JVM)
        SESSION_ANALYTICS_SALT="parity-salt-'\\-0123456789",
    )
    env.pop("SESSION_ANALYTICS_LANDING_DIR", None)  # the bundled sample
    return env


@pytest.fixture(scope="session")
def work() -> Path:
    root = os.environ.get("SPARK_PARITY_DIR")
    path = Path(root) if root else REPO / "warehouse" / "spark-parity"
    if path.exists():
        shutil.rmtree(path)
    (path / "duckdb").mkdir(parents=True)
    (path / "spark").mkdir(parents=True)
    return path


@pytest.fixture(scope="session")
def duckdb_build(work: Path) -> Path:
    """Seeds and models on DuckDB (its tests run in `make test`)."""
    _run_dbt(
        ["build", "--exclude", "resource_type:test", "resource_type:unit_test"],
        work,
        _env(work, "dev"),
        "duckdb",
    )
    return work / "duckdb" / "session_analytics.duckdb"


@pytest.fixture(scope="session")
def spark_build(work: Path) -> Path:
    """The full `dbt build` on Spark: seeds, models, data tests and unit tests."""
    _run_dbt(["build"], work, _env(work, "spark"), "spark")
    return work / "spark" / "warehouse"


def _marts(database: Path) -> list[str]:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.sql(
            "select table_name from information_schema.tables"
            " where table_schema = 'marts' order by table_name"
        ).fetchall()
    return [row[0] for row in rows]


def _spark_table_dir(warehouse: Path, schema: str, table: str) -> Path:
    return warehouse / f"{schema}.db" / table


def _read(
    con: duckdb.DuckDBPyConnection, relation: str
) -> tuple[list[str], list[tuple]]:
    result = con.sql(f"select * from {relation}")
    return list(result.columns), result.fetchall()


def _normal(value: Any) -> Any:
    """A comparable form of a value: numbers as float, lists as tuples."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    if isinstance(value, list):
        return tuple(_normal(item) for item in value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _sort_key(row: tuple) -> tuple:
    """Order rows by value, floats rounded to 9 places, NULLs first."""
    key = []
    for value in row:
        if isinstance(value, float):
            value = round(value, 9) if math.isfinite(value) else value
        key.append((value is not None, str(type(value).__name__), value))
    return tuple(key)


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        if math.isnan(left) or math.isnan(right):
            return math.isnan(left) and math.isnan(right)
        return math.isclose(left, right, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if isinstance(left, tuple) and isinstance(right, tuple):
        return len(left) == len(right) and all(map(_equal, left, right))
    return left == right


def _differences(
    columns: list[str], duck: list[tuple], spark: list[tuple]
) -> Iterator[str]:
    duck_rows = sorted((tuple(map(_normal, row)) for row in duck), key=_sort_key)
    spark_rows = sorted((tuple(map(_normal, row)) for row in spark), key=_sort_key)
    for number, (left, right) in enumerate(zip(duck_rows, spark_rows, strict=True)):
        for column, a, b in zip(columns, left, right, strict=True):
            if not _equal(a, b):
                yield f"row {number} column {column}: duckdb {a!r} != spark {b!r}"


def test_every_mart_is_equal_on_both_engines(
    duckdb_build: Path, spark_build: Path
) -> None:
    marts = _marts(duckdb_build)
    assert len(marts) >= 10, marts
    spark_marts = sorted(
        path.name for path in (spark_build / "marts.db").iterdir() if path.is_dir()
    )
    assert spark_marts == marts, "the two engines built different marts"
    failures: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    with duckdb.connect(str(duckdb_build), read_only=True) as con:
        con.sql("set TimeZone = 'UTC'")
        for mart in marts:
            duck_columns, duck_rows = _read(con, f"marts.{mart}")
            parquet = _spark_table_dir(spark_build, "marts", mart)
            spark_columns, spark_rows = _read(
                con, f"read_parquet('{parquet}/*.parquet')"
            )
            counts[mart] = len(duck_rows)
            if spark_columns != duck_columns:
                failures[mart] = [
                    f"columns: duckdb {duck_columns} != spark {spark_columns}"
                ]
                continue
            if len(spark_rows) != len(duck_rows):
                failures[mart] = [
                    f"rows: duckdb {len(duck_rows)} != spark {len(spark_rows)}"
                ]
                continue
            differences = list(_differences(duck_columns, duck_rows, spark_rows))
            if differences:
                failures[mart] = [f"{len(differences)} differing values"] + differences[
                    :10
                ]
    print(
        "\nparity:", ", ".join(f"{mart} {count} rows" for mart, count in counts.items())
    )
    assert sum(counts.values()) > 0, "the sample built empty marts"
    assert not failures, "\n".join(
        f"{mart}: " + "\n    ".join(lines) for mart, lines in failures.items()
    )


def _landing_probe(work: Path, target: str, landing: Path) -> dict[str, Any]:
    env = _env(work, target)
    env["SESSION_ANALYTICS_SPARK_DIR"] = str(work / "spark-probe")
    env["SESSION_ANALYTICS_DB"] = str(work / "duckdb" / "probe.duckdb")
    env["SESSION_ANALYTICS_LANDING_DIR"] = str(landing)
    name = f"probe-{target}"
    _run_dbt(["run-operation", "spark_landing_probe"], work, env, name)
    for line in (work / f"{name}.log").read_text().splitlines():
        if "LANDING_PROBE " in line:
            return json.loads(line.split("LANDING_PROBE ", 1)[1])
    pytest.fail(f"no LANDING_PROBE line in {work / name}.log")


def test_missing_and_empty_landing_folders(work: Path) -> None:
    """A landing dir with one system: missing folders, an empty folder, a 0-byte and a
    header-only CSV give zero rows on Spark, and every folder lands the same rows (and
    files, but for the 0-byte one) as on DuckDB."""
    landing = work / "landing-partial"
    (landing / "graph").mkdir(parents=True)  # empty folder
    (landing / "syllable").mkdir()
    sample = REPO / "data" / "sample" / "syllable"
    for source in sorted(sample.iterdir())[:2]:
        shutil.copy(source, landing / "syllable" / source.name)
    (landing / "sfb_cdr").mkdir()
    (landing / "sfb_cdr" / "empty.csv").write_bytes(b"")
    (landing / "sfb_cdr" / "header_only.csv").write_text(
        "SessionIdTime,SessionIdSeq,CorrelationId\r\n"
    )
    spark = _landing_probe(work, "spark", landing)
    duck = _landing_probe(work, "dev", landing)
    assert {k: v["rows"] for k, v in spark.items()} == {
        k: v["rows"] for k, v in duck.items()
    }
    # Spark's file listing leaves out 0-byte files (they have no records anyway).
    duck["sfb_cdr"]["files"] -= 1
    assert spark == duck
    assert spark["graph"] == {"files": 0, "rows": 0}
    assert spark["sfb_qoe"] == {"files": 0, "rows": 0}  # missing folder
    assert spark["sfb_cdr"] == {"files": 1, "rows": 0}
    assert spark["syllable"]["files"] == 2
    assert spark["syllable"]["rows"] > 0


# Quantile definitions: DuckDB quantile_cont vs Spark percentile on edge cases.
QUANTILE_CASES = {
    "one value": [7.5],
    "two values": [1.0, 2.0],
    "odd count": [3.0, 1.0, 2.0],
    "even count": [10.0, 0.0, 5.0, 2.5],
    "ties": [1.0, 1.0, 1.0, 4.0],
    "with nulls": [None, 4.0, None, 1.0, 2.0],
    "only nulls": [None, None],
    "skewed": [0.001, 0.002, 1000.0, 1e6, 3.0, 250.5, 0.5],
}
QUANTILES = [0.0, 0.01, 0.5, 0.9, 0.99, 1.0]


def _values_sql(values: list[float | None]) -> str:
    rows = ", ".join(
        f"(cast({'null' if v is None else repr(v)} as double))" for v in values
    )
    return f"(values {rows}) as t(x)"


def test_quantile_definitions() -> None:
    """Spark's percentile is DuckDB's quantile_cont on every edge case (same rank
    definition, NULLs ignored, all-NULL gives NULL), so the percentile columns of the
    marts need no engine-specific tolerance."""
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.log.level", "ERROR")
        .getOrCreate()
    )
    try:
        mismatches = []
        for name, values in QUANTILE_CASES.items():
            for p in QUANTILES:
                sql = f"select {{f}}(x, {p}) from {_values_sql(values)}"
                expected = duckdb.sql(sql.format(f="quantile_cont")).fetchall()[0][0]
                actual = spark.sql(sql.format(f="percentile")).collect()[0][0]
                same = (expected is None and actual is None) or (
                    expected is not None
                    and actual is not None
                    and math.isclose(expected, actual, rel_tol=1e-12, abs_tol=1e-12)
                )
                if not same:
                    mismatches.append(f"{name} p={p}: duckdb {expected} spark {actual}")
        assert not mismatches, "\n".join(mismatches)
    finally:
        spark.stop()
