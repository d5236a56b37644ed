"""Real exports load as production systems write them (issue: "nothing lost on real
exports"; REFERENCE.md §10): live column spellings, unexpected columns reported, and
the API shapes seen in the wild. Every file here is small and hand-written; the
expected values are read off the file text.

One landing dir, one `dbt build` for the whole module.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dbt_harness import FIXTURES_DIR, DbtResult, dbt_build

from session_analytics.report.data import load_report_data

CDR = "staging.stg_sfb_cdr__session_details"
QOE = "staging.stg_sfb_qoe__sessions"
GRAPH_RECORDS = "staging.stg_graph__call_records"
GRAPH_SESSIONS = "staging.stg_graph__sessions"
# Hand-written Graph and Syllable files in the shapes of REFERENCE.md §10
# (fixtures/real_exports/*): other casing of enum values, failureInfo with null members,
# identity sets with a dozen null slots, associatedIdentity, the older `organizer` and
# the newer organizer_v2/participants_v2, "" for a missing URL/IP/MAC, 0 to 7
# fractional digits, sessions@odata.nextLink, Syllable label ids as integers and text.
SHAPES = FIXTURES_DIR / "real_exports"

# LcsCDR as the live database spells it: ReplacesDialogIdTime / ReplacesDialogIdSeq
# (the schema page says ReplaceDialogId...), plus a column no documentation has.
CDR_LIVE = (
    "SessionIdTime,SessionIdSeq,ReplacesDialogIdTime,ReplacesDialogIdSeq,InviteTime,"
    "ResponseTime,ResponseCode,SessionEndTime,LastModifiedTime,NewColumnX\n"
    "2024-03-06 10:00:00.000,7,2024-03-06 09:59:00.500,3,2024-03-06 10:00:00.000,"
    "2024-03-06 10:00:02.000,200,2024-03-06 10:05:00.000,2024-03-06 10:05:01.000,x1\n"
    # SQL Server's minimum date as "no value": NULL, not a rejection
    "2024-03-06 10:01:00.000,8,1753-01-01 00:00:00.000,,2024-03-06 10:01:00.000,"
    "1753-01-01 00:00:00.000,487,0001-01-01,2024-03-06 10:01:09.000,\n"
)
# QoE with an undocumented column and a documented column named twice (the second
# StartTime is not loaded: the first wins) and a column in other casing.
QOE_EXTRA = (
    "conferencedatetime,SessionSeq,StartTime,EndTime,FutureFlag,StartTime\n"
    "2024-03-06 11:00:00,1,2024-03-06 11:00:01,2024-03-06 11:10:00,1,"
    "2024-03-06 12:00:00\n"
)


def _write(landing: Path, relative: str, text: str) -> None:
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    work = tmp_path_factory.mktemp("real_exports")
    landing = work / "landing"
    shutil.copytree(SHAPES, landing)
    _write(landing, "sfb_cdr/SessionDetails_live.csv", CDR_LIVE)
    _write(landing, "sfb_qoe/Session_extra.csv", QOE_EXTRA)
    return dbt_build(landing, work / "build")


def test_live_cdr_spellings_load_their_values(real: DbtResult) -> None:
    rows = real.query(
        f"select replace_dialog_id_time, replace_dialog_id_seq from {CDR}"
        " where session_id_seq = 7"
    )
    assert len(rows) == 1
    when, seq = rows[0]
    assert str(when) == "2024-03-06 09:59:00.500000+00:00" or (
        when.isoformat().startswith("2024-03-06T09:59:00.5")
    )
    assert seq == 3


def test_unexpected_columns_are_reported_per_file(real: DbtResult) -> None:
    found = dict(
        real.query(
            "select regexp_extract(source_file, '[^/]+$'), unexpected_columns"
            " from staging.landed_files"
        )
    )
    assert found == {
        "SessionDetails_live.csv": "NewColumnX",
        "Session_extra.csv": "FutureFlag, StartTime",
        "callRecords_shapes.json": None,
        "sessions_shapes.json": None,
        "labels_mixed.json": None,
    }
    assert real.count("staging.landed_files", "file_status = 'loaded'") == 5


def test_unexpected_columns_warn_in_the_build_log(real: DbtResult) -> None:
    warnings = [line for line in real.output.splitlines() if "are not loaded" in line]
    assert any("SessionDetails_live.csv" in w and "NewColumnX" in w for w in warnings)
    assert any("Session_extra.csv" in w and "FutureFlag" in w for w in warnings)


def test_a_repeated_column_keeps_its_first_value(real: DbtResult) -> None:
    (start,) = real.query(f"select start_time from {QOE} where session_seq = 1")[0]
    assert start.isoformat().startswith("2024-03-06T11:00:01")


def test_session_key_is_documented_not_unexpected(
    small_warehouse: DbtResult, landing_small_dir: Path
) -> None:
    """landing_small's chat file has a session_key column: never read (an
    authentication secret), but documented, so not unexpected; nor is any column of
    the other hand-written files."""
    chat = landing_small_dir / "superoffice" / "chat_session_2024-03-05.csv"
    assert "session_key" in chat.read_text().splitlines()[0].split(",")
    assert small_warehouse.count("staging.landed_files") > 0
    assert (
        small_warehouse.count("staging.landed_files", "unexpected_columns is not null")
        == 0
    )


def test_no_value_dates_are_null_not_rejected(real: DbtResult) -> None:
    assert real.count("staging.rejected_rows") == 0
    row = real.query(
        f"select replace_dialog_id_time, response_time, session_end_time from {CDR}"
        " where session_id_seq = 8"
    )
    assert row == [(None, None, None)]


def test_enum_values_in_other_casing_take_the_documented_spelling(
    real: DbtResult,
) -> None:
    rows = dict(
        (session_id, rest)
        for session_id, *rest in real.query(
            "select session_id, caller_platform, callee_platform,"
            " caller_product_family, caller_feedback_rating"
            f" from {GRAPH_SESSIONS}"
        )
    )
    # landed: Windows / Android / Teams / Poor and macOS / ios / Teams
    assert rows["s-shape-1"] == ["windows", "android", "teams", "poor"]
    assert rows["s-shape-2"] == ["macOS", "iOS", "teams", None]
    (connection,) = real.query(
        "select caller_network_connection_type from staging.stg_graph__media_streams"
    )[0]
    assert connection == "wifi"  # landed: Wifi
    # no accepted-values warning from these rows
    assert "WARN" not in "".join(
        line for line in real.output.splitlines() if "accepted_values" in line
    )


def test_failure_info_with_null_members_is_no_failure(real: DbtResult) -> None:
    outcomes = {
        session: (outcome, stage)
        for session, outcome, stage in real.query(
            "select source_session_id, outcome, failure_stage from marts.fct_sessions"
            " where source_system = 'graph'"
        )
    }
    assert outcomes == {
        # failureInfo: {"stage": null, "reason": null}
        "rec-shape-1|s-shape-1": ("succeeded", None),
        # failureInfo: {"stage": "callSetup", "reason": "timeout"}
        "rec-shape-2|s-shape-2": ("failed", "call_setup"),
    }


def test_fractional_seconds_of_zero_to_seven_digits(real: DbtResult) -> None:
    records = {
        rid: (start.isoformat(), end.isoformat())
        for rid, start, end in real.query(
            f"select call_record_id, started_at, ended_at from {GRAPH_RECORDS}"
        )
    }
    # 7 digits are cut to DuckDB's microseconds
    assert records["rec-shape-1"] == (
        "2024-03-06T10:00:00",
        "2024-03-06T10:10:00.123456",
    )
    assert records["rec-shape-2"][0] == "2024-03-06T11:00:00.123400"
    sessions = {
        sid: start.isoformat()
        for sid, start in real.query(
            f"select session_id, started_at from {GRAPH_SESSIONS}"
        )
    }
    assert sessions == {
        "s-shape-1": "2024-03-06T10:00:00.100000",
        "s-shape-2": "2024-03-06T11:00:00",
    }


def test_blank_strings_are_null_and_new_identity_shapes_are_pseudonymised(
    real: DbtResult,
) -> None:
    join_url, legacy_id, legacy_name, organizer_id = real.query(
        "select join_web_url_hash, organizer_legacy_user_id_hash,"
        " organizer_legacy_display_name_hash, organizer_id_hash"
        f" from {GRAPH_RECORDS} where call_record_id = 'rec-shape-1'"
    )[0]
    assert join_url is None  # landed: "joinWebUrl": ""
    assert len(legacy_id) == 64 and len(legacy_name) == 64
    assert organizer_id is None  # rec-shape-1 has no organizer_v2
    (v2_id,) = real.query(
        f"select organizer_id_hash from {GRAPH_RECORDS}"
        " where call_record_id = 'rec-shape-2'"
    )[0]
    assert len(v2_id) == 64
    caller_assoc, callee_assoc, callee_user = real.query(
        "select caller_associated_id_hash, callee_associated_display_name_hash,"
        f" callee_user_id_hash from {GRAPH_SESSIONS} where session_id = 's-shape-1'"
    )[0]
    assert len(caller_assoc) == 64 and len(callee_assoc) == 64
    assert callee_user is None  # the callee has associatedIdentity instead of identity


def test_paged_sessions_mark_the_call_record_incomplete(real: DbtResult) -> None:
    complete = dict(
        real.query(f"select call_record_id, sessions_complete from {GRAPH_RECORDS}")
    )
    assert complete == {"rec-shape-1": False, "rec-shape-2": True}
    report = load_report_data(real.db_path)
    assert report["incomplete"]["rows"] == [[1, 2]]


def test_syllable_label_ids_as_integers_and_text(real: DbtResult) -> None:
    labels = real.query(
        "select session_label_id, session_id, label_code"
        " from staging.stg_syllable__session_labels order by 1"
    )
    assert labels == [(101, 5001, "GOOD"), (102, 5002, "BAD")]
    sessions = real.query(
        "select session_id, session_label_id from staging.stg_syllable__sessions"
        " order by 1"
    )
    assert sessions == [("5001", "101"), ("5002", "102")]


# One planted value of each kind of personal data the sources carry, as landed in
# fixtures/real_exports (and the CSVs above): each must be in the input and in no value
# of any relation of the warehouse (docs/RELIABILITY.md, "Nothing leaked").
PLANTED = {
    "name (caller displayName)": "Carl Caller",
    "name (legacy organizer)": "Olga Organizer",
    "name (associatedIdentity)": "Assoc Person",
    "name (participants_v2, not read)": "Paul V2",
    "user principal name": "carl.caller@example.com",
    "Graph user id (GUID)": "9d3a1c2e-0000-4000-8000-00000000a003",
    "associatedIdentity id (GUID)": "9d3a1c2e-0000-4000-8000-00000000a004",
    "organizer_v2 id (GUID)": "9d3a1c2e-0000-4000-8000-00000000b001",
    "joinWebUrl": "PlantedMeetingUrl",
    "feedback text": "planted feedback text",
    "IP address (not read)": "10.1.2.3",
    "reflexive IP address (not read)": "203.0.113.9",
    "Syllable source (phone)": "+4798765432",
    "Syllable source (e-mail)": "sam.source@example.com",
    "Syllable label user_email": "rater@example.com",
}


# Values kept in clear on purpose (docs/RELIABILITY.md): the scan must find them.
CONTROL = {
    "user agent (kept)": "RTCC/7.0.0.0 Teams",
    "Syllable target (kept)": "+4721990100",
}


def _landed_text(landing: Path) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted(landing.rglob("*"))
        if path.is_file()
    )


def test_planted_personal_values_are_in_no_relation(real: DbtResult) -> None:
    landed = _landed_text(real.work_dir.parent / "landing")
    relations = real.relations()
    assert len(relations) > 20
    found: dict[str, list[str]] = {}
    with real.connect() as con:
        for schema, name in relations:
            columns = [
                column
                for (column,) in con.execute(
                    "select column_name from information_schema.columns"
                    " where table_schema = ? and table_name = ?",
                    [schema, name],
                ).fetchall()
            ]
            text = " || chr(31) || ".join(
                f"coalesce(cast(\"{column}\" as varchar), '')" for column in columns
            )
            for kind, value in {**PLANTED, **CONTROL}.items():
                (hits,) = con.execute(
                    f'select count(*) from "{schema}"."{name}"'
                    f" where contains(lower({text}), lower(?))",
                    [value],
                ).fetchone()
                if hits:
                    found.setdefault(kind, []).append(f"{schema}.{name}")
    for kind, value in PLANTED.items():
        assert value in landed, f"{kind} is not planted in the input"
    # the scan finds what is kept in clear (so it can fail) ...
    for kind in CONTROL:
        assert kind in found, f"the scan missed {kind}, which is stored in clear"
        del found[kind]
    # ... and none of the personal values
    assert found == {}


def _file_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


# The undocumented member paths of fixtures/real_exports/graph/callRecords_shapes.json,
# read off the file against macros/columns/get_graph_columns.sql (top-most only; every
# path is in one of the two records, so records = 1 each):
# rec-shape-1: organizer.user.tenantId, organizer.application, organizer.device (the
# legacy organizer reads user.id and user.displayName only), participants (not read);
# session caller identity: 13 null slots (acsUser ... assertedIdentity; only `user` is
# read). rec-shape-2: participants_v2 and organizer_v2.identity.user.id
# (organizer_v2.id is read instead). 3 + 1 + 13 + 2 = 19.
# The media callerNetwork / calleeNetwork members (ipAddress, subnet, macAddress,
# reflexiveIPAddress) are read since issue 17 (get_graph__media_side_columns), so
# they are documented.
# Not listed: documented columns, their containers ($.sessions, ...identity), OData
# annotations (@odata.type, sessions@odata.nextLink) and children of listed paths.
IDENTITY_SLOTS = [
    "acsUser",
    "spoolUser",
    "phone",
    "guest",
    "encrypted",
    "onPremises",
    "acsApplicationInstance",
    "spoolApplicationInstance",
    "applicationInstance",
    "application",
    "device",
    "azureCommunicationServicesUser",
    "assertedIdentity",
]
MEDIA = "$.sessions[*].segments[*].media[*]"
GRAPH_UNDOCUMENTED = {
    "$.organizer.user.tenantId",
    "$.organizer.application",
    "$.organizer.device",
    "$.participants",
    "$.participants_v2",
    "$.organizer_v2.identity.user.id",
    *(f"$.sessions[*].caller.identity.{slot}" for slot in IDENTITY_SLOTS),
}


def test_undocumented_json_members_are_listed_per_file(real: DbtResult) -> None:
    rows = real.query(
        "select source_file, member_path, records from staging.landed_members"
    )
    graph = {path: records for file, path, records in rows if "callRecords" in file}
    assert len(GRAPH_UNDOCUMENTED) == 19
    assert set(graph) == GRAPH_UNDOCUMENTED
    for read_since_17 in ("ipAddress", "subnet", "macAddress", "reflexiveIPAddress"):
        assert f"{MEDIA}.callerNetwork.{read_since_17}" not in graph
    assert set(graph.values()) == {1}
    # every Syllable member of the two fixtures is a documented column
    assert [r for r in rows if "callRecords" not in r[0]] == []
    for documented in (
        "$.id",
        "$.sessions",
        "$.sessions[*].caller.identity",
        "$.sessions[*].caller.identity.user.id",
        "$.sessions[*].caller.@odata.type",
        "$.sessions@odata.nextLink",
        "$.participants_v2[*]",
    ):
        assert documented not in graph
    counts = {
        _file_name(file): (undocumented, duplicates)
        for file, undocumented, duplicates in real.query(
            "select source_file, undocumented_members, duplicate_keys"
            " from staging.landed_files"
        )
    }
    # duplicates: "version" twice in rec-shape-2, "duration" twice in session 5001
    assert counts == {
        "callRecords_shapes.json": (19, 1),
        "sessions_shapes.json": (0, 1),
        "labels_mixed.json": (0, 0),
        "SessionDetails_live.csv": (None, None),
        "Session_extra.csv": (None, None),
    }


def test_undocumented_json_members_warn_in_the_build_log(real: DbtResult) -> None:
    warned = [
        line
        for line in real.output.splitlines()
        if "no_undocumented_json_members" in line and "WARN" in line
    ]
    assert warned, "no warning for the undocumented JSON members"
    assert "WARN 1" in warned[0]  # one file (callRecords_shapes.json) has them


def test_member_relations_hold_names_not_values(real: DbtResult) -> None:
    assert ("staging", "landed_members") in real.relations()
    assert ("staging", "base_landing__json_member_paths") in real.relations()
    paths = [
        path
        for (path,) in real.query(
            "select member_path from staging.base_landing__json_member_paths"
        )
    ]
    assert "$.participants_v2[*].identity.user.displayName" in paths
    for value in (*PLANTED.values(), "Paul V2", "tenant-1", "p1", "203.0.113.9"):
        assert not any(value.lower() in path.lower() for path in paths), value


def test_a_duplicated_member_keeps_its_last_value(real: DbtResult) -> None:
    # rec-shape-2: "version": 1, ..., "version": 2
    assert real.query(
        f"select version from {GRAPH_RECORDS} where call_record_id = 'rec-shape-2'"
    ) == [(2,)]
    # session 5001: "duration": 12.5, ..., "duration": 30.0
    assert real.query(
        "select duration_seconds from staging.stg_syllable__sessions"
        " where session_id = '5001'"
    ) == [(30.0,)]
