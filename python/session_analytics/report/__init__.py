"""The self-contained HTML dashboard written by `session-analytics report`."""

from session_analytics.report.render import REPORT_FILE, render_html, write_report

__all__ = ["REPORT_FILE", "render_html", "write_report"]
