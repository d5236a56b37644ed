"""The machine a benchmark ran on: CPU, memory, load and software versions."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from dataclasses import dataclass
from importlib import metadata

__all__ = ["MachineInfo", "load_average", "machine_info"]


@dataclass(frozen=True)
class MachineInfo:
    nproc: int
    cpu_model: str
    mem_total_gib: float
    free_g: str  # the `free -g` table as printed
    python: str
    duckdb: str
    dbt_core: str
    dbt_duckdb: str
    kernel: str

    @property
    def short(self) -> str:
        """One table cell: `2 CPU, 23 GiB`."""
        return f"{self.nproc} CPU, {self.mem_total_gib:.0f} GiB"

    def describe(self) -> list[str]:
        """Markdown bullet lines."""
        return [
            f"- CPU: {self.nproc} × {self.cpu_model} (`nproc` = {self.nproc})",
            f"- Memory: {self.mem_total_gib:.1f} GiB total",
            f"- Kernel: {self.kernel}",
            f"- Python {self.python}, DuckDB {self.duckdb}, dbt-core {self.dbt_core},"
            f" dbt-duckdb {self.dbt_duckdb}",
        ]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_gib() -> float:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024**2
    except (OSError, ValueError):
        pass
    return 0.0


def _free_g() -> str:
    if shutil.which("free") is None:
        return ""
    done = subprocess.run(["free", "-g"], capture_output=True, text=True, check=False)
    return done.stdout.rstrip()


def load_average() -> tuple[float, float, float]:
    """1, 5 and 15 minute load averages."""
    try:
        return os.getloadavg()
    except OSError:
        return (0.0, 0.0, 0.0)


def machine_info() -> MachineInfo:
    return MachineInfo(
        nproc=len(os.sched_getaffinity(0)) or os.cpu_count() or 0,
        cpu_model=_cpu_model(),
        mem_total_gib=_mem_total_gib(),
        free_g=_free_g(),
        python=platform.python_version(),
        duckdb=_version("duckdb"),
        dbt_core=_version("dbt-core"),
        dbt_duckdb=_version("dbt-duckdb"),
        kernel=platform.release(),
    )
