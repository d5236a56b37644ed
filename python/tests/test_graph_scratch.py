"""One read and one parse of each new Graph file per build (graph_scratch.sql).

The call records model reads its new files once into an in-memory scratch database;
each nested level's model types its rows from there, and the member paths model walks
the structures of the records as landed, kept while they were read. A model whose
files the scratch lacks (built in another dbt run than the call records, or whose
parent loaded some files in an earlier run) reads them from the landing files instead;
every path must give the same rows.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from dbt_harness import FIXTURES_DIR, copy_landing, dbt_build

LANDING = FIXTURES_DIR / "landing_small"
NESTED = [
    "base_graph__sessions",
    "base_graph__segments",
    "base_graph__media",
    "base_graph__media_streams",
]
GRAPH_FILES = len(list((LANDING / "graph").glob("*.json*")))


def _scratch_log(output: str) -> dict[str, tuple[int, int]]:
    """{model: (files taken from the scratch, files unnested from the landing)}."""
    found = re.findall(
        r"session_analytics: (\w+) takes (\d+) file\(s\) of graph from the scratch"
        r" of \w+, (?:unnests|reads) (\d+) from the landing files",
        output,
    )
    return {model: (int(taken), int(read)) for model, taken, read in found}


def _rows(built, model: str) -> list[tuple]:
    columns = built.query(
        "select column_name from information_schema.columns"
        f" where table_name = '{model}' and column_name <> 'loaded_at'"
        " order by ordinal_position"
    )
    names = ", ".join(f'"{name}"' for (name,) in columns)
    return built.query(f"select {names} from staging.{model} order by all")


def test_nested_levels_come_from_the_scratch_or_the_files_alike(tmp_path: Path) -> None:
    landing = copy_landing(tmp_path / "landing", folders=["graph"])
    whole = dbt_build(landing, tmp_path / "whole", select="+" + " +".join(NESTED))
    # every nested level took every file from the scratch: no landing file read again
    assert _scratch_log(whole.output) == {model: (GRAPH_FILES, 0) for model in NESTED}
    # the media scratch is dropped by its last reader, not held to the end of the run
    assert re.findall(r"(\w+) drops the scratch of media", whole.output) == [
        "base_graph__media_streams"
    ]

    split_dir = tmp_path / "split"
    dbt_build(landing, split_dir, select="+base_graph__call_records")
    split = dbt_build(landing, split_dir, select=" ".join(NESTED))
    # a new dbt run has no scratch: sessions unnests its files from the landing files,
    # the levels below take them from the scratch sessions filled
    log = _scratch_log(split.output)
    assert log["base_graph__sessions"] == (0, GRAPH_FILES)
    assert all(log[model] == (GRAPH_FILES, 0) for model in NESTED[1:])

    # the call records of all files but one loaded in an earlier run: this run's
    # scratch covers that one file, sessions unnests the others from the landing files
    partial_dir = tmp_path / "partial"
    late = sorted((landing / "graph").iterdir())[-1]
    aside = tmp_path / late.name
    shutil.move(late, aside)
    dbt_build(landing, partial_dir, select="+base_graph__call_records")
    shutil.move(aside, late)
    partial = dbt_build(
        landing, partial_dir, select=" ".join(["base_graph__call_records", *NESTED])
    )
    log = _scratch_log(partial.output)
    assert log["base_graph__sessions"] == (1, GRAPH_FILES - 1)
    assert all(log[model] == (GRAPH_FILES, 0) for model in NESTED[1:])

    for model in NESTED:
        expected = _rows(whole, model)
        assert expected, f"{model}: no rows in the fixture"
        assert _rows(split, model) == expected, f"{model}: split run"
        assert _rows(partial, model) == expected, f"{model}: partial run"


# a record with two top-level members named twice, "sessions" the second time with
# another session: landed, its structure has both; typed, the last value wins
DUPLICATED = (
    '{"id": "rec-dup", "version": 1, "type": "peerToPeer", "modalities": ["audio"],'
    ' "sessions": [{"id": "s-first", "isTest": true}],'
    ' "startDateTime": "2024-03-07T09:00:00Z", "endDateTime": "2024-03-07T09:10:00Z",'
    ' "version": 3, "sessions": [{"id": "s-last", "modalities": ["audio"],'
    ' "startDateTime": "2024-03-07T09:00:00Z", "endDateTime": "2024-03-07T09:10:00Z"}]}'
)
MEMBER_PATHS = "base_landing__json_member_paths"


def test_member_paths_come_from_the_scratch_or_the_files_alike(tmp_path: Path) -> None:
    landing = copy_landing(tmp_path / "landing", folders=["graph"])
    (landing / "graph" / "callRecord_rec-dup.json").write_text(DUPLICATED)
    files = GRAPH_FILES + 1
    whole = dbt_build(
        landing, tmp_path / "whole", select=f"+base_graph__sessions {MEMBER_PATHS}"
    )
    # the structures were kept while the call records were read: no file read again
    assert _scratch_log(whole.output)[MEMBER_PATHS] == (files, 0)

    split_dir = tmp_path / "split"
    dbt_build(landing, split_dir, select="+base_graph__sessions")
    split = dbt_build(landing, split_dir, select=MEMBER_PATHS)
    assert _scratch_log(split.output)[MEMBER_PATHS] == (0, files)

    expected = _rows(whole, MEMBER_PATHS)
    assert _rows(split, MEMBER_PATHS) == expected
    duplicates = (
        f"select duplicate_keys from staging.{MEMBER_PATHS}"
        " where source_file like '%rec-dup.json' and member_path = '$'"
    )
    # "version" and "sessions" given twice, counted from the records as landed
    assert whole.query(duplicates) == split.query(duplicates) == [(2,)]
    # the call records and their sessions were typed from the last values
    for built in (whole, split):
        assert built.query(
            "select version from staging.base_graph__call_records"
            " where call_record_id = 'rec-dup'"
        ) == [(3,)]
        assert built.query(
            "select session_id from staging.base_graph__sessions"
            " where call_record_id = 'rec-dup'"
        ) == [("s-last",)]
