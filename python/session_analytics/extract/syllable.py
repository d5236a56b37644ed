"""Syllable sessions and session labels, through the vendor's `syllable-sdk`.

Writes the list responses of docs/LANDING.md, one file a page:

- `syllable/sessions_<since>_<until>_<page>.json`
- `syllable_labels/session_labels_<since>_<until>_<page>.json`

each `{"items": [...], "page": P, "page_size": N, "total_pages": T, "total_count": C}`
as the API sent it (the body is taken from the SDK's own httpx client, so fields the
SDK does not know yet are kept), less the items already landed. Incremental by the
session timestamp: from the checkpoint minus the overlap; `.extract_state/syllable.json`
holds the checkpoint and which session ids / label ids (with their duration and label
id, or code and type) have landed, so a rerun lands nothing twice and a changed
session lands again in a later file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from session_analytics.extract.common import (
    SYLLABLE_URL,
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

API_KEY_ENV = "SESSION_ANALYTICS_SYLLABLE_API_KEY"


@dataclass(frozen=True)
class Entity:
    folder: str
    prefix: str
    key: str
    versions: tuple[str, ...]  # no personal fields: they are stored in the state


ENTITIES = {
    "sessions": Entity(
        "syllable", "sessions", "session_id", ("duration", "session_label_id")
    ),
    "labels": Entity("syllable_labels", "session_labels", "id", ("code", "type")),
}


@dataclass(frozen=True)
class SyllableOptions:
    landing_dir: Path
    server_url: str = SYLLABLE_URL
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    overlap: dt.timedelta = dt.timedelta(hours=24)
    page_size: int = 100
    labels: bool = True
    dry_run: bool = False
    max_tries: int = 8
    backoff_ms: int = 500
    progress: bool = True


@dataclass
class SyllableResult:
    window: Window
    sessions: int = 0
    labels: int = 0
    skipped: int = 0
    files: list[Path] = field(default_factory=list)


class _Bodies:
    """An httpx response hook: the JSON body of the last response, as sent."""

    def __init__(self) -> None:
        self.last: Any = None

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        self.last = response


class _State:
    def __init__(self, landing_dir: Path) -> None:
        self.landing_dir = landing_dir
        self.file = StateFile(landing_dir, "syllable")
        data = self.file.load()
        self.until = parse_utc(data["until"]) if data.get("until") else None
        # entity -> {id: [timestamp, version]}
        self.seen: dict[str, dict[str, list[str]]] = {
            name: dict(data.get("seen", {}).get(name, {})) for name in ENTITIES
        }
        self.files: set[str] = set(data.get("files", []))

    @staticmethod
    def version(entity: Entity, item: dict[str, Any]) -> str:
        return json.dumps([item.get(name) for name in entity.versions])

    def landed(self, name: str, item: dict[str, Any]) -> bool:
        entity = ENTITIES[name]
        entry = self.seen[name].get(str(item.get(entity.key)))
        return entry is not None and entry[1] == self.version(entity, item)

    def add(self, name: str, item: dict[str, Any]) -> None:
        entity = ENTITIES[name]
        self.seen[name][str(item.get(entity.key))] = [
            str(item.get("timestamp")),
            self.version(entity, item),
        ]

    def recover(self) -> None:
        for name, entity in ENTITIES.items():
            folder = self.landing_dir / entity.folder
            remove_stale_parts(folder)
            for path in sorted(folder.glob(f"{entity.prefix}_*.json")):
                rel = path.relative_to(self.landing_dir).as_posix()
                if rel in self.files:
                    continue
                page = json.loads(path.read_text(encoding="utf-8"))
                for item in page.get("items", []):
                    self.add(name, item)
                self.files.add(rel)

    def save(self, until: dt.datetime | None, overlap: dt.timedelta) -> None:
        if until is not None:  # an explicit earlier window never moves it back
            self.until = until if self.until is None else max(self.until, until)
        if self.until is not None:
            oldest = self.until - overlap - dt.timedelta(days=1)

            def fresh(stamp: str) -> bool:
                try:
                    return parse_utc(stamp) >= oldest
                except ValueError:
                    return True

            self.seen = {
                name: {k: v for k, v in seen.items() if fresh(v[0])}
                for name, seen in self.seen.items()
            }
        self.files = {f for f in self.files if (self.landing_dir / f).exists()}
        self.file.save(
            {
                "until": iso_z(self.until) if self.until else None,
                "seen": self.seen,
                "files": sorted(self.files),
            }
        )


def _warn(text: str) -> None:
    print(f"extract syllable: warning: {text}", file=sys.stderr)


def extract_syllable(
    options: SyllableOptions,
    *,
    now: dt.datetime | None = None,
    warn: Callable[[str], None] = _warn,
    api_key: str | None = None,
) -> SyllableResult:
    """Pull one window of sessions (and labels) through syllable-sdk."""
    from syllable_sdk import SyllableSDK, errors, models, utils

    key = api_key or os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise ExtractError(f"no Syllable API key: set {API_KEY_ENV}")
    state = _State(options.landing_dir)
    if not options.dry_run:
        state.recover()
    window = plan_window(
        checkpoint=state.until,
        since=options.since,
        until=options.until,
        overlap=options.overlap,
        now=now or utc_now(),
        retention=None,
        warn=warn,
    )
    result = SyllableResult(window)
    bodies = _Bodies()
    client = httpx.Client(follow_redirects=False, event_hooks={"response": [bodies]})
    retries = utils.RetryConfig(
        "backoff",
        utils.BackoffStrategy(
            options.backoff_ms, 60_000, 2.0, options.backoff_ms * 2**options.max_tries
        ),
        True,
    )
    sdk = SyllableSDK(
        api_key_header=key,
        server_url=options.server_url,
        client=client,
        retry_config=retries,
    )
    lists = {
        "sessions": (sdk.sessions.list, models.SessionProperties.TIMESTAMP),
        "labels": (sdk.session_labels.list, models.SessionLabelProperties.TIMESTAMP),
    }
    try:
        for name, (list_page, order_by) in lists.items():
            if name == "labels" and not options.labels:
                continue
            _pull(name, list_page, order_by, bodies, state, window, options, result)
    except (errors.SyllableSDKError, errors.NoResponseError) as exc:
        status = getattr(getattr(exc, "raw_response", None), "status_code", "?")
        raise ExtractError(
            f"Syllable API error (HTTP {status}, {type(exc).__name__}); the window"
            f" {window} is left undone: run again to resume"
        ) from None
    except httpx.TransportError as exc:
        raise ExtractError(
            f"cannot reach {options.server_url} ({type(exc).__name__}); the window"
            f" {window} is left undone: run again to resume"
        ) from None
    finally:
        client.close()
    if not options.dry_run:
        state.save(window.until, options.overlap)
    return result


def _pull(
    name: str,
    list_page: Callable[..., Any],
    order_by: Any,
    bodies: _Bodies,
    state: _State,
    window: Window,
    options: SyllableOptions,
    result: SyllableResult,
) -> None:
    entity = ENTITIES[name]
    progress = Progress(f"syllable {name}", None) if options.progress else None
    page = 0
    while True:
        list_page(
            page=page,
            limit=options.page_size,
            order_by=order_by,
            order_by_direction="asc",
            start_datetime=iso_z(window.since),
            end_datetime=iso_z(window.until),
        )
        body = bodies.last.json()
        items = body.get("items") or []
        fresh = [item for item in items if not state.landed(name, item)]
        result.skipped += len(items) - len(fresh)
        if name == "sessions":
            result.sessions += len(fresh)
        else:
            result.labels += len(fresh)
        if progress:
            progress.update(len(items))
        if fresh and not options.dry_run:
            path = (
                options.landing_dir
                / entity.folder
                / f"{entity.prefix}_{window.label}_{page:04d}.json"
            )
            n = 2
            while path.exists():  # the same window pulled again: a new name
                path = path.with_name(
                    f"{entity.prefix}_{window.label}_{page:04d}_{n}.json"
                )
                n += 1
            write_atomic(path, json.dumps({**body, "items": fresh}, indent=1) + "\n")
            state.files.add(path.relative_to(options.landing_dir).as_posix())
            result.files.append(path)
            pause_point(f"syllable-{name}", page + 1)
            for item in fresh:
                state.add(name, item)
            state.save(None, options.overlap)
        total_pages = body.get("total_pages")
        page += 1
        if not items or (total_pages is not None and page >= total_pages):
            break
        if total_pages is None and len(items) < options.page_size:
            break
    if progress:
        progress.close()
