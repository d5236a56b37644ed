"""Run the project's dbt in a subprocess with the project's environment."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


def dbt_executable() -> Path:
    """The dbt installed beside this Python (the project's .venv)."""
    return Path(sys.executable).parent / "dbt"


def dbt_env(db_path: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for a dbt run that writes `db_path`."""
    env = dict(os.environ)
    env.update(
        {
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
            "SESSION_ANALYTICS_DB": str(db_path),
        }
    )
    if extra:
        env.update(extra)
    return env


def run_dbt(
    args: Sequence[str],
    db_path: Path,
    *,
    work_dir: Path,
    env: Mapping[str, str] | None = None,
    capture: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run `dbt <args>` in the project dir; target/ and logs/ go under `work_dir`."""
    work_dir.mkdir(parents=True, exist_ok=True)
    command = [
        str(dbt_executable()),
        *args,
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    return subprocess.run(
        command,
        cwd=PROJECT_DIR,
        env=dbt_env(db_path, env),
        text=True,
        capture_output=capture,
        check=False,
    )
