"""Microsoft Graph PSTN and Direct Routing call reports (REFERENCE.md section 9).

``graph_pstn/PstnCalls_<date>.json`` and
``graph_direct_routing/DirectRoutingCalls_<date>.json`` hold one ``getPstnCalls`` /
``getDirectRoutingCalls`` page per day
(``{"@odata.context", "@odata.count", "value"}``). Direct Routing attempts end with a
final SIP code drawn from a fixed mix (answered, busy, no answer, declined, network
failures) through a few SBCs; PSTN rows are connected Calling Plan calls with charges.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

from .common import Choice, IdBlock, dumps, guid, open_text, rng_for

CONTEXT = (
    "https://graph.microsoft.com/v1.0/$metadata"
    "#Collection(microsoft.graph.callRecords.{})"
)
NO_FAILURE = "0001-01-01T00:00:00Z"
SBCS = Choice(
    [("sbc1.contoso.example", 55.0), ("sbc2.contoso.example", 35.0),
     ("sbc-dr.fabrikam.example", 10.0)]
)  # fmt: skip
# (finalSipCode, callEndSubReason, phrase, answered)
OUTCOMES = Choice(
    [
        ((200, 0, "BYE", True), 70.0), ((486, 560486, "Busy Here", False), 8.0),
        ((487, 540487, "Request Terminated", False), 6.0),
        ((480, 560480, "Temporarily Unavailable", False), 5.0),
        ((603, 560603, "Decline", False), 2.0),
        ((408, 560408, "Request Timeout", False), 2.0),
        ((503, 560503, "Service Unavailable", False), 3.0),
        ((500, 560500, "Server Internal Error", False), 2.0),
        ((404, 560404, "Not Found", False), 2.0),
    ]
)  # fmt: skip
PSTN_TYPES = Choice([("user_out", 55.0), ("user_in", 40.0), ("emergency", 1.0),
                     ("conf_in", 4.0)])  # fmt: skip


def _utc(t: dt.datetime) -> str:
    return f"{t:%Y-%m-%dT%H:%M:%S}Z"


def _number(rng: random.Random, prefix: str) -> str:
    return f"{prefix}{rng.randint(0, 9_999_999):07d}"


class TelephonyWriter:
    """PSTN and Direct Routing report pages, one of each per day."""

    id_blocks: tuple[IdBlock, ...] = ()

    def __init__(self, out_dir: Path, seed: int) -> None:
        self.out_dir = Path(out_dir)
        self.seed = seed
        self._counts = {"graph_pstn": 0, "graph_direct_routing": 0}

    def write_day(self, index: int, day: dt.date, n: int) -> list[Path]:
        rng = rng_for(self.seed, "telephony", day.isoformat())
        start = dt.datetime(day.year, day.month, day.day, 7)
        routed = [self._direct_routing(rng, start) for _ in range(max(1, n // 5))]
        pstn = [self._pstn(rng, start) for _ in range(max(1, n // 10))]
        return [
            self._page(
                "graph_direct_routing",
                "DirectRoutingCalls",
                "directRoutingLogRow",
                day,
                routed,
            ),
            self._page("graph_pstn", "PstnCalls", "pstnCallLogRow", day, pstn),
        ]

    def finish(self, next_day: dt.date) -> list[Path]:
        return []

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def _page(
        self,
        folder: str,
        stem: str,
        kind: str,
        day: dt.date,
        rows: list[dict[str, Any]],
    ) -> Path:
        path = self.out_dir / folder / f"{stem}_{day.isoformat()}.json"
        page = {"@odata.context": CONTEXT.format(kind), "@odata.count": len(rows)}
        with open_text(path) as fh:
            fh.write(json.dumps(page)[:-1] + ', "value": [\n')
            fh.write(",\n".join(dumps(row) for row in rows))
            fh.write("\n]}\n")
        self._counts[folder] += len(rows)
        return path

    def _user(self, rng: random.Random) -> dict[str, Any]:
        n = rng.randint(1, 400)
        return {
            "userId": guid(rng),
            "userPrincipalName": f"user{n}@contoso.example",
            "userDisplayName": f"Contoso User {n}",
        }

    def _direct_routing(self, rng: random.Random, start: dt.datetime) -> dict[str, Any]:
        code, sub, phrase, answered = OUTCOMES.pick(rng)
        invite = start + dt.timedelta(seconds=rng.randint(0, 11 * 3600))
        begin = invite + dt.timedelta(seconds=rng.randint(1, 20))
        seconds = rng.randint(20, 1800) if answered else 0
        outbound = rng.random() < 0.5
        return {
            "id": guid(rng),
            "correlationId": guid(rng),
            **self._user(rng),
            "startDateTime": _utc(begin),
            "inviteDateTime": _utc(invite),
            "failureDateTime": NO_FAILURE if answered else _utc(begin),
            "endDateTime": _utc(begin + dt.timedelta(seconds=seconds)),
            "duration": seconds,
            "callType": "ByotOut" if outbound else "ByotIn",
            "successfulCall": answered,
            "callerNumber": _number(rng, "+1425"),
            "calleeNumber": _number(rng, "+1206"),
            "mediaPathLocation": "USWE",
            "signalingLocation": "USWE",
            "finalSipCode": code,
            "callEndSubReason": sub,
            "finalSipCodePhrase": phrase,
            "trunkFullyQualifiedDomainName": SBCS.pick(rng),
            "mediaBypassEnabled": rng.random() < 0.3,
        }

    def _pstn(self, rng: random.Random, start: dt.datetime) -> dict[str, Any]:
        begin = start + dt.timedelta(seconds=rng.randint(0, 11 * 3600))
        seconds = rng.randint(10, 2400)
        call_type = PSTN_TYPES.pick(rng)
        charge = round(seconds / 60 * 0.02, 4) if call_type == "user_out" else 0.0
        return {
            "id": guid(rng),
            "callId": guid(rng),
            **self._user(rng),
            "startDateTime": _utc(begin),
            "endDateTime": _utc(begin + dt.timedelta(seconds=seconds)),
            "duration": seconds,
            "charge": charge,
            "connectionCharge": 0.0,
            "currency": "USD",
            "callType": call_type,
            "calleeNumber": _number(rng, "+4420"),
            "callerNumber": _number(rng, "+1425"),
            "usageCountryCode": "US",
            "tenantCountryCode": "US",
            "destinationContext": "International" if rng.random() < 0.2 else "Domestic",
            "destinationName": "United States",
            "conferenceId": None,
            "licenseCapability": "MCOPSTNU",
            "inventoryType": "Subscriber",
            "operator": "Microsoft",
            "callDurationSource": "microsoft",
        }
