"""Nothing lost, counted independently (issue 13).

`staging.row_reconciliation` and its `rows_reconcile` tests take "landed" from the base
models, so they cannot see a row that a reader or an unnest drops. Here the landing
files are counted again with Python's csv and json modules (independent_count.py, no
code shared with macros/landing/*) and every file and entity must balance:
independent landed = staged + superseded + rejected.

- generated data (the `session-analytics generate` generator, as data/sample but
  small) and a hand-written Graph landing dir balance (the hostile builds of
  test_hostile.py run the same check on every example);
- mutation tests: a scratch copy of the project with one macro patched so that one
  unnest or one reader path silently drops rows builds green (every `rows_reconcile`
  test passes: the drop is invisible to it) and the independent check fails, on the
  file and entity the patch hits.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dbt_harness import DbtResult, copy_project, dbt_build, dbt_build_many, patch_file
from independent_count import (
    STAGED_MODELS,
    assert_independent_reconciliation,
    reconcile,
)

from session_analytics.generate import generate

STAGING = "+row_reconciliation +rejected_rows +landed_files"


def _stream(stream_id: str, direction: str = "callerToCallee") -> dict:
    return {
        "streamId": stream_id,
        "streamDirection": direction,
        "averageJitter": "PT0.01S",
        "averagePacketLossRate": 0.01,
        "packetUtilization": 900,
    }


def _call_record(record_id: str, media: list, minute: int) -> dict:
    start = f"2024-03-05T10:{minute:02d}:00Z"
    end = f"2024-03-05T10:{minute + 5:02d}:00Z"
    return {
        "id": record_id,
        "version": 1,
        "type": "peerToPeer",
        "modalities": ["audio"],
        "startDateTime": start,
        "endDateTime": end,
        "sessions": [
            {
                "id": "s-1",
                "modalities": ["audio"],
                "startDateTime": start,
                "endDateTime": end,
                "segments": [
                    {
                        "id": "g-1",
                        "startDateTime": start,
                        "endDateTime": end,
                        "media": media,
                    }
                ],
            }
        ],
    }


def write_graph_landing(root: Path) -> dict[tuple[str, str, str], int]:
    """A Graph landing dir; returns the rows landed per (system, entity, file), by hand.

    callRecords_a.jsonl (line 1: rec-a, line 2 blank, line 3: a page of rec-b, rec-c):
      rec-a: 1 session, 1 segment, media [audio with 3 streams, video with streams []]
      rec-b: media [audio with 1 stream]; rec-c: media [audio with 2 streams]
      -> call records 3, sessions 3, segments 3, media objects 2 + 1 + 1 = 4,
         media_stream rows 3 + 1 (the video without streams, rejected) + 1 + 2 = 7
    callRecords_b.json (one object): rec-d: media ["not-an-object", audio with 1 stream]
      -> call record 1, session 1, segment 1, media objects 2 (the string one rejected),
         media_stream rows 1 (rejected) + 1 = 2
    """
    folder = root / "graph"
    folder.mkdir(parents=True)
    rec_a = _call_record(
        "rec-a",
        [
            {
                "label": "main-audio",
                "streams": [_stream("1"), _stream("2"), _stream("3")],
            },
            {"label": "main-video", "streams": []},
        ],
        0,
    )
    rec_b = _call_record(
        "rec-b", [{"label": "main-audio", "streams": [_stream("1")]}], 10
    )
    rec_c = _call_record(
        "rec-c",
        [
            {
                "label": "main-audio",
                "streams": [_stream("1"), _stream("2", "calleeToCaller")],
            }
        ],
        20,
    )
    rec_d = _call_record(
        "rec-d",
        ["not-an-object", {"label": "main-audio", "streams": [_stream("1")]}],
        30,
    )
    (folder / "callRecords_a.jsonl").write_text(
        json.dumps(rec_a) + "\n\n" + json.dumps({"value": [rec_b, rec_c]}) + "\n",
        encoding="utf-8",
    )
    (folder / "callRecords_b.json").write_text(json.dumps(rec_d), encoding="utf-8")
    return {
        ("graph", "call_record", "callRecords_a.jsonl"): 3,
        ("graph", "session", "callRecords_a.jsonl"): 3,
        ("graph", "segment", "callRecords_a.jsonl"): 3,
        ("graph", "media_stream", "callRecords_a.jsonl"): 7,
        ("graph", "media", "callRecords_a.jsonl"): 4,
        ("graph", "call_record", "callRecords_b.json"): 1,
        ("graph", "session", "callRecords_b.json"): 1,
        ("graph", "segment", "callRecords_b.json"): 1,
        ("graph", "media_stream", "callRecords_b.json"): 2,
        ("graph", "media", "callRecords_b.json"): 2,
    }


def test_generated_landing_reconciles_independently(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    generate(landing, sessions=250, days=2, seed=13)
    result = dbt_build(landing, tmp_path / "work", select=STAGING)
    with result.connect() as con:
        checked = assert_independent_reconciliation(con, landing)
    totals = checked.totals()
    entities = checked.by_entity()
    print(f"generated landing: {totals}, per entity {entities}")
    # not vacuous: every entity landed rows, re-exports were superseded
    assert all(entities.get(key, 0) > 0 for key in STAGED_MODELS), entities
    assert totals["superseded"] > 0 and totals["landed"] > 500, totals


MUTATIONS = {
    # the "media object without streams" path: keep_empty=false drops such media
    "media_without_streams_vanish": (
        "macros/landing/graph_rows.sql",
        "{{ json_unnest_ordinal('media', '$.streams', 'record', 'stream_ordinal',\n"
        "            keep_empty=true) }}",
        "{{ json_unnest_ordinal('media', '$.streams', 'record', 'stream_ordinal',\n"
        "            keep_empty=false) }}",
        # the video without streams (file a) and the non-object media (file b) vanish
        {
            ("graph", "media_stream", "callRecords_a.jsonl"): 6,
            ("graph", "media_stream", "callRecords_b.json"): 1,
        },
    ),
    # the .jsonl reader skips the items of a page on a line but the first
    "jsonl_page_items_dropped": (
        "macros/landing/read_landing_json.sql",
        "            unnest(elements) as record,\n"
        "            generate_subscripts(elements, 1) as element_number\n"
        "        from (",
        "            unnest(elements[1:1]) as record,\n"
        "            generate_subscripts(elements[1:1], 1) as element_number\n"
        "        from (",
        {
            ("graph", "call_record", "callRecords_a.jsonl"): 2,
            ("graph", "session", "callRecords_a.jsonl"): 2,
            ("graph", "segment", "callRecords_a.jsonl"): 2,
            ("graph", "media_stream", "callRecords_a.jsonl"): 5,
            ("graph", "media", "callRecords_a.jsonl"): 3,  # rec-c's one is gone
        },
    ),
}


@pytest.fixture(scope="module")
def mutated_builds(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The hand-written Graph landing built by the repo and by each mutated copy."""
    root = tmp_path_factory.mktemp("mutations")
    landing = root / "landing"
    expected = write_graph_landing(landing)
    runs: dict[str, dict] = {
        "control": {"landing_dir": landing, "work_dir": root / "control"}
    }
    for name, (path, old, new, _accounted) in MUTATIONS.items():
        project = copy_project(root / f"project_{name}")
        patch_file(project / path, old, new)
        runs[name] = {
            "landing_dir": landing,
            "work_dir": root / name,
            "project_dir": project,
        }
    for run in runs.values():
        run.update(select=STAGING, expect_ok=False)
    return {
        "landing": landing,
        "expected": expected,
        "results": dbt_build_many(runs, max_parallel=2),
    }


def _reconcile_tests(result: DbtResult) -> list[dict]:
    return [r for r in result.run_results() if "rows_reconcile" in r["unique_id"]]


def test_hand_counted_graph_landing_balances(mutated_builds: dict) -> None:
    result = mutated_builds["results"]["control"]
    assert result.ok, result.tail()
    with result.connect() as con:
        checked = assert_independent_reconciliation(con, mutated_builds["landing"])
    assert dict(checked.landed) == mutated_builds["expected"]
    # the rejected rows: the two media objects that have no stream (as streams), and
    # the string element of file b once more as a media object (issue 17's level)
    assert result.query(
        "select source_file, source_path, rejection_reason"
        " from staging.rejected_rows order by all"
    ) == [
        (
            str(mutated_builds["landing"] / "graph" / "callRecords_a.jsonl"),
            "sessions[0].segments[0].media[1]",
            "media object without streams: nothing to stage",
        ),
        (
            str(mutated_builds["landing"] / "graph" / "callRecords_b.json"),
            "sessions[0].segments[0].media[0]",
            "media element is not a JSON object",
        ),
        (
            str(mutated_builds["landing"] / "graph" / "callRecords_b.json"),
            "sessions[0].segments[0].media[0]",
            "record is not a JSON object",
        ),
    ]


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_independent_count_catches_a_dropping_macro(
    mutated_builds: dict, mutation: str
) -> None:
    result = mutated_builds["results"][mutation]
    # the mutated build is green: rows_reconcile cannot see the dropped rows
    assert result.ok, result.tail()
    reconcile_tests = _reconcile_tests(result)
    assert reconcile_tests and all(r["status"] == "pass" for r in reconcile_tests)
    with result.connect() as con:
        checked = reconcile(con, mutated_builds["landing"])
        with pytest.raises(AssertionError, match="independent landed"):
            assert_independent_reconciliation(con, mutated_builds["landing"])
    # the check names the files and entities hit, and accounts for what is left
    accounted = MUTATIONS[mutation][3]
    unbalanced = {
        key: staged + sup + rej for key, _l, staged, sup, rej in checked.unbalanced()
    }
    assert unbalanced == accounted
