"""Skype for Business QoE ``Session`` export: ``sfb_qoe/Session_<date>.csv``."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from .common import (
    INT32_MAX,
    ArrivalCurve,
    Choice,
    IdBlock,
    bit,
    chance,
    lognormal,
    open_text,
    rng_for,
    sql_dt,
)

COLUMNS: tuple[str, ...] = (
    "ConferenceDateTime", "SessionSeq", "ConferenceKey", "CorrelationKey",
    "DialogCategory", "MediationServerBypassFlag", "MediaBypassWarningFlag",
    "StartTime", "EndTime", "CallerPool", "CalleePool", "CalleePAI", "CallerURI",
    "CallerEndpoint", "CallerUserAgent", "CallPriority", "ClassifiedPoorCall",
    "CallerPAI", "CalleeEndpoint", "CalleeUserAgent", "CalleeUri",
)  # fmt: skip

PRIORITY = Choice([(2, 80.0), (0, 12.0), (1, 4.0), (3, 3.5), (4, 0.5)])
USERS = 3000
USER_AGENTS = 60
ENDPOINTS = 4000
# ConferenceKey (an int identity of the Conference table) of each dialog's conference.
CONFERENCE_KEYS = IdBlock("QoE ConferenceKey", 100_000, 100_000, limit=INT32_MAX)


class SfbQoeWriter:
    """QoE ``Session``: one row per audio (or audio+video) SIP dialog."""

    system = "sfb_qoe"
    id_blocks: tuple[IdBlock, ...] = (CONFERENCE_KEYS,)

    def __init__(self, out_dir: Path, seed: int) -> None:
        self.folder = out_dir / "sfb_qoe"
        self.seed = seed
        self.curve = ArrivalCurve()
        self.rows = 0
        self._next_key = 0

    def write_day(self, index: int, day: dt.date, n: int) -> list[Path]:
        rng = rng_for(self.seed, self.system, day.isoformat())
        path = self.folder / f"Session_{day.isoformat()}.csv"
        self._next_key = CONFERENCE_KEYS.start(day, n)
        times = self.curve.times(rng, day, n)
        with open_text(path) as fh:
            out = csv.writer(fh)
            out.writerow(COLUMNS)
            prev_key = ""
            seq = 0
            for i, t in enumerate(times):
                if i and chance(rng, 0.005):
                    t = times[i - 1]  # two dialogs in the same 1/300 s tick
                    times[i] = t
                key = sql_dt(t)
                seq = seq + 1 if key == prev_key else 1
                prev_key = key
                out.writerow(self._row(rng, t, key, seq))
        self.rows += n
        return [path]

    def _row(
        self, rng: random.Random, t: dt.datetime, key: str, seq: int
    ) -> list[object]:
        self._next_key += 1
        video = chance(rng, 0.25)
        pstn = chance(rng, 0.2)
        start = t + dt.timedelta(seconds=rng.uniform(0.05, 4.0))
        duration = lognormal(rng, 420.0 if video else 170.0, 1.0)
        end: dt.datetime | None = start + dt.timedelta(seconds=duration)
        if chance(rng, 0.01):
            end = None
        poor_roll = rng.random()
        poor: int | None = None if poor_roll < 0.1 else bit(poor_roll > 0.965)
        caller_pool = rng.randint(1, 4)
        callee_pool = caller_pool if chance(rng, 0.7) else rng.randint(1, 4)
        caller = rng.randint(1, USERS)
        callee = rng.randint(1, USERS)
        return [
            key,
            seq,
            self._next_key if chance(rng, 0.3) else "",
            rng.randint(1, 10**6),
            bit(pstn and chance(rng, 0.5)),
            bit(pstn and chance(rng, 0.6)),
            bit(chance(rng, 0.01)) if chance(rng, 0.9) else "",
            sql_dt(start),
            sql_dt(end),
            caller_pool,
            callee_pool,
            callee if chance(rng, 0.6) else "",
            caller,
            rng.randint(1, ENDPOINTS),
            rng.randint(1, USER_AGENTS),
            PRIORITY.pick(rng),
            "" if poor is None else poor,
            caller if chance(rng, 0.5) else "",
            rng.randint(1, ENDPOINTS),
            rng.randint(1, USER_AGENTS),
            callee,
        ]

    def finish(self, next_day: dt.date) -> list[Path]:
        return []

    def counts(self) -> dict[str, int]:
        return {"sfb_qoe": self.rows}
