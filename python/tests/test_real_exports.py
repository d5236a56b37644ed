"""Real exports load as production systems write them (issue: "nothing lost on real
exports"; REFERENCE.md §10): live column spellings, unexpected columns reported, and
the API shapes seen in the wild. Every file here is small and hand-written; the
expected values are read off the file text.

One landing dir, one `dbt build` for the whole module.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from dbt_harness import DbtResult, dbt_build

CDR = "staging.stg_sfb_cdr__session_details"
QOE = "staging.stg_sfb_qoe__sessions"

# LcsCDR as the live database spells it: ReplacesDialogIdTime / ReplacesDialogIdSeq
# (the schema page says ReplaceDialogId...), plus a column no documentation has.
CDR_LIVE = (
    "SessionIdTime,SessionIdSeq,ReplacesDialogIdTime,ReplacesDialogIdSeq,InviteTime,"
    "ResponseTime,ResponseCode,SessionEndTime,LastModifiedTime,NewColumnX\n"
    "2024-03-06 10:00:00.000,7,2024-03-06 09:59:00.500,3,2024-03-06 10:00:00.000,"
    "2024-03-06 10:00:02.000,200,2024-03-06 10:05:00.000,2024-03-06 10:05:01.000,x1\n"
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
    }
    assert real.count("staging.landed_files", "file_status = 'loaded'") == 2


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
