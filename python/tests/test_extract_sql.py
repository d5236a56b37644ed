"""`session-analytics extract sql` against a DuckDB database (duckdb-engine) built here
with the documented tables, typed as SQL Server types them (datetime -> TIMESTAMP,
bit -> BOOLEAN, uniqueidentifier -> UUID), with NULLs, and the live CDR spelling
`ReplacesDialogIdTime` / `ReplacesDialogIdSeq` (REFERENCE.md §10).

Hand count: CDR 3 rows, QoE 2 rows, chats 2 rows. Second pull after changes: CDR
row (09:00, 2) re-modified + one new row, chat 2 ended: 2 + 1 rows land again; QoE
unchanged lands nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import sqlalchemy
from dbt_harness import dbt_build

from session_analytics.extract.sql import SYSTEMS, SqlOptions, extract_sql, sql_text
from session_analytics.generate import sfb_cdr, sfb_qoe, superoffice

CLI = Path(sys.executable).parent / "session-analytics"
DATETIMES = {
    "SessionIdTime", "ReplaceDialogIdTime", "InviteTime", "ResponseTime",
    "SessionEndTime", "LastModifiedTime", "ConferenceDateTime", "StartTime", "EndTime",
    "when_requested", "when_started", "when_ended",
}  # fmt: skip
BITS = {
    "IsUser1Internal", "IsUser2Internal", "Processed", "MediationServerBypassFlag",
    "MediaBypassWarningFlag", "ClassifiedPoorCall", "consented", "chatbot_isactive",
}  # fmt: skip
TEXTS = {
    "customer_alias", "customer_host", "name", "company_name", "email", "phone",
    "first_message", "last_message", "session_key", "country",
}  # fmt: skip
LIVE = {
    "ReplaceDialogIdTime": "ReplacesDialogIdTime",
    "ReplaceDialogIdSeq": "ReplacesDialogIdSeq",
}


def _type(column: str) -> str:
    if column in DATETIMES:
        return "timestamp"
    if column in BITS:
        return "boolean"
    if column == "CorrelationId":
        return "uuid"
    return "varchar" if column in TEXTS else "integer"


def _create(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...]):
    cols = ", ".join(f'"{LIVE.get(c, c)}" {_type(c)}' for c in columns)
    con.execute(f'create table "{table}" ({cols})')


def _insert(con, table: str, row: dict) -> None:
    names = ", ".join(f'"{LIVE.get(c, c)}"' for c in row)
    marks = ", ".join("?" for _ in row)
    con.execute(f'insert into "{table}" ({names}) values ({marks})', list(row.values()))


T = dt.datetime


def cdr(time: T, seq: int, modified: T, **extra) -> dict:
    row = {
        "SessionIdTime": time, "SessionIdSeq": seq, "User1Id": 1, "User2Id": 2,
        "ServerId": 1, "PoolId": 1, "IsUser1Internal": True, "IsUser2Internal": False,
        "InviteTime": time, "ResponseCode": 200, "MediaTypes": 16, "Processed": True,
        "LastModifiedTime": modified,
    }  # fmt: skip
    return {**row, **extra}


def chat(chat_id: int, requested: T, status: int, **extra) -> dict:
    row = {
        "id": chat_id, "topic_id": 1, "status": status, "when_requested": requested,
        "session_key": "deadbeefdeadbeefdeadbeefdeadbeef", "initial_queue_pos": 1,
        "email": "anna.berg@example.com", "consented": True, "chatbot_isactive": False,
    }  # fmt: skip
    return {**row, **extra}


@pytest.fixture
def source_db(tmp_path: Path) -> Path:
    path = tmp_path / "source.duckdb"
    with duckdb.connect(str(path)) as con:
        _create(con, "SessionDetails", sfb_cdr.COLUMNS)
        _create(con, "Session", sfb_qoe.COLUMNS)
        _create(con, "chat_session", superoffice.COLUMNS)
        nine = T(2024, 3, 5, 9, 0, 0)
        _insert(
            con,
            "SessionDetails",
            cdr(
                nine,
                1,
                T(2024, 3, 5, 9, 10, 1, 347000),
                CorrelationId="6f9619ff-8b86-d011-b42d-00c04fc964ff",
                ResponseTime=T(2024, 3, 5, 9, 0, 2),
                SessionEndTime=T(2024, 3, 5, 9, 10),
            ),
        )
        _insert(con, "SessionDetails", cdr(nine, 2, T(2024, 3, 5, 9, 0, 6)))
        _insert(
            con,
            "SessionDetails",
            cdr(
                T(2024, 3, 5, 10),
                1,
                T(2024, 3, 5, 10, 5),
                ReplaceDialogIdTime=nine,
                ReplaceDialogIdSeq=1,
                SessionEndTime=T(2024, 3, 5, 10, 4),
            ),
        )
        for seq, start in (
            (1, T(2024, 3, 5, 14, 2, 11, 347000)),
            (2, T(2024, 3, 5, 15)),
        ):
            _insert(
                con,
                "Session",
                {
                    "ConferenceDateTime": start,
                    "SessionSeq": seq,
                    "ConferenceKey": 10,
                    "CorrelationKey": 100 + seq,
                    "DialogCategory": 0,
                    "MediationServerBypassFlag": False,
                    "StartTime": start,
                    "EndTime": start + dt.timedelta(minutes=3),
                    "CallerPool": 1,
                    "CalleePool": 2,
                    "CallerURI": 5,
                    "CallerEndpoint": 7,
                    "CallerUserAgent": 3,
                    "CallPriority": 2,
                    "CalleeEndpoint": 8,
                    "CalleeUserAgent": 4,
                    "CalleeUri": 6,
                },  # fmt: skip
            )
        _insert(
            con,
            "chat_session",
            chat(
                1,
                T(2024, 3, 5, 10),
                7,
                when_started=T(2024, 3, 5, 10, 0, 15),
                when_ended=T(2024, 3, 5, 10, 5, 15),
                rating=5,
            ),
        )
        _insert(con, "chat_session", chat(2, T(2024, 3, 5, 10, 1), 4))
    return path


def extract(db: Path, landing: Path, system: str) -> object:
    options = SqlOptions(
        landing_dir=landing,
        system=system,
        url=f"duckdb:///{db}",
        chunk_rows=2,
        progress=False,
    )
    return extract_sql(options)


def landed(landing: Path, folder: str) -> list[dict]:
    rows = []
    for path in sorted((landing / folder).glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def test_sql_text_formats():
    assert sql_text(T(2024, 3, 5, 14, 2, 11, 347999)) == "2024-03-05 14:02:11.347"
    assert (sql_text(True), sql_text(False), sql_text(None)) == ("1", "0", "")


def test_extract_rerun_update_and_dbt_build(source_db: Path, tmp_path: Path):
    landing = tmp_path / "landing"
    first = {s: extract(source_db, landing, s) for s in SYSTEMS}
    assert {s: (r.read, r.landed) for s, r in first.items()} == {
        "sfb_cdr": (3, 3),
        "sfb_qoe": (2, 2),
        "superoffice": (2, 2),
    }
    # chunks of 2 rows: CDR in two files, the first run's names sort first
    names = sorted(p.name for p in (landing / "sfb_cdr").glob("*.csv"))
    assert names == [
        "SessionDetails_00000000T000000Z_0001.csv",
        "SessionDetails_00000000T000000Z_0002.csv",
    ]
    # ordered by the watermark: (09:00, 2), modified 09:00:06, comes first
    first_file = (landing / "sfb_cdr" / names[0]).read_text(encoding="utf-8")
    header, other, line = first_file.splitlines()
    assert header.split(",") == list(sfb_cdr.COLUMNS)  # documented spelling
    assert other.startswith("2024-03-05 09:00:00.000,2,,")
    # hand-written: the documented columns of row (09:00, 1) in order, NULL empty,
    # bits 0/1, datetimes with milliseconds
    assert line == (
        "2024-03-05 09:00:00.000,1,6F9619FF-8B86-D011-B42D-00C04FC964FF,,,1,2,,,,,,,"
        "1,1,,,,,,1,0,2024-03-05 09:00:00.000,2024-03-05 09:00:02.000,200,,,,,"
        "2024-03-05 09:10:00.000,16,,,,1,2024-03-05 09:10:01.347"
    )
    replaced = [r for r in landed(landing, "sfb_cdr") if r["ReplaceDialogIdSeq"]]
    assert [(r["ReplaceDialogIdTime"], r["ReplaceDialogIdSeq"]) for r in replaced] == [
        ("2024-03-05 09:00:00.000", "1")
    ]
    chats = (landing / "superoffice").glob("*.csv")
    text = "".join(p.read_text(encoding="utf-8") for p in chats)
    assert "session_key" not in text and "deadbeef" not in text

    # a rerun reads the overlap again and lands nothing twice
    again = {s: extract(source_db, landing, s) for s in SYSTEMS}
    assert {s: (r.landed, r.skipped) for s, r in again.items()} == {
        "sfb_cdr": (0, 3),
        "sfb_qoe": (0, 2),
        "superoffice": (0, 2),
    }

    with duckdb.connect(str(source_db)) as con:
        con.execute(
            'update "SessionDetails" set "SessionEndTime" = ?, "LastModifiedTime" = ?'
            ' where "SessionIdSeq" = 2',
            [T(2024, 3, 5, 9, 20), T(2024, 3, 5, 15, 0)],
        )
        _insert(con, "SessionDetails", cdr(T(2024, 3, 5, 11), 1, T(2024, 3, 5, 11, 9)))
        con.execute(
            "update chat_session set status = 7, when_started = ?, when_ended = ?"
            " where id = 2",
            [T(2024, 3, 5, 10, 2), T(2024, 3, 5, 10, 9)],
        )
    third = {s: extract(source_db, landing, s) for s in SYSTEMS}
    assert {s: r.landed for s, r in third.items()} == {
        "sfb_cdr": 2,
        "sfb_qoe": 0,
        "superoffice": 1,
    }
    assert len(landed(landing, "sfb_cdr")) == 5

    result = dbt_build(landing, tmp_path / "dbt", select="+row_reconciliation")
    assert result.count("staging.stg_sfb_cdr__session_details") == 4
    assert result.count("staging.stg_sfb_qoe__sessions") == 2
    assert result.count("staging.stg_superoffice__chat_sessions") == 2
    # the re-modified CDR row and the ended chat win over their first landing
    assert result.scalar(
        "select cast(last_modified_time as varchar) from"
        " staging.stg_sfb_cdr__session_details where session_id_seq = 2"
    ).startswith("2024-03-05 15:00:00")
    assert result.scalar(
        "select cast(when_ended as varchar) from staging.stg_superoffice__chat_sessions"
        " where chat_session_id = 2"
    ).startswith("2024-03-05 10:09:00")
    rows = result.query(
        "select source_system, landed_rows, staged_rows, superseded_rows,"
        " rejected_rows from staging.row_reconciliation"
    )
    totals = {}
    for system, *counts in rows:
        totals[system] = [
            a + b for a, b in zip(totals.get(system, [0] * 4), counts, strict=True)
        ]
    assert totals == {
        "sfb_cdr": [5, 4, 1, 0],
        "sfb_qoe": [2, 2, 0, 0],
        "superoffice": [3, 2, 1, 0],
    }


def test_cli_names_missing_columns_and_hides_the_password(tmp_path: Path):
    db = tmp_path / "bad.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute('create table "SessionDetails" ("SessionIdTime" timestamp)')
    done = subprocess.run(
        [
            str(CLI),
            "extract",
            "sql",
            "--system",
            "sfb_cdr",
            "--quiet",
            "--landing-dir",
            str(tmp_path / "landing"),
            "--url",
            f"duckdb:///{db}",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "table SessionDetails has no column LastModifiedTime" in done.stderr
    assert not (tmp_path / "landing" / "sfb_cdr").exists()
    # a URL whose driver is missing: a clear message, the password nowhere
    no_driver = subprocess.run(
        [
            str(CLI),
            "extract",
            "sql",
            "--system",
            "sfb_qoe",
            "--quiet",
            "--landing-dir",
            str(tmp_path / "landing"),
        ],  # fmt: skip
        env={
            **os.environ,
            "SESSION_ANALYTICS_SQL_URL": "mssql+pymssql://u:hunter2@h/db",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert no_driver.returncode == 1
    assert "install the driver" in no_driver.stderr
    assert "hunter2" not in no_driver.stderr + no_driver.stdout


def test_integer_watermark(source_db: Path, tmp_path: Path):
    """chats by `id` (strictly after the highest id landed): 2, then 0, then 1; and
    no statement sent names session_key."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    sqlalchemy.event.listen(sqlalchemy.engine.Engine, "before_cursor_execute", record)
    try:
        _pull_by_id(source_db, tmp_path)
    finally:
        sqlalchemy.event.remove(
            sqlalchemy.engine.Engine, "before_cursor_execute", record
        )
    selects = [s for s in statements if "chat_session" in s and "when_requested" in s]
    assert len(selects) == 3  # one read per run
    assert not [s for s in statements if "session_key" in s.lower()]


def _pull_by_id(source_db: Path, tmp_path: Path) -> None:
    options = SqlOptions(
        landing_dir=tmp_path,
        system="superoffice",
        url=f"duckdb:///{source_db}",
        watermark="id",
        progress=False,
    )
    assert extract_sql(options).landed == 2
    assert extract_sql(options).read == 0
    with duckdb.connect(str(source_db)) as con:
        _insert(con, "chat_session", chat(3, T(2024, 3, 6, 8), 7))
    third = extract_sql(options)
    assert (third.read, third.landed) == (1, 1)
    names = sorted(p.name for p in (tmp_path / "superoffice").glob("*.csv"))
    assert names == [
        "chat_session_00000000T000000Z_0001.csv",
        "chat_session_after00000000000000000002_0001.csv",
    ]


def test_killed_run_resumes_without_loss_or_duplicates(source_db: Path, tmp_path: Path):
    """SIGKILL after the first CDR file is renamed (the state is saved at the end of
    a run only): the rerun reads that file back and lands the third row alone."""
    landing = tmp_path / "landing"
    args = [
        str(CLI), "extract", "sql", "--system", "sfb_cdr", "--chunk-rows", "2",
        "--landing-dir", str(landing), "--url", f"duckdb:///{source_db}",
    ]  # fmt: skip
    proc = subprocess.Popen(
        args,
        env={**os.environ, "SESSION_ANALYTICS_EXTRACT_PAUSE": "file:1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        reached = any("paused at file:1" in line for line in proc.stderr)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        proc.stderr.close()
    assert reached
    assert len(landed(landing, "sfb_cdr")) == 2
    assert not (landing / ".extract_state").exists()
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    rows = landed(landing, "sfb_cdr")
    keys = sorted((r["SessionIdTime"], r["SessionIdSeq"]) for r in rows)
    assert keys == [
        ("2024-03-05 09:00:00.000", "1"),
        ("2024-03-05 09:00:00.000", "2"),
        ("2024-03-05 10:00:00.000", "1"),
    ]
