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
from session_analytics.bench.landing import (
    INCREMENT_MARKER,
    LANDING_MARKER,
    TENANT_FOLDERS,
    add_increment,
    ensure_landing,
    remove_increment,
)
from session_analytics.bench.measure import run_measured
from session_analytics.bench.report import (
    RESULTS_END,
    RESULTS_START,
    TABLE_COLUMNS,
    markdown_row,
)
from session_analytics.bench.timings import union_seconds
from session_analytics.bench.typed_floor import run_typed_floor


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
    assert result.typed_floor is not None and result.typed_floor.ok
    assert result.typed_ratio == pytest.approx(
        result.build.wall_s / result.typed_floor.wall_s
    )
    assert f"| {result.ratio:.2f} ({result.typed_ratio:.2f}) |" in markdown_row(result)


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


def test_increment_is_session_files_only(tmp_path: Path) -> None:
    """The day's increment lands session files and no CQD building or endpoint file
    (the generator writes those for its first day; a tenant does not upload daily)."""
    landing = ensure_landing(tmp_path, sessions=40, days=1, seed=3)
    tenant_before = sorted(
        p for folder in TENANT_FOLDERS for p in (landing.path / folder).iterdir()
    )
    assert tenant_before  # the landing set has tenant files: the check can fail
    increment = add_increment(landing, share=0.5)
    folders = {f.relative_to(landing.path).parts[0] for f in increment.files}
    assert "graph" in folders and "sfb_cdr" in folders
    assert not folders & set(TENANT_FOLDERS)
    assert (
        sorted(
            p for folder in TENANT_FOLDERS for p in (landing.path / folder).iterdir()
        )
        == tenant_before
    )
    remove_increment(landing.path)
    assert not any(f.exists() for f in increment.files)


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


def _page(key: str, records: list[dict]) -> str:
    return json.dumps({"@odata.context": "x", key: records})


def test_typed_floor_reads_every_level_of_every_shape(tmp_path: Path) -> None:
    """Hand-made landing: the typed floor's row counts per table, counted by hand.

    graph: a page of 2 records (A: 2 sessions, each 1 segment with 1 media of 2
    streams; B: 1 session, 1 segment, 2 media of 1 stream), a single record (1 session,
    1 segment, 1 media, 3 streams) and JSON Lines of 2 records (1 session, 1 segment, 1
    media of 1 stream each). CSV: two files with their columns in another order (3 + 1
    rows). syllable: an `items` page of 3 sessions. A 0-byte file is skipped.
    """

    def media(streams: int) -> dict:
        return {
            "label": "main-audio",
            "streams": [{"streamId": str(i)} for i in range(streams)],
        }

    def session(*media_streams: int) -> dict:
        return {
            "id": "s",
            "segments": [{"id": "g", "media": [media(n) for n in media_streams]}],
        }

    landing = tmp_path / "landing"
    graph = landing / "graph"
    graph.mkdir(parents=True)
    a = {"id": "a", "version": 1, "sessions": [session(2), session(2)]}
    b = {"id": "b", "version": 1, "sessions": [session(1, 1)]}
    (graph / "callRecords_1.json").write_text(_page("value", [a, b]))
    single = {"id": "c", "version": 2, "sessions": [session(3)]}
    (graph / "callRecord_c.json").write_text(json.dumps(single))
    lines = [{"id": i, "version": 1, "sessions": [session(1)]} for i in "de"]
    (graph / "callRecords_2.jsonl").write_text("\n".join(map(json.dumps, lines)) + "\n")
    (graph / "empty.json").write_bytes(b"")
    cdr = landing / "sfb_cdr"
    cdr.mkdir()
    (cdr / "one.csv").write_text(
        "SessionIdTime,SessionIdSeq\n2024-01-01,1\n2024-01-01,2\n2024-01-02,1\n"
    )
    (cdr / "two.csv").write_text("SessionIdSeq,SessionIdTime\n3,2024-01-03\n")
    syllable = landing / "syllable"
    syllable.mkdir()
    (syllable / "sessions.json").write_text(
        _page("items", [{"session_id": n} for n in "123"])
    )

    rows = run_typed_floor(tmp_path / "typed.duckdb", landing, "1GB")
    assert rows == {
        "graph__page__records": 2,
        "graph__page__sessions": 3,  # A 2 + B 1
        "graph__page__segments": 3,
        "graph__page__media": 4,  # A 1 + 1, B 2
        "graph__page__media_streams": 6,  # A 2 + 2, B 1 + 1
        "graph__record__records": 1,
        "graph__record__sessions": 1,
        "graph__record__segments": 1,
        "graph__record__media": 1,
        "graph__record__media_streams": 3,
        "graph__jsonl__records": 2,  # d and e
        "graph__jsonl__sessions": 2,
        "graph__jsonl__segments": 2,
        "graph__jsonl__media": 2,
        "graph__jsonl__media_streams": 2,
        "sfb_cdr": 4,
        "syllable__page__records": 3,
    }
