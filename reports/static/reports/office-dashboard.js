(function () {
  "use strict";
  var source = document.getElementById("office-chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  function money(value) {
    return Number(value).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  function draw(id, series) {
    var canvas = document.getElementById(id);
    if (!canvas || !series) { return; }
    var doughnut = series.kind === "doughnut";
    new Chart(canvas, {
      type: series.kind,
      data: {
        labels: series.labels,
        datasets: [{
          label: series.series,
          data: series.values.map(Number),
          backgroundColor: series.colours,
          borderColor: doughnut ? "#ffffff" : series.colours,
          borderWidth: 1
        }]
      },
      options: {
        animation: false,
        // A bar chart's legend names its one series (amount in yuan); a doughnut's names each slice in its colour.
        plugins: {
          legend: { display: true, position: doughnut ? "right" : "top" },
          tooltip: { callbacks: { label: function (item) { return (doughnut ? item.label : item.dataset.label) + "：" + money(item.raw); } } }
        },
        scales: doughnut ? {} : { y: { beginAtZero: true, ticks: { callback: function (value) { return money(value); } } } }
      }
    });
  }
  draw("chart-periods", data.periods);
  draw("chart-counties", data.counties);
  draw("chart-categories", data.categories);
  draw("chart-units", data.units);
  document.documentElement.dataset.chartsReady = "1";
})();
