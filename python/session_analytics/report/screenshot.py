"""A PNG of a written report, taken in headless Chromium (for docs and checks)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from session_analytics.report.browser import Browser, BrowserError, find_chromium

READY = "document.body.dataset.ready === 'true' || document.body.dataset.error"

# Every chart container of the page; each must hold a drawn Plotly SVG.
CHART_IDS: tuple[str, ...] = (
    "chart-sessions",
    "chart-success",
    "chart-duration",
    "chart-queue",
    "chart-failures",
    "chart-network",
    "chart-where-streams",
    "chart-where-pstn",
)

# Per chart: how many drawn marks (line paths, bars, heatmap images) it shows.
DRAWN_MARKS_JS = """
(() => Object.fromEntries(%s.map(id => {
  const el = document.getElementById(id);
  const svg = el && el.querySelector('svg.main-svg');
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  const marks = el ? el.querySelectorAll(
    '.scatterlayer path.js-line, .barlayer .point path, .heatmaplayer image'
  ).length : 0;
  return [id, box.width > 0 && box.height > 0 ? marks : 0];
})))()
"""


@dataclass(frozen=True)
class PageCheck:
    screenshot: Path
    drawn_marks: dict[str, int]
    console_errors: list[str]
    external_requests: list[str]


def check_report(html: Path, png: Path, *, width: int = 1400) -> PageCheck:
    """Open the report, wait until its charts are drawn, save a full-page PNG."""
    executable = find_chromium()
    if executable is None:
        raise BrowserError("no chromium on PATH: install the Debian package chromium")
    with Browser(executable, width=width) as browser:
        browser.open(html.resolve().as_uri())
        browser.wait_for(READY)
        marks = browser.evaluate(DRAWN_MARKS_JS % list(CHART_IDS))
        browser.screenshot(png)
        external = [
            url
            for url in browser.requested_urls()
            if not url.startswith(("file:", "data:", "about:"))
        ]
        return PageCheck(png, dict(marks), browser.console_errors(), external)


def screenshot_report(html: Path, png: Path) -> Path:
    """Save a PNG of the report; fails if a chart did not draw or the page erred."""
    check = check_report(html, png)
    blank = [chart for chart, n in check.drawn_marks.items() if n == 0]
    if blank or check.console_errors:
        raise BrowserError(
            f"report did not render: blank {blank}, {check.console_errors}"
        )
    return check.screenshot
