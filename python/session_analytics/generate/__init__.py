"""Deterministic synthetic landing files for the five source systems (plus the Graph
PSTN / Direct Routing reports and the CQD building and endpoint files).

``generate(out_dir, sessions, days, seed)`` writes daily export files in the
formats of ``docs/LANDING.md`` and returns the rows written per file type.
Every (system, day) draws from its own ``random.Random`` seeded from
``(seed, system, day)``, and files are streamed record by record, so memory
stays bounded and equal arguments give byte-identical files. Running ids
(SuperOffice ``id``, Syllable session and label ids, QoE ``ConferenceKey``) come
from per-day blocks (``common.IdBlock``), so calls for different date ranges, e.g.
an extra day generated later, add sessions instead of reusing their ids.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from .common import SystemWriter, allocate, day_dates
from .graph import GraphWriter
from .parquet import ParquetConverter
from .sfb_cdr import SfbCdrWriter
from .sfb_qoe import SfbQoeWriter
from .superoffice import SuperOfficeWriter
from .syllable import SyllableWriter
from .telephony import TelephonyWriter
from .tenant import TenantWriter

__all__ = ["FORMATS", "SYSTEMS", "generate"]

FORMATS = ("native", "parquet")
SYSTEMS = ("sfb_qoe", "sfb_cdr", "graph", "superoffice", "syllable")


def generate(
    out_dir: Path,
    sessions: int,
    days: int,
    seed: int,
    start_date: dt.date = dt.date(2024, 3, 1),
    fmt: str = "native",
    progress: bool = False,
) -> dict[str, int]:
    """Write ``sessions // 5`` sessions per system over ``days`` daily files.

    ``fmt="parquet"`` writes ``<stem>.parquet`` instead of each native file.
    Returns rows written per file type (re-exported rows counted separately).
    Raises ValueError for a start date before 2000-01-01 or, in SuperOffice and
    QoE (``int`` ids), more than 100,000 sessions per system and day.
    """
    if sessions < 0 or days < 1:
        raise ValueError("sessions must be >= 0 and days >= 1")
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    out_dir = Path(out_dir)
    per_system = sessions // 5
    dates = day_dates(start_date, days)
    per_day = allocate(per_system, dates)
    parquet = fmt == "parquet"
    writers: list[SystemWriter] = [
        SfbQoeWriter(out_dir, seed),
        SfbCdrWriter(out_dir, seed),
        GraphWriter(out_dir, seed, jsonl_only=parquet),
        SuperOfficeWriter(out_dir, seed, per_system, days),
        SyllableWriter(out_dir, seed, jsonl_only=parquet),
    ]
    if not parquet:
        # Extra data beside the five systems' sessions (their share is unchanged):
        # Graph PSTN / Direct Routing reports and the CQD building / endpoint files.
        writers += [TelephonyWriter(out_dir, seed), TenantWriter(out_dir, seed, days)]
    busiest = max(per_day)
    for writer in writers:  # fail before writing anything, not halfway
        for block in writer.id_blocks:
            block.start(dates[0], busiest)
            block.start(dates[-1], busiest)
    converter = ParquetConverter() if parquet else None
    try:
        for index, (day, n) in enumerate(zip(dates, per_day, strict=True)):
            for writer in writers:
                _convert(converter, writer.write_day(index, day, n))
            if progress:
                _progress(index + 1, days, day)
        next_day = dates[-1] + dt.timedelta(days=1)
        for writer in writers:
            _convert(converter, writer.finish(next_day))
    finally:
        if converter is not None:
            converter.close()
    counts: dict[str, int] = {}
    for writer in writers:
        counts.update(writer.counts())
    return counts


def _convert(converter: ParquetConverter | None, paths: list[Path]) -> None:
    if converter is not None:
        for path in paths:
            converter.convert(path)


def _progress(done: int, total: int, day: dt.date) -> None:
    width = 30
    filled = width * done // total
    bar = "#" * filled + "." * (width - filled)
    end = "\n" if done == total else ""
    sys.stderr.write(f"\r[{bar}] {done}/{total} days  {day.isoformat()}{end}")
    sys.stderr.flush()
