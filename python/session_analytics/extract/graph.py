"""Graph callRecords (+ getPstnCalls, getDirectRoutingCalls) into landing files.

Writes, under the landing dir:

- `graph/callRecords_<since>_<until>_<part>.jsonl`: one complete call record a line,
  as `GET /communications/callRecords/{id}?$expand=sessions($expand=segments)` sent
  it, with every `<member>@odata.nextLink` page merged into `<member>` and the link
  dropped;
- `graph_pstn/pstnCalls_<since>_<until>[_<n>].json` and
  `graph_direct_routing/directRoutingCalls_<since>_<until>[_<n>].json`: one
  `{"value": [...]}` page object holding every row of the window;
- `.extract_state/graph.json`: the checkpoint (end of the last complete window) and
  which record id + version and which report row ids have landed, so an overlap
  re-read or a rerun after a kill lands nothing twice.

A record is skipped when its id was already landed with the same or a higher
version; a higher version lands again and wins in staging.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from session_analytics.extract.common import (
    ExtractError,
    Progress,
    StateFile,
    Window,
    iso_z,
    parse_utc,
    pause_point,
    plan_window,
    remove_stale_parts,
    utc_now,
    write_atomic,
)
from session_analytics.extract.http import HttpClient, NotFound, RateLimiter

RETENTION = dt.timedelta(days=30)  # Graph keeps call records 30 days (REFERENCE §8)
NEXT_LINK = "@odata.nextLink"
RECORDS_FOLDER = "graph"
REPORTS = {  # landing folder -> (Graph function, file prefix)
    "graph_pstn": ("getPstnCalls", "pstnCalls"),
    "graph_direct_routing": ("getDirectRoutingCalls", "directRoutingCalls"),
}
REPORT_PERMISSION = "CallRecord-PstnCalls.Read.All"


@dataclass(frozen=True)
class GraphOptions:
    landing_dir: Path
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    overlap: dt.timedelta = dt.timedelta(hours=24)
    dry_run: bool = False
    chunk_records: int = 500
    reports: tuple[str, ...] = tuple(REPORTS)
    progress: bool = True


@dataclass
class GraphResult:
    window: Window
    listed: int = 0
    landed: int = 0
    skipped: int = 0
    report_rows: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  # listed, then 404


class _Limits:
    """Client-side limits under Graph's published ones (REFERENCE.md §8)."""

    def __init__(self, sleep: Callable[[float], None]) -> None:
        self.sleep = sleep
        self.overall = RateLimiter(1400, 20.0, sleep=sleep)  # of 1,500 / 20 s
        self.listing = RateLimiter(38, 20.0, sleep=sleep)  # of 40 / 20 s
        self.reports = RateLimiter(190, 60.0, sleep=sleep)  # of 200 / 60 s

    def per_record(self) -> RateLimiter:
        return RateLimiter(38, 20.0, sleep=self.sleep)  # of 40 / 20 s per record


def _pages(
    client: HttpClient,
    path: str,
    params: dict[str, str] | None,
    limiters: tuple[RateLimiter, ...],
) -> Iterator[dict[str, Any]]:
    """Every page of a list, following `@odata.nextLink` to the end."""
    page = client.get_json(path, params, limiters)
    yield page
    while page.get(NEXT_LINK):
        page = client.get_json(str(page[NEXT_LINK]), None, limiters)
        yield page


def merge_next_links(
    client: HttpClient, node: Any, limiters: tuple[RateLimiter, ...]
) -> None:
    """Follow every `<member>@odata.nextLink` inside `node`, appending the pages'
    `value` to `<member>` and dropping the link (recursively: sessions, segments,
    participants_v2)."""
    if isinstance(node, list):
        for item in node:
            merge_next_links(client, item, limiters)
        return
    if not isinstance(node, dict):
        return
    for key in [k for k in node if k.endswith(NEXT_LINK) and k != NEXT_LINK]:
        member = key[: -len(NEXT_LINK)]
        items = node.setdefault(member, [])
        link = node.pop(key)
        while link:
            page = client.get_json(str(link), None, limiters)
            items.extend(page.get("value", []))
            link = page.get(NEXT_LINK)
        node.pop(f"{member}@odata.count", None)
    for value in node.values():
        if isinstance(value, (list, dict)):
            merge_next_links(client, value, limiters)


class _GraphState:
    """The checkpoint file and what it says has landed."""

    def __init__(self, landing_dir: Path, overlap: dt.timedelta) -> None:
        self.landing_dir = landing_dir
        self.overlap = overlap
        self.file = StateFile(landing_dir, "graph")
        data = self.file.load()
        self.until = parse_utc(data["until"]) if data.get("until") else None
        # record id -> [highest version landed, startDateTime]
        self.records: dict[str, list[Any]] = dict(data.get("records", {}))
        # report folder -> {row id: startDateTime}
        self.rows: dict[str, dict[str, str]] = {
            k: dict(v) for k, v in data.get("rows", {}).items()
        }
        self.files: set[str] = set(data.get("files", []))

    def version(self, record_id: str) -> int:
        entry = self.records.get(record_id)
        return int(entry[0]) if entry else -1

    def add_record(self, record: dict[str, Any]) -> None:
        record_id = str(record.get("id"))
        version = int(record.get("version") or 0)
        if version >= self.version(record_id):
            self.records[record_id] = [version, record.get("startDateTime")]

    def horizon(self, now: dt.datetime) -> dt.datetime:
        """What has landed is remembered from here on: the next default window
        starts at the checkpoint minus the overlap (a day of margin), and Graph
        forgets records after 30 days anyway."""
        oldest = now - RETENTION - dt.timedelta(days=1)
        if self.until is None:
            return oldest
        return max(oldest, self.until - self.overlap - dt.timedelta(days=1))

    def _needed(self, path: Path, now: dt.datetime) -> bool:
        """A landed file whose window ends before the horizon holds nothing the
        next window can list again (files named otherwise always count)."""
        found = _WINDOW_IN_NAME.search(path.name)
        return found is None or parse_utc(_unstamp(found.group(2))) >= self.horizon(now)

    def recover(self, now: dt.datetime) -> None:
        """Take in files a killed run renamed but did not record in the state."""
        remove_stale_parts(self.landing_dir / RECORDS_FOLDER)
        for path in sorted((self.landing_dir / RECORDS_FOLDER).glob("callRecords_*")):
            name = self._name(path)
            if name in self.files or path.suffix != ".jsonl":
                continue
            if not self._needed(path, now):
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    self.add_record(json.loads(line))
            self.files.add(name)
        for folder, (_function, prefix) in REPORTS.items():
            remove_stale_parts(self.landing_dir / folder)
            for path in sorted((self.landing_dir / folder).glob(f"{prefix}_*.json")):
                name = self._name(path)
                if name in self.files or not self._needed(path, now):
                    continue
                page = json.loads(path.read_text(encoding="utf-8"))
                seen = self.rows.setdefault(folder, {})
                for row in page.get("value", []):
                    seen[str(row.get("id"))] = str(row.get("startDateTime"))
                self.files.add(name)

    def _name(self, path: Path) -> str:
        return path.relative_to(self.landing_dir).as_posix()

    def save(self, *, until: dt.datetime | None, now: dt.datetime) -> None:
        if until is not None:  # an explicit earlier window never moves it back
            self.until = until if self.until is None else max(self.until, until)
        oldest = self.horizon(now)

        def fresh(start: Any) -> bool:
            try:
                return parse_utc(str(start)) >= oldest
            except ValueError:
                return True

        self.records = {k: v for k, v in self.records.items() if fresh(v[1])}
        self.rows = {
            folder: {k: v for k, v in seen.items() if fresh(v)}
            for folder, seen in self.rows.items()
        }
        self.files = {
            f
            for f in self.files
            if (self.landing_dir / f).exists() and self._needed(Path(f), now)
        }
        self.file.save(
            {
                "until": iso_z(self.until) if self.until else None,
                "records": self.records,
                "rows": self.rows,
                "files": sorted(self.files),
            }
        )

    def land(self, path: Path, text: str) -> None:
        write_atomic(path, text)
        self.files.add(self._name(path))


_WINDOW_IN_NAME = re.compile(r"_(\d{8}T\d{6}Z)_(\d{8}T\d{6}Z)")


def _unstamp(text: str) -> str:
    """`20240305T140211Z` -> `2024-03-05T14:02:11Z`."""
    return (
        f"{text[:4]}-{text[4:6]}-{text[6:8]}T{text[9:11]}:{text[11:13]}:{text[13:15]}Z"
    )


def _json_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def _free_name(folder: Path, stem: str, suffix: str, first: int | None) -> Path:
    """`<stem>_<nnnn><suffix>` (or `<stem><suffix>`, then `_2`, …) not yet on disk."""
    n = first
    while True:
        name = f"{stem}{suffix}" if n is None else f"{stem}_{n:04d}{suffix}"
        if not (folder / name).exists():
            return folder / name
        n = 2 if n is None else n + 1


def _warn(text: str) -> None:
    print(f"extract graph: warning: {text}", file=sys.stderr)


def extract_graph(
    options: GraphOptions,
    client: HttpClient,
    *,
    now: dt.datetime | None = None,
    warn: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> GraphResult:
    """Pull one window of call records and the PSTN / Direct Routing reports."""
    now = now or utc_now()
    warn = warn or _warn
    limits = _Limits(sleep or client.sleep)
    state = _GraphState(options.landing_dir, options.overlap)
    if not options.dry_run:
        state.recover(now)
    window = plan_window(
        checkpoint=state.until,
        since=options.since,
        until=options.until,
        overlap=options.overlap,
        now=now,
        retention=RETENTION,
        warn=warn,
    )
    if options.since is not None and window.since < state.horizon(now):
        warn(
            f"records that started before {iso_z(state.horizon(now))} are no longer"
            " tracked: ones landed before may land again (staging keeps one of each"
            " id and version)"
        )
    result = GraphResult(window)
    try:
        _call_records(options, client, state, window, limits, result, now, warn)
        for folder in options.reports:
            _report(options, client, state, window, limits, result, folder, now)
    except ExtractError as exc:
        done = f"checkpoint stays at {iso_z(state.until)}" if state.until else ""
        raise ExtractError(
            f"{exc}; the window {window} is left undone"
            f"{' (' + done + ')' if done else ''}: run again to resume"
        ) from None
    if not options.dry_run:
        state.save(until=window.until, now=now)
    return result


def _call_records(
    options: GraphOptions,
    client: HttpClient,
    state: _GraphState,
    window: Window,
    limits: _Limits,
    result: GraphResult,
    now: dt.datetime,
    warn: Callable[[str], None],
) -> None:
    flt = (
        f"startDateTime ge {iso_z(window.since)}"
        f" and startDateTime lt {iso_z(window.until)}"
    )
    listed: list[tuple[str, int | None]] = []
    for page in _pages(
        client,
        "communications/callRecords",
        {"$filter": flt},
        (limits.overall, limits.listing),
    ):
        for item in page.get("value", []):
            version = item.get("version")
            listed.append((str(item["id"]), None if version is None else int(version)))
    result.listed = len(listed)
    # one fetch per id (a page shifting under the listing may repeat one)
    todo = list(
        {rid: v for rid, v in listed if v is None or v > state.version(rid)}.items()
    )
    result.skipped = len(listed) - len(todo)
    if options.dry_run:
        return
    folder = options.landing_dir / RECORDS_FOLDER
    progress = Progress("graph callRecords", len(todo)) if options.progress else None
    buffer: list[dict[str, Any]] = []
    files = 0

    def flush() -> None:
        nonlocal files
        if not buffer:
            return
        path = _free_name(folder, f"callRecords_{window.label}", ".jsonl", 1)
        state.land(path, "".join(_json_line(r) for r in buffer))
        files += 1
        result.files.append(path)
        pause_point("file", files)  # renamed, not yet in the state file
        for record in buffer:
            state.add_record(record)
        state.save(until=None, now=now)
        result.landed += len(buffer)
        buffer.clear()

    for fetched, (record_id, _version) in enumerate(todo, start=1):
        limiters = (limits.overall, limits.per_record())
        try:
            record = client.get_json(
                f"communications/callRecords/{record_id}",
                {"$expand": "sessions($expand=segments)"},
                limiters,
            )
        except NotFound:
            # listed, then gone (past its 30 days, or withdrawn): nothing to land
            warn(f"call record {record_id} was listed but is gone (404): skipped")
            result.gone.append(record_id)
            continue
        merge_next_links(client, record, limiters)
        if progress:
            progress.update()
        if int(record.get("version") or 0) > state.version(record_id) or (
            record.get("version") is None
        ):
            buffer.append(record)
        else:
            result.skipped += 1
        if len(buffer) >= options.chunk_records:
            flush()
        pause_point("record", fetched)
    flush()
    if progress:
        progress.close()


def _report(
    options: GraphOptions,
    client: HttpClient,
    state: _GraphState,
    window: Window,
    limits: _Limits,
    result: GraphResult,
    folder: str,
    now: dt.datetime,
) -> None:
    function, prefix = REPORTS[folder]
    path = (
        f"communications/callRecords/{function}"
        f"(fromDateTime={iso_z(window.since)},toDateTime={iso_z(window.until)})"
    )
    context = None
    rows: list[dict[str, Any]] = []
    try:
        for page in _pages(client, path, None, (limits.overall, limits.reports)):
            context = context or page.get("@odata.context")
            rows.extend(page.get("value", []))
    except ExtractError as exc:
        if "403" in str(exc):
            raise ExtractError(
                f"{function}: 403 Forbidden: grant the application permission"
                f" {REPORT_PERMISSION}, or leave the report out (--no-pstn /"
                " --no-direct-routing)"
            ) from None
        raise
    seen = state.rows.setdefault(folder, {})
    new = [row for row in rows if str(row.get("id")) not in seen]
    result.report_rows[folder] = len(new)
    if options.dry_run or not new:
        return
    page_out: dict[str, Any] = {}
    if context:
        page_out["@odata.context"] = context
    page_out["@odata.count"] = len(new)
    page_out["value"] = new
    target = _free_name(
        options.landing_dir / folder, f"{prefix}_{window.label}", ".json", None
    )
    state.land(target, json.dumps(page_out, ensure_ascii=False, indent=1) + "\n")
    result.files.append(target)
    for row in new:
        seen[str(row.get("id"))] = str(row.get("startDateTime"))
    state.save(until=None, now=now)
