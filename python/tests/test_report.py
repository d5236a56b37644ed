"""`session-analytics report`: the HTML is self-contained, its numbers match the marts,
and it draws in a real headless Chromium with no console errors."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from dbt_harness import DbtResult
from PIL import Image

from session_analytics.cli import main
from session_analytics.report import REPORT_FILE
from session_analytics.report.browser import Browser, find_chromium
from session_analytics.report.data import load_report_data
from session_analytics.report.screenshot import CHART_IDS, DRAWN_MARKS_JS, READY

NO_CHROMIUM = (
    "chromium is not installed and could not be installed here: run `make chromium`"
    " (apt-get install chromium) to run the browser test"
)


@pytest.fixture(scope="module")
def report(
    sample_warehouse: DbtResult, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    out = tmp_path_factory.mktemp("report")
    db = str(sample_warehouse.db_path)
    assert main(["report", "--out", str(out), "--db", db]) == 0
    return out / REPORT_FILE


def _embedded_data(html: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S
    )
    assert found
    return json.loads(found.group(1))


def test_report_is_self_contained(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert all("src=" not in tag for tag in re.findall(r"<script[^>]*>", html))
    markup = re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.S)
    assert "<link" not in markup and not re.search(r"(src|href)=", markup)
    assert "Plotly" in html and len(html) > 1_000_000  # the library is inline
    assert set(_embedded_data(html)) >= {"quality_daily", "queue_hourly", "loads"}


def test_report_numbers_match_the_marts(sample_warehouse: DbtResult) -> None:
    data = load_report_data(sample_warehouse.db_path)
    quality = data["quality_daily"]
    sessions = sum(r[quality["columns"].index("sessions")] for r in quality["rows"])
    assert sessions == sample_warehouse.count("marts.fct_sessions", "not is_test")
    queue = data["queue_hourly"]
    offered = sum(r[queue["columns"].index("offered")] for r in queue["rows"])
    assert offered == sample_warehouse.scalar(
        "select sum(chats_offered) from marts.fct_chat_queue_daily"
    )
    loads = {r[0]: r for r in data["loads"]["rows"]}
    assert set(loads) == {"sfb_qoe", "sfb_cdr", "graph", "superoffice", "syllable"}
    assert all(row[1] > 0 and row[3] for row in loads.values())


# -- in the browser ----------------------------------------------------------------


@pytest.fixture(scope="module")
def page(report: Path) -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        pytest.skip(NO_CHROMIUM)
    with Browser(executable, width=1400, height=900) as browser:
        browser.open(report.resolve().as_uri())
        browser.wait_for(READY)
        yield browser


def test_charts_draw_without_errors(page: Browser) -> None:
    assert page.evaluate("document.body.dataset.error") is None
    marks = page.evaluate(DRAWN_MARKS_JS % list(CHART_IDS))
    blank = [chart for chart in CHART_IDS if not marks.get(chart)]
    assert not blank, f"charts drew nothing: {blank} ({marks})"
    assert page.console_errors() == []
    external = [
        url
        for url in page.requested_urls()
        if not url.startswith(("file:", "data:", "about:"))
    ]
    assert external == [], "the report must not load anything from the network"


def test_screenshot_is_not_blank(page: Browser, tmp_path: Path) -> None:
    png = page.screenshot(tmp_path / "report.png")
    with Image.open(png) as image:
        assert image.width == 1400 and image.height > 1500
        small = image.convert("RGB").resize((140, image.height // 10))
        colors = small.getcolors(maxcolors=1_000_000) or []
    top_share = max(n for n, _ in colors) / sum(n for n, _ in colors)
    assert len(colors) > 200 and top_share < 0.9


def _kpi(page: Browser, name: str) -> str:
    return str(page.evaluate(f"document.querySelector('#kpi-{name} .value').innerText"))


def _apply(page: Browser, script: str) -> None:
    renders = int(page.evaluate("document.body.dataset.renders"))
    page.evaluate(script)
    page.wait_for(f"Number(document.body.dataset.renders) > {renders}")
    page.wait_for(READY)


def test_filters_recompute_the_kpis(page: Browser, sample_warehouse: DbtResult) -> None:
    total = sample_warehouse.count("marts.fct_sessions", "not is_test")
    assert _kpi(page, "sessions") == f"{total:,}"

    _apply(
        page,
        """document.querySelectorAll('#filter-systems input').forEach(i => {
             if (i.value !== 'graph') { i.checked = false;
               i.dispatchEvent(new Event('change')); } })""",
    )
    graph = sample_warehouse.count(
        "marts.fct_sessions", "source_system = 'graph' and not is_test"
    )
    assert _kpi(page, "sessions") == f"{graph:,}"
    assert _kpi(page, "asa") == "—"  # the chat queue is SuperOffice only

    day = sample_warehouse.scalar(
        "select min(session_date) from marts.fct_sessions where source_system = 'graph'"
    ).isoformat()
    _apply(
        page,
        f"""['filter-from', 'filter-to'].forEach(id => {{
              const el = document.getElementById(id); el.value = '{day}';
              el.dispatchEvent(new Event('change')); }})""",
    )
    one_day = sample_warehouse.count(
        "marts.fct_sessions",
        f"source_system = 'graph' and not is_test and session_date = '{day}'",
    )
    assert _kpi(page, "sessions") == f"{one_day:,}"
    assert page.console_errors() == []
