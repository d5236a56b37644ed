"""Golden tests of the call-quality marts (models/marts/quality).

Definitions: docs/METRICS.md ("Call quality").

The landing dir fixtures/golden_quality/landing is hand-written: Graph streams on each
side of every CQD threshold, SfB CDR sessions with known SIP codes, Syllable labels.
Every expected number below is worked out by hand from those files (the arithmetic is
in the comments), never copied from model output.

Three builds of the same landing dir run in parallel:
    default  - vars as in dbt_project.yml (current CQD audio rule, no test sessions)
    tests    - include_test_sessions: true
    legacy   - cqd_audio_rule: legacy
"""

from __future__ import annotations

from typing import Any

import duckdb
import pytest
from dbt_harness import FIXTURES_DIR, DbtResult, dbt_build_many

LANDING_DIR = FIXTURES_DIR / "golden_quality" / "landing"
# The quality marts with their data tests (defined under that path), and the seeds
# and models they depend on. Indirect selection "empty" leaves out the ancestors' own
# tests (to keep three parallel builds quick) and the tests of other marts that merely
# share a parent such as dim_date.
SELECT = " ".join(
    [
        "+path:models/marts/quality,resource_type:seed",
        "+path:models/marts/quality,resource_type:model",
        "path:models/marts/quality",
    ]
)
ENV = {"DBT_INDIRECT_SELECTION": "empty"}

BUILD_VARS: dict[str, dict[str, Any] | None] = {
    "default": None,
    "tests": {"include_test_sessions": True},
    "legacy": {"cqd_audio_rule": "legacy"},
}

RATE_COLUMNS = {
    "fct_call_quality_daily": [
        "success_rate",
        "setup_failure_rate",
        "drop_failure_rate",
        "stream_setup_failure_rate",
        "stream_drop_failure_rate",
        "expected_failure_rate",
        "unexpected_failure_rate",
        "poor_stream_rate",
        "poor_audio_stream_rate",
        "poor_call_rate",
        "poor_rating_rate",
    ],
}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DbtResult]:
    runs = {
        name: {
            "landing_dir": LANDING_DIR,
            "work_dir": tmp_path_factory.mktemp(f"golden_quality_{name}"),
            "select": SELECT,
            "vars": vars,
            "env": ENV,
        }
        for name, vars in BUILD_VARS.items()
    }
    return dbt_build_many(runs, max_parallel=3)


def rows(result: DbtResult, sql: str) -> list[dict[str, Any]]:
    con = duckdb.connect(str(result.db_path), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def stream_classes(result: DbtResult) -> dict[str, str]:
    return {
        r["stream_id"]: r["cqd_class"]
        for r in rows(
            result, "select stream_id, cqd_class from marts.fct_graph_media_streams"
        )
    }


def daily_row(
    result: DbtResult, day: str, source_system: str, channel: str
) -> dict[str, Any]:
    found = rows(
        result,
        "select * from marts.fct_call_quality_daily"
        f" where session_date = date '{day}' and source_system = '{source_system}'"
        f" and channel = '{channel}'",
    )
    assert len(found) == 1, found
    return found[0]


def assert_row(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    """Every expected column equals (floats: approx; None: is NULL)."""
    for column, value in expected.items():
        if value is None:
            assert actual[column] is None, column
        elif isinstance(value, float):
            assert actual[column] == pytest.approx(value, abs=1e-12), column
        else:
            assert actual[column] == value, column


# --- CQD stream classification --------------------------------------------------------
# Audio baseline of a01..a12: rtt 100 ms, loss 0.01, jitter 10 ms, packetUtilization
# 1000 unless the stream id says otherwise. Thresholds: rtt > 500 ms, loss > 0.1,
# jitter > 30 ms, gate packetUtilization > 500; legacy adds degradation > 1.0 and
# concealed ratio > 0.07 and drops the gate.
CURRENT_AUDIO = {
    "a01-rtt-500-pu-501": "good",  # 500 is not > 500; gate 501 > 500 passes
    "a02-rtt-501-pu-501": "poor",  # 501 > 500, gate passes
    "a03-rtt-501-pu-500": "unclassified",  # gate: 500 is not > 500
    "a04-loss-0.1": "good",  # 0.1 is not > 0.1
    "a05-loss-0.11": "poor",  # 0.11 > 0.1
    "a06-jitter-30": "good",  # 30 is not > 30
    "a07-jitter-31": "poor",  # 31 > 30
    "a08-no-metrics": "unclassified",  # no packetUtilization, no metrics
    "a09-degradation-1.0": "good",  # degradation is not a current-rule metric
    "a10-degradation-1.01": "good",
    "a11-concealed-0.07": "good",  # concealed ratio is not a current-rule metric
    "a12-concealed-0.071": "good",
    "a13-legacy-metrics-only": "unclassified",  # gate 501 passes, no rtt/loss/jitter
}
LEGACY_AUDIO = {
    "a01-rtt-500-pu-501": "good",  # 500 is not > 500
    "a02-rtt-501-pu-501": "poor",  # 501 > 500
    "a03-rtt-501-pu-500": "poor",  # no packet gate in the legacy rule: 501 > 500
    "a04-loss-0.1": "good",
    "a05-loss-0.11": "poor",
    "a06-jitter-30": "good",
    "a07-jitter-31": "poor",
    "a08-no-metrics": "unclassified",  # none of the five metrics
    "a09-degradation-1.0": "good",  # 1.0 is not > 1.0
    "a10-degradation-1.01": "poor",  # 1.01 > 1.0
    "a11-concealed-0.07": "good",  # 0.07 is not > 0.07
    "a12-concealed-0.071": "poor",  # 0.071 > 0.07
    "a13-legacy-metrics-only": "poor",  # degradation 2.0 > 1.0
}
# Video: the first available of frame loss % (> 50), frame rate (< 7), post-FEC
# loss (> 0.15) decides. Video-based screen sharing: the same with frame rate < 2.
# The audio rule var does not touch these.
OTHER_STREAMS = {
    "v1-frame-loss-50": "good",  # 50 is not > 50 (frame rate 30, post-FEC 0 ignored)
    "v2-frame-loss-51": "poor",  # 51 > 50
    "v3-frame-rate-7": "good",  # no frame loss; 7 is not < 7 (post-FEC 0.5 ignored)
    "v4-frame-rate-6.9": "poor",  # 6.9 < 7
    "v5-post-fec-0.15": "good",  # only post-FEC: 0.15 is not > 0.15
    "v6-post-fec-0.16": "poor",  # 0.16 > 0.15
    "v7-loss-decides-over-rate": "good",  # loss 10 <= 50 decides; rate 1 not looked at
    "v8-no-metrics": "unclassified",  # only audio-style metrics on a video stream
    "s1-frame-rate-2": "good",  # 2 is not < 2
    "s2-frame-rate-1.9": "poor",  # 1.9 < 2
    "s3-frame-rate-6.9": "good",  # 6.9 would be poor video, but >= 2 for sharing
    "r1-rdp": "unclassified",  # app sharing: Graph has no RDP tile metrics
    "d1-data": "unclassified",  # data stream: not a CQD stream type
    "t1-test-poor": "poor",  # test session stream: rtt 900 > 500, gate 1000 passes
}


def test_cqd_class_current_rule(builds):
    assert stream_classes(builds["default"]) == CURRENT_AUDIO | OTHER_STREAMS


def test_cqd_class_legacy_rule(builds):
    assert stream_classes(builds["legacy"]) == LEGACY_AUDIO | OTHER_STREAMS


def test_stream_attributes(builds):
    streams = {
        r["stream_id"]: r
        for r in rows(builds["default"], "select * from marts.fct_graph_media_streams")
    }
    # 13 audio + 8 video + 3 screen sharing + 1 rdp + 1 data + 1 test stream
    assert len(streams) == 27
    types = {sid: r["stream_type"] for sid, r in streams.items()}
    assert {sid for sid, t in types.items() if t == "audio"} == set(CURRENT_AUDIO) | {
        "t1-test-poor"
    }
    assert types["s2-frame-rate-1.9"] == "video_based_screen_sharing"
    assert types["r1-rdp"] == "app_sharing"
    assert types["d1-data"] == "other"
    # Durations are staged as milliseconds: PT0.501S -> 501, PT0.031S -> 31.
    assert streams["a02-rtt-501-pu-501"]["average_round_trip_time_ms"] == 501
    assert streams["a07-jitter-31"]["average_jitter_ms"] == 31
    # Network from the parent media object; direction from the stream.
    assert streams["v1-frame-loss-50"]["caller_network_connection_type"] == "wired"
    assert streams["v1-frame-loss-50"]["callee_network_connection_type"] == "mobile"
    assert streams["a06-jitter-30"]["stream_direction"] == "calleeToCaller"
    # is_test comes from the session; every stream keeps its session's date.
    assert [sid for sid, r in streams.items() if r["is_test"]] == ["t1-test-poor"]
    assert {str(r["session_date"]) for r in streams.values()} == {"2024-03-04"}
    for r in streams.values():
        assert r["is_classified"] == (r["cqd_class"] != "unclassified")
        assert r["is_poor"] == (r["cqd_class"] == "poor")


# --- fct_call_quality_daily: Graph ----------------------------------------------------
# Graph sessions on 2024-03-04 (channel from modalities):
#   voice: s-audio (ended, 13 audio streams, caller feedback bad = 1)
#          s-setup (failureInfo callSetup), s-drop (midcall, feedback fair = 3)
#          s-open  (no end -> in_progress; caller notRated, callee good = 4)
#          s-test  (isTest, ended, 1 poor audio stream, feedback poor = 2)
#   video: s-video (audio+video, ended, 8 video streams, feedback excellent = 5)
#   app_sharing: s-share (screen sharing + data, ended, 5 streams, no feedback)


def test_graph_voice_default(builds):
    row = daily_row(builds["default"], "2024-03-04", "graph", "voice")
    assert_row(
        row,
        {
            "sessions": 4,  # s-audio, s-setup, s-drop, s-open (s-test excluded)
            "succeeded": 1,  # s-audio
            "failed": 2,  # s-setup, s-drop
            "in_progress": 1,  # s-open
            "unknown_outcome": 0,
            "final_outcome_sessions": 3,  # 4 - 1 in progress
            "success_rate": 1 / 3,
            # CQD population: final outcome (s-open is in progress) -> 3 sessions
            "setup_population_sessions": 3,  # s-audio, s-setup, s-drop
            "setup_failures": 1,
            "setup_failure_rate": 1 / 3,
            # setup-succeeded with a final outcome: s-audio, s-drop
            "drop_population_sessions": 2,
            "midcall_drops": 1,
            "drop_failure_rate": 1 / 2,
            # stream-based: only s-audio has streams (13), none failed or dropped
            "setup_population_streams": 13,
            "setup_failed_streams": 0,
            "stream_setup_failure_rate": 0.0,
            "drop_population_streams": 13,
            "dropped_streams": 0,
            "stream_drop_failure_rate": 0.0,
            "sip_sessions": 0,
            "expected_failure_rate": None,  # no SIP outcomes: 0 / 0 -> NULL
            "unexpected_failure_rate": None,
            # current rule, a01..a13: good 7, poor 3 (a02, a05, a07),
            # unclassified 3 (a03, a08, a13)
            "streams": 13,
            "classified_streams": 10,
            "poor_streams": 3,
            "poor_stream_rate": 3 / 10,
            "classified_audio_streams": 10,
            "poor_audio_streams": 3,
            "poor_audio_stream_rate": 3 / 10,
            # only s-audio has classified streams (and a poor one)
            "quality_assessed_sessions": 1,
            "poor_quality_sessions": 1,
            "poor_call_rate": 1.0,
            # ratings: s-audio 1, s-drop 3, s-open 4 (notRated is no rating)
            "rated_sessions": 3,
            "poor_rating_sessions": 1,  # 1 <= 2
            "poor_rating_rate": 1 / 3,
            "total_customer_rating": 1 + 3 + 4,
            "avg_customer_rating": (1 + 3 + 4) / 3,
            "rating_bad": 1,
            "rating_poor": 0,
            "rating_fair": 1,
            "rating_good": 1,  # s-open: caller notRated, so the callee's rating
            "rating_excellent": 0,
            "label_good": 0,
        },
    )


def test_graph_voice_with_test_sessions(builds):
    row = daily_row(builds["tests"], "2024-03-04", "graph", "voice")
    assert_row(
        row,
        {
            "sessions": 5,  # + s-test
            "succeeded": 2,
            "final_outcome_sessions": 4,  # 5 - 1 in progress
            "success_rate": 2 / 4,
            "setup_failure_rate": 1 / 4,  # + s-test: 4 final-outcome sessions
            "drop_failure_rate": 1 / 3,  # s-audio, s-drop, s-test
            "streams": 14,  # + t1
            "classified_streams": 11,
            "poor_streams": 4,
            "poor_stream_rate": 4 / 11,
            "quality_assessed_sessions": 2,
            "poor_quality_sessions": 2,
            "poor_call_rate": 1.0,
            "rated_sessions": 4,  # + s-test rating poor = 2
            "poor_rating_sessions": 2,
            "poor_rating_rate": 2 / 4,
            "avg_customer_rating": (1 + 3 + 4 + 2) / 4,
            "rating_poor": 1,
        },
    )


def test_graph_video_and_sharing(builds):
    video = daily_row(builds["default"], "2024-03-04", "graph", "video")
    assert_row(
        video,
        {
            "sessions": 1,
            "succeeded": 1,
            "success_rate": 1.0,
            "setup_failure_rate": 0.0,  # 0 / 1
            "drop_failure_rate": 0.0,  # 0 / (1 - 0)
            "streams": 8,
            "classified_streams": 7,  # v8 unclassified
            "poor_streams": 3,  # v2, v4, v6
            "poor_stream_rate": 3 / 7,
            "classified_audio_streams": 0,
            "poor_audio_stream_rate": None,  # 0 / 0
            "poor_call_rate": 1.0,
            "rated_sessions": 1,
            "avg_customer_rating": 5.0,
            "poor_rating_rate": 0.0,
            "rating_excellent": 1,
        },
    )
    sharing = daily_row(builds["default"], "2024-03-04", "graph", "app_sharing")
    assert_row(
        sharing,
        {
            "sessions": 1,
            "streams": 5,  # s1, s2, s3, r1, d1
            "classified_streams": 3,  # s1, s2, s3
            "poor_streams": 1,  # s2
            "poor_stream_rate": 1 / 3,
            "rated_sessions": 0,
            "avg_customer_rating": None,
            "poor_rating_rate": None,
        },
    )


def test_graph_legacy_rule_rates(builds):
    row = daily_row(builds["legacy"], "2024-03-04", "graph", "voice")
    # legacy, a01..a13: poor 7 (a02, a03, a05, a07, a10, a12, a13), unclassified 1
    assert_row(
        row,
        {
            "streams": 13,
            "classified_streams": 12,
            "poor_streams": 7,
            "poor_stream_rate": 7 / 12,
            "poor_audio_stream_rate": 7 / 12,
        },
    )
    video = daily_row(builds["legacy"], "2024-03-04", "graph", "video")
    assert video["poor_stream_rate"] == pytest.approx(3 / 7)  # video rule unchanged


# --- fct_call_quality_daily: SfB CDR SIP outcomes -------------------------------------
# 2024-03-05 10:00, audio sessions seq 1..8 with ResponseCode
#   200 success, 486 / 480 / 603 expected failure (missed), 487 expected failure
#   (cancelled), 500 / 503 unexpected failure (failed), NULL unknown.


def test_sfb_sip_outcomes(builds):
    row = daily_row(builds["default"], "2024-03-05", "sfb_cdr", "voice")
    assert_row(
        row,
        {
            "sessions": 8,
            "succeeded": 1,  # 200
            "missed": 3,  # 486, 480 (not_answered), 603 (declined)
            "cancelled": 1,  # 487
            "failed": 2,  # 500, 503
            "unknown_outcome": 1,  # NULL
            "in_progress": 0,
            "final_outcome_sessions": 7,  # 8 - 1 unknown
            "success_rate": 1 / 7,
            "sip_sessions": 8,
            "sip_successes": 1,
            "expected_failures": 4,  # 486, 487, 480, 603 (as SfB's report)
            "unexpected_failures": 2,
            "sip_uncategorized": 1,
            "expected_failure_rate": 4 / 8,
            "unexpected_failure_rate": 2 / 8,
            # only unexpected SIP failures (500, 503) are setup failures: busy,
            # declined and unanswered calls are missed, not technical failures (CQD);
            # population: the 7 audio sessions with a final outcome (NULL is unknown)
            "setup_population_sessions": 7,
            "setup_failures": 2,
            "setup_failure_rate": 2 / 7,
            # SessionDetails cannot record a drop: NULL, not 0 %
            "drop_population_sessions": 0,
            "midcall_drops": 0,
            "drop_failure_rate": None,
            "stream_setup_failure_rate": None,  # CDR has no streams
            "streams": 0,
            "poor_stream_rate": None,  # no streams: 0 / 0
            "poor_call_rate": None,
        },
    )
    # 2024-03-05 16:00 IM session: 200 without SessionEndTime -> in_progress,
    # not in the success-rate denominator (11:00 IM session succeeded).
    im = daily_row(builds["default"], "2024-03-05", "sfb_cdr", "im")
    assert_row(
        im,
        {
            "sessions": 2,
            "in_progress": 1,
            "succeeded": 1,
            "success_rate": 1.0,
            # IM is not a media call: no CQD setup / drop failure rate
            "setup_population_sessions": 0,
            "setup_failure_rate": None,
            "drop_failure_rate": None,
        },
    )


# --- fct_call_quality_daily: Syllable labels -----------------------------------------
# 2024-03-04 voice sessions 2001 GOOD, 2002 BAD, 2003 OK, 2004 N/A, 2005 BAD (is_test);
# 2006 web chat without duration (outcome unknown).


def test_syllable_labels(builds):
    voice = daily_row(builds["default"], "2024-03-04", "syllable", "ai_voice")
    assert_row(
        voice,
        {
            "sessions": 4,
            "succeeded": 4,  # all have a duration
            "label_good": 1,
            "label_ok": 1,
            "label_bad": 1,
            "label_not_applicable": 1,
            "quality_assessed_sessions": 3,  # good, ok, bad (N/A is no judgement)
            "poor_quality_sessions": 1,
            "poor_call_rate": 1 / 3,
            "rated_sessions": 0,  # labels are not 1-5 ratings
        },
    )
    with_tests = daily_row(builds["tests"], "2024-03-04", "syllable", "ai_voice")
    assert_row(
        with_tests,
        {
            "sessions": 5,
            "label_bad": 2,
            "quality_assessed_sessions": 4,
            "poor_quality_sessions": 2,
            "poor_call_rate": 2 / 4,
        },
    )
    chat = daily_row(builds["default"], "2024-03-04", "syllable", "ai_chat")
    # no session with a final outcome: success_rate is 0 / 0 -> NULL, not an error
    assert_row(
        chat,
        {
            "sessions": 1,
            "unknown_outcome": 1,
            "final_outcome_sessions": 0,
            "success_rate": None,
            # Syllable cannot record a CQD setup failure: NULL, not 0 %
            "setup_failure_rate": None,
            "drop_failure_rate": None,
        },
    )


def test_test_sessions_excluded_by_default(builds):
    def totals(result: DbtResult) -> tuple[int, int]:
        (row,) = rows(
            result,
            "select sum(sessions) as s, sum(streams) as st"
            " from marts.fct_call_quality_daily",
        )
        return row["s"], row["st"]

    # default: graph 4 voice + 1 video + 1 sharing, syllable 4 + 1,
    # cdr 8 + 2 im + 2 video + 1 ft + 1 app sharing + 1 (03-09) + 1 (03-10)
    # streams: 13 + 8 + 5
    assert totals(builds["default"]) == (6 + 5 + 16, 26)
    # + s-test (1 stream) and Syllable 2005
    assert totals(builds["tests"]) == (6 + 5 + 16 + 2, 27)


# --- fct_sfb_p2p_activity_daily -------------------------------------------------------
# Successful (200 + SessionEndTime) CDR sessions; minutes from ResponseTime to
# SessionEndTime; 2024-03-05 is a Tuesday (week from Sunday 2024-03-03).
#   10:00 audio          10:00:05 -> 10:10:05   10 min
#   11:00 IM 4 + 3 msgs  11:00    -> 11:03       3 min
#   12:00 audio + video  12:00    -> 12:30      30 min
#   13:00 video only     13:00    -> 13:06       6 min (also an audio session)
#   14:00 file transfer  14:00    -> 14:01:30  1.5 min
#   15:00 app sharing    15:00    -> 15:12      12 min
# Not counted: 486/487/480/603/503/NULL sessions, the 500 session with an end time,
# and the 16:00 IM session without SessionEndTime.


def test_p2p_activity(builds):
    days = {
        str(r["session_date"]): r
        for r in rows(
            builds["default"], "select * from marts.fct_sfb_p2p_activity_daily"
        )
    }
    assert sorted(days) == ["2024-03-05", "2024-03-09", "2024-03-10"]
    assert_row(
        days["2024-03-05"],
        {
            "sessions": 6,
            "im_sessions": 1,
            "im_messages": 7,  # 4 + 3
            "audio_sessions": 3,  # 10:00, 12:00, 13:00 (video counts as audio)
            "audio_minutes": 10 + 30 + 6.0,
            "average_audio_minutes": 46 / 3,
            "video_sessions": 2,  # 12:00, 13:00
            "video_minutes": 30 + 6.0,
            "average_video_minutes": 36 / 2,
            "file_transfer_sessions": 1,
            "app_sharing_sessions": 1,
            "total_minutes": 10 + 3 + 30 + 6 + 1.5 + 12,
            "average_minutes": 62.5 / 6,
        },
    )
    assert str(days["2024-03-05"]["sunday_week_start"]) == "2024-03-03"
    # Saturday 2024-03-09 still belongs to the week of Sunday 03-03; Sunday 03-10
    # starts a new week.
    assert str(days["2024-03-09"]["sunday_week_start"]) == "2024-03-03"
    assert str(days["2024-03-10"]["sunday_week_start"]) == "2024-03-10"
    assert_row(
        days["2024-03-09"],
        {"sessions": 1, "audio_minutes": 1.0, "video_sessions": 0},
    )
    # no video session that day: 0 / 0 -> NULL
    assert days["2024-03-09"]["average_video_minutes"] is None
    assert_row(days["2024-03-10"], {"sessions": 1, "total_minutes": 2.0})


# --- invariants over every build ------------------------------------------------------


@pytest.mark.parametrize("build", sorted(BUILD_VARS))
def test_rates_bounded(builds, build):
    for model, columns in RATE_COLUMNS.items():
        for r in rows(builds[build], f"select * from marts.{model}"):
            for column in columns:
                value = r[column]
                assert value is None or 0.0 <= value <= 1.0, (model, column, r)


@pytest.mark.parametrize("build", sorted(BUILD_VARS))
def test_all_dbt_nodes_passed(builds, build):
    failed = [
        r for r in builds[build].run_results() if r["status"] not in ("success", "pass")
    ]
    assert failed == []
