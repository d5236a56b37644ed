"""Shared pytest fixtures: dbt builds of the hand-written landing fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from dbt_harness import FIXTURES_DIR, DbtResult, dbt_build


@pytest.fixture(scope="session")
def landing_small_dir() -> Path:
    """The hand-written landing dir (read-only: copy it to change it)."""
    return FIXTURES_DIR / "landing_small"


@pytest.fixture(scope="session")
def small_warehouse(
    landing_small_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> DbtResult:
    """A full `dbt build` (seeds, every model, data tests) of fixtures/landing_small,
    built once per test session."""
    return dbt_build(landing_small_dir, tmp_path_factory.mktemp("small_warehouse"))


SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    """A full `dbt build` of the bundled data/sample, built once per test session.

    Open it read-only, as BI tools do.
    """
    return dbt_build(SAMPLE_DIR, tmp_path_factory.mktemp("sample_warehouse"))
