"""The benchmark: floor, full dbt build and 1 % incremental build of one landing set.

Everything is written under ``work_dir``: landing sets, the DuckDB files (warehouse,
floor, spill), dbt's target/ and logs/, command logs and a JSON + markdown record of
every run in ``results/``.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from session_analytics.dbt_runner import PROJECT_DIR, dbt_env, dbt_executable

from . import landing as landing_mod
from .machine import load_average, machine_info
from .measure import Measurement, run_measured
from .report import append_to_doc, markdown_table, where_time_goes
from .result import BenchResult
from .timings import load_run_results

__all__ = ["BenchConfig", "BenchError", "run_bench"]

DEFAULT_WORK_DIR = PROJECT_DIR / "bench"
DEFAULT_DOC = PROJECT_DIR / "docs" / "BENCHMARKS.md"
NOTHING_SELECTOR = "tag:session_analytics_bench_selects_nothing"


class BenchError(RuntimeError):
    """A benchmarked command failed."""


@dataclass(frozen=True)
class BenchConfig:
    sessions: int = 100_000
    days: int = 35
    seed: int = 42
    work_dir: Path = DEFAULT_WORK_DIR
    memory_limit: str = "3.5GB"
    floor_memory_limit: str | None = None  # None: memory_limit
    doc: Path | None = DEFAULT_DOC  # None: print only
    incremental: bool = True
    startup: bool = True
    progress: bool = True
    top: int = 12


def _check_work_dir(work_dir: Path) -> Path:
    work_dir = work_dir.resolve()
    for protected in (PROJECT_DIR / "warehouse", PROJECT_DIR / "data"):
        if work_dir == protected or protected in work_dir.parents:
            raise ValueError(f"bench work dir must not be inside {protected}")
    if work_dir == PROJECT_DIR:
        raise ValueError(
            "bench work dir must be a folder of its own, not the repo root"
        )
    return work_dir


def _size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else 0


def _remove_db(path: Path) -> None:
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(path.with_name(path.name + ".tmp"), ignore_errors=True)


class _Phases:
    """Phase lines on stderr: `[bench +12.3s] name ... done in 4.5 s`."""

    def __init__(self, enabled: bool, write: Callable[[str], None]) -> None:
        self.enabled = enabled
        self.write = write
        self.start = time.perf_counter()

    def line(self, text: str) -> None:
        if self.enabled:
            self.write(f"[bench +{time.perf_counter() - self.start:7.1f}s] {text}")


def _check(measurement: Measurement, what: str) -> Measurement:
    if measurement.ok:
        return measurement
    tail = ""
    if measurement.log_path is not None and measurement.log_path.is_file():
        lines = measurement.log_path.read_text(encoding="utf-8", errors="replace")
        tail = "\n".join(lines.splitlines()[-30:])
    raise BenchError(
        f"{what} failed (exit {measurement.returncode});"
        f" log {measurement.log_path}:\n{tail}"
    )


def run_bench(
    config: BenchConfig, *, write: Callable[[str], None] | None = None
) -> BenchResult:
    """Run the whole benchmark once; returns the result (and records it)."""
    emit = write or (lambda text: print(text, file=sys.stderr, flush=True))
    phases = _Phases(config.progress, emit)
    work_dir = _check_work_dir(config.work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    machine = machine_info()
    load_start = load_average()
    phases.line(
        f"{config.sessions:,} sessions over {config.days} days on {machine.short},"
        f" load {load_start[0]:.1f}; work dir {work_dir}"
    )

    phases.line("landing data: generating unless already there")
    landing = landing_mod.ensure_landing(
        work_dir, config.sessions, config.days, config.seed, progress=config.progress
    )
    landing_bytes = landing_mod.landing_bytes(landing.path)
    how = (
        "reused"
        if landing.generated_s is None
        else f"generated in {landing.generated_s:,.1f} s"
    )
    phases.line(
        f"landing data {how}: {landing.landed_rows:,} rows,"
        f" {landing_bytes / 1024**2:,.0f} MiB in {landing.path}"
    )

    runs = work_dir / "runs" / f"{config.sessions}s-{config.days}d-seed{config.seed}"
    logs = runs / "command-logs"
    db_path = runs / "session_analytics.duckdb"
    floor_db = runs / "floor.duckdb"
    target = runs / "target"
    env = dbt_env(
        db_path,
        {
            "SESSION_ANALYTICS_LANDING_DIR": str(landing.path),
            "SESSION_ANALYTICS_MEMORY_LIMIT": config.memory_limit,
            "SESSION_ANALYTICS_TARGET": "dev",  # DuckDB, the engine of the floor
            "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
            "DO_NOT_TRACK": "1",
        },
    )
    env.pop("DBT_TARGET_PATH", None)
    env.pop("DBT_LOG_PATH", None)

    def dbt(*args: str, log: str) -> Measurement:
        """Run dbt; its debug log goes to dbt-logs/<log>/dbt.log (one per phase)."""
        dbt_logs = runs / "dbt-logs" / log
        shutil.rmtree(dbt_logs, ignore_errors=True)
        command = [
            str(dbt_executable()),
            *args,
            "--target-path",
            str(target),
            "--log-path",
            str(dbt_logs),
        ]
        return run_measured(
            command, env=env, cwd=PROJECT_DIR, log_path=logs / f"{log}.log"
        )

    def run_floor(module: str, name: str) -> tuple[Measurement, dict[str, int], int]:
        """Run one floor script in a child process: measurement, rows, DB bytes."""
        _remove_db(floor_db)
        measured = _check(
            run_measured(
                [
                    sys.executable,
                    "-m",
                    f"session_analytics.bench.{module}",
                    "--db",
                    str(floor_db),
                    "--landing",
                    str(landing.path),
                    "--memory-limit",
                    config.floor_memory_limit or config.memory_limit,
                ],
                env=env,
                cwd=PROJECT_DIR,
                log_path=logs / f"{module}.log",
            ),
            name,
        )
        assert measured.log_path is not None
        rows: dict[str, int] = json.loads(
            measured.log_path.read_text(encoding="utf-8").strip().splitlines()[-1]
        )
        db_bytes = _size(floor_db)
        _remove_db(floor_db)
        phases.line(
            f"{name} done in {measured.wall_s:,.1f} s ({measured.cpu_s:,.1f} s CPU),"
            f" peak RSS {measured.peak_rss_bytes / 1024**3:.2f} GiB"
        )
        return measured, rows, db_bytes

    # 1. The floors: text (read_text / all_varchar) and typed (DuckDB's detection).
    phases.line("floor: DuckDB create table as select * from read_… of every file")
    floor, floor_rows, floor_db_bytes = run_floor("floor", "floor")
    phases.line("typed floor: every file read once into typed tables, all levels")
    typed_floor, typed_floor_rows, _ = run_floor("typed_floor", "typed floor")

    # 2. The full build: fresh database, fresh target (full parse).
    phases.line("full dbt build (fresh database and target/)")
    _remove_db(db_path)
    shutil.rmtree(target, ignore_errors=True)
    build = _check(dbt("build", log="build-full"), "dbt build")
    shutil.copy(target / "run_results.json", runs / "run_results_full.json")
    build_timings = load_run_results(
        runs / "run_results_full.json", runs / "dbt-logs" / "build-full" / "dbt.log"
    )
    db_bytes = _size(db_path)
    phases.line(
        f"full build done in {build.wall_s:,.1f} s ({build.cpu_s:,.1f} s CPU,"
        f" load {build.load_mean:.1f})"
        f" (run {build_timings.elapsed_s:,.1f} s after parsing),"
        f" peak RSS {build.peak_rss_bytes / 1024**3:.2f} GiB,"
        f" database {db_bytes / 1024**2:,.0f} MiB"
    )

    # 3. dbt's fixed start-up: a build that selects nothing.
    startup: Measurement | None = None
    if config.startup:
        startup = _check(
            dbt("build", "--select", NOTHING_SELECTOR, log="startup"),
            "dbt start-up",
        )
        phases.line(f"dbt start-up (build selecting nothing): {startup.wall_s:,.1f} s")

    # 4. The incremental build after landing one more day (1 % of the sessions).
    incremental: Measurement | None = None
    incremental_timings = None
    increment_sessions = increment_rows = incremental_db_bytes = 0
    if config.incremental:
        increment = landing_mod.add_increment(landing)
        increment_sessions, increment_rows = increment.sessions, increment.landed_rows
        phases.line(
            f"landed 1 extra day {increment.day}: {increment.sessions:,} sessions,"
            f" {increment.landed_rows:,} rows in {len(increment.files)} files;"
            " incremental dbt build"
        )
        try:
            incremental = _check(
                dbt("build", log="build-incremental"), "incremental dbt build"
            )
        finally:
            landing_mod.remove_increment(landing.path)
        shutil.copy(target / "run_results.json", runs / "run_results_incremental.json")
        incremental_timings = load_run_results(
            runs / "run_results_incremental.json",
            runs / "dbt-logs" / "build-incremental" / "dbt.log",
        )
        incremental_db_bytes = _size(db_path)
        phases.line(
            f"incremental build done in {incremental.wall_s:,.1f} s"
            f" ({incremental.cpu_s:,.1f} s CPU, load {incremental.load_mean:.1f})"
        )

    result = BenchResult(
        started_at=started_at,
        machine=machine,
        load_start=load_start,
        load_end=load_average(),
        sessions=config.sessions,
        days=config.days,
        seed=config.seed,
        memory_limit=config.memory_limit,
        landed_rows=landing.landed_rows,
        landing_bytes=landing_bytes,
        generated_s=landing.generated_s,
        floor=floor,
        floor_rows=floor_rows,
        floor_db_bytes=floor_db_bytes,
        typed_floor=typed_floor,
        typed_floor_rows=typed_floor_rows,
        build=build,
        build_timings=build_timings,
        db_bytes=db_bytes,
        startup=startup,
        incremental=incremental,
        incremental_timings=incremental_timings,
        increment_sessions=increment_sessions,
        increment_rows=increment_rows,
        incremental_db_bytes=incremental_db_bytes,
    )
    _record(result, work_dir, config, emit)
    return result


def _record(
    result: BenchResult,
    work_dir: Path,
    config: BenchConfig,
    emit: Callable[[str], None],
) -> None:
    stamp = result.started_at.replace(":", "").replace("-", "")[:15]
    results = work_dir / "results"
    results.mkdir(parents=True, exist_ok=True)
    base = results / f"{stamp}-{result.sessions}s"
    base.with_suffix(".json").write_text(
        json.dumps(result.to_json(), indent=2), encoding="utf-8"
    )
    detail = where_time_goes(result, config.top)
    base.with_suffix(".md").write_text(
        markdown_table([result]) + "\n\n" + detail, encoding="utf-8"
    )
    emit("")
    emit(markdown_table([result]))
    emit("")
    emit(detail)
    if config.doc is not None:
        append_to_doc(config.doc, result)
        emit(f"appended the row to {config.doc}")
    emit(f"recorded in {base.with_suffix('.json')} and {base.with_suffix('.md')}")
