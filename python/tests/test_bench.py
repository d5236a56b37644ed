"""Smoke test of `session-analytics bench`: 2k sessions over 2 days, every phase.

No timing thresholds: the targets of docs/BENCHMARKS.md are checked by hand on the
full sizes, not here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from session_analytics.bench import BenchConfig, BenchResult, run_bench
from session_analytics.bench.floor import floor_tables
from session_analytics.bench.landing import INCREMENT_MARKER, LANDING_MARKER
from session_analytics.bench.measure import run_measured
from session_analytics.bench.report import (
    RESULTS_END,
    RESULTS_START,
    TABLE_COLUMNS,
    markdown_row,
)
from session_analytics.bench.timings import union_seconds


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[BenchResult, Path]:
    work = tmp_path_factory.mktemp("bench")
    doc = work / "BENCHMARKS.md"
    config = BenchConfig(
        sessions=2_000,
        days=2,
        seed=7,
        work_dir=work / "work",
        doc=doc,
        startup=False,
        progress=False,
    )
    lines: list[str] = []
    return run_bench(config, write=lines.append), work


def test_timings_are_positive(bench_run: tuple[BenchResult, Path]) -> None:
    result, _ = bench_run
    assert result.floor.ok and result.build.ok
    assert result.floor.wall_s > 0
    assert result.build.wall_s > 0
    assert result.build_timings.elapsed_s > 0
    assert result.build_timings.execute_wall_s > 0
    assert result.build.peak_rss_bytes > 0 and result.floor.peak_rss_bytes > 0
    assert result.db_bytes > 0
    assert result.landed_rows > 0
    assert result.incremental is not None and result.incremental.ok
    assert result.incremental.wall_s > 0
    assert result.increment_sessions == 20
    assert result.increment_rows > 0
    models = [n for n in result.build_timings.nodes if n.resource_type == "model"]
    assert models and all(n.status in ("success", "ephemeral") for n in models)


def test_ratio_is_build_over_floor(bench_run: tuple[BenchResult, Path]) -> None:
    result, _ = bench_run
    assert result.ratio == pytest.approx(result.build.wall_s / result.floor.wall_s)
    assert f"| {result.ratio:.2f} |" in markdown_row(result)


def test_markdown_row_is_well_formed(bench_run: tuple[BenchResult, Path]) -> None:
    result, work = bench_run
    row = markdown_row(result)
    assert row.startswith("| ") and row.endswith(" |")
    cells = [cell.strip() for cell in row[1:-1].split("|")]
    assert len(cells) == len(TABLE_COLUMNS)
    assert all(cells)
    assert cells[TABLE_COLUMNS.index("Sessions")] == "2,000"
    assert cells[TABLE_COLUMNS.index("Start-up s")] == "–"  # not measured here
    doc = (work / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert doc.index(RESULTS_START) < doc.index(row) < doc.index(RESULTS_END)


def test_landing_is_reusable_and_increment_removed(
    bench_run: tuple[BenchResult, Path],
) -> None:
    result, work = bench_run
    landing = work / "work" / "landing-2000s-2d-seed7"
    assert json.loads((landing / LANDING_MARKER).read_text())["sessions"] == 2_000
    assert not (landing / INCREMENT_MARKER).exists()
    assert not list(landing.rglob("*2024-03-03.*"))  # the extra day is gone again
    assert result.floor_rows == {
        t.name: result.floor_rows[t.name] for t in floor_tables(landing)
    }
    records = list((work / "work" / "results").glob("*.json"))
    assert len(records) == 1
    assert json.loads(records[0].read_text())["ratio"] == pytest.approx(result.ratio)


def test_measure_peak_rss_of_a_child(tmp_path: Path) -> None:
    script = "x = bytearray(64 * 1024 * 1024); print(len(x))"
    measured = run_measured(
        ["python3", "-c", script], log_path=tmp_path / "out.log", poll_s=0.01
    )
    assert measured.ok and measured.wall_s > 0
    assert measured.peak_rss_bytes >= 64 * 1024 * 1024
    assert (tmp_path / "out.log").read_text().strip() == str(64 * 1024 * 1024)


def test_union_seconds_merges_overlaps() -> None:
    assert union_seconds([(0.0, 2.0), (1.0, 3.0), (5.0, 6.0)]) == pytest.approx(4.0)
    assert union_seconds([]) == 0.0
