"""SfB CDR / QoE and SuperOffice tables, through SQLAlchemy, into landing CSV files.

Reads the documented columns (docs/LANDING.md; the same lists the generator writes)
of `SessionDetails`, `Session` or `chat_session` in chunks, accepting the live
spellings (REFERENCE.md §10: CDR `ReplacesDialogIdTime` / `ReplacesDialogIdSeq`) and
any letter case, and writes them under the documented header names as
`<folder>/<Table>_<since>_<part>.csv`: SQL Server datetime text
(`YYYY-MM-DD HH:MM:SS.fff`), bits as 0/1, empty for NULL. SuperOffice `session_key`
(an authentication secret) is never selected.

Incremental by a watermark column (CDR LastModifiedTime, QoE ConferenceDateTime,
chats when_requested): each run reads from the highest watermark landed minus the
overlap and skips rows whose key was already landed with the same version
(`.extract_state/sql_<system>.json`), so a rerun lands nothing twice; a changed row
(a later LastModifiedTime, a chat that has ended since) lands again in a later file
and wins in staging.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import os
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from session_analytics.extract.common import (
    ExtractError,
    Progress,
    StateFile,
    pause_point,
    remove_stale_parts,
    stamp,
    write_atomic,
)
from session_analytics.generate import sfb_cdr, sfb_qoe, superoffice

URL_ENV = "SESSION_ANALYTICS_SQL_URL"
SECRET_COLUMNS = frozenset({"session_key"})


@dataclass(frozen=True)
class SqlSystem:
    folder: str  # landing folder
    table: str  # documented table name
    columns: tuple[str, ...]  # documented columns, in landing header order
    keys: tuple[str, ...]
    watermark: str
    versions: tuple[str, ...]  # a change in these lands the row again
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)


SYSTEMS: dict[str, SqlSystem] = {
    "sfb_cdr": SqlSystem(
        folder="sfb_cdr",
        table="SessionDetails",
        columns=sfb_cdr.COLUMNS,
        keys=("SessionIdTime", "SessionIdSeq"),
        watermark="LastModifiedTime",
        versions=("LastModifiedTime",),
        aliases={
            "ReplaceDialogIdTime": ("ReplacesDialogIdTime",),
            "ReplaceDialogIdSeq": ("ReplacesDialogIdSeq",),
        },
    ),
    "sfb_qoe": SqlSystem(
        folder="sfb_qoe",
        table="Session",
        columns=sfb_qoe.COLUMNS,
        keys=("ConferenceDateTime", "SessionSeq"),
        watermark="ConferenceDateTime",
        versions=(),
    ),
    "superoffice": SqlSystem(
        folder="superoffice",
        table="chat_session",
        columns=tuple(c for c in superoffice.COLUMNS if c not in SECRET_COLUMNS),
        keys=("id",),
        watermark="when_requested",
        versions=("status", "when_started", "when_ended", "rating"),
    ),
}


@dataclass(frozen=True)
class SqlOptions:
    landing_dir: Path
    system: str
    url: str | None = None
    table: str | None = None
    schema: str | None = None
    watermark: str | None = None
    overlap: dt.timedelta = dt.timedelta(hours=24)
    chunk_rows: int = 50_000
    dry_run: bool = False
    progress: bool = True


@dataclass
class SqlResult:
    read: int = 0
    landed: int = 0
    skipped: int = 0
    files: list[Path] = field(default_factory=list)


def sql_text(value: Any) -> str:
    """One CSV field in the landing format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value).upper()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)


def _live_names(
    system: SqlSystem, available: Sequence[str], table: str
) -> dict[str, str | None]:
    """documented column -> live column (None when the table lacks it)."""
    by_lower = {name.lower(): name for name in available}
    mapping: dict[str, str | None] = {}
    for column in system.columns:
        live = None
        for candidate in (column, *system.aliases.get(column, ())):
            live = by_lower.get(candidate.lower())
            if live:
                break
        mapping[column] = live
    needed = {*system.keys, system.watermark, *system.versions}
    missing = sorted(c for c in needed if mapping.get(c) is None)
    if missing:
        raise ExtractError(
            f"table {table} has no column {', '.join(missing)}"
            f" (it has: {', '.join(sorted(available)[:40])})"
        )
    return mapping


def _csv(rows: list[list[str]], header: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _key_of(row: dict[str, str], names: Sequence[str]) -> str:
    return json.dumps([row[n] for n in names], separators=(",", ":"))


class _SqlState:
    def __init__(self, landing_dir: Path, name: str, system: SqlSystem) -> None:
        self.landing_dir = landing_dir
        self.system = system
        self.file = StateFile(landing_dir, f"sql_{name}")
        data = self.file.load()
        self.watermark: str | None = data.get("watermark")
        self.seen: dict[str, list[str]] = dict(data.get("seen", {}))  # key -> [wm, v]
        self.files: set[str] = set(data.get("files", []))

    def version(self, row: dict[str, str]) -> str:
        return json.dumps([row[n] for n in self.system.versions])

    def landed(self, row: dict[str, str]) -> bool:
        entry = self.seen.get(_key_of(row, self.system.keys))
        return entry is not None and entry[1] == self.version(row)

    def add(self, row: dict[str, str]) -> None:
        wm = row[self.system.watermark]
        self.seen[_key_of(row, self.system.keys)] = [wm, self.version(row)]
        if wm and (self.watermark is None or _wm_key(wm) > _wm_key(self.watermark)):
            self.watermark = wm

    def recover(self, prefix: str) -> None:
        folder = self.landing_dir / self.system.folder
        remove_stale_parts(folder)
        for path in sorted(folder.glob(f"{prefix}_*.csv")):
            name = path.relative_to(self.landing_dir).as_posix()
            if name in self.files:
                continue
            with open(path, encoding="utf-8-sig", newline="") as handle:
                for row in csv.DictReader(handle):
                    self.add(row)
            self.files.add(name)

    def save(self, overlap: dt.timedelta) -> None:
        # the next read starts at watermark - overlap: older keys are never compared
        if self.watermark is not None and _is_datetime(self.watermark):
            oldest = _wm_key(self.watermark) - overlap
            self.seen = {k: v for k, v in self.seen.items() if _wm_key(v[0]) >= oldest}
        elif self.watermark is not None:
            top = _wm_key(self.watermark)
            self.seen = {k: v for k, v in self.seen.items() if _wm_key(v[0]) == top}
        self.files = {f for f in self.files if (self.landing_dir / f).exists()}
        files = sorted(self.files)
        self.file.save({"watermark": self.watermark, "seen": self.seen, "files": files})


def _is_datetime(text: str) -> bool:
    return not text.lstrip("-").isdigit()


def _wm_key(text: str) -> Any:
    if not text:
        return dt.datetime.min
    if _is_datetime(text):
        return dt.datetime.fromisoformat(text)
    return int(text)


def extract_sql(options: SqlOptions) -> SqlResult:
    import sqlalchemy as sa

    if options.system not in SYSTEMS:
        raise ExtractError(f"unknown system {options.system}; one of {sorted(SYSTEMS)}")
    system = SYSTEMS[options.system]
    if options.watermark:
        system = SqlSystem(**{**system.__dict__, "watermark": options.watermark})
    url = options.url or os.environ.get(URL_ENV)
    if not url:
        raise ExtractError(f"no database: pass --url or set {URL_ENV}")
    table = options.table or system.table
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise ExtractError(
            f"cannot use the SQLAlchemy URL ({type(exc).__name__}); for SQL Server"
            " install the driver: .venv/bin/pip install -e '.[mssql]'"
        ) from None
    shown = engine.url.render_as_string(hide_password=True)
    state = _SqlState(options.landing_dir, options.system, system)
    if not options.dry_run:
        state.recover(system.table)
    result = SqlResult()
    try:
        with engine.connect() as conn:
            # the live column names: a query that returns no rows works on every
            # dialect (reflection needs catalog views some engines lack)
            probe = (
                sa.select(sa.text("*"))
                .select_from(sa.table(table, schema=options.schema))
                .where(sa.false())
            )
            available = list(conn.execute(probe).keys())
            if not available:
                raise ExtractError(f"table {table} not found in {shown}")
            mapping = _live_names(system, available, table)
            for column, name in mapping.items():
                if name is None:
                    print(
                        f"extract sql: warning: {table} has no column {column};"
                        " it is written empty",
                        file=sys.stderr,
                    )
            live = {c: name for c, name in mapping.items() if name is not None}
            query = sa.select(
                *[sa.column(name).label(c) for c, name in live.items()]
            ).select_from(sa.table(table, schema=options.schema))
            wm_col = sa.column(live[system.watermark])
            since = _since(state.watermark, options.overlap)
            if since is not None:
                overlapping = isinstance(since, dt.datetime)
                query = query.where(wm_col >= since if overlapping else wm_col > since)
            query = query.order_by(wm_col)
            _copy(conn, query, system, state, options, result, since)
    except sa.exc.SQLAlchemyError as exc:
        detail = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
        raise ExtractError(
            f"{options.system} from {shown}: {type(exc).__name__}: {detail};"
            " nothing after the checkpoint landed: run again to resume"
        ) from None
    finally:
        engine.dispose()
    return result


def _since(watermark: str | None, overlap: dt.timedelta) -> Any:
    if watermark is None:
        return None
    value = _wm_key(watermark)
    return value - overlap if isinstance(value, dt.datetime) else value


def _copy(
    conn: Any,
    query: Any,
    system: SqlSystem,
    state: _SqlState,
    options: SqlOptions,
    result: SqlResult,
    since: Any,
) -> None:
    folder = options.landing_dir / system.folder
    if since is None:
        label = "00000000T000000Z"  # the first run's files sort first
    elif isinstance(since, dt.datetime):
        label = stamp(since.replace(tzinfo=dt.UTC))
    else:
        label = f"after{since:020d}"  # sorts after the first run's files too
    progress = Progress(f"{options.system}", None) if options.progress else None
    rows = conn.execution_options(stream_results=True).execute(query)
    names = list(rows.keys())
    part = 0
    while True:
        batch = rows.fetchmany(options.chunk_rows)
        if not batch:
            break
        result.read += len(batch)
        fresh: list[dict[str, str]] = []
        for record in batch:
            row = {column: "" for column in system.columns}
            row.update({n: sql_text(v) for n, v in zip(names, record, strict=True)})
            if state.landed(row):
                result.skipped += 1
            else:
                fresh.append(row)
        if progress:
            progress.update(len(batch))
        if options.dry_run or not fresh:
            result.landed += len(fresh)  # dry run: would land
            continue
        part += 1
        path = _free_part(folder, f"{system.table}_{label}", part)
        body = _csv([[r[c] for c in system.columns] for r in fresh], system.columns)
        write_atomic(path, body)
        state.files.add(path.relative_to(options.landing_dir).as_posix())
        result.files.append(path)
        pause_point("file", part)
        for row in fresh:
            state.add(row)
        result.landed += len(fresh)
    if progress:
        progress.close()
    if not options.dry_run:
        # once, at the end: files of a killed run are read back by recover()
        state.save(options.overlap)


def _free_part(folder: Path, stem: str, part: int) -> Path:
    while (folder / f"{stem}_{part:04d}.csv").exists():
        part += 1
    return folder / f"{stem}_{part:04d}.csv"
