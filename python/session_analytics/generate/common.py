"""Shared helpers: seeded RNGs, arrival curves, day allocation, formats, writers."""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Generic, Protocol, TypeVar

T = TypeVar("T")

# --------------------------------------------------------------------------- RNG


def rng_for(seed: int, *parts: object) -> random.Random:
    """A Random seeded from a string key (str seeds hash with SHA-512: stable)."""
    return random.Random("/".join([str(seed), *(str(p) for p in parts)]))


class Choice(Generic[T]):
    """Weighted choice with precomputed cumulative weights."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items: list[T] = [item for item, _ in pairs]
        self.cum: list[float] = []
        total = 0.0
        for _, weight in pairs:
            total += weight
            self.cum.append(total)
        self.total = total

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(sigma * rng.gauss(0.0, 1.0))


def chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def guid(rng: random.Random, upper: bool = False) -> str:
    text = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return text.upper() if upper else text


def hex_token(rng: random.Random, nbytes: int) -> str:
    return f"{rng.getrandbits(nbytes * 8):0{nbytes * 2}x}"


# ------------------------------------------------------------- arrival curves

# Relative weight of each weekday (Mon..Sun) and of each UTC hour of the day.
WEEKDAY_FACTOR: tuple[float, ...] = (1.0, 1.05, 1.0, 0.98, 0.85, 0.25, 0.18)
WORKDAY_HOURS: tuple[float, ...] = (
    0.3, 0.2, 0.15, 0.15, 0.2, 0.5, 1.5, 4.0, 7.0, 8.0, 7.5, 5.5,
    6.5, 7.5, 7.0, 5.5, 3.5, 2.0, 1.3, 1.0, 0.8, 0.6, 0.5, 0.4,
)  # fmt: skip
WEEKEND_HOURS: tuple[float, ...] = (
    0.3, 0.2, 0.15, 0.15, 0.2, 0.3, 0.5, 0.9, 1.3, 1.7, 2.0, 2.0,
    2.0, 2.0, 2.0, 1.8, 1.6, 1.5, 1.4, 1.3, 1.1, 0.9, 0.6, 0.4,
)  # fmt: skip


def day_dates(start: dt.date, days: int) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(days)]


def allocate(total: int, dates: Sequence[dt.date]) -> list[int]:
    """Split ``total`` over ``dates`` by weekday weight (largest remainder)."""
    if not dates:
        return []
    weights = [WEEKDAY_FACTOR[d.weekday()] for d in dates]
    wsum = sum(weights)
    exact = [total * w / wsum for w in weights]
    counts = [math.floor(x) for x in exact]
    rest = total - sum(counts)
    order = sorted(range(len(dates)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[:rest]:
        counts[i] += 1
    return counts


class ArrivalCurve:
    """Diurnal arrival curve; ``flatten`` < 1 makes the day flatter (24/7 bots)."""

    def __init__(self, flatten: float = 1.0) -> None:
        self.workday = [w**flatten for w in WORKDAY_HOURS]
        self.weekend = [w**flatten for w in WEEKEND_HOURS]
        self._cum = {
            False: _cumulative(self.workday),
            True: _cumulative(self.weekend),
        }

    def hour_weights(self, day: dt.date) -> list[float]:
        return self.weekend if day.weekday() >= 5 else self.workday

    def peak_share(self) -> float:
        """Share of a workday's arrivals that land in its busiest hour."""
        return max(self.workday) / sum(self.workday)

    def times(self, rng: random.Random, day: dt.date, n: int) -> list[dt.datetime]:
        cum = self._cum[day.weekday() >= 5]
        total = cum[-1]
        secs = sorted(
            bisect.bisect_right(cum, rng.random() * total) * 3600.0
            + rng.random() * 3600.0
            for _ in range(n)
        )
        base = dt.datetime.combine(day, dt.time())
        return [base + dt.timedelta(seconds=s) for s in secs]


def _cumulative(weights: Sequence[float]) -> list[float]:
    out: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


# ------------------------------------------------------------------ formats


def sql_dt(t: dt.datetime | None) -> str:
    """SQL Server ``datetime`` text (1/300 s ticks shown as .000/.003/.007)."""
    if t is None:
        return ""
    ticks = round(t.microsecond * 300 / 1_000_000)
    ms = round(ticks * 10 / 3)
    if ms >= 1000:
        t = t.replace(microsecond=0) + dt.timedelta(seconds=1)
        ms = 0
    return f"{t:%Y-%m-%d %H:%M:%S}.{ms:03d}"


def iso7(t: dt.datetime) -> str:
    """Graph timestamp: ISO-8601 UTC with 7 fractional digits.

    The 7th digit (100 ns) is derived from the instant, so equal instants
    always print identically.
    """
    digit = (t.microsecond * 7 + t.second * 3 + t.minute) % 10
    return f"{t:%Y-%m-%dT%H:%M:%S}.{t.microsecond:06d}{digit}Z"


def iso_micro(t: dt.datetime) -> str:
    return f"{t:%Y-%m-%dT%H:%M:%S}.{t.microsecond:06d}Z"


def iso_duration(seconds: float) -> str:
    """ISO-8601 duration as Graph writes it: PT0.016S, PT1M2.5S."""
    ms = max(0, round(seconds * 1000))
    minutes, rem = divmod(ms, 60_000)
    hours, minutes = divmod(minutes, 60)
    sec = f"{rem / 1000:.3f}".rstrip("0").rstrip(".")
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if rem or not (hours or minutes):
        out += f"{sec}S"
    return out


def bit(flag: bool) -> int:
    return 1 if flag else 0


# ------------------------------------------------------------------ writers

_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def dumps(obj: Any) -> str:
    return _ENCODER.encode(obj)


def open_text(path: Path, bom: bool = False) -> IO[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="")


class ObjectSink(Protocol):
    def write(self, obj: Any) -> None: ...

    def close(self) -> list[Path]: ...


class JsonlWriter:
    """One compact JSON object per line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh = open_text(path)

    def write(self, obj: Any) -> None:
        self._fh.write(dumps(obj))
        self._fh.write("\n")

    def close(self) -> list[Path]:
        self._fh.close()
        return [self.path]


class PageWriter:
    """Streams objects into one or more JSON page files (one object per line).

    A new page file is started when the current one holds ``max_items`` objects
    or more than ``max_bytes`` characters, so no page outgrows JSON readers.
    """

    def __init__(
        self,
        path_for_page: Callable[[int], Path],
        head: str,
        tail: Callable[[int, bool], str],
        max_items: int = 0,
        max_bytes: int = 0,
    ) -> None:
        self._path_for_page = path_for_page
        self._head = head
        self._tail = tail
        self._max_items = max_items
        self._max_bytes = max_bytes
        self._fh: IO[str] | None = None
        self._page = -1
        self._items = 0
        self._bytes = 0
        self.paths: list[Path] = []

    def _open(self) -> IO[str]:
        self._page += 1
        path = self._path_for_page(self._page)
        self.paths.append(path)
        self._fh = open_text(path)
        self._fh.write(self._head)
        self._items = 0
        self._bytes = 0
        return self._fh

    def _finish(self, last: bool) -> None:
        if self._fh is not None:
            self._fh.write("\n]" + self._tail(self._page, last) + "\n")
            self._fh.close()
            self._fh = None

    def write(self, obj: Any) -> None:
        text = dumps(obj)
        fh = self._fh
        full = (self._max_items and self._items >= self._max_items) or (
            self._max_bytes and self._bytes >= self._max_bytes
        )
        if fh is None or full:
            self._finish(last=False)
            fh = self._open()
        fh.write(",\n" if self._items else "\n")
        fh.write(text)
        self._items += 1
        self._bytes += len(text) + 2

    def close(self) -> list[Path]:
        if self._fh is None and not self.paths:
            self._open()
        self._finish(last=True)
        return self.paths


# ----------------------------------------------------------------- id blocks

# Day 0 of the id blocks: running ids are allocated per calendar day from here on.
ID_EPOCH = dt.date(2000, 1, 1)
INT32_MAX = 2**31 - 1  # SQL Server / SuperOffice `int`


@dataclass(frozen=True)
class IdBlock:
    """A running id (an identity column) that never repeats across days.

    Each calendar day owns the block ``first + size * d + 1 .. first + size * (d + 1)``
    (``d``: days since ``ID_EPOCH``), whichever ``generate()`` call writes it. So two
    calls for different date ranges (e.g. the benchmark's extra day) never reuse an id,
    and a day's ids depend only on the day and its rows, not on the call's start date.
    ``step`` is the largest increment between two consecutive ids, ``limit`` the
    largest value the id's column type holds.
    """

    name: str
    first: int
    size: int
    step: int = 1
    limit: int | None = None

    def start(self, day: dt.date, n: int) -> int:
        """The id before the first of ``day`` (``n`` rows); raises if they overflow."""
        number = (day - ID_EPOCH).days
        if number < 0:
            raise ValueError(f"{self.name}: no ids for dates before {ID_EPOCH}")
        if n * self.step > self.size:
            raise ValueError(
                f"{self.name}: {n:,} rows on {day} do not fit the per-day id block"
                f" of {self.size:,}; spread the sessions over more days"
            )
        start = self.first + number * self.size
        if self.limit is not None and start + self.size > self.limit:
            raise ValueError(f"{self.name}: ids of {day} exceed {self.limit:,}")
        return start


# ------------------------------------------------------------- system base


class SystemWriter(Protocol):
    """One source system: writes its daily files, then any late re-exports."""

    # The running ids the writer allocates per day (checked before anything is written).
    id_blocks: tuple[IdBlock, ...]

    def write_day(self, index: int, day: dt.date, n: int) -> list[Path]: ...

    def finish(self, next_day: dt.date) -> list[Path]: ...

    def counts(self) -> dict[str, int]: ...
