"""Skype for Business LcsCDR ``SessionDetails``: ``sfb_cdr/SessionDetails_<date>.csv``.

Rows whose session was still open (NULL ``SessionEndTime``) or not yet processed
are re-exported once more, after the last day, in
``SessionDetails_<date>_reexport.csv`` with the same key and a later
``LastModifiedTime``.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from .common import (
    ArrivalCurve,
    Choice,
    IdBlock,
    bit,
    chance,
    guid,
    lognormal,
    open_text,
    rng_for,
    sql_dt,
)

COLUMNS: tuple[str, ...] = (
    "SessionIdTime", "SessionIdSeq", "CorrelationId", "ReplaceDialogIdTime",
    "ReplaceDialogIdSeq", "User1Id", "User2Id", "User1EndpointId", "User2EndpointId",
    "TargetUserId", "SessionStartedById", "OnBehalfOfId", "ReferredById", "ServerId",
    "PoolId", "ContentTypeID", "User1ClientVerId", "User2ClientVerId",
    "User1EdgeServerid", "User2EdgeServerid", "IsUser1Internal", "IsUser2Internal",
    "InviteTime", "ResponseTime", "ResponseCode", "DiagnosticId", "CallPriority",
    "User1MessageCount", "User2MessageCount", "SessionEndTime", "MediaTypes",
    "User1Flag", "User2Flag", "CallFlag", "Processed", "LastModifiedTime",
)  # fmt: skip
IDX = {name: i for i, name in enumerate(COLUMNS)}

IM, FILE_TRANSFER, REMOTE_ASSISTANCE, APP_SHARING, AUDIO, VIDEO, APP_INVITE = (
    1, 2, 4, 8, 16, 32, 64,
)  # fmt: skip
MEDIA_TYPES = Choice(
    [
        (AUDIO, 33.0),
        (IM, 22.0),
        (AUDIO | VIDEO, 12.0),
        (AUDIO | APP_SHARING, 5.0),
        (IM | FILE_TRANSFER, 3.0),
        (APP_SHARING, 3.0),
        (FILE_TRANSFER, 2.5),
        (REMOTE_ASSISTANCE, 1.8),
        (VIDEO, 1.8),
        (APP_INVITE, 1.8),
        (IM | AUDIO, 2.0),
        (AUDIO | VIDEO | APP_SHARING, 2.0),
        (REMOTE_ASSISTANCE | APP_SHARING, 1.5),
        (APP_SHARING | APP_INVITE, 1.5),
        (IM | APP_SHARING, 1.0),
        (IM | FILE_TRANSFER | AUDIO, 0.5),
        (128 | AUDIO, 0.3),  # undefined high bit: decoders must not choke
        (256 | IM, 0.1),
    ]
)
RESPONSE = Choice(
    [
        (200, 86.0), (487, 4.5), (486, 2.6), (480, 2.4), (603, 1.5), (408, 0.6),
        (500, 0.8), (503, 0.9), (504, 0.7),
    ]
)  # fmt: skip
# Plausible SIP ms-diagnostics ids per response code (mapping not published).
DIAGNOSTICS: dict[int, tuple[int, ...]] = {
    486: (52085, 51011),
    487: (51004, 10010, 21),
    480: (10016, 1037),
    603: (51003, 52092),
    408: (1034,),
    500: (1016, 51000),
    503: (1008, 1034),
    504: (1034, 1047),
}
CALL_FLAG = Choice([(0, 91.8), (1, 4.5), (2, 2.5), (3, 1.0), (4, 0.2)])
PRIORITY = Choice([(2, 82.0), (0, 10.0), (1, 4.0), (3, 3.5), (4, 0.5)])
USERS = 3000
REEXPORT_CAP = 1000


def _median_seconds(media: int) -> float:
    if media & (VIDEO | APP_SHARING | REMOTE_ASSISTANCE):
        return 480.0
    if media & AUDIO:
        return 170.0
    if media & IM:
        return 140.0
    return 35.0


class SfbCdrWriter:
    """CDR ``SessionDetails``: one row per peer-to-peer session."""

    system = "sfb_cdr"
    id_blocks: tuple[IdBlock, ...] = ()  # keys are times / GUIDs drawn per day

    def __init__(self, out_dir: Path, seed: int) -> None:
        self.folder = out_dir / "sfb_cdr"
        self.seed = seed
        self.curve = ArrivalCurve()
        self.rows = 0
        self.reexported = 0
        self._reexport: list[list[object]] = []
        self._last_row: list[object] | None = None
        self._last_end: dt.datetime | None = None

    def write_day(self, index: int, day: dt.date, n: int) -> list[Path]:
        rng = rng_for(self.seed, self.system, day.isoformat())
        path = self.folder / f"SessionDetails_{day.isoformat()}.csv"
        times = self.curve.times(rng, day, n)
        with open_text(path) as fh:
            out = csv.writer(fh)
            out.writerow(COLUMNS)
            prev_key = ""
            seq = 0
            for i, t in enumerate(times):
                if i and chance(rng, 0.005):
                    t = times[i - 1]
                    times[i] = t
                key = sql_dt(t)
                replaces = (prev_key, seq) if i else None
                seq = seq + 1 if key == prev_key else 1
                prev_key = key
                row, end = self._row(rng, t, key, seq, replaces)
                out.writerow(row)
                self._maybe_keep(rng, row, end)
        self.rows += n
        return [path]

    def _row(
        self,
        rng: random.Random,
        t: dt.datetime,
        key: str,
        seq: int,
        replaces: tuple[str, int] | None,
    ) -> tuple[list[object], dt.datetime]:
        media = MEDIA_TYPES.pick(rng)
        code = RESPONSE.pick(rng)
        realtime = bool(media & (AUDIO | VIDEO))
        if code == 200:
            ring = rng.uniform(1.0, 14.0) if realtime else rng.uniform(0.05, 0.8)
        elif code == 487:
            ring = rng.uniform(2.0, 30.0)
        elif code == 408:
            ring = 32.0 + rng.uniform(0.0, 0.2)
        elif code == 603:
            ring = rng.uniform(2.0, 20.0)
        else:
            ring = rng.uniform(0.1, 4.0)
        response = t + dt.timedelta(seconds=ring)
        if code == 200:
            length = lognormal(rng, _median_seconds(media), 1.0)
            end = response + dt.timedelta(seconds=length)
        else:
            end = response + dt.timedelta(seconds=rng.uniform(0.0, 0.5))
        open_session = chance(rng, 0.01)
        processed = not open_session and not chance(rng, 0.02)
        modified = end + dt.timedelta(seconds=rng.uniform(1.0, 90.0))
        user1 = rng.randint(1, USERS)
        user2 = rng.randint(1, USERS)
        internal1 = chance(rng, 0.85)
        internal2 = chance(rng, 0.8)
        call_flag = CALL_FLAG.pick(rng)
        im = bool(media & IM)
        msgs1: object = ""
        msgs2: object = ""
        if im:
            answered = code == 200
            msgs1 = min(400, int(lognormal(rng, 6.0, 0.9))) if answered else 1
            msgs2 = min(400, int(lognormal(rng, 5.0, 0.9))) if answered else 0
        replace_time: object = ""
        replace_seq: object = ""
        if replaces is not None and chance(rng, 0.015):
            replace_time, replace_seq = replaces
        diag: object = ""
        if code in DIAGNOSTICS:
            diag = rng.choice(DIAGNOSTICS[code])
        elif chance(rng, 0.05):
            diag = 51007
        row: list[object] = [
            key,
            seq,
            guid(rng, upper=True),
            replace_time,
            replace_seq,
            user1,
            user2,
            guid(rng, upper=True) if chance(rng, 0.97) else "",
            guid(rng, upper=True) if code == 200 and chance(rng, 0.97) else "",
            user2 if chance(rng, 0.95) else rng.randint(1, USERS),
            user1,
            rng.randint(1, USERS) if call_flag & 2 else "",
            rng.randint(1, USERS) if chance(rng, 0.02) else "",
            rng.randint(1, 6),
            rng.randint(1, 3),
            rng.choice((1, 2)) if im else "",
            rng.randint(1, 40),
            rng.randint(1, 40) if code == 200 else "",
            "" if internal1 else rng.randint(1, 2),
            "" if internal2 else rng.randint(1, 2),
            bit(internal1),
            bit(internal2),
            key,
            sql_dt(response),
            code,
            diag,
            PRIORITY.pick(rng),
            msgs1,
            msgs2,
            "" if open_session else sql_dt(end),
            media,
            bit(chance(rng, 0.05)),
            bit(chance(rng, 0.04)),
            call_flag,
            bit(processed),
            sql_dt(modified),
        ]
        return row, end

    def _maybe_keep(
        self, rng: random.Random, row: list[object], end: dt.datetime
    ) -> None:
        self._last_row = row
        self._last_end = end
        pending = row[IDX["SessionEndTime"]] == "" or row[IDX["Processed"]] == 0
        if pending and len(self._reexport) < REEXPORT_CAP and chance(rng, 0.6):
            self._reexport.append(self._updated(row, end))

    @staticmethod
    def _updated(row: list[object], end: dt.datetime) -> list[object]:
        new = list(row)
        if new[IDX["SessionEndTime"]] == "":
            end = end + dt.timedelta(minutes=20)
            new[IDX["SessionEndTime"]] = sql_dt(end)
        new[IDX["Processed"]] = 1
        new[IDX["LastModifiedTime"]] = sql_dt(end + dt.timedelta(hours=6))
        return new

    def finish(self, next_day: dt.date) -> list[Path]:
        if not self._reexport and self._last_row is not None:
            assert self._last_end is not None
            self._reexport.append(self._updated(self._last_row, self._last_end))
        if not self._reexport:
            return []
        path = self.folder / f"SessionDetails_{next_day.isoformat()}_reexport.csv"
        with open_text(path) as fh:
            out = csv.writer(fh)
            out.writerow(COLUMNS)
            out.writerows(self._reexport)
        self.reexported = len(self._reexport)
        self._reexport = []
        return [path]

    def counts(self) -> dict[str, int]:
        return {"sfb_cdr": self.rows, "sfb_cdr_reexport": self.reexported}
