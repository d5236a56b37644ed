"""The pseudonymisation salt never leaves the process, and it is really used.

- A distinctive salt (with `'` and `\\`) set in the environment only: `dbt build`,
  `publish`, `export` and `report` run with it, then every file under the project (but
  .venv and .git) and under every output folder is scanned for the salt's bytes, its hex
  and its base64 (docs/RELIABILITY.md, "The salt never leaves the process").
- The salt is applied exactly: a pseudonym equals SHA-256(salt || lower(trim(value))).
- Two builds with two salts: every pseudonymised column has other values, so a salt
  that is ignored cannot pass.
- `publish` refuses a missing, demo or too-short salt.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from dbt_harness import FIXTURES_DIR, REPO_ROOT, DbtResult, dbt_build

from session_analytics.pii import DEMO_SALT, MIN_SALT_LENGTH
from session_analytics.publish import PublishError, check_salt

SMALL = FIXTURES_DIR / "landing_small"
# made at run time, so that no file of the repo holds it (this one included)
CANARY_TAIL = "Canary" + secrets.token_hex(8)
CANARY = "Sa'lt\\" + CANARY_TAIL + "-\u00e6"
OTHER_SALT = "another-salt-0123456789"
CLI = Path(sys.executable).parent / "session-analytics"
SKIP_DIRS = {".venv", ".git", "node_modules"}


def _needles(secret: str) -> dict[str, bytes]:
    raw = secret.encode("utf-8")
    forms = {
        "bytes": raw,
        "hex": raw.hex().encode(),
        "HEX": raw.hex().upper().encode(),
        "base64": base64.b64encode(raw).rstrip(b"="),
        "utf-16-le": secret.encode("utf-16-le"),
        # the part after the quote and backslash, in case only those are escaped
        "tail": CANARY_TAIL.encode(),
    }
    return forms


def _files(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _findings(roots: list[Path], secret: str) -> list[tuple[str, str]]:
    needles = _needles(secret)
    found = []
    scanned = 0
    for root in roots:
        for path in _files(root):
            data = path.read_bytes()
            scanned += 1
            for kind, needle in needles.items():
                if needle in data:
                    found.append((str(path), kind))
    assert scanned > 0, f"nothing scanned under {roots}"
    return found


def _hash(value: str, salt: str) -> str:
    return hashlib.sha256((salt + value.strip().lower()).encode("utf-8")).hexdigest()


def _hash_columns(result: DbtResult) -> dict[str, set[str]]:
    """Every non-null value of every `*_hash` column of every relation."""
    columns = result.query(
        "select table_schema, table_name, column_name from information_schema.columns"
        " where column_name like '%\\_hash' escape '\\' order by all"
    )
    values: dict[str, set[str]] = {}
    with result.connect() as con:
        for schema, name, column in columns:
            rows = con.execute(
                f'select distinct "{column}" from "{schema}"."{name}"'
                f' where "{column}" is not null'
            ).fetchall()
            values[f"{schema}.{name}.{column}"] = {value for (value,) in rows}
    return values


def _landing_with_a_rejected_row(landing: Path) -> Path:
    """landing_small plus one SuperOffice chat that is rejected (its when_requested is
    not a datetime) and carries an e-mail address, pseudonymised in its raw_record."""
    shutil.copytree(SMALL, landing)
    source = SMALL / "superoffice" / "chat_session_2024-03-05.csv"
    header = source.read_text().splitlines()[0]
    fields = header.split(",")
    row = dict.fromkeys(fields, "")
    row.update(
        id="77",
        topic_id="1",
        status="7",
        when_requested="not a datetime",
        email="planted.reject@example.org",
    )
    (landing / "superoffice" / "chat_session_2024-03-09.csv").write_text(
        header + "\n" + ",".join(row[name] for name in fields) + "\n"
    )
    return landing


@pytest.fixture(scope="module")
def canary_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """build, publish, export and report with the canary salt; their folders."""
    work = tmp_path_factory.mktemp("salt_canary")
    landing = _landing_with_a_rejected_row(work / "landing")
    env = {"SESSION_ANALYTICS_SALT": CANARY}
    build = dbt_build(landing, work / "build", env=env)
    published = work / "published" / "session_analytics.duckdb"
    run_env = dict(os.environ)
    run_env.update(
        SESSION_ANALYTICS_SALT=CANARY,
        SESSION_ANALYTICS_LANDING_DIR=str(landing),
        DO_NOT_TRACK="1",
    )
    commands = {
        "publish": [str(CLI), "publish", "--published", str(published)],
        "export": [str(CLI), "export", "--out", str(work / "export")],
        "report": [str(CLI), "report", "--out", str(work / "report")],
    }
    outputs = {}
    for name, command in commands.items():
        if name != "publish":
            command += ["--db", str(build.db_path)]
        done = subprocess.run(
            command,
            cwd=REPO_ROOT,
            env=run_env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, (name, done.stdout[-2000:], done.stderr[-2000:])
        outputs[name] = done.stdout + done.stderr
    return {
        "work": work,
        "landing": landing,
        "build": build,
        "published": published,
        "outputs": outputs,
    }


def test_salt_is_in_no_file_the_build_or_the_cli_writes(canary_runs: dict) -> None:
    work = canary_runs["work"]
    assert canary_runs["published"].exists()
    assert (work / "report" / "session_analytics_report.html").exists()
    assert list((work / "export").glob("*.parquet"))
    # the build's own artifacts are there to be scanned
    assert (work / "build" / "target" / "manifest.json").exists()
    assert list((work / "build" / "logs").glob("*.log"))
    assert _findings([work, REPO_ROOT], CANARY) == []


def test_salt_is_in_no_output_or_message(canary_runs: dict) -> None:
    build: DbtResult = canary_runs["build"]
    texts = [build.output, " ".join(build.args), *canary_runs["outputs"].values()]
    for text in texts:
        for needle in _needles(CANARY).values():
            assert needle.decode("utf-8", "replace") not in text


def test_pseudonyms_are_sha256_of_the_salt_and_the_value(canary_runs: dict) -> None:
    build: DbtResult = canary_runs["build"]
    # landing_small/superoffice: chat 1 is Anna Berg, anna.berg@example.com
    email, name = build.query(
        "select email_hash, name_hash from staging.stg_superoffice__chat_sessions"
        " where chat_session_id = 1"
    )[0]
    assert email == _hash("anna.berg@example.com", CANARY)
    assert name == _hash("Anna Berg", CANARY)
    assert email != _hash("anna.berg@example.com", DEMO_SALT)


def test_every_pseudonymised_column_changes_with_the_salt(
    canary_runs: dict, tmp_path: Path
) -> None:
    other = dbt_build(
        canary_runs["landing"], tmp_path, env={"SESSION_ANALYTICS_SALT": OTHER_SALT}
    )
    first = _hash_columns(canary_runs["build"])
    second = _hash_columns(other)
    assert first.keys() == second.keys()
    filled = {column for column, values in first.items() if values}
    # landing_small carries personal data in every system
    assert len(filled) >= 10, sorted(filled)
    for column in filled:
        assert first[column].isdisjoint(second[column]), column
    # rejected rows: a pseudonymised field inside a quarantined raw record changes too
    hashed_first = _rejected_hashes(canary_runs["build"])
    hashed_second = _rejected_hashes(other)
    assert hashed_first, "landing_small has rejected rows with personal data"
    assert hashed_first.isdisjoint(hashed_second)


def _rejected_hashes(result: DbtResult) -> set[str]:
    """Every 64-hex-digit value inside staging.rejected_rows.raw_record."""
    rows = result.query(
        "select distinct unnest(regexp_extract_all(raw_record, '[0-9a-f]{64}'))"
        " from staging.rejected_rows"
    )
    return {value for (value,) in rows}


def test_publish_refuses_missing_demo_and_short_salts() -> None:
    with pytest.raises(PublishError, match="SESSION_ANALYTICS_SALT is not set"):
        check_salt({})
    with pytest.raises(PublishError, match="demo salt"):
        check_salt({"SESSION_ANALYTICS_SALT": DEMO_SALT})
    short = "x" * (MIN_SALT_LENGTH - 1)
    with pytest.raises(PublishError, match=f"at least {MIN_SALT_LENGTH} characters"):
        check_salt({"SESSION_ANALYTICS_SALT": short})
    check_salt({"SESSION_ANALYTICS_SALT": "x" * MIN_SALT_LENGTH})


def test_demo_salt_is_one_fact() -> None:
    """The Spark macro falls back to var('demo_salt'); it must be the Python one."""
    project = (REPO_ROOT / "dbt_project.yml").read_text()
    assert f"demo_salt: {DEMO_SALT}\n" in project
