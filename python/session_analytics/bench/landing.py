"""Benchmark landing data: generated once per (sessions, days, seed), then reused.

A landing set lives in ``<work_dir>/landing-<sessions>s-<days>d-seed<seed>/`` with a
marker ``.bench-landing.json`` written only after generation finished (an interrupted
generation is redone). The 1 % increment of the incremental run is one extra day
generated into a scratch folder, then moved into the landing folders (never over an
existing file) and listed in ``.bench-increment.json``, so that it can be removed
again and the landing set reused by the next run. The increment is the day's session
files only: the generator also writes CQD building and endpoint files for the first
day it generates, but a tenant uploads those now and then, not daily, and a new
building file rightly maps every stream again (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from session_analytics.generate import generate

__all__ = [
    "DEFAULT_START",
    "Increment",
    "LandingSet",
    "add_increment",
    "ensure_landing",
    "remove_increment",
]

DEFAULT_START = dt.date(2024, 3, 1)
LANDING_MARKER = ".bench-landing.json"
INCREMENT_MARKER = ".bench-increment.json"


@dataclass(frozen=True)
class LandingSet:
    """Generated landing files of one benchmark size."""

    path: Path
    sessions: int
    days: int
    seed: int
    start_date: dt.date
    rows: dict[str, int]
    generated_s: float | None  # None: reused from an earlier run

    @property
    def last_day(self) -> dt.date:
        return self.start_date + dt.timedelta(days=self.days - 1)

    @property
    def landed_rows(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class Increment:
    """The extra day moved into a landing set."""

    day: dt.date
    sessions: int
    files: tuple[Path, ...]
    rows: dict[str, int]

    @property
    def landed_rows(self) -> int:
        return sum(self.rows.values())


def landing_bytes(path: Path) -> int:
    """Total size of the landed files (markers excluded)."""
    return sum(
        p.stat().st_size for p in path.rglob("*") if p.is_file() and p.parent != path
    )


def ensure_landing(
    work_dir: Path,
    sessions: int,
    days: int,
    seed: int,
    *,
    start_date: dt.date = DEFAULT_START,
    progress: bool = False,
) -> LandingSet:
    """The landing set of these arguments, generated unless already complete."""
    path = work_dir / f"landing-{sessions}s-{days}d-seed{seed}"
    marker = path / LANDING_MARKER
    wanted = {
        "sessions": sessions,
        "days": days,
        "seed": seed,
        "start_date": start_date.isoformat(),
    }
    if marker.is_file():
        recorded = json.loads(marker.read_text(encoding="utf-8"))
        if all(recorded.get(k) == v for k, v in wanted.items()):
            remove_increment(path)  # left over from an interrupted run
            return LandingSet(
                path, sessions, days, seed, start_date, dict(recorded["rows"]), None
            )
    if path.exists():
        shutil.rmtree(path)
    began = time.perf_counter()
    rows = generate(
        path, sessions, days, seed, start_date=start_date, progress=progress
    )
    elapsed = time.perf_counter() - began
    marker.write_text(json.dumps({**wanted, "rows": rows}, indent=2), encoding="utf-8")
    return LandingSet(path, sessions, days, seed, start_date, rows, elapsed)


# CQD tenant data (building and endpoint files): not part of a day's increment.
TENANT_FOLDERS = ("buildings", "endpoints")


def add_increment(landing: LandingSet, *, share: float = 0.01) -> Increment:
    """Generate one more day (``share`` of the sessions) after the last, land it."""
    day = landing.last_day + dt.timedelta(days=1)
    sessions = max(5, round(landing.sessions * share))
    remove_increment(landing.path)
    scratch = landing.path.parent / f".{landing.path.name}.increment"
    if scratch.exists():
        shutil.rmtree(scratch)
    rows = generate(scratch, sessions, 1, landing.seed + 1, start_date=day)
    moves: list[tuple[Path, Path]] = []
    for source in sorted(p for p in scratch.rglob("*") if p.is_file()):
        if source.relative_to(scratch).parts[0] in TENANT_FOLDERS:
            continue
        target = landing.path / source.relative_to(scratch)
        if target.exists():
            shutil.rmtree(scratch)
            raise FileExistsError(f"increment file would replace {target}")
        moves.append((source, target))
    moved: list[Path] = []
    try:
        for source, target in moves:
            target.parent.mkdir(parents=True, exist_ok=True)
            source.rename(target)
            moved.append(target)
    finally:
        (landing.path / INCREMENT_MARKER).write_text(
            json.dumps([str(p.relative_to(landing.path)) for p in moved], indent=2),
            encoding="utf-8",
        )
        shutil.rmtree(scratch, ignore_errors=True)
    return Increment(day, sessions, tuple(moved), rows)


def remove_increment(landing_path: Path) -> None:
    """Remove the files of the increment listed in the landing set, if any."""
    marker = landing_path / INCREMENT_MARKER
    if not marker.is_file():
        return
    for name in json.loads(marker.read_text(encoding="utf-8")):
        (landing_path / name).unlink(missing_ok=True)
    marker.unlink()
