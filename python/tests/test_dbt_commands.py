"""dbt's read-only commands work on a fresh database (issue 14).

`dbt compile`, `dbt ls` and `dbt docs generate` against a warehouse file that has never
been built used to fail: the intermediate models read their seeds' rows while they
compiled (seed_rows: the bit columns of decode_bitfield, the enum codes, the conformed
modalities), and the nested Graph base models queried base_graph__call_records. Now
seed_rows falls back to the seed's CSV file in the project, and the nested Graph models
read no stored table that does not exist. Compiling builds nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from dbt_harness import (
    FIXTURES_DIR,
    REPO_ROOT,
    dbt_build,
    dbt_invocation,
    saved_parse,
)

SAMPLE = REPO_ROOT / "data" / "sample"


def _tables(db_path: Path) -> list[str]:
    if not db_path.exists():
        return []
    with duckdb.connect(str(db_path), read_only=True) as con:
        return [
            f"{schema}.{name}"
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        ]


def test_compile_ls_and_docs_on_a_fresh_database(tmp_path: Path) -> None:
    compiled = dbt_build(SAMPLE, tmp_path, command="compile")
    target = tmp_path / "target" / "compiled" / "session_analytics" / "models"
    qoe = (target / "intermediate" / "int_sfb_qoe__sessions_decoded.sql").read_text()
    cdr = (target / "intermediate" / "int_sfb_cdr__sessions_decoded.sql").read_text()
    # Hand-checked against seeds/bitfield_bits.csv and enum_values.csv: the decoders got
    # the seed's rows (an empty seed read would compile no bit column and no WHEN).
    assert "end as media_audio," in cdr, "no bit columns: the seed was not read"
    assert "then 'non_urgent'" in qoe + cdr
    assert compiled.ok
    # Compiling built no model: only what dbt itself may create (no table of ours).
    assert [t for t in _tables(compiled.db_path) if ".stg_" in t or "fct_" in t] == []

    listed = dbt_build(SAMPLE, tmp_path, command="ls")
    assert "session_analytics.marts.fct_sessions" in listed.output
    args, env, _ = dbt_invocation(SAMPLE, tmp_path, command="docs")
    docs = subprocess.run(
        [args[0], "docs", "generate", *args[2:]],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert docs.returncode == 0, docs.stdout[-3000:]
    assert (tmp_path / "target" / "catalog.json").exists()


def _compiled_models(target: Path) -> dict[str, str]:
    root = target / "compiled" / "session_analytics" / "models"
    return {path.stem: path.read_text() for path in sorted(root.rglob("*.sql"))}


@pytest.fixture(scope="module")
def compiled_small_and_large(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """The compiled SQL of every model with the sample landed, and again after every
    landed file was landed twice more under new names (same landing_dir path, fresh
    databases): 3 times the files."""
    root = tmp_path_factory.mktemp("compiled")
    landing = root / "landing"
    shutil.copytree(SAMPLE, landing)
    small = dbt_build(landing, root / "small", command="compile")
    names = []
    for path in sorted(p for p in landing.rglob("*") if p.is_file()):
        names.append(path.name)
        for copy in (1, 2):
            shutil.copy2(path, path.with_name(f"{path.stem}_copy{copy}{path.suffix}"))
    large = dbt_build(landing, root / "large", command="compile")
    assert small.ok and large.ok
    return (
        _compiled_models(root / "small" / "target"),
        _compiled_models(root / "large" / "target"),
        names,
    )


def test_compiled_sql_names_no_landed_file_and_does_not_grow(
    compiled_small_and_large: tuple[dict[str, str], dict[str, str], list[str]],
) -> None:
    """Issue 14: every reader (the CSV sources, CQD's delimited files, Graph's five
    levels, PSTN, Direct Routing, Syllable, the member paths) and landed_files find,
    fingerprint and check their files while the build runs, so the compiled SQL of
    every model is the same with 3 times the files and names none of them."""
    small, large, names = compiled_small_and_large
    runtime = sorted(small)
    readers = [name for name in runtime if name.startswith("base_")]
    for reader in (
        "base_graph__call_records",
        "base_sfb_qoe__sessions",
        "base_sfb_cdr__session_details",
        "base_superoffice__chat_sessions",
        "base_cqd__buildings",
        "base_cqd__endpoints",
    ):
        assert reader in readers, readers
    assert "landed_files" in runtime and len(runtime) > 60, runtime
    assert sorted(large) == runtime
    grew = [name for name in runtime if small[name] != large[name]]
    assert grew == [], f"compiled SQL changed with the number of landed files: {grew}"
    named = sorted(
        (model, name) for model in runtime for name in names if name in small[model]
    )
    assert named == [], f"compiled SQL names landed files: {named[:10]}"


def test_landing_dir_var_wins_over_the_environment(tmp_path: Path) -> None:
    """`dbt build --vars '{landing_dir: DIR}'` reads DIR, whatever
    SESSION_ANALYTICS_LANDING_DIR says (the interface extract and the docs name)."""
    from_env = tmp_path / "empty"
    (from_env / "superoffice").mkdir(parents=True)
    from_var = FIXTURES_DIR / "landing_small"
    built = dbt_build(
        from_env,
        tmp_path / "run",
        select="base_superoffice__chat_sessions",
        vars={"landing_dir": str(from_var)},
    )
    files = built.query(
        "select distinct source_file from staging.base_superoffice__chat_sessions"
    )
    expected = sorted(str(path) for path in (from_var / "superoffice").glob("*.csv"))
    assert sorted(name for (name,) in files) == expected


def test_harness_runs_start_from_the_saved_parse(tmp_path: Path) -> None:
    """Every dbt run of the harness reuses one saved parse (dbt_harness.saved_parse):
    a run in a fresh work dir, on another landing dir, does not parse in full."""
    assert saved_parse() is not None, "dbt parse of the project failed"
    other_landing = tmp_path / "landing"
    other_landing.mkdir()
    listed = dbt_build(other_landing, tmp_path / "run", command="ls")
    assert "session_analytics.marts.fct_sessions" in listed.output
    log = (tmp_path / "run" / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert "Partial parsing enabled" in log
    assert "Starting full parse" not in log
    assert "Unable to do partial parsing" not in log
