// The comparison chart: reads the plain data the view wrote with json_script and draws it
// with Chart.js, grouped bars for one year or one line per department across years.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  var canvas = document.getElementById("compare-chart");
  if (!source || !canvas || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = ["#b3261e", "#1a73e8", "#188038", "#e37400", "#9334e6", "#00897b", "#5f6b73", "#c2185b"];
  data.datasets.forEach(function (dataset, index) {
    var colour = colours[index % colours.length];
    dataset.backgroundColor = colour;
    dataset.borderColor = colour;
    dataset.spanGaps = false; // a missing figure is a gap, never a 0
    dataset.pointRadius = 5; // a department with one year is a single point
  });
  new Chart(canvas, {
    type: data.type,
    data: { labels: data.labels, datasets: data.datasets },
    options: {
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { position: "bottom" },
        title: { display: Boolean(data.title), text: data.title || "" }
      },
      scales: data.type === "line"
        ? {
            x: { type: "linear", ticks: { stepSize: 1, callback: function (year) { return String(year); } } },
            y: { beginAtZero: false }
          }
        : { y: { beginAtZero: true } }
    }
  });
})();
