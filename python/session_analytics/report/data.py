"""The data behind the HTML report: small aggregates of the marts, read-only.

Every query is a plain select over `marts.*` (and `staging.rejected_rows` /
the staging tables' `loaded_at` for the data-quality panel). The results are
additive counts per day (and hour) so the page can re-aggregate them for any
date range and set of systems without going back to the warehouse.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb

Table = dict[str, list[Any]]  # {"columns": [...], "rows": [[...], ...]}

# Upper bounds (seconds) of the duration histogram buckets; the last is open-ended.
DURATION_EDGES: tuple[int, ...] = (10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200)
DURATION_LABELS: tuple[str, ...] = (
    "< 10 s",
    "10–30 s",
    "30–60 s",
    "1–2 min",
    "2–5 min",
    "5–10 min",
    "10–20 min",
    "20–30 min",
    "30–60 min",
    "1–2 h",
    "≥ 2 h",
)

# The staging table whose rows are one landed record of each system.
STAGED_TABLES: dict[str, str] = {
    "sfb_qoe": "staging.stg_sfb_qoe__sessions",
    "sfb_cdr": "staging.stg_sfb_cdr__session_details",
    "graph": "staging.stg_graph__call_records",
    "superoffice": "staging.stg_superoffice__chat_sessions",
    "syllable": "staging.stg_syllable__sessions",
}

QUALITY_DAILY = """
select session_date, source_system,
    sum(sessions) as sessions,
    sum(final_outcome_sessions) as final_outcome_sessions,
    sum(succeeded) as succeeded,
    sum(setup_failures) as setup_failures,
    sum(midcall_drops) as midcall_drops,
    sum(classified_streams) as classified_streams,
    sum(poor_streams) as poor_streams
from marts.fct_call_quality_daily
group by all
order by all
"""

QUEUE_HOURLY = """
select session_date, day_of_week, hour_of_day,
    sum(chats_offered) as offered,
    sum(chats_answered) as answered,
    sum(chats_abandoned_in_queue) as abandoned,
    sum(short_abandons) as short_abandons,
    sum(answered_within_service_level) as within_service_level,
    sum(coalesce(asa_seconds, 0) * chats_answered) as wait_seconds
from marts.fct_chat_queue_hourly
group by all
order by all
"""

FAILURES = """
select session_date, source_system, failure_stage, failure_reason,
    count(*) as sessions
from marts.fct_sessions
where failure_reason is not null and not is_test
group by all
order by all
"""

NETWORK = """
select session_date,
    coalesce(caller_network_connection_type, 'unknown') as connection_type,
    count(*) filter (where is_classified) as classified_streams,
    count(*) filter (where is_poor) as poor_streams
from marts.fct_graph_media_streams
where is_test = false
group by all
order by all
"""

# The "where" section (issue 17): poor audio streams by endpoint-side dimension and the
# Direct Routing telephony ratios by SBC.
WHERE_STREAMS = """
select session_date, drill_dimension, drill_value,
    sum(classified_stream_sides) as classified,
    sum(poor_stream_sides) as poor
from marts.fct_stream_quality_by_dimension_daily
where stream_type = 'audio'
    and drill_dimension in ('building', 'network', 'platform', 'capture_device')
group by all
order by all
"""

WHERE_PSTN = """
select call_date as session_date, source_system,
    coalesce(sbc_fqdn, '(Calling Plan)') as sbc,
    sum(calls) as calls, sum(attempts) as attempts,
    sum(answered_attempts) as answered, sum(ner_effective_attempts) as effective,
    sum(minutes) as minutes
from marts.fct_pstn_daily
group by all
order by all
"""

REJECTED = """
select source_system, source_entity, rejection_reason,
    count(*) as rejected_rows, max(loaded_at) as last_loaded_at
from staging.rejected_rows
group by all
order by rejected_rows desc, source_system
"""

# Graph call records whose sessions the API paged and nobody merged: partial calls.
INCOMPLETE_CALL_RECORDS = """
select
    count(*) filter (where not sessions_complete) as incomplete_call_records,
    count(*) as call_records
from staging.stg_graph__call_records
"""

SYSTEMS = """
select source_system, system_name
from marts.dim_source_system
order by source_system
"""

LATEST_SESSIONS = """
select source_system, max(session_date) as latest_session_date
from marts.fct_sessions
group by all
"""


def _duration_sql() -> str:
    cases = " ".join(
        f"when duration_seconds < {edge} then {i}"
        for i, edge in enumerate(DURATION_EDGES)
    )
    return (
        "select session_date, source_system,"
        f" case {cases} else {len(DURATION_EDGES)} end as bucket,"
        " count(*) as sessions"
        " from marts.fct_sessions"
        " where duration_seconds is not null and not is_test"
        " group by all order by all"
    )


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    return value


def _table(con: duckdb.DuckDBPyConnection, sql: str) -> Table:
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description or ()]
    rows = [[_json_value(v) for v in row] for row in cursor.fetchall()]
    return {"columns": columns, "rows": rows}


def _exists(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    schema, name = qualified.split(".")
    found = con.execute(
        "select count(*) from information_schema.tables"
        " where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(found and found[0])


def _loads(con: duckdb.DuckDBPyConnection) -> Table:
    """Rows, files and last load time of each system's staging table."""
    latest = dict(con.execute(LATEST_SESSIONS).fetchall())
    rows: list[list[Any]] = []
    for system, relation in STAGED_TABLES.items():
        staged, files, loaded = 0, 0, None
        if _exists(con, relation):
            found = con.execute(
                f"select count(*), count(distinct source_file), max(loaded_at)"
                f" from {relation}"
            ).fetchone()
            if found:
                staged, files, loaded = found
        rows.append(
            [
                _json_value(v)
                for v in (system, staged, files, loaded, latest.get(system))
            ]
        )
    return {
        "columns": [
            "source_system",
            "staged_rows",
            "files",
            "last_loaded_at",
            "latest_session_date",
        ],
        "rows": rows,
    }


def load_report_data(db_path: Path) -> dict[str, Any]:
    """Everything the report shows, as JSON-ready tables (read-only connection)."""
    if not db_path.exists():
        raise FileNotFoundError(
            f"warehouse {db_path} does not exist: run `make build` (or pass --db)"
        )
    with duckdb.connect(str(db_path), read_only=True) as con:
        data: dict[str, Any] = {
            "systems": _table(con, SYSTEMS),
            "quality_daily": _table(con, QUALITY_DAILY),
            "queue_hourly": _table(con, QUEUE_HOURLY),
            "durations": _table(con, _duration_sql()),
            "failures": _table(con, FAILURES),
            "network": _table(con, NETWORK),
            "where_streams": _table(con, WHERE_STREAMS),
            "where_pstn": _table(con, WHERE_PSTN),
            "rejected": _table(con, REJECTED),
            "loads": _loads(con),
            "incomplete": _table(con, INCOMPLETE_CALL_RECORDS)
            if _exists(con, "staging.stg_graph__call_records")
            else {"columns": [], "rows": []},
        }
    data["duration_labels"] = list(DURATION_LABELS)
    data["meta"] = {
        "warehouse": db_path.name,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    return data
