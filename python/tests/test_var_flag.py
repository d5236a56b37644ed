"""The one boolean-var parser (macro var_flag): a value that is not a boolean stops the
build with a message naming the var, instead of being read as true (or false)."""

from __future__ import annotations

from pathlib import Path

from dbt_harness import FIXTURES_DIR, dbt_build


def test_bad_boolean_var_fails_naming_it(tmp_path: Path) -> None:
    result = dbt_build(
        FIXTURES_DIR / "golden_queue",
        tmp_path,
        command="compile",
        select="fct_call_quality_daily fct_session_duration_daily",
        vars={"include_test_sessions": "flase"},
        expect_ok=False,
    )
    assert not result.ok
    assert "var 'include_test_sessions' must be a boolean" in result.output
    assert "got 'flase'" in result.output
