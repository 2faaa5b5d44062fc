(function () {
  "use strict";
  var source = document.getElementById("office-chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  function draw(id, type, series) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    new Chart(canvas, {
      type: type,
      data: { labels: series.labels, datasets: [{ data: series.values.map(Number), backgroundColor: "rgba(200, 40, 40, 0.6)" }] },
      options: { plugins: { legend: { display: type === "doughnut" } }, animation: false }
    });
  }
  draw("chart-periods", "bar", data.periods);
  draw("chart-counties", "bar", data.counties);
  draw("chart-categories", "doughnut", data.categories);
  draw("chart-units", "bar", data.units);
  document.documentElement.dataset.chartsReady = "1";
})();
