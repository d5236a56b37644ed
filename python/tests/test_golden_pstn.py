"""Golden tests of the Graph PSTN and Direct Routing models (issue 17).

The landing dir fixtures/golden_pstn is hand-written (docs/METRICS.md, "PSTN and Direct
Routing"; REFERENCE.md section 9). Every expected number below is worked out by hand
from those files, never copied from model output.

graph_direct_routing/DirectRoutingCalls_2024-03-05.json, all requested 2024-03-05:
    id     SBC   successfulCall  finalSipCode  duration  NER-effective because
    dr-01  sbc1  true            200           120       answered
    dr-02  sbc1  true            200           300       answered
    dr-03  sbc1  false           486                     user busy
    dr-04  sbc1  false           487                     no answer (caller gave up)
    dr-05  sbc1  false           503                     - (network failure)
    dr-06  sbc1  false           603                     user rejected
    dr-07  sbc2  true            200           60        answered (no failureDateTime)
    dr-08  sbc2  false           480                     no answer
    dr-09  sbc2  false           500                     - (network failure)
    dr-10  sbc2  false           408                     no answer
    dr-11  sbc2  failureDateTime "yesterday": rejected, no attempt
  sbc1: attempts 6, answered 2, NER-effective 2 + 1 + 1 + 1 = 5
        ASR = 2 / 6 = 0.3333..., NER = 5 / 6 = 0.8333..., minutes (120 + 300) / 60 = 7.0
  sbc2: attempts 4, answered 1, NER-effective 1 + 1 + 1 = 3
        ASR = 1 / 4 = 0.25, NER = 3 / 4 = 0.75, minutes 60 / 60 = 1.0
  all:  ASR = 3 / 10 = 0.3, NER = 8 / 10 = 0.8

graph_pstn/PstnCalls_2024-03-05.jsonl (line 1 a page of 2 rows, then 2 rows):
    pstn-1  2024-03-05  180 s  charge 0.25  connection 0.05  USD
    pstn-2  2024-03-05  600 s  charge 0.00  connection 0.00  USD
    pstn-3  2024-03-06   30 s  charge 0.10  connection 0.00  USD
    pstn-4  ends before it starts: rejected
  2024-03-05: calls 2, minutes (180 + 600) / 60 = 13.0, charge 0.25, connection 0.05
  2024-03-06: calls 1, minutes 30 / 60 = 0.5, charge 0.10
"""

from __future__ import annotations

from typing import Any

import pytest
from dbt_harness import FIXTURES_DIR, DbtResult, dbt_build

LANDING_DIR = FIXTURES_DIR / "golden_pstn"
SBC1 = "sbc1.contoso.com"
SBC2 = "sbc2.contoso.com"


@pytest.fixture(scope="module")
def pstn_warehouse(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    return dbt_build(LANDING_DIR, tmp_path_factory.mktemp("golden_pstn"))


def _rows(result: DbtResult, sql: str) -> list[dict[str, Any]]:
    with result.connect() as con:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _by_sbc(result: DbtResult) -> dict[str | None, dict[str, Any]]:
    rows = _rows(
        result,
        "select * from marts.fct_pstn_daily"
        " where source_system = 'graph_direct_routing'",
    )
    return {row["sbc_fqdn"]: row for row in rows}


def test_direct_routing_asr_and_ner_per_sbc(pstn_warehouse: DbtResult) -> None:
    by_sbc = _by_sbc(pstn_warehouse)
    assert set(by_sbc) == {SBC1, SBC2}
    sbc1, sbc2 = by_sbc[SBC1], by_sbc[SBC2]
    assert (sbc1["attempts"], sbc1["answered_attempts"]) == (6, 2)
    assert (sbc1["ner_effective_attempts"], sbc1["failed_attempts"]) == (5, 4)
    assert (
        sbc1["user_busy_attempts"],
        sbc1["no_answer_attempts"],
        sbc1["user_rejected_attempts"],
    ) == (1, 1, 1)
    assert sbc1["answer_seizure_ratio"] == pytest.approx(2 / 6)
    assert sbc1["network_effectiveness_ratio"] == pytest.approx(5 / 6)
    assert sbc1["minutes"] == pytest.approx(7.0)
    assert (sbc2["attempts"], sbc2["answered_attempts"]) == (4, 1)
    assert sbc2["ner_effective_attempts"] == 3
    assert sbc2["answer_seizure_ratio"] == pytest.approx(0.25)
    assert sbc2["network_effectiveness_ratio"] == pytest.approx(0.75)
    assert sbc2["minutes"] == pytest.approx(1.0)
    assert sbc1["charge"] is None and sbc2["charge"] is None


def test_direct_routing_ratios_over_all_sbcs(pstn_warehouse: DbtResult) -> None:
    attempts, answered, effective = pstn_warehouse.query(
        "select sum(attempts), sum(answered_attempts), sum(ner_effective_attempts)"
        " from marts.fct_pstn_daily"
    )[0]
    assert attempts == 10
    assert answered / attempts == pytest.approx(0.3)
    assert effective / attempts == pytest.approx(0.8)


def test_failures_by_sip_code_and_sbc(pstn_warehouse: DbtResult) -> None:
    rows = pstn_warehouse.query(
        "select sbc_fqdn, final_sip_code, ner_outcome, failed_attempts"
        " from marts.fct_pstn_failures_daily order by sbc_fqdn, final_sip_code"
    )
    assert rows == [
        (SBC1, 486, "user_busy", 1),
        (SBC1, 487, "no_answer", 1),
        (SBC1, 503, None, 1),
        (SBC1, 603, "user_rejected", 1),
        (SBC2, 408, "no_answer", 1),
        (SBC2, 480, "no_answer", 1),
        (SBC2, 500, None, 1),
    ]


def test_calling_plan_calls_minutes_and_charges(pstn_warehouse: DbtResult) -> None:
    rows = _rows(
        pstn_warehouse,
        "select * from marts.fct_pstn_daily where source_system = 'graph_pstn'"
        " order by call_date",
    )
    assert [str(row["call_date"]) for row in rows] == ["2024-03-05", "2024-03-06"]
    first, second = rows
    assert (first["calls"], first["answered_calls"], first["attempts"]) == (2, 2, 0)
    assert first["minutes"] == pytest.approx(13.0)
    assert first["charge"] == pytest.approx(0.25)
    assert first["connection_charge"] == pytest.approx(0.05)
    assert first["currency"] == "USD"
    assert first["answer_seizure_ratio"] is None
    assert second["calls"] == 1 and second["minutes"] == pytest.approx(0.5)
    assert second["charge"] == pytest.approx(0.10)


def test_rejected_rows_and_reconciliation(pstn_warehouse: DbtResult) -> None:
    rejected = pstn_warehouse.query(
        "select source_system, source_row_number, rejection_reason"
        " from staging.rejected_rows order by source_system"
    )
    assert rejected == [
        ("graph_direct_routing", 11, "failureDateTime: not a valid timestamp"),
        ("graph_pstn", 3, "endDateTime before startDateTime"),
    ]
    reconciled = pstn_warehouse.query(
        "select source_system, landed_rows, staged_rows, rejected_rows"
        " from staging.row_reconciliation order by source_system"
    )
    assert reconciled == [("graph_direct_routing", 11, 10, 1), ("graph_pstn", 4, 3, 1)]


def test_no_failure_sentinel_and_absent_failure_time(pstn_warehouse: DbtResult) -> None:
    failed = dict(
        pstn_warehouse.query(
            "select direct_routing_call_id, failed_at"
            " from staging.stg_graph_direct_routing__calls"
        )
    )
    # dr-01 / dr-02: 0001-01-01T00:00:00Z = no failure; dr-07: member absent.
    assert [failed["dr-01"], failed["dr-02"], failed["dr-07"]] == [None, None, None]
    assert str(failed["dr-05"]) == "2024-03-05 10:00:00"


def test_sessions_channel_pstn(pstn_warehouse: DbtResult) -> None:
    rows = pstn_warehouse.query(
        "select source_system, outcome, count(*), count(sbc_fqdn)"
        " from marts.fct_sessions where channel = 'pstn'"
        " group by all order by all"
    )
    # Direct Routing: answered dr-01, dr-02, dr-07; missed (expected failures) 486, 603,
    # 480, 408; cancelled 487; failed 503, 500. PSTN: 3 connected calls, no SBC.
    assert rows == [
        ("graph_direct_routing", "cancelled", 1, 1),
        ("graph_direct_routing", "failed", 2, 2),
        ("graph_direct_routing", "missed", 4, 4),
        ("graph_direct_routing", "succeeded", 3, 3),
        ("graph_pstn", "succeeded", 3, 0),
    ]
    setup = pstn_warehouse.scalar(
        "select setup_seconds from marts.fct_sessions where source_session_id = 'dr-01'"
    )
    assert setup == pytest.approx(2.0)  # invite 09:59:58, start 10:00:00


def test_numbers_and_names_are_pseudonymised(pstn_warehouse: DbtResult) -> None:
    with pstn_warehouse.connect() as con:
        for table in (
            "staging.base_graph_pstn__calls",
            "staging.base_graph_direct_routing__calls",
            "marts.fct_sessions",
            "staging.rejected_rows",
        ):
            text = str(con.execute(f"select * from {table}").fetchall())
            for clear in ("+1425555", "+1206555", "user1@", "p1@", "User 1", "P 1"):
                assert clear not in text, (table, clear)
