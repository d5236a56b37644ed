"""Incremental stg and Graph int models choose again exactly what changed.

The stg models and the Graph media int models are incremental (docs/ARCHITECTURE.md,
"Incremental"; macros/landing/staged_rows.sql): a run chooses the latest version again
only for the keys (for Graph: the call records) that new, changed or removed files
touch, and rebuilds every row when a rule's vars or the CQD building files change.
test_incremental.py covers new, changed, removed and emptied files. This module covers
the three changes that touch rows whose own files did not change:

1. a Graph re-export (higher versions of two call records) is withdrawn: the older
   versions, in files loaded in the first run, win again, nested levels and all;
2. a CQD building file is rewritten (every Teams stream may map to another building);
3. a CQD threshold var changes (every stream may change class).

After the incremental run that makes all three changes, every stg_* relation, every
mart, rejected_rows, row_reconciliation and landed_files equal a fresh build of the
same landing dir with the same vars.
"""

from __future__ import annotations

from pathlib import Path

from dbt_harness import dbt_build
from test_incremental import START, _assert_same_state, graph_reexport

from session_analytics.generate import generate

# Far below every generated round trip: almost every audio stream is classed poor.
STRICT_RULE = {"cqd_audio_round_trip_ms": 1}
MOVED_CITY = ("Seattle", "Tacoma")


def test_withdrawn_reexport_building_file_and_rule_change(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    generate(landing, sessions=150, days=3, seed=29, start_date=START)
    incremental_dir = tmp_path / "incremental"
    dbt_build(landing, incremental_dir)

    # A re-export wins for its two call records.
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
    classes = (
        "select cqd_class, count(*) from marts.fct_graph_media_streams"
        " group by all order by all"
    )
    classes_before = second.query(classes)

    # 1. withdraw it, 2. move a building, 3. change a CQD rule.
    (landing / changes.file).unlink()
    building = sorted((landing / "buildings").iterdir())[0]
    text = building.read_text(encoding="utf-8")
    assert MOVED_CITY[0] in text
    building.write_text(text.replace(*MOVED_CITY), encoding="utf-8")
    third = dbt_build(landing, incremental_dir, vars=STRICT_RULE)
    full = dbt_build(landing, tmp_path / "full", vars=STRICT_RULE)

    # Not vacuous: each change reached the incremental warehouse ...
    [(old_version, old_file)] = third.query(version_query, [superseded_id])
    assert (old_version, Path(old_file).name) != (new_version, Path(new_file).name)
    assert old_version == new_version - 1
    [(sessions_now,)] = third.query(sessions_query, [superseded_id])
    assert sessions_now == sessions_under_reexport + 1  # the re-export had one fewer
    moved = "select count(*) from marts.fct_graph_media_streams where {} = ?"
    assert (
        third.query(moved.format("caller_city"), [MOVED_CITY[1]])[0][0]
        + (third.query(moved.format("callee_city"), [MOVED_CITY[1]])[0][0])
        > 0
    )
    assert third.query(classes) != classes_before
    # ... and it equals the fresh build, row for row (landed_files: all but the
    # withdrawn file, which the incremental warehouse records as removed; a fresh
    # build never saw it).
    files = (
        "select source_file, file_status, file_bytes, landed_records"
        " from staging.landed_files order by source_file"
    )
    incremental_files = third.query(files)
    [withdrawn] = [row for row in incremental_files if row[1] == "removed"]
    assert withdrawn[0].endswith(Path(changes.file).name)
    assert [row for row in incremental_files if row != withdrawn] == full.query(files)
    _assert_same_state(third, full, leave_out=("staging.landed_files",))
