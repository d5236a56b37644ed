"""The generator's Graph PSTN / Direct Routing reports and CQD tenant files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from session_analytics.generate import generate

START = dt.date(2024, 3, 1)


def test_reports_and_tenant_files(tmp_path: Path) -> None:
    counts = generate(tmp_path, sessions=500, days=4, seed=7, start_date=START)
    # 500 // 5 = 100 sessions per system over 4 days; Direct Routing n // 5 and PSTN
    # n // 10 rows per day (at least 1).
    assert 4 <= counts["graph_direct_routing"] <= 100 // 5 + 4
    assert counts["graph_pstn"] >= 4
    for folder, stem in (
        ("graph_direct_routing", "DirectRoutingCalls"),
        ("graph_pstn", "PstnCalls"),
    ):
        names = sorted(p.name for p in (tmp_path / folder).iterdir())
        days = [(START + dt.timedelta(days=i)).isoformat() for i in range(4)]
        assert names == [f"{stem}_{d}.json" for d in days]
        page = json.loads((tmp_path / folder / names[0]).read_text(encoding="utf-8"))
        assert page["@odata.count"] == len(page["value"]) > 0
    routed = json.loads(
        (
            tmp_path / "graph_direct_routing" / "DirectRoutingCalls_2024-03-01.json"
        ).read_text(encoding="utf-8")
    )["value"]
    for row in routed:
        assert (row["failureDateTime"] == "0001-01-01T00:00:00Z") == row[
            "successfulCall"
        ]
        assert row["trunkFullyQualifiedDomainName"].endswith(".example")
    # The building file (day 1, CSV, 15 columns) and its replacement (day 4 // 2 = 2,
    # i.e. 2024-03-03, TSV, 14 columns), no header rows.
    first = (tmp_path / "buildings" / "buildings_2024-03-01.csv").read_text()
    second = (tmp_path / "buildings" / "buildings_2024-03-03.tsv").read_text()
    assert {len(line.split(",")) for line in first.splitlines()} == {15}
    assert {len(line.split("\t")) for line in second.splitlines()} == {14}
    assert not first.startswith("NetworkIP")
    # 30 sites of one /16 and two /24 floors each, plus 4 VPN /32 rows.
    assert len(first.splitlines()) == 30 * 3 + 4
    assert counts["buildings"] == 30 * 3 + 4 + 30 * 3
    endpoints = (tmp_path / "endpoints" / "endpoints_2024-03-01.csv").read_text()
    assert {len(line.split(",")) for line in endpoints.splitlines()} == {6}


def test_reports_are_deterministic(tmp_path: Path) -> None:
    generate(tmp_path / "a", sessions=100, days=2, seed=3, start_date=START)
    generate(tmp_path / "b", sessions=100, days=2, seed=3, start_date=START)
    for folder in ("graph_pstn", "graph_direct_routing", "buildings", "endpoints"):
        for path in sorted((tmp_path / "a" / folder).iterdir()):
            twin = tmp_path / "b" / folder / path.name
            assert path.read_bytes() == twin.read_bytes(), path
