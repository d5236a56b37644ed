"""The outcome of one benchmark run."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .machine import MachineInfo
from .measure import Measurement
from .timings import RunTimings

__all__ = ["BenchResult"]


@dataclass(frozen=True)
class BenchResult:
    """Floor, full build and incremental build of one landing set on one machine."""

    started_at: str  # ISO-8601 UTC
    machine: MachineInfo
    load_start: tuple[float, float, float]
    load_end: tuple[float, float, float]
    sessions: int
    days: int
    seed: int
    memory_limit: str
    landed_rows: int
    landing_bytes: int
    generated_s: float | None
    floor: Measurement
    floor_rows: dict[str, int]
    floor_db_bytes: int
    build: Measurement
    build_timings: RunTimings
    db_bytes: int
    startup: Measurement | None = None
    incremental: Measurement | None = None
    incremental_timings: RunTimings | None = None
    increment_sessions: int = 0
    increment_rows: int = 0
    incremental_db_bytes: int = 0
    typed_floor: Measurement | None = None  # bench.typed_floor
    typed_floor_rows: dict[str, int] = dataclasses.field(default_factory=dict)

    @property
    def ratio(self) -> float:
        """Full build wall time ÷ floor wall time."""
        return self.build.wall_s / self.floor.wall_s

    @property
    def typed_ratio(self) -> float | None:
        """Full build wall time ÷ typed floor wall time."""
        if self.typed_floor is None:
            return None
        return self.build.wall_s / self.typed_floor.wall_s

    @property
    def parse_s(self) -> float:
        """dbt start-up and parsing: build wall time minus the run's elapsed time."""
        return max(0.0, self.build.wall_s - self.build_timings.elapsed_s)

    @property
    def rows_per_s(self) -> float:
        """Landed rows per second of full build."""
        return self.landed_rows / self.build.wall_s

    @property
    def incremental_target_s(self) -> float | None:
        """10 % of the full build plus dbt's fixed start-up (the incremental target)."""
        if self.startup is None:
            return None
        return 0.1 * self.build.wall_s + self.startup.wall_s

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.update(
            ratio=self.ratio,
            typed_ratio=self.typed_ratio,
            parse_s=self.parse_s,
            rows_per_s=self.rows_per_s,
            incremental_target_s=self.incremental_target_s,
        )
        return _jsonable(data)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)
