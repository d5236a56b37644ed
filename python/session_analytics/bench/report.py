"""Markdown of benchmark results: table row, timing breakdown, doc update."""

from __future__ import annotations

from pathlib import Path

from .result import BenchResult
from .timings import RunTimings

__all__ = [
    "RESULTS_END",
    "RESULTS_START",
    "TABLE_COLUMNS",
    "append_to_doc",
    "markdown_row",
    "markdown_table",
    "where_time_goes",
]

RESULTS_START = "<!-- bench-results:start -->"
RESULTS_END = "<!-- bench-results:end -->"

TABLE_COLUMNS = (
    "Date (UTC)",
    "Machine",
    "Load start; build; incr.",
    "Sessions",
    "Landed rows",
    "Landing MiB",
    "Floor s (typed)",
    "dbt parse s",
    "Compile s",
    "Execute s",
    "Build s",
    "Build CPU s",
    "Build ÷ floor (typed)",
    "Rows/s",
    "Peak RSS GiB build (floor)",
    "DB MiB",
    "Incr. 1 % s",
    "Incr. CPU s",
    "Start-up s",
    "Incr. target s",
)

MIB = 1024**2
GIB = 1024**3


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


def markdown_row(result: BenchResult) -> str:
    """One row of the results table (cells as in TABLE_COLUMNS)."""
    load = f"{result.load_start[0]:.1f}; {result.build.load_mean:.1f}; " + (
        f"{result.incremental.load_mean:.1f}" if result.incremental else "–"
    )
    incremental = result.incremental.wall_s if result.incremental else None
    typed = result.typed_floor.wall_s if result.typed_floor else None
    typed_ratio = result.typed_ratio
    cells = (
        result.started_at[:16].replace("T", " "),
        result.machine.short,
        load,
        f"{result.sessions:,}",
        f"{result.landed_rows:,}",
        f"{result.landing_bytes / MIB:,.0f}",
        f"{_seconds(result.floor.wall_s)} ({_seconds(typed)})",
        _seconds(result.parse_s),
        _seconds(result.build_timings.compile_wall_s),
        _seconds(result.build_timings.execute_wall_s),
        _seconds(result.build.wall_s),
        _seconds(result.build.cpu_s),
        f"{result.ratio:.2f} ({'–' if typed_ratio is None else f'{typed_ratio:.2f}'})",
        f"{result.rows_per_s:,.0f}",
        f"{result.build.peak_rss_bytes / GIB:.2f}"
        f" ({result.floor.peak_rss_bytes / GIB:.2f})",
        f"{result.db_bytes / MIB:,.0f}",
        _seconds(incremental),
        _seconds(result.incremental.cpu_s if result.incremental else None),
        _seconds(result.startup.wall_s if result.startup else None),
        _seconds(result.incremental_target_s),
    )
    return "| " + " | ".join(cells) + " |"


def table_header() -> list[str]:
    return [
        "| " + " | ".join(TABLE_COLUMNS) + " |",
        "|"
        + "|".join("---" if i < 3 else "---:" for i in range(len(TABLE_COLUMNS)))
        + "|",
    ]


def markdown_table(results: list[BenchResult]) -> str:
    return "\n".join([*table_header(), *(markdown_row(r) for r in results)])


def _timings_lines(title: str, timings: RunTimings, top: int) -> list[str]:
    lines = [
        f"{title}: run {timings.elapsed_s:,.1f} s after parsing; nodes compiling"
        f" {timings.compile_wall_s:,.1f} s, executing {timings.execute_wall_s:,.1f} s"
        " (wall seconds, threads overlap)",
        "",
        "| Resource type | Nodes | Compile s (sum) | Execute s (sum) |",
        "|---|---:|---:|---:|",
    ]
    for kind, (count, comp, exe) in timings.by_resource_type().items():
        lines.append(f"| {kind} | {count} | {comp:,.1f} | {exe:,.1f} |")
    lines += [
        "",
        "| Node | Status | Compile s | Execute s | Total s |",
        "|---|---|---:|---:|---:|",
    ]
    for node in timings.top(top):
        lines.append(
            f"| `{node.name}` ({node.resource_type}) | {node.status} |"
            f" {node.compile_s:,.1f} | {node.execute_s:,.1f} | {node.total_s:,.1f} |"
        )
    return lines


def where_time_goes(result: BenchResult, top: int = 12) -> str:
    """Markdown: per-resource-type sums and the slowest nodes of both builds."""
    lines = [
        f"### {result.sessions:,} sessions, {result.started_at[:10]}",
        "",
        *_timings_lines("Full build", result.build_timings, top),
    ]
    if result.incremental_timings is not None:
        lines += [
            "",
            *_timings_lines("Incremental build", result.incremental_timings, top),
        ]
    return "\n".join(lines) + "\n"


def append_to_doc(doc: Path, result: BenchResult) -> None:
    """Add the result's row to the results table of ``doc`` (created if missing).

    The row goes just before the ``RESULTS_END`` marker; a doc without the markers gets
    a new results table at its end.
    """
    row = markdown_row(result)
    text = doc.read_text(encoding="utf-8") if doc.is_file() else "# Benchmarks\n"
    if RESULTS_START in text and RESULTS_END in text:
        head, tail = text.rsplit(RESULTS_END, 1)
        text = head.rstrip("\n") + "\n" + row + "\n" + RESULTS_END + tail
    else:
        block = "\n".join(
            ["", "## Results", "", RESULTS_START, *table_header(), row, RESULTS_END]
        )
        text = text.rstrip("\n") + "\n" + block + "\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")
