"""`session-analytics extract syllable` through syllable-sdk against a fake Syllable
API on 127.0.0.1 (REFERENCE.md §5 shapes: `{items, page, page_size, total_pages,
total_count}`, 0-based pages).

Hand count: 5 sessions (ids 1001-1005), page size 2 -> pages 0, 1, 2; 2 labels
(501, 502) on one page. The first sessions request gets a 429 with Retry-After: 0.
Session 1002 later gets a duration: it lands once more (6 lines, 5 staged, 1
superseded).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from dbt_harness import dbt_build

pytest.importorskip("syllable_sdk")
from werkzeug import Request, Response  # noqa: E402

from session_analytics.extract.common import ExtractError  # noqa: E402
from session_analytics.extract.syllable import (  # noqa: E402
    SyllableOptions,
    extract_syllable,
)

CLI = Path(sys.executable).parent / "session-analytics"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
BASE = (NOW - dt.timedelta(hours=10)).replace(minute=0, second=0)


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeSyllable:
    def __init__(self) -> None:
        self.sessions = [
            {
                "timestamp": _iso(BASE + dt.timedelta(minutes=10 * i)),
                "session_id": str(1000 + i),
                "conversation_id": f"c{i}",
                "channel_manager_type": "voice_sip_v1",
                "agent_id": "a1",
                "agent_name": "Front desk",
                "source": f"+1804222{i:04d}",
                "is_test": False,
                "vendor_field_not_in_sdk": i,  # must survive to the landing file
                **({"duration": 60.5 * i} if i != 2 else {}),
            }
            for i in range(1, 6)
        ]
        self.labels = [
            {
                "id": 500 + i,
                "session_id": 1000 + i,
                "type": "human-rating",
                "code": "GOOD",
                "user_email": "qa@example.com",
                "timestamp": _iso(BASE + dt.timedelta(minutes=10 * i + 5)),
                "issue_categories": ["latency"],
            }
            for i in (1, 2)
        ]
        self.throttle_once = True
        self.keys: list[str] = []

    def __call__(self, request: Request) -> Response:
        self.keys.append(request.headers.get("Syllable-API-Key", ""))
        if self.keys[-1] != "key-1":
            return Response(
                '{"detail": "bad key"}', 401, content_type="application/json"
            )
        if self.throttle_once:
            self.throttle_once = False
            return Response("slow", 429, headers={"Retry-After": "0"})
        rows = self.sessions if request.path.endswith("/sessions/") else self.labels
        args = request.args
        start = dt.datetime.fromisoformat(args["start_datetime"])
        end = dt.datetime.fromisoformat(args["end_datetime"])
        assert args["order_by"] == "timestamp"
        chosen = [
            r for r in rows if start <= dt.datetime.fromisoformat(r["timestamp"]) < end
        ]
        page, size = int(args["page"]), int(args["limit"])
        total_pages = max(1, -(-len(chosen) // size))
        body = {
            "items": chosen[page * size : (page + 1) * size],
            "page": page,
            "page_size": size,
            "total_pages": total_pages,
            "total_count": len(chosen),
        }
        return Response(json.dumps(body), 200, content_type="application/json")


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """The fake API listens on 127.0.0.1 only (any free port)."""
    return ("127.0.0.1", 0)


@pytest.fixture
def fake(httpserver) -> tuple[FakeSyllable, str]:
    api = FakeSyllable()
    httpserver.expect_request(re.compile(r"/api/v1/.*")).respond_with_handler(api)
    return api, httpserver.url_for("/").rstrip("/")


def pull(url: str, landing: Path, key: str = "key-1"):
    options = SyllableOptions(
        landing_dir=landing, server_url=url, page_size=2, backoff_ms=1, progress=False
    )
    return extract_syllable(options, api_key=key)


def landed(landing: Path, folder: str) -> list[dict]:
    return [
        item
        for path in sorted((landing / folder).glob("*.json"))
        for item in json.loads(path.read_text(encoding="utf-8"))["items"]
    ]


def test_pages_rerun_update_and_dbt_build(fake, tmp_path: Path):
    api, url = fake
    landing = tmp_path / "landing"
    first = pull(url, landing)
    assert (first.sessions, first.labels, first.skipped) == (5, 2, 0)
    sessions = landed(landing, "syllable")
    assert [s["session_id"] for s in sessions] == [str(1000 + i) for i in range(1, 6)]
    assert [s["vendor_field_not_in_sdk"] for s in sessions] == [1, 2, 3, 4, 5]
    assert "duration" not in sessions[1]  # unset stays absent
    page = json.loads(sorted((landing / "syllable").glob("*.json"))[0].read_text())
    assert set(page) == {"items", "page", "page_size", "total_pages", "total_count"}
    assert (page["page"], page["total_pages"]) == (0, 3)
    assert [x["id"] for x in landed(landing, "syllable_labels")] == [501, 502]
    assert set(api.keys) == {"key-1"}
    assert not api.throttle_once and len(api.keys) == 5  # 429 retried; 3 + 1 pages
    state = (landing / ".extract_state" / "syllable.json").read_text()
    assert "key-1" not in state and "+1804" not in state

    again = pull(url, landing)
    assert (again.sessions, again.labels, again.skipped) == (0, 0, 7)
    assert len(landed(landing, "syllable")) == 5

    api.sessions[1]["duration"] = 42.0
    third = pull(url, landing)
    assert (third.sessions, third.labels) == (1, 0)

    result = dbt_build(landing, tmp_path / "dbt", select="+row_reconciliation")
    assert result.count("staging.stg_syllable__sessions") == 5
    assert result.count("staging.stg_syllable__session_labels") == 2
    assert (
        result.scalar(
            "select duration_seconds from staging.stg_syllable__sessions"
            " where session_id = '1002'"
        )
        == 42.0
    )
    rows = result.query(
        "select source_entity, sum(landed_rows), sum(staged_rows),"
        " sum(superseded_rows), sum(rejected_rows) from staging.row_reconciliation"
        " where source_system = 'syllable' group by all order by 1"
    )
    assert rows == [("session", 6, 5, 1, 0), ("session_label", 2, 2, 0, 0)]


def test_bad_key_is_a_clear_error_without_the_key(fake, tmp_path: Path):
    api, url = fake
    api.throttle_once = False
    with pytest.raises(ExtractError) as failure:
        pull(url, tmp_path, key="wrong-key")
    assert "HTTP 401" in str(failure.value) and "left undone" in str(failure.value)
    assert "wrong-key" not in str(failure.value)
    assert not (tmp_path / "syllable").exists()


def test_killed_run_resumes_without_loss_or_duplicates(fake, tmp_path: Path):
    """SIGKILL after the second sessions page is renamed, before the state has it."""
    _api, url = fake
    landing = tmp_path / "landing"
    args = [
        str(CLI), "extract", "syllable", "--landing-dir", str(landing),
        "--syllable-url", url, "--page-size", "2",
    ]  # fmt: skip
    env = dict(os.environ, SESSION_ANALYTICS_SYLLABLE_API_KEY="key-1")
    proc = subprocess.Popen(
        args,
        env={**env, "SESSION_ANALYTICS_EXTRACT_PAUSE": "syllable-sessions:2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    timer = threading.Timer(30, proc.kill)
    timer.start()
    try:
        reached = any("paused at syllable-sessions:2" in line for line in proc.stderr)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        timer.cancel()
        proc.stderr.close()
    assert reached
    assert [s["session_id"] for s in landed(landing, "syllable")] == [
        "1001", "1002", "1003", "1004",
    ]  # fmt: skip
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert [s["session_id"] for s in landed(landing, "syllable")] == [
        str(1000 + i) for i in range(1, 6)
    ]
    assert [x["id"] for x in landed(landing, "syllable_labels")] == [501, 502]
