"""SQL Server datetimes in a non-UTC `sfb_timezone` across DST edges (issue 13).

QoE rows in Europe/Oslo (CET +01:00, CEST +02:00 from 2024-03-31 02:00 to 2024-10-27
03:00 local), built once with `sfb_timezone: Europe/Oslo`. Hand computed:

- 2024-03-31 01:30 (CET) = 00:30 UTC; 03:30 (CEST) = 01:30 UTC;
- 02:30 on 2024-03-31 does not exist (the clocks jump 02:00 -> 03:00): read as CET
  (01:30 UTC) or CEST (00:30 UTC);
- 02:30 on 2024-10-27 happens twice (CEST 00:30 UTC, then CET 01:30 UTC): either;
- a session from 2024-10-26 23:50 (CEST, 21:50 UTC) to 2024-10-27 03:10 (CET, 02:10 UTC)
  crosses midnight and the fall-back: 4 h 20 min = 15,600 s, not the 12,000 s of the
  wall clocks; it belongs to session_date 2024-10-26 (UTC).
"""

from __future__ import annotations

import datetime as dt

import pytest
from dbt_harness import DbtResult, dbt_build

ROWS = [
    # ConferenceDateTime, SessionSeq, StartTime, EndTime
    ("2024-03-31 01:30:00", 1, "2024-03-31 01:30:00", "2024-03-31 03:30:00"),
    ("2024-03-31 02:30:00", 2, "2024-03-31 02:30:00", ""),
    ("2024-10-27 02:30:00", 3, "2024-10-27 02:30:00", ""),
    ("2024-10-26 23:50:00", 4, "2024-10-26 23:50:00", "2024-10-27 03:10:00"),
]


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def oslo(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    root = tmp_path_factory.mktemp("sfb_timezone")
    folder = root / "landing" / "sfb_qoe"
    folder.mkdir(parents=True)
    lines = ["ConferenceDateTime,SessionSeq,StartTime,EndTime"]
    lines += [",".join(str(v) for v in row) for row in ROWS]
    (folder / "Session_dst.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dbt_build(
        root / "landing",
        root / "work",
        select="+fct_sessions +rejected_rows",
        vars={"sfb_timezone": "Europe/Oslo"},
    )


def _starts(result: DbtResult) -> dict[int, tuple]:
    return {
        seq: (start, end)
        for seq, start, end in result.query(
            "select session_seq, start_time, end_time"
            " from staging.stg_sfb_qoe__sessions"
        )
    }


def test_unambiguous_local_times_convert_to_utc(oslo: DbtResult) -> None:
    starts = _starts(oslo)
    assert starts[1] == (utc("2024-03-31 00:30:00"), utc("2024-03-31 01:30:00"))
    assert starts[4] == (utc("2024-10-26 21:50:00"), utc("2024-10-27 02:10:00"))


def test_dst_gap_and_repeat_are_read_as_one_of_their_offsets(oslo: DbtResult) -> None:
    starts = _starts(oslo)
    assert starts[2][0] in (utc("2024-03-31 00:30:00"), utc("2024-03-31 01:30:00"))
    assert starts[3][0] in (utc("2024-10-27 00:30:00"), utc("2024-10-27 01:30:00"))
    # either offset is a defensible reading (SQL Server datetime has none); both
    # rows must still be one instant, not NULL or rejected
    assert oslo.count("staging.rejected_rows") == 0


def test_session_across_midnight_and_fall_back_has_its_real_duration(
    oslo: DbtResult,
) -> None:
    (row,) = oslo.query(
        "select session_date, duration_seconds from marts.fct_sessions"
        " where source_system = 'sfb_qoe' and duration_seconds > 10000"
    )
    assert row == (dt.date(2024, 10, 26), 15600.0)
    # and the spring-forward session: 01:30 CET to 03:30 CEST is 1 h, not 2 h
    assert oslo.scalar(
        "select duration_seconds from marts.fct_sessions where source_system ="
        " 'sfb_qoe' and started_at = timestamp '2024-03-31 00:30:00'"
    ) == pytest.approx(3600.0)
