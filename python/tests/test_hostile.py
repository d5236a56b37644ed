"""Nothing lost: hostile landing files for every system never crash the build, every
landed row is staged, superseded or rejected, and nothing personal leaks.

Hypothesis draws a whole landing dir per example (a handful of examples, derandomized,
no shrinking: each example is one ~10 s dbt build). Per system it writes several files
with many rows; each row is either good (hostile but valid: random unicode text in the
text fields, BOM, CRLF, quoted newlines, 7-digit fractions, odd UTC offsets, duplicated
keys, extreme but in-range numbers) or broken in one known way (unparseable timestamp,
missing key, end before start, negative duration, number out of range for its column,
unknown JSON shape, malformed CSV record, JSON line that is not JSON). Structurally bad
files (truncated JSON, latin-1 or UTF-16 text, CSV without its key columns or without a
header) and empty files are mixed in; the build runs with on_bad_file=quarantine.

The generator knows, per file, how many top-level records it wrote and how many it
broke, and per system which keys the good rows have; the test compares the warehouse
with that (an independent oracle), then checks the reconciliation model, an independent
count of the raw files (independent_count.py), that every rejected row at every level
(nested Graph rows included) is one the generator planted there with the reason it
planted (as text), that every good field was staged as the typed value written
(Expected.values: every column of SfB CDR and SuperOffice rows, QoE, Syllable sessions
and labels, Graph call records, sessions, segments and streams) and that
no e-mail, phone number or session_key reached any relation. `make test-hostile` runs
many random examples (HOSTILE_EXAMPLES, HOSTILE_RANDOM).

A last build, on_bad_file=fail, checks that each kind of bad file stops the build with
a message naming the file, what was expected and what was found.
"""

from __future__ import annotations

import io
import json
import math
import os
import random
import re
import string
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from dbt_harness import DbtResult, dbt_build
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from independent_count import assert_independent_reconciliation
from test_pii import assert_no_personal_data

# Hypothesis examples = full dbt builds of one hostile landing dir each. CI: 2,
# derandomized; `make test-hostile` sets HOSTILE_EXAMPLES (default 20) and
# HOSTILE_RANDOM=1 (fresh random examples each run, by hand, figures in RELIABILITY.md).
HOSTILE_EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "2"))
HOSTILE_RANDOM = os.environ.get("HOSTILE_RANDOM") == "1"
ROWS_PER_CSV_FILE = (20, 60)
RECORDS_PER_JSON_FILE = (10, 40)
BROKEN_SHARE = 0.3

# Strings that have broken CSV/JSON readers somewhere (plus hypothesis' own text).
NASTY_TEXT = [
    "",
    " ",
    '"',
    '""',
    "'",
    ",",
    ";",
    "a,b",
    'say "hi"',
    "line\nbreak",
    "crlf\r\nbreak",
    "cr\ronly",
    "\n\n",
    "\t",
    "\\",
    "\\N",
    "NULL",
    "null",
    "\ufeffbom inside",
    "😀 emoji",
    "Ωmega ñ ü ß",
    "עברית",
    "\u202eRTL override",
    "\x00nul",
    "\x1funit sep",
    "#comment?",
    "=cmd|' /C calc'!A0",
    "x" * 3000,
    "1e400",
    "-0",
    "NaN",
]

QOE_COLUMNS = [
    "ConferenceDateTime",
    "SessionSeq",
    "ConferenceKey",
    "CorrelationKey",
    "DialogCategory",
    "MediationServerBypassFlag",
    "MediaBypassWarningFlag",
    "StartTime",
    "EndTime",
    "CallerPool",
    "CalleePool",
    "CalleePAI",
    "CallerURI",
    "CallerEndpoint",
    "CallerUserAgent",
    "CallPriority",
    "ClassifiedPoorCall",
    "CallerPAI",
    "CalleeEndpoint",
    "CalleeUserAgent",
    "CalleeUri",
]
CDR_COLUMNS = [
    "SessionIdTime",
    "SessionIdSeq",
    "CorrelationId",
    "ReplaceDialogIdTime",
    "ReplaceDialogIdSeq",
    "User1Id",
    "User2Id",
    "User1EndpointId",
    "User2EndpointId",
    "TargetUserId",
    "SessionStartedById",
    "OnBehalfOfId",
    "ReferredById",
    "ServerId",
    "PoolId",
    "ContentTypeID",
    "User1ClientVerId",
    "User2ClientVerId",
    "User1EdgeServerid",
    "User2EdgeServerid",
    "IsUser1Internal",
    "IsUser2Internal",
    "InviteTime",
    "ResponseTime",
    "ResponseCode",
    "DiagnosticId",
    "CallPriority",
    "User1MessageCount",
    "User2MessageCount",
    "SessionEndTime",
    "MediaTypes",
    "User1Flag",
    "User2Flag",
    "CallFlag",
    "Processed",
    "LastModifiedTime",
]
SUPEROFFICE_COLUMNS = [
    "id",
    "topic_id",
    "user_id",
    "customer_id",
    "customer_alias",
    "status",
    "when_requested",
    "when_started",
    "when_ended",
    "idle",
    "customer_fetch",
    "session_key",
    "initial_queue_pos",
    "customer_host",
    "alert_level",
    "rank",
    "name",
    "company_name",
    "email",
    "phone",
    "first_message",
    "last_message",
    "flags",
    "project_id",
    "sale_id",
    "ticket_id",
    "contact_id",
    "transfer_to",
    "consented",
    "chatbot_isactive",
    "country",
    "rating",
]
CSV_TYPES = {
    # column -> type; unlisted columns are int
    "ConferenceDateTime": "datetime",
    "StartTime": "datetime",
    "EndTime": "datetime",
    "DialogCategory": "bit",
    "MediationServerBypassFlag": "bit",
    "ClassifiedPoorCall": "bit",
    "CallPriority": "smallint",
    "SessionIdTime": "datetime",
    "ReplaceDialogIdTime": "datetime",
    "InviteTime": "datetime",
    "ResponseTime": "datetime",
    "SessionEndTime": "datetime",
    "LastModifiedTime": "datetime",
    "CorrelationId": "guid",
    "User1EndpointId": "guid",
    "User2EndpointId": "guid",
    "IsUser1Internal": "bit",
    "IsUser2Internal": "bit",
    "Processed": "bit",
    "User1Flag": "smallint",
    "User2Flag": "smallint",
    "CallFlag": "smallint",
    "customer_alias": "pii",
    "status": "smallint",
    "when_requested": "datetime",
    "when_started": "datetime",
    "when_ended": "datetime",
    "idle": "datetime",
    "customer_fetch": "datetime",
    "session_key": "secret",
    "customer_host": "pii",
    "name": "pii",
    "company_name": "pii",
    "email": "email",
    "phone": "phone",
    "first_message": "pii",
    "last_message": "pii",
    "consented": "bit",
    "chatbot_isactive": "bit",
}
# The same columns on the case-insensitive side: row checks need non-negative values.
NON_NEGATIVE = {"User1MessageCount", "User2MessageCount", "initial_queue_pos"}

BASE_TIME = datetime(2024, 3, 5, 8, 0, tzinfo=UTC)
ODD_OFFSETS = [
    timedelta(0),
    timedelta(hours=14),
    timedelta(hours=-12),
    timedelta(hours=5, minutes=45),
    timedelta(hours=-9, minutes=-30),
    timedelta(hours=1),
]


# --------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------


@dataclass
class Expected:
    """What the generator knows about the landing dir it wrote."""

    # (system, file name) -> (top-level records landed, of which rejected)
    files: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    # system/entity -> typed keys of the good top-level rows (one per good row)
    good_keys: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    # (system, file name) -> row/record/line numbers of the broken top-level rows
    broken_rows: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    # (system, file name) -> problem fragment, for files to be quarantined
    bad_files: dict[tuple[str, str], str] = field(default_factory=dict)
    empty_files: set[tuple[str, str]] = field(default_factory=set)
    # (system, entity, file name, row number, source path or '') of every rejected
    # row the generator planted, top-level and nested -> the reason fragments (text)
    # its rejection_reason must hold
    reasons: dict[tuple[str, str, str, int, str], list[str]] = field(
        default_factory=dict
    )
    # number of rows broken per kind of breakage
    broken_kinds: Counter = field(default_factory=Counter)
    # (system, entity, file name, row number, source path or '') of good rows, top-level
    # and nested -> {column of the base model: the typed value it must hold}: UTC of
    # odd offsets, fractions, boundary integers, durations in ms, unicode text, NULL
    # for blank or unwritten fields, Pseudonym for personal data, JsonOf for JSON text
    values: dict[tuple[str, str, str, int, str], dict[str, Any]] = field(
        default_factory=dict
    )


class Generator:
    def __init__(self, rng: random.Random, texts: list[str]) -> None:
        self.rng = rng
        self.texts = [t for t in texts + NASTY_TEXT if not _looks_personal(t)]
        self.expected = Expected()
        # id() of a Graph session or segment dict -> (the dict, kept alive so that its
        # id() is not reused, the reasons planted in it)
        self.planted: dict[int, tuple[dict, list[str]]] = {}
        # id() of a good JSON record -> the typed values it must stage as
        self.record_values: dict[int, dict[str, Any]] = {}
        self.last_iso = BASE_TIME.replace(tzinfo=None)
        # every ISO-8601 text written -> the naive UTC value it must stage as
        self.iso_utc: dict[str, datetime] = {}
        self.last_value: Any = None
        self.last_sqlserver = BASE_TIME.replace(tzinfo=None)

    # ---- values --------------------------------------------------------------------

    def text(self) -> str:
        return self.rng.choice(self.texts)

    def email(self) -> str:
        local = "".join(self.rng.choices(string.ascii_lowercase, k=6))
        return f"{local}.{self.rng.choice(['berg', 'o-neil', 'li'])}@example.com"

    def phone(self) -> str:
        d = [self.rng.randint(10, 99) for _ in range(4)]
        return self.rng.choice(
            [
                f"+47 {d[0]} {d[1]} {d[2]} {d[3]}",
                f"+4792{d[0]}{d[1]}{d[2]}",
                "+1 (804) 555-0147",
            ]
        )

    def personal(self) -> str:
        return self.rng.choice([self.email(), self.phone(), self.text(), "Anna Berg"])

    def moment(self) -> datetime:
        return BASE_TIME + timedelta(
            minutes=self.rng.randint(0, 60 * 24 * 3),
            microseconds=self.rng.choice([0, 0, 347000, 123456]),
        )

    def sqlserver(self, moment: datetime) -> str:
        """SQL Server datetime text of `moment`; self.last_sqlserver is the value it
        must stage as (sfb_timezone UTC: the same wall time, fraction as written)."""
        naive = moment.replace(tzinfo=None)
        form = self.rng.randint(0, 3)
        self.last_sqlserver = naive.replace(microsecond=0)
        if form == 0:
            return naive.strftime("%Y-%m-%d %H:%M:%S")
        if form == 1:
            self.last_sqlserver = naive.replace(
                microsecond=naive.microsecond // 1000 * 1000
            )
            return naive.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        if form == 2:  # 7 fractional digits (datetime2)
            self.last_sqlserver = naive
            return naive.strftime("%Y-%m-%d %H:%M:%S.%f") + "0"
        return naive.strftime("%Y-%m-%dT%H:%M:%S")

    def iso(self, moment: datetime) -> str:
        """ISO-8601 text of `moment` at an odd offset; self.last_iso is the naive UTC
        value it must stage as (the fraction cut to the digits written)."""
        offset = self.rng.choice(ODD_OFFSETS)
        local = moment.astimezone(timezone(offset))
        digits = self.rng.choice([0, 3, 6, 7])
        text = local.strftime("%Y-%m-%dT%H:%M:%S")
        kept = 10 ** (6 - min(digits, 6))
        self.last_iso = moment.astimezone(UTC).replace(
            tzinfo=None, microsecond=moment.microsecond // kept * kept
        )
        if digits:
            text += "." + (local.strftime("%f") + "0")[:digits]
        if offset == timedelta(0) and self.rng.random() < 0.5:
            text += "Z"
        else:
            sign = "+" if offset >= timedelta(0) else "-"
            minutes = abs(int(offset.total_seconds())) // 60
            text += f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
        self.iso_utc[text] = self.last_iso
        return text

    def guid(self) -> str:
        value = "".join(self.rng.choices("0123456789abcdef", k=32))
        value = f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
        return value.upper() if self.rng.random() < 0.5 else value

    def csv_value(self, column: str) -> str:
        """A CSV field of `column`; self.last_value is the typed value it must stage as
        (None: NULL; Pseudonym: a salted hash; SECRET: never staged)."""
        text = self._csv_text(column)
        kind = CSV_TYPES.get(column, "int")
        if text == "" and kind != "secret":
            self.last_value = None
        elif kind == "datetime":
            self.last_value = self.last_sqlserver
        elif kind == "bit":
            self.last_value = text.lower() in ("1", "true")
        elif kind == "guid":
            self.last_value = text.upper()
        elif kind in ("pii", "email", "phone"):
            self.last_value = _pseudonym(text)
        elif kind == "secret":
            self.last_value = SECRET
        else:  # int, smallint: the boundary integers written
            self.last_value = int(text)
        return text

    def _csv_text(self, column: str) -> str:
        kind = CSV_TYPES.get(column, "int")
        if self.rng.random() < 0.15 and kind not in ("secret",):
            return ""  # NULL
        if kind == "datetime":
            return self.sqlserver(self.moment())
        if kind == "bit":
            return self.rng.choice(["0", "1", "true", "FALSE"])
        if kind == "smallint":
            return str(self.rng.choice([0, 1, 7, 32767]))
        if kind == "guid":
            return self.guid()
        if kind == "pii":
            return self.personal()
        if kind == "email":
            return self.email()
        if kind == "phone":
            return self.phone()
        if kind == "secret":
            return "".join(self.rng.choices("0123456789abcdef", k=32))
        if column == "rating":
            # fct_sessions tests customer_rating in 1..5, a scale SuperOffice does not
            # publish: other values fail that mart test (issue 15; pinned as a strict
            # xfail in test_known_crashes.py), not staging
            return str(self.rng.randint(1, 5))
        if column in NON_NEGATIVE:
            # message counts are added as BIGINT (test_known_crashes.py pins it)
            return str(self.rng.choice([0, 3, 2147483647]))
        return str(self.rng.choice([0, -1, 42, 2147483647, -2147483648]))

    # ---- CSV systems ---------------------------------------------------------------

    def csv_system(self, root: Path, system: str) -> None:
        folder = root / system
        folder.mkdir(parents=True)
        columns = {
            "sfb_qoe": QOE_COLUMNS,
            "sfb_cdr": CDR_COLUMNS,
            "superoffice": SUPEROFFICE_COLUMNS,
        }[system]
        for number in range(self.rng.randint(2, 4)):
            name = f"{system}_2024-03-0{number + 1}.csv"
            header = list(columns)
            self.rng.shuffle(header)  # matched by name, in any order
            if self.rng.random() < 0.3:  # a partial export: some optional columns only
                keys = self.csv_keys(system)
                header = keys + [
                    c for c in header if c not in keys and self.rng.random() < 0.6
                ]
            rows, lines_broken = [], set()
            for row_number in range(1, self.rng.randint(*ROWS_PER_CSV_FILE) + 1):
                row, typed = {}, {}
                for column in header:
                    row[column] = self.csv_value(column)
                    typed[column] = self.last_value
                key = self.make_csv_good(system, row, typed)
                row["__expect__"] = csv_expectations(system, typed)  # type: ignore[assignment]
                if self.rng.random() < BROKEN_SHARE:
                    kind = self.break_csv_row(system, row, header)
                    self.expected.broken_kinds[kind] += 1
                    lines_broken.add(row_number)
                    row["__broken__"] = kind
                    if kind in ("too_many_fields", "too_few_fields"):
                        row["__malformed__"] = kind
                else:
                    self.expected.good_keys[system].append(key)
                rows.append(row)
            content, numbers = self.write_csv(header, rows)
            (folder / name).write_bytes(content)
            self.expected.broken_rows[(system, name)] = [
                numbers[i] for i, row in enumerate(rows) if row.get("__broken__")
            ]
            for i, row in enumerate(rows):
                key = (system, _entity_for(system, name), name, numbers[i], "")
                if row.get("__broken__"):
                    self.expected.reasons[key] = [row["__reason__"]]
                elif "__expect__" in row:
                    self.expected.values[key] = dict(row["__expect__"])
            self.expected.files[(system, name)] = (len(rows), len(lines_broken))
        self.special_files(folder, system)

    def csv_keys(self, system: str) -> list[str]:
        return {
            "sfb_qoe": ["ConferenceDateTime", "SessionSeq"],
            "sfb_cdr": ["SessionIdTime", "SessionIdSeq"],
            "superoffice": ["id"],
        }[system]

    def make_csv_good(
        self, system: str, row: dict[str, str], typed: dict[str, Any]
    ) -> Any:
        """Fill the keys from a small pool (duplicates across rows and files) and make
        the row rules hold, keeping `typed` (column -> typed value) up to date; returns
        the typed key."""
        start = self.moment()
        if system == "sfb_qoe":
            when = BASE_TIME + timedelta(hours=self.rng.randint(0, 3))
            seq = self.rng.randint(1, 4)
            row["ConferenceDateTime"] = self.sqlserver(when)
            typed["ConferenceDateTime"] = self.last_sqlserver
            row["SessionSeq"] = self.rng.choice([str(seq), f"00{seq}"])
            typed["SessionSeq"] = seq  # 007 = 7
            if "StartTime" in row:
                row["StartTime"] = self.sqlserver(start)
                typed["StartTime"] = self.last_sqlserver
            if "EndTime" in row:
                row["EndTime"] = self.rng.choice(
                    [
                        "",
                        self.sqlserver(
                            start + timedelta(seconds=self.rng.randint(0, 9999))
                        ),
                    ]
                )
                typed["EndTime"] = self.last_sqlserver if row["EndTime"] else None
            if "StartTime" not in row and "EndTime" in row:
                row["EndTime"] = ""
                typed["EndTime"] = None
            return (when.replace(tzinfo=None), seq)
        if system == "sfb_cdr":
            when = BASE_TIME + timedelta(hours=self.rng.randint(0, 3))
            seq = self.rng.randint(1, 4)
            row["SessionIdTime"] = self.sqlserver(when)
            typed["SessionIdTime"] = self.last_sqlserver
            row["SessionIdSeq"] = str(seq)
            typed["SessionIdSeq"] = seq
            if "InviteTime" in row:
                row["InviteTime"] = self.sqlserver(start)
                typed["InviteTime"] = self.last_sqlserver
            if "SessionEndTime" in row:
                row["SessionEndTime"] = self.rng.choice(
                    [
                        "",
                        self.sqlserver(
                            start + timedelta(seconds=self.rng.randint(0, 9999))
                        ),
                    ]
                )
                typed["SessionEndTime"] = (
                    self.last_sqlserver if row["SessionEndTime"] else None
                )
            if "InviteTime" not in row and "SessionEndTime" in row:
                row["SessionEndTime"] = ""
                typed["SessionEndTime"] = None
            return (when.replace(tzinfo=None), seq)
        key = self.rng.randint(1, 40)
        row["id"] = self.rng.choice([str(key), f"0{key}"])
        typed["id"] = key
        stamps = ["when_requested", "when_started", "when_ended"]
        moments = sorted(
            start + timedelta(seconds=self.rng.randint(0, 900)) for _ in stamps
        )
        for column, moment in zip(stamps, moments, strict=True):
            if column in row:
                row[column] = self.sqlserver(moment)
                typed[column] = self.last_sqlserver
        return key

    def break_csv_row(self, system: str, row: dict[str, str], header: list[str]) -> str:
        keys = self.csv_keys(system)
        kinds = [
            "bad_timestamp",
            "missing_key",
            "out_of_range",
            "too_many_fields",
            "too_few_fields",
            "bad_bit",
            "offset_timestamp",
        ]
        if system == "sfb_qoe" and {"StartTime", "EndTime"} <= set(header):
            kinds.append("end_before_start")
        if system == "sfb_cdr" and {"InviteTime", "SessionEndTime"} <= set(header):
            kinds.append("end_before_start")
        if system == "superoffice" and {"when_requested", "when_started"} <= set(
            header
        ):
            kinds.append("end_before_start")
        if system == "superoffice" and "initial_queue_pos" in header:
            kinds.append("negative")
        if system == "sfb_cdr" and "User1MessageCount" in header:
            kinds.append("negative")
        bits = [c for c in header if CSV_TYPES.get(c) == "bit"]
        if not bits:
            kinds.remove("bad_bit")
        kind = self.rng.choice(kinds)
        row["__reason__"] = self.csv_reason(system, kind, row, header, keys)
        return kind

    def csv_reason(
        self,
        system: str,
        kind: str,
        row: dict[str, str],
        header: list[str],
        keys: list[str],
    ) -> str:
        """Break `row` in the way `kind` says; the reason its rejection must give
        (docs/RELIABILITY.md: `<field>: not a valid <type>`, `missing key <field>`,
        the row rules, malformed records)."""
        datetime_key = next((k for k in keys if CSV_TYPES.get(k) == "datetime"), None)
        int_key = next(k for k in keys if CSV_TYPES.get(k, "int") == "int")
        reason = ""
        if kind == "bad_timestamp":
            target = datetime_key or self.rng.choice(
                [c for c in header if CSV_TYPES.get(c) == "datetime"] or [int_key]
            )
            row[target] = self.rng.choice(
                [
                    "2024-02-30 10:00:00",
                    "not-a-date",
                    "2024-03-05 25:00:00",
                    "0000-00-00",
                    "infinity",
                    # before 1970 (0001-01-01 and 1753-01-01 are "no value": NULL)
                    "1600-01-01 00:00:00",
                    "9999-12-31 23:59:59",
                ]
                if target != int_key
                else ["12abc"]
            )
            kind_type = "int" if target == int_key else "datetime"
            reason = f"{target}: not a valid {kind_type}"
        elif kind == "offset_timestamp":
            target = datetime_key or int_key
            row[target] = (
                self.rng.choice(
                    [
                        "2024-03-05 10:00:00+02:00",
                        "2024-03-05 10:00:00Z",
                        "2024-03-05 10:00:00 Europe/Oslo",
                    ]
                )
                if target != int_key
                else "--1"
            )
            kind_type = "int" if target == int_key else "datetime"
            reason = f"{target}: not a valid {kind_type}"
        elif kind == "missing_key":
            missing = self.rng.choice(keys)
            row[missing] = ""
            reason = f"missing key {missing}"
        elif kind == "out_of_range":
            row[int_key] = self.rng.choice(
                ["2147483648", "-2147483649", "99999999999999999999", "12abc"]
            )
            reason = f"{int_key}: not a valid int"
        elif kind == "bad_bit":
            bits = [c for c in header if CSV_TYPES.get(c) == "bit"]
            bit = self.rng.choice(bits)
            row[bit] = self.rng.choice(["2", "yes", "-1"])
            reason = f"{bit}: not a valid bit"
        elif kind == "negative":
            target = (
                "initial_queue_pos" if system == "superoffice" else "User1MessageCount"
            )
            row[target] = "-1"
            reason = {
                "superoffice": "negative initial_queue_pos",
                "sfb_cdr": "negative message count",
            }[system]
        elif kind == "too_many_fields":
            reason = "malformed CSV record: more fields than the"
        elif kind == "too_few_fields":
            reason = "malformed CSV record: fewer fields than the"
        elif kind == "end_before_start":
            start, end = {
                "sfb_qoe": ("StartTime", "EndTime"),
                "sfb_cdr": ("InviteTime", "SessionEndTime"),
                "superoffice": ("when_requested", "when_started"),
            }[system]
            moment = self.moment()
            row[start] = self.sqlserver(moment)
            row[end] = self.sqlserver(moment - timedelta(seconds=1))
            reason = f"{end} before {start}"
        # too_many_fields / too_few_fields are applied when the line is written
        return reason

    def write_csv(
        self, header: list[str], rows: list[dict[str, str]]
    ) -> tuple[bytes, list[int]]:
        """The file, and the record number of each row (header = 0; a blank line counts
        as a record number, as DuckDB counts it)."""
        newline = self.rng.choice(["\n", "\r\n"])
        quote_all = self.rng.random() < 0.2
        out = io.StringIO()

        class Writer:
            @staticmethod
            def writerow(values: list[str]) -> None:
                out.write(",".join(_csv_field(v, quote_all) for v in values) + newline)

        writer = Writer()
        writer.writerow(header)
        numbers: list[int] = []
        record = 0
        for number, row in enumerate(rows):
            record += 1
            numbers.append(record)
            values = [row[column] for column in header]
            malformed = row.get("__malformed__")
            if malformed == "too_many_fields":
                values = [*values, "extra", self.personal()]
            elif malformed == "too_few_fields":
                values = (
                    values[: self.rng.randint(0, len(values) - 2)]
                    if len(values) > 1
                    else []
                )
                if not any(values):
                    values = ["only"]  # not an empty line: a blank line is not a record
            writer.writerow(values)
            if number % 7 == 3 and self.rng.random() < 0.5:
                out.write(newline)  # a blank line: not a record, counted in row numbers
                record += 1
        text = out.getvalue()
        bom = b"\xef\xbb\xbf" if self.rng.random() < 0.5 else b""
        return bom + text.encode("utf-8"), numbers

    # ---- JSON systems --------------------------------------------------------------

    def json_files(
        self,
        folder: Path,
        system: str,
        entity: str,
        page_key: str,
        records: list[tuple],
    ) -> None:
        """Write (record, broken kind or None, key) tuples into .json pages,
        single-object .json files and .jsonl files."""
        self.rng.shuffle(records)
        position = 0
        number = 0
        while position < len(records):
            take = self.rng.randint(*RECORDS_PER_JSON_FILE)
            chunk = records[position : position + take]
            position += take
            number += 1
            form = self.rng.choice(["page", "jsonl", "jsonl", "single"])
            if form == "single":
                chunk = chunk[:1]
                position -= take - 1
                # a single-object file cannot hold an invalid-JSON line
                if chunk[0][1] == "invalid_json_line":
                    chunk = [({"not": "valid"}, "missing_key", None)]
            stem = f"{entity}_{number:03d}"
            broken = 0
            for _record, kind, key in chunk:
                if kind:
                    broken += 1
                    self.expected.broken_kinds[kind] += 1
                else:
                    self.expected.good_keys[f"{system}/{entity}"].append(key)
            broken_numbers = []
            numbers: list[int] = []  # the row number of each record
            if form == "jsonl":
                lines = []
                for record, kind, _key in chunk:
                    if kind == "invalid_json_line":
                        lines.append(record)  # already text
                    else:
                        lines.append(
                            json.dumps(record, ensure_ascii=self.rng.random() < 0.5)
                        )
                    numbers.append(len(lines))
                    if kind:
                        broken_numbers.append(len(lines))  # the line number
                    if self.rng.random() < 0.1:
                        lines.append("")  # blank line: skipped
                newline = self.rng.choice(["\n", "\r\n"])
                text = newline.join(lines) + (
                    newline if self.rng.random() < 0.5 else ""
                )
                name = f"{stem}.jsonl"
            else:
                # in a page an "invalid line" is a JSON string: not an object
                items = [record for record, _kind, _key in chunk]
                numbers = list(range(1, len(chunk) + 1))
                broken_numbers = [i + 1 for i, (_r, k, _) in enumerate(chunk) if k]
                if form == "page":
                    document = {page_key: items, "page": 0, "total_count": len(items)}
                else:
                    document = items[0]
                text = json.dumps(
                    document,
                    indent=self.rng.choice([None, 1]),
                    ensure_ascii=self.rng.random() < 0.5,
                )
                name = f"{stem}.json"
            bom = "\ufeff" if self.rng.random() < 0.3 else ""
            (folder / name).write_bytes((bom + text).encode("utf-8"))
            self.expected.files[(system, name)] = (len(chunk), broken)
            self.expected.broken_rows[(system, name)] = broken_numbers
            for (record, kind, _key), row_number in zip(chunk, numbers, strict=True):
                if kind:
                    self.expected.reasons[(system, entity, name, row_number, "")] = [
                        json_reason(entity, kind, record, form)
                    ]
                    continue
                if id(record) in self.record_values:
                    key = (system, entity, name, row_number, "")
                    self.expected.values[key] = self.record_values[id(record)]
                if system == "graph":
                    for nested, path, fragments in self.graph_nested_reasons(record):
                        key = (system, nested, name, row_number, path)
                        self.expected.reasons[key] = fragments
                    for nested, path, values in self.graph_nested_values(record):
                        key = (system, nested, name, row_number, path)
                        self.expected.values[key] = values
        # consumed: an id() may be reused once these records are freed
        self.record_values.clear()

    def planted_in(self, element: dict) -> list[str]:
        planted, reasons = self.planted.get(id(element), (None, []))
        return reasons if planted is element else []

    def graph_nested_reasons(self, record: dict) -> list[tuple[str, str, list[str]]]:
        """(entity, source path, reason fragments) of every nested row of a good call
        record that must be rejected; the children of a rejected row never land."""
        found = []
        for i, session in enumerate(record["sessions"]):
            path = f"sessions[{i}]"
            if reasons := self.planted_in(session):
                found.append(("session", path, reasons))
                continue
            for j, segment in enumerate(session["segments"]):
                segment_path = f"{path}.segments[{j}]"
                if reasons := self.planted_in(segment):
                    found.append(("segment", segment_path, reasons))
                    continue
                for k, medium in enumerate(segment["media"]):
                    media_path = f"{segment_path}.media[{k}]"
                    if not isinstance(medium, dict):
                        reasons = ["media element is not a JSON object"]
                    elif not isinstance(medium["streams"], list):
                        reasons = ["media streams is not a JSON array"]
                    elif not medium["streams"]:
                        reasons = ["media object without streams: nothing to stage"]
                    else:
                        for m, stream in enumerate(medium["streams"]):
                            if reasons := _stream_reasons(stream):
                                stream_path = f"{media_path}.streams[{m}]"
                                found.append(("media_stream", stream_path, reasons))
                        continue
                    found.append(("media_stream", media_path, reasons))
        return found

    def graph_nested_values(self, record: dict) -> list[tuple[str, str, dict]]:
        """(entity, source path, base column -> typed value) of every nested row of a
        good call record that must be staged: the rows graph_nested_reasons does not
        reject, under parents that are not rejected; timestamps at odd offsets in UTC,
        durations in ms, rates as doubles, unicode text as written."""
        found = []
        ids = {"call_record_id": record["id"]}
        for i, session in enumerate(record["sessions"]):
            path = f"sessions[{i}]"
            if self.planted_in(session):
                continue
            caller = session["caller"]
            user = caller["identity"]["user"]
            session_ids = {**ids, "session_id": session["id"]}
            found.append(
                (
                    "session",
                    path,
                    {
                        **session_ids,
                        "parent_path": None,
                        "is_test": session["isTest"],
                        "started_at": self.iso_utc[session["startDateTime"]],
                        "ended_at": self.iso_utc[session["endDateTime"]],
                        "caller_user_agent": caller["userAgent"]["headerValue"],
                        "caller_platform": "windows",
                        "caller_display_name_hash": _pseudonym(user["displayName"]),
                        "caller_user_principal_name_hash": _pseudonym(
                            user["userPrincipalName"]
                        ),
                        "callee_user_agent": None,  # not written: NULL
                        "failure_reason": None,
                    },
                )
            )
            for j, segment in enumerate(session["segments"]):
                segment_path = f"{path}.segments[{j}]"
                if self.planted_in(segment):
                    continue
                segment_ids = {**session_ids, "segment_id": segment["id"]}
                found.append(
                    (
                        "segment",
                        segment_path,
                        {
                            **segment_ids,
                            "parent_path": path,
                            "started_at": self.iso_utc[segment["startDateTime"]],
                            "ended_at": self.iso_utc[segment["endDateTime"]],
                            "caller_user_agent": None,  # segments have no caller here
                        },
                    )
                )
                for k, medium in enumerate(segment["media"]):
                    media_path = f"{segment_path}.media[{k}]"
                    if not isinstance(medium, dict) or not isinstance(
                        medium["streams"], list
                    ):
                        continue
                    for m, stream in enumerate(medium["streams"]):
                        if _stream_reasons(stream):
                            continue
                        found.append(
                            (
                                "media_stream",
                                f"{media_path}.streams[{m}]",
                                {
                                    **segment_ids,
                                    # a media object is not a row: the parent
                                    # row of a stream is its segment
                                    "parent_path": segment_path,
                                    "media_label": medium["label"],
                                    "caller_network_connection_type": "wifi",
                                    "callee_network_connection_type": None,
                                    **_stream_values(stream),
                                },
                            )
                        )
        return found

    def syllable(self, root: Path) -> None:
        folder = root / "syllable"
        folder.mkdir(parents=True)
        records = []
        for _ in range(self.rng.randint(60, 120)):
            session_id = self.rng.choice(
                [str(self.rng.randint(1, 50)), f"s-{self.rng.randint(1, 9)}"]
            )
            timestamp = self.iso(self.moment())
            timestamp_utc = self.last_iso
            record: dict[str, Any] = {
                "timestamp": timestamp,
                "session_id": int(session_id)
                if session_id.isdigit() and self.rng.random() < 0.3
                else session_id,
                "conversation_id": self.text(),
                "channel_manager_type": self.rng.choice(
                    ["voice_sip_v1", "web_chat_v1", self.text()]
                ),
                "agent_name": self.text(),
                "prompt_version_number": self.rng.choice([1, 2147483647, None]),
                "duration": self.rng.choice([0, 0.5, 125.25, 2147483.646, 7]),
                "source": self.personal(),
                "target": self.text(),
                "is_test": self.rng.choice([True, False, None]),
                "is_outbound": self.rng.choice([True, False]),
                "unknown_new_field": {"nested": [1, 2]},
            }
            for name in list(record):
                if record[name] is None or (
                    name not in ("timestamp", "session_id") and self.rng.random() < 0.1
                ):
                    del record[name]  # unset optional fields are absent
            kind = None
            if self.rng.random() < BROKEN_SHARE:
                kind = self.rng.choice(
                    [
                        "missing_timestamp",
                        "bad_timestamp",
                        "missing_session_id",
                        "negative_duration",
                        "nonfinite_duration",
                        "out_of_range",
                        "bad_bit",
                        "object_member",
                        "not_an_object",
                        "invalid_json_line",
                    ]
                )
                record = self.break_json(
                    record,
                    kind,
                    {
                        "timestamp": "timestamp",
                        "key": "session_id",
                        "duration": "duration",
                        "int": "prompt_version_number",
                        "bit": "is_test",
                        "text": "agent_name",
                    },
                )
            key = str(record["session_id"]) if not kind else None
            if not kind:
                self.record_values[id(record)] = {
                    "session_timestamp": timestamp_utc,
                    "session_id": key,
                    **{
                        alias: record.get(name)
                        for name, alias in (
                            ("conversation_id", "conversation_id"),
                            ("channel_manager_type", "channel_manager_type"),
                            ("agent_name", "agent_name"),
                            ("target", "target"),
                            ("prompt_version_number", "prompt_version_number"),
                            ("is_test", "is_test"),
                        )
                    },
                    "duration_seconds": (
                        float(record["duration"]) if "duration" in record else None
                    ),
                }
            records.append((record, kind, key))
        self.json_files(folder, "syllable", "session", "items", records)
        self.special_files(folder, "syllable")

        labels_folder = root / "syllable_labels"
        labels_folder.mkdir(parents=True)
        labels = []
        for _ in range(self.rng.randint(10, 30)):
            label_id = self.rng.randint(1, 15)
            record = {
                "id": label_id,
                "session_id": self.rng.randint(1, 50),
                "type": "human-rating",
                "code": self.rng.choice(["GOOD", "BAD", self.text()]),
                "user_email": self.email(),
                "timestamp": self.iso(self.moment()),
                "comments": self.personal(),
                "issue_categories": [self.text(), "Silent treatment"],
            }
            kind = None
            if self.rng.random() < BROKEN_SHARE:
                kind = self.rng.choice(["out_of_range", "missing_key", "object_member"])
                if kind == "out_of_range":
                    record["id"] = self.rng.choice([1e30, "12abc", 9223372036854775808])
                elif kind == "missing_key":
                    del record["id"]
                else:
                    record["issue_categories"] = "not a list"
            if not kind:
                self.record_values[id(record)] = {
                    "session_label_id": label_id,
                    "session_id": record["session_id"],
                    "label_type": "human-rating",
                    "label_code": record["code"],
                    "user_email_hash": _pseudonym(record["user_email"]),
                    "labelled_at": self.iso_utc[record["timestamp"]],
                    "comments_hash": _pseudonym(record["comments"]),
                    "issue_categories_json": JsonOf(record["issue_categories"]),
                }
            labels.append((record, kind, label_id if not kind else None))
        self.json_files(labels_folder, "syllable", "session_label", "items", labels)

    def break_json(self, record: dict, kind: str, names: dict[str, str]) -> Any:
        if kind == "missing_timestamp":
            record.pop(names["timestamp"], None)
        elif kind == "bad_timestamp":
            record[names["timestamp"]] = self.rng.choice(
                ["2024-13-01T00:00:00Z", "soon", "2024-02-30T10:00:00Z", "-infinity"]
            )
        elif kind == "missing_session_id":
            record.pop(names["key"], None)
        elif kind == "negative_duration":
            record[names["duration"]] = self.rng.choice(
                [-0.001, -4, -1e9, 2147483.647, 1e15]
            )
        elif kind == "nonfinite_duration":
            record[names["duration"]] = self.rng.choice(
                ["NaN", "Infinity", "1e400", "-inf"]
            )
        elif kind == "out_of_range":
            record[names["int"]] = self.rng.choice(
                [2147483648, -2147483649, 1e20, "7x"]
            )
        elif kind == "bad_bit":
            record[names["bit"]] = self.rng.choice(["maybe", 2, "yes"])
        elif kind == "object_member":
            record[names["text"]] = self.rng.choice([{"a": 1}, [1, 2]])
        elif kind == "not_an_object":
            return self.rng.choice([42, "text", [record], None, True])
        elif kind == "invalid_json_line":
            text = json.dumps(record)
            return self.rng.choice(
                [
                    text[: len(text) // 2],
                    "{'single': 'quotes'}",
                    "\x00garbage " + self.email(),
                    text.replace('"', "", 1),
                    text + "}",
                ]
            )
        return record

    def graph(self, root: Path) -> None:
        folder = root / "graph"
        folder.mkdir(parents=True)
        records = []
        for _ in range(self.rng.randint(25, 50)):
            start = self.moment()
            started = self.iso(start)
            started_utc = self.last_iso
            record: dict[str, Any] = {
                "id": f"rec-{self.rng.randint(1, 20)}",
                "version": self.rng.randint(1, 3),
                "type": self.rng.choice(["groupCall", "peerToPeer", self.text()]),
                "modalities": ["audio"],
                "lastModifiedDateTime": self.iso(start + timedelta(hours=2)),
                "startDateTime": started,
                "endDateTime": self.iso(start + timedelta(minutes=30)),
                "joinWebUrl": "https://teams.example.com/l/" + self.text()[:10],
                "organizer_v2": {
                    "id": self.guid(),
                    "identity": {
                        "user": {
                            "id": self.guid(),
                            "displayName": self.personal(),
                            "userPrincipalName": self.email(),
                            "tenantId": self.guid(),
                        }
                    },
                },
                "sessions": [
                    self.graph_session(start) for _ in range(self.rng.randint(0, 4))
                ],
            }
            kind = None
            if self.rng.random() < BROKEN_SHARE:
                kind = self.rng.choice(
                    [
                        "missing_key",
                        "bad_timestamp",
                        "out_of_range",
                        "end_before_start",
                        "sessions_not_array",
                        "not_an_object",
                        "invalid_json_line",
                    ]
                )
                if kind == "missing_key":
                    del record["id"]
                elif kind == "bad_timestamp":
                    record["startDateTime"] = self.rng.choice(
                        [
                            "2024-02-30T00:00:00Z",
                            "soon",
                            "infinity",
                            "1600-01-01T00:00:00Z",
                        ]
                    )
                elif kind == "out_of_range":
                    record["version"] = self.rng.choice([1e300, "v2", 2**70])
                elif kind == "end_before_start":
                    record["endDateTime"] = self.iso(start - timedelta(seconds=5))
                elif kind == "sessions_not_array":
                    record["sessions"] = {"id": "s-x"}
                else:
                    record = self.break_json(record, kind, {})
            key = record["id"] if not kind else None
            if not kind:
                self.record_values[id(record)] = {
                    "call_record_id": key,
                    "version": record["version"],
                    "started_at": started_utc,
                    "call_type": record["type"],
                }
            records.append((record, kind, key))
        self.json_files(folder, "graph", "call_record", "value", records)
        self.special_files(folder, "graph")

    def graph_session(self, start: datetime) -> dict:
        session: dict[str, Any] = {
            "id": f"s-{self.rng.randint(1, 3)}",  # duplicates inside one record
            "modalities": ["audio"],
            "isTest": self.rng.choice([False, True]),
            "startDateTime": self.iso(start),
            "endDateTime": self.iso(start + timedelta(minutes=10)),
            "caller": {
                "identity": {
                    "user": {
                        "displayName": self.personal(),
                        "userPrincipalName": self.email(),
                    }
                },
                "userAgent": {"headerValue": self.text(), "platform": "windows"},
            },
            "segments": [],
        }
        for _ in range(self.rng.randint(0, 3)):
            media = []
            for _ in range(self.rng.randint(0, 3)):
                streams = [
                    {
                        "streamId": str(self.rng.randint(1, 3)),
                        "streamDirection": self.rng.choice(
                            ["callerToCallee", "calleeToCaller"]
                        ),
                        "averageJitter": self.rng.choice(
                            ["PT0.016S", "PT1M2.5S", "P1DT2H", "PT"]
                        ),
                        "averagePacketLossRate": self.rng.choice(
                            [0, 0.01, 1, 2.5, -0.1]
                        ),
                        "packetUtilization": self.rng.choice([0, 900, -5, 2**63]),
                        "maxPacketLossRate": self.rng.choice([0.2, 1.5]),
                        "averageVideoFrameLossPercentage": self.rng.choice(
                            [0, 99.5, 101]
                        ),
                    }
                    for _ in range(self.rng.randint(0, 3))
                ]
                media.append(
                    self.rng.choice(["not-an-object", None])
                    if self.rng.random() < 0.05
                    else {
                        "label": self.rng.choice(["main-audio", "main-video", "data"]),
                        "callerNetwork": {
                            "ipAddress": "10.0.0.5",
                            "connectionType": "wifi",
                        },
                        "streams": streams if self.rng.random() < 0.95 else "none",
                    }
                )
            minutes = self.rng.choice([5, -5])
            segment = {
                "id": f"g-{self.rng.randint(1, 3)}",
                "startDateTime": self.iso(start),
                "endDateTime": self.iso(start + timedelta(minutes=minutes)),
                "media": media,
            }
            if minutes < 0:
                reason = "segment endDateTime before startDateTime"
                self.planted[id(segment)] = (segment, [reason])
            session["segments"].append(segment)
        planted = []
        if self.rng.random() < 0.1:
            session["endDateTime"] = self.iso(start - timedelta(minutes=1))
            planted.append("session endDateTime before startDateTime")
        if self.rng.random() < 0.05:
            del session["id"]
            planted.append("missing key id")
        if planted:
            self.planted[id(session)] = (session, planted)
        return session

    # ---- empty and structurally bad files ------------------------------------------

    def special_files(self, folder: Path, system: str) -> None:
        is_csv = system in ("sfb_qoe", "sfb_cdr", "superoffice")
        ext = ".csv" if is_csv else self.rng.choice([".json", ".jsonl"])
        empties = [b"", b"\xef\xbb\xbf", b"\r\n\r\n"]
        if is_csv:
            empties.append(",".join(self.csv_keys(system)).encode() + b"\r\n")
        else:
            empties.append(b'{"value": [], "items": []}')
        name = f"zz_empty{ext}"
        (folder / name).write_bytes(self.rng.choice(empties))
        self.expected.empty_files.add((system, name))
        if is_csv:
            keys = self.csv_keys(system)
            bad = self.rng.sample(
                [
                    (
                        "latin1",
                        (
                            ",".join(keys)
                            + "\n"
                            + ",".join(["1"] * len(keys))
                            + ",Andr\xe9\n"
                        ).encode("latin-1"),
                        "UTF-8",
                    ),
                    ("utf16", (",".join(keys) + "\n").encode("utf-16"), "UTF-8"),
                    ("nokeys", b"Foo,Bar\n1,2\n", "missing " + keys[0]),
                    (
                        "straycr",
                        (
                            ",".join(keys)
                            + ",x\n"
                            + ",".join(["1"] * len(keys))
                            + ",a\rb\n"
                        ).encode(),
                        "carriage return",
                    ),
                    (
                        "noheader",
                        f"2024-03-05 10:00:00,{self.email()},3\n".encode(),
                        "not column names",
                    ),
                ],
                k=2,
            )
        else:
            bad = self.rng.sample(
                [
                    (
                        "truncated",
                        b'{"value": [{"id": "a"}, {"id": "b", "sess',
                        "not valid JSON",
                    ),
                    ("latin1", '{"id": "Andr\xe9"}'.encode("latin-1"), "UTF-8"),
                    (
                        "several",
                        b'{"id": "a"}\n{"id": "b"}\n',
                        "one JSON document per line",
                    ),
                ],
                k=2,
            )
        for label, content, problem in bad:
            suffix = ".json" if label in ("truncated", "several") else ext
            name = f"zz_bad_{label}{suffix}"
            (folder / name).write_bytes(content)
            self.expected.bad_files[(system, name)] = problem


# Reason of a broken top-level JSON record: entity -> kind -> fragment.
JSON_REASONS = {
    "session": {
        "missing_timestamp": "missing key timestamp",
        "bad_timestamp": "timestamp: not a valid timestamp",
        "missing_session_id": "missing key session_id",
        "nonfinite_duration": "duration: not a valid double",
        "out_of_range": "prompt_version_number: not a valid int",
        "bad_bit": "is_test: not a valid bit",
        "object_member": "agent_name: a JSON object or array, expected a text",
    },
    "session_label": {
        "out_of_range": "id: not a valid bigint",
        "missing_key": "missing key id",
        "object_member": "issue_categories: not a JSON array",
    },
    "call_record": {
        "missing_key": "missing key id",
        "bad_timestamp": "startDateTime: not a valid timestamp",
        "out_of_range": "version: not a valid bigint",
        "end_before_start": "call record endDateTime before startDateTime",
        "sessions_not_array": "sessions is not a JSON array",
    },
}


def json_reason(entity: str, kind: str, record: Any, form: str) -> str:
    """The reason fragment of a broken JSON record of `entity`, written as `form`."""
    if kind == "invalid_json_line":
        # a .jsonl line that is not JSON; in a page the text is a JSON string item
        return "line is not valid JSON" if form == "jsonl" else "not a JSON object"
    if kind == "not_an_object":
        return "record is not a JSON object"
    if kind == "missing_key" and record == {"not": "valid"}:
        return "missing key"  # a single-object file's stand-in for an invalid line
    if kind == "negative_duration":
        return "negative duration" if record["duration"] < 0 else "over 24.8 days"
    return JSON_REASONS[entity][kind]


def _stream_reasons(stream: dict) -> list[str]:
    """Reasons a generated Graph stream must be rejected with (none: a good one)."""
    reasons = []
    if stream["averageJitter"] == "PT":
        reasons.append("averageJitter: not a valid duration")
    if not 0 <= stream["averagePacketLossRate"] <= 1:
        reasons.append("averagePacketLossRate outside [0, 1]")
    if stream["packetUtilization"] < 0:
        reasons.append("negative packetUtilization")
    if stream["packetUtilization"] > 2**63 - 1:
        reasons.append("packetUtilization: not a valid bigint")
    if not 0 <= stream["maxPacketLossRate"] <= 1:
        reasons.append("maxPacketLossRate outside [0, 1]")
    if not 0 <= stream["averageVideoFrameLossPercentage"] <= 100:
        reasons.append("averageVideoFrameLossPercentage outside [0, 100]")
    return reasons


class _Marker:
    """An expected value that is not a literal: SECRET (a field never staged)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Pseudonym:
    """An expected salted hash of `text` (the salt is never read here): a SHA-256 hex
    digest, the same for the same text and different for different texts across all
    columns of a build (assert_staged_values). `text` is the trimmed, lower-cased text
    written (docs/RELIABILITY.md section 3: the same e-mail in any case is one key)."""

    text: str


@dataclass(frozen=True)
class JsonOf:
    """An expected JSON text: any spelling that parses to `value`."""

    value: Any


SECRET = _Marker("SECRET")
COLUMN_MACROS = Path(__file__).resolve().parents[2] / "macros" / "columns"


def _base_aliases(macro_file: str) -> dict[str, str]:
    """Landed column name -> base model column, from the project's column macro (the
    one source of the aliases; the values themselves come from the generator)."""
    text = (COLUMN_MACROS / macro_file).read_text()
    found = dict(re.findall(r"\{'name': '([^']+)', 'alias': '([^']+)'", text))
    assert found, macro_file
    return found


CSV_ALIASES = {
    "sfb_qoe": _base_aliases("get_sfb_qoe__session_columns.sql"),
    "sfb_cdr": _base_aliases("get_sfb_cdr__session_details_columns.sql"),
    "superoffice": _base_aliases("get_superoffice__chat_session_columns.sql"),
}


def csv_expectations(system: str, typed: dict[str, Any]) -> dict[str, Any]:
    """Base model column -> typed value of a good CSV row of `system`, from the typed
    values the generator wrote (`typed`); a documented column the file does not have
    must stage as NULL; a secret column has no base column at all."""
    expect: dict[str, Any] = {}
    for name, alias in CSV_ALIASES[system].items():
        value = typed.get(name)
        assert value is not SECRET, (system, name)
        expect[alias] = value
    assert set(typed) - set(CSV_ALIASES[system]) <= {"session_key"}, system
    return expect


# The ISO-8601 durations the generator writes -> ms (hand computed):
# PT0.016S = 0.016 s = 16 ms; PT1M2.5S = 60 s + 2.5 s = 62 500 ms;
# P1DT2H = 24 h + 2 h = 26 * 3 600 000 = 93 600 000 ms ("PT" is rejected).
DURATION_MS = {"PT0.016S": 16.0, "PT1M2.5S": 62500.0, "P1DT2H": 93600000.0}


def _stream_values(stream: dict) -> dict[str, Any]:
    """Base column -> typed value of a good generated Graph stream."""
    return {
        "stream_id": stream["streamId"],
        "stream_direction": stream["streamDirection"],
        "average_jitter_ms": DURATION_MS[stream["averageJitter"]],
        "max_jitter_ms": None,  # not written: NULL
        # JSON numbers (0, 1 as integers too) staged as doubles
        "average_packet_loss_rate": float(stream["averagePacketLossRate"]),
        "max_packet_loss_rate": float(stream["maxPacketLossRate"]),
        "average_video_frame_loss_percentage": float(
            stream["averageVideoFrameLossPercentage"]
        ),
        "packet_utilization": int(stream["packetUtilization"]),
        "was_media_bypassed": None,
    }


def _pseudonym(text: str) -> Pseudonym | None:
    """The expected value of a personal text: a salted hash, NULL when blank."""
    return Pseudonym(text.strip(" ").lower()) if text.strip(" ") else None


def _csv_field(value: str, quote_all: bool) -> str:
    """RFC 4180 quoting; a CR or LF inside a field is always quoted (an unquoted CR that
    does not end a line is a structurally bad file, tested separately)."""
    if quote_all or any(c in value for c in ',"\r\n') or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value


def _looks_personal(text: str) -> bool:
    return bool(re.search(r"@|\+\d", text))


def generate_landing(root: Path, seed: int, texts: list[str]) -> Expected:
    generator = Generator(random.Random(seed), texts)
    for system in ("sfb_qoe", "sfb_cdr", "superoffice"):
        generator.csv_system(root, system)
    generator.syllable(root)
    generator.graph(root)
    return generator.expected


# --------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------

TOP_LEVEL = {
    "sfb_qoe": ("session", "staging.stg_sfb_qoe__sessions"),
    "sfb_cdr": ("session_details", "staging.stg_sfb_cdr__session_details"),
    "superoffice": ("chat_session", "staging.stg_superoffice__chat_sessions"),
    "syllable/session": ("session", "staging.stg_syllable__sessions"),
    "syllable/session_label": ("session_label", "staging.stg_syllable__session_labels"),
    "graph/call_record": ("call_record", "staging.stg_graph__call_records"),
}


def _entity_for(system: str, name: str) -> str:
    if system == "sfb_qoe":
        return "session"
    if system == "sfb_cdr":
        return "session_details"
    if system == "superoffice":
        return "chat_session"
    if system == "graph":
        return "call_record"
    return "session_label" if name.startswith("session_label") else "session"


def check_hostile_build(result: DbtResult, expected: Expected, landing: Path) -> dict:
    """Compare a hostile build with what the generator wrote; returns figures."""
    assert result.ok, result.tail()
    failures = [r for r in result.run_results() if r["status"] in ("error", "fail")]
    assert failures == []

    reconciliation = result.query(
        "select source_system, source_entity, source_file, landed_rows, staged_rows,"
        " superseded_rows, rejected_rows from staging.row_reconciliation"
    )
    by_file = {
        (system, entity, Path(file).name): counts
        for system, entity, file, *counts in reconciliation
    }
    # every row landed is staged, superseded or rejected, per file and entity
    unbalanced = [
        (key, counts)
        for key, counts in by_file.items()
        if counts[0] != counts[1] + counts[2] + counts[3]
    ]
    assert unbalanced == []
    # ... and against an independent count of the raw files (csv/json modules), at
    # every level: a row dropped by a reader or an unnest does not balance there
    with result.connect() as con:
        independent = assert_independent_reconciliation(con, landing)

    # per file: top-level records landed and rejected, as written
    for (system, name), (records, broken) in expected.files.items():
        entity = _entity_for(system, name)
        landed, _staged, _superseded, rejected = by_file[(system, entity, name)]
        assert (landed, rejected) == (records, broken), (system, name)

    # per system: staged = distinct keys of the good rows, superseded = the rest
    for label, keys in expected.good_keys.items():
        entity, stg = TOP_LEVEL[label]
        system = label.split("/")[0]
        staged = sum(c[1] for k, c in by_file.items() if k[:2] == (system, entity))
        superseded = sum(c[2] for k, c in by_file.items() if k[:2] == (system, entity))
        assert (staged, superseded) == (len(set(keys)), len(keys) - len(set(keys))), (
            label
        )
        assert result.count(stg) == len(set(keys)), label

    # the rejected top-level rows are located at the record/line numbers written
    located = defaultdict(list)
    for system, entity, file, number in result.query(
        "select source_system, source_entity, source_file, source_row_number"
        " from staging.rejected_rows where source_path is null"
    ):
        located[(system, entity, Path(file).name)].append(number)
    for (system, name), numbers in expected.broken_rows.items():
        entity = _entity_for(system, name)
        assert sorted(located[(system, entity, name)]) == sorted(numbers), (
            system,
            name,
        )

    # every rejected row is one the generator planted, at its location (file, row,
    # path inside the record), with the reasons planted (as text), at every level
    rejected = {
        (system, entity, Path(file).name, number, path or ""): reason
        for system, entity, file, number, path, reason in result.query(
            "select source_system, source_entity, source_file, source_row_number,"
            " source_path, rejection_reason from staging.rejected_rows"
            " where source_row_number is not null"
        )
    }
    unplanted = sorted(set(rejected) - set(expected.reasons))
    missing = sorted(set(expected.reasons) - set(rejected))
    assert (unplanted[:10], missing[:10]) == ([], [])
    wrong = [
        (key, fragments, rejected[key])
        for key, fragments in expected.reasons.items()
        if not all(fragment in rejected[key] for fragment in fragments)
    ]
    assert wrong == []

    # the good rows hold the typed values written (UTC, fractions, boundary integers,
    # unicode text), read from the base models by file, row and path
    values_checked = assert_staged_values(result, expected)

    # bad files are quarantined with the problem; empty files have no records
    files = {
        (system, Path(file).name): (status, landed, problem)
        for system, file, status, landed, problem in result.query(
            "select source_system, source_file, file_status, landed_records, problem"
            " from staging.landed_files"
        )
    }
    for key, problem in expected.bad_files.items():
        status, landed, message = files[key]
        assert status == "quarantined", key
        assert problem in message, (key, message)
    for key in expected.empty_files:
        assert files[key][:2] == ("no records", 0), key

    # every rejected row says where and why; malformed records keep only a digest
    (unlocated,) = result.query(
        "select count(*) from staging.rejected_rows where source_file is null"
        " or rejection_reason is null"
        " or (source_row_number is null and rejection_reason not like 'expected %')"
    )[0]
    assert unlocated == 0

    assert_no_personal_data(result, landing)
    return {
        "files": len(files),
        "landed": sum(c[0] for c in by_file.values()),
        "staged": sum(c[1] for c in by_file.values()),
        "superseded": sum(c[2] for c in by_file.values()),
        "rejected": sum(c[3] for c in by_file.values()),
        "broken_rows_written": sum(expected.broken_kinds.values()),
        "quarantined_files": len(expected.bad_files),
        "empty_files": len(expected.empty_files),
        "independent_landed_by_entity": independent.by_entity(),
        "typed_values_checked": values_checked,
        "planted_rejections_by_entity": dict(
            Counter((key[0], key[1]) for key in expected.reasons)
        ),
    }


BASE_MODELS = {
    ("sfb_qoe", "session"): "staging.base_sfb_qoe__sessions",
    ("sfb_cdr", "session_details"): "staging.base_sfb_cdr__session_details",
    ("superoffice", "chat_session"): "staging.base_superoffice__chat_sessions",
    ("syllable", "session"): "staging.base_syllable__sessions",
    ("syllable", "session_label"): "staging.base_syllable__session_labels",
    ("graph", "call_record"): "staging.base_graph__call_records",
    ("graph", "session"): "staging.base_graph__sessions",
    ("graph", "segment"): "staging.base_graph__segments",
    ("graph", "media_stream"): "staging.base_graph__media_streams",
}


def assert_staged_values(result: DbtResult, expected: Expected) -> dict[str, int]:
    """Every expected value of a good row equals its base model's typed column (and
    has its Python type: a boolean is not an int); returns how many were compared per
    system/entity."""
    columns: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (system, entity, *_where), values in expected.values.items():
        columns[(system, entity)].update(values)
    checked: Counter = Counter()
    wrong = []
    # personal text -> the hashes staged for it, and back
    hashes: dict[str, set[str]] = defaultdict(set)
    texts: dict[str, set[str]] = defaultdict(set)
    for (system, entity), names in columns.items():
        listed = sorted(names)
        staged = {
            (Path(file).name, number, path or ""): dict(zip(listed, rest, strict=True))
            for file, number, path, *rest in result.query(
                "select source_file, source_row_number, source_path, "
                + ", ".join(f'"{n}"' for n in listed)
                + f" from {BASE_MODELS[(system, entity)]}"
            )
        }
        for key, values in expected.values.items():
            if key[:2] != (system, entity):
                continue
            row = staged.get(key[2:])
            if row is None:
                wrong.append((key, "no such row in the base model", None, None))
                continue
            for name, value in values.items():
                checked[f"{system}/{entity}"] += 1
                if not _staged_as(row[name], value):
                    wrong.append((key, name, value, row[name]))
                elif isinstance(value, Pseudonym):
                    hashes[value.text].add(row[name])
                    texts[row[name]].add(value.text)
    assert len(checked) == len(BASE_MODELS), checked  # every level has values
    total = sum(checked.values())
    assert wrong == [], (
        f"{len(wrong)} of {total} staged values differ (key, column, expected,"
        f" staged): {wrong[:10]}"
    )
    # one hash per personal text (whatever column or system it came in), and no two
    # texts share one: the hash is of the text written, nothing else
    several = [(t, sorted(found)) for t, found in hashes.items() if len(found) != 1]
    assert several == [], f"a personal text staged as several hashes: {several[:5]}"
    shared = [(h, sorted(found)) for h, found in texts.items() if len(found) != 1]
    assert shared == [], f"personal texts staged as the same hash: {shared[:5]}"
    checked["distinct personal texts (not values)"] = len(hashes)
    return dict(checked)


def _staged_as(staged: Any, value: Any) -> bool:
    """Whether a staged value is the expected one, of the same Python type."""
    if isinstance(value, str) and not value.strip(" "):
        value = None  # blank (spaces only) is no value: landed_text
    if isinstance(value, Pseudonym):
        return isinstance(staged, str) and bool(re.fullmatch("[0-9a-f]{64}", staged))
    if isinstance(value, JsonOf):
        return isinstance(staged, str) and json.loads(staged) == value.value
    if isinstance(value, float) and isinstance(staged, float):
        return math.isclose(staged, value, rel_tol=1e-12, abs_tol=0.0)
    return staged == value and type(staged) is type(value)


FIGURES: list[dict] = []


@settings(
    max_examples=HOSTILE_EXAMPLES,
    derandomize=not HOSTILE_RANDOM,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    texts=st.lists(st.text(max_size=40), min_size=30, max_size=30),
)
def test_hostile_landing_builds_and_reconciles(
    tmp_path_factory: pytest.TempPathFactory, seed: int, texts: list[str]
) -> None:
    root = tmp_path_factory.mktemp("hostile")
    landing = root / "landing"
    expected = generate_landing(landing, seed, texts)
    result = dbt_build(
        landing, root / "work", vars={"on_bad_file": "quarantine"}, expect_ok=False
    )
    figures = check_hostile_build(result, expected, landing)
    figures["broken_kinds"] = dict(expected.broken_kinds)
    FIGURES.append(figures)
    print(f"hostile build (seed {seed}): {figures}")


def test_bad_files_stop_the_build_naming_file_expected_and_found(
    tmp_path: Path,
) -> None:
    """on_bad_file=fail (the default): each kind of structurally bad file stops the
    build with 'Bad landing file <path> (<system>): expected ..., found ...'."""
    landing = tmp_path / "landing"
    bad = {
        ("sfb_qoe", "Session_latin1.csv"): (
            "SessionSeq,ConferenceDateTime,CallerPool\n1,2024-03-05 10:00:00,Andr\xe9\n"
        ).encode("latin-1"),
        ("sfb_cdr", "SessionDetails_noheader.csv"): (
            b"2024-03-05 10:00:00,1,anna.berg@example.com\n"
        ),
        ("superoffice", "chat_session_utf16.csv"): "id,email\n1,a@b.no\n".encode(
            "utf-16"
        ),
        (
            "syllable",
            "sessions_truncated.json",
        ): b'{"items": [{"session_id": "1", "timest',
        ("syllable_labels", "labels_several.json"): b'{"id": 1}\n{"id": 2}\n',
        ("graph", "callRecords_latin1.jsonl"): '{"id": "Andr\xe9"}\n'.encode("latin-1"),
    }
    for (folder, name), content in bad.items():
        (landing / folder).mkdir(parents=True, exist_ok=True)
        (landing / folder / name).write_bytes(content)
    result = dbt_build(
        landing,
        tmp_path / "work",
        # with the seeds (+): the JSON checks run in the model's query, which reads the
        # enum_values seed, so the seed must be there for the check to be reached
        select=(
            "+base_sfb_qoe__sessions +base_sfb_cdr__session_details"
            " +base_superoffice__chat_sessions +base_syllable__sessions"
            " +base_syllable__session_labels +base_graph__call_records"
        ),
        expect_ok=False,
    )
    assert result.returncode != 0
    output = " ".join(result.output.split())
    expectations = {
        "Session_latin1.csv": (
            "(sfb_qoe)",
            "expected CSV text in UTF-8",
            "not valid UTF-8",
        ),
        "SessionDetails_noheader.csv": (
            "(sfb_cdr)",
            "expected a CSV header with the documented key column(s)",
            "not column names",
        ),
        "chat_session_utf16.csv": (
            "(superoffice)",
            "expected CSV text in UTF-8",
            "UTF-16",
        ),
        "sessions_truncated.json": (
            "(syllable)",
            "expected one JSON document",
            "not valid JSON",
        ),
        "labels_several.json": ("(syllable)", "expected one JSON document", "per line"),
        "callRecords_latin1.jsonl": ("(graph)", "expected JSON text in UTF-8", "UTF-8"),
    }
    for name, fragments in expectations.items():
        message = re.search(
            rf"Bad landing file \S*{re.escape(name)} .*?on_bad_file", output
        )
        assert message, (name, result.tail())
        for fragment in fragments:
            assert fragment in message.group(0), (name, fragment, message.group(0))
    # the first line of a file without header is data: never echoed
    assert "anna.berg@example.com" not in result.output
