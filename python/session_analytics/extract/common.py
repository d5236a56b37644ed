"""What every extractor shares: landing dir, time windows, checkpoints, atomic files."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

GRAPH_URL = "https://graph.microsoft.com/v1.0"
SYLLABLE_URL = "https://api.syllable.cloud"  # syllable-sdk's server
LANDING_ENV = "SESSION_ANALYTICS_LANDING_DIR"
DEFAULT_LANDING = Path("landing")
STATE_DIR = ".extract_state"  # inside the landing dir; no landing glob reads it
PAUSE_ENV = "SESSION_ANALYTICS_EXTRACT_PAUSE"  # test hook: "<point>:<n>"
PART_SUFFIX = ".part"  # files being written; no landing glob matches them

_FRACTION = re.compile(r"\.(\d+)")


class ExtractError(Exception):
    """An extraction that cannot go on; the message says what is left undone."""


def resolve_landing_dir(arg: str | None) -> Path:
    """--landing-dir, else env SESSION_ANALYTICS_LANDING_DIR, else `landing/`.

    The bundled sample (`data/sample`) is never written to.
    """
    raw = arg or os.environ.get(LANDING_ENV) or str(DEFAULT_LANDING)
    path = Path(raw).expanduser()
    parts = path.resolve().parts
    if parts[-2:] == ("data", "sample"):
        raise ExtractError(
            f"refusing to extract into {path}: data/sample is the bundled sample;"
            " pass --landing-dir DIR (or set SESSION_ANALYTICS_LANDING_DIR)"
        )
    return path


def utc_now() -> dt.datetime:
    """Now in UTC, to the whole second (as checkpoints store it)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def parse_utc(text: str) -> dt.datetime:
    """An ISO-8601 timestamp (`Z` or offset, 0-7 fractional digits) as aware UTC.

    A value without an offset is taken as UTC.
    """
    value = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
    value = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), value, 1)
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def iso_z(moment: dt.datetime) -> str:
    """`2024-03-05T14:02:11Z` (whole seconds, UTC), as Graph filters take it."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp(moment: dt.datetime) -> str:
    """`20240305T140211Z`: a timestamp safe in a file name."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Window:
    """The half-open time range [since, until) one run pulls."""

    since: dt.datetime
    until: dt.datetime

    def __str__(self) -> str:
        return f"{iso_z(self.since)} .. {iso_z(self.until)}"

    @property
    def label(self) -> str:
        return f"{stamp(self.since)}_{stamp(self.until)}"


def plan_window(
    *,
    checkpoint: dt.datetime | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    overlap: dt.timedelta,
    now: dt.datetime,
    retention: dt.timedelta | None,
    warn: Callable[[str], None],
    first_run: dt.timedelta | None = None,
) -> Window:
    """The window of this run.

    Default start: the checkpoint minus `overlap` (late and updated records are read
    again); without a checkpoint, `first_run` back from now (or everything the
    source keeps). Never older than `retention` (the source forgets older records):
    when the checkpoint is already older, the lost gap is reported through `warn`.
    """
    end = until or now
    if since is not None:
        start = since
    elif checkpoint is not None:
        start = checkpoint - overlap
    elif first_run is not None:
        start = end - first_run
    elif retention is not None:
        start = now - retention
    else:
        start = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
    if retention is not None:
        oldest = now - retention
        if start < oldest:
            if checkpoint is not None and checkpoint < oldest:
                warn(
                    f"records between {iso_z(checkpoint)} and {iso_z(oldest)} are"
                    f" already gone (the source keeps {retention.days} days):"
                    " that gap cannot be pulled any more"
                )
            elif since is not None:
                warn(
                    f"--since {iso_z(since)} is older than the {retention.days} days"
                    f" the source keeps: starting at {iso_z(oldest)}"
                )
            start = oldest
    if start >= end:
        raise ExtractError(f"empty window: {iso_z(start)} is not before {iso_z(end)}")
    return Window(start, end)


class StateFile:
    """A JSON checkpoint in `<landing>/.extract_state/<name>.json`, saved atomically."""

    def __init__(self, landing_dir: Path, name: str) -> None:
        self.path = landing_dir / STATE_DIR / f"{name}.json"

    def load(self) -> dict[str, Any]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ExtractError(
                f"checkpoint {self.path} cannot be read ({exc}); fix or remove it"
            ) from exc
        if not isinstance(data, dict):
            raise ExtractError(f"checkpoint {self.path} is not a JSON object")
        return data

    def save(self, data: dict[str, Any]) -> None:
        write_atomic(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n")


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `<dir>/.<name>.part`, fsync, then rename it to `path`.

    A reader (or a killed run) never sees a half-written file under the final name.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}{PART_SUFFIX}")
    with open(tmp, "w", encoding="utf-8", newline="") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def remove_stale_parts(folder: Path) -> None:
    """Delete temporary files a killed run left behind."""
    if folder.is_dir():
        for stale in folder.glob(f".*{PART_SUFFIX}"):
            stale.unlink()


def pause_point(point: str, count: int) -> None:
    """Test hook: with SESSION_ANALYTICS_EXTRACT_PAUSE=`point:n`, announce the point on
    stderr and wait forever when it is reached for the n-th time (the test kills us).
    """
    wanted = os.environ.get(PAUSE_ENV)
    if not wanted or wanted != f"{point}:{count}":
        return
    print(f"extract: paused at {point}:{count}", file=sys.stderr, flush=True)
    while True:  # pragma: no cover - ended by SIGKILL
        time.sleep(3600)


class Progress:
    """A progress bar on a terminal (tqdm), plain lines otherwise (cron logs)."""

    def __init__(
        self, label: str, total: int | None, stream: TextIO | None = None
    ) -> None:
        self.stream = stream or sys.stderr
        self.label = label
        self.total = total
        self.done = 0
        self._bar: Any = None
        self._next_line = 0
        if self.stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=label, unit="rec", file=self.stream)

    def update(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        elif self.done >= self._next_line:
            self._line()
            step = max(1, (self.total or 1000) // 10)
            self._next_line = self.done + step

    def _line(self) -> None:
        of = f"/{self.total}" if self.total is not None else ""
        print(f"{self.label}: {self.done}{of}", file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        else:
            self._line()
