"""Safe publishing: build into a fresh file, test it, then atomically swap it in.

DuckDB allows one writer or many readers. BI tools read
`warehouse/published/session_analytics.duckdb`; `publish` never writes that file. It
builds a new warehouse file beside it (same filesystem), runs `dbt build` (every model,
data test and unit test) against it, and only if all pass renames it over the served
file with `os.replace`, which is atomic: a reader opens either the old or the new file,
never a half-built one. A killed or failed build leaves the served file untouched; its
leftovers are removed by the next publish.

For tests of kills at a precise moment, `SESSION_ANALYTICS_PUBLISH_PAUSE_AT=<point>`
makes publish write the marker file `.publish-paused-<point>` (its pid) beside the
served file on reaching that point and wait there until the marker is deleted (or the
process is killed). The points, in order (PAUSE_POINTS):

- `building`: the build file exists and dbt is still writing it;
- `before_rename`: dbt build (every test) passed, the file is checkpointed and
  read-only, not yet renamed over the served file;
- `after_rename`: `os.replace` returned (one atomic rename(2): a kill lands before or
  after it, never inside), the build's work dir not yet removed, the lock still held.
"""

from __future__ import annotations

import fcntl
import os
import stat
import sys
import threading
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
PAUSE_ENV = "SESSION_ANALYTICS_PUBLISH_PAUSE_AT"
PAUSE_POINTS = ("building", "before_rename", "after_rename")
PAUSE_MARKER_PREFIX = ".publish-paused-"


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


def pause_marker(published: Path, point: str) -> Path:
    """The marker file a publish paused at `point` writes beside `published`."""
    return published.parent / f"{PAUSE_MARKER_PREFIX}{point}"


def _pause(environment: Mapping[str, str], point: str, published: Path) -> None:
    """At the point named by SESSION_ANALYTICS_PUBLISH_PAUSE_AT: write the marker and
    wait until it is deleted (test hook; a no-op when unset or another point)."""
    if environment.get(PAUSE_ENV) != point:
        return
    marker = pause_marker(published, point)
    marker.write_text(f"{os.getpid()}\n", encoding="utf-8")
    while marker.exists():
        time.sleep(0.02)


def _run_build(
    environment: Mapping[str, str],
    published: Path,
    fresh: Path,
    work_dir: Path,
    dbt_args: tuple[str, ...],
    quiet: bool,
) -> tuple[int, str]:
    """dbt build into `fresh`: (exit code, output if quiet). With the pause point
    `building`, dbt runs in a thread while this one waits for the build file."""
    outcome: dict[str, tuple[int, str]] = {}

    def build() -> None:
        result = run_dbt(
            ["build", *dbt_args],
            fresh,
            work_dir=work_dir,
            env=environment,
            capture=quiet,
        )
        outcome["result"] = (result.returncode, result.stdout or "")

    if environment.get(PAUSE_ENV) != "building":
        build()
        return outcome["result"]
    worker = threading.Thread(target=build, daemon=True)
    worker.start()
    while worker.is_alive() and not (fresh.exists() and fresh.stat().st_size > 0):
        time.sleep(0.01)
    if worker.is_alive():
        _pause(environment, "building", published)
    worker.join()
    return outcome["result"]


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
            returncode, output = _run_build(
                environment, published, fresh, work_dir, dbt_args, quiet
            )
            if returncode != 0:
                tail = output[-3000:] if quiet else ""
                raise PublishError(
                    f"dbt build failed (exit {returncode}): nothing published;"
                    f" {published} is unchanged.\n{tail}"
                )
            _finalise(fresh)
            _pause(environment, "before_rename", published)
            os.replace(fresh, published)
            _pause(environment, "after_rename", published)
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
    if dbt_args[:1] == ("--",):  # `publish -- --select ...`: argparse keeps the --
        dbt_args = dbt_args[1:]
    try:
        result = publish(published, dbt_args=dbt_args)
    except PublishError as exc:
        print(f"session-analytics publish: {exc}", file=sys.stderr)
        return 1
    print(f"published {result.published} in {result.seconds:.1f} s")
    return 0
