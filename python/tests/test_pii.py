"""Nothing leaked: no personal data in clear and no SuperOffice session_key anywhere.

The scans read every column of every table and view in every schema of a warehouse:

- e-mail addresses and phone numbers (by pattern) must not occur in any value: personal
  data is pseudonymised in staging and staging.rejected_rows as salted SHA-256;
- SuperOffice `chat_session.session_key` values (authentication secrets) must not occur
  in any value (nor any column be named like it): the landing reader never reads it.

They run on the bundled sample (`data/sample`, built once per test session and shared
with test_idempotency.py through `sample_build()`) and, from test_hostile.py, on the
hostile builds.
"""

from __future__ import annotations

import csv
import functools
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

import duckdb
from dbt_harness import REPO_ROOT, DbtResult, dbt_build

SAMPLE_DIR = REPO_ROOT / "data" / "sample"

# An e-mail address; a phone number: "+" then digits with separators, >= 8 digits
# (checked below), as customers type them or in E.164.
EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*[.][A-Za-z]{2,}"
PHONE_PATTERN = r"[+][0-9][0-9 ().-]{6,}[0-9]"
HEX_RUN_PATTERN = r"[0-9A-Fa-f]{32,}"
# Columns whose phone-like values are the organisation's own numbers, not personal data,
# left out of the phone scan only: Syllable `target`, "the name of the channel target
# associated with the agent" (the sample's agents answer on +47 21 99 01 00 and the
# like). The e-mail and session_key scans still cover them.
ORGANISATION_NUMBER_COLUMNS = ("target",)
_PHONE_DIGITS = 8


@functools.cache
def sample_build() -> DbtResult:
    """A full `dbt build` of data/sample, once per test session (also used by
    test_idempotency.py, which rebuilds into the same warehouse)."""
    work_dir = Path(tempfile.mkdtemp(prefix="sample_warehouse_"))
    return dbt_build(SAMPLE_DIR, work_dir)


def session_keys_of(landing_dir: Path) -> set[str]:
    """The session_key values of every SuperOffice CSV file of a landing dir (lower
    case)."""
    keys: set[str] = set()
    for path in sorted((landing_dir / "superoffice").glob("*.csv")):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            text = path.read_text(encoding="latin-1")
        rows = csv.DictReader(text.splitlines(keepends=True))
        for row in rows:
            value = (row.get("session_key") or "").strip()
            if value:
                keys.add(value.lower())
    return keys


def _relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, list[str]]]:
    """(schema, name, columns) of every table and view of the attached warehouse."""
    rows = con.execute(
        "select table_schema, table_name, list(column_name order by ordinal_position)"
        " from information_schema.columns where table_catalog = 'w'"
        " group by all order by all"
    ).fetchall()
    return [(schema, name, list(columns)) for schema, name, columns in rows]


def _row_text(columns: list[str]) -> str:
    """Every column of a row as one text (unit separator between values).

    OData annotation names (`@odata.type`, `sessions@odata.nextLink`) are vendor member
    names, not addresses: staging.base_landing__json_member_paths lists them as paths
    (`$.sessions[*].caller.@odata.type`), which the e-mail pattern would otherwise
    match, so `@odata.` is read as `#odata.` (an address at a domain odata.* is not
    personal data we land)."""
    parts = ", ".join(
        f"coalesce(cast(\"{column}\" as varchar), '')" for column in columns
    )
    return f"replace(concat_ws(chr(31), {parts}), '@odata.', '#odata.')"


def personal_data_findings(
    result: DbtResult, session_keys: Iterable[str] = ()
) -> list[tuple[str, str, str, str]]:
    """(schema.relation, kind, example, column list) of every e-mail, phone number or
    session_key found in any value of any relation of the warehouse."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{result.db_path}' as w (read_only)")
        con.execute("create temp table session_keys (k varchar)")
        keys = sorted({key.lower() for key in session_keys})
        if keys:
            con.executemany("insert into session_keys values (?)", [[k] for k in keys])
        findings = []
        relations = _relations(con)
        assert relations, "no relations in the warehouse"
        for schema, name, columns in relations:
            relation = f'w."{schema}"."{name}"'
            text = _row_text(columns)
            phone_text = _row_text(
                [c for c in columns if c not in ORGANISATION_NUMBER_COLUMNS] or columns
            )
            (email,) = con.execute(
                f"select max(regexp_extract({text}, '{EMAIL_PATTERN}'))"
                f" filter (where regexp_matches({text}, '{EMAIL_PATTERN}'))"
                f" from {relation}"
            ).fetchone()
            (phone,) = con.execute(
                f"select max(p) filter (where"
                f" length(regexp_replace(p, '[^0-9]', '', 'g')) >= {_PHONE_DIGITS})"
                f" from (select unnest(regexp_extract_all({phone_text},"
                f"  '{PHONE_PATTERN}')) as p from {relation})"
            ).fetchone()
            if email:
                findings.append(
                    (f"{schema}.{name}", "e-mail", email, ",".join(columns))
                )
            if phone:
                findings.append((f"{schema}.{name}", "phone", phone, ",".join(columns)))
            if keys:
                # every 32-character window of every run of >= 32 hex digits
                (leaked,) = con.execute(
                    f"with runs as ("
                    f" select lower(unnest(regexp_extract_all({text},"
                    f"  '{HEX_RUN_PATTERN}'))) as run from {relation}),"
                    f" windows as (select substr(run, i + 1, 32) as w"
                    f"  from runs, range(0, length(run) - 31) as t(i))"
                    f" select max(w) from windows"
                    f"  where w in (select k from session_keys)"
                ).fetchone()
                if leaked:
                    findings.append(
                        (f"{schema}.{name}", "session_key", leaked, ",".join(columns))
                    )
        return findings
    finally:
        con.close()


def assert_no_personal_data(result: DbtResult, landing_dir: Path) -> None:
    """No e-mail, phone number or SuperOffice session_key value anywhere in the
    warehouse, and no staging column named like session_key (the marts' `session_key` is
    the surrogate key of fct_sessions, not the SuperOffice secret: its values are
    covered by the value scan)."""
    keys = session_keys_of(landing_dir)
    assert personal_data_findings(result, keys) == []
    assert (
        result.count(
            "information_schema.columns",
            "table_schema = 'staging' and lower(column_name) like '%session%key%'",
        )
        == 0
    )


def test_pattern_scan_finds_planted_personal_data(tmp_path: Path) -> None:
    """The scanner itself: a warehouse with an e-mail, a phone number and a session key
    hidden in values (also inside JSON text and a list) is reported."""
    db_path = tmp_path / "planted.duckdb"
    con = duckdb.connect(str(db_path))
    con.execute("create schema staging")
    con.execute(
        "create table staging.t as select 1 as id,"
        " '{\"a\": \"x anna.berg@example.com y\"}' as raw, ['+47 22 33 44 55'] as l,"
        " 'abc' || 'deadbeefdeadbeefdeadbeefdeadbeef' as k,"
        " '2024-03-05 10:00:00+02:00' as not_a_phone"
    )
    con.close()
    result = DbtResult(returncode=0, output="", db_path=db_path)
    kinds = {
        kind
        for _, kind, _, _ in personal_data_findings(
            result, ["DEADBEEFDEADBEEFDEADBEEFDEADBEEF"]
        )
    }
    assert kinds == {"e-mail", "phone", "session_key"}


def test_sample_has_personal_data_to_find() -> None:
    """The bundled sample lands e-mails, phone numbers and session keys (so the scan of
    its warehouse means something)."""
    keys = session_keys_of(SAMPLE_DIR)
    assert len(keys) > 100
    texts = "".join(
        path.read_text(encoding="utf-8-sig")[:200_000]
        for path in sorted((SAMPLE_DIR / "superoffice").glob("*.csv"))[:5]
    )
    assert re.search(EMAIL_PATTERN, texts)
    assert re.search(PHONE_PATTERN, texts)


def test_sample_warehouse_holds_no_personal_data_or_session_key() -> None:
    result = sample_build()
    assert_no_personal_data(result, SAMPLE_DIR)
    # pseudonymised columns are tagged meta pii and hold 64-hex digests only
    assert result.count(
        "staging.stg_superoffice__chat_sessions", "email_hash is not null"
    )
    assert (
        result.count(
            "staging.stg_superoffice__chat_sessions",
            "not regexp_full_match(email_hash, '[0-9a-f]{64}')",
        )
        == 0
    )


def test_pii_columns_are_tagged_in_the_manifest() -> None:
    """Every *_hash column of the staging YAML carries meta pii: true (read from the
    manifest of the sample build, so this costs no extra build)."""
    import json

    manifest = json.loads(
        (sample_build().work_dir / "target" / "manifest.json").read_text()
    )
    untagged = []
    tagged = 0
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or "staging" not in node["fqn"]:
            continue
        for column in node["columns"].values():
            if column["name"].endswith("_hash"):
                meta = column.get("meta") or column.get("config", {}).get("meta", {})
                if meta.get("pii") is True:
                    tagged += 1
                else:
                    untagged.append((node["name"], column["name"]))
    assert untagged == []
    assert tagged > 20
