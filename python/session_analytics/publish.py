"""Safe publishing: build into a fresh file, test it, then atomically swap it in.

DuckDB allows one writer or many readers. BI tools read
`warehouse/published/session_analytics.duckdb`; `publish` never writes that file. It
builds a new warehouse file beside it (same filesystem), runs `dbt build` (every model,
data test and unit test) against it, and only if all pass renames it over the served
file with `os.replace`, which is atomic: a reader opens either the old or the new file,
never a half-built one. A killed or failed build leaves the served file untouched; its
leftovers are removed by the next publish.
"""

from __future__ import annotations

import fcntl
import os
import stat
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from session_analytics.dbt_runner import PROJECT_DIR, run_dbt
from session_analytics.pii import DEMO_SALT, MIN_SALT_LENGTH, SALT_ENV

DEFAULT_PUBLISHED = PROJECT_DIR / "warehouse" / "published" / "session_analytics.duckdb"
BUILD_PREFIX = ".building-"


class PublishError(RuntimeError):
    """Publishing refused or failed; the served file was not changed."""


@dataclass(frozen=True)
class PublishResult:
    published: Path
    seconds: float


def check_salt(env: Mapping[str, str]) -> None:
    """Refuse to publish personal data hashed with no salt or the public demo salt."""
    salt = env.get(SALT_ENV, "")
    if not salt or salt == DEMO_SALT:
        raise PublishError(
            "SESSION_ANALYTICS_SALT is not set (or is the public demo salt): set it"
            " to a secret of your own before publishing, so pseudonymised personal data"
            " cannot be reversed by hashing guesses with a known salt."
        )
    if len(salt) < MIN_SALT_LENGTH:
        raise PublishError(
            f"SESSION_ANALYTICS_SALT must be at least {MIN_SALT_LENGTH} characters."
        )


@contextmanager
def _publish_lock(published: Path) -> Iterator[None]:
    lock_path = published.parent / ".publish.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _remove_leftovers(directory: Path) -> None:
    """Delete files of earlier builds that were killed or failed."""
    for leftover in directory.glob(BUILD_PREFIX + "*"):
        if leftover.is_dir():
            _rmtree(leftover)
        else:
            leftover.unlink(missing_ok=True)


def _finalise(db_path: Path) -> None:
    """Checkpoint so the file stands alone (no WAL), then make it read-only."""
    with duckdb.connect(str(db_path)) as con:
        con.execute("checkpoint")
    wal = db_path.with_name(db_path.name + ".wal")
    if wal.exists():
        raise PublishError(f"{wal} still exists after checkpoint")
    db_path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def publish(
    published: Path = DEFAULT_PUBLISHED,
    *,
    env: Mapping[str, str] | None = None,
    dbt_args: tuple[str, ...] = (),
    quiet: bool = False,
) -> PublishResult:
    """Build, test and atomically publish the warehouse; raise PublishError if not."""
    environment = dict(os.environ if env is None else env)
    check_salt(environment)
    published = published.resolve()
    published.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with _publish_lock(published):
        _remove_leftovers(published.parent)
        token = f"{os.getpid()}-{time.time_ns()}"
        fresh = published.parent / f"{BUILD_PREFIX}{token}.duckdb"
        work_dir = published.parent / f"{BUILD_PREFIX}{token}.work"
        try:
            result = run_dbt(
                ["build", *dbt_args],
                fresh,
                work_dir=work_dir,
                env=environment,
                capture=quiet,
            )
            if result.returncode != 0:
                tail = (result.stdout or "")[-3000:] if quiet else ""
                raise PublishError(
                    f"dbt build failed (exit {result.returncode}): nothing published;"
                    f" {published} is unchanged.\n{tail}"
                )
            _finalise(fresh)
            os.replace(fresh, published)
        finally:
            fresh.unlink(missing_ok=True)
            Path(str(fresh) + ".wal").unlink(missing_ok=True)
            _rmtree(work_dir)
    return PublishResult(published=published, seconds=time.monotonic() - started)


def _rmtree(path: Path) -> None:
    if not path.exists():
        return
    for child in sorted(path.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if child.is_dir() and not child.is_symlink():
            child.rmdir()
        else:
            child.unlink()
    path.rmdir()


def main_publish(published: Path, dbt_args: tuple[str, ...]) -> int:
    try:
        result = publish(published, dbt_args=dbt_args)
    except PublishError as exc:
        print(f"session-analytics publish: {exc}", file=sys.stderr)
        return 1
    print(f"published {result.published} in {result.seconds:.1f} s")
    return 0
