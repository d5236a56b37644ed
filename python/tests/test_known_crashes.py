"""Known crashes, pinned (issue 13): values the hostile generator used to avoid.

One small landing dir holds one row per system at the boundaries the hostile
generator steered clear of, plus SuperOffice ratings outside 1-5; it is built once
(every model and data test of fct_sessions and its parents):

- SfB CDR User1MessageCount + User2MessageCount = 2 x 2147483647: once an INTEGER
  overflow in int_sessions_unioned (fixed in d5ebb88, bigint); now pinned;
- sessions spanning 1970/1971 .. 2099 (durations and queue waits beyond INTEGER
  seconds and milliseconds), a Syllable duration just under 24.8 days, INTEGER ids,
  queue positions and Graph versions at 2147483647, a BIGINT packetUtilization;
- SuperOffice `rating` 0 and 7: SuperOffice publishes no rating scale; such a chat
  used to fail fct_sessions' customer_rating 1..5 test. Since issue 15 ratings stay
  out of customer_rating unless var superoffice_rating_scale_max states a scale.
"""

from __future__ import annotations

import datetime as dt

import pytest
from dbt_harness import DbtResult, dbt_build

FILES = {
    "sfb_qoe/Session_boundaries.csv": (
        "ConferenceDateTime,SessionSeq,StartTime,EndTime,DialogCategory\n"
        "1971-01-01 00:00:00,1,1971-01-01 00:00:00,2099-12-31 23:59:59,0\n"
    ),
    "sfb_cdr/SessionDetails_boundaries.csv": (
        "SessionIdTime,SessionIdSeq,InviteTime,ResponseTime,ResponseCode,"
        "SessionEndTime,MediaTypes,User1MessageCount,User2MessageCount\n"
        "1971-01-01 00:00:00,1,1971-01-01 00:00:00,2099-12-30 00:00:00,200,"
        "2099-12-31 23:59:59,16,2147483647,2147483647\n"
    ),
    "superoffice/chat_session_boundaries.csv": (
        "id,topic_id,status,when_requested,when_started,when_ended,"
        "initial_queue_pos,rating\n"
        "2147483647,1,7,1971-01-01 00:00:00,2099-12-30 00:00:00,"
        "2099-12-31 23:59:59,2147483647,\n"
        "2,1,7,2024-03-05 10:00:00,2024-03-05 10:00:10,2024-03-05 10:01:00,1,0\n"
        "3,1,7,2024-03-05 11:00:00,2024-03-05 11:00:10,2024-03-05 11:01:00,1,7\n"
    ),
    "graph/callRecords_boundaries.jsonl": (
        '{"id": "rec-long", "version": 2147483647, "type": "peerToPeer",'
        ' "modalities": ["audio"], "startDateTime": "1970-01-01T00:00:00Z",'
        ' "endDateTime": "2099-12-31T23:59:59.9999999Z", "sessions": [{"id": "s-1",'
        ' "modalities": ["audio"], "startDateTime": "1970-01-01T00:00:00Z",'
        ' "endDateTime": "2099-12-31T23:59:59Z", "segments": [{"id": "g-1",'
        ' "startDateTime": "1970-01-01T00:00:00Z",'
        ' "endDateTime": "2099-12-31T23:59:59Z", "media": [{"label": "main-audio",'
        ' "streams": [{"streamId": "1", "streamDirection": "callerToCallee",'
        ' "averagePacketLossRate": 1,'
        ' "packetUtilization": 9223372036854775807}]}]}]}]}\n'
    ),
    "syllable/sessions_boundaries.jsonl": (
        '{"timestamp": "2099-12-31T23:00:00Z", "session_id": "1",'
        ' "channel_manager_type": "voice_twilio_v1", "duration": 2147483.646,'
        ' "prompt_version_number": 2147483647}\n'
    ),
}


def _seconds(start: str, end: str) -> float:
    return (
        dt.datetime.fromisoformat(end) - dt.datetime.fromisoformat(start)
    ).total_seconds()


@pytest.fixture(scope="module")
def boundaries(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    root = tmp_path_factory.mktemp("known_crashes")
    for name, text in FILES.items():
        path = root / "landing" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return dbt_build(
        root / "landing",
        root / "work",
        select="+fct_sessions +rejected_rows",
        expect_ok=False,
    )


def test_boundary_values_build_and_keep_their_values(boundaries: DbtResult) -> None:
    errors = [r for r in boundaries.run_results() if r["status"] == "error"]
    assert errors == [], boundaries.tail()
    # ratings 0 and 7 stay out of customer_rating (no stated scale, issue 15)
    failed = [r["unique_id"] for r in boundaries.run_results() if r["status"] == "fail"]
    assert failed == [], failed
    assert boundaries.count("staging.rejected_rows") == 0
    rows = {
        system: (duration, messages, wait, position)
        for system, duration, messages, wait, position in boundaries.query(
            "select source_system, duration_seconds, message_count,"
            " queue_wait_seconds, initial_queue_position from marts.fct_sessions"
            " where source_session_id not in ('2', '3')"
        )
    }
    # hand computed: CDR from ResponseTime (2xx) to SessionEndTime = 2 days - 1 s;
    # 2147483647 + 2147483647 = 4294967294 messages
    assert rows["sfb_cdr"] == (
        _seconds("2099-12-30 00:00:00", "2099-12-31 23:59:59"),
        4294967294,
        None,
        None,
    )
    assert rows["sfb_qoe"][0] == _seconds("1971-01-01 00:00:00", "2099-12-31 23:59:59")
    # the Graph session (not the call record) at millisecond precision
    assert rows["graph"][0] == _seconds("1970-01-01 00:00:00", "2099-12-31 23:59:59")
    # SuperOffice: handled from when_started to when_ended, waited from when_requested
    assert rows["superoffice"] == (
        _seconds("2099-12-30 00:00:00", "2099-12-31 23:59:59"),
        None,
        _seconds("1971-01-01 00:00:00", "2099-12-30 00:00:00"),
        2147483647,
    )
    assert rows["syllable"][0] == pytest.approx(2147483.646, abs=1e-9)
    assert (
        boundaries.scalar(
            "select max(packet_utilization) from staging.stg_graph__media_streams"
        )
        == 2**63 - 1
    )


def test_superoffice_ratings_outside_1_to_5_do_not_fail_the_build(
    boundaries: DbtResult,
) -> None:
    failed = [r for r in boundaries.run_results() if r["status"] in ("error", "fail")]
    assert failed == [], failed
    assert boundaries.ok
