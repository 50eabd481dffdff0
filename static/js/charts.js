// Draws every <figure class="chart"> on a page with Chart.js. Each figure carries its
// data in a json_script element (built by budgets/charts.py) and a table of the same
// figures beside the canvas; the button saves the chart as a PNG.
(function () {
  "use strict";
  const lang = document.documentElement.lang === "en" ? "en" : "zh-CN";
  // 万元 with separators: at least two decimals, more only where the document printed them.
  const amount = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 6 });
  const tick = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const palette = ["#b3261e", "#1f5f8b", "#6b8e23", "#8e5ea2", "#d98c1f", "#3c8d7a"];

  // A transparent PNG is unreadable on a dark viewer: paint the canvas white first.
  const whiteBackground = {
    id: "whiteBackground",
    beforeDraw(chart) {
      const ctx = chart.ctx;
      ctx.save();
      ctx.globalCompositeOperation = "destination-over";
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    },
  };

  function draw(figure) {
    const spec = JSON.parse(document.getElementById(figure.dataset.chart).textContent);
    const valueAxis = spec.horizontal ? "x" : "y";
    const categoryAxis = spec.horizontal ? "y" : "x";
    const chart = new Chart(figure.querySelector("canvas"), {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map((dataset, index) => ({
          label: dataset.label,
          data: dataset.data.map((value) => (value === null ? null : Number(value))),
          backgroundColor: palette[index % palette.length],
          borderColor: palette[index % palette.length],
          spanGaps: true,
        })),
      },
      options: {
        indexAxis: categoryAxis,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          [valueAxis]: {
            beginAtZero: true,
            stacked: spec.stacked,
            title: { display: true, text: spec.unit },
            ticks: { callback: (value) => tick.format(value) },
          },
          [categoryAxis]: {
            stacked: spec.stacked,
            // Long Chinese class names are cut on the axis; the tooltip and the table keep them whole.
            ticks: {
              callback(value) {
                const label = String(this.getLabelForValue(value));
                return label.length > 14 ? `${label.slice(0, 13)}…` : label;
              },
            },
          },
        },
        plugins: {
          legend: { display: spec.datasets.length > 1 },
          tooltip: {
            callbacks: {
              label: (item) => `${item.dataset.label}: ${amount.format(item.parsed[valueAxis])} ${spec.unit}`,
            },
          },
        },
      },
      plugins: [whiteBackground],
    });
    figure.querySelector("[data-download]").addEventListener("click", () => {
      const link = document.createElement("a");
      link.href = chart.toBase64Image("image/png", 1);
      link.download = `${spec.filename}.png`;
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  document.querySelectorAll("figure.chart[data-chart]").forEach(draw);
})();
