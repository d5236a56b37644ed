"""The pseudonymisation salt: read from the environment, kept in the process.

The salt never enters SQL text, dbt's artifacts, logs or a command line. The
dbt-duckdb plugin `session_analytics.duckdb_plugin` sets it on every DuckDB connection
dbt opens as the session variable `SALT_VARIABLE` (a prepared parameter, so not even
DuckDB sees it as query text); the `pseudonymize()` macro reads it with
`getvariable()`. On Spark the macro reads the environment variable inside the JVM
(`java.lang.System.getenv`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

SALT_ENV = "SESSION_ANALYTICS_SALT"
# The DuckDB session variable that holds the salt on dbt's connections.
SALT_VARIABLE = "session_analytics_salt"
# The documented public salt of the bundled sample (publish refuses it). dbt's
# `var('demo_salt')` must hold the same text: the Spark macro falls back to it.
DEMO_SALT = "session-analytics-demo-salt"
MIN_SALT_LENGTH = 16


def salt(env: Mapping[str, str] | None = None) -> str:
    """The salt in force: SESSION_ANALYTICS_SALT if set and not empty, else the demo."""
    value = (os.environ if env is None else env).get(SALT_ENV, "")
    return value or DEMO_SALT


def is_demo_salt(env: Mapping[str, str] | None = None) -> bool:
    return salt(env) == DEMO_SALT
