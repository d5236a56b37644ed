"""DuckDB <-> Spark parity of the warehouse (`make test-spark`, README "Scaling out").

Two landing dirs are each built once on DuckDB (`dbt build` without its tests, which
`make test` runs) and once on Spark (local PySpark, `method: session`; the full `dbt
build`, data tests included), then compared relation by relation with the strict
comparator of compare.py: the same columns in the same order with the same type
categories, the same rows, and per value the same type category (a boolean is not a
number, an integer is not a float, a text is not a number) and an equal value, floats
equal to within 1e-9 (relative to their size, at least 1e-9 absolute).

- data/sample (clean): every mart.
- a hostile landing dir (python/tests/test_hostile.py's generator, fixed seed and texts,
  built with on_bad_file=quarantine): broken rows of every kind, structurally bad files
  (quarantined), empty files, nested Graph breakages. Compared: every mart,
  staging.rejected_rows, staging.row_reconciliation and staging.landed_files (the
  columns and rows left out are listed with their reason in HOSTILE_EXCLUDED and
  SPARK_SKIPS_ZERO_BYTE_FILES), and the row count of every base_ and stg_ model.

The Spark tables are parquet under the Spark warehouse dir; they are read back with
DuckDB's parquet reader, so the comparison needs no second Spark session.

Quantiles: both engines use the same definition (DuckDB quantile_cont, Spark
percentile: exact, linear interpolation at rank (n - 1) * p), so percentile columns are
compared like any other float. test_quantile_definitions pins that on edge cases.

Not collected by the default `pytest` run (it is outside python/tests): run it with
`make test-spark` (needs `make spark-setup` and Java 17). test_compare.py shows the
comparator fails on True vs 1.0, 1 vs 1.0 and '1' vs 1 (no Spark needed).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
from compare import compare_relations, json_number_texts_as_numbers

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DBT = str(BIN / "dbt")
NO_DATA_TESTS = ["--exclude", "resource_type:test", "resource_type:unit_test"]

# The hostile landing dir: test_hostile's generator with a fixed seed and fixed texts
# (hostile, but the same on every run), built with bad files quarantined.
sys.path.insert(0, str(REPO / "python" / "tests"))
HOSTILE_SEED = 13
HOSTILE_TEXTS = [("text {i} ü😀 \u00a0,\"'\n" * (i % 3)).format(i=i) for i in range(30)]
HOSTILE_VARS = {"on_bad_file": "quarantine"}

# Columns not compared on the hostile build, with the reason.
HOSTILE_EXCLUDED = {
    "staging.rejected_rows": {
        "loaded_at": "the time of each engine's build",
    },
    "staging.landed_files": {
        "undocumented_members": "the JSON member walk is DuckDB only (RELIABILITY.md)",
        "duplicate_keys": "the JSON member walk is DuckDB only (RELIABILITY.md)",
    },
}
# Values rewritten on both engines before they are compared, with the reason.
HOSTILE_REWRITTEN = {
    # the landed text of a JSON number member: DuckDB writes 1e+20 as
    # "100000000000000000000.0", Spark as "1.0E20"; compared as numbers
    "staging.rejected_rows": {"raw_record": json_number_texts_as_numbers},
}
# Spark's file listing (binaryFile) leaves out 0-byte files: on DuckDB they are in
# landed_files as 'no records' with 0 landed records, on Spark they are missing (they
# have no records, so nothing else differs; README "What the parity test guarantees").
SPARK_SKIPS_ZERO_BYTE_FILES = "file_bytes = 0 and file_status = 'no records'"
NOT_ZERO_BYTE_FILES = {
    "staging.landed_files": f"not ({SPARK_SKIPS_ZERO_BYTE_FILES})",
    "staging.row_reconciliation": "not (landed_rows = 0 and source_file in"
    " (select source_file from duck.staging.landed_files where file_bytes = 0))",
}


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
    started = time.monotonic()
    with log.open("w") as out:
        result = subprocess.run(
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    print(f"\n{log_name}: dbt {args[0]} took {time.monotonic() - started:.0f} s")
    if result.returncode != 0:
        lines = log.read_text(errors="replace").splitlines()
        summary = [line for line in lines if "ERROR" in line or "Error" in line]
        pytest.fail(
            f"{' '.join(args)} failed ({log}):\n"
            + "\n".join(summary[-40:] or lines[-60:])
        )


def _env(work: Path, target: str, landing: Path | None = None) -> dict[str, str]:
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
    if landing is None:
        env.pop("SESSION_ANALYTICS_LANDING_DIR", None)  # the bundled sample
    else:
        env["SESSION_ANALYTICS_LANDING_DIR"] = str(landing)
    return env


def _vars(values: dict[str, Any]) -> list[str]:
    return ["--vars", json.dumps(values)]


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
    _run_dbt(["build", *NO_DATA_TESTS], work, _env(work, "dev"), "duckdb")
    return work / "duckdb" / "session_analytics.duckdb"


@pytest.fixture(scope="session")
def spark_build(work: Path) -> Path:
    """The full `dbt build` on Spark: seeds, models, data tests and unit tests."""
    _run_dbt(["build"], work, _env(work, "spark"), "spark")
    return work / "spark" / "warehouse"


@pytest.fixture(scope="session")
def hostile_work(work: Path) -> Path:
    """A hostile landing dir (test_hostile's generator) under work/hostile/landing."""
    from test_hostile import generate_landing

    path = work / "hostile"
    (path / "duckdb").mkdir(parents=True)
    (path / "spark").mkdir(parents=True)
    expected = generate_landing(path / "landing", HOSTILE_SEED, HOSTILE_TEXTS)
    # the fixture is hostile: broken rows, quarantined and empty files, nested ones
    assert sum(expected.broken_kinds.values()) > 50, expected.broken_kinds
    assert expected.bad_files and expected.empty_files
    assert any(key[0] == "graph" and key[4] for key in expected.reasons)
    return path


@pytest.fixture(scope="session")
def hostile_duckdb(hostile_work: Path) -> Path:
    env = _env(hostile_work, "dev", hostile_work / "landing")
    args = ["build", *NO_DATA_TESTS, *_vars(HOSTILE_VARS)]
    _run_dbt(args, hostile_work, env, "duckdb")
    return hostile_work / "duckdb" / "session_analytics.duckdb"


@pytest.fixture(scope="session")
def hostile_spark(hostile_work: Path) -> Path:
    """Seeds and models on Spark: its data and unit tests ran in spark_build, the data
    tests of hostile builds run on DuckDB (test_hostile.py), and the relations they
    check are compared here."""
    env = _env(hostile_work, "spark", hostile_work / "landing")
    args = ["build", *NO_DATA_TESTS, *_vars(HOSTILE_VARS)]
    _run_dbt(args, hostile_work, env, "spark")
    return hostile_work / "spark" / "warehouse"


def _tables(database: Path, schema: str) -> list[str]:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.sql(
            "select table_name from information_schema.tables"
            f" where table_schema = '{schema}' order by table_name"
        ).fetchall()
    return [row[0] for row in rows]


def _spark_tables(warehouse: Path, schema: str) -> list[str]:
    return sorted(
        path.name for path in (warehouse / f"{schema}.db").iterdir() if path.is_dir()
    )


def _parquet(warehouse: Path, schema: str, table: str) -> str:
    return f"read_parquet('{warehouse / f'{schema}.db' / table}/*.parquet')"


def _connect(database: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the DuckDB warehouse attached read-only as `duck`."""
    con = duckdb.connect()
    con.sql("set TimeZone = 'UTC'")
    con.sql(f"attach '{database}' as duck (read_only)")
    return con


def _compare_schema(
    database: Path,
    warehouse: Path,
    schema: str,
    tables: list[str],
    where: dict[str, str] | None = None,
    excluded: dict[str, dict[str, str]] | None = None,
    rewritten: dict[str, dict[str, Any]] | None = None,
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Strict comparison of `schema`.`table` on both engines, for each table: (rows per
    table, differences per table with differences). `where` filters a table's rows on
    both engines (SQL on the columns; `duck.` names the DuckDB warehouse); `excluded`
    leaves columns out, `rewritten` rewrites a column's values (compare.py)."""
    counts: dict[str, int] = {}
    failures: dict[str, list[str]] = {}
    with _connect(database) as con:
        for table in tables:
            relation = f"{schema}.{table}"
            left = f"duck.{relation}"
            right = _parquet(warehouse, schema, table)
            if where and relation in where:
                left = f"(select * from {left} where {where[relation]})"
                right = f"(select * from {right} where {where[relation]})"
            rows, found = compare_relations(
                con,
                left,
                right,
                exclude=(excluded or {}).get(relation, {}),
                rewrite=(rewritten or {}).get(relation),
            )
            counts[relation] = rows
            if found:
                failures[relation] = [f"{len(found)} differences", *found[:10]]
    return counts, failures


def _report(failures: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{relation}: " + "\n    ".join(lines) for relation, lines in failures.items()
    )


def test_every_mart_is_equal_on_both_engines(
    duckdb_build: Path, spark_build: Path
) -> None:
    marts = _tables(duckdb_build, "marts")
    assert len(marts) >= 10, marts
    assert _spark_tables(spark_build, "marts") == marts, "different marts built"
    counts, failures = _compare_schema(duckdb_build, spark_build, "marts", marts)
    print("\nparity:", ", ".join(f"{m} {n} rows" for m, n in counts.items()))
    assert sum(counts.values()) > 0, "the sample built empty marts"
    assert not failures, _report(failures)


# The hostile build, relation by relation: every mart, the reject and reconciliation
# ledgers, the file ledger, the row counts of every base_ and stg_ model. Where Spark is
# known to differ (SPARK_PADS_CSV_RECORDS), the whole comparison is a strict xfail (it
# fails the run once Spark stops differing) and a second test compares everything
# outside that difference, which must be equal.
SPARK_PADS_CSV_RECORDS = (
    "Spark's CSV reader pads a record with too few fields and cuts one with too many,"
    " where DuckDB rejects it ('malformed CSV record: fewer/more fields than the N of"
    " the header'); on Spark such a record is staged or rejected for another reason"
    " (README 'What the parity test guarantees'; not fixed in macros/spark/landing.sql)"
)
KNOWN_DIFFERENCE = pytest.mark.xfail(strict=True, reason=SPARK_PADS_CSV_RECORDS)
# The rows of the DuckDB build that the known difference reaches.
MALFORMED_CSV_RECORDS = (
    "select source_file, source_row_number from duck.staging.rejected_rows"
    " where rejection_reason like 'malformed CSV record:%'"
)
CSV_SYSTEMS = ("sfb_qoe", "sfb_cdr", "superoffice")
OUTSIDE_MALFORMED_CSV = {
    "staging.rejected_rows": "(source_file, source_row_number) not in"
    f" ({MALFORMED_CSV_RECORDS})",
    "staging.row_reconciliation": "source_file not in"
    f" (select source_file from ({MALFORMED_CSV_RECORDS}))"
    f" and {NOT_ZERO_BYTE_FILES['staging.row_reconciliation']}",
}
# marts with one source system per row: compared on the JSON systems' rows
JSON_SYSTEMS_ONLY = "source_system in ('graph', 'syllable')"
MARTS_BY_SOURCE_SYSTEM = [
    "fct_sessions",
    "fct_call_quality_daily",
    "fct_session_duration_daily",
    "fct_agent_daily",
]


@KNOWN_DIFFERENCE
def test_hostile_marts_are_equal_on_both_engines(
    hostile_duckdb: Path, hostile_spark: Path
) -> None:
    marts = _tables(hostile_duckdb, "marts")
    assert _spark_tables(hostile_spark, "marts") == marts, "different marts built"
    counts, failures = _compare_schema(hostile_duckdb, hostile_spark, "marts", marts)
    print("\nhostile parity:", ", ".join(f"{m} {n} rows" for m, n in counts.items()))
    assert sum(counts.values()) > 0, "the hostile landing built empty marts"
    assert not failures, _report(failures)


def test_hostile_marts_of_json_systems_are_equal_on_both_engines(
    hostile_duckdb: Path, hostile_spark: Path
) -> None:
    """Outside the known difference: the Graph and Syllable rows of the marts with a
    source_system column, and fct_graph_media_streams (Graph only), whole."""
    assert set(MARTS_BY_SOURCE_SYSTEM) < set(_tables(hostile_duckdb, "marts"))
    marts = [*MARTS_BY_SOURCE_SYSTEM, "fct_graph_media_streams"]
    where = {f"marts.{mart}": JSON_SYSTEMS_ONLY for mart in MARTS_BY_SOURCE_SYSTEM}
    counts, failures = _compare_schema(
        hostile_duckdb, hostile_spark, "marts", marts, where=where
    )
    print("\nhostile parity:", ", ".join(f"{m} {n} rows" for m, n in counts.items()))
    assert counts["marts.fct_sessions"] > 0
    assert not failures, _report(failures)


def _compare_ledger(
    duck: Path, spark: Path, relation: str, where: dict[str, str]
) -> tuple[int, dict[str, list[str]]]:
    schema, table = relation.split(".")
    counts, failures = _compare_schema(
        duck,
        spark,
        schema,
        [table],
        where={**NOT_ZERO_BYTE_FILES, **where},
        excluded=HOSTILE_EXCLUDED,
        rewritten=HOSTILE_REWRITTEN,
    )
    print(f"\nhostile parity: {relation} {counts[relation]} rows")
    assert counts[relation] > 0
    return counts[relation], failures


@pytest.mark.parametrize(
    "relation",
    [
        pytest.param("staging.rejected_rows", marks=KNOWN_DIFFERENCE),
        pytest.param("staging.row_reconciliation", marks=KNOWN_DIFFERENCE),
    ],
)
def test_hostile_ledgers_are_equal_on_both_engines(
    hostile_duckdb: Path, hostile_spark: Path, relation: str
) -> None:
    _rows, failures = _compare_ledger(hostile_duckdb, hostile_spark, relation, {})
    assert not failures, _report(failures)


@pytest.mark.parametrize("relation", sorted(OUTSIDE_MALFORMED_CSV))
def test_hostile_ledgers_outside_malformed_csv_records_are_equal(
    hostile_duckdb: Path, hostile_spark: Path, relation: str
) -> None:
    """rejected_rows but the malformed CSV records' locations, row_reconciliation but
    the files that hold one: equal, and not vacuous (top-level, nested and quarantined
    rejections; CSV files among the reconciled)."""
    with _connect(hostile_duckdb) as con:
        (malformed,) = con.sql(
            f"select count(*) from ({MALFORMED_CSV_RECORDS})"
        ).fetchall()[0]
        if relation == "staging.rejected_rows":
            (top, nested, quarantined, csv) = con.sql(
                "select count(*) filter (source_path is null and source_row_number"
                " is not null), count(*) filter (source_path is not null),"
                " count(*) filter (source_row_number is null),"
                f" count(*) filter (source_system in {CSV_SYSTEMS})"
                " from duck.staging.rejected_rows"
                f" where {OUTSIDE_MALFORMED_CSV[relation]}"
            ).fetchall()[0]
        else:
            (top, nested, quarantined, csv) = con.sql(
                "select count(*), sum(rejected_rows), 1,"
                f" count(*) filter (source_system in {CSV_SYSTEMS})"
                " from duck.staging.row_reconciliation"
                f" where {OUTSIDE_MALFORMED_CSV[relation]}"
            ).fetchall()[0]
    assert min(malformed, top, nested, quarantined, csv) > 0, (
        malformed,
        top,
        nested,
        quarantined,
        csv,
    )
    _rows, failures = _compare_ledger(
        hostile_duckdb, hostile_spark, relation, OUTSIDE_MALFORMED_CSV
    )
    assert not failures, _report(failures)


def test_hostile_landed_files_are_equal_on_both_engines(
    hostile_work: Path, hostile_duckdb: Path, hostile_spark: Path
) -> None:
    relation = "staging.landed_files"
    _rows, failures = _compare_ledger(hostile_duckdb, hostile_spark, relation, {})
    # the rows left out are exactly the landing dir's 0-byte files; some quarantined
    with _connect(hostile_duckdb) as con:
        (left_out, quarantined) = con.sql(
            f"select count(*) filter ({SPARK_SKIPS_ZERO_BYTE_FILES}),"
            " count(*) filter (file_status = 'quarantined')"
            " from duck.staging.landed_files"
        ).fetchall()[0]
    files = [p for p in (hostile_work / "landing").rglob("*") if p.is_file()]
    zero_byte = [p for p in files if p.stat().st_size == 0]
    assert left_out == len(zero_byte) > 0, (left_out, zero_byte)
    assert quarantined > 0
    assert not failures, _report(failures)


def _row_counts(duck: Path, spark: Path, systems: tuple[str, ...]) -> dict:
    """{table: (rows on duckdb, rows on spark)} of the base_ and stg_ models of the
    systems (by the name's `<prefix>_<system>__`)."""
    tables = [
        t
        for t in _tables(duck, "staging")
        if t.startswith(("base_", "stg_"))
        and t.split("_", 1)[1].split("__")[0] in systems
    ]
    counts = {}
    with _connect(duck) as con:
        for table in tables:
            (left,) = con.sql(f"select count(*) from duck.staging.{table}").fetchall()[
                0
            ]
            (right,) = con.sql(
                f"select count(*) from {_parquet(spark, 'staging', table)}"
            ).fetchall()[0]
            counts[table] = (left, right)
    return counts


def test_hostile_base_and_stg_row_counts_are_equal(
    hostile_duckdb: Path, hostile_spark: Path
) -> None:
    """Every base_ and stg_ model holds as many rows on both engines (on Spark a padded
    CSV record is still one row: staged, superseded or rejected)."""
    systems = ("graph", "syllable", *CSV_SYSTEMS)
    counts = _row_counts(hostile_duckdb, hostile_spark, systems)
    assert len(counts) >= 2 * len(systems), counts
    print("\nhostile rows (duckdb, spark):", counts)
    assert {t: c for t, c in counts.items() if c[0] != c[1]} == {}


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
