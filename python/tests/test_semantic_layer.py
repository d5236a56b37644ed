"""The semantic layer (models/marts/_semantic__models.yml) answers exactly as the marts.

`mf query` (dbt-metricflow) runs on the session-wide build of data/sample
(conftest `sample_warehouse`, shared with the other tests that read it):

- every metric of the semantic manifest by day, against the mart's counts summed per
  day and re-divided (a ratio metric is numerator ÷ denominator of two mart columns);
- every metric of each semantic model at its mart's own grain (day × system × channel,
  day × topic, day × agent, day), against the published mart column of the same name
  (`METRIC_COLUMNS` where the name differs) - so a MetricFlow
  metric and its mart column have one definition;
- test sessions are left out of the semantic layer exactly as of the marts (issue 15:
  `mf query` used to count them: 375 vs 373 sessions on 2024-03-04).

The expected figures come from the marts (what BI tools read) or from fct_sessions
directly, never from the semantic layer itself.
"""

from __future__ import annotations

import csv
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from dbt_harness import REPO_ROOT, DbtResult

MF_EXECUTABLE = Path(sys.executable).parent / "mf"
MF_TIMEOUT_SECONDS = 300
# Floats summed over several mart rows may differ in the last bits by summation order.
FLOAT_SUM_REL = 1e-12


@pytest.fixture(scope="module")
def semantic_manifest(sample_warehouse: DbtResult) -> dict[str, Any]:
    path = sample_warehouse.work_dir / "target" / "semantic_manifest.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def mf_project(sample_warehouse: DbtResult, tmp_path_factory) -> Path:
    """A directory mf can run in: the project file and the build's target dir (mf reads
    <project>/target/semantic_manifest.json and queries through the dbt profile)."""
    project = tmp_path_factory.mktemp("mf_project")
    shutil.copy(REPO_ROOT / "dbt_project.yml", project / "dbt_project.yml")
    (project / "target").symlink_to(sample_warehouse.work_dir / "target")
    # mf opens the warehouse for writing through the dbt profile: give it a copy of
    # its own, so a read-only connection another test keeps to the shared build
    # (DuckDB: one writer or many readers) cannot lock it out
    shutil.copy(sample_warehouse.db_path, project / "warehouse.duckdb")
    return project


def mf_query(
    project: Path,
    warehouse: DbtResult,
    metrics: list[str],
    group_by: list[str],
) -> list[dict[str, str]]:
    out = project / f"query_{len(list(project.glob('query_*.csv')))}.csv"
    env = dict(os.environ)
    env.update(
        {
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_PROFILES_DIR": str(REPO_ROOT / "profiles"),
            "SESSION_ANALYTICS_DB": str(project / "warehouse.duckdb"),
            # mf finds its project (and target/semantic_manifest.json) through
            # DBT_PROJECT_DIR, which `make` exports as the repo: point it here
            "DBT_PROJECT_DIR": str(project),
        }
    )
    completed = subprocess.run(
        [
            str(MF_EXECUTABLE),
            "query",
            "--metrics",
            ",".join(metrics),
            "--group-by",
            ",".join(group_by),
            "--csv",
            str(out),
        ],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=MF_TIMEOUT_SECONDS,
        check=False,
    )
    assert completed.returncode == 0 and out.exists(), completed.stdout[-4000:]
    with out.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def model_of(manifest: dict[str, Any], semantic_model: dict[str, Any]) -> str:
    """marts.<table> of a semantic model (its node_relation)."""
    relation = semantic_model["node_relation"]
    return f"{relation['schema_name']}.{relation['alias']}"


def measures(manifest: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """measure name -> (mart relation, column expression)."""
    found = {}
    for semantic_model in manifest["semantic_models"]:
        relation = model_of(manifest, semantic_model)
        for measure in semantic_model["measures"]:
            assert measure["agg"] == "sum", measure["name"]
            found[measure["name"]] = (relation, measure["expr"] or measure["name"])
    return found


def metric_parts(manifest: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    """metric name -> (numerator measure, denominator measure or None for a count)."""
    parts = {}
    for metric in manifest["metrics"]:
        params = metric["type_params"]
        if metric["type"] == "ratio":
            parts[metric["name"]] = (
                params["numerator"]["name"],
                params["denominator"]["name"],
            )
        else:
            assert metric["type"] == "simple", metric["name"]
            parts[metric["name"]] = (params["measure"]["name"], None)
    return parts


def as_number(text: str) -> float | None:
    return None if text in ("", None) else float(text)


def assert_same(actual: float | None, expected: float | None, exact: bool, what: str):
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        assert actual is None, what
    elif exact:
        assert actual == float(expected), what
    else:
        assert actual == pytest.approx(float(expected), rel=FLOAT_SUM_REL), what


def float_columns(warehouse: DbtResult, relation: str) -> set[str]:
    schema, table = relation.split(".")
    return {
        name
        for name, data_type in warehouse.query(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = ? and table_name = ?",
            [schema, table],
        )
        if data_type in ("DOUBLE", "FLOAT", "REAL")
    }


def test_every_metric_by_day(semantic_manifest, mf_project, sample_warehouse):
    parts = metric_parts(semantic_manifest)
    by_measure = measures(semantic_manifest)
    assert len(parts) >= 70  # every count and every rate of the five marts
    answer = {
        row["metric_time__day"][:10]: row
        for row in mf_query(
            mf_project, sample_warehouse, sorted(parts), ["metric_time__day"]
        )
    }
    days = {
        str(day)
        for (day,) in sample_warehouse.query(
            "select distinct session_date from marts.fct_sessions"
        )
    }
    assert set(answer) == days
    for metric, (numerator, denominator) in sorted(parts.items()):
        relation, num_expr = by_measure[numerator]
        exact = num_expr not in float_columns(sample_warehouse, relation)
        if denominator is None:
            sql = f"select session_date, sum({num_expr}) from {relation} group by 1"
        else:
            den_relation, den_expr = by_measure[denominator]
            assert den_relation == relation, metric
            sql = (
                f"select session_date, cast(sum({num_expr}) as double)"
                f" / nullif(sum({den_expr}), 0) from {relation} group by 1"
            )
        expected = {str(day): value for day, value in sample_warehouse.query(sql)}
        for day, row in answer.items():
            # a day without rows in this mart: MetricFlow gives NULL, as the mart does
            assert_same(
                as_number(row[metric]), expected.get(day), exact, f"{metric} {day}"
            )


GRAINS = {
    "call_quality_daily": ["quality_source_system", "quality_channel"],
    "session_duration_daily": ["duration_source_system", "duration_channel"],
    "chat_queue_daily": ["topic_id"],
    "sfb_p2p_activity_daily": [],
    "agent_daily": ["agent_source_system", "agent_id"],
}
# A metric whose name differs from its mart column (names are unique across marts).
METRIC_COLUMNS = {"agent_avg_rating": "avg_rating"}
MART_COLUMNS = {
    "quality_source_system": "source_system",
    "quality_channel": "channel",
    "duration_source_system": "source_system",
    "duration_channel": "channel",
    "topic_id": "topic_id",
    "agent_source_system": "source_system",
    "agent_id": "agent_id",
}


@pytest.mark.parametrize("semantic_model_name", sorted(GRAINS))
def test_ratio_metrics_equal_mart_columns(
    semantic_manifest, mf_project, sample_warehouse, semantic_model_name
):
    (semantic_model,) = [
        m
        for m in semantic_manifest["semantic_models"]
        if m["name"] == semantic_model_name
    ]
    relation = model_of(semantic_manifest, semantic_model)
    own_measures = {m["name"] for m in semantic_model["measures"]}
    ratios = sorted(
        name
        for name, (numerator, denominator) in metric_parts(semantic_manifest).items()
        if denominator is not None and numerator in own_measures
    )
    assert ratios
    entity = semantic_model["primary_entity"]
    dims = GRAINS[semantic_model_name]
    answer = mf_query(
        mf_project,
        sample_warehouse,
        ratios,
        ["metric_time__day"] + [f"{entity}__{d}" for d in dims],
    )
    key_columns = ["session_date"] + [MART_COLUMNS[d] for d in dims]
    columns = [METRIC_COLUMNS.get(metric, metric) for metric in ratios]
    with sample_warehouse.connect() as con:
        cursor = con.execute(
            f"select {', '.join(key_columns + columns)} from {relation}"
        )
        mart = {
            tuple("" if v is None else str(v) for v in row[: len(key_columns)]): row[
                len(key_columns) :
            ]
            for row in cursor.fetchall()
        }
    assert len(answer) == len(mart)
    for row in answer:
        key = (row["metric_time__day"][:10],) + tuple(
            row[f"{entity}__{d}"] for d in dims
        )
        published = mart[key]
        for metric, value in zip(ratios, published, strict=True):
            # one mart row per group: the same two numbers divided, bit for bit
            assert_same(as_number(row[metric]), value, True, f"{metric} {key}")


def test_test_sessions_left_out_like_the_marts(mf_project, sample_warehouse):
    # Straight from fct_sessions: sessions per day with and without the test flag.
    counts = {
        str(day): (total, non_test)
        for day, total, non_test in sample_warehouse.query(
            "select session_date, count(*), count(*) filter (where not is_test)"
            " from marts.fct_sessions group by 1"
        )
    }
    assert any(total != non_test for total, non_test in counts.values())
    answer = mf_query(
        mf_project,
        sample_warehouse,
        ["quality_sessions", "duration_sessions"],
        ["metric_time__day"],
    )
    for row in answer:
        _, non_test = counts[row["metric_time__day"][:10]]
        assert int(float(row["quality_sessions"])) == non_test
        assert int(float(row["duration_sessions"])) == non_test
