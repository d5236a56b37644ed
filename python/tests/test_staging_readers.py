"""The landing readers and the staging layer, on small hand-written landing dirs.

Every expectation here was worked out by hand from the fixture files (see the comments),
never copied from a build's output.

Builds (10-30 s of dbt CPU each) are shared: `small_warehouse` (conftest, session
scope) is fixtures/landing_small; the other landing dirs are written into tmp dirs below
and built together, in parallel, once per module (`scenario_builds`).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from dbt_harness import DbtResult, copy_landing, dbt_build_many

SFB_QOE = "staging.stg_sfb_qoe__sessions"
SFB_CDR = "staging.stg_sfb_cdr__session_details"
SUPEROFFICE = "staging.stg_superoffice__chat_sessions"
SYLLABLE = "staging.stg_syllable__sessions"
SYLLABLE_LABELS = "staging.stg_syllable__session_labels"
GRAPH_CALL_RECORDS = "staging.stg_graph__call_records"
GRAPH_SESSIONS = "staging.stg_graph__sessions"
GRAPH_SEGMENTS = "staging.stg_graph__segments"
GRAPH_STREAMS = "staging.stg_graph__media_streams"
REJECTED = "staging.rejected_rows"
STAGING_MODELS = (
    SFB_QOE,
    SFB_CDR,
    SUPEROFFICE,
    SYLLABLE,
    SYLLABLE_LABELS,
    GRAPH_CALL_RECORDS,
    GRAPH_SESSIONS,
    GRAPH_SEGMENTS,
    GRAPH_STREAMS,
)
GRAPH_MODELS = (GRAPH_CALL_RECORDS, GRAPH_SESSIONS, GRAPH_SEGMENTS, GRAPH_STREAMS)
HEX64 = re.compile(r"^[0-9a-f]{64}$")

# Personal data in fixtures/landing_small (SuperOffice name/email/phone/messages/host,
# Syllable source, Syllable label user_email, Graph displayName/userPrincipalName).
PERSONAL_DATA = (
    "anna.berg@example.com",
    "+47 22 33 44 55",
    "Anna Berg",
    "+18042221111",
    "bob@example.com",
    "qa@example.com",
    "anna@example.com",
    "Hello, I need help",
    "10.1.2.3",
)
# SuperOffice chat_session.session_key values: authentication secrets, never read.
SESSION_KEYS = (
    "deadbeefdeadbeefdeadbeefdeadbeef",
    "cafebabecafebabecafebabecafebabe",
)


def rows_by_key(result: DbtResult, relation: str, key: str, columns: str) -> dict:
    """{key: (columns...)} of a relation."""
    rows = result.query(f"select {key}, {columns} from {relation}")
    by_key = {row[0]: row[1:] for row in rows}
    assert len(by_key) == len(rows), f"duplicate {key} in {relation}: {rows!r}"
    return by_key


def column_type(result: DbtResult, relation: str, column: str) -> str:
    schema, name = relation.split(".")
    return result.scalar(
        "select data_type from information_schema.columns"
        " where table_schema = ? and table_name = ? and column_name = ?",
        [schema, name, column],
    )


def rejected(result: DbtResult) -> list[tuple[str, str, str, int | None, str]]:
    """(system, entity, file name, row number, reason) of every quarantined row."""
    return sorted(
        (system, entity, Path(file).name, row, reason)
        for system, entity, file, row, reason in result.query(
            "select source_system, source_entity, source_file, source_row_number,"
            f" rejection_reason from {REJECTED}"
        )
    )


def raw_record(result: DbtResult, file_name: str, row: int) -> dict[str, Any]:
    (record,) = [
        json.loads(raw)
        for file, number, raw in result.query(
            f"select source_file, source_row_number, raw_record from {REJECTED}"
        )
        if Path(file).name == file_name and number == row
    ]
    return record


def assert_every_model_built(result: DbtResult) -> None:
    """Every enabled, non-ephemeral model of the project ran successfully (so whatever
    intermediate/marts models exist build too)."""
    manifest = json.loads((result.work_dir / "target" / "manifest.json").read_text())
    models = {
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
        and node["config"].get("enabled", True)
        and node["config"]["materialized"] != "ephemeral"
    }
    statuses = {
        r["unique_id"]: r["status"]
        for r in result.run_results()
        if r["unique_id"].startswith("model.")
    }
    assert models, "no models in the manifest"
    assert statuses == dict.fromkeys(models, "success")
    failures = [r for r in result.run_results() if r["status"] in ("error", "fail")]
    assert failures == []


# --------------------------------------------------------------------------------------
# fixtures/landing_small
# --------------------------------------------------------------------------------------

# Hand counts of fixtures/landing_small:
# - sfb_qoe: 3 data rows, 3 distinct (ConferenceDateTime, SessionSeq), none invalid.
# - sfb_cdr: 3 rows + 2 in _update.csv; update row 1 re-exports (09:00, 1) (superseded
#   original), update row 2 has SessionIdTime "not-a-date" -> 3 staged, 1 rejected.
# - superoffice: 2 chat sessions (one field spans two lines), none invalid.
# - syllable: 3 items in the page + 1 jsonl line; item 3 has duration -4 -> 3 + 1.
# - syllable_labels: 1.
# - graph call records: page (rec-1, rec-2 v1) + rec-2 v2 + jsonl (rec-3, no id)
#   -> rec-1, rec-2, rec-3 staged, 1 rejected.
# - graph sessions of the kept versions: s-1 (rec-1), s-2, s-3 (rec-2 v2), s-4 (rec-3).
# - graph segments: g-1 only (rec-2 v2 and rec-3 have none); streams: 2 in g-1.
SMALL_COUNTS = [
    # relation, staged, (source_system, source_entity), rejected
    (SFB_QOE, 3, ("sfb_qoe", "session"), 0),
    (SFB_CDR, 3, ("sfb_cdr", "session_details"), 1),
    (SUPEROFFICE, 2, ("superoffice", "chat_session"), 0),
    (SYLLABLE, 3, ("syllable", "session"), 1),
    (SYLLABLE_LABELS, 1, ("syllable", "session_label"), 0),
    (GRAPH_CALL_RECORDS, 3, ("graph", "call_record"), 1),
    (GRAPH_SESSIONS, 4, ("graph", "session"), 0),
    (GRAPH_SEGMENTS, 1, ("graph", "segment"), 0),
    (GRAPH_STREAMS, 2, ("graph", "media_stream"), 0),
]


@pytest.mark.parametrize(
    ("relation", "staged", "source", "rejected_count"),
    SMALL_COUNTS,
    ids=[relation.split(".")[1] for relation, *_ in SMALL_COUNTS],
)
def test_small_counts_staged_and_rejected(
    small_warehouse: DbtResult,
    relation: str,
    staged: int,
    source: tuple[str, str],
    rejected_count: int,
) -> None:
    assert small_warehouse.count(relation) == staged
    system, entity = source
    assert (
        small_warehouse.count(
            REJECTED, f"source_system = '{system}' and source_entity = '{entity}'"
        )
        == rejected_count
    )


def test_small_rejected_rows_locate_file_row_and_reason(
    small_warehouse: DbtResult,
) -> None:
    rows = rejected(small_warehouse)
    assert [row[:4] for row in rows] == [
        # the bad SessionIdTime is data row 2 of the update file
        ("graph", "call_record", "callRecords_2024-03-06.jsonl", 2),  # line 2: no id
        ("sfb_cdr", "session_details", "SessionDetails_2024-03-05_update.csv", 2),
        ("syllable", "session", "sessions_2024-03-05.json", 3),  # item 3: duration -4
    ]
    reasons = {row[2]: row[4] for row in rows}
    assert "missing key" in reasons["callRecords_2024-03-06.jsonl"]
    assert reasons["callRecords_2024-03-06.jsonl"].endswith(" id")
    cdr_reason = reasons["SessionDetails_2024-03-05_update.csv"]
    assert "SessionIdTime" in cdr_reason and "datetime" in cdr_reason
    assert "negative duration" in reasons["sessions_2024-03-05.json"]


def test_small_rejected_raw_records_keep_the_landed_text(
    small_warehouse: DbtResult,
) -> None:
    cdr = raw_record(small_warehouse, "SessionDetails_2024-03-05_update.csv", 2)
    # Header: SessionIdSeq,SessionIdTime,MediaTypes,ResponseCode,InviteTime,
    # SessionEndTime,LastModifiedTime -- matched by name, not position.
    assert cdr["SessionIdTime"] == "not-a-date"
    assert cdr["SessionIdSeq"] == "1"
    assert cdr["MediaTypes"] == "16"
    assert cdr["InviteTime"] == "2024-03-05 09:00:00.000"
    assert cdr["SessionEndTime"] is None  # empty field
    assert cdr["CorrelationId"] is None  # column absent from that file
    syllable = raw_record(small_warehouse, "sessions_2024-03-05.json", 3)
    assert syllable["session_id"] == "1003"
    assert syllable["duration"] == "-4"
    graph = raw_record(small_warehouse, "callRecords_2024-03-06.jsonl", 2)
    assert graph["id"] is None
    assert graph["version"] == "1"


def test_small_landed_equals_staged_plus_superseded_plus_rejected(
    small_warehouse: DbtResult,
) -> None:
    # CDR: 5 landed = 3 staged + 1 superseded ((09:00, 1) original) + 1 rejected.
    # Graph call records: 5 landed = 3 staged + 1 superseded (rec-2 v1) + 1 rejected.
    # Syllable: 4 landed = 3 staged + 1 rejected.
    for relation, system, entity, landed, superseded in [
        (SFB_CDR, "sfb_cdr", "session_details", 5, 1),
        (GRAPH_CALL_RECORDS, "graph", "call_record", 5, 1),
        (SYLLABLE, "syllable", "session", 4, 0),
    ]:
        rejected_count = small_warehouse.count(
            REJECTED, f"source_system = '{system}' and source_entity = '{entity}'"
        )
        assert small_warehouse.count(relation) + superseded + rejected_count == landed


@pytest.mark.parametrize(
    ("relation", "column", "expected_type"),
    [
        (SYLLABLE, "session_timestamp", "TIMESTAMP"),
        (SYLLABLE, "duration_seconds", "DOUBLE"),
        (GRAPH_CALL_RECORDS, "started_at", "TIMESTAMP"),
        (GRAPH_CALL_RECORDS, "last_modified_at", "TIMESTAMP"),
        (GRAPH_SESSIONS, "ended_at", "TIMESTAMP"),
        (GRAPH_STREAMS, "average_jitter_ms", "DOUBLE"),
        (GRAPH_STREAMS, "packet_utilization", "BIGINT"),
        (SFB_QOE, "conference_date_time", "TIMESTAMP"),
        (SFB_QOE, "session_seq", "INTEGER"),
        (SFB_QOE, "callee_pai", "INTEGER"),
        (SFB_QOE, "dialog_category", "BOOLEAN"),
        (SFB_CDR, "last_modified_time", "TIMESTAMP"),
        (SUPEROFFICE, "when_requested", "TIMESTAMP"),
        (SYLLABLE_LABELS, "labelled_at", "TIMESTAMP"),
    ],
)
def test_small_column_types(
    small_warehouse: DbtResult, relation: str, column: str, expected_type: str
) -> None:
    assert column_type(small_warehouse, relation, column) == expected_type


def test_syllable_offset_timestamp_with_7_digits_is_utc(
    small_warehouse: DbtResult,
) -> None:
    sessions = rows_by_key(
        small_warehouse,
        SYLLABLE,
        "session_id",
        "session_timestamp, duration_seconds, channel_manager_type, is_test",
    )
    assert set(sessions) == {"1001", "1002", "1004"}
    # 2024-03-05T12:05:00.1234567+02:00 -> 10:05:00.123456 UTC
    assert sessions["1002"][0] == datetime(2024, 3, 5, 10, 5, 0, 123456)
    assert sessions["1001"] == (
        datetime(2024, 3, 5, 12, 0),
        125.5,
        "voice_sip_v1",
        False,
    )
    # from the .jsonl file
    assert sessions["1004"] == (
        datetime(2024, 3, 6, 9, 0),
        30.0,
        "voice_twilio_v1",
        None,
    )


def test_syllable_session_labels(small_warehouse: DbtResult) -> None:
    (row,) = small_warehouse.query(
        "select session_label_id, session_id, label_type, label_code, labelled_at,"
        f" issue_categories_json, comments_hash from {SYLLABLE_LABELS}"
    )
    assert row[:5] == (501, 1001, "human-rating", "GOOD", datetime(2024, 3, 5, 13, 0))
    assert json.loads(row[5]) == ["latency"]
    assert row[6] is None  # comments absent


def test_graph_7_digit_fractions_parse(small_warehouse: DbtResult) -> None:
    started_at, last_modified_at, ended_at = small_warehouse.query(
        f"select started_at, last_modified_at, ended_at from {GRAPH_CALL_RECORDS}"
        " where call_record_id = 'rec-1'"
    )[0]
    assert started_at == datetime(2024, 3, 5, 10, 0, 0, 123456)
    assert last_modified_at == datetime(2024, 3, 5, 10, 10, 0, 123456)
    assert ended_at == datetime(2024, 3, 5, 10, 5)


def test_sfb_qoe_sql_server_datetime_text(small_warehouse: DbtResult) -> None:
    sessions = rows_by_key(
        small_warehouse,
        SFB_QOE,
        "session_seq || '@' || strftime(conference_date_time, '%H:%M')",
        "conference_date_time, start_time, end_time, conference_key, dialog_category,"
        " media_bypass_warning_flag",
    )
    assert sessions == {
        "1@14:02": (
            datetime(2024, 3, 5, 14, 2, 11, 347000),
            datetime(2024, 3, 5, 14, 2, 11, 347000),
            datetime(2024, 3, 5, 14, 5, 11, 347000),
            10,
            False,
            None,
        ),
        "1@15:00": (
            datetime(2024, 3, 5, 15, 0),
            datetime(2024, 3, 5, 15, 0),
            None,
            11,
            True,
            1,
        ),
        "2@16:00": (
            datetime(2024, 3, 5, 16, 0),
            datetime(2024, 3, 5, 16, 0),
            datetime(2024, 3, 5, 16, 30, 0, 500000),
            12,
            False,
            None,
        ),
    }


def test_sfb_qoe_all_null_csv_column_is_null_integer(
    small_warehouse: DbtResult,
) -> None:
    # CalleePAI (and CallerPAI, ClassifiedPoorCall) are empty in every row of the file.
    assert column_type(small_warehouse, SFB_QOE, "callee_pai") == "INTEGER"
    assert column_type(small_warehouse, SFB_QOE, "caller_pai") == "INTEGER"
    assert small_warehouse.query(
        f"select count(*), count(callee_pai), count(caller_pai),"
        f" count(classified_poor_call), count(callee_uri) from {SFB_QOE}"
    ) == [(3, 0, 0, 0, 3)]


def test_sfb_cdr_reexported_row_wins_by_last_modified_time(
    small_warehouse: DbtResult,
) -> None:
    details = rows_by_key(
        small_warehouse,
        SFB_CDR,
        "session_id_seq || '@' || strftime(session_id_time, '%H:%M')",
        "media_types, response_code, session_end_time, last_modified_time, source_file",
    )
    assert set(details) == {"1@09:00", "2@09:00", "1@10:00"}
    # (09:00, 1): the update file (LastModifiedTime 2024-03-06) beats the original
    # (09:10:01); its columns are read by name although they are in another order.
    media_types, response_code, ended, last_modified, source_file = details["1@09:00"]
    assert (media_types, response_code) == (48, 200)
    assert ended == datetime(2024, 3, 5, 9, 20)
    assert last_modified == datetime(2024, 3, 6, 0, 0)
    assert Path(source_file).name == "SessionDetails_2024-03-05_update.csv"
    assert details["2@09:00"][:4] == (16, 486, None, datetime(2024, 3, 5, 9, 0, 6))
    assert Path(details["1@10:00"][4]).name == "SessionDetails_2024-03-05.csv"


def test_sfb_cdr_typed_columns(small_warehouse: DbtResult) -> None:
    row = small_warehouse.query(
        "select user1_id, user2_id, is_user1_internal, is_user2_internal,"
        " user1_message_count, user2_message_count, media_types, processed,"
        f" response_time from {SFB_CDR}"
        " where session_id_time = '2024-03-05 10:00:00' and session_id_seq = 1"
    )
    assert row == [(5, 6, False, False, 4, 3, 1, True, datetime(2024, 3, 5, 10, 0, 1))]
    assert small_warehouse.query(
        f"select user2_flag, call_flag from {SFB_CDR}"
        " where session_id_time = '2024-03-05 09:00:00' and session_id_seq = 2"
    ) == [(1, 1)]


def test_superoffice_csv_with_multiline_field(small_warehouse: DbtResult) -> None:
    chats = rows_by_key(
        small_warehouse,
        SUPEROFFICE,
        "chat_session_id",
        "customer_id, status, when_requested, when_started, when_ended,"
        " initial_queue_pos, flags, consented, chatbot_isactive, rating",
    )
    # last_message of chat 1 is "Thanks<newline>bye": the later columns still line up.
    assert chats == {
        1: (
            -1,
            7,
            datetime(2024, 3, 5, 10, 0),
            datetime(2024, 3, 5, 10, 0, 15),
            datetime(2024, 3, 5, 10, 5, 15),
            1,
            0,
            True,
            False,
            5,
        ),
        2: (
            None,
            11,
            datetime(2024, 3, 5, 10, 1),
            None,
            datetime(2024, 3, 5, 10, 3),
            2,
            0,
            True,
            False,
            None,
        ),
    }


def test_graph_page_single_object_and_jsonl_files(small_warehouse: DbtResult) -> None:
    records = rows_by_key(
        small_warehouse,
        GRAPH_CALL_RECORDS,
        "call_record_id",
        "version, call_type, modalities, source_file",
    )
    assert {key: value[:3] for key, value in records.items()} == {
        "rec-1": (1, "peerToPeer", ["audio"]),  # page record 1
        "rec-2": (2, "groupCall", ["audio", "video"]),  # single-object file
        "rec-3": (1, "peerToPeer", None),  # .jsonl line 1 (no modalities)
    }
    assert {key: Path(value[3]).name for key, value in records.items()} == {
        "rec-1": "callRecords_2024-03-05.json",
        "rec-2": "callRecord_rec-2_v2.json",
        "rec-3": "callRecords_2024-03-06.jsonl",
    }


def test_graph_highest_version_wins(small_warehouse: DbtResult) -> None:
    # rec-2 v1 (page) has no endDateTime; v2 ends 2024-03-05T11:45:00.5Z.
    assert small_warehouse.query(
        f"select version, ended_at from {GRAPH_CALL_RECORDS}"
        " where call_record_id = 'rec-2'"
    ) == [(2, datetime(2024, 3, 5, 11, 45, 0, 500000))]
    # Its sessions come from v2 only: s-3 has v2's endDateTime (v1 had none).
    sessions = rows_by_key(
        small_warehouse,
        GRAPH_SESSIONS,
        "call_record_id || '/' || session_id",
        "started_at, ended_at, is_test, modalities, failure_stage, failure_reason",
    )
    assert sessions == {
        "rec-1/s-1": (
            datetime(2024, 3, 5, 10, 0, 0, 123456),
            datetime(2024, 3, 5, 10, 5),
            False,
            ["audio"],
            None,
            None,
        ),
        "rec-2/s-2": (
            datetime(2024, 3, 5, 11, 0),
            datetime(2024, 3, 5, 11, 30),
            None,
            ["audio", "video"],
            "midcall",
            "network",
        ),
        "rec-2/s-3": (
            datetime(2024, 3, 5, 11, 1),
            datetime(2024, 3, 5, 11, 45, 0, 500000),
            True,
            ["audio"],
            None,
            None,
        ),
        "rec-3/s-4": (
            datetime(2024, 3, 6, 8, 0),
            datetime(2024, 3, 6, 8, 0, 4),
            None,
            ["audio"],
            "callSetup",
            "busy",
        ),
    }


def test_graph_segments_and_streams(small_warehouse: DbtResult) -> None:
    assert small_warehouse.query(
        f"select call_record_id, session_id, segment_id, started_at, ended_at"
        f" from {GRAPH_SEGMENTS}"
    ) == [
        (
            "rec-1",
            "s-1",
            "g-1",
            datetime(2024, 3, 5, 10, 0, 0, 123456),
            datetime(2024, 3, 5, 10, 5),
        )
    ]
    streams = rows_by_key(
        small_warehouse,
        GRAPH_STREAMS,
        "stream_id",
        "call_record_id, session_id, segment_id, media_label, stream_direction,"
        " caller_network_connection_type, callee_network_connection_type,"
        " average_jitter_ms, average_round_trip_time_ms, max_jitter_ms,"
        " average_packet_loss_rate, packet_utilization",
    )
    common = ("rec-1", "s-1", "g-1", "main-audio")
    # PT0.016S -> 16 ms, PT0.6S -> 600 ms, PT0.01S -> 10 ms, PT0.1S -> 100 ms
    assert streams == {
        "1": (*common, "callerToCallee", "wifi", "wired", 16.0, 600.0, None, 0.01, 900),
        "2": (*common, "calleeToCaller", "wifi", "wired", 10.0, 100.0, None, 0.0, 900),
    }


def test_no_personal_data_or_session_key_in_any_table(
    small_warehouse: DbtResult,
) -> None:
    relations = small_warehouse.relations()
    assert ("staging", "stg_superoffice__chat_sessions") in relations
    needles = [needle.lower() for needle in PERSONAL_DATA + SESSION_KEYS]
    found = []
    with small_warehouse.connect() as con:
        for schema, name in relations:
            for row in con.execute(f'select * from "{schema}"."{name}"').fetchall():
                text = "\x1f".join(str(value) for value in row).lower()
                found += [
                    (schema, name, needle) for needle in needles if needle in text
                ]
    assert found == []
    # not even as a column (intermediate/marts `session_key` is a surrogate key)
    assert (
        small_warehouse.count(
            "information_schema.columns",
            "table_schema = 'staging' and lower(column_name) like '%session_key%'",
        )
        == 0
    )


def test_pseudonymised_columns_are_salted_sha256_hex(
    small_warehouse: DbtResult,
) -> None:
    hash_columns = small_warehouse.query(
        "select table_schema, table_name, column_name from information_schema.columns"
        " where column_name like '%\\_hash' escape '\\' order by all"
    )
    assert ("staging", "stg_superoffice__chat_sessions", "email_hash") in hash_columns
    non_null = 0
    with small_warehouse.connect() as con:
        for schema, name, column in hash_columns:
            values = [
                value
                for (value,) in con.execute(
                    f'select "{column}" from "{schema}"."{name}"'
                    f' where "{column}" is not null'
                ).fetchall()
            ]
            assert all(HEX64.match(value) for value in values), (schema, name, column)
            non_null += len(values)
    assert non_null > 0
    email, name_hash, phone = small_warehouse.query(
        f"select email_hash, name_hash, phone_hash from {SUPEROFFICE}"
        " where chat_session_id = 1"
    )[0]
    # salted: not the plain SHA-256 of the value
    assert email != hashlib.sha256(b"anna.berg@example.com").hexdigest()
    assert phone is not None and email != phone
    # the same person gets the same pseudonym in every source (SuperOffice name and
    # Graph displayName are both "Anna Berg")
    assert small_warehouse.query(
        f"select caller_display_name_hash from {GRAPH_SESSIONS}"
        " where session_id = 's-1'"
    ) == [(name_hash,)]


def test_small_build_ran_every_model(small_warehouse: DbtResult) -> None:
    assert_every_model_built(small_warehouse)


# --------------------------------------------------------------------------------------
# Other landing dirs, built together once per module
# --------------------------------------------------------------------------------------

BOM = b"\xef\xbb\xbf"
# QoE with a BOM, CRLF line ends, a key column first and columns in another order and
# partial; the last column (a bit) would read "1\r" if CRLF were not understood.
QOE_BOM_CRLF = BOM + (
    b"SessionSeq,ConferenceDateTime,EndTime,StartTime,CalleePAI,DialogCategory\r\n"
    b"7,2024-03-07 08:00:00.250,2024-03-07 08:10:00,2024-03-07 08:00:00.250,,1\r\n"
    b'8,"2024-03-07 09:00:00",,2024-03-07 09:00:00,42,0\r\n'
)
CDR_HEADER = (
    "SessionIdTime,SessionIdSeq,CorrelationId,ReplaceDialogIdTime,ReplaceDialogIdSeq,"
    "User1Id,User2Id,User1EndpointId,User2EndpointId,TargetUserId,SessionStartedById,"
    "OnBehalfOfId,ReferredById,ServerId,PoolId,ContentTypeID,User1ClientVerId,"
    "User2ClientVerId,User1EdgeServerid,User2EdgeServerid,IsUser1Internal,"
    "IsUser2Internal,InviteTime,ResponseTime,ResponseCode,DiagnosticId,CallPriority,"
    "User1MessageCount,User2MessageCount,SessionEndTime,MediaTypes,User1Flag,User2Flag,"
    "CallFlag,Processed,LastModifiedTime\n"
)
# GUID text in lower case, a subset of the columns.
CDR_GUID = (
    "SessionIdTime,SessionIdSeq,CorrelationId,User1EndpointId\n"
    "2024-03-09 10:00:00.000,5,6f9619ff-8b86-d011-b42d-00c04fc964ff,\n"
)
# SuperOffice datetimes in Europe/Oslo (var superoffice_timezone): CET in March, CEST
# in July.
SUPEROFFICE_OSLO = (
    "id,when_requested,when_started,when_ended,status\n"
    "9,2024-03-07 10:00:00,2024-03-07 10:00:30.500,2024-07-01 12:00:00,7\n"
)


def _graph_record(record_id: str, hour: int, media: list[dict]) -> dict:
    start, end = f"2024-03-07T{hour:02d}:00:00Z", f"2024-03-07T{hour:02d}:30:00Z"
    return {
        "id": record_id,
        "version": 1,
        "type": "peerToPeer",
        "startDateTime": start,
        "endDateTime": end,
        "sessions": [
            {
                "id": f"s-{record_id}",
                "startDateTime": start,
                "endDateTime": end,
                "segments": [
                    {
                        "id": f"g-{record_id}",
                        "startDateTime": start,
                        "endDateTime": end,
                        "media": media,
                    }
                ],
            }
        ],
    }


# A Graph page of 3 records: durations in several ISO-8601 shapes, an invalid duration
# (record 2) and a record without id (record 3).
GRAPH_DURATIONS_PAGE = {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#communications/callRecords",
    "value": [
        _graph_record(
            "rec-d1",
            8,
            [
                {
                    "label": "main-audio",
                    "streams": [
                        {
                            "streamId": "11",
                            "streamDirection": "callerToCallee",
                            "averageJitter": "PT1M2.5S",
                            "maxJitter": "PT0.6S",
                            "averageRoundTripTime": "P1DT2H",
                            "maxRoundTripTime": "PT0S",
                        }
                    ],
                }
            ],
        ),
        _graph_record(
            "rec-d2",
            9,
            [
                {
                    "label": "main-video",
                    "streams": [
                        {
                            "streamId": "21",
                            "streamDirection": "callerToCallee",
                            "averageJitter": "PT",
                        },
                        {
                            "streamId": "22",
                            "streamDirection": "calleeToCaller",
                            "averageJitter": "PT0.02S",
                            "maxJitter": "PT2H",
                        },
                    ],
                }
            ],
        ),
        {"version": 3, "type": "groupCall"},
    ],
}


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")


# A QoE file whose header lacks the key column SessionSeq.
BAD_QOE_FILE = "Session_2024-03-06_bad.csv"
BAD_QOE = (
    "ConferenceDateTime,StartTime,EndTime,CallerPool\n"
    "2024-03-06 10:00:00.000,2024-03-06 10:00:00.000,,1\n"
)

# A Syllable page bigger than 16 MiB (DuckDB's default maximum JSON object size): a
# day of sessions exported as one page. Each item carries an undocumented field, which
# is ignored.
BIG_PAGE_ITEMS = 6000


def _big_syllable_page() -> str:
    items = [
        {
            "timestamp": "2024-03-07T10:00:00Z",
            "session_id": str(900000 + number),
            "channel_manager_type": "web_chat_v1",
            "duration": 1.5,
            "summary": "s" * 2900,
        }
        for number in range(BIG_PAGE_ITEMS)
    ]
    text = json.dumps(
        {
            "items": items,
            "page": 0,
            "page_size": BIG_PAGE_ITEMS,
            "total_pages": 1,
            "total_count": BIG_PAGE_ITEMS,
        }
    )
    assert len(text) > 16 * 2**20
    return text


def _variants_landing(root: Path) -> Path:
    # A space in the path: landing paths end up in SQL string literals and globs.
    landing = root / "landing variants"
    _write(landing / "sfb_qoe" / "Session_2024-03-07.csv", QOE_BOM_CRLF)
    _write(landing / "sfb_qoe" / "Session_2024-03-08.csv", b"")  # 0 bytes
    _write(landing / "sfb_qoe" / BAD_QOE_FILE, BAD_QOE)  # quarantined
    _write(landing / "sfb_cdr" / "SessionDetails_2024-03-07.csv", CDR_HEADER)  # no rows
    _write(landing / "sfb_cdr" / "SessionDetails_2024-03-08.csv", b"")
    _write(landing / "sfb_cdr" / "SessionDetails_2024-03-09.csv", CDR_GUID)
    _write(landing / "superoffice" / "chat_session_2024-03-07.csv", SUPEROFFICE_OSLO)
    _write(
        landing / "graph" / "callRecords_2024-03-07.json",
        json.dumps(GRAPH_DURATIONS_PAGE, indent=1),
    )
    _write(landing / "graph" / "callRecords_2024-03-08.json", '{"value": []}\n')
    _write(landing / "graph" / "callRecords_2024-03-09.jsonl", b"")
    _write(landing / "syllable" / "sessions_2024-03-07.json", _big_syllable_page())
    _write(landing / "syllable" / "sessions_2024-03-08.json", b"")
    (landing / "syllable_labels").mkdir()  # present but empty
    return landing


@pytest.fixture(scope="module")
def scenario_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DbtResult]:
    root = tmp_path_factory.mktemp("scenarios")
    (root / "landing_empty").mkdir()
    bad_header = copy_landing(root / "landing_bad_header", folders=["sfb_qoe"])
    _write(bad_header / "sfb_qoe" / BAD_QOE_FILE, BAD_QOE)
    return dbt_build_many(
        {
            # Reader scenarios build the staging layer (and what it depends on) only.
            "variants": {
                "landing_dir": _variants_landing(root),
                "work_dir": root / "work_variants",
                "select": "+path:models/staging",
                "vars": {
                    "superoffice_timezone": "Europe/Oslo",
                    "on_bad_file": "quarantine",
                },
            },
            "bad_header": {
                "landing_dir": bad_header,
                "work_dir": root / "work_bad_header",
                "select": "+path:models/staging/sfb_qoe",
                "expect_ok": False,
            },
            # These build everything, marts included.
            "graph_only": {
                "landing_dir": copy_landing(root / "landing_graph", folders=["graph"]),
                "work_dir": root / "work_graph_only",
            },
            "empty": {
                "landing_dir": root / "landing_empty",
                "work_dir": root / "work_empty",
            },
        }
    )


@pytest.fixture(scope="module")
def variants(scenario_builds: dict[str, DbtResult]) -> DbtResult:
    return scenario_builds["variants"]


def test_bom_crlf_csv_loads(variants: DbtResult) -> None:
    sessions = rows_by_key(
        variants,
        SFB_QOE,
        "session_seq",
        "conference_date_time, start_time, end_time, callee_pai, dialog_category",
    )
    assert sessions == {
        7: (
            datetime(2024, 3, 7, 8, 0, 0, 250000),
            datetime(2024, 3, 7, 8, 0, 0, 250000),
            datetime(2024, 3, 7, 8, 10),
            None,
            True,
        ),
        8: (datetime(2024, 3, 7, 9, 0), datetime(2024, 3, 7, 9, 0), None, 42, False),
    }
    # only the quarantined bad file (below) is rejected in sfb_qoe
    assert [row[2] for row in rejected(variants) if row[0] == "sfb_qoe"] == [
        BAD_QOE_FILE
    ]


def test_empty_files_and_header_only_csv_are_ignored(variants: DbtResult) -> None:
    # 0-byte files in sfb_qoe, sfb_cdr, graph and syllable; a header-only CDR file; an
    # empty Graph page; an empty syllable_labels folder: no rows, no rejections.
    assert [
        (seq, Path(file).name)
        for seq, file in variants.query(
            f"select session_id_seq, source_file from {SFB_CDR}"
        )
    ] == [(5, "SessionDetails_2024-03-09.csv")]  # the GUID file's row only
    assert variants.count(SYLLABLE_LABELS) == 0
    assert {
        Path(file).name
        for (file,) in variants.query(f"select source_file from {SYLLABLE}")
    } == {"sessions_2024-03-07.json"}
    assert sorted(row[2] for row in rejected(variants)) == [
        BAD_QOE_FILE,
        "callRecords_2024-03-07.json",
        "callRecords_2024-03-07.json",
    ]


def test_json_page_over_16_mib_loads(variants: DbtResult) -> None:
    assert variants.query(
        f"select count(*), count(distinct session_id), min(session_id),"
        f" max(session_id), sum(duration_seconds) from {SYLLABLE}"
    ) == [
        (
            BIG_PAGE_ITEMS,
            BIG_PAGE_ITEMS,
            "900000",
            str(900000 + BIG_PAGE_ITEMS - 1),
            1.5 * BIG_PAGE_ITEMS,
        )
    ]


def test_guid_text_is_upper_cased(variants: DbtResult) -> None:
    assert variants.query(
        f"select correlation_id, user1_endpoint_id, user2_endpoint_id from {SFB_CDR}"
    ) == [("6F9619FF-8B86-D011-B42D-00C04FC964FF", None, None)]


def test_iso8601_durations_to_ms(variants: DbtResult) -> None:
    streams = rows_by_key(
        variants,
        GRAPH_STREAMS,
        "stream_id",
        "call_record_id, media_label, average_jitter_ms, max_jitter_ms,"
        " average_round_trip_time_ms, max_round_trip_time_ms",
    )
    assert set(streams) == {"11", "22"}  # 21 (averageJitter "PT") is rejected
    assert streams["11"][:2] == ("rec-d1", "main-audio")
    # PT1M2.5S = 62.5 s, PT0.6S = 0.6 s, P1DT2H = 26 h, PT0S = 0
    assert streams["11"][2:] == pytest.approx((62500.0, 600.0, 93_600_000.0, 0.0))
    assert streams["22"][:2] == ("rec-d2", "main-video")
    # PT0.02S = 20 ms, PT2H = 7,200,000 ms
    assert streams["22"][2:4] == pytest.approx((20.0, 7_200_000.0))
    assert streams["22"][4:] == (None, None)


def test_graph_page_rejections_are_located(variants: DbtResult) -> None:
    rows = [row for row in rejected(variants) if row[0] == "graph"]
    assert [row[:4] for row in rows] == [
        # page record 3 has no id
        ("graph", "call_record", "callRecords_2024-03-07.json", 3),
        # stream 21 sits in page record 2
        ("graph", "media_stream", "callRecords_2024-03-07.json", 2),
    ]
    assert "missing key" in rows[0][4]
    assert "averageJitter" in rows[1][4] and "duration" in rows[1][4]
    assert variants.query(
        f"select call_record_id from {GRAPH_CALL_RECORDS} order by 1"
    ) == [("rec-d1",), ("rec-d2",)]


def test_superoffice_timezone_var_converts_to_utc(variants: DbtResult) -> None:
    # 10:00 CET = 09:00 UTC; 12:00 CEST (July) = 10:00 UTC.
    assert variants.query(
        "select chat_session_id, when_requested, when_started, when_ended"
        f" from {SUPEROFFICE}"
    ) == [
        (
            9,
            datetime(2024, 3, 7, 9, 0),
            datetime(2024, 3, 7, 9, 0, 30, 500000),
            datetime(2024, 7, 1, 10, 0),
        )
    ]


def test_csv_without_key_column_fails_the_build(
    scenario_builds: dict[str, DbtResult],
) -> None:
    result = scenario_builds["bad_header"]
    assert result.returncode != 0
    output = " ".join(result.output.split())  # undo any line wrapping
    message = re.search(rf"Bad landing file \S*{re.escape(BAD_QOE_FILE)}[^.]*", output)
    assert message, result.tail()
    assert "missing SessionSeq" in message.group(0)
    assert "on_bad_file" in output  # tells how to go on


def test_csv_without_key_column_quarantined(variants: DbtResult) -> None:
    # Same bad file, with on_bad_file = quarantine: the build succeeds (the fixture
    # asserts it) and the file is one rejected row, without a row number.
    (row,) = [row for row in rejected(variants) if row[0] == "sfb_qoe"]
    assert row[:4] == ("sfb_qoe", "session", BAD_QOE_FILE, None)
    assert "SessionSeq" in row[4]
    # the good QoE file of the folder still loads (test_bom_crlf_csv_loads); nothing of
    # the bad file is staged
    assert {
        Path(file).name
        for (file,) in variants.query(f"select source_file from {SFB_QOE}")
    } == {"Session_2024-03-07.csv"}


def test_landing_dir_with_only_graph_builds(
    scenario_builds: dict[str, DbtResult],
) -> None:
    graph_only = scenario_builds["graph_only"]
    assert_every_model_built(graph_only)
    for relation in STAGING_MODELS:
        if relation not in GRAPH_MODELS:
            assert graph_only.count(relation) == 0, relation
    # the same graph/ files as landing_small
    assert [graph_only.count(relation) for relation in GRAPH_MODELS] == [3, 4, 1, 2]
    assert [row[:4] for row in rejected(graph_only)] == [
        ("graph", "call_record", "callRecords_2024-03-06.jsonl", 2)
    ]


def test_empty_landing_dir_builds(scenario_builds: dict[str, DbtResult]) -> None:
    empty = scenario_builds["empty"]
    assert_every_model_built(empty)
    for relation in (*STAGING_MODELS, REJECTED):
        assert empty.count(relation) == 0, relation
