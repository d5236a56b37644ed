"""Syllable sessions and session labels.

``syllable/sessions_<date>.json`` is a ``GET /api/v1/sessions/`` page (or
``.jsonl`` on some days); about half the sessions carry a ``session_label_id``
whose SessionLabel lands in ``syllable_labels/session_labels_<date>.json``.
Optional fields are omitted at random (absent key, never null).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path
from typing import Any

from . import fake
from .common import (
    ArrivalCurve,
    Choice,
    IdBlock,
    JsonlWriter,
    ObjectSink,
    PageWriter,
    chance,
    guid,
    hex_token,
    iso_micro,
    lognormal,
    rng_for,
)

PAGE_SIZE = 10_000
JSONL_EVERY = 5  # day index % 5 == 2 is written as JSON Lines
# Session ids advance by 1-3 per session (ids skipped by other tenants); both ids are
# bigint in the API, so the per-day blocks can be generous.
SESSION_IDS = IdBlock("Syllable session_id", 100_000_000, 100_000_000, step=3)
LABEL_IDS = IdBlock("Syllable session label id", 5000, 100_000_000)


class Agent:
    def __init__(
        self,
        agent_id: str,
        name: str,
        timezone: str,
        channel: str,
        target: str,
        prompt_id: str,
        prompt_name: str,
        prompt_version_number: int,
    ) -> None:
        self.agent_id = agent_id
        self.name = name
        self.timezone = timezone
        self.channel = channel
        self.target = target
        self.prompt_id = prompt_id
        self.prompt_name = prompt_name
        self.prompt_version_number = prompt_version_number


AGENTS = Choice(
    [
        (Agent("12", "Front desk NO", "Europe/Oslo", "voice_sip_v1",
               "+4721990000", "31", "frontdesk-no", 7), 40.0),
        (Agent("14", "Billing line", "Europe/Oslo", "voice_twilio_v1",
               "+4721990100", "35", "billing", 4), 20.0),
        (Agent("17", "After-hours US", "America/New_York", "voice_twilio_v1",
               "+18045550100", "40", "after-hours-us", 12), 10.0),
        (Agent("21", "Web assistant", "Europe/Oslo", "web_chat_v1",
               "support-web", "44", "web-assistant", 3), 30.0),
    ]
)  # fmt: skip
SERVICE = {"voice_sip_v1": "hedy", "voice_twilio_v1": "twilio", "web_chat_v1": "hedy"}
CODES = Choice([("GOOD", 55.0), ("OK", 22.0), ("BAD", 15.0), ("N/A", 8.0)])
ISSUES: tuple[str, ...] = (
    "Misunderstood caller", "Transfer failed", "Long silence", "Wrong answer",
    "Caller frustrated", "Audio quality", "Tool call error", "Hallucination",
)  # fmt: skip
REVIEWERS: tuple[str, ...] = (
    "kari.nordmann@example.com",
    "ola.hansen@example.com",
    "qa.team@example.org",
)
COMMENTS: tuple[str, ...] = (
    "Handled well",
    "Agent repeated the question three times",
    "Caller asked for a human, transfer took too long",
    "Ok, but slow",
    "Wrong opening hours given",
)


def _maybe(rng: random.Random, obj: dict[str, Any], key: str, value: Any,
           p: float) -> None:  # fmt: skip
    if rng.random() < p:
        obj[key] = value


class SyllableWriter:
    """Syllable ``Session`` objects plus their ``SessionLabel`` objects."""

    system = "syllable"
    id_blocks: tuple[IdBlock, ...] = (SESSION_IDS, LABEL_IDS)

    def __init__(self, out_dir: Path, seed: int, jsonl_only: bool = False) -> None:
        self.sessions_dir = out_dir / "syllable"
        self.labels_dir = out_dir / "syllable_labels"
        self.seed = seed
        self.jsonl_only = jsonl_only
        self.curve = ArrivalCurve(flatten=0.6)
        self.sessions = 0
        self.labels = 0
        self._next_session = 0
        self._next_label = 0

    def _sink(self, folder: Path, stem: str, jsonl: bool, n: int) -> ObjectSink:
        if jsonl:
            return JsonlWriter(folder / f"{stem}.jsonl")
        pages = max(1, math.ceil(n / PAGE_SIZE))
        size = n if pages == 1 else PAGE_SIZE

        def path_for(page: int) -> Path:
            return folder / (f"{stem}.json" if pages == 1 else f"{stem}_p{page}.json")

        def tail(page: int, last: bool) -> str:
            return (
                f',"page":{page},"page_size":{size},"total_pages":{pages},'
                f'"total_count":{n}}}'
            )

        return PageWriter(path_for, '{"items":[', tail, max_items=PAGE_SIZE)

    def write_day(self, index: int, day: dt.date, n: int) -> list[Path]:
        rng = rng_for(self.seed, self.system, day.isoformat())
        self._next_session = SESSION_IDS.start(day, n)
        self._next_label = LABEL_IDS.start(day, n)
        times = self.curve.times(rng, day, n)
        labelled = [chance(rng, 0.5) for _ in range(n)]
        jsonl = self.jsonl_only or index % JSONL_EVERY == 2
        iso = day.isoformat()
        sessions = self._sink(self.sessions_dir, f"sessions_{iso}", jsonl, n)
        labels = self._sink(
            self.labels_dir, f"session_labels_{iso}", jsonl, sum(labelled)
        )
        for t, has_label in zip(times, labelled, strict=True):
            self._next_session += rng.randint(1, 3)
            session, end = self._session(rng, t, self._next_session)
            if has_label:
                self._next_label += 1
                session["session_label_id"] = str(self._next_label)
                labels.write(self._label(rng, self._next_session, end))
                self.labels += 1
            sessions.write(session)
        self.sessions += n
        return sessions.close() + labels.close()

    def _session(
        self, rng: random.Random, t: dt.datetime, session_id: int
    ) -> tuple[dict[str, Any], dt.datetime]:
        agent = AGENTS.pick(rng)
        voice = agent.channel != "web_chat_v1"
        duration = round(lognormal(rng, 95.0 if voice else 240.0, 0.8), 3)
        obj: dict[str, Any] = {
            "timestamp": iso_micro(t),
            "session_id": str(session_id),
        }
        _maybe(rng, obj, "conversation_id", hex_token(rng, 12), 0.95)
        obj["channel_manager_service"] = SERVICE[agent.channel]
        obj["channel_manager_type"] = agent.channel
        if agent.channel == "voice_twilio_v1":
            sid = "CA" + hex_token(rng, 16)
        else:
            sid = guid(rng)
        _maybe(rng, obj, "channel_manager_sid", sid, 0.9)
        obj["agent_id"] = agent.agent_id
        _maybe(rng, obj, "agent_name", agent.name, 0.95)
        _maybe(rng, obj, "agent_type", "ca_v1", 0.9)
        _maybe(rng, obj, "agent_timezone", agent.timezone, 0.9)
        _maybe(rng, obj, "prompt_id", agent.prompt_id, 0.9)
        _maybe(rng, obj, "prompt_name", agent.prompt_name, 0.85)
        _maybe(rng, obj, "prompt_version", f"v{agent.prompt_version_number}", 0.6)
        if rng.random() < 0.95:
            obj["duration"] = duration
        if voice:
            source = fake.phone_e164(rng)
        else:
            first, last = fake.person(rng)
            source = fake.email(first, last, rng)
        _maybe(rng, obj, "source", source, 0.93)
        _maybe(rng, obj, "target", agent.target, 0.9)
        _maybe(rng, obj, "is_legacy", False, 0.5)
        test = chance(rng, 0.02)
        if test or rng.random() < 0.7:
            obj["is_test"] = test
        _maybe(rng, obj, "prompt_version_number", agent.prompt_version_number, 0.6)
        if voice:
            _maybe(rng, obj, "is_outbound", chance(rng, 0.06), 0.8)
        _maybe(rng, obj, "user_terminated", chance(rng, 0.6), 0.7)
        if voice:
            _maybe(rng, obj, "transfer_voicemail_detected", chance(rng, 0.03), 0.3)
        return obj, t + dt.timedelta(seconds=duration)

    def _label(
        self, rng: random.Random, session_id: int, end: dt.datetime
    ) -> dict[str, Any]:
        human = chance(rng, 0.3)
        code = CODES.pick(rng)
        if human:
            delay = dt.timedelta(minutes=rng.uniform(30.0, 4320.0))
        else:
            delay = dt.timedelta(seconds=rng.uniform(20.0, 600.0))
        issues: list[str] = []
        if code == "BAD":
            issues = rng.sample(ISSUES, rng.randint(1, 2))
        elif code == "OK" and chance(rng, 0.4):
            issues = [rng.choice(ISSUES)]
        obj: dict[str, Any] = {
            "id": self._next_label,
            "session_id": session_id,
            "type": "human-rating" if human else "auto-rating",
            "code": code,
        }
        if human:
            obj["user_email"] = rng.choice(REVIEWERS)
        obj["timestamp"] = iso_micro(end + delay)
        if human and chance(rng, 0.5):
            obj["comments"] = rng.choice(COMMENTS)
        obj["issue_categories"] = issues
        return obj

    def finish(self, next_day: dt.date) -> list[Path]:
        return []

    def counts(self) -> dict[str, int]:
        return {"syllable": self.sessions, "syllable_labels": self.labels}
