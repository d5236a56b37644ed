"""`session-analytics report`: the HTML is self-contained, its numbers match the marts,
and it draws in a real headless Chromium with no console errors."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from dbt_harness import REPO_ROOT, DbtResult
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


# -- every number the page computes, against independent queries on the marts --------
#
# The page re-aggregates the embedded daily/hourly counts in JavaScript. Each KPI and
# each chart series it draws is read from the rendered page (the KPI text, Plotly's
# `data` of each chart) and compared with a query written here from the definitions
# of docs/METRICS.md on the session grain (marts.fct_sessions, fct_graph_media_streams),
# not on the aggregates the page embeds: a wrong aggregate in report/data.py or a wrong
# formula in dashboard.js fails it.

# An offered chat and an abandoned one, from fct_sessions rows (docs/METRICS.md: the
# queue_role of seed superoffice_chat_statuses; OfflineForm chats are offered and
# deflected).
OFFERED_CHAT = """
    source_system = 'superoffice' and not is_test and requested_at is not null
    and queue_role in ('answered', 'abandoned', 'deflected', 'waiting')
"""
ABANDONED_CHAT = "queue_role = 'abandoned'"
# Upper bounds (s) of the duration histogram buckets, as the page labels them.
DURATION_BUCKET_EDGES = (10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200)


def _project_var(name: str) -> int:
    import yaml  # dbt's dependency

    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text("utf-8"))
    return int(project["vars"][name])


def _queue_sql(group: str) -> str:
    """Offered, answered-wait sum/count, within service level, short abandons and
    abandoned chats per `group` (SQL expressions; '' for one total row)."""
    level = _project_var("service_level_seconds")
    short = _project_var("short_abandon_seconds")
    select_group = f"{group}," if group else ""
    group_by = "group by all" if group else ""
    return f"""
        select {select_group}
            count(*) as offered,
            avg(queue_wait_seconds) filter (where queue_role = 'answered') as asa,
            count(*) filter (
                where queue_role = 'answered' and queue_wait_seconds <= {level}
            ) as within,
            count(*) filter (
                where {ABANDONED_CHAT} and queue_wait_seconds < {short}
            ) as short_abandons,
            count(*) filter (where {ABANDONED_CHAT}) as abandoned
        from marts.fct_sessions
        where {OFFERED_CHAT}
        {group_by}
    """


def _ratio(n: float, d: float) -> float | None:
    return n / d if d > 0 else None


def _assert_pct(text: str, value: float | None) -> None:
    if value is None:
        assert text == "—"
        return
    assert text.endswith(" %"), text
    assert abs(float(text[:-2]) - 100 * value) <= 0.05 + 1e-9, (text, value)


def _assert_secs(text: str, value: float | None) -> None:
    if value is None:
        assert text == "—"
        return
    assert text.endswith(" s"), text
    assert abs(float(text[:-2]) - value) <= 0.05 + 1e-9, (text, value)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def _reset_filters(page: Browser) -> None:
    _apply(page, "document.getElementById('filter-reset').click()")


def _trace_data(page: Browser, chart: str) -> list[dict]:
    return page.evaluate(
        f"document.getElementById('{chart}').data.map(t => ({{name: t.name,"
        " x: Array.from(t.x || []), y: Array.from(t.y || []),"
        " z: t.z ? t.z.map(r => Array.from(r)) : null}))"
    )


def test_kpis_equal_independent_queries(
    page: Browser, sample_warehouse: DbtResult
) -> None:
    _reset_filters(page)
    with sample_warehouse.connect() as con:
        sessions, succeeded, final = con.execute(
            "select count(*), count(*) filter (where outcome = 'succeeded'),"
            " count(*) filter (where outcome not in ('in_progress', 'unknown'))"
            " from marts.fct_sessions where not is_test"
        ).fetchone()
        poor, classified = con.execute(
            "select count(*) filter (where is_poor), count(*) filter (where"
            " is_classified) from marts.fct_graph_media_streams where not is_test"
        ).fetchone()
        offered, asa, within, short, abandoned = con.execute(_queue_sql("")).fetchone()
    # not vacuous: every KPI has a denominator on the sample
    assert min(sessions, final, classified, offered) > 0 and asa is not None
    assert _kpi(page, "sessions") == f"{sessions:,}"
    _assert_pct(_kpi(page, "success-rate"), _ratio(succeeded, final))
    _assert_pct(_kpi(page, "poor-stream-rate"), _ratio(poor, classified))
    _assert_secs(_kpi(page, "asa"), asa)
    _assert_pct(_kpi(page, "service-level"), _ratio(within, offered - short))
    _assert_pct(_kpi(page, "abandonment"), _ratio(abandoned, offered))


def test_chart_series_equal_independent_queries(
    page: Browser, sample_warehouse: DbtResult
) -> None:
    _reset_filters(page)
    with sample_warehouse.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        names = dict(
            con.execute(
                "select source_system, system_name from marts.dim_source_system"
            ).fetchall()
        )
        daily = con.execute(
            "select source_system, cast(session_date as varchar), count(*),"
            " count(*) filter (where outcome = 'succeeded'),"
            " count(*) filter (where outcome not in ('in_progress', 'unknown'))"
            " from marts.fct_sessions where not is_test group by all"
        ).fetchall()
        cases = " ".join(
            f"when duration_seconds < {edge} then {i}"
            for i, edge in enumerate(DURATION_BUCKET_EDGES)
        )
        buckets = con.execute(
            f"select source_system, case {cases} else {len(DURATION_BUCKET_EDGES)}"
            " end, count(*) from marts.fct_sessions"
            " where duration_seconds is not null and not is_test group by all"
        ).fetchall()
        failures = con.execute(
            "select source_system, failure_reason, count(*) from marts.fct_sessions"
            " where failure_reason is not null and not is_test group by all"
        ).fetchall()
        network = con.execute(
            "select coalesce(caller_network_connection_type, 'unknown'),"
            " count(*) filter (where is_poor), count(*) filter (where is_classified)"
            " from marts.fct_graph_media_streams where not is_test group by all"
        ).fetchall()
        cells = con.execute(
            _queue_sql("isodow(requested_at) as dow, hour(requested_at) as hour")
        ).fetchall()

    # sessions and success rate per system and day (dates without sessions: null)
    checked = 0
    for chart, value in (
        ("chart-sessions", lambda row: row[2]),
        ("chart-success", lambda row: _ratio(row[3], row[4])),
    ):
        expected = {(names[row[0]], row[1]): value(row) for row in daily}
        for trace in _trace_data(page, chart):
            for day, y in zip(trace["x"], trace["y"], strict=True):
                want = expected.pop((trace["name"], day), None)
                assert _close(y, want), (chart, trace["name"], day, y, want)
                checked += want is not None
        assert expected == {}, (chart, "series missing", list(expected)[:5])

    # duration histogram: share of each bucket per system
    totals: dict[str, int] = {}
    for system, _bucket, n in buckets:
        totals[system] = totals.get(system, 0) + n
    shares = {(names[s], b): n / totals[s] for s, b, n in buckets}
    traces = _trace_data(page, "chart-duration")
    assert {t["name"] for t in traces} == {names[s] for s in totals}
    for trace in traces:
        for index, y in enumerate(trace["y"]):
            assert _close(y, shares.get((trace["name"], index), 0.0)), trace["name"]

    # failures: the 10 most frequent reasons (ties by name), stacked per system
    by_reason: dict[str, int] = {}
    for _system, reason, n in failures:
        by_reason[reason] = by_reason.get(reason, 0) + n
    top = sorted(by_reason, key=lambda r: (-by_reason[r], r))[:10]
    counts = {(names[s], r): n for s, r, n in failures}
    traces = _trace_data(page, "chart-failures")
    assert traces and all(t["y"] == top for t in traces)
    for trace in traces:
        assert trace["x"] == [counts.get((trace["name"], r), 0) for r in top]
    assert {t["name"] for t in traces} == {names[s] for s, r, _ in failures if r in top}

    # network: poor / classified streams per caller connection type
    (trace,) = _trace_data(page, "chart-network")
    rates = {t: _ratio(p, c) for t, p, c in network}
    assert trace["x"] == sorted(rates)
    assert all(_close(y, rates[t]) for t, y in zip(trace["x"], trace["y"], strict=True))

    # queue heatmap, every measure: rows Mon..Sun (ISO 1..7), columns hours 0..23
    measures = {
        "offered": lambda c: c[2],
        "asa": lambda c: c[3],
        "service_level": lambda c: _ratio(c[4], c[2] - c[5]),
        "abandonment": lambda c: _ratio(c[6], c[2]),
    }
    by_cell = {(c[0], c[1]): c for c in cells}
    for measure, value in measures.items():
        page.evaluate(
            "(() => { const el = document.getElementById('heatmap-measure');"
            f" el.value = '{measure}'; el.dispatchEvent(new Event('change')); }})()"
        )
        (trace,) = page.wait_for(
            f"document.getElementById('heatmap-measure').value === '{measure}'"
            " && document.getElementById('chart-queue').data.map(t =>"
            " ({z: t.z.map(r => Array.from(r))}))"
        )
        for dow in range(1, 8):
            for hour in range(24):
                cell = by_cell.get((dow, hour))
                want = value(cell) if cell else None
                got = trace["z"][dow - 1][hour]
                assert _close(got, want), (measure, dow, hour, got, want)
    assert checked > 20 and by_cell
    page.evaluate(
        "(() => { const el = document.getElementById('heatmap-measure');"
        " el.value = 'offered'; el.dispatchEvent(new Event('change')); })()"
    )
    assert page.console_errors() == []
