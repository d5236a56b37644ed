"""`session-analytics extract graph` against a fake Microsoft Graph on 127.0.0.1.

The fake serves the documented shapes (REFERENCE.md §8, §9): list pages of
`{"@odata.context", "value", "@odata.nextLink"}`, one record whose sessions come in
two pages (`sessions@odata.nextLink`), getPstnCalls / getDirectRoutingCalls pages,
plus faults: a 429 with Retry-After: 0, a 503, a 500 and an expired token (401).

Hand count of the fixture: 5 call records (rec-1 … rec-5) in the window; rec-3 has
2 sessions, the second on a second page; rec-2 is later updated to version 2. Every
session has one segment with one main-audio media of two streams.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from dbt_harness import dbt_build

pytest.importorskip("pytest_httpserver")
from werkzeug import Request, Response  # noqa: E402

from session_analytics.extract.auth import (  # noqa: E402
    GRAPH_TOKEN_ENV,
    REPO_ROOT,
    CredentialToken,
    graph_auth,
    graph_scope,
)
from session_analytics.extract.common import (  # noqa: E402
    GRAPH_URL,
    ExtractError,
    plan_window,
)
from session_analytics.extract.graph import (  # noqa: E402
    RETENTION,
    GraphOptions,
    extract_graph,
)
from session_analytics.extract.http import (  # noqa: E402
    HttpClient,
    RateLimiter,
    RetryPolicy,
    retry_after_seconds,
)

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DAY0 = (NOW - dt.timedelta(hours=12)).replace(minute=0, second=0)  # records: +1..+5 h
CLI = Path(sys.executable).parent / "session-analytics"


def iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.1234567Z")


def _endpoint(name: str) -> dict:
    return {
        "@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
        "userAgent": {"platform": "windows", "productFamily": "teams"},
        "identity": {"user": {"id": f"u-{name}", "displayName": name.title()}},
    }


def _session(record: int, n: int, start: dt.datetime) -> dict:
    end = start + dt.timedelta(minutes=5)
    return {
        "id": f"s-{record}-{n}",
        "modalities": ["audio"],
        "isTest": False,
        "startDateTime": iso(start),
        "endDateTime": iso(end),
        "caller": _endpoint("anna"),
        "callee": _endpoint("bo"),
        "segments": [
            {
                "id": f"g-{record}-{n}",
                "startDateTime": iso(start),
                "endDateTime": iso(end),
                "caller": _endpoint("anna"),
                "callee": _endpoint("bo"),
                "media": [
                    {
                        "label": "main-audio",
                        "callerNetwork": {"connectionType": "wifi"},
                        "calleeNetwork": {"connectionType": "wired"},
                        "streams": [
                            {
                                "streamId": f"{record}{n}1",
                                "streamDirection": "callerToCallee",
                                "averageJitter": "PT0.016S",
                                "averageRoundTripTime": "PT0.061S",
                                "averagePacketLossRate": 0.01,
                            },
                            {
                                "streamId": f"{record}{n}2",
                                "streamDirection": "calleeToCaller",
                                "averageJitter": "PT0.01S",
                                "averageRoundTripTime": "PT0.05S",
                                "averagePacketLossRate": 0.0,
                            },
                        ],
                    }
                ],
            }
        ],
    }


class FakeGraph:
    """A tiny Graph: callRecords list + get, getPstnCalls, getDirectRoutingCalls."""

    PAGE = 2  # list page size (Graph's default is 60)

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")  # e.g. http://127.0.0.1:PORT/v1.0
        self.records: dict[str, dict] = {}
        for i in range(1, 6):
            start = DAY0 + dt.timedelta(hours=i)
            sessions = [_session(i, 1, start)]
            if i == 3:
                sessions.append(_session(i, 2, start + dt.timedelta(minutes=1)))
            self.records[f"rec-{i}"] = {
                "@odata.context": f"{self.base}/$metadata#communications/callRecords",
                "id": f"rec-{i}",
                "version": 1,
                "type": "peerToPeer",
                "modalities": ["audio"],
                "lastModifiedDateTime": iso(start + dt.timedelta(hours=1)),
                "startDateTime": iso(start),
                "endDateTime": iso(start + dt.timedelta(minutes=6)),
                "sessions": sessions,
            }
        self.faults: dict[str, list[Response]] = {}  # path -> responses to serve first
        self.expired_tokens: set[str] = set()
        self.expire_after: tuple[int, str] | None = None  # (requests, token)
        self.hits: list[str] = []
        self.tokens: list[str] = []

    def update(self, record_id: str) -> None:
        """A later version: one more session."""
        record = self.records[record_id]
        record["version"] += 1
        start = dt.datetime.fromisoformat(record["startDateTime"][:19])
        record["sessions"].append(_session(9, record["version"], start))

    def _json(self, body: dict, status: int = 200) -> Response:
        return Response(json.dumps(body), status, content_type="application/json")

    def __call__(self, request: Request) -> Response:
        path = request.path
        self.hits.append(path)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.tokens.append(token)
        if self.expire_after and len(self.hits) > self.expire_after[0]:
            self.expired_tokens.add(self.expire_after[1])
        if token in self.expired_tokens or not token:
            return self._json({"error": {"code": "InvalidAuthenticationToken"}}, 401)
        queued = self.faults.get(path)
        if queued:
            return queued.pop(0)
        prefix = urlsplit(self.base).path + "/communications/callRecords"
        rest = path[len(prefix) :]
        args = {k: v[0] for k, v in parse_qs(request.query_string.decode()).items()}
        if rest == "":
            return self._list(args)
        if rest.startswith("/getPstnCalls(") or rest.startswith(
            "/getDirectRoutingCalls("
        ):
            return self._report(rest, args)
        match = re.fullmatch(r"/([^/]+)(/sessions)?", rest)
        if match and match.group(1) in self.records:
            record = json.loads(json.dumps(self.records[match.group(1)]))
            if match.group(2):  # the second sessions page
                return self._json({"value": record["sessions"][1:]})
            assert args.get("$expand") == "sessions($expand=segments)"
            if len(record["sessions"]) > 1:
                link = f"{self.base}/communications/callRecords/{record['id']}/sessions"
                record["sessions@odata.nextLink"] = link + "?$skiptoken=1"
                record["sessions"] = record["sessions"][:1]
            return self._json(record)
        return self._json({"error": {"code": "NotFound", "path": path}}, 404)

    def _list(self, args: dict[str, str]) -> Response:
        found = re.fullmatch(
            r"startDateTime ge (\S+) and startDateTime lt (\S+)", args["$filter"]
        )
        assert found, args
        since, until = (dt.datetime.fromisoformat(v) for v in found.groups())
        rows = [
            {k: v for k, v in r.items() if k != "sessions"}
            for r in self.records.values()
            if since <= dt.datetime.fromisoformat(r["startDateTime"][:19] + "+00:00")
            and dt.datetime.fromisoformat(r["startDateTime"][:19] + "+00:00") < until
        ]
        skip = int(args.get("$skiptoken", 0))
        page = {
            "@odata.context": f"{self.base}/$metadata#communications/callRecords",
            "value": rows[skip : skip + self.PAGE],
        }
        if skip + self.PAGE < len(rows):
            page["@odata.nextLink"] = (
                f"{self.base}/communications/callRecords?$filter="
                + args["$filter"].replace(" ", "%20")
                + f"&$skiptoken={skip + self.PAGE}"
            )
        return self._json(page)

    def _report(self, rest: str, args: dict[str, str]) -> Response:
        pstn = rest.startswith("/getPstnCalls(")
        rows = [_pstn_row(n) if pstn else _direct_routing_row(n) for n in range(1, 4)]
        second = args.get("$skip") == "2"
        page = {
            "@odata.context": f"{self.base}/$metadata#Collection(pstnCallLogRow)",
            "@odata.count": 1 if second else 2,
            "value": rows[2:] if second else rows[:2],
        }
        if not second:
            page["@odata.nextLink"] = f"{self.base}/communications/callRecords{rest}"
            page["@odata.nextLink"] += "?$skip=2"
        return self._json(page)


def _pstn_row(n: int) -> dict:
    start = DAY0 + dt.timedelta(hours=n)
    return {
        "id": f"pstn-{n}",
        "callId": f"call-{n}",
        "userId": "u-anna",
        "userPrincipalName": "anna@example.com",
        "userDisplayName": "Anna Berg",
        "startDateTime": iso(start),
        "endDateTime": iso(start + dt.timedelta(minutes=3)),
        "duration": 180,
        "charge": 0.1,
        "currency": "EUR",
        "callType": "user_out",
        "calleeNumber": "+4722000000",
        "callerNumber": "+4722111111",
    }


def _direct_routing_row(n: int) -> dict:
    start = DAY0 + dt.timedelta(hours=n)
    return {
        "id": f"dr-{n}",
        "correlationId": f"rec-{n}",
        "userId": "u-anna",
        "userPrincipalName": "anna@example.com",
        "startDateTime": iso(start),
        "inviteDateTime": iso(start),
        "failureDateTime": "0001-01-01T00:00:00Z",
        "endDateTime": iso(start + dt.timedelta(minutes=3)),
        "duration": 180,
        "callType": "ByotOut",
        "successfulCall": True,
        "finalSipCode": 0,
        "trunkFullyQualifiedDomainName": "sbc.example.com",
    }


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """The fake API listens on 127.0.0.1 only (any free port)."""
    return ("127.0.0.1", 0)


@pytest.fixture
def graph(httpserver) -> FakeGraph:
    fake = FakeGraph(httpserver.url_for("/v1.0"))
    httpserver.expect_request(re.compile(r"/v1\.0/.*")).respond_with_handler(fake)
    return fake


class Tokens:
    """token-1, then token-2 after a refresh."""

    def __init__(self) -> None:
        self.refreshes = 0

    def token(self) -> str:
        return "token-1"

    def refresh(self) -> str:
        self.refreshes += 1
        return "token-2"


def run_extract(graph: FakeGraph, landing: Path, sleeps: list[float], **kw):
    tokens = kw.pop("tokens", None) or Tokens()
    now = kw.pop("now", None)
    client = HttpClient(
        graph.base,
        tokens,
        policy=RetryPolicy(max_tries=kw.pop("max_tries", 4)),
        sleep=sleeps.append,
        jitter=lambda: 0.5,
    )
    with client:
        options = GraphOptions(landing_dir=landing, progress=False, **kw)
        return extract_graph(options, client, sleep=sleeps.append, now=now)


def landed_records(landing: Path) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted((landing / "graph").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def report_rows(landing: Path, folder: str) -> list[str]:
    return [
        row["id"]
        for path in sorted((landing / folder).glob("*.json"))
        for row in json.loads(path.read_text(encoding="utf-8"))["value"]
    ]


def test_pages_faults_rerun_update_and_dbt_build(graph: FakeGraph, tmp_path: Path):
    landing = tmp_path / "landing"
    list_path = "/v1.0/communications/callRecords"
    graph.faults[list_path] = [Response("slow down", 429, headers={"Retry-After": "0"})]
    graph.faults[f"{list_path}/rec-2"] = [Response("busy", 503)]
    graph.faults[f"{list_path}/rec-4"] = [Response("oops", 500)]
    graph.expire_after = (6, "token-1")  # the 7th request on finds token-1 expired
    sleeps: list[float] = []
    tokens = Tokens()

    first = run_extract(graph, landing, sleeps, tokens=tokens)

    records = landed_records(landing)
    # every record once, complete: rec-3's two session pages merged, links dropped
    assert sorted(r["id"] for r in records) == [f"rec-{i}" for i in range(1, 6)]
    by_id = {r["id"]: r for r in records}
    assert [s["id"] for s in by_id["rec-3"]["sessions"]] == ["s-3-1", "s-3-2"]
    assert not [k for r in records for k in r if "nextLink" in k]
    assert by_id["rec-1"]["sessions"][0]["segments"][0]["media"][0]["streams"]
    assert (first.listed, first.landed, first.skipped) == (5, 5, 0)
    # faults: Retry-After 0 honoured, 503 and 500 backed off (base 1 s * 2**0 * 0.5)
    assert sleeps.count(0.0) == 1 and sleeps.count(0.5) == 2
    assert tokens.refreshes == 1 and graph.tokens[-1] == "token-2"
    assert f"{list_path}/rec-3/sessions" in graph.hits
    # PSTN / Direct Routing: 3 rows over two pages each, one page object per file
    assert report_rows(landing, "graph_pstn") == ["pstn-1", "pstn-2", "pstn-3"]
    assert report_rows(landing, "graph_direct_routing") == ["dr-1", "dr-2", "dr-3"]
    page = json.loads(next((landing / "graph_pstn").glob("*.json")).read_text())
    assert "@odata.nextLink" not in page and page["@odata.count"] == 3
    state = json.loads((landing / ".extract_state" / "graph.json").read_text())
    assert state["until"] == first.window.until.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "token" not in json.dumps(state)

    # a rerun (window from the checkpoint minus 24 h overlap) lands nothing twice
    files_before = sorted(p.name for p in landing.rglob("*.json*"))
    graph.expired_tokens.clear()
    graph.expire_after = None
    second = run_extract(graph, landing, [], tokens=Tokens())
    assert second.window.since == first.window.until - dt.timedelta(hours=24)
    assert (second.landed, second.skipped) == (0, 5)
    assert sorted(p.name for p in landing.rglob("*.json*")) == files_before
    assert len(landed_records(landing)) == 5

    # rec-2 updated (version 2, one more session): only it lands again
    graph.update("rec-2")
    third = run_extract(graph, landing, [], tokens=Tokens())
    assert (third.landed, third.skipped) == (1, 4)
    records = landed_records(landing)
    assert len(records) == 6
    assert sorted(r["version"] for r in records if r["id"] == "rec-2") == [1, 2]

    # dbt: the output builds, v2 wins, every landed row is staged or superseded
    result = dbt_build(landing, tmp_path / "dbt", select="+row_reconciliation")

    # the readers see exactly the landed record files: no checkpoint, no .part file
    def landed(where: str) -> set[str]:
        return {
            Path(f).name
            for (f,) in result.query(
                f"select source_file from staging.landed_files where {where}"
            )
        }

    seen = landed("landing_folder = 'graph'")
    assert seen == {p.name for p in (landing / "graph").glob("*.jsonl")}
    assert len(seen) == 2  # run 1 (5 records, one file), run 3 (rec-2 v2)
    # the PSTN and Direct Routing pages are read too (issue 17), nothing else
    reports = {
        p.name
        for folder in ("graph_pstn", "graph_direct_routing")
        for p in (landing / folder).glob("*.json")
    }
    assert reports and landed("landing_folder != 'graph'") == reports
    assert result.count("staging.stg_graph__call_records") == 5
    # sessions: 5 records with 1 session + rec-3's second + rec-2 v2's second = 7
    assert result.count("staging.stg_graph__sessions") == 7
    assert (
        result.scalar(
            "select version from staging.stg_graph__call_records where call_record_id"
            " = 'rec-2'"
        )
        == 2
    )
    rows = result.query(
        "select source_file, landed_rows, staged_rows, superseded_rows, rejected_rows"
        " from staging.row_reconciliation"
        " where source_system = 'graph' and source_entity = 'call_record'"
    )
    assert sum(r[1] for r in rows) == 6  # 6 lines landed
    assert sum(r[2] for r in rows) == 5 and sum(r[3] for r in rows) == 1
    assert all(r[1] == r[2] + r[3] + r[4] for r in rows)
    assert sum(r[4] for r in rows) == 0


def test_gives_up_naming_the_window(graph: FakeGraph, tmp_path: Path):
    graph.faults["/v1.0/communications/callRecords"] = [
        Response("busy", 503, headers={"Retry-After": "0"}) for _ in range(3)
    ]
    with pytest.raises(ExtractError) as failure:
        run_extract(graph, tmp_path, [], max_tries=3)
    message = str(failure.value)
    assert "gave up after 3 tries (last: HTTP 503)" in message
    assert "left undone" in message and "token" not in message
    assert not (tmp_path / ".extract_state").exists()


def test_refuses_next_link_to_another_host():
    client = HttpClient("http://127.0.0.1:9/v1.0", Tokens())
    with client, pytest.raises(ExtractError, match="another host"):
        client.url("http://example.invalid/v1.0/communications/callRecords")


@pytest.mark.parametrize("point", ["file:1", "record:3"])
def test_killed_run_resumes_without_loss_or_duplicates(
    graph: FakeGraph, tmp_path: Path, point: str
):
    """SIGKILL at a named point: after the first file is renamed but before the state
    records it (file:1), or mid-chunk after 3 records were fetched (record:3)."""
    landing = tmp_path / "landing"
    args = [
        str(CLI),
        "extract",
        "graph",
        "--landing-dir",
        str(landing),
        "--graph-url",
        graph.base,
        "--chunk-records",
        "2",
        "--no-pstn",
        "--no-direct-routing",
    ]
    env = dict(os.environ, SESSION_ANALYTICS_GRAPH_TOKEN="token-1")
    proc = subprocess.Popen(
        args,
        env={**env, "SESSION_ANALYTICS_EXTRACT_PAUSE": point},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    timer = threading.Timer(30, proc.kill)
    timer.start()
    try:
        lines = []
        for line in proc.stderr:
            lines.append(line)
            if f"extract: paused at {point}" in line:
                break
        else:
            pytest.fail(f"pause point {point} not reached: {''.join(lines)}")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        timer.cancel()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    # the first file (rec-1, rec-2) is on disk either way; no checkpoint yet
    assert sorted(r["id"] for r in landed_records(landing)) == ["rec-1", "rec-2"]
    state = landing / ".extract_state" / "graph.json"
    assert not state.exists() or json.loads(state.read_text())["until"] is None

    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert sorted(r["id"] for r in landed_records(landing)) == [
        f"rec-{i}" for i in range(1, 6)
    ]
    assert json.loads(state.read_text())["until"] is not None
    assert not list(landing.rglob("*.part"))


def test_refuses_the_bundled_sample(tmp_path: Path):
    done = subprocess.run(
        [str(CLI), "extract", "graph", "--landing-dir", "data/sample"],
        env=dict(os.environ, SESSION_ANALYTICS_GRAPH_TOKEN="secret-xyz"),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 1
    assert "data/sample is the bundled sample" in done.stderr
    assert "secret-xyz" not in done.stderr + done.stdout


def test_window_overlap_gap_warning_and_clamp():
    now = dt.datetime(2024, 4, 30, 12, tzinfo=dt.UTC)
    warnings: list[str] = []
    kw = {"overlap": dt.timedelta(hours=24), "now": now, "warn": warnings.append}
    recent = plan_window(
        checkpoint=now - dt.timedelta(hours=3), since=None, until=None,
        retention=RETENTION, **kw,
    )  # fmt: skip
    assert (recent.since, recent.until) == (now - dt.timedelta(hours=27), now)
    assert warnings == []
    # a checkpoint 40 days old: 10 days are gone; start at the 30 days kept
    old = plan_window(
        checkpoint=now - dt.timedelta(days=40), since=None, until=None,
        retention=RETENTION, **kw,
    )  # fmt: skip
    assert old.since == now - dt.timedelta(days=30)
    assert len(warnings) == 1 and "already gone" in warnings[0]
    assert "2024-03-21T12:00:00Z and 2024-03-31T12:00:00Z" in warnings[0]
    with pytest.raises(ExtractError, match="empty window"):
        plan_window(
            checkpoint=None, since=now, until=now, retention=RETENTION, **kw
        )  # fmt: skip


def test_dry_run_writes_nothing(graph: FakeGraph, tmp_path: Path):
    result = run_extract(graph, tmp_path / "landing", [], dry_run=True)
    assert (result.listed, result.skipped) == (5, 0)
    assert result.report_rows == {"graph_pstn": 3, "graph_direct_routing": 3}
    assert not (tmp_path / "landing").exists()
    assert not [h for h in graph.hits if h.endswith("/rec-1")]  # no record fetched


def test_auth_sources_and_secrets(tmp_path: Path, monkeypatch):
    monkeypatch.delenv(GRAPH_TOKEN_ENV, raising=False)
    for name in ("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ExtractError, match="no Graph credentials"):
        graph_auth(GRAPH_URL)
    inside = REPO_ROOT / "python" / "graph.json"
    with pytest.raises(ExtractError, match="inside the repository"):
        graph_auth(GRAPH_URL, str(inside))
    config = tmp_path / "graph.json"
    config.write_text(
        json.dumps({"tenant_id": "t", "client_id": "c", "client_secret": "s3cr3t"})
    )
    config.chmod(0o600)
    provider = graph_auth(GRAPH_URL, str(config))
    assert isinstance(provider, CredentialToken)
    # builds the azure-identity credential (no network until a token is asked for)
    assert type(provider._make()).__name__ == "ClientSecretCredential"

    def failing() -> object:
        raise RuntimeError("AADSTS7000215: invalid secret s3cr3t")

    with pytest.raises(ExtractError) as failure:
        CredentialToken(failing, "https://graph.microsoft.com/.default").token()
    assert "s3cr3t" not in str(failure.value) and failure.value.__cause__ is None
    monkeypatch.setenv(GRAPH_TOKEN_ENV, "pre-issued")
    assert graph_auth(GRAPH_URL, str(config)).token() == "pre-issued"
    assert graph_scope("https://graph.microsoft.us/v1.0") == (
        "https://graph.microsoft.us/.default"
    )


def test_retry_after_forms():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    later = email.utils.format_datetime(
        dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30), usegmt=True
    )
    assert 25 <= retry_after_seconds(later) <= 30


def test_state_forgets_records_behind_the_overlap(graph: FakeGraph, tmp_path: Path):
    """Five days later the records (12 h old today) are behind checkpoint - overlap -
    1 day of margin: the next window cannot list them, so the state drops them."""
    later = NOW + dt.timedelta(days=5)
    first = run_extract(graph, tmp_path, [], now=later)
    assert first.landed == 5
    state = json.loads((tmp_path / ".extract_state" / "graph.json").read_text())
    assert state["records"] == {} and state["rows"] == {
        "graph_pstn": {},
        "graph_direct_routing": {},
    }
    again = run_extract(graph, tmp_path, [], now=later)
    assert again.window.since == later - dt.timedelta(hours=24)
    assert (again.listed, again.landed) == (0, 0)


def test_record_gone_between_list_and_get_is_skipped(graph: FakeGraph, tmp_path: Path):
    graph.faults["/v1.0/communications/callRecords/rec-4"] = [
        Response('{"error": {"code": "NotFound"}}', 404)
    ]
    warnings: list[str] = []
    client = HttpClient(graph.base, Tokens(), sleep=lambda s: None)
    options = GraphOptions(landing_dir=tmp_path, progress=False, reports=())
    with client:
        result = extract_graph(options, client, warn=warnings.append)
    assert result.gone == ["rec-4"] and result.landed == 4
    assert warnings == ["call record rec-4 was listed but is gone (404): skipped"]
    assert sorted(r["id"] for r in landed_records(tmp_path)) == [
        "rec-1", "rec-2", "rec-3", "rec-5",
    ]  # fmt: skip


def test_rate_limiter_waits_for_the_oldest_request_to_leave_the_window():
    clock = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += seconds

    limiter = RateLimiter(2, 20.0, clock=lambda: clock[0], sleep=sleep)
    limiter.acquire()  # t=100
    clock[0] = 105.0
    limiter.acquire()  # t=105: 2 in the window
    clock[0] = 110.0
    limiter.acquire()  # the one at t=100 leaves at t=120: wait 10 s
    assert waits == [10.0] and clock[0] == 120.0
    clock[0] = 126.0
    limiter.acquire()  # t=105 left at 125: no wait
    assert waits == [10.0]
