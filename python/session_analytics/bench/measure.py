"""Run a command and measure its wall time, CPU time and the peak RSS of its tree.

CPU time is the child's user + system time (``wait4``): unlike wall time it hardly
grows when other jobs load the machine. Peak RSS is the largest of: the kernel's
high-water mark of every process of the tree (``VmHWM`` in ``/proc/<pid>/status``,
sampled while it runs), the sum of the current ``VmRSS`` of the whole tree at any
sample, and ``ru_maxrss`` of the reaped child.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Measurement", "process_tree", "run_measured"]


@dataclass(frozen=True)
class Measurement:
    """One measured command."""

    command: tuple[str, ...]
    returncode: int
    wall_s: float
    peak_rss_bytes: int
    cpu_s: float = 0.0  # user + system seconds of the child (and children it reaped)
    load_mean: float = 0.0  # mean 1-minute load average of the machine while it ran
    log_path: Path | None = None

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _status_kib(pid: int, fields: tuple[str, ...]) -> dict[str, int]:
    """The given ``kB`` fields of /proc/<pid>/status (absent if the process is gone)."""
    found: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                name, _, rest = line.partition(":")
                if name in fields:
                    found[name] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        return {}
    return found


def _parent_map() -> dict[int, int]:
    """{pid: ppid} of every process visible in /proc."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(
                f"/proc/{entry.name}/stat", encoding="ascii", errors="replace"
            ) as fh:
                stat = fh.read()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: split after it.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1:
            parents[int(entry.name)] = int(fields[1])
    return parents


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants that are alive now."""
    children: dict[int, list[int]] = {}
    for pid, ppid in _parent_map().items():
        children.setdefault(ppid, []).append(pid)
    tree: list[int] = []
    stack = [root]
    while stack:
        pid = stack.pop()
        tree.append(pid)
        stack.extend(children.get(pid, []))
    return tree


def run_measured(
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    log_path: Path | None = None,
    poll_s: float = 0.1,
) -> Measurement:
    """Run ``command`` to the end; its output goes to ``log_path`` (or is dropped)."""
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
    out = log_path.open("wb") if log_path is not None else subprocess.DEVNULL
    peak_kib = 0
    loads: list[float] = []
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                wall = time.perf_counter() - start
                break
            tree_rss = 0
            for member in process_tree(proc.pid):
                kib = _status_kib(member, ("VmHWM", "VmRSS"))
                tree_rss += kib.get("VmRSS", 0)
                peak_kib = max(peak_kib, kib.get("VmHWM", 0))
            peak_kib = max(peak_kib, tree_rss)
            loads.append(os.getloadavg()[0])
            time.sleep(poll_s)
        proc.returncode = os.waitstatus_to_exitcode(status)
        # ru_maxrss is in KiB on Linux: the reaped child's own high-water mark.
        peak_kib = max(peak_kib, int(usage.ru_maxrss))
        cpu = usage.ru_utime + usage.ru_stime
    finally:
        if log_path is not None and not isinstance(out, int):
            out.close()
    return Measurement(
        command=tuple(command),
        returncode=proc.returncode,
        wall_s=wall,
        peak_rss_bytes=peak_kib * 1024,
        cpu_s=cpu,
        load_mean=sum(loads) / len(loads) if loads else os.getloadavg()[0],
        log_path=log_path,
    )
