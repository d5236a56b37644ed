"""The one boolean-var parser (macro var_flag): a value that is not a boolean stops the
build with a message naming the var, instead of being read as true (or false)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from dbt_harness import FIXTURES_DIR, REPO_ROOT, dbt_build


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


def test_cqd_unit_tests_pin_the_project_defaults() -> None:
    """The CQD unit tests pin the thresholds (so a user's --vars cannot fail them);
    the pins must stay the defaults of dbt_project.yml, the one place users read."""
    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())["vars"]
    tests = yaml.safe_load(
        (REPO_ROOT / "models/intermediate/_intermediate__unit_tests.yml").read_text()
    )["unit_tests"]
    [current] = [t for t in tests if t["name"].endswith("classified__current_rule")]
    pinned = current["overrides"]["vars"]
    cqd_defaults = {k: v for k, v in project.items() if k.startswith("cqd_")}
    expected = {
        k: v
        for k, v in cqd_defaults.items()
        if not k.startswith(("cqd_vpn", "cqd_missing"))
    }
    assert pinned == expected


# The vars of the landing and staging layers: an incremental model below staging does
# not rebuild when they change (docs/LANDING.md, "Upgrades and var changes").
STAGING_VARS = {
    "demo_salt",
    "on_bad_file",
    "landing_dir",
    "sfb_timezone",
    "superoffice_timezone",
}


def test_derived_vars_cover_every_other_project_var() -> None:
    """Every var of dbt_project.yml is either a landing/staging var or one of the
    derived_vars that the incremental int models and marts follow (a change rebuilds
    every row): a new var that is in neither list fails here."""
    project = set(yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())["vars"])
    macro = (REPO_ROOT / "macros/landing/derived_rows.sql").read_text()
    body = macro.split("{% macro derived_vars() -%}", 1)[1].split("endmacro", 1)[0]
    derived = set(re.findall(r"'([a-z_]+)'", body))
    assert derived, "derived_vars lists no var"
    assert derived.isdisjoint(STAGING_VARS)
    assert derived | STAGING_VARS == project
