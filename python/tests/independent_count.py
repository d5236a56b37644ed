"""An independent count of what landed, for the reconciliation tests (issue 13).

`staging.row_reconciliation` counts "landed" from the rows of the base models, so a
reader or an unnest that silently drops a row removes it from "landed" too and its data
tests still pass. This helper counts the raw landing files again with Python's `csv`
and `json` modules only (it shares no code with macros/landing/*) and compares the
count with where the warehouse placed the rows:

    independent landed = staged (stg_* rows by source_file)
                         + superseded (row_reconciliation.superseded_rows)
                         + rejected (staging.rejected_rows by source_file)

per file and entity. The rules, written from docs/LANDING.md and docs/RELIABILITY.md:

- a CSV file: every data record (the header is not one; blank lines are not records;
  a record with too few or too many fields is one record);
- a `.json` file: one object (1 record) or a page whose page key (`value` for Graph,
  `items` for Syllable) is an array (one record per item); a `.jsonl` file: one record
  per non-blank line, or per item of a page on that line; a line that is not JSON is
  one record;
- a file that is not UTF-8, a `.json` that is not one JSON document, a CSV whose header
  lacks the key columns or whose line ends are mixed (a CR that does not end a line,
  outside quotes): quarantined, one landed (and rejected) row;
- an empty file (0 bytes, blank, BOM only, header only, empty page): no rows;
- Graph nested levels: every element of `sessions` of a good call record, of
  `segments` of a good session, every element of `media` of a good segment (entity
  media), and per element of `media` its streams (one row each), or one row when the
  element is not an object or has no non-empty `streams` array (a media object without
  streams must not vanish);
- Graph PSTN and Direct Routing (`graph_pstn/`, `graph_direct_routing/`): JSON like the
  top level of Graph (page key `value`), not nested;
- CQD tenant data (`buildings/`, `endpoints/`, `.csv` or `.tsv`, no header): every line
  that holds more than spaces, tabs and a CR is one record; not UTF-8: quarantined.

Which parents are good is read from staging.rejected_rows (a placement, asserted by
the same equation one level up); how many children each parent has is counted here.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

csv.field_size_limit(sys.maxsize)

# landing folder -> (system, top-level entity, format, CSV key columns / JSON page key)
FOLDERS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "sfb_qoe": ("sfb_qoe", "session", "csv", ("ConferenceDateTime", "SessionSeq")),
    "sfb_cdr": ("sfb_cdr", "session_details", "csv", ("SessionIdTime", "SessionIdSeq")),
    "superoffice": ("superoffice", "chat_session", "csv", ("id",)),
    "syllable": ("syllable", "session", "json", ("items",)),
    "syllable_labels": ("syllable", "session_label", "json", ("items",)),
    "graph": ("graph", "call_record", "json", ("value",)),
    "graph_pstn": ("graph_pstn", "call", "json", ("value",)),
    "graph_direct_routing": ("graph_direct_routing", "call", "json", ("value",)),
    "buildings": ("cqd", "building", "delimited", ()),
    "endpoints": ("cqd", "endpoint", "delimited", ()),
}
# (system, entity) -> the stg model holding its staged rows
STAGED_MODELS: dict[tuple[str, str], str] = {
    ("sfb_qoe", "session"): "staging.stg_sfb_qoe__sessions",
    ("sfb_cdr", "session_details"): "staging.stg_sfb_cdr__session_details",
    ("superoffice", "chat_session"): "staging.stg_superoffice__chat_sessions",
    ("syllable", "session"): "staging.stg_syllable__sessions",
    ("syllable", "session_label"): "staging.stg_syllable__session_labels",
    ("graph", "call_record"): "staging.stg_graph__call_records",
    ("graph", "session"): "staging.stg_graph__sessions",
    ("graph", "segment"): "staging.stg_graph__segments",
    ("graph", "media_stream"): "staging.stg_graph__media_streams",
    ("graph", "media"): "staging.stg_graph__media",
    ("graph_pstn", "call"): "staging.stg_graph_pstn__calls",
    ("graph_direct_routing", "call"): "staging.stg_graph_direct_routing__calls",
    ("cqd", "building"): "staging.stg_cqd__buildings",
    ("cqd", "endpoint"): "staging.stg_cqd__endpoints",
}
# system, entity, file name
Key = tuple[str, str, str]
# entity, file name, row number, source path ('' for none)
Location = tuple[str, str, int, str]


@dataclass
class LandingCount:
    """Rows landed per (system, entity, file name), counted from the raw files."""

    landed: Counter = field(default_factory=Counter)
    quarantined: set[tuple[str, str]] = field(default_factory=set)
    empty: set[tuple[str, str]] = field(default_factory=set)
    # Graph call records: (file name, row number, source path, parsed record)
    call_records: list[tuple[str, int, str, Any]] = field(default_factory=list)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _parse_json(text: str) -> tuple[bool, Any]:
    """(valid, value): strict JSON (no NaN/Infinity literals, no raw control chars)."""
    try:
        return True, json.loads(text, parse_constant=_no_constants)
    except ValueError:
        return False, None


def _csv_quarantined(text: str, keys: tuple[str, ...]) -> bool:
    unquoted = re.sub(r'"[^"]*"', "", text)
    cr, lf, crlf = unquoted.count("\r"), unquoted.count("\n"), unquoted.count("\r\n")
    if cr and not (cr == lf == crlf):
        return True
    first_line = text.split("\n", 1)[0].rstrip("\r")
    header = next(csv.reader([first_line]), [])
    lowered = {name.strip().lower() for name in header}
    return any(key.lower() not in lowered for key in keys)


def _csv_records(text: str) -> int:
    rows = csv.reader(io.StringIO(text, newline=""))
    next(rows, None)  # the header
    return sum(1 for row in rows if row)


def _delimited_records(text: str) -> int:
    """Lines of a header-less CQD tenant data file that hold more than white space."""
    return sum(1 for line in text.split("\n") if line.strip(" \t\r"))


def _json_units(path: Path, text: str) -> Iterator[tuple[int | None, str]]:
    """(line number or None, text) of each JSON document of a file."""
    if path.suffix.lower() == ".jsonl":
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip(" \t\r"):
                yield number, line.rstrip("\r")
    else:
        yield None, text


def count_landing(landing_dir: Path) -> LandingCount:
    """Count every landing folder of `landing_dir` (missing folders: nothing)."""
    count = LandingCount()
    for folder, (system, entity, fmt, keys) in FOLDERS.items():
        directory = Path(landing_dir) / folder
        if not directory.is_dir():
            continue
        suffixes = {
            "csv": (".csv",),
            "delimited": (".csv", ".tsv"),
            "json": (".json", ".jsonl"),
        }[fmt]
        for path in sorted(directory.iterdir()):
            if not path.is_file() or path.suffix.lower() not in suffixes:
                continue
            key = (system, entity, path.name)
            try:
                text = path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                count.quarantined.add((folder, path.name))
                count.landed[key] += 1
                continue
            text = text.removeprefix("\ufeff")
            if not text.strip(" \t\r\n"):
                count.empty.add((folder, path.name))
                count.landed[key] += 0
                continue
            if fmt == "csv":
                if _csv_quarantined(text, keys):
                    count.quarantined.add((folder, path.name))
                    count.landed[key] += 1
                    continue
                records = _csv_records(text)
            elif fmt == "delimited":
                records = _delimited_records(text)
            else:
                records = _count_json_file(count, path, text, keys[0], folder)
                if records is None:
                    count.quarantined.add((folder, path.name))
                    count.landed[key] += 1
                    continue
            count.landed[key] += records
            if records == 0:
                count.empty.add((folder, path.name))
    return count


def _count_json_file(
    count: LandingCount, path: Path, text: str, page_key: str, folder: str
) -> int | None:
    """Records of one JSON file (None: not one valid JSON document)."""
    records = 0
    for line_number, unit in _json_units(path, text):
        valid, document = _parse_json(unit)
        if not valid:
            if line_number is None:
                return None
            records += 1
            continue
        is_page = isinstance(document, dict) and isinstance(
            document.get(page_key), list
        )
        items = document[page_key] if is_page else [document]
        for index, item in enumerate(items):
            records += 1
            if folder == "graph":
                # the line number in a .jsonl, else the item number (1: one object)
                row_number = line_number if line_number is not None else index + 1
                on_line_page = is_page and line_number is not None
                location = f"{page_key}[{index}]" if on_line_page else ""
                count.call_records.append((path.name, row_number, location, item))
    return records


def _child(parent: str, member: str, index: int) -> str:
    return f"{parent}.{member}[{index}]" if parent else f"{member}[{index}]"


def count_graph_nested(count: LandingCount, rejected: set[Location]) -> None:
    """Add the nested Graph rows under the parents the warehouse did not reject."""
    for name, number, path, record in count.call_records:
        if ("call_record", name, number, path) in rejected:
            continue
        sessions = record.get("sessions") if isinstance(record, dict) else None
        for s_index, session in enumerate(_as_list(sessions)):
            count.landed[("graph", "session", name)] += 1
            s_path = _child(path, "sessions", s_index)
            if ("session", name, number, s_path) in rejected:
                continue
            segments = session.get("segments") if isinstance(session, dict) else None
            for g_index, segment in enumerate(_as_list(segments)):
                count.landed[("graph", "segment", name)] += 1
                g_path = _child(s_path, "segments", g_index)
                if ("segment", name, number, g_path) in rejected:
                    continue
                media = segment.get("media") if isinstance(segment, dict) else None
                for medium in _as_list(media):
                    count.landed[("graph", "media", name)] += 1
                    streams = (
                        medium.get("streams") if isinstance(medium, dict) else None
                    )
                    rows = len(streams) if isinstance(streams, list) and streams else 1
                    count.landed[("graph", "media_stream", name)] += rows


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def warehouse_placement(con: Any) -> tuple[Counter, Counter, Counter, set[Location]]:
    """(staged, superseded, rejected) per (system, entity, file name) and the locations
    of the rejected rows, read from a warehouse connection."""
    staged: Counter = Counter()
    for (system, entity), relation in STAGED_MODELS.items():
        for file, rows in con.execute(
            f"select source_file, count(*) from {relation} group by source_file"
        ).fetchall():
            staged[(system, entity, Path(file).name)] += rows
    superseded: Counter = Counter()
    for system, entity, file, rows in con.execute(
        "select source_system, source_entity, source_file, superseded_rows"
        " from staging.row_reconciliation"
    ).fetchall():
        superseded[(system, entity, Path(file).name)] += rows
    rejected: Counter = Counter()
    locations: set[Location] = set()
    for system, entity, file, number, path in con.execute(
        "select source_system, source_entity, source_file, source_row_number,"
        " source_path from staging.rejected_rows"
    ).fetchall():
        rejected[(system, entity, Path(file).name)] += 1
        if number is not None:
            locations.add((entity, Path(file).name, int(number), path or ""))
    return staged, superseded, rejected, locations


@dataclass
class Reconciliation:
    landed: Counter
    staged: Counter
    superseded: Counter
    rejected: Counter
    count: LandingCount

    def unbalanced(self) -> list[tuple[Key, int, int, int, int]]:
        """(key, landed, staged, superseded, rejected) where landed != the sum."""
        keys = set(self.landed) | set(self.staged) | set(self.rejected)
        keys |= {k for k, v in self.superseded.items() if v}
        return sorted(
            (k, self.landed[k], self.staged[k], self.superseded[k], self.rejected[k])
            for k in keys
            if self.landed[k] != self.staged[k] + self.superseded[k] + self.rejected[k]
        )

    def totals(self) -> dict[str, int]:
        return {
            "files": len({(k[0], k[2]) for k in self.landed}),
            "landed": sum(self.landed.values()),
            "staged": sum(self.staged.values()),
            "superseded": sum(self.superseded.values()),
            "rejected": sum(self.rejected.values()),
        }

    def by_entity(self) -> dict[tuple[str, str], int]:
        entities: Counter = Counter()
        for (system, entity, _name), rows in self.landed.items():
            entities[(system, entity)] += rows
        return dict(entities)


def reconcile(con: Any, landing_dir: Path) -> Reconciliation:
    """Count `landing_dir` independently and read the warehouse's placement."""
    staged, superseded, rejected, locations = warehouse_placement(con)
    count = count_landing(landing_dir)
    count_graph_nested(count, locations)
    return Reconciliation(count.landed, staged, superseded, rejected, count)


def assert_independent_reconciliation(con: Any, landing_dir: Path) -> Reconciliation:
    """Fail unless every file and entity balances against the independent count and
    the warehouse quarantined exactly the files counted as bad here."""
    result = reconcile(con, landing_dir)
    unbalanced = result.unbalanced()
    assert unbalanced == [], (
        "independent landed != staged + superseded + rejected for"
        " (system, entity, file), landed, staged, superseded, rejected: "
        f"{unbalanced[:20]}"
    )
    quarantined = {
        (folder, Path(file).name)
        for folder, file in con.execute(
            "select landing_folder, source_file from staging.landed_files"
            " where file_status = 'quarantined'"
        ).fetchall()
    }
    assert quarantined == result.count.quarantined, (
        quarantined ^ result.count.quarantined
    )
    # landed_files: top-level records per file (0 for a quarantined or empty file)
    top_level = {
        (folder, name): 0 if (folder, name) in result.count.quarantined else rows
        for folder, (system, entity, _fmt, _keys) in FOLDERS.items()
        for (s, e, name), rows in result.landed.items()
        if (s, e) == (system, entity)
    }
    listed = {
        (folder, Path(file).name): records
        for folder, file, records in con.execute(
            "select landing_folder, source_file, landed_records"
            " from staging.landed_files"
            " where file_status <> 'removed'"  # gone from the landing dir
        ).fetchall()
    }
    assert listed == top_level, sorted(set(listed.items()) ^ set(top_level.items()))
    return result
