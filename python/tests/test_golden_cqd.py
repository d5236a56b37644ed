"""Golden tests of the CQD building mapping (issue 17; REFERENCE.md section 7).

fixtures/golden_cqd/landing is hand-written. buildings_2024-03-01.csv (comma separated,
15 columns) holds, valid from 2024-03-01:
    line 1  10.1.0.0/16      SEA-CAMPUS
    line 2  10.1.2.0/24      SEA-FLOOR2        (inside line 1: a longer prefix)
    line 3  10.1.2.128/25    SEA-FLOOR2-EAST   (inside lines 1 and 2)
    line 4  192.168.50.7/32  VPN-SEA   VPN
    line 5  172.16.8.0/30    VPN-DUB   VPN, InsideCorp 0
buildings_2024-03-10.tsv (tab separated, 14 columns, no VPN) replaces it on 03-10:
    line 1  10.1.0.0/16      SEA-NEW

One audio media (2 streams) per call record; expected side -> building by hand:
    cr-1 2024-03-05 caller subnet 10.1.2.0    -> /16, /24 match: longest /24 SEA-FLOOR2
                    callee subnet 10.1.7.0    -> only /16: SEA-CAMPUS
    cr-2 2024-03-05 caller subnet 10.1.2.128  -> /16, /24, /25: SEA-FLOOR2-EAST
                    callee subnet 10.9.0.0    -> nothing: unmapped (missing subnet)
    cr-3 2024-03-05 caller subnet 192.168.50.0 (misreported), IP 192.168.50.7
                                              -> VPN /32 row by address: VPN-SEA
                    callee subnet 172.16.0.0, IP 172.16.8.2 (in 172.16.8.0/30)
                                              -> VPN row, 4 addresses: VPN-DUB
    cr-4 2024-03-12 caller subnet 10.1.2.0    -> the 03-10 file: only /16 SEA-NEW
                    callee no subnet          -> unmapped, no subnet
callRecords_2024-03-06.json: records order-1 .. order-8 (no networks, so unmapped and
without subnet) for CQD's First / Second order, see test_first_second_order.
Stream 2-b (cr-2, calleeToCaller) has a 600 ms round trip with 1000 packets: poor; every
other stream is good (CQD current audio rule).
Missing subnets with var cqd_missing_subnet_min_audio_streams = 2: 10.9.0.0 with the
2 audio streams of cr-2, 1 of them poor (cr-4's callee has no subnet to report).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dbt_harness import FIXTURES_DIR, DbtResult, dbt_build

LANDING_DIR = FIXTURES_DIR / "golden_cqd" / "landing"
GOOD_BUILDINGS = LANDING_DIR / "buildings" / "buildings_2024-03-01.csv"


@pytest.fixture(scope="module")
def cqd_warehouse(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    return dbt_build(
        LANDING_DIR,
        tmp_path_factory.mktemp("golden_cqd"),
        vars={"cqd_missing_subnet_min_audio_streams": 2},
    )


def test_longest_prefix_vpn_and_effective_dating(cqd_warehouse: DbtResult) -> None:
    rows = cqd_warehouse.query(
        "select call_record_id, caller_building_name, callee_building_name,"
        " count(*) from marts.fct_graph_media_streams"
        " where call_record_id like 'cr-%' group by all order by all"
    )
    assert rows == [
        ("cr-1", "SEA-FLOOR2", "SEA-CAMPUS", 2),
        ("cr-2", "SEA-FLOOR2-EAST", None, 2),
        ("cr-3", "VPN-SEA", "VPN-DUB", 2),
        ("cr-4", "SEA-NEW", None, 2),
    ]


def test_building_attributes_on_the_stream(cqd_warehouse: DbtResult) -> None:
    row = cqd_warehouse.query(
        "select caller_is_vpn, caller_is_inside_corp, callee_is_vpn,"
        " callee_is_inside_corp, callee_country, callee_region, callee_city"
        " from marts.fct_graph_media_streams where stream_id = '3-a'"
    )[0]
    assert row == (True, True, True, False, "IE", "EMEA", "Dublin")
    row = cqd_warehouse.query(
        "select caller_network_name, caller_is_express_route, callee_is_mapped,"
        " callee_subnet from marts.fct_graph_media_streams where stream_id = '2-b'"
    )[0]
    assert row == ("USA/Seattle/Floor2-East", True, False, "10.9.0.0")


def test_missing_subnets(cqd_warehouse: DbtResult) -> None:
    rows = cqd_warehouse.query(
        "select subnet, audio_streams, poor_audio_streams, sessions"
        " from marts.fct_missing_subnets"
    )
    assert rows == [("10.9.0.0", 2, 1, 1)]


def test_dim_building_periods(cqd_warehouse: DbtResult) -> None:
    rows = cqd_warehouse.query(
        "select network_cidr, building_name, cast(valid_from as date),"
        " cast(valid_to as date), is_current from marts.dim_building"
        " order by valid_from, network_range"
    )
    assert [(r[0], r[1], str(r[2]), str(r[3]), r[4]) for r in rows] == [
        ("10.1.0.0/16", "SEA-CAMPUS", "2024-03-01", "2024-03-10", False),
        ("10.1.2.0/24", "SEA-FLOOR2", "2024-03-01", "2024-03-10", False),
        ("10.1.2.128/25", "SEA-FLOOR2-EAST", "2024-03-01", "2024-03-10", False),
        ("172.16.8.0/30", "VPN-DUB", "2024-03-01", "2024-03-10", False),
        ("192.168.50.7/32", "VPN-SEA", "2024-03-01", "2024-03-10", False),
        ("10.1.0.0/16", "SEA-NEW", "2024-03-10", "None", True),
    ]


def test_endpoint_file_pseudonymised(cqd_warehouse: DbtResult) -> None:
    rows = cqd_warehouse.query(
        "select endpoint_model, endpoint_type, length(endpoint_name_hash)"
        " from staging.stg_cqd__endpoints order by endpoint_model"
    )
    assert rows == [("Surface Laptop 5", "Laptop", 64), ("Teams Room", "Room", 64)]
    text = str(cqd_warehouse.query("select * from staging.base_cqd__endpoints"))
    assert "SEA-LAPTOP-01" not in text and "SEA-ROOM-01" not in text


def _bad_landing(root: Path) -> Path:
    """The good file plus lines CQD would reject (hand-made, numbered below)."""
    (root / "buildings").mkdir(parents=True)
    good = GOOD_BUILDINGS.read_text(encoding="utf-8")
    bad = (
        # line 6: same /24 as line 2 (10.1.2.64 masks to another network: not here)
        "10.1.2.0,Dup,24,DUP,,,,,,,,,1,0,0\n"
        # line 7: host bits set for a /24
        "10.1.3.5,Host,24,HOST,,,,,,,,,1,0,0\n"
        # line 8: 13 fields
        "10.1.4.0,Short,24,SHORT,,,,,,,,,1\n"
        # line 9: InsideCorp 2, NetworkRange 33
        "10.1.5.0,Range,33,RANGE,,,,,,,,,2,0,0\n"
    )
    (root / "buildings" / "buildings_2024-03-01.csv").write_text(good + bad)
    return root


def test_bad_building_lines_fail_the_build_naming_file_and_line(
    tmp_path: Path,
) -> None:
    landing = _bad_landing(tmp_path / "landing")
    result = dbt_build(
        landing,
        tmp_path / "work",
        select="base_cqd__buildings",
        command="run",
        expect_ok=False,
    )
    assert not result.ok
    assert "buildings_2024-03-01.csv line 2: overlapping ranges" in result.output
    assert "10.1.2.0/24 is also on line 6" in result.output
    assert (
        "line 7: NetworkIP: not the network address of its /24 range" in result.output
    )
    assert "line 8: expected 14 or 15 fields" in result.output
    assert "NetworkRange: not an integer from 8 to 32" in result.output
    assert "InsideCorp: not 0 or 1" in result.output


def test_bad_building_lines_quarantined(tmp_path: Path) -> None:
    landing = _bad_landing(tmp_path / "landing")
    shutil.copytree(LANDING_DIR / "endpoints", landing / "endpoints")
    result = dbt_build(
        landing,
        tmp_path / "work",
        select="base_cqd__buildings stg_cqd__buildings",
        command="run",
        vars={"on_bad_file": "quarantine"},
    )
    rejected = result.query(
        "select source_row_number from staging.base_cqd__buildings"
        " where rejection_reason is not null order by 1"
    )
    # lines 2 and 6 overlap (both rejected, as CQD rejects them); 7, 8, 9 are bad.
    assert [r[0] for r in rejected] == [2, 6, 7, 8, 9]
    staged = result.query(
        "select building_name from staging.stg_cqd__buildings order by 1"
    )
    assert [r[0] for r in staged] == [
        "SEA-CAMPUS",
        "SEA-FLOOR2-EAST",
        "VPN-DUB",
        "VPN-SEA",
    ]


def test_first_second_order(cqd_warehouse: DbtResult) -> None:
    """Server first; same kinds by seed cqd_user_agent_categories; ties: caller.

    order-1 client windows  / server AV MCU          -> callee First (server)
    order-2 server mediationServer / client iOS      -> caller First (server)
    order-3 client iOS (141) / client windows (120)  -> callee First
    order-4 client roomSystem (110) / client web (130) -> caller First
    order-5 server voicemail (51) / server mediationServer (10) -> callee First
    order-6 client windows / client windows          -> tie: caller First
    order-7 client unknownPlatformX (not in the seed: last) / android -> callee
    order-8 segment without endpoints, session: server gateway / client macOS
                                                     -> caller First (session's)
    """
    rows = cqd_warehouse.query(
        "select call_record_id, first_is_caller, first_endpoint_kind,"
        " second_endpoint_kind, first_user_agent_category"
        " from marts.fct_graph_media_streams"
        " where call_record_id like 'order-%' order by call_record_id"
    )
    assert rows == [
        ("order-1", False, "server", "client", "skypeForBusinessAudioVideoMcu"),
        ("order-2", True, "server", "client", "mediationServer"),
        ("order-3", False, "client", "client", "windows"),
        ("order-4", True, "client", "client", "roomSystem"),
        ("order-5", False, "server", "server", "mediationServer"),
        ("order-6", True, "client", "client", "windows"),
        ("order-7", False, "client", "client", "android"),
        ("order-8", True, "server", "client", "gateway"),
    ]


def test_poor_stream_rate_drill_down(cqd_warehouse: DbtResult) -> None:
    """16 streams (cr-1..4, order-1..8), each counted for its caller and callee side.

    building: SEA-FLOOR2-EAST has cr-2's caller side of 2-a (good) and 2-b (poor):
    1 / 2 = 0.5. '(unknown)': cr-2 callee (2: 2-b poor), cr-4 callee (2), order-* both
    sides (8 x 2 = 16): 20 sides, 1 poor -> 0.05.
    endpoint_kind: server sides order-1 callee, order-2 caller, order-5 both, order-8
    caller = 5; client sides 32 - 5 = 27, poor 2 (both sides of 2-b) -> 2 / 27.
    """
    rows = cqd_warehouse.query(
        "select drill_dimension, drill_value, sum(stream_sides),"
        " sum(poor_stream_sides), sum(poor_stream_sides) / sum(classified_stream_sides)"
        " from marts.fct_stream_quality_by_dimension_daily"
        " where drill_dimension in ('building', 'endpoint_kind')"
        " and drill_value in ('SEA-FLOOR2-EAST', '(unknown)', 'client', 'server')"
        " group by all order by all"
    )
    assert [r[:4] for r in rows] == [
        ("building", "(unknown)", 20, 1),
        ("building", "SEA-FLOOR2-EAST", 2, 1),
        ("endpoint_kind", "client", 27, 2),
        ("endpoint_kind", "server", 5, 0),
    ]
    assert [r[4] for r in rows] == pytest.approx([0.05, 0.5, 2 / 27, 0.0])


def test_endpoint_model_from_the_endpoint_file(cqd_warehouse: DbtResult) -> None:
    """order-3's caller is named sea-laptop-01 (the file says SEA-LAPTOP-01: names are
    compared pseudonymised, trimmed and lower-cased), order-4's SEA-ROOM-01; no other
    endpoint has a name."""
    rows = cqd_warehouse.query(
        "select call_record_id, caller_endpoint_model, caller_endpoint_type"
        " from marts.fct_graph_media_streams where caller_endpoint_model is not null"
        " or callee_endpoint_model is not null order by 1"
    )
    assert rows == [
        ("order-3", "Surface Laptop 5", "Laptop"),
        ("order-4", "Teams Room", "Room"),
    ]
    assert cqd_warehouse.count("marts.dim_endpoint") == 2
