"""Where dbt's time goes: per-node timings of ``target/run_results.json``."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["NodeTiming", "RunTimings", "load_run_results", "union_seconds"]

Interval = tuple[float, float]


@dataclass(frozen=True)
class NodeTiming:
    """One node of a dbt run: compile and execute phase seconds."""

    unique_id: str
    status: str
    compile_s: float
    execute_s: float
    total_s: float
    rows: int | None

    @property
    def resource_type(self) -> str:
        return self.unique_id.split(".", 1)[0]

    @property
    def name(self) -> str:
        """The id without ``<resource type>.<package>.``."""
        return self.unique_id.split(".", 2)[-1]


@dataclass(frozen=True)
class RunTimings:
    """A dbt run: its elapsed time (after parsing) and its nodes.

    ``compile_wall_s`` / ``execute_wall_s``: wall seconds during which at least one node
    was compiling / executing (dbt runs several threads, so node sums overlap).
    """

    elapsed_s: float
    compile_wall_s: float
    execute_wall_s: float
    nodes: tuple[NodeTiming, ...]

    def top(self, n: int, resource_type: str | None = None) -> list[NodeTiming]:
        """The ``n`` slowest nodes (of one resource type, if given)."""
        nodes = [
            node
            for node in self.nodes
            if resource_type is None or node.resource_type == resource_type
        ]
        return sorted(nodes, key=lambda node: node.total_s, reverse=True)[:n]

    def by_resource_type(self) -> dict[str, tuple[int, float, float]]:
        """{resource type: (nodes, compile seconds, execute seconds)} summed."""
        sums: dict[str, tuple[int, float, float]] = {}
        for node in self.nodes:
            count, comp, exe = sums.get(node.resource_type, (0, 0.0, 0.0))
            sums[node.resource_type] = (
                count + 1,
                comp + node.compile_s,
                exe + node.execute_s,
            )
        return dict(sorted(sums.items(), key=lambda kv: -(kv[1][1] + kv[1][2])))


def _instant(text: str) -> float:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def union_seconds(intervals: Iterable[Interval]) -> float:
    """Length of the union of [start, end] intervals."""
    total = 0.0
    current: Interval | None = None
    for start, end in sorted(intervals):
        if current is None or start > current[1]:
            if current is not None:
                total += current[1] - current[0]
            current = (start, end)
        else:
            current = (current[0], max(current[1], end))
    if current is not None:
        total += current[1] - current[0]
    return total


_LOG_SPAN = re.compile(
    r"(\d\d):(\d\d):(\d\d(?:\.\d+)?) .*?(Began|Finished) running node (\S+)"
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def log_node_spans(log_path: Path, day: dt.date) -> dict[str, Interval]:
    """{unique_id: (start, end)} of every node of a dbt debug log (``dbt.log``).

    The log also shows the nodes that run_results.json leaves out: ephemeral models,
    whose compile step runs the landing macros' introspective queries. Log times are
    UTC times of day: ``day`` is the date of the run's start (a time earlier than the
    first one is taken as the next day).
    """
    began: dict[str, float] = {}
    spans: dict[str, Interval] = {}
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC).timestamp()
    first: float | None = None
    with open(log_path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if "running node" not in line:
                continue
            match = _LOG_SPAN.search(_ANSI.sub("", line))
            if match is None:
                continue
            hours, minutes, seconds, event, node = match.groups()
            at = midnight + int(hours) * 3600 + int(minutes) * 60 + float(seconds)
            if first is None:
                first = at
            elif at < first - 3600:
                at += 86400
            if event == "Began":
                began[node] = at
            elif node in began:
                spans[node] = (began.pop(node), at)
    return spans


def load_run_results(path: Path, dbt_log: Path | None = None) -> RunTimings:
    """Parse a dbt ``run_results.json``; with ``dbt_log`` (the debug log of the same
    invocation) add the nodes it leaves out (ephemeral models) as compile time."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    nodes: list[NodeTiming] = []
    phases: dict[str, list[Interval]] = {"compile": [], "execute": []}
    for result in data.get("results", []):
        seconds = {"compile": 0.0, "execute": 0.0}
        for phase in result.get("timing", []):
            name = phase.get("name")
            if (
                name in seconds
                and phase.get("started_at")
                and phase.get("completed_at")
            ):
                interval = (
                    _instant(phase["started_at"]),
                    _instant(phase["completed_at"]),
                )
                seconds[name] += interval[1] - interval[0]
                phases[name].append(interval)
        response = result.get("adapter_response") or {}
        rows = response.get("rows_affected")
        nodes.append(
            NodeTiming(
                unique_id=str(result.get("unique_id", "")),
                status=str(result.get("status", "")),
                compile_s=seconds["compile"],
                execute_s=seconds["execute"],
                total_s=float(result.get("execution_time") or 0.0),
                rows=int(rows) if isinstance(rows, int) else None,
            )
        )
    starts = [start for start, _ in phases["compile"] + phases["execute"]]
    if dbt_log is not None and Path(dbt_log).is_file() and starts:
        day = dt.datetime.fromtimestamp(min(starts), dt.UTC).date()
        reported = {node.unique_id for node in nodes}
        for unique_id, (start, end) in log_node_spans(Path(dbt_log), day).items():
            if unique_id in reported:
                continue
            phases["compile"].append((start, end))
            nodes.append(
                NodeTiming(
                    unique_id=unique_id,
                    status="ephemeral",
                    compile_s=end - start,
                    execute_s=0.0,
                    total_s=end - start,
                    rows=None,
                )
            )
    return RunTimings(
        elapsed_s=float(data.get("elapsed_time") or 0.0),
        compile_wall_s=union_seconds(phases["compile"]),
        execute_wall_s=union_seconds(phases["execute"]),
        nodes=tuple(nodes),
    )
