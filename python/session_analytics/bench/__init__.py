"""`session-analytics bench`: how the dbt build compares with plain DuckDB ingest.

Modules: measure (wall time and peak RSS of a command), floor (plain DuckDB reads),
landing (generated data and the 1 % increment), timings (dbt run_results.json),
machine, result, report (markdown) and runner (the whole benchmark).
"""

from __future__ import annotations

from .result import BenchResult
from .runner import BenchConfig, BenchError, run_bench

__all__ = ["BenchConfig", "BenchError", "BenchResult", "run_bench"]
