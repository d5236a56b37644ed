"""Where the warehouse and the landing files live (one place for every command)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = Path("warehouse/session_analytics.duckdb")
DEFAULT_LANDING_DIR = Path("data/sample")


def warehouse_path() -> Path:
    """The DuckDB file `dbt` writes: env SESSION_ANALYTICS_DB or the dev default."""
    return Path(os.environ.get("SESSION_ANALYTICS_DB", str(DEFAULT_DB)))


def landing_dir() -> Path:
    """The landing folder: env SESSION_ANALYTICS_LANDING_DIR or the bundled sample."""
    default = str(DEFAULT_LANDING_DIR)
    return Path(os.environ.get("SESSION_ANALYTICS_LANDING_DIR", default))
