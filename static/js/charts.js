// Draws every <figure class="chart"> on a page with Chart.js. Each figure carries its
// data in a json_script element (built by budgets/charts.py) and a table of the same
// figures beside the canvas; the button saves the chart as a PNG.
(function () {
  "use strict";
  const lang = document.documentElement.lang === "en" ? "en" : "zh-CN";
  // 万元 with separators: at least two decimals, more only where the document printed them.
  const amount = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 6 });
  const tick = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  // Latin letters are half as wide as Chinese characters: English class names may run longer.
  const cut = lang === "en" ? 26 : 14;
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

  // Years drawn on a linear axis (spec.linear): one tick a year, printed as 2019, not 2,019.
  function yearAxis(spec) {
    const years = spec.labels.map(Number);
    if (!years.length) return { type: "linear" };
    const first = Math.min(...years);
    const last = Math.max(...years);
    return {
      type: "linear",
      // A single year still needs some width around its point.
      min: first === last ? first - 1 : first,
      max: first === last ? last + 1 : last,
      ticks: { stepSize: 1, precision: 0, callback: (value) => String(value) },
    };
  }

  function points(spec, data) {
    const values = data.map((value) => (value === null ? null : Number(value)));
    return spec.linear ? values.map((value, index) => ({ x: Number(spec.labels[index]), y: value })) : values;
  }

  function draw(figure) {
    const spec = JSON.parse(document.getElementById(figure.dataset.chart).textContent);
    const valueAxis = spec.horizontal ? "x" : "y";
    const categoryAxis = spec.horizontal ? "y" : "x";
    // The height comes as data, not an inline style the Content-Security-Policy would block.
    const box = figure.querySelector(".chart-canvas");
    box.style.height = `${Number(box.dataset.height)}rem`;
    const chart = new Chart(figure.querySelector("canvas"), {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map((dataset, index) => ({
          label: dataset.label,
          data: points(spec, dataset.data),
          backgroundColor: palette[index % palette.length],
          borderColor: palette[index % palette.length],
          spanGaps: true,
          // The first and last year sit on the axis' ends: draw their points whole.
          clip: spec.linear ? false : undefined,
        })),
      },
      options: {
        indexAxis: categoryAxis,
        layout: { padding: spec.linear ? { left: 4, right: 12 } : 0 },
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
          [categoryAxis]: spec.linear
            ? yearAxis(spec)
            : {
                stacked: spec.stacked,
                // Long Chinese class names are cut on the axis; the tooltip and the table keep them whole.
                ticks: {
                  callback(value) {
                    const label = String(this.getLabelForValue(value));
                    return label.length > cut ? `${label.slice(0, cut - 1)}…` : label;
                  },
                },
              },
        },
        plugins: {
          legend: { display: spec.datasets.length > 1 },
          tooltip: {
            callbacks: {
              // On a year axis the default title would be the number formatted: 2,019.
              ...(spec.linear ? { title: (items) => (items.length ? String(items[0].parsed.x) : "") } : {}),
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
