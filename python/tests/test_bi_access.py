"""BI access: SQLAlchemy (duckdb-engine, as Superset uses) read-only on the marts, and
`session-analytics export` to Parquet."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa
from dbt_harness import DbtResult

from session_analytics.cli import main
from session_analytics.export import MONTH_PARTITIONED

# The headline queries of docs/BI.md, as a BI tool would send them.
SESSIONS_BY_SYSTEM = """
    select s.system_name, count(*) as sessions
    from marts.fct_sessions as f
    join marts.dim_source_system as s using (source_system)
    where not f.is_test
    group by all
    order by sessions desc
"""
SUCCESS_RATE = """
    select sum(succeeded) / sum(final_outcome_sessions) as success_rate,
        sum(poor_streams) / nullif(sum(classified_streams), 0) as poor_stream_rate
    from marts.fct_call_quality_daily
"""
QUEUE_KPIS = """
    select sum(asa_seconds * chats_answered) / sum(chats_answered) as asa_seconds,
        sum(answered_within_service_level)
            / sum(chats_offered - short_abandons) as service_level,
        sum(chats_abandoned_in_queue) / sum(chats_offered) as abandonment_rate
    from marts.fct_chat_queue_daily
"""


@pytest.fixture(scope="module")
def engine(sample_warehouse: DbtResult) -> Iterator[sa.Engine]:
    url = f"duckdb:///{sample_warehouse.db_path}?access_mode=read_only"
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


def test_headline_queries_through_sqlalchemy(
    engine: sa.Engine, sample_warehouse: DbtResult
) -> None:
    with engine.connect() as con:
        by_system = con.execute(sa.text(SESSIONS_BY_SYSTEM)).all()
        success_rate, poor_stream_rate = con.execute(sa.text(SUCCESS_RATE)).one()
        asa, service_level, abandonment = con.execute(sa.text(QUEUE_KPIS)).one()

    assert len(by_system) == 7  # the five systems, Graph PSTN and Direct Routing
    expected = sample_warehouse.count("marts.fct_sessions", "not is_test")
    assert sum(n for _, n in by_system) == expected
    for rate in (success_rate, poor_stream_rate, service_level, abandonment):
        assert 0 < rate < 1
    assert asa > 0


def test_many_readers_at_once(engine: sa.Engine, sample_warehouse: DbtResult) -> None:
    """Read-only connections share the file: a BI tool's pool and, in another
    process, a notebook, side by side."""
    sql = "select count(*) from marts.dim_date"
    other_process = [
        sys.executable,
        "-c",
        "import duckdb, sys;"
        " con = duckdb.connect(sys.argv[1], read_only=True);"
        f" print(con.execute('{sql}').fetchone()[0])",
        str(sample_warehouse.db_path),
    ]
    with engine.connect() as first, engine.connect() as second:
        a = first.execute(sa.text(sql)).scalar_one()
        b = second.execute(sa.text(sql)).scalar_one()
        other = subprocess.run(
            other_process, capture_output=True, text=True, check=True, timeout=60
        )
    assert a == b == int(other.stdout) > 0


def test_connection_is_read_only(engine: sa.Engine) -> None:
    with engine.connect() as con, pytest.raises(sa.exc.DBAPIError, match="read-only"):
        con.execute(sa.text("create table marts.scratch as select 1 as x"))


def test_read_only_through_connect_args(sample_warehouse: DbtResult) -> None:
    """The form for tools whose URL field takes no query string (Superset's
    "Engine parameters": {"connect_args": {"read_only": true}})."""
    engine = sa.create_engine(
        f"duckdb:///{sample_warehouse.db_path}",
        connect_args={"read_only": True},
        poolclass=sa.pool.NullPool,
    )
    try:
        tables = sa.inspect(engine).get_table_names(schema="marts")
        with engine.connect() as con, pytest.raises(sa.exc.DBAPIError):
            con.execute(sa.text("delete from marts.dim_date"))
    finally:
        engine.dispose()
    assert {"fct_sessions", "dim_date", "fct_call_quality_daily"} <= set(tables)


def test_export_parquet(sample_warehouse: DbtResult, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    db = str(sample_warehouse.db_path)
    assert main(["export", "--format", "parquet", "--out", str(out), "--db", db]) == 0

    manifest = json.loads((out / "_manifest.json").read_text())
    marts = {
        name
        for (name,) in sample_warehouse.query(
            "select table_name from information_schema.tables"
            " where table_schema = 'marts'"
        )
    }
    assert {m["mart"] for m in manifest["marts"]} == marts
    reader = duckdb.connect()
    try:
        for mart in manifest["marts"]:
            name = mart["mart"]
            if name in MONTH_PARTITIONED:
                months = sorted(p.name for p in (out / name).iterdir())
                assert months and all(m.startswith("session_month=") for m in months)
                files = f"{out / name}/*/*.parquet"
                source = f"read_parquet('{files}', hive_partitioning = true)"
            else:
                source = f"read_parquet('{out / mart['path']}')"
            row = reader.execute(f"select count(*) from {source}").fetchone()
            expected = sample_warehouse.count(f"marts.{name}")
            assert row is not None and row[0] == mart["rows"] == expected, name
        cols = reader.execute(
            f"describe select * from read_parquet('{out}/fct_sessions/*/*.parquet',"
            " hive_partitioning = true)"
        ).fetchall()
    finally:
        reader.close()
    assert "session_month" in {c[0] for c in cols}
