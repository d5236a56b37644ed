"""dbt-duckdb plugin: put the pseudonymisation salt on each connection dbt opens.

Listed in profiles/profiles.yml (`plugins: - module: session_analytics.duckdb_plugin`).
dbt-duckdb calls `configure_cursor` for every cursor it hands to a model, and DuckDB
session variables belong to one cursor, so the salt is set on each of them. The value is
bound as a prepared-statement parameter: it never appears in SQL text, so dbt cannot log
it, compile it into `target/` or store it in `manifest.json`.
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from session_analytics.pii import SALT_VARIABLE, salt


def set_salt(connection: Any) -> None:
    """Set the salt variable on one DuckDB connection or cursor."""
    connection.execute(f"set variable {SALT_VARIABLE} = ?", [salt()])


class Plugin(BasePlugin):
    """Registers the salt; has no sources or targets of its own."""

    def configure_connection(self, conn: Any) -> None:
        set_salt(conn)

    def configure_cursor(self, cursor: Any) -> None:
        set_salt(cursor)
