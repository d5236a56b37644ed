"""The incremental stg, int models and marts choose again exactly what changed.

The stg models, the int models and the marts below them are incremental
(docs/ARCHITECTURE.md, "Incremental"; macros/landing/staged_rows.sql,
derived_rows.sql): a run chooses
the latest version again only for the keys (for Graph: the call records) that new,
changed or removed files touch, and rebuilds every row when a rule's vars, the CQD
building or endpoint files or a seed they follow from change. test_incremental.py
covers new, changed, removed and emptied files. This module covers four changes that
touch rows whose own files did not change, in three incremental runs:

- run 3: a Graph re-export (higher versions of two call records) is withdrawn: the
  older versions, in files loaded in the first run, win again, nested levels and all;
  a CQD endpoint file gains a row naming a caller of a call record that nothing
  else touches (only int_graph__segments_ordered's version of its inputs changes); a
  re-export in a new file moves one Syllable session to the next day (the marts by
  date rebuild its old date, which nothing else touches, and its new one); and a
  Syllable label file of another day is withdrawn (its sessions, whose own file did
  not change, lose their label);
- run 4: a CQD building file is rewritten (every Teams stream may map to another
  building);
- run 5: a CQD threshold var changes (every stream may change class). A var change
  rebuilds every row below staging, so it runs alone: in one run with the building
  file it would hide a version that missed the building rows.

After each, every stg_* relation, every int model, every mart, rejected_rows,
row_reconciliation and landed_files equal a fresh build of the same landing dir with
the same vars.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from dbt_harness import DbtResult, dbt_build
from test_incremental import START, _assert_same_state, graph_objects, graph_reexport

from session_analytics.generate import generate

# Far below every generated round trip: almost every audio stream is classed poor.
STRICT_RULE = {"cqd_audio_round_trip_ms": 1}
MOVED_CITY = ("Seattle", "Tacoma")
NEW_MODEL = "Latitude 9450"  # not among the generated endpoint models
STREAMS = "select count(*) from marts.fct_graph_media_streams where {} = ?"
CLASSES = (
    "select cqd_class, count(*) from marts.fct_graph_media_streams"
    " group by all order by all"
)
FILES = (
    "select source_file, file_status, file_bytes, landed_records"
    " from staging.landed_files order by source_file"
)
SYLLABLE_DATE = (
    "select session_date from marts.fct_sessions"
    " where source_system = 'syllable' and source_session_id = ?"
)
SYLLABLE_LABELS = (
    "select count(quality_label) from marts.fct_sessions"
    " where source_system = 'syllable'"
)


def _streams(result: DbtResult, column: str, value: str) -> int:
    return result.query(STREAMS.format(column), [value])[0][0]


def _assert_equals_fresh(
    incremental: DbtResult, full: DbtResult, withdrawn: list[Path]
) -> None:
    """Same state (landed_files: all but the withdrawn files, which the incremental
    warehouse records as removed; a fresh build never saw them)."""
    incremental_files = incremental.query(FILES)
    removed = [row for row in incremental_files if row[1] == "removed"]
    assert sorted(Path(row[0]).name for row in removed) == sorted(
        path.name for path in withdrawn
    )
    kept = [row for row in incremental_files if row not in removed]
    assert kept == full.query(FILES)
    _assert_same_state(incremental, full, leave_out=("staging.landed_files",))


def _move_first_session(path: Path) -> tuple[str, dt.date, dt.date]:
    """Re-export the first session of a Syllable export one day later, in a new file
    whose name sorts after it (the latest file wins; the export itself does not
    change). Returns its id, old and new date."""
    session = json.loads(path.read_text(encoding="utf-8"))["items"][0]
    started = dt.datetime.fromisoformat(session["timestamp"].replace("Z", "+00:00"))
    moved = started + dt.timedelta(days=1)
    session["timestamp"] = moved.isoformat().replace("+00:00", "Z")
    reexport = path.with_name(f"{path.stem}_moved.json")
    reexport.write_text(json.dumps({"items": [session]}), encoding="utf-8")
    return session["session_id"], started.date(), moved.date()


def test_withdrawn_reexport_endpoint_building_file_and_rule_change(
    tmp_path: Path,
) -> None:
    landing = tmp_path / "landing"
    generate(landing, sessions=150, days=3, seed=29, start_date=START)
    incremental_dir = tmp_path / "incremental"
    dbt_build(landing, incremental_dir)

    # Run 2: a re-export wins for its two call records.
    changes = graph_reexport(landing)
    superseded_id = changes.removed[0]
    second = dbt_build(landing, incremental_dir)
    version_query = (
        "select version, source_file from staging.stg_graph__call_records"
        " where call_record_id = ?"
    )
    [(new_version, new_file)] = second.query(version_query, [superseded_id])
    assert new_file.endswith(changes.file.split("/")[1])
    sessions_query = (
        "select count(*) from staging.stg_graph__sessions where call_record_id = ?"
    )
    [(sessions_under_reexport,)] = second.query(sessions_query, [superseded_id])
    assert _streams(second, "caller_endpoint_model", NEW_MODEL) == 0

    syllable_file = sorted((landing / "syllable").glob("sessions_*.json"))[0]
    labels_file = sorted((landing / "syllable_labels").iterdir())[-1]
    labels_before = second.query(SYLLABLE_LABELS)[0][0]

    # Run 3: withdraw the re-export; name the caller of a first-day call record; move
    # a Syllable session; withdraw a Syllable label file.
    (landing / changes.file).unlink()
    moved_id, old_date, new_date = _move_first_session(syllable_file)
    assert second.query(SYLLABLE_DATE, [moved_id]) == [(old_date,)]
    labels_file.unlink()
    withdrawn = [landing / changes.file, labels_file]
    first_day = sorted((landing / "graph").glob("callRecords_*.json*"))[0]
    record = graph_objects(first_day)[0]
    assert record["id"] not in (changes.removed[0], changes.added[0])
    caller = record["sessions"][0]["caller"]["name"]
    [endpoints] = (landing / "endpoints").iterdir()
    with endpoints.open("a", encoding="utf-8") as fh:
        fh.write(f"{caller},{NEW_MODEL},Laptop,Fleet 9,,\n")
    third = dbt_build(landing, incremental_dir)
    [(old_version, old_file)] = third.query(version_query, [superseded_id])
    assert (old_version, Path(old_file).name) != (new_version, Path(new_file).name)
    assert old_version == new_version - 1
    [(sessions_now,)] = third.query(sessions_query, [superseded_id])
    assert sessions_now == sessions_under_reexport + 1  # the re-export had one fewer
    assert _streams(third, "caller_endpoint_model", NEW_MODEL) > 0
    assert third.query(SYLLABLE_DATE, [moved_id]) == [(new_date,)]
    assert third.query(SYLLABLE_LABELS)[0][0] < labels_before
    _assert_equals_fresh(third, dbt_build(landing, tmp_path / "full3"), withdrawn)

    # Run 4: move a building (alone: a var change would rebuild every row anyway).
    building = sorted((landing / "buildings").iterdir())[0]
    text = building.read_text(encoding="utf-8")
    assert MOVED_CITY[0] in text
    building.write_text(text.replace(*MOVED_CITY), encoding="utf-8")
    fourth = dbt_build(landing, incremental_dir)
    moved = _streams(fourth, "caller_city", MOVED_CITY[1])
    assert moved + _streams(fourth, "callee_city", MOVED_CITY[1]) > 0
    _assert_equals_fresh(fourth, dbt_build(landing, tmp_path / "full4"), withdrawn)

    # Run 5: tighten a CQD rule.
    classes_before = fourth.query(CLASSES)
    fifth = dbt_build(landing, incremental_dir, vars=STRICT_RULE)
    assert fifth.query(CLASSES) != classes_before
    full = dbt_build(landing, tmp_path / "full5", vars=STRICT_RULE)
    _assert_equals_fresh(fifth, full, withdrawn)
