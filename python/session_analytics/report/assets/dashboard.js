/* Session analytics report: re-aggregates the embedded daily/hourly counts for the
   chosen date range and systems and draws them with the embedded Plotly.js. */
(function () {
  "use strict";

  var D = JSON.parse(document.getElementById("report-data").textContent);

  function records(name) {
    var t = D[name];
    return t.rows.map(function (row) {
      var o = {};
      t.columns.forEach(function (c, i) { o[c] = row[i]; });
      return o;
    });
  }

  var T = {
    systems: records("systems"),
    quality: records("quality_daily"),
    queue: records("queue_hourly"),
    durations: records("durations"),
    failures: records("failures"),
    network: records("network"),
    whereStreams: records("where_streams"),
    wherePstn: records("where_pstn"),
    rejected: records("rejected"),
    loads: records("loads"),
    incomplete: records("incomplete")
  };

  var PALETTE = ["#2563eb", "#f97316", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#ca8a04"];
  var BAD_HIGH = [[0, "#fff7ec"], [0.5, "#fc8d59"], [1, "#7f0000"]];
  var GOOD_HIGH = [[0, "#d73027"], [0.5, "#fee08b"], [1, "#1a9850"]];
  var WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  var CONFIG = { displaylogo: false, responsive: true, displayModeBar: "hover",
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"] };
  var systems = T.systems.map(function (s) { return s.source_system; });
  var systemName = {};
  var color = {};
  systems.forEach(function (s, i) { color[s] = PALETTE[i % PALETTE.length]; });
  T.systems.forEach(function (s) { systemName[s.source_system] = s.system_name || s.source_system; });

  var dates = [];
  [T.quality, T.queue, T.durations, T.failures, T.network].forEach(function (rows) {
    rows.forEach(function (r) { dates.push(r.session_date); });
  });
  dates.sort();
  var MIN_DATE = dates.length ? dates[0] : "";
  var MAX_DATE = dates.length ? dates[dates.length - 1] : "";

  var state = { from: MIN_DATE, to: MAX_DATE, systems: {} };
  systems.forEach(function (s) { state.systems[s] = true; });

  /* ---------- helpers ---------- */
  function inRange(d) { return d >= state.from && d <= state.to; }
  function keep(r) {
    return inRange(r.session_date) && (r.source_system === undefined || state.systems[r.source_system]);
  }
  function sum(rows, key) {
    return rows.reduce(function (a, r) { return a + (Number(r[key]) || 0); }, 0);
  }
  function ratio(n, d) { return d > 0 ? n / d : null; }
  function pct(v) { return v === null ? "—" : (100 * v).toFixed(1) + " %"; }
  function fmtInt(v) { return Number(v).toLocaleString("en-US"); }
  function fmtSecs(v) { return v === null ? "—" : v.toFixed(1) + " s"; }
  function selectedSystems() { return systems.filter(function (s) { return state.systems[s]; }); }
  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }
  function groupBy(rows, keyFn) {
    var out = {};
    rows.forEach(function (r) {
      var k = keyFn(r);
      (out[k] = out[k] || []).push(r);
    });
    return out;
  }
  function dateAxis() {
    var out = [];
    if (!state.from || !state.to) { return out; }
    var d = new Date(state.from + "T00:00:00Z");
    var end = new Date(state.to + "T00:00:00Z");
    while (d <= end) {
      out.push(d.toISOString().slice(0, 10));
      d.setUTCDate(d.getUTCDate() + 1);
    }
    return out;
  }
  function layout(extra) {
    var base = {
      margin: { l: 56, r: 12, t: 56, b: 40 },
      font: { size: 12, family: "system-ui, sans-serif" },
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
      paper_bgcolor: "#fff",
      plot_bgcolor: "#fff",
      hovermode: "closest"
    };
    Object.keys(extra || {}).forEach(function (k) { base[k] = extra[k]; });
    return base;
  }
  function noData(extra) {
    var l = layout(extra);
    l.annotations = [{ text: "No data for the selection", showarrow: false,
      xref: "paper", yref: "paper", x: 0.5, y: 0.5, font: { size: 14, color: "#616e7c" } }];
    l.xaxis = { visible: false };
    l.yaxis = { visible: false };
    return l;
  }
  function draw(id, traces, lay) {
    var el = document.getElementById(id);
    return Plotly.react(el, traces, traces.length ? lay : noData(lay), CONFIG);
  }

  /* ---------- KPIs ---------- */
  function renderKpis() {
    var q = T.quality.filter(keep);
    var queueOn = !!state.systems.superoffice;
    var c = queueOn ? T.queue.filter(keep) : [];
    var offered = sum(c, "offered");
    var kpis = [
      ["sessions", "Sessions", fmtInt(sum(q, "sessions")), "test sessions excluded"],
      ["success-rate", "Success rate", pct(ratio(sum(q, "succeeded"), sum(q, "final_outcome_sessions"))),
        "of " + fmtInt(sum(q, "final_outcome_sessions")) + " sessions with a final outcome"],
      ["poor-stream-rate", "Poor-stream rate", pct(ratio(sum(q, "poor_streams"), sum(q, "classified_streams"))),
        fmtInt(sum(q, "classified_streams")) + " classified Graph streams"],
      ["asa", "ASA", fmtSecs(ratio(sum(c, "wait_seconds"), sum(c, "answered"))),
        fmtInt(sum(c, "answered")) + " answered chats"],
      ["service-level", "Service level",
        pct(ratio(sum(c, "within_service_level"), offered - sum(c, "short_abandons"))),
        "answered within the threshold (default 20 s)"],
      ["abandonment", "Abandonment", pct(ratio(sum(c, "abandoned"), offered)),
        fmtInt(offered) + " chats offered"]
    ];
    document.getElementById("kpis").innerHTML = kpis.map(function (k) {
      return '<div class="kpi" id="kpi-' + k[0] + '"><div class="label">' + esc(k[1]) +
        '</div><div class="value">' + esc(k[2]) + '</div><div class="sub">' + esc(k[3]) + "</div></div>";
    }).join("");
  }

  /* ---------- charts ---------- */
  function dailyTraces(valueFn) {
    var axis = dateAxis();
    var bySystem = groupBy(T.quality.filter(keep), function (r) { return r.source_system; });
    return selectedSystems().filter(function (s) { return bySystem[s]; }).map(function (s) {
      var byDate = groupBy(bySystem[s], function (r) { return r.session_date; });
      return {
        type: "scatter", mode: "lines", name: systemName[s], line: { color: color[s], width: 2 },
        x: axis, y: axis.map(function (d) { return byDate[d] ? valueFn(byDate[d]) : null; })
      };
    });
  }

  function renderSessions() {
    return draw("chart-sessions", dailyTraces(function (rows) { return sum(rows, "sessions"); }),
      layout({ yaxis: { title: { text: "sessions" }, rangemode: "tozero" } }));
  }

  function renderSuccess() {
    return draw("chart-success", dailyTraces(function (rows) {
      return ratio(sum(rows, "succeeded"), sum(rows, "final_outcome_sessions"));
    }), layout({ yaxis: { title: { text: "success rate" }, tickformat: ".0%" } }));
  }

  function renderDuration() {
    var labels = D.duration_labels;
    var bySystem = groupBy(T.durations.filter(keep), function (r) { return r.source_system; });
    var traces = selectedSystems().filter(function (s) { return bySystem[s]; }).map(function (s) {
      var counts = labels.map(function () { return 0; });
      bySystem[s].forEach(function (r) { counts[r.bucket] += r.sessions; });
      var total = counts.reduce(function (a, b) { return a + b; }, 0);
      return {
        type: "bar", name: systemName[s], marker: { color: color[s] }, x: labels,
        y: counts.map(function (n) { return total ? n / total : 0; }),
        customdata: counts, hovertemplate: "%{x}: %{y:.1%} (%{customdata} sessions)<extra>" + esc(systemName[s]) + "</extra>"
      };
    });
    return draw("chart-duration", traces, layout({ barmode: "group", xaxis: { automargin: true }, yaxis: { tickformat: ".0%", title: { text: "share of sessions" } } }));
  }

  function renderQueue() {
    var measure = document.getElementById("heatmap-measure").value;
    var rows = state.systems.superoffice ? T.queue.filter(keep) : [];
    if (!rows.length) { return draw("chart-queue", [], layout({})); }
    var cells = groupBy(rows, function (r) { return r.day_of_week + "|" + r.hour_of_day; });
    var hours = [];
    for (var h = 0; h < 24; h++) { hours.push(h); }
    var z = WEEKDAYS.map(function (_, i) {
      return hours.map(function (hour) {
        var c = cells[(i + 1) + "|" + hour];
        if (!c) { return null; }
        var offered = sum(c, "offered");
        if (measure === "offered") { return offered; }
        if (measure === "asa") { return ratio(sum(c, "wait_seconds"), sum(c, "answered")); }
        if (measure === "service_level") { return ratio(sum(c, "within_service_level"), offered - sum(c, "short_abandons")); }
        return ratio(sum(c, "abandoned"), offered);
      });
    });
    var rate = measure === "service_level" || measure === "abandonment";
    var trace = {
      type: "heatmap", x: hours, y: WEEKDAYS, z: z, hoverongaps: false,
      colorscale: measure === "service_level" ? GOOD_HIGH : BAD_HIGH,
      zmin: rate ? 0 : undefined, zmax: rate ? 1 : undefined,
      colorbar: { thickness: 12, tickformat: rate ? ".0%" : "" },
      hovertemplate: "%{y} %{x}:00 — %{z" + (rate ? ":.1%" : ":.1f") + "}<extra></extra>"
    };
    return draw("chart-queue", [trace], layout({
      xaxis: { title: { text: "hour of day (UTC)" }, dtick: 2 },
      yaxis: { autorange: "reversed" }
    }));
  }

  function renderFailures() {
    var rows = T.failures.filter(keep);
    var totals = groupBy(rows, function (r) { return r.failure_reason; });
    var top = Object.keys(totals).map(function (k) { return [k, sum(totals[k], "sessions")]; })
      .sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); })
      .slice(0, 10).map(function (x) { return x[0]; });
    var bySystem = groupBy(rows.filter(function (r) { return top.indexOf(r.failure_reason) >= 0; }),
      function (r) { return r.source_system; });
    var traces = selectedSystems().filter(function (s) { return bySystem[s]; }).map(function (s) {
      var byReason = groupBy(bySystem[s], function (r) { return r.failure_reason; });
      return {
        type: "bar", orientation: "h", name: systemName[s], marker: { color: color[s] }, y: top,
        x: top.map(function (reason) { return byReason[reason] ? sum(byReason[reason], "sessions") : 0; }),
        hovertemplate: "%{y}: %{x} sessions<extra>" + esc(systemName[s]) + "</extra>"
      };
    });
    return draw("chart-failures", traces, layout({
      barmode: "stack", margin: { l: 200, r: 12, t: 56, b: 40 },
      yaxis: { autorange: "reversed", automargin: true }, xaxis: { title: { text: "sessions" } }
    }));
  }

  function renderNetwork() {
    var rows = state.systems.graph ? T.network.filter(keep) : [];
    var byType = groupBy(rows, function (r) { return r.connection_type; });
    var types = Object.keys(byType).sort();
    var classified = types.map(function (t) { return sum(byType[t], "classified_streams"); });
    var poor = types.map(function (t) { return sum(byType[t], "poor_streams"); });
    var rates = types.map(function (t, i) { return ratio(poor[i], classified[i]); });
    var traces = types.length ? [{
      type: "bar", x: types, y: rates, marker: { color: color.graph || PALETTE[0] },
      text: rates.map(pct), textposition: "outside",
      customdata: types.map(function (t, i) { return [poor[i], classified[i]]; }),
      hovertemplate: "%{x}: %{y:.1%} (%{customdata[0]} of %{customdata[1]} classified streams)<extra></extra>"
    }] : [];
    return draw("chart-network", traces, layout({
      yaxis: { tickformat: ".0%", title: { text: "poor / classified streams" }, rangemode: "tozero" },
      xaxis: { title: { text: "caller network connection type" } }
    }));
  }

  /* ---------- where: buildings, networks, devices, PSTN ---------- */
  function renderWhereStreams() {
    var dimension = document.getElementById("where-dimension").value;
    var rows = state.systems.graph ? T.whereStreams.filter(function (r) {
      return inRange(r.session_date) && r.drill_dimension === dimension;
    }) : [];
    var byValue = groupBy(rows, function (r) { return r.drill_value; });
    var values = Object.keys(byValue).map(function (v) {
      var classified = sum(byValue[v], "classified");
      return { value: v, classified: classified, poor: sum(byValue[v], "poor") };
    }).filter(function (o) { return o.classified > 0; });
    values.sort(function (a, b) {
      return (b.poor / b.classified) - (a.poor / a.classified) || b.classified - a.classified;
    });
    var top = values.slice(0, 12);
    var traces = top.length ? [{
      type: "bar", orientation: "h", y: top.map(function (o) { return o.value; }),
      x: top.map(function (o) { return o.poor / o.classified; }),
      marker: { color: color.graph || PALETTE[0] },
      customdata: top.map(function (o) { return [o.poor, o.classified]; }),
      hovertemplate: "%{y}: %{x:.1%} (%{customdata[0]} of %{customdata[1]} classified stream sides)<extra></extra>"
    }] : [];
    return draw("chart-where-streams", traces, layout({
      margin: { l: 200, r: 12, t: 56, b: 40 },
      yaxis: { autorange: "reversed", automargin: true },
      xaxis: { tickformat: ".0%", title: { text: "poor / classified audio stream sides" }, rangemode: "tozero" }
    }));
  }

  function renderWherePstn() {
    var rows = T.wherePstn.filter(keep).filter(function (r) { return r.attempts > 0; });
    var bySbc = groupBy(rows, function (r) { return r.sbc; });
    var sbcs = Object.keys(bySbc).sort();
    function rate(key) {
      return sbcs.map(function (s) { return ratio(sum(bySbc[s], key), sum(bySbc[s], "attempts")); });
    }
    var traces = sbcs.length ? [
      { type: "bar", name: "Answer-seizure ratio", x: sbcs, y: rate("answered"), marker: { color: PALETTE[0] },
        hovertemplate: "%{x}: ASR %{y:.1%}<extra></extra>" },
      { type: "bar", name: "Network effectiveness ratio", x: sbcs, y: rate("effective"), marker: { color: PALETTE[2] },
        hovertemplate: "%{x}: NER %{y:.1%}<extra></extra>" }
    ] : [];
    return draw("chart-where-pstn", traces, layout({
      barmode: "group",
      yaxis: { tickformat: ".0%", title: { text: "share of Direct Routing attempts" }, range: [0, 1] },
      xaxis: { title: { text: "SBC" } }
    }));
  }

  function renderDataQuality() {
    var rejected = T.rejected.filter(function (r) { return state.systems[r.source_system] || !r.source_system; });
    var rejectedBySystem = groupBy(rejected, function (r) { return r.source_system; });
    var total = sum(rejected, "rejected_rows");
    var status = total === 0
      ? '<span class="status ok">OK: no rejected rows</span>'
      : '<span class="status warn">' + fmtInt(total) + " rejected rows in staging.rejected_rows</span>";
    var loads = T.loads.filter(function (r) { return state.systems[r.source_system]; });
    var html = "<p>" + status + ' <span class="note">Load-level figures: not filtered by date.</span></p>';
    var incomplete = T.incomplete.length ? T.incomplete[0].incomplete_call_records : 0;
    if (state.systems.graph) {
      html += '<p id="incomplete-records">' + (incomplete
        ? '<span class="status warn">' + fmtInt(incomplete) +
          " Teams call record(s) with sessions paged by the API and not merged" +
          " (sessions_complete = false): their sessions are only part of the call</span>"
        : '<span class="status ok">OK: every Teams call record holds all its sessions</span>') + "</p>";
    }
    html += "<table id=\"loads-table\"><thead><tr><th>System</th><th class=num>Staged rows</th><th class=num>Files</th>" +
      "<th>Last load (UTC)</th><th>Latest session date</th><th class=num>Rejected rows</th></tr></thead><tbody>";
    html += loads.map(function (r) {
      var n = rejectedBySystem[r.source_system] ? sum(rejectedBySystem[r.source_system], "rejected_rows") : 0;
      return "<tr><td>" + esc(systemName[r.source_system]) + "</td><td class=num>" + fmtInt(r.staged_rows) +
        "</td><td class=num>" + fmtInt(r.files) + "</td><td>" + esc(r.last_loaded_at || "never") +
        "</td><td>" + esc(r.latest_session_date || "—") + "</td><td class=num>" + fmtInt(n) + "</td></tr>";
    }).join("");
    html += "</tbody></table>";
    if (rejected.length) {
      html += "<table id=\"rejected-table\"><thead><tr><th>System</th><th>Entity</th><th>Reason</th>" +
        "<th class=num>Rows</th></tr></thead><tbody>";
      html += rejected.slice(0, 15).map(function (r) {
        return "<tr><td>" + esc(r.source_system) + "</td><td>" + esc(r.source_entity) + "</td><td>" +
          esc(r.rejection_reason) + "</td><td class=num>" + fmtInt(r.rejected_rows) + "</td></tr>";
      }).join("");
      html += "</tbody></table>";
    }
    document.getElementById("data-quality").innerHTML = html;
  }

  /* ---------- wiring ---------- */
  var renders = 0;
  function render() {
    document.body.dataset.ready = "false";
    renderKpis();
    renderDataQuality();
    return Promise.all([
      renderSessions(), renderSuccess(), renderDuration(), renderQueue(), renderFailures(), renderNetwork(),
      renderWhereStreams(), renderWherePstn()
    ]).then(function () {
      renders += 1;
      document.body.dataset.renders = String(renders);
      document.body.dataset.ready = "true";
    }).catch(function (err) {
      console.error(err);
      var box = document.getElementById("errors");
      box.hidden = false;
      box.textContent += "Error: " + err + "\n";
      document.body.dataset.error = "true";
    });
  }

  function setUpFilters() {
    var from = document.getElementById("filter-from");
    var to = document.getElementById("filter-to");
    [from, to].forEach(function (el) { el.min = MIN_DATE; el.max = MAX_DATE; });
    from.value = MIN_DATE;
    to.value = MAX_DATE;
    from.addEventListener("change", function () { state.from = from.value || MIN_DATE; render(); });
    to.addEventListener("change", function () { state.to = to.value || MAX_DATE; render(); });
    var box = document.getElementById("filter-systems");
    systems.forEach(function (s) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "checkbox";
      input.checked = true;
      input.value = s;
      input.name = "system";
      input.addEventListener("change", function () { state.systems[s] = input.checked; render(); });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + systemName[s]));
      box.appendChild(label);
    });
    document.getElementById("filter-reset").addEventListener("click", function () {
      state.from = from.value = MIN_DATE;
      state.to = to.value = MAX_DATE;
      box.querySelectorAll("input").forEach(function (i) { i.checked = true; state.systems[i.value] = true; });
      render();
    });
    document.getElementById("heatmap-measure").addEventListener("change", renderQueue);
    document.getElementById("where-dimension").addEventListener("change", renderWhereStreams);
  }

  document.getElementById("meta").textContent = "Warehouse " + D.meta.warehouse + " · data " +
    (MIN_DATE || "—") + " to " + (MAX_DATE || "—") + " · generated " + D.meta.generated_at;
  setUpFilters();
  render();
})();
