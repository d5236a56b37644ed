"""Headline numbers of a built warehouse, printed by `session-analytics summary`."""

from __future__ import annotations

from pathlib import Path

import duckdb

STAGED = {
    "sfb_qoe": "staging.stg_sfb_qoe__sessions",
    "sfb_cdr": "staging.stg_sfb_cdr__session_details",
    "graph (sessions)": "staging.stg_graph__sessions",
    "superoffice": "staging.stg_superoffice__chat_sessions",
    "syllable": "staging.stg_syllable__sessions",
}


def _exists(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    schema, name = qualified.split(".")
    found = con.execute(
        "select count(*) from information_schema.tables"
        " where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(found and found[0])


def summary_text(db_path: Path) -> str:
    """Rows per source, rejected rows and sessions per day, as printable text."""
    if not db_path.exists():
        raise FileNotFoundError(
            f"warehouse {db_path} does not exist: run `make demo` or `dbt build` first"
        )
    lines: list[str] = [f"Warehouse: {db_path}", "", "Staged rows per source:"]
    with duckdb.connect(str(db_path), read_only=True) as con:
        for system, relation in STAGED.items():
            n = con.execute(f"select count(*) from {relation}").fetchone()
            lines.append(f"  {system:<18} {n[0] if n else 0:>10,}")
        if _exists(con, "staging.rejected_rows"):
            n = con.execute("select count(*) from staging.rejected_rows").fetchone()
            lines.append(f"  {'rejected rows':<18} {n[0] if n else 0:>10,}")
        if _exists(con, "marts.fct_sessions"):
            lines += ["", "Sessions per day (all systems, last 10 days):"]
            rows = con.execute(
                "select session_date, count(*) from marts.fct_sessions"
                " group by 1 order by 1 desc limit 10"
            ).fetchall()
            lines += [f"  {day}  {n:>8,}" for day, n in sorted(rows)]
            lines += ["", "Sessions by system and outcome:"]
            rows = con.execute(
                "select source_system, outcome, count(*) from marts.fct_sessions"
                " group by all order by 1, 2"
            ).fetchall()
            lines += [f"  {s:<12} {o:<12} {n:>8,}" for s, o, n in rows]
    return "\n".join(lines)
