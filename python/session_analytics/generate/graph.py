"""Microsoft Graph ``callRecord`` exports (Teams).

Daily pages ``graph/callRecords_<date>.json`` (``{"@odata.context", "value"}``),
JSON Lines ``graph/callRecords_<date>.jsonl`` on some days, and single-record
re-exports ``graph/callRecord_<date>_<id>.json`` written after the last day: a
higher ``version``, a later ``lastModifiedDateTime``, a filled ``endDateTime``
and an added feedback rating.
"""

from __future__ import annotations

import datetime as dt
import json
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
    dumps,
    guid,
    hex_token,
    iso7,
    iso_duration,
    lognormal,
    open_text,
    rng_for,
)

CONTEXT = (
    "https://graph.microsoft.com/v1.0/$metadata"
    "#communications/callRecords(sessions(segments()))"
)
JSONL_EVERY = 4  # day index % 4 == 1 is written as JSON Lines
PAGE_BYTES = 8_000_000
MAX_SESSIONS = 60
REEXPORT_CAP = 12

MODALITIES: tuple[str, ...] = (
    "audio", "video", "videoBasedScreenSharing", "screenSharing", "data",
)  # fmt: skip
LABEL = {
    "audio": "main-audio",
    "video": "main-video",
    "videoBasedScreenSharing": "applicationsharing-video",
    "screenSharing": "applicationsharing-rdp",
    "data": "data",
}
PLATFORM = Choice(
    [
        ("windows", 50.0), ("macOS", 12.0), ("iOS", 10.0), ("android", 9.0),
        ("web", 8.0), ("ipPhone", 3.0), ("roomSystem", 4.0), ("surfaceHub", 1.0),
        ("holoLens", 0.2), ("unknown", 2.8),
    ]
)  # fmt: skip
FAMILY = Choice(
    [
        ("teams", 90.0), ("skypeForBusiness", 4.0), ("lync", 1.0),
        ("azureCommunicationServices", 2.0), ("unknown", 3.0),
    ]
)  # fmt: skip
RATING = Choice(
    [
        ("good", 38.0), ("excellent", 25.0), ("fair", 12.0), ("poor", 8.0),
        ("bad", 5.0), ("notRated", 12.0),
    ]
)  # fmt: skip
DESK_CONNECTION = Choice(
    [("wired", 45.0), ("wifi", 45.0), ("tunnel", 6.0), ("unknown", 4.0)]
)
MOBILE = frozenset({"iOS", "android"})
WIRED = frozenset({"ipPhone", "roomSystem", "surfaceHub"})
SETUP_REASONS: tuple[str, ...] = (
    "MediaConnectivityFailure",
    "Call setup timed out",
    "ICE connectivity checks failed",
)
MIDCALL_REASONS: tuple[str, ...] = (
    "Media connectivity lost",
    "Network disconnected",
    "Unexpected server error",
)
DEVICES: tuple[tuple[str, str], ...] = (
    ("Headset Microphone (Jabra Evolve2 75)", "Headset Earphone (Jabra Evolve2 75)"),
    ("Microphone Array (Realtek(R) Audio)", "Speakers (Realtek(R) Audio)"),
    ("MacBook Pro Microphone", "MacBook Pro Speakers"),
    ("Echo Cancelling Speakerphone (Poly Sync 20)", "Poly Sync 20"),
    ("iPhone Microphone", "iPhone Receiver"),
)


class User:
    def __init__(self, rng: random.Random, tenant: str) -> None:
        first, last = fake.person(rng)
        self.id = guid(rng)
        self.identity = {
            "user": {
                "id": self.id,
                "displayName": fake.full_name(first, last),
                "userPrincipalName": fake.email(first, last, rng, "contoso.com"),
                "tenantId": tenant,
            }
        }


def _user_agent(rng: random.Random, platform: str, family: str) -> dict[str, Any]:
    major = rng.choice(("1.6.00", "1.7.00", "24033.811", "24043.1305"))
    version = f"{major}.{rng.randint(1000, 35000)}"
    if family == "skypeForBusiness":
        version = f"16.0.{rng.randint(10000, 17000)}.20{rng.randint(100, 999)}"
        header = f"UCCAPI/{version} OC/{version} (Skype for Business)"
    elif family == "lync":
        version = f"15.0.{rng.randint(4000, 5500)}.1000"
        header = f"UCCAPI/{version} OC/{version} (Microsoft Lync)"
    elif family == "azureCommunicationServices":
        version = f"{rng.randint(1, 2)}.{rng.randint(0, 20)}.1"
        header = f"azsdk-js-communication-calling/{version}"
    else:
        header = f"Mozilla/5.0 ({platform}) Teams/{version}"
    return {
        "@odata.type": "#microsoft.graph.callRecords.clientUserAgent",
        "headerValue": header,
        "applicationVersion": version,
        "platform": platform,
        "productFamily": family,
    }


class Party:
    """One participant of a session: identity, client and network."""

    def __init__(self, rng: random.Random, user: User) -> None:
        self.user = user
        self.platform = PLATFORM.pick(rng)
        self.family = FAMILY.pick(rng)
        self.agent = _user_agent(rng, self.platform, self.family)
        if self.platform in MOBILE:
            conn = "mobile" if chance(rng, 0.4) else "wifi"
        elif self.platform in WIRED:
            conn = "wired"
        else:
            conn = DESK_CONNECTION.pick(rng)
        self.connection = conn
        self.ip = fake.private_ipv4(rng) if conn != "mobile" else fake.ipv4(rng)
        self.device = rng.choice(DEVICES)
        # Share of sessions on a poor network: worse on wifi / mobile / tunnel.
        self.poor = chance(rng, {"wired": 0.01, "unknown": 0.03}.get(conn, 0.035))

    def endpoint(self, rng: random.Random, feedback: bool) -> dict[str, Any]:
        ep: dict[str, Any] = {
            "@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
            "name": self.user.identity["user"]["displayName"],
            "userAgent": self.agent,
            "identity": self.user.identity,
        }
        if feedback:
            ep["feedback"] = _feedback(rng)
        return ep

    def network(self, rng: random.Random) -> dict[str, Any]:
        net: dict[str, Any] = {
            "connectionType": self.connection,
            "ipAddress": self.ip,
            "subnet": self.ip.rsplit(".", 1)[0] + ".0",
            "linkSpeed": rng.choice((100_000_000, 1_000_000_000, 54_000_000)),
        }
        if self.connection == "wifi":
            net["wifiSignalStrength"] = rng.randint(35, 100)
        return net


def _feedback(rng: random.Random) -> dict[str, Any]:
    return {"rating": RATING.pick(rng), "text": None, "tokens": {}}


def _server_endpoint() -> dict[str, Any]:
    return {
        "@odata.type": "#microsoft.graph.callRecords.serviceEndpoint",
        "userAgent": {
            "@odata.type": "#microsoft.graph.callRecords.serviceUserAgent",
            "headerValue": "Microsoft.Skype.Teams.Conferencing/2024.3",
            "role": "conferencing",
        },
    }


def _r(x: float, digits: int = 4) -> float:
    return round(x, digits)


AUDIO_KEYS = (
    "averageAudioDegradation", "averageRatioOfConcealedSamples", "packetUtilization",
)  # fmt: skip
VIDEO_KEYS = (
    "averageVideoFrameRate", "averageVideoFrameLossPercentage",
    "postForwardErrorCorrectionPacketLossRate",
)  # fmt: skip
NETWORK_KEYS = (
    "averageJitter", "maxJitter", "averageRoundTripTime", "maxRoundTripTime",
    "averagePacketLossRate", "maxPacketLossRate",
)  # fmt: skip


def _stream(
    rng: random.Random,
    direction: str,
    modality: str,
    seconds: float,
    poor: bool,
    metrics: bool,
) -> dict[str, Any]:
    s: dict[str, Any] = {
        "streamId": str(rng.randint(10**8, 4 * 10**9)),
        "streamDirection": direction,
    }
    keys = NETWORK_KEYS + AUDIO_KEYS + VIDEO_KEYS
    if not metrics or modality == "data":
        if chance(rng, 0.5):  # Graph sends nulls; some exports drop them
            s.update(dict.fromkeys(keys))
        s["wasMediaBypassed"] = False
        return s

    def bad(lo: float, hi: float) -> float:
        return rng.uniform(lo, hi) if poor else 1.0

    jitter = lognormal(rng, 0.008, 0.6) * bad(2.5, 8.0)
    rtt = lognormal(rng, 0.06, 0.6) * bad(3.0, 12.0)
    loss = min(0.9, lognormal(rng, 0.004, 1.0) * bad(5.0, 40.0))
    s["averageJitter"] = iso_duration(jitter)
    s["maxJitter"] = iso_duration(jitter * rng.uniform(1.3, 3.0))
    s["averageRoundTripTime"] = iso_duration(rtt)
    s["maxRoundTripTime"] = iso_duration(rtt * rng.uniform(1.2, 2.5))
    s["averagePacketLossRate"] = _r(loss)
    s["maxPacketLossRate"] = _r(min(1.0, loss * rng.uniform(1.5, 4.0)))
    if modality == "audio":
        s["averageAudioDegradation"] = _r(lognormal(rng, 0.25, 0.6) * bad(2.0, 6.0))
        s["averageRatioOfConcealedSamples"] = _r(
            min(1.0, lognormal(rng, 0.01, 0.8) * bad(3.0, 10.0))
        )
        s["packetUtilization"] = int(seconds * rng.uniform(44.0, 50.0))
    else:
        s["averageAudioDegradation"] = None
        s["averageRatioOfConcealedSamples"] = None
        s["packetUtilization"] = int(seconds * rng.uniform(80.0, 400.0))
    if modality in ("video", "videoBasedScreenSharing"):
        sharing = modality == "videoBasedScreenSharing"
        if sharing:
            rate = lognormal(rng, 5.0, 0.5) * (rng.uniform(0.15, 0.6) if poor else 1)
        else:
            rate = max(0.5, rng.gauss(24.0, 5.0)) * (
                rng.uniform(0.1, 0.45) if poor else 1
            )
        frame_loss = min(100.0, lognormal(rng, 1.5, 1.0) * bad(10.0, 50.0))
        fec = min(1.0, lognormal(rng, 0.005, 1.0) * bad(5.0, 40.0))
        has_loss = chance(rng, 0.85)
        has_rate = has_loss or chance(rng, 0.8)
        s["averageVideoFrameRate"] = _r(rate, 2) if has_rate else None
        s["averageVideoFrameLossPercentage"] = _r(frame_loss, 2) if has_loss else None
        s["postForwardErrorCorrectionPacketLossRate"] = _r(fec)
    else:
        s.update(dict.fromkeys(VIDEO_KEYS))
    s["wasMediaBypassed"] = False
    return s


class GraphWriter:
    """Call records: peer-to-peer calls and group calls with many sessions."""

    system = "graph"
    id_blocks: tuple[IdBlock, ...] = ()  # keys are times / GUIDs drawn per day

    def __init__(self, out_dir: Path, seed: int, jsonl_only: bool = False) -> None:
        self.folder = out_dir / "graph"
        self.seed = seed
        self.jsonl_only = jsonl_only
        self.curve = ArrivalCurve()
        setup = rng_for(seed, self.system, "users")
        self.tenant = guid(setup)
        self.users = [User(setup, self.tenant) for _ in range(400)]
        self.records = 0
        self.sessions = 0
        self.reexported = 0
        self._reexport: list[str] = []
        self._last: str | None = None

    # ----------------------------------------------------------------- days

    def _sink(self, day: dt.date, jsonl: bool) -> ObjectSink:
        stem = f"callRecords_{day.isoformat()}"
        if jsonl:
            return JsonlWriter(self.folder / f"{stem}.jsonl")

        def path_for(page: int) -> Path:
            suffix = f"_{page + 1}" if page else ""
            return self.folder / f"{stem}{suffix}.json"

        def tail(page: int, last: bool) -> str:
            if last:
                return "}"
            link = (
                "https://graph.microsoft.com/v1.0/communications/callRecords"
                f"?$skiptoken={day.isoformat()}-{page + 1}"
            )
            return f',"@odata.nextLink":"{link}"}}'

        head = f'{{"@odata.context":"{CONTEXT}","value":['
        return PageWriter(path_for, head, tail, max_bytes=PAGE_BYTES)

    def write_day(self, index: int, day: dt.date, n: int) -> list[Path]:
        rng = rng_for(self.seed, self.system, day.isoformat())
        sizes: list[tuple[int, bool]] = []  # (sessions, is group call)
        left = n
        while left > 0:
            if chance(rng, 0.7):
                size, group = 1, chance(rng, 0.1)  # lone meeting joiner
            else:
                size = min(MAX_SESSIONS, 2 + int(lognormal(rng, 2.5, 0.9)))
                group = True
            size = min(size, left)
            sizes.append((size, group))
            left -= size
        times = self.curve.times(rng, day, len(sizes))
        sink = self._sink(day, self.jsonl_only or index % JSONL_EVERY == 1)
        for t, (size, group) in zip(times, sizes, strict=True):
            record = self._record(rng, t, size, group)
            text = dumps(record)
            sink.write(record)
            self._keep(rng, record, text)
        self.records += len(sizes)
        self.sessions += n
        return sink.close()

    def _keep(self, rng: random.Random, record: dict[str, Any], text: str) -> None:
        self._last = text
        open_record = "endDateTime" not in record
        if len(self._reexport) < REEXPORT_CAP and (
            (open_record and chance(rng, 0.5)) or chance(rng, 0.003)
        ):
            self._reexport.append(text)

    # -------------------------------------------------------------- records

    def _record(
        self, rng: random.Random, start: dt.datetime, n_sessions: int, group: bool
    ) -> dict[str, Any]:
        organizer = rng.choice(self.users)
        open_record = chance(rng, 0.01)
        median, sigma = (1500.0, 0.6) if group else (180.0, 1.1)
        meeting = lognormal(rng, median, sigma)
        sessions: list[dict[str, Any]] = []
        modalities: set[str] = set()
        end = start
        for i in range(n_sessions):
            caller_user = organizer if i == 0 else rng.choice(self.users)
            offset = 0.0 if i == 0 else min(meeting * 0.8, rng.expovariate(1 / 120))
            s_start = start + dt.timedelta(seconds=offset + rng.uniform(0.0, 1.5))
            length = max(1.0, (meeting - offset) * rng.uniform(0.6, 1.0))
            session, s_end, mods = self._session(
                rng, caller_user, s_start, length, group, open_record
            )
            sessions.append(session)
            modalities.update(mods)
            end = max(end, s_end)
        modified = end + dt.timedelta(minutes=rng.uniform(5.0, 40.0))
        record: dict[str, Any] = {
            "id": guid(rng),
            "version": 2 if chance(rng, 0.1) else 1,
            "type": "groupCall" if group else "peerToPeer",
            "modalities": [m for m in MODALITIES if m in modalities],
            "lastModifiedDateTime": iso7(modified),
            "startDateTime": iso7(start),
        }
        if not open_record:
            record["endDateTime"] = iso7(end)
        if group:
            thread = hex_token(rng, 16)
            record["joinWebUrl"] = (
                "https://teams.microsoft.com/l/meetup-join/"
                f"19%3ameeting_{thread}%40thread.v2/0"
            )
        else:
            record["joinWebUrl"] = None
        record["organizer_v2"] = {"id": organizer.id, "identity": organizer.identity}
        record["sessions"] = sessions
        return record

    def _session(
        self,
        rng: random.Random,
        caller_user: User,
        start: dt.datetime,
        length: float,
        group: bool,
        open_record: bool,
    ) -> tuple[dict[str, Any], dt.datetime, list[str]]:
        caller = Party(rng, caller_user)
        callee = None if group else Party(rng, rng.choice(self.users))
        mods = ["audio"] if chance(rng, 0.97) else []
        if chance(rng, 0.35):
            mods.append("video")
        if chance(rng, 0.15 if group else 0.05):
            mods.append("videoBasedScreenSharing")
        if chance(rng, 0.03):
            mods.append("screenSharing")
        if chance(rng, 0.02) or not mods:
            mods.append("data")
        failure: dict[str, str] | None = None
        roll = rng.random()
        if roll < 0.02:
            failure = {"stage": "callSetup", "reason": rng.choice(SETUP_REASONS)}
            length = rng.uniform(0.5, 8.0)
        elif roll < 0.035:
            failure = {"stage": "midcall", "reason": rng.choice(MIDCALL_REASONS)}
            length *= rng.uniform(0.05, 0.9)
        end = start + dt.timedelta(seconds=length)
        poor = caller.poor or (callee is not None and callee.poor)
        metrics = failure is None or failure["stage"] != "callSetup"
        if length < 3.0 or chance(rng, 0.03):
            metrics = False  # too short / no QoE report: unclassified streams
        caller_fb = chance(rng, 0.1)
        callee_fb = callee is not None and chance(rng, 0.1)
        session: dict[str, Any] = {
            "id": guid(rng),
            "modalities": mods,
            "isTest": chance(rng, 0.005),
            "startDateTime": iso7(start),
        }
        if not open_record:
            session["endDateTime"] = iso7(end)
        if failure is not None:
            session["failureInfo"] = failure
        session["caller"] = caller.endpoint(rng, caller_fb)
        session["callee"] = (
            callee.endpoint(rng, callee_fb) if callee else _server_endpoint()
        )
        cuts = [0.0, length]
        if length > 60 and chance(rng, 0.1):
            cuts.insert(1, length * rng.uniform(0.2, 0.8))
        segments = []
        for k in range(len(cuts) - 1):
            seg_start = start + dt.timedelta(seconds=cuts[k])
            seg_end = start + dt.timedelta(seconds=cuts[k + 1])
            last = k == len(cuts) - 2
            seg: dict[str, Any] = {
                "id": guid(rng),
                "startDateTime": iso7(seg_start),
            }
            if not (open_record and last):
                seg["endDateTime"] = iso7(seg_end)
            seg["failureInfo"] = failure if last else None
            seg["caller"] = caller.endpoint(rng, False)
            seg["callee"] = (
                callee.endpoint(rng, False) if callee else _server_endpoint()
            )
            seconds = cuts[k + 1] - cuts[k]
            seg["media"] = [
                self._media(rng, m, seconds, caller, callee, poor, metrics)
                for m in mods
            ]
            segments.append(seg)
        session["segments"] = segments
        return session, end, mods

    def _media(
        self,
        rng: random.Random,
        modality: str,
        seconds: float,
        caller: Party,
        callee: Party | None,
        poor: bool,
        metrics: bool,
    ) -> dict[str, Any]:
        media: dict[str, Any] = {
            "label": LABEL[modality],
            "callerNetwork": caller.network(rng),
        }
        if callee is not None:
            media["calleeNetwork"] = callee.network(rng)
        if modality == "audio":
            media["callerDevice"] = {
                "captureDeviceName": caller.device[0],
                "renderDeviceName": caller.device[1],
            }
            if callee is not None:
                media["calleeDevice"] = {
                    "captureDeviceName": callee.device[0],
                    "renderDeviceName": callee.device[1],
                }
        media["streams"] = [
            _stream(rng, direction, modality, seconds, poor, metrics)
            for direction in ("callerToCallee", "calleeToCaller")
        ]
        return media

    # ------------------------------------------------------------ re-exports

    def finish(self, next_day: dt.date) -> list[Path]:
        texts = self._reexport or ([self._last] if self._last else [])
        paths: list[Path] = []
        rng = rng_for(self.seed, self.system, "reexport")
        for text in texts:
            record = json.loads(text)
            record["version"] += 1
            end = _parse(record["sessions"][0]["startDateTime"])
            for session in record["sessions"]:
                start = _parse(session["startDateTime"])
                if "endDateTime" not in session:
                    session_end = start + dt.timedelta(minutes=rng.uniform(1.0, 60.0))
                    session["endDateTime"] = iso7(session_end)
                    for seg in session["segments"]:
                        seg.setdefault("endDateTime", session["endDateTime"])
                end = max(end, _parse(session["endDateTime"]))
            record.setdefault("endDateTime", iso7(end))
            first = record["sessions"][0]["caller"]
            first["feedback"] = _feedback(rng)
            modified = max(_parse(record["lastModifiedDateTime"]), end) + dt.timedelta(
                hours=rng.uniform(6.0, 48.0)
            )
            record["lastModifiedDateTime"] = iso7(modified)
            path = self.folder / f"callRecord_{modified:%Y-%m-%d}_{record['id']}.json"
            with open_text(path) as fh:
                fh.write(dumps(record) + "\n")
            paths.append(path)
        self.reexported = len(paths)
        self._reexport = []
        return paths

    def counts(self) -> dict[str, int]:
        return {
            "graph_call_records": self.records,
            "graph_sessions": self.sessions,
            "graph_call_record_reexports": self.reexported,
        }


def _parse(text: str) -> dt.datetime:
    return dt.datetime.strptime(text[:26], "%Y-%m-%dT%H:%M:%S.%f")
