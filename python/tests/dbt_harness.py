"""Run the session_analytics dbt project on a landing dir, for tests.

Every run gets its own warehouse file, target path and log path under `work_dir`, so
parallel runs (other tests, other sessions) never clobber each other or the repo.

    result = dbt_build(landing_dir, tmp_path)
    result.query("select count(*) from staging.stg_sfb_qoe__sessions")
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"
# The landing folders of docs/LANDING.md.
LANDING_FOLDERS = (
    "sfb_qoe",
    "sfb_cdr",
    "graph",
    "superoffice",
    "syllable",
    "syllable_labels",
    "graph_pstn",
    "graph_direct_routing",
    "buildings",
    "endpoints",
)
DEFAULT_TIMEOUT_SECONDS = 600
_TAIL_LINES = 80


@dataclass(frozen=True)
class DbtResult:
    """The outcome of one dbt invocation."""

    returncode: int
    output: str  # stdout and stderr, interleaved
    db_path: Path
    args: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def tail(self, lines: int = _TAIL_LINES) -> str:
        return "\n".join(self.output.splitlines()[-lines:])

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection to the warehouse file (use it in a `with` block)."""
        return duckdb.connect(str(self.db_path), read_only=True)

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        """Rows of `sql`, run on a read-only connection to the warehouse file."""
        with self.connect() as con:
            cursor = con.execute(sql) if params is None else con.execute(sql, params)
            return cursor.fetchall()

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """The single value of a one-row, one-column query."""
        rows = self.query(sql, params)
        assert len(rows) == 1 and len(rows[0]) == 1, f"not a scalar: {rows!r}"
        return rows[0][0]

    def count(self, relation: str, where: str = "true") -> int:
        return int(self.scalar(f"select count(*) from {relation} where {where}"))

    @property
    def work_dir(self) -> Path:
        return self.db_path.parent

    def run_results(self) -> list[dict[str, Any]]:
        """unique_id, status and message of every node run, from run_results.json."""
        path = self.work_dir / "target" / "run_results.json"
        results = json.loads(path.read_text(encoding="utf-8"))["results"]
        return [
            {
                "unique_id": r["unique_id"],
                "status": r["status"],
                "message": r.get("message"),
            }
            for r in results
        ]

    def relations(self) -> list[tuple[str, str]]:
        """(schema, name) of every table and view in the warehouse."""
        return [
            (schema, name)
            for schema, name in self.query(
                "select table_schema, table_name from information_schema.tables"
                " where table_catalog = current_database()"
                " order by table_schema, table_name"
            )
        ]


def dbt_invocation(
    landing_dir: Path,
    work_dir: Path,
    *,
    select: str | None = None,
    vars: dict | None = None,
    command: str = "build",
    env: dict[str, str] | None = None,
    project_dir: Path = REPO_ROOT,
    relative_db: bool = False,
) -> tuple[list[str], dict[str, str], Path]:
    """The argv, environment and warehouse path of one dbt run (of the project in
    `project_dir`: the repo, or a patched copy of it, see copy_project).

    `relative_db`: name the warehouse file relative to `work_dir` (run dbt with
    cwd=work_dir then), so that the profile is the same for every run and dbt can reuse
    a saved parse (see dbt_build)."""
    work_dir = Path(work_dir).resolve()
    db_path = work_dir / "warehouse.duckdb"
    args = [
        str(DBT_EXECUTABLE),
        command,
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
        "--no-use-colors",
    ]
    if select:
        args += ["--select", select]
    if vars:
        args += ["--vars", json.dumps(vars)]
    run_env = dict(os.environ)
    run_env.update(
        {
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_PROFILES_DIR": str(REPO_ROOT / "profiles"),
            "DBT_PROJECT_DIR": str(project_dir),
            "SESSION_ANALYTICS_DB": db_path.name if relative_db else str(db_path),
            "SESSION_ANALYTICS_LANDING_DIR": str(Path(landing_dir).resolve()),
        }
    )
    if select:
        # Only the tests of selected nodes: with dbt's default (eager), a test that also
        # refers to an unselected model (e.g. a staging-vs-marts reconciliation) is
        # selected and fails because that model was never built.
        run_env["DBT_INDIRECT_SELECTION"] = "cautious"
    if env:
        run_env.update(env)
    return args, run_env, db_path


_PARSE_LOCK = threading.Lock()
_SAVED_PARSE: list[Path | None] = []  # filled once: the saved parse, or None
PARTIAL_PARSE_FILE = "partial_parse.msgpack"


def saved_parse() -> Path | None:
    """dbt's saved parse (target/partial_parse.msgpack) of the repo project, made once
    per test process by `dbt parse` (None if that failed: runs then parse in full); its
    temporary dir is removed when the process exits.

    A full parse of the project takes ~7 s; a run that reuses a saved one re-parses only
    the files that changed, or whose env vars changed (models/staging/landed_files.sql
    reads the landing dir). dbt reuses a saved parse only if the profile's connection
    settings and the --vars are the same (else it parses in full): hence the warehouse
    path relative to the run's cwd (the profile names SESSION_ANALYTICS_DB).
    """
    with _PARSE_LOCK:
        if not _SAVED_PARSE:
            seed_dir = Path(tempfile.mkdtemp(prefix="dbt-saved-parse-"))
            atexit.register(shutil.rmtree, seed_dir, ignore_errors=True)
            args, env, _ = dbt_invocation(
                FIXTURES_DIR / "landing_small",
                seed_dir,
                command="parse",
                relative_db=True,
            )
            done = subprocess.run(
                args,
                cwd=seed_dir,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=DEFAULT_TIMEOUT_SECONDS,
                check=False,
            )
            saved = seed_dir / "target" / PARTIAL_PARSE_FILE
            ok = done.returncode == 0 and saved.is_file()
            _SAVED_PARSE.append(saved if ok else None)
        return _SAVED_PARSE[0]


def dbt_build(
    landing_dir: Path,
    work_dir: Path,
    *,
    select: str | None = None,
    vars: dict | None = None,
    command: str = "build",
    expect_ok: bool = True,
    env: dict[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    project_dir: Path = REPO_ROOT,
) -> DbtResult:
    """Run `dbt <command>` in the repo root on `landing_dir`, writing under `work_dir`.

    `select` is passed as `--select` (with cautious indirect test selection, see
    dbt_invocation), `vars` as `--vars` (JSON), `env` overrides the environment,
    `project_dir` is the dbt project to run (default: the repo).

    dbt runs with cwd=work_dir, and starts from the saved parse of the repo project
    (saved_parse) unless work_dir already holds one of its own (an earlier run there).

    Raises AssertionError (with the tail of dbt's output) when `expect_ok` and dbt
    exits non-zero.
    """
    work_dir = Path(work_dir).resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    args, run_env, db_path = dbt_invocation(
        landing_dir,
        work_dir,
        select=select,
        vars=vars,
        command=command,
        env=env,
        project_dir=project_dir,
        relative_db=True,
    )
    own_parse = work_dir / "target" / PARTIAL_PARSE_FILE
    seed = saved_parse() if Path(project_dir).resolve() == REPO_ROOT else None
    if seed is not None and not own_parse.exists():
        own_parse.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(seed, own_parse)
    completed = subprocess.run(
        args,
        cwd=work_dir,
        env=run_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )
    result = DbtResult(
        returncode=completed.returncode,
        output=completed.stdout,
        db_path=db_path,
        args=tuple(args),
    )
    if expect_ok and not result.ok:
        raise AssertionError(
            f"dbt {command} on {landing_dir} failed (exit {result.returncode});"
            f" last lines of its output:\n{result.tail()}"
        )
    return result


def dbt_build_many(
    runs: dict[str, dict[str, Any]], *, max_parallel: int | None = None
) -> dict[str, DbtResult]:
    """Several dbt_build calls at once: {name: dbt_build kwargs} -> {name: result}.

    Each entry needs `landing_dir` and `work_dir`; the others are dbt_build's keyword
    arguments. Runs at most `max_parallel` at a time (default: the CPU count, <= 4).
    """
    workers = max_parallel or min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {
            name: pool.submit(
                dbt_build,
                kwargs["landing_dir"],
                kwargs["work_dir"],
                **{
                    k: v
                    for k, v in kwargs.items()
                    if k not in ("landing_dir", "work_dir")
                },
            )
            for name, kwargs in runs.items()
        }
        return {name: future.result() for name, future in futures.items()}


def copy_landing(
    destination: Path,
    *,
    source: Path = FIXTURES_DIR / "landing_small",
    folders: Iterable[str] | None = None,
) -> Path:
    """Copy (some folders of) a fixture landing dir to `destination`; returns it."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    for folder in LANDING_FOLDERS if folders is None else folders:
        if (source / folder).is_dir():
            shutil.copytree(source / folder, destination / folder)
    return destination


# What a dbt run of the project needs (copy_project): no .venv, data, warehouse, docs.
PROJECT_PARTS = ("dbt_project.yml", "macros", "models", "seeds", "tests", "profiles")


def copy_project(destination: Path) -> Path:
    """A scratch copy of the dbt project (to patch a macro or a model in a mutation
    test without touching the repo); returns it. Run it with dbt_build(...,
    project_dir=destination)."""
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part)
        elif source.is_file():
            shutil.copy2(source, destination / part)
    return destination


def patch_file(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of `old` in `path` (fails if not exactly one)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (
        f"{path}: expected one {old!r}, found {text.count(old)}"
    )
    path.write_text(text.replace(old, new), encoding="utf-8")
