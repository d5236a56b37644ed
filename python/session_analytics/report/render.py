"""Assemble the self-contained HTML report: template + data + Plotly.js, no CDN."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

from plotly.offline import get_plotlyjs

from session_analytics.report.data import load_report_data

REPORT_FILE = "session_analytics_report.html"
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


def _asset(name: str) -> str:
    return (files("session_analytics.report") / "assets" / name).read_text("utf-8")


def _script_safe(text: str) -> str:
    """Text that cannot close the <script> element it is embedded in."""
    return text.replace("</", "<\\/")


def render_html(data: dict[str, Any]) -> str:
    """The report page for `data` (see `load_report_data`), everything inline."""
    values = {
        "CSS": _asset("dashboard.css"),
        "DATA": _script_safe(json.dumps(data, separators=(",", ":"))),
        "PLOTLY_JS": get_plotlyjs(),
        "DASHBOARD_JS": _script_safe(_asset("dashboard.js")),
    }
    # One pass, so placeholder-like text inside the inserted values stays as is.
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], _asset("dashboard.html"))


def write_report(db_path: Path, out_dir: Path) -> Path:
    """Write the report of the warehouse `db_path` into `out_dir`; returns its path."""
    html = render_html(load_report_data(db_path))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / REPORT_FILE
    partial = target.with_suffix(".html.tmp")
    partial.write_text(html, encoding="utf-8")
    partial.replace(target)
    return target
