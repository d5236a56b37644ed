"""Incremental loads (issue 5): an incremental `dbt build` gives the full-refresh marts.

The base_* staging models load landed files incrementally (delete+insert keyed on
source_file): a build without --full-refresh reads only files whose path, size and
modification time it has not loaded before, and a changed file of the same name
replaces its earlier rows. The stg models and the Graph media int models choose again
only the keys (Graph: call records) those files touch (macros/landing/staged_rows.sql);
the other models are rebuilt.

One scenario, built once for the module (2,000 generated sessions over 10 days, seed
5, in tmp_path; four dbt invocations, one at a time, about two minutes):

1. ``first``: a full `dbt build` of days 1-9 (a fresh warehouse in work dir
   ``incremental``).
2. Landed next: day 10 (a second ``generate()`` call, as the benchmark adds its
   "1 % new day"), a byte-identical copy of two loaded files re-landed under the same
   name (``cp -p``: same size and mtime), and the day-4 SuperOffice file rewritten
   under the same name (one row dropped, one topic changed).
   ``baseline``: a fresh build of that landing dir (models and seeds, no tests): the
   state of days 1-10 without the day-3 re-exports.
3. Landed last: day-3 re-exports in NEW files, written here in the native formats of
   docs/LANDING.md: SfB CDR SessionDetails rows with a later LastModifiedTime and a
   changed outcome, and two Graph callRecords with a higher ``version`` (one with a
   worse stream and a session removed, one with a session added).
   ``incremental``: `dbt build` into the warehouse of step 1.
4. ``full``: a fresh `dbt build` of the same final landing dir.

The tests check (a) incremental == full for every marts relation and every stg_*
relation (row hashes; DOUBLE columns to FLOAT_RELATIVE_TOLERANCE, the helpers of
test_idempotency.py); (b) the incremental run was incremental: rows of files it had
loaded keep their first loaded_at, new and changed files have a later one; (c) the
re-landed identical files are not counted twice, the day-3 re-exports did change the
marts (so (a) is not vacuous), and staging.row_reconciliation still balances.

Every landing path is the same in all four warehouses (one landing dir, changed in
place), so staging relations holding source_file compare directly.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import random
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dbt_harness import DbtResult, dbt_build
from independent_count import assert_independent_reconciliation
from test_idempotency import (
    FLOAT_RELATIVE_TOLERANCE,
    float_only_differences,
    relation_columns,
    relation_hashes,
)

from session_analytics.generate import generate
from session_analytics.generate.common import iso7

SEED = 5
START = dt.date(2024, 3, 4)  # a Monday: day 3 is a busy Wednesday
FIRST_DAYS = 9
FIRST_SESSIONS = 1_800  # days 1-9
DAY10_SESSIONS = 200
CDR_REEXPORTED_ROWS = 3
# The base tables whose loaded_at shows what an incremental run read again.
BASE_TABLES = (
    "staging.base_sfb_cdr__session_details",
    "staging.base_superoffice__chat_sessions",
    "staging.base_graph__call_records",
)
GRAPH_CONTEXT = (
    "https://graph.microsoft.com/v1.0/$metadata"
    "#communications/callRecords(sessions(segments()))"
)


def day(number: int) -> dt.date:
    """The date of day ``number`` (1-based) of the scenario."""
    return START + dt.timedelta(days=number - 1)


# ------------------------------------------------------------------ snapshots


@dataclass(frozen=True)
class FileLoad:
    """The rows of one landed file in a base table and when they were loaded."""

    rows: int
    first_loaded: dt.datetime
    last_loaded: dt.datetime


def file_key(source_file: str) -> str:
    """``folder/name`` of a source_file (the landing dir is the same everywhere)."""
    path = Path(source_file)
    return f"{path.parent.name}/{path.name}"


def file_loads(result: DbtResult, relation: str) -> dict[str, FileLoad] | str:
    """{folder/name: FileLoad} of a base table, or why it cannot be read."""
    try:
        rows = result.query(
            f"select source_file, count(*), min(loaded_at), max(loaded_at)"
            f" from {relation} group by source_file"
        )
    except duckdb.Error as error:  # e.g. an ephemeral model: no table to look at
        return f"{relation} cannot be read: {error}".splitlines()[0]
    return {file_key(f): FileLoad(n, first, last) for f, n, first, last in rows}


def rows_per_file(result: DbtResult) -> dict[str, dict[str, int]]:
    """{relation: {folder/name: rows}} of every staging relation with source_file."""
    counts: dict[str, dict[str, int]] = {}
    for relation, columns in relation_columns(result.db_path).items():
        if relation.startswith("staging.") and ("source_file", "VARCHAR") in columns:
            rows = result.query(
                f"select source_file, count(*) from {relation} group by source_file"
            )
            counts[relation] = {file_key(f): n for f, n in rows if f is not None}
    return counts


def compared(hashes: dict[str, tuple[int, str]]) -> dict[str, tuple[int, str]]:
    """The relations (a) compares: all of schemas marts and intermediate, the stg_* of
    staging."""
    return {
        relation: value
        for relation, value in hashes.items()
        if relation.startswith(("marts.", "intermediate.", "staging.stg_"))
    }


# -------------------------------------------------------------- landing files


def move_into(source: Path, landing: Path) -> list[str]:
    """Move every file of ``source`` into ``landing`` (never over a file)."""
    moved = []
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = landing / path.relative_to(source)
        assert not target.exists(), f"{target} would be replaced"
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)
        moved.append(file_key(str(target)))
    return moved


def read_csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write_csv_rows(
    path: Path, header: list[str], rows: list[dict[str, str]], bom: bool = False
) -> None:
    """A CSV export as the generator writes it: header, "\\r\\n", minimal quoting."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def graph_objects(path: Path) -> list[dict[str, Any]]:
    """Call records of a Graph landing file: a page, one record or JSON Lines."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    doc = json.loads(text)
    return doc.get("value", [doc])


def sql_datetime(text: str, plus: dt.timedelta) -> str:
    """SQL Server datetime text ``text`` moved by ``plus`` (milliseconds kept)."""
    t = dt.datetime.fromisoformat(text) + plus
    return f"{t:%Y-%m-%d %H:%M:%S}.{t.microsecond // 1000:03d}"


def graph_time(text: str, plus: dt.timedelta) -> str:
    """Graph timestamp ``text`` (7 fractional digits, Z) moved by ``plus``."""
    return iso7(dt.datetime.strptime(text[:26], "%Y-%m-%dT%H:%M:%S.%f") + plus)


def reland_identical(path: Path, scratch: Path) -> None:
    """Land ``path`` again under the same name as a byte-identical ``cp -p`` copy."""
    before = path.stat()
    content = path.read_bytes()
    scratch.mkdir(parents=True, exist_ok=True)
    kept = scratch / path.name
    shutil.copy2(path, kept)
    path.unlink()
    shutil.copy2(kept, path)
    after = path.stat()
    assert path.read_bytes() == content
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def rewrite_superoffice(path: Path) -> int:
    """Re-land a changed SuperOffice file under the same name: the last row dropped,
    the first row's topic changed. Returns its new row count."""
    header, rows = read_csv_rows(path)
    rows = rows[:-1]
    rows[0]["topic_id"] = "2" if rows[0]["topic_id"] == "1" else "1"
    write_csv_rows(path, header, rows, bom=True)
    return len(rows)


def cdr_reexport(landing: Path) -> tuple[str, list[tuple[str, str]]]:
    """Day-3 CDR rows again in a new file: later LastModifiedTime, SIP 486 (busy)
    instead of 200, the session ended at the response. Returns (file, keys)."""
    folder = landing / "sfb_cdr"
    header, rows = read_csv_rows(folder / f"SessionDetails_{day(3)}.csv")
    already = {  # keys the generator re-exports itself: leave them alone
        (r["SessionIdTime"], r["SessionIdSeq"])
        for path in folder.glob("*_reexport.csv")
        for r in read_csv_rows(path)[1]
    }
    picked = [
        r
        for r in rows
        if r["ResponseCode"] == "200"
        and r["SessionEndTime"]
        and r["Processed"] == "1"
        and (r["SessionIdTime"], r["SessionIdSeq"]) not in already
    ][:CDR_REEXPORTED_ROWS]
    assert len(picked) == CDR_REEXPORTED_ROWS, "seed has too few day-3 CDR rows"
    updated = []
    for row in picked:
        new = dict(row)
        new["ResponseCode"] = "486"
        new["DiagnosticId"] = "52085"
        new["SessionEndTime"] = row["ResponseTime"]
        new["LastModifiedTime"] = sql_datetime(
            row["LastModifiedTime"], dt.timedelta(days=2)
        )
        updated.append(new)
    path = folder / f"SessionDetails_{day(3)}_reexport_{day(11)}.csv"
    write_csv_rows(path, header, updated)
    return file_key(str(path)), [
        (r["SessionIdTime"], r["SessionIdSeq"]) for r in picked
    ]


@dataclass(frozen=True)
class GraphChanges:
    file: str
    removed: tuple[str, str]  # (call_record_id, session_id) no longer in the record
    added: tuple[str, str]  # a session only the re-export has
    streams: tuple[tuple[str, str, str], ...]  # (record, session, stream) made worse


def _has_metrics(media: dict[str, Any]) -> bool:
    return media["label"] == "main-audio" and all(
        s.get("averageRoundTripTime") not in (None, "PT0.9S") for s in media["streams"]
    )


def graph_reexport(landing: Path) -> GraphChanges:
    """Two day-3 call records again in a new page with a higher version: record A
    loses its last session and gets a bad first audio stream pair, record B gains a
    session (a copy of its first with new ids)."""
    folder = landing / "graph"
    daily = next(folder.glob(f"callRecords_{day(3)}.json*"))
    records = graph_objects(daily)
    reexported = {
        r["id"] for p in folder.glob("callRecord_*.json") for r in graph_objects(p)
    }

    def visible(session: dict[str, Any]) -> bool:  # in the marts: not a test session
        return not session["isTest"]

    a = next(
        r
        for r in records
        if r["id"] not in reexported
        and len(r["sessions"]) >= 2
        and visible(r["sessions"][0])
        and visible(r["sessions"][-1])
        and any(_has_metrics(m) for m in r["sessions"][0]["segments"][0]["media"])
    )
    b = next(
        r
        for r in records
        if r["id"] not in reexported
        and r["id"] != a["id"]
        and visible(r["sessions"][0])
    )
    new_a = copy.deepcopy(a)
    removed = new_a["sessions"].pop()
    first = new_a["sessions"][0]
    media = next(m for m in first["segments"][0]["media"] if _has_metrics(m))
    streams = []
    for stream in media["streams"]:
        stream["averageRoundTripTime"] = "PT0.9S"
        stream["maxRoundTripTime"] = "PT1.5S"
        stream["averagePacketLossRate"] = 0.3
        stream["maxPacketLossRate"] = 0.5
        streams.append((a["id"], first["id"], stream["streamId"]))

    new_b = copy.deepcopy(b)
    rng = random.Random(SEED)

    def new_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    added = copy.deepcopy(b["sessions"][0])
    added["id"] = new_id()
    for segment in added["segments"]:
        segment["id"] = new_id()
    new_b["sessions"].append(added)

    for old, new in ((a, new_a), (b, new_b)):
        new["version"] = old["version"] + 1
        new["lastModifiedDateTime"] = graph_time(
            old["lastModifiedDateTime"], dt.timedelta(days=2)
        )
    path = folder / f"callRecords_{day(3)}_reexport_{day(11)}.json"
    page = {"@odata.context": GRAPH_CONTEXT, "value": [new_a, new_b]}
    text = json.dumps(page, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return GraphChanges(
        file=file_key(str(path)),
        removed=(a["id"], removed["id"]),
        added=(b["id"], added["id"]),
        streams=tuple(streams),
    )


# ------------------------------------------------------------------ scenario


@dataclass(frozen=True)
class Scenario:
    landing: Path
    first: DbtResult
    first_loads: dict[str, dict[str, FileLoad] | str]  # per base table, after step 1
    first_counts: dict[str, dict[str, int]]  # rows per file per staging relation
    baseline: DbtResult  # days 1-10 without the day-3 re-exports (fresh)
    incremental: DbtResult  # steps 1 + 3 in one warehouse
    full: DbtResult  # the final landing dir, fresh
    day10_files: tuple[str, ...]
    relanded: tuple[str, ...]  # byte-identical copies under the same name
    rewritten: str  # changed file under the same name
    rewritten_rows: int
    cdr_file: str
    cdr_keys: tuple[tuple[str, str], ...]
    graph: GraphChanges


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    root = tmp_path_factory.mktemp("incremental")
    landing = root / "landing"
    generate(landing, FIRST_SESSIONS, FIRST_DAYS, SEED, start_date=day(1))

    # 1. Full load of days 1-9.
    first = dbt_build(landing, root / "incremental")
    first_loads = {table: file_loads(first, table) for table in BASE_TABLES}
    first_counts = rows_per_file(first)

    # 2. Day 10 (a later generate() call), identical copies, a changed same-name file.
    generate(root / "day10", DAY10_SESSIONS, 1, SEED, start_date=day(10))
    day10_files = move_into(root / "day10", landing)
    relanded = (
        landing / "sfb_cdr" / f"SessionDetails_{day(5)}.csv",
        next((landing / "graph").glob(f"callRecords_{day(5)}.json*")),
    )
    for path in relanded:
        reland_identical(path, root / "scratch")
    rewritten = landing / "superoffice" / f"chat_session_{day(4)}.csv"
    rewritten_rows = rewrite_superoffice(rewritten)
    baseline = dbt_build(
        landing,
        root / "baseline",
        select="resource_type:seed resource_type:model",
        env={"DBT_INDIRECT_SELECTION": "empty"},  # no tests: only a reference state
    )

    # 3. The day-3 re-exports in new files, then the incremental build.
    cdr_file, cdr_keys = cdr_reexport(landing)
    graph = graph_reexport(landing)
    incremental = dbt_build(landing, root / "incremental", expect_ok=False)

    # 4. A fresh build of the final landing dir.
    full = dbt_build(landing, root / "full")
    return Scenario(
        landing=landing,
        first=first,
        first_loads=first_loads,
        first_counts=first_counts,
        baseline=baseline,
        incremental=incremental,
        full=full,
        day10_files=tuple(day10_files),
        relanded=tuple(file_key(str(p)) for p in relanded),
        rewritten=file_key(str(rewritten)),
        rewritten_rows=rewritten_rows,
        cdr_file=cdr_file,
        cdr_keys=tuple(cdr_keys),
        graph=graph,
    )


def _require_incremental_ok(scenario: Scenario) -> None:
    assert scenario.incremental.ok, (
        "the incremental dbt build failed; last lines of its output:\n"
        + scenario.incremental.tail()
    )


# ------------------------------------------------------------------------ tests


def test_incremental_build_succeeds(scenario: Scenario) -> None:
    # Fails when any model, data test (e.g. the row_reconciliation balance or the
    # unique keys of the stg models) or unit test of the incremental run fails.
    _require_incremental_ok(scenario)


def test_incremental_build_equals_full_refresh(scenario: Scenario) -> None:
    """(a) Every marts relation and every stg_* relation is the same, row for row."""
    _require_incremental_ok(scenario)
    incremental = compared(relation_hashes(scenario.incremental))
    full = compared(relation_hashes(scenario.full))
    # Fails if a relation exists in only one warehouse (e.g. a model not rebuilt).
    assert sorted(incremental) == sorted(full)
    assert any(r.startswith("marts.") for r in full)
    assert any(r.startswith("staging.stg_") for r in full)
    # Not vacuous: both warehouses hold rows.
    assert sum(rows for rows, _ in full.values()) > 0
    columns = relation_columns(scenario.full.db_path)
    differing: dict[str, str] = {}
    for relation in sorted(r for r in full if full[r] != incremental[r]):
        rows = f"{incremental[relation][0]} rows incremental, {full[relation][0]} full"
        try:
            # Fails (AssertionError) when rows differ beyond DOUBLE columns: a file
            # read twice or not read again, a superseded version kept, a deleted row
            # still there.
            diffs = float_only_differences(
                scenario.incremental.db_path,
                scenario.full.db_path,
                relation,
                columns[relation],
            )
        except AssertionError as error:
            differing[relation] = f"{rows}: {str(error).splitlines()[0]}"
            continue
        too_large = {c: d for c, d in diffs.items() if d > FLOAT_RELATIVE_TOLERANCE}
        if too_large:
            differing[relation] = f"{rows}: DOUBLE columns differ: {too_large}"
    assert differing == {}


def _loads_after(scenario: Scenario) -> dict[str, dict[str, FileLoad] | str]:
    return {table: file_loads(scenario.incremental, table) for table in BASE_TABLES}


@pytest.mark.parametrize("table", BASE_TABLES)
def test_untouched_files_keep_their_first_load(scenario: Scenario, table: str) -> None:
    """(b) Rows of files loaded by the first run and not changed since (including the
    re-landed identical copies) keep the loaded_at of the first run."""
    before = scenario.first_loads[table]
    after = _loads_after(scenario)[table]
    # Fails while the base model is ephemeral (no table) or missing.
    assert isinstance(before, dict), before
    assert isinstance(after, dict), after
    untouched = sorted(f for f in before if f != scenario.rewritten)
    assert untouched
    # Fails when the run rebuilt the table from every file (a plain table model, or
    # an incremental model that does not recognise loaded files): every row then has
    # the second run's loaded_at. Also fails when an untouched file lost or gained
    # rows.
    reloaded = {
        f: (before[f], after.get(f)) for f in untouched if after.get(f) != before[f]
    }
    assert not reloaded, (
        f"{len(reloaded)} of {len(untouched)} untouched files were loaded again,"
        f" e.g. {next(iter(reloaded.items()))}"
    )


@pytest.mark.parametrize("table", BASE_TABLES)
def test_new_and_changed_files_are_loaded_later(scenario: Scenario, table: str) -> None:
    """(b) The files landed after the first run are in the base table, loaded later
    than anything of the first run; a changed same-name file replaced its rows."""
    before = scenario.first_loads[table]
    after = _loads_after(scenario)[table]
    assert isinstance(before, dict), before
    assert isinstance(after, dict), after
    folder = next(iter(before)).split("/")[0]
    expected_new = {f for f in scenario.day10_files if f.startswith(folder + "/")}
    expected_new |= {
        f for f in (scenario.cdr_file, scenario.graph.file) if f.startswith(folder)
    }
    assert expected_new  # every folder of BASE_TABLES gets new files
    new = {f for f in after if f not in before}
    # Fails when a new file was not read (or a file was read that was never landed).
    assert new == expected_new
    first_run_end = max(load.last_loaded for load in before.values())
    # Fails when a new file's rows carry a loaded_at not later than the first run.
    assert {f: after[f] for f in new if after[f].first_loaded <= first_run_end} == {}
    if folder == scenario.rewritten.split("/")[0]:
        changed = after[scenario.rewritten]
        # Fails when the changed file was skipped (same name: only size and mtime
        # differ) or when its old rows were kept next to the new ones.
        assert changed.first_loaded > first_run_end
        assert changed.rows == scenario.rewritten_rows
        assert before[scenario.rewritten].rows == scenario.rewritten_rows + 1


def test_relanded_identical_files_are_not_counted_twice(scenario: Scenario) -> None:
    """(c) A byte-identical copy under the same name (same size and mtime) adds no
    row anywhere in staging, and every base/stg table has per file exactly the rows
    of a fresh build."""
    after = rows_per_file(scenario.incremental)
    for name in scenario.relanded:
        for relation, counts in scenario.first_counts.items():
            if name in counts:
                # Fails when the copy was appended to the old rows (double counted)
                # or its rows were dropped.
                assert after.get(relation, {}).get(name) == counts[name], (
                    relation,
                    name,
                )
    assert any(
        name in c for c in scenario.first_counts.values() for name in scenario.relanded
    )
    full = rows_per_file(scenario.full)
    # Fails when any landed file has more (read twice) or fewer (old version deleted
    # without the new one) rows in a staging relation than after a fresh build.
    mismatched = {
        relation: {
            f: (after.get(relation, {}).get(f), n)
            for f, n in counts.items()
            if after.get(relation, {}).get(f) != n
        }
        for relation, counts in full.items()
    }
    assert {r: m for r, m in mismatched.items() if m} == {}


def test_day3_reexports_changed_the_marts(scenario: Scenario) -> None:
    """(c) The re-exports are not ignored: the full build of the final landing dir
    differs from the one without them where it should, so (a) can fail."""
    baseline = compared(relation_hashes(scenario.baseline))
    full = compared(relation_hashes(scenario.full))
    changed = {r for r in full if baseline.get(r) != full[r]}
    # Fails when the new files were rejected or lost against the older versions.
    assert {
        "marts.fct_sessions",
        "marts.fct_graph_media_streams",
        "staging.stg_sfb_cdr__session_details",
        "staging.stg_graph__call_records",
        "staging.stg_graph__sessions",
        "staging.stg_graph__media_streams",
    } <= changed

    def cdr(result: DbtResult) -> list[tuple[Any, ...]]:
        return sorted(
            row
            for time, seq in scenario.cdr_keys
            for row in result.query(
                "select response_code, last_modified_time > invite_time"
                " from staging.stg_sfb_cdr__session_details"
                " where session_id_time = cast(? as timestamp)"
                " and session_id_seq = cast(? as integer)",
                [time, seq],
            )
        )

    keys = len(scenario.cdr_keys)
    assert cdr(scenario.baseline) == [(200, True)] * keys
    assert cdr(scenario.full) == [(486, True)] * keys  # the later row won

    def busy(result: DbtResult) -> int:
        return result.count(
            "marts.fct_sessions",
            "source_system = 'sfb_cdr' and sip_response_code = 486",
        )

    assert busy(scenario.full) == busy(scenario.baseline) + keys

    def graph_session(result: DbtResult, key: tuple[str, str]) -> int:
        return result.count(
            "marts.fct_sessions",
            f"source_system = 'graph' and source_session_id = '{key[0]}|{key[1]}'",
        )

    removed, added = scenario.graph.removed, scenario.graph.added
    assert (
        graph_session(scenario.baseline, removed),
        graph_session(scenario.full, removed),
    ) == (1, 0)
    assert (
        graph_session(scenario.baseline, added),
        graph_session(scenario.full, added),
    ) == (0, 1)

    def round_trips(result: DbtResult) -> list[float]:
        return [
            value
            for record, session, stream in scenario.graph.streams
            for (value,) in result.query(
                "select average_round_trip_time_ms from marts.fct_graph_media_streams"
                " where call_record_id = ? and session_id = ? and stream_id = ?",
                [record, session, stream],
            )
        ]

    streams = len(scenario.graph.streams)
    assert len(round_trips(scenario.baseline)) == streams
    assert 900.0 not in round_trips(scenario.baseline)
    assert round_trips(scenario.full) == [900.0] * streams


def test_row_reconciliation_still_balances(scenario: Scenario) -> None:
    """(c) landed = staged + superseded + rejected for every file and entity after the
    incremental run, with the same numbers as a fresh build."""
    _require_incremental_ok(scenario)
    sql = (
        "select source_system, source_entity, source_file, landed_rows, staged_rows,"
        " superseded_rows, rejected_rows from staging.row_reconciliation"
    )
    rows = scenario.incremental.query(sql)
    assert rows
    # Fails when the base tables and the stg models disagree (e.g. rows of an old
    # file version left in a base table, or a superseded version staged).
    assert [r for r in rows if r[3] != r[4] + r[5] + r[6]] == []
    # Fails when the counts differ from a fresh build (same landing paths in both).
    assert sorted(rows) == sorted(scenario.full.query(sql))
    superseded = {
        file_key(r[2]): r[5] for r in rows if r[1] in ("session_details", "call_record")
    }
    # The day-3 files' rows replaced by the re-exports count as superseded.
    assert superseded[f"sfb_cdr/SessionDetails_{day(3)}.csv"] >= len(scenario.cdr_keys)
    day3_graph = next(
        f for f in superseded if f.startswith(f"graph/callRecords_{day(3)}.json")
    )
    assert superseded[day3_graph] >= 2


# ------------------------------------ incremental runs with bad and quarantined files

QUARANTINE = {"on_bad_file": "quarantine"}
EXTRA_CHATS = "superoffice/chat_session_extra.csv"
EXTRA_HEADER = "id,topic_id,status,when_requested,when_started,when_ended\n"
GOOD_CHAT = "900001,1,7,2024-03-04 10:00:00,2024-03-04 10:00:15,2024-03-04 10:05:00\n"
REJECTED_CHAT = (
    "12abc,1,7,2024-03-04 11:00:00,2024-03-04 11:00:15,2024-03-04 11:05:00\n"
)
QOE_FILE = "sfb_qoe/Session_late.csv"
GOOD_QOE = (
    "ConferenceDateTime,SessionSeq,StartTime,EndTime\n"
    "2024-03-04 12:00:00,1,2024-03-04 12:00:00,2024-03-04 12:03:00\n"
)
TRUNCATED_GRAPH = "graph/zz_truncated.json"


def _staging_state(result: DbtResult) -> dict[str, tuple[int, str]]:
    """Row hashes of rejected_rows, landed_files, row_reconciliation, the stg_* models,
    the int models and the marts (loaded_at and staged_at left out)."""
    return {
        relation: value
        for relation, value in relation_hashes(result).items()
        if relation.startswith(("marts.", "intermediate.", "staging.stg_"))
        or relation
        in (
            "staging.rejected_rows",
            "staging.landed_files",
            "staging.row_reconciliation",
        )
    }


def _assert_same_state(
    incremental: DbtResult, full: DbtResult, leave_out: tuple[str, ...] = ()
) -> tuple[dict[str, tuple[int, str]], dict[str, tuple[int, str]]]:
    """Fail unless the two warehouses hold the same _staging_state relations (but
    `leave_out`) with the same rows; only DOUBLE aggregates may differ, in their last
    bits (test_idempotency.py). Returns both states."""
    incremental_state, full_state = _staging_state(incremental), _staging_state(full)
    for relation in leave_out:
        del incremental_state[relation], full_state[relation]
    assert set(incremental_state) == set(full_state)
    columns = relation_columns(full.db_path)
    differing = {
        relation: float_only_differences(
            full.db_path, incremental.db_path, relation, columns[relation]
        )
        for relation in full_state
        if incremental_state[relation] != full_state[relation]
    }
    assert all(
        diff <= FLOAT_RELATIVE_TOLERANCE
        for diffs in differing.values()
        for diff in diffs.values()
    ), differing
    return incremental_state, full_state


def test_incremental_runs_with_bad_and_quarantined_files(tmp_path: Path) -> None:
    """A quarantined file fixed under the same name, a file whose rejected row is
    removed, and a new bad file: after an incremental run rejected_rows, landed_files,
    row_reconciliation, stg_* and the marts equal a fresh build of the same landing.

    Run 1 lands 100 generated sessions plus EXTRA_CHATS (one good, one rejected chat:
    id 12abc) and a latin-1 QoE file (quarantined). Run 2 (incremental) sees the QoE
    file rewritten in UTF-8 (same name, new size: read again, loaded), EXTRA_CHATS
    rewritten without the rejected chat, and a truncated Graph page (quarantined).
    """
    landing = tmp_path / "landing"
    generate(landing, sessions=100, days=2, seed=21, start_date=START)
    (landing / EXTRA_CHATS).write_text(EXTRA_HEADER + GOOD_CHAT + REJECTED_CHAT)
    (landing / QOE_FILE).write_bytes(
        GOOD_QOE.replace("12:03", "12:0\xe9").encode("latin-1")
    )
    first = dbt_build(landing, tmp_path / "incremental", vars=QUARANTINE)

    def status(result: DbtResult) -> dict[str, str]:
        return {
            file_key(f): s
            for f, s in result.query(
                "select source_file, file_status from staging.landed_files"
            )
        }

    def rejected(result: DbtResult) -> list[tuple[str, Any, str]]:
        return sorted(
            (file_key(f), n, r)
            for f, n, r in result.query(
                "select source_file, source_row_number, rejection_reason"
                " from staging.rejected_rows"
            )
        )

    # run 1: the QoE file quarantined, the bad chat (record 2) rejected
    assert status(first)[QOE_FILE] == "quarantined"
    assert [(f, n) for f, n, _ in rejected(first)] == [
        (QOE_FILE, None),
        (EXTRA_CHATS, 2),
    ]

    (landing / QOE_FILE).write_text(GOOD_QOE)
    (landing / EXTRA_CHATS).write_text(EXTRA_HEADER + GOOD_CHAT)
    (landing / TRUNCATED_GRAPH).write_text('{"value": [{"id": "a"}, {"id": "b", "se')
    incremental = dbt_build(landing, tmp_path / "incremental", vars=QUARANTINE)
    full = dbt_build(landing, tmp_path / "full", vars=QUARANTINE)

    # run 2: the fixed file loaded, the removed rejected row gone, the new bad file
    # quarantined - in the incremental warehouse as in the fresh one
    for result in (incremental, full):
        files = status(result)
        assert (files[QOE_FILE], files[TRUNCATED_GRAPH]) == ("loaded", "quarantined")
        assert [(f, n) for f, n, _ in rejected(result)] == [(TRUNCATED_GRAPH, None)]
    assert (
        incremental.count(
            "staging.stg_sfb_qoe__sessions", "source_file like '%Session_late.csv'"
        )
        == 1
    )
    incremental_state, full_state = _assert_same_state(incremental, full)
    assert all(
        incremental_state[r] == full_state[r]
        for r in ("staging.rejected_rows", "staging.landed_files")
    )
    with incremental.connect() as con:
        assert_independent_reconciliation(con, landing)


# --------------------------------------------- removed and emptied landed files


def test_removed_and_emptied_files_leave_the_warehouse(tmp_path: Path) -> None:
    """A landed file that is removed and one that is emptied (0 bytes, same name):
    after an incremental run none of their rows is left in any staging relation or
    mart, everything equals a fresh build of the same landing, and
    staging.landed_files records the removed files as `removed` (the emptied one is
    `no records`). Before the delete_unlisted_files pre-hook, delete+insert on
    source_file kept their rows: a removed or emptied file brings no row to delete by.

    Removed: the day-1 Graph page (its sessions, segments and streams too) and the
    day-2 SuperOffice file; emptied: the day-1 CDR file and the day-2 Graph page (a
    Graph file without good call records: its nested rows must go too).
    """
    landing = tmp_path / "landing"
    generate(landing, sessions=100, days=2, seed=23, start_date=START)
    removed = (
        next((landing / "graph").glob(f"callRecords_{day(1)}.json*")),
        landing / "superoffice" / f"chat_session_{day(2)}.csv",
    )
    emptied = (
        landing / "sfb_cdr" / f"SessionDetails_{day(1)}.csv",
        next((landing / "graph").glob(f"callRecords_{day(2)}.json*")),
    )
    gone = {file_key(str(p)) for p in (*removed, *emptied)}
    first = dbt_build(landing, tmp_path / "incremental")
    before = rows_per_file(first)
    # Not vacuous: each of the three files landed rows, also in nested Graph levels.
    for name in gone:
        assert any(counts.get(name, 0) > 0 for counts in before.values()), name
    for path in (removed[0], emptied[1]):
        assert before["staging.base_graph__media_streams"].get(file_key(str(path)))

    for path in removed:
        path.unlink()
    for path in emptied:
        path.write_bytes(b"")
    incremental = dbt_build(landing, tmp_path / "incremental")
    full = dbt_build(landing, tmp_path / "full")

    after = rows_per_file(incremental)
    # Fails when a removed or emptied file's rows are still in a staging relation
    # (row_reconciliation keeps a zero row per entity for the emptied file, which is
    # still landed, and none for the removed ones).
    left = {
        relation: {name: counts[name] for name in gone if name in counts}
        for relation, counts in after.items()
        if relation not in ("staging.landed_files", "staging.row_reconciliation")
    }
    assert {r: names for r, names in left.items() if names} == {}
    assert incremental.query(
        "select source_file, sum(landed_rows) from staging.row_reconciliation"
        " where source_file in (?, ?, ?, ?) group by source_file order by 1",
        [str(p) for p in (*removed, *emptied)],
    ) == sorted((str(p), 0) for p in emptied)

    def files(result: DbtResult) -> dict[str, tuple[str, int, bool]]:
        return {
            file_key(f): (status, records, removed_at is not None)
            for f, status, records, removed_at in result.query(
                "select source_file, file_status, landed_records, removed_at"
                " from staging.landed_files"
            )
        }

    incremental_files, full_files = files(incremental), files(full)
    assert {name: incremental_files.get(name) for name in gone} == {
        file_key(str(removed[0])): ("removed", 0, True),
        file_key(str(removed[1])): ("removed", 0, True),
        file_key(str(emptied[0])): ("no records", 0, False),
        file_key(str(emptied[1])): ("no records", 0, False),
    }
    # A fresh build has never seen the removed files; every other file is the same.
    assert {n: v for n, v in incremental_files.items() if v[0] != "removed"} == (
        full_files
    )
    _assert_same_state(incremental, full, leave_out=("staging.landed_files",))
    with incremental.connect() as con:
        assert_independent_reconciliation(con, landing)

    # A third run keeps the removed files' record and when they were first missed.
    again = dbt_build(landing, tmp_path / "incremental")
    assert again.query(
        "select source_file, removed_at from staging.landed_files"
        " where file_status = 'removed' order by source_file"
    ) == incremental.query(
        "select source_file, removed_at from staging.landed_files"
        " where file_status = 'removed' order by source_file"
    )
