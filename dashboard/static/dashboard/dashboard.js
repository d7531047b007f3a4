// The supervision dashboard: draws each chart from the figures in #dashboard-charts
// (the same figures as the table under it), and prints the tables instead of the charts.
(function () {
  "use strict";
  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }

  // Large tables (the organisation × mechanism one) come as data (dashboard.registry.Grid):
  // draw their rows. A cell links to {group URL}&{row's parameter}&{column's query}.
  document.querySelectorAll("table[data-grid]").forEach(function (table) {
    var grid = JSON.parse(document.getElementById(table.getAttribute("data-grid")).textContent);
    var n = grid.kinds.length, html = [];
    grid.rows.forEach(function (row) {
      var label = row[0], url = row[1], light = row[2], param = row[3], values = row[4];
      var cells = ['<th scope="row" class="fw-normal text-nowrap">'];
      if (light) {
        cells.push('<span class="light light-' + light + '" role="img" aria-label="' + esc(grid.lights[light][0]) +
                   '" title="' + esc(grid.lights[light][1]) + '"></span>');
      }
      cells.push(url ? '<a href="' + esc(url) + '">' + esc(label) + "</a></th>" : esc(label) + "</th>");
      for (var i = 0; i < values.length; i++) {
        var base = grid.groups[Math.floor(i / n)], text = esc(values[i]);
        cells.push('<td class="text-end">' + (base && values[i] !== "—"
          ? '<a href="' + esc(base + "&" + param + "&" + grid.kinds[i % n]) + '" class="figure-link">' + text + "</a>"
          : text) + "</td>");
      }
      html.push("<tr>" + cells.join("") + "</tr>");
    });
    if (!grid.rows.length) {
      html.push('<tr><td colspan="' + (1 + grid.groups.length * n) + '" class="text-muted">本期间没有数据。</td></tr>');
    }
    table.tBodies[0].innerHTML = html.join("");
  });

  var data = JSON.parse(document.getElementById("dashboard-charts").textContent);
  var charts = [];

  function percent(value) { return value === null ? "—" : (value * 100).toFixed(1) + "%"; }

  // A chart is drawn when its tab is first shown (ECharts measures its box: a hidden
  // tab has none), and resized when its tab is shown again.
  function draw(el) {
    if (el.getAttribute("data-drawn")) { return; }
    var spec = data[el.getAttribute("data-chart")];
    if (!spec || typeof echarts === "undefined") { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var valueAxis = { type: "value", minInterval: spec.percent ? 0 : 1 };
    if (spec.percent) {
      valueAxis.max = 1;
      valueAxis.axisLabel = { formatter: function (v) { return Math.round(v * 100) + "%"; } };
    }
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: spec.percent ? percent : undefined },
      legend: { type: "scroll", top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 60 },
      xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.categories.length > 6 ? 30 : 0 } },
      yAxis: valueAxis,
      series: spec.series.map(function (s) {
        return { name: s.name, type: spec.kind, data: s.data, stack: spec.stacked ? "total" : undefined,
                 connectNulls: true };
      })
    });
    el.setAttribute("data-drawn", "1");
    charts.push(chart);
  }
  function drawVisible(root) {
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.offsetParent !== null) { draw(el); }
    });
    charts.forEach(function (c) { if (root.contains(c.getDom())) { c.resize(); } });
  }

  // Tabs: the first screen (总览) and one per mechanism; the address keeps the open one
  // (#tab-…), so a link, the back button and a reload return to it.
  function showTab(key) {
    var button = document.getElementById("tab-" + key + "-button");
    if (button && typeof bootstrap !== "undefined") { bootstrap.Tab.getOrCreateInstance(button).show(); }
  }
  document.querySelectorAll("#dashboard-tabs [data-bs-toggle=tab]").forEach(function (button) {
    button.addEventListener("shown.bs.tab", function () {
      var pane = document.querySelector(button.getAttribute("data-bs-target"));
      drawVisible(pane);
      history.replaceState(null, "", button.getAttribute("data-bs-target") === "#tab-overview"
        ? location.pathname + location.search : location.pathname + location.search + button.getAttribute("data-bs-target"));
    });
  });
  document.querySelectorAll("[data-tab-link]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      showTab(link.getAttribute("data-tab-link"));
      window.scrollTo(0, document.getElementById("dashboard-tabs").offsetTop);
    });
  });
  if (location.hash.indexOf("#tab-") === 0) { showTab(location.hash.slice(5)); }
  drawVisible(document);

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  // On paper the tables stand in for the charts: open them before printing.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.chart-data").forEach(function (d) { d.open = true; });
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });

  // The period picker shows only the fields the chosen kind uses.
  var form = document.getElementById("dashboard-filter");
  if (form) {
    var kind = form.querySelector("[name=period]");
    var uses = { month: ["year", "month"], quarter: ["year", "quarter"], year: ["year"], custom: ["start", "end"] };
    var sync = function () {
      var shown = uses[kind.value || "month"];
      ["year", "month", "quarter", "start", "end"].forEach(function (name) {
        var box = form.querySelector('[data-field="' + name + '"]');
        if (box) { box.hidden = shown.indexOf(name) < 0; }
      });
    };
    kind.addEventListener("change", sync);
    sync();
  }
})();
