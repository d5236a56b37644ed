"""Golden tests of the duration, chat-queue and agent marts.

The fixture `fixtures/golden_queue` is hand-written: 17 SuperOffice chats and 8 Syllable
sessions (2 of them test sessions) on Tuesday 2024-03-05, all times UTC. Every expected
number below is computed by hand from that fixture (the arithmetic is in the comments),
never copied from model output. Percentiles are continuous (linear interpolation): for
n sorted values v[0..n-1] and p, rank r = (n - 1) * p, value v[floor(r)] +
(r - floor(r)) * (v[floor(r) + 1] - v[floor(r)]).

SuperOffice chats (wait = requested -> started, or -> ended when never started;
handle = started -> ended; qpos = initial_queue_pos):

    id  topic status               requested started  ended     wait handle qpos user
    1   1     7 Finished           09:00:00  09:00:05 09:10:05     5    600    1 7
    2   1     7 Finished           09:05:00  09:05:10 09:07:10    10    120    2 7
    3   1     9 Closed             09:20:00  09:20:20 09:20:50    20     30    1 8
    4   1     7 Finished (bot)     09:30:00  09:30:30 09:31:00    30     30    3 -
    5   1     9 Closed             10:00:00  10:01:00 10:21:00    60   1200    4 7
    6   1     7 Finished           10:10:00  10:12:00 10:12:04   120      4    5 8
    7   1    11 ClosedFromQueue    10:15:00  -        10:15:08     8      -    2 -
    8   1    11 ClosedFromQueue    10:20:00  -        10:21:30    90      -    3 -
    9   1     9 Closed, unanswered 10:40:00  -        10:45:00   300      -    6 -
    10  1     4 InQueue            10:50:00  -        -            -      -    2 -
    11  1     6 UserLast           10:55:00  10:55:15 -           15      -    1 8
    12  1     1 PreChatForm        11:00:00  -        -            not queued
    13  1     3 OfflineForm        11:05:00  -        11:06:00     offered, deflected
    14  1     2 Faq                11:10:00  -        -            not queued
    15  2     7 Finished           13:00:00  13:00:45 13:03:45    45    180    1 8
    16  -     8 Deleted, answered  14:00:00  14:00:02 14:00:32     2     30    1 7
    17  -     8 Deleted, never     15:00:00  -        15:01:00     not queued (unknown)

Chat 3 has transfer_to 12; chat 4 has chatbot_isactive 1; ratings: 1 -> 5, 2 -> 4,
4 -> 3, 6 -> 1.

Syllable sessions (voice_sip_v1 -> channel ai_voice unless noted; labels via
syllable_labels/):

    session agent duration label is_test
    2001    a1    3.0      GOOD  false
    2002    a1    59.5     BAD   false
    2003    a1    60       -     false
    2004    a2    5        OK    (absent)
    2005    a2    -        -     false      no duration: no end time
    2006    a1    1000     -     true
    2007    a3    -        -     true
    2008    a2    -        -     false      web_chat_v1 (ai_chat), no duration
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dbt_harness import FIXTURES_DIR, DbtResult, dbt_build_many

GOLDEN_DIR = FIXTURES_DIR / "golden_queue"
DAY = "2024-03-05"
# These marts, everything upstream of them, and the data tests of all of those.
SELECT = "+path:models/marts/duration +path:models/marts/queue"


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DbtResult]:
    """Two builds of the fixture: the defaults, and with test sessions included and
    short abandons (< 10 s) subtracted from the service-level denominator."""
    work = tmp_path_factory.mktemp("golden_queue")
    return dbt_build_many(
        {
            "default": {
                "landing_dir": GOLDEN_DIR,
                "work_dir": work / "default",
                "select": SELECT,
            },
            "variant": {
                "landing_dir": GOLDEN_DIR,
                "work_dir": work / "variant",
                "select": SELECT,
                # the text form of a boolean var goes through the one parser
                "vars": {
                    "include_test_sessions": "yes",
                    "short_abandon_seconds": 10,
                    "superoffice_rating_scale_max": 5,
                },
            },
        }
    )


def rows(result: DbtResult, sql: str) -> list[dict]:
    con = duckdb.connect(str(Path(result.db_path)), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    finally:
        con.close()


def one(result: DbtResult, sql: str) -> dict:
    found = rows(result, sql)
    assert len(found) == 1, found
    return found[0]


def queue_day(result: DbtResult, topic: str | None) -> dict:
    where = "topic_id is null" if topic is None else f"topic_id = '{topic}'"
    return one(
        result,
        f"select * from marts.fct_chat_queue_daily where session_date = '{DAY}'"
        f" and {where}",
    )


def assert_metrics(actual: dict, expected: dict) -> None:
    for column, value in expected.items():
        if isinstance(value, float):
            assert actual[column] == pytest.approx(value, rel=1e-9), column
        else:
            assert actual[column] == value, column


# --- chat queue, daily ---------------------------------------------------------------


def test_queue_daily_topic_1(golden):
    # Topic 1 chats 1-14. Offered: 1-11 and 13 (OfflineForm: asked while no agent was
    # available; 12 PreChatForm, 14 Faq never asked for an agent) = 12. Answered
    # (when_started set): 1, 2, 3, 4, 5, 6, 11 = 7. Abandoned: 7, 8 (ClosedFromQueue),
    # 9 (Closed, never started) = 3. Deflected: 13 = 1. Still waiting: 10 = 1.
    # 7 + 3 + 1 + 1 = 12.
    # Answered waits 5, 10, 20, 30, 60, 120, 15 -> sorted 5, 10, 15, 20, 30, 60, 120.
    #   ASA = (5 + 10 + 15 + 20 + 30 + 60 + 120) / 7 = 260 / 7.
    #   p50: r = 6 * 0.5 = 3 -> 20.   p90: r = 6 * 0.9 = 5.4 -> 60 + 0.4 * 60 = 84.
    # Service level 20 s (wait <= 20): 5, 10, 15, 20 = 4 -> 4 / 12 (no short abandons).
    # Service level 60 s: 5, 10, 15, 20, 30, 60 = 6 -> 6 / 12.
    # Abandoned waits 8, 90, 300 -> mean 398 / 3 (13 has no queue wait).
    # Initial queue positions of 1-11: 1+2+1+3+4+5+2+3+6+2+1 = 30 -> 30 / 11 (13 has
    # none).
    # Handle times of answered chats that ended (1-6; 11 is still open):
    #   600, 120, 30, 30, 1200, 4 -> mean 1984 / 6; sorted 4, 30, 30, 120, 600, 1200,
    #   p90: r = 5 * 0.9 = 4.5 -> 600 + 0.5 * (1200 - 600) = 900.
    # Bot: chat 4 -> 1 / 12. Transfers: chat 3 -> 1. Ratings 5, 4, 3, 1 are not used:
    # SuperOffice publishes no rating scale and var superoffice_rating_scale_max is
    # unset, so no chat is rated and avg_rating is NULL.
    assert_metrics(
        queue_day(golden["default"], "1"),
        {
            "chats_offered": 12,
            "chats_answered": 7,
            "chats_abandoned_in_queue": 3,
            "chats_deflected": 1,
            "chats_waiting_at_extract": 1,
            "short_abandons": 0,
            "counted_offered_chats": 12,
            "counted_abandoned_chats": 3,
            "abandonment_rate": 3 / 12,
            "answered_within_service_level": 4,
            "service_level": 4 / 12,
            "answered_within_service_level_long": 6,
            "service_level_long": 6 / 12,
            "total_answered_wait_seconds": 260.0,
            "answered_chats_with_wait": 7,
            "asa_seconds": 260 / 7,
            "p50_wait_seconds": 20.0,
            "p90_wait_seconds": 84.0,
            "total_abandon_wait_seconds": 398.0,
            "abandoned_chats_with_wait": 3,
            "avg_abandon_wait_seconds": 398 / 3,
            "total_initial_queue_position": 30,
            "chats_with_queue_position": 11,
            "avg_initial_queue_position": 30 / 11,
            "chats_with_handle_time": 6,
            "total_handle_seconds": 1984.0,
            "avg_handle_seconds": 1984 / 6,
            "p90_handle_seconds": 900.0,
            "bot_handled_chats": 1,
            "bot_handled_share": 1 / 12,
            "transferred_chats": 1,
            "rated_chats": 0,
            "total_rating": None,
            "avg_rating": None,
        },
    )
    # With var superoffice_rating_scale_max 5 (variant) the ratings 5, 4, 3, 1 of the
    # offered chats 1, 2, 4, 6 count: 13 / 4.
    assert_metrics(
        queue_day(golden["variant"], "1"),
        {"rated_chats": 4, "total_rating": 13, "avg_rating": 13 / 4},
    )


def test_queue_daily_other_topics(golden):
    # Topic 2: chat 15 only, waited 45 s (> 20, <= 60), handled 180 s, qpos 1.
    assert_metrics(
        queue_day(golden["default"], "2"),
        {
            "chats_offered": 1,
            "chats_answered": 1,
            "chats_abandoned_in_queue": 0,
            "abandonment_rate": 0.0,
            "service_level": 0.0,
            "service_level_long": 1.0,
            "asa_seconds": 45.0,
            "p50_wait_seconds": 45.0,
            "p90_wait_seconds": 45.0,
            "avg_handle_seconds": 180.0,
            "avg_initial_queue_position": 1.0,
            "rated_chats": 0,
            "avg_rating": None,
        },
    )
    # No topic: chat 16 (Deleted, but when_started set, so it did queue) is offered;
    # chat 17 (Deleted, never started: unknown whether it queued) is not.
    assert_metrics(
        queue_day(golden["default"], None),
        {
            "chats_offered": 1,
            "chats_answered": 1,
            "asa_seconds": 2.0,
            "avg_handle_seconds": 30.0,
            "service_level": 1.0,
        },
    )
    # Offered over the day: 12 + 1 + 1 = 14, in three topic rows.
    daily = rows(golden["default"], "select * from marts.fct_chat_queue_daily")
    assert len(daily) == 3
    assert sum(r["chats_offered"] for r in daily) == 14


def test_queue_short_abandons_subtracted(golden):
    # With short_abandon_seconds = 10: of the abandoned waits 8, 90, 300 only 8 < 10,
    # so 1 short abandon. It counts as neither offered nor abandoned in the rates:
    # denominator 12 - 1 = 11: service level 4 / 11, long 6 / 11; abandonment
    # (3 - 1) / (12 - 1) = 2 / 11. The counts themselves keep it.
    assert_metrics(
        queue_day(golden["variant"], "1"),
        {
            "chats_offered": 12,
            "chats_abandoned_in_queue": 3,
            "short_abandons": 1,
            "counted_offered_chats": 11,
            "counted_abandoned_chats": 2,
            "service_level": 4 / 11,
            "service_level_long": 6 / 11,
            "abandonment_rate": 2 / 11,
        },
    )


# --- chat queue, hourly --------------------------------------------------------------


def test_queue_hourly(golden):
    hourly = rows(
        golden["default"],
        "select * from marts.fct_chat_queue_hourly where topic_id = '1'"
        " order by requested_hour",
    )
    # Topic 1 offered chats were requested in hours 09 (1-4), 10 (5-11) and 11 (13,
    # deflected; 12 and 14 were never offered).
    assert [r["hour_of_day"] for r in hourly] == [9, 10, 11]
    # 2024-03-05 is a Tuesday: ISO day of week 2.
    assert {r["day_of_week"] for r in hourly} == {2}
    nine, ten, eleven = hourly
    # 09:00: waits 5, 10, 20, 30. ASA = 65 / 4. p50: r = 1.5 -> 10 + 0.5 * 10 = 15.
    # p90: r = 2.7 -> 20 + 0.7 * 10 = 27. Within 20 s: 5, 10, 20 = 3 of 4.
    assert_metrics(
        nine,
        {
            "chats_offered": 4,
            "chats_answered": 4,
            "chats_abandoned_in_queue": 0,
            "asa_seconds": 65 / 4,
            "p50_wait_seconds": 15.0,
            "p90_wait_seconds": 27.0,
            "service_level": 3 / 4,
            "service_level_long": 1.0,
        },
    )
    # 10:00: chats 5-11: answered 5, 6, 11 (waits 60, 120, 15), abandoned 7, 8, 9,
    # waiting 10. ASA = 195 / 3 = 65. Sorted 15, 60, 120: p50 60,
    # p90: r = 1.8 -> 60 + 0.8 * 60 = 108. Within 20 s: 15 -> 1 / 7; 60 s: 2 / 7.
    assert_metrics(
        ten,
        {
            "chats_offered": 7,
            "chats_answered": 3,
            "chats_abandoned_in_queue": 3,
            "chats_waiting_at_extract": 1,
            "abandonment_rate": 3 / 7,
            "asa_seconds": 65.0,
            "p50_wait_seconds": 60.0,
            "p90_wait_seconds": 108.0,
            "service_level": 1 / 7,
            "service_level_long": 2 / 7,
        },
    )
    # 11:00: only the deflected chat 13: offered 1, answered 0 -> service level 0 / 1.
    assert_metrics(
        eleven,
        {
            "chats_offered": 1,
            "chats_deflected": 1,
            "chats_answered": 0,
            "service_level": 0.0,
            "abandonment_rate": 0.0,
            "asa_seconds": None,
        },
    )
    # Hours add up to the day.
    assert sum(r["chats_offered"] for r in hourly) == 12


# --- durations -----------------------------------------------------------------------


def duration_row(result: DbtResult, source_system: str, channel: str) -> dict:
    return one(
        result,
        "select * from marts.fct_session_duration_daily"
        f" where session_date = '{DAY}' and source_system = '{source_system}'"
        f" and channel = '{channel}'",
    )


def test_duration_syllable_excludes_test_sessions(golden):
    # Non-test sessions 2001-2005: durations 3, 59.5, 60, 5 and 2005 without one.
    # Sorted 3, 5, 59.5, 60 (n = 4): total 127.5 s = 2.125 min, mean 31.875.
    # p50: r = 1.5 -> 5 + 0.5 * 54.5 = 32.25. p90: r = 2.7 -> 59.5 + 0.7 * 0.5 = 59.85.
    # p99: r = 2.97 -> 59.5 + 0.97 * 0.5 = 59.985. Short (< 60): 3, 5, 59.5 -> 3 / 4
    # (60 is not short). Answer seizure (< 5): 3 -> 1 / 4 (5 is not).
    assert_metrics(
        duration_row(golden["default"], "syllable", "ai_voice"),
        {
            "sessions": 5,
            "sessions_with_duration": 4,
            "sessions_without_end": 1,
            "sessions_without_start": 0,
            "total_minutes": 127.5 / 60,
            "mean_duration_seconds": 31.875,
            "p50_duration_seconds": 32.25,
            "p90_duration_seconds": 59.85,
            "p99_duration_seconds": 59.985,
            "max_duration_seconds": 60.0,
            "short_sessions": 3,
            "short_call_share": 0.75,
            "answer_seizure_sessions": 1,
            "answer_seizure_share": 0.25,
        },
    )


def test_duration_syllable_includes_test_sessions_when_asked(golden):
    # + 2006 (1000 s) and 2007 (no duration): 7 sessions, 5 with a duration
    # (3, 5, 59.5, 60, 1000 -> total 1127.5, mean 225.5, p50 59.5), 2 without end.
    # Short: 3 / 5.
    assert_metrics(
        duration_row(golden["variant"], "syllable", "ai_voice"),
        {
            "sessions": 7,
            "sessions_with_duration": 5,
            "sessions_without_end": 2,
            "total_minutes": 1127.5 / 60,
            "mean_duration_seconds": 225.5,
            "p50_duration_seconds": 59.5,
            "max_duration_seconds": 1000.0,
            "short_call_share": 3 / 5,
        },
    )


def test_duration_chats_without_end_not_zero(golden):
    # All 17 chats. Duration = started -> ended (handle time), for 1-6, 15, 16:
    # 600, 120, 30, 30, 1200, 4, 180, 30. No end time: 10, 11, 12, 14 = 4. Ended but
    # never started: 7, 8, 9, 13, 17 = 5. 8 + 4 + 5 = 17.
    # Sorted 4, 30, 30, 30, 120, 180, 600, 1200: total 2194 s, mean 2194 / 8 = 274.25.
    # p50: r = 3.5 -> 30 + 0.5 * 90 = 75. p90: r = 6.3 -> 600 + 0.3 * 600 = 780.
    # p99: r = 6.93 -> 600 + 0.93 * 600 = 1158. Short (< 60): 4, 30, 30, 30 -> 4 / 8.
    # Answer seizure (< 5): 4 -> 1 / 8.
    assert_metrics(
        duration_row(golden["default"], "superoffice", "chat"),
        {
            "sessions": 17,
            "sessions_with_duration": 8,
            "sessions_without_end": 4,
            "sessions_without_start": 5,
            "total_minutes": 2194 / 60,
            "mean_duration_seconds": 274.25,
            "p50_duration_seconds": 75.0,
            "p90_duration_seconds": 780.0,
            "p99_duration_seconds": 1158.0,
            "max_duration_seconds": 1200.0,
            "short_call_share": 0.5,
            "answer_seizure_share": 1 / 8,
        },
    )


def test_duration_group_without_any_end(golden):
    # ai_chat has one session, 2008, without a duration: it is counted without an end
    # and every statistic is NULL, not 0.
    assert_metrics(
        duration_row(golden["default"], "syllable", "ai_chat"),
        {
            "sessions": 1,
            "sessions_with_duration": 0,
            "sessions_without_end": 1,
            "total_minutes": None,
            "mean_duration_seconds": None,
            "p50_duration_seconds": None,
            "max_duration_seconds": None,
            "short_sessions": 0,
            "short_call_share": None,
            "answer_seizure_share": None,
        },
    )


# --- agents --------------------------------------------------------------------------


def agent_row(result: DbtResult, source_system: str, agent_id: str) -> dict:
    return one(
        result,
        "select * from marts.fct_agent_daily"
        f" where session_date = '{DAY}' and source_system = '{source_system}'"
        f" and agent_id = '{agent_id}'",
    )


def test_agent_daily_superoffice(golden):
    # User 7: chats 1, 2, 5, 16, all handled and ended: 600 + 120 + 1200 + 30 = 1950 s
    # = 32.5 min, mean 487.5 s = 8.125 min. Ratings 5 (chat 1), 4 (chat 2) are unused
    # by default (no scale); with the variant's scale max 5 -> 4.5.
    assert_metrics(
        agent_row(golden["default"], "superoffice", "7"),
        {
            "sessions": 4,
            "sessions_handled": 4,
            "sessions_with_handle_time": 4,
            "total_handle_minutes": 32.5,
            "avg_handle_minutes": 8.125,
            "rated_sessions": 0,
            "avg_rating": None,
            "labelled_sessions": 0,
        },
    )
    assert_metrics(
        agent_row(golden["variant"], "superoffice", "7"),
        {"rated_sessions": 2, "avg_rating": 4.5},
    )
    # User 8: chats 3, 6, 11, 15, all handled; 11 has no end: 30 + 4 + 180 = 214 s
    # over 3. Rating 1 (chat 6) unused without a scale.
    assert_metrics(
        agent_row(golden["default"], "superoffice", "8"),
        {
            "sessions": 4,
            "sessions_handled": 4,
            "sessions_with_handle_time": 3,
            "total_handle_minutes": 214 / 60,
            "avg_handle_minutes": 214 / 3 / 60,
            "rated_sessions": 0,
            "avg_rating": None,
        },
    )
    # The bot chat 4 has no user: no agent row for it.
    agents = rows(
        golden["default"],
        "select agent_id from marts.fct_agent_daily"
        " where source_system = 'superoffice'",
    )
    assert sorted(r["agent_id"] for r in agents) == ["7", "8"]


def test_agent_daily_syllable(golden):
    # a1: 2001 (3 s, GOOD), 2002 (59.5 s, BAD), 2003 (60 s); 2006 is a test session.
    # 122.5 s = 122.5 / 60 min over 3 sessions.
    assert_metrics(
        agent_row(golden["default"], "syllable", "a1"),
        {
            "sessions": 3,
            "sessions_handled": 3,
            "sessions_with_handle_time": 3,
            "total_handle_minutes": 122.5 / 60,
            "avg_handle_minutes": 122.5 / 3 / 60,
            "rated_sessions": 0,
            "avg_rating": None,
            "labelled_sessions": 2,
            "good_label_sessions": 1,
            "ok_label_sessions": 0,
            "bad_label_sessions": 1,
            "not_applicable_label_sessions": 0,
        },
    )
    # a2: 2004 (5 s, OK); 2005 and 2008 have no duration, so no handle time.
    assert_metrics(
        agent_row(golden["default"], "syllable", "a2"),
        {
            "sessions": 3,
            "sessions_handled": 3,
            "sessions_with_handle_time": 1,
            "total_handle_minutes": 5 / 60,
            "labelled_sessions": 1,
            "ok_label_sessions": 1,
        },
    )


def test_agent_daily_test_sessions(golden):
    # a3 only has a test session: absent by default, present when they are included.
    def syllable_agents(result: DbtResult) -> list[str]:
        return sorted(
            r["agent_id"]
            for r in rows(
                result,
                "select agent_id from marts.fct_agent_daily"
                " where source_system = 'syllable'",
            )
        )

    assert syllable_agents(golden["default"]) == ["a1", "a2"]
    assert syllable_agents(golden["variant"]) == ["a1", "a2", "a3"]
    # With test sessions, a1 also has 2006 (1000 s): 4 sessions, 1122.5 s.
    assert_metrics(
        agent_row(golden["variant"], "syllable", "a1"),
        {"sessions": 4, "total_handle_minutes": 1122.5 / 60},
    )
