// The dashboard's charts: Apache ECharts (vendored) drawn from the JSON the page carries.
// Every chart also has its table on the page, for screen readers and export.
(function () {
  "use strict";
  function axisBars(chart, stacked) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 56 },
      xAxis: { type: "category", data: chart.categories, axisLabel: { interval: 0, rotate: chart.categories.length > 4 ? 30 : 0, width: 120, overflow: "truncate" } },
      yAxis: { type: "value", minInterval: 1 },
      series: chart.series.map(function (s) {
        return { name: s.name, type: "bar", stack: stacked ? "total" : undefined, data: s.data };
      })
    };
  }
  function option(chart) {
    switch (chart.kind) {
      case "stacked_bar":
        return axisBars(chart, true);
      case "department":
        return axisBars(chart, true);
      case "rate_bar":
        var rates = axisBars(chart, false);
        rates.yAxis = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } };
        rates.series[0].label = { show: true, position: "top", formatter: "{c} %" };
        return rates;
      case "pie":
        return {
          tooltip: { trigger: "item" },
          legend: { top: 0 },
          series: [{ name: chart.series[0].name, type: "pie", radius: ["35%", "65%"], top: 30,
                     label: { formatter: "{b}: {c} ({d}%)" },
                     data: chart.categories.map(function (name, i) { return { name: name, value: chart.series[0].data[i] }; }) }]
        };
      case "pareto":
        var pareto = axisBars(chart, false);
        pareto.yAxis = [{ type: "value", minInterval: 1 },
                        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } }];
        pareto.series = [{ name: chart.series[0].name, type: "bar", data: chart.series[0].data },
                         { name: chart.series[1].name, type: "line", yAxisIndex: 1, data: chart.series[1].data,
                           label: { show: true, formatter: "{c} %" } }];
        return pareto;
      case "cost":
        var cost = axisBars(chart, false);
        cost.yAxis = { type: "value" };
        cost.series = [{ name: chart.series[0].name, type: "bar", data: chart.series[0].data }];
        if (chart.series[1]) {
          cost.series.push({ name: chart.series[1].name, type: "line", step: "middle", data: chart.series[1].data });
        }
        return cost;
      default:
        return axisBars(chart, false);
    }
  }
  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof echarts === "undefined") { return; }
    var charts = JSON.parse(source.textContent);
    var drawn = [];
    charts.forEach(function (chart) {
      var element = document.querySelector('[data-chart="' + chart.code + '"]');
      if (!element) { return; }
      var instance = echarts.init(element, null, { renderer: "canvas" });
      var opts = option(chart);
      opts.animation = false;
      opts.aria = { enabled: true };
      instance.setOption(opts);
      element.setAttribute("data-rendered", "1");
      drawn.push(instance);
    });
    window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
    document.body.setAttribute("data-dashboard-ready", "1");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
