"""Safe publishing: readers never see a half-built or failed warehouse."""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from session_analytics.publish import (
    PAUSE_ENV,
    PAUSE_POINTS,
    PublishError,
    check_salt,
    pause_marker,
    publish,
)

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "landing_small"
SALT = "test-salt-0123456789abcdef"
COUNT_SQL = "select count(*) from marts.fct_sessions"

# Hand count of fct_sessions rows for landing_small (see test_staging_readers for the
# per-system counts): QoE 3 + CDR 3 + Graph 4 + SuperOffice 2 + Syllable 3 = 15.
SMALL_SESSIONS = 15
# The publish, kill and lock tests build fct_sessions and what it reads only (what they
# count), to keep their many builds short; extra dbt arguments go after `--`.
KILL_TEST_DBT_ARGS = ("--select", "+fct_sessions", "--indirect-selection", "cautious")


def _env(landing: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["SESSION_ANALYTICS_SALT"] = SALT
    env["SESSION_ANALYTICS_LANDING_DIR"] = str(landing)
    return env


def _landing_variants(tmp_path: Path) -> tuple[Path, Path, Path]:
    """landing_small; the same plus one more chat; the same with a bad file."""
    bigger = tmp_path / "bigger"
    shutil.copytree(SMALL, bigger)
    header = (SMALL / "superoffice" / "chat_session_2024-03-05.csv").read_text()
    header = header.splitlines()[0]
    fields = header.split(",")
    row = {name: "" for name in fields}
    row.update(id="99", topic_id="1", status="4", when_requested="2024-03-06 09:00:00")
    extra = ",".join(row[name] for name in fields)
    (bigger / "superoffice" / "chat_session_2024-03-06.csv").write_text(
        header + "\n" + extra + "\n"
    )
    failing = tmp_path / "failing"
    shutil.copytree(SMALL, failing)
    # a chat file whose header lacks the key column `id`: a bad file, the build stops
    (failing / "superoffice" / "chat_session_2024-03-06.csv").write_text(
        "topic_id,status,when_requested\n1,4,2024-03-06 09:00:00\n"
    )
    return SMALL, bigger, failing


def _reader(path: str, stop: Any, out: Any) -> None:
    """Query the served file in a loop until told to stop; report counts and errors."""
    counts: dict[int, int] = {}
    errors: list[str] = []
    while not stop.is_set():
        try:
            with duckdb.connect(path, read_only=True) as con:
                found = con.execute(COUNT_SQL).fetchone()
            assert found is not None
            counts[found[0]] = counts.get(found[0], 0) + 1
        except Exception as exc:  # noqa: BLE001 - every error is a failure to report
            errors.append(repr(exc))
        time.sleep(0.02)
    out.put((counts, errors))


def _leftovers(published: Path) -> list[str]:
    """Files of builds that did not finish (they start with `.building-`)."""
    return [p.name for p in published.parent.iterdir() if p.name.startswith(".build")]


def _served_count(published: Path) -> int:
    with duckdb.connect(str(published), read_only=True) as con:
        found = con.execute(COUNT_SQL).fetchone()
    assert found is not None
    return int(found[0])


def test_publish_refuses_without_a_real_salt() -> None:
    with pytest.raises(PublishError, match="SESSION_ANALYTICS_SALT"):
        check_salt({})
    with pytest.raises(PublishError, match="demo salt"):
        check_salt({"SESSION_ANALYTICS_SALT": "session-analytics-demo-salt"})
    check_salt({"SESSION_ANALYTICS_SALT": SALT})


def test_publish_command_refuses_demo_salt(tmp_path: Path) -> None:
    env = _env(SMALL)
    env["SESSION_ANALYTICS_SALT"] = "session-analytics-demo-salt"
    published = tmp_path / "served.duckdb"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "session_analytics.cli",
            "publish",
            "--published",
            str(published),
            "--",
            *KILL_TEST_DBT_ARGS,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "SESSION_ANALYTICS_SALT" in done.stderr
    assert not published.exists()


def test_publishes_under_concurrent_readers(tmp_path: Path) -> None:
    small, bigger, failing = _landing_variants(tmp_path)
    published = tmp_path / "published" / "session_analytics.duckdb"
    publish(published, env=_env(small), dbt_args=KILL_TEST_DBT_ARGS, quiet=True)
    assert _served_count(published) == SMALL_SESSIONS
    assert published.stat().st_mode & 0o222 == 0, "served file must be read-only"

    ctx = mp.get_context("spawn")
    stop = ctx.Event()
    out = ctx.Queue()
    readers = [
        ctx.Process(target=_reader, args=(str(published), stop, out)) for _ in range(3)
    ]
    for reader in readers:
        reader.start()
    outcomes: list[str] = []
    served: list[int] = []
    try:
        # grow, fail (the bigger one stays served), shrink
        for landing in (bigger, failing, small):
            try:
                publish(
                    published,
                    env=_env(landing),
                    dbt_args=KILL_TEST_DBT_ARGS,
                    quiet=True,
                )
                outcomes.append("ok")
            except PublishError:
                outcomes.append("failed")
            served.append(_served_count(published))
    finally:
        stop.set()
        results = [out.get(timeout=60) for _ in readers]
        for reader in readers:
            reader.join(timeout=60)

    # The failing landing (a chat file without its key column) is never served:
    # after it the previous warehouse (the bigger one) is still the one served.
    assert outcomes == ["ok", "failed", "ok"]
    bigger_count = SMALL_SESSIONS + 1
    assert served == [bigger_count, bigger_count, SMALL_SESSIONS]
    errors = [error for _, reader_errors in results for error in reader_errors]
    assert errors == []
    seen = set().union(*(counts for counts, _ in results))
    assert seen <= {SMALL_SESSIONS, bigger_count}, seen
    assert sum(sum(counts.values()) for counts, _ in results) > 0
    assert [
        p.name for p in published.parent.iterdir() if p.name.startswith(".bu")
    ] == []


def _start_publish(
    landing: Path, published: Path, pause_at: str | None = None
) -> subprocess.Popen:
    """`session-analytics publish` in its own process group (CLI + dbt)."""
    env = _env(landing)
    if pause_at:
        env[PAUSE_ENV] = pause_at
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "session_analytics.cli",
            "publish",
            "--published",
            str(published),
            "--",
            *KILL_TEST_DBT_ARGS,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_for_marker(
    published: Path, point: str, build: subprocess.Popen, timeout: float = 300
) -> Path:
    """Wait until the publish process reports it reached `point`."""
    marker = pause_marker(published, point)
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert build.poll() is None, (
            f"publish exited ({build.returncode}) before {point}"
        )
        assert time.monotonic() < deadline, f"publish never reached {point}"
        time.sleep(0.02)
    assert int(marker.read_text().strip()) == build.pid
    return marker


def _building_files(published: Path) -> list[Path]:
    return sorted(published.parent.glob(".building-*.duckdb"))


def test_kill_9_at_each_named_point(tmp_path: Path) -> None:
    """SIGKILL to the whole publish process group (CLI + dbt) at each pause point:
    the served file is the old one byte for byte, or (after the rename) the new one,
    complete; the next publish succeeds and removes the leftovers."""
    small, bigger, _ = _landing_variants(tmp_path)
    published = tmp_path / "published" / "session_analytics.duckdb"
    publish(published, env=_env(small), dbt_args=KILL_TEST_DBT_ARGS, quiet=True)
    assert set(PAUSE_POINTS) == {"building", "before_rename", "after_rename"}
    for point in PAUSE_POINTS:
        before = published.read_bytes()
        build = _start_publish(bigger, published, pause_at=point)
        marker = _wait_for_marker(published, point, build)
        # the point was reached: what exists there
        building = _building_files(published)
        if point == "building":  # dbt is writing the build file, not done
            assert len(building) == 1 and building[0].stat().st_size > 0
            work = building[0].with_suffix(".work")
            assert not (work / "target" / "run_results.json").exists()
        elif point == "before_rename":  # built, tested, read-only, not yet served
            assert len(building) == 1
            assert building[0].stat().st_mode & 0o222 == 0
            assert published.read_bytes() == before
        else:  # renamed: the served file is the new one
            assert building == []
        os.killpg(build.pid, signal.SIGKILL)
        build.wait(timeout=60)
        marker.unlink()
        if point == "after_rename":
            assert _served_count(published) == SMALL_SESSIONS + 1
            assert published.stat().st_mode & 0o222 == 0
        else:
            assert published.read_bytes() == before
            assert _served_count(published) == SMALL_SESSIONS
    assert _leftovers(published)  # the killed builds left files behind ...
    publish(published, env=_env(small), dbt_args=KILL_TEST_DBT_ARGS, quiet=True)
    assert _served_count(published) == SMALL_SESSIONS
    assert _leftovers(published) == []  # ... which the next publish removed


def test_two_publishes_at_once_wait_for_each_other(tmp_path: Path) -> None:
    """A second publish waits on the lock while the first is paused just before its
    rename; it starts building only after the first served its file, and each serves
    its own complete warehouse."""
    small, bigger, _ = _landing_variants(tmp_path)
    published = tmp_path / "published" / "session_analytics.duckdb"
    published.parent.mkdir(parents=True)
    first = _start_publish(bigger, published, pause_at="before_rename")
    second = None
    try:
        marker = _wait_for_marker(published, "before_rename", first)
        second = _start_publish(small, published)
        time.sleep(3)
        assert second.poll() is None, "the second publish must wait, not fail"
        (only,) = _building_files(published)  # the first's: the second waits
        assert not published.exists()
        marker.unlink()
        assert first.wait(timeout=120) == 0
        assert _served_count(published) == SMALL_SESSIONS + 1
        assert second.wait(timeout=600) == 0
        assert _served_count(published) == SMALL_SESSIONS
        assert _leftovers(published) == []
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=60)
