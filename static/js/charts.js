// Draws every <figure class="chart"> on a page with Chart.js. Each figure carries its data in
// a json_script element (built by budgets/charts.py) and a table of the same figures. The PNG
// button saves the chart at twice the screen's resolution with its heading, unit, source and
// the site's name drawn in, named after its content; the SVG link is made on the server
// (budgets/svg.py) from the same data.
(function () {
  "use strict";
  const lang = document.documentElement.lang === "en" ? "en" : "zh-CN";
  // 万元 with separators: at least two decimals, more only where the document printed them.
  const amount = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 6 });
  const tick = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  // Latin letters are half as wide as Chinese characters: English class names may run longer.
  const cut = lang === "en" ? 26 : 14;
  const FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
  const MUTED = "#5f6b73";

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

  // The saved image's last lines: the source, then the site's name and address on the right.
  const footer = {
    id: "footer",
    afterDraw(chart, _args, options) {
      if (!options.lines || !options.lines.length) return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.font = `12px ${FONT}`;
      ctx.fillStyle = MUTED;
      ctx.textBaseline = "bottom";
      const last = options.lines.length - 1;
      options.lines.forEach((line, index) => {
        const y = chart.height - 6 - (last - index) * 16;
        ctx.textAlign = index === last ? "right" : "left";
        ctx.fillText(line, index === last ? chart.width - 8 : 8, y);
      });
      ctx.restore();
    },
  };

  // Lines of at most `width` pixels in `font`: Latin words kept whole, Chinese broken anywhere.
  function wrap(text, font, width) {
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.font = font;
    const tokens = text.match(/[A-Za-z0-9.,%()'’\-–/]+\s*|\s+|./gu) || [];
    const lines = [];
    let line = "";
    tokens.forEach((token) => {
      if (line && ctx.measureText(line + token.trimEnd()).width > width) {
        lines.push(line.trimEnd());
        line = token.trimStart();
      } else {
        line += token;
      }
    });
    if (line.trim()) lines.push(line.trimEnd());
    return lines;
  }

  function config(spec, extra) {
    const valueAxis = spec.horizontal ? "x" : "y";
    const categoryAxis = spec.horizontal ? "y" : "x";
    const line = spec.type === "line";
    return {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map((dataset, index) => ({
          label: dataset.label,
          // null stays null: a year not disclosed or a figure not printed is a gap, never 0.
          data: dataset.data.map((value) => (value === null ? null : Number(value))),
          backgroundColor: spec.colours[index % spec.colours.length],
          borderColor: spec.colours[index % spec.colours.length],
          spanGaps: false,
          // A year between two gaps is still seen: a point.
          pointRadius: line ? 4 : undefined,
          // Grouped bars: a series without a figure in a group leaves no hole in its middle.
          skipNull: !line && !spec.stacked,
        })),
      },
      options: {
        indexAxis: categoryAxis,
        responsive: !extra,
        maintainAspectRatio: false,
        animation: false,
        devicePixelRatio: extra ? 2 : undefined,
        layout: { padding: extra ? { left: 8, right: 12, top: 4, bottom: extra.footer.length * 16 + 10 } : 0 },
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
                return label.length > cut ? `${label.slice(0, cut - 1)}…` : label;
              },
            },
          },
        },
        plugins: {
          legend: { display: spec.datasets.length > 1 },
          title: {
            display: Boolean(extra),
            text: extra ? extra.title : "",
            align: "start",
            color: "#1f2328",
            font: { size: 16, weight: "bold", family: FONT },
          },
          subtitle: {
            display: Boolean(extra),
            text: spec.unit_line,
            align: "start",
            color: MUTED,
            font: { size: 12, family: FONT },
            padding: { bottom: 8 },
          },
          footer: extra ? { lines: extra.footer } : {},
          tooltip: {
            callbacks: {
              label: (item) => `${item.dataset.label}: ${amount.format(item.parsed[valueAxis])} ${spec.unit}`,
            },
          },
        },
      },
      plugins: [whiteBackground, footer],
    };
  }

  function save(href, name) {
    const link = document.createElement("a");
    link.href = href;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  // The chart for an article: the same size as on screen, at twice its resolution, with what
  // the page says around it drawn into the image.
  function png(spec, shown) {
    const width = shown.clientWidth;
    const height = shown.clientHeight;
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const small = (text) => (text ? wrap(text, `12px ${FONT}`, width - 16) : []);
    const extra = {
      title: wrap(spec.title, `bold 16px ${FONT}`, width - 20),
      footer: [...small(spec.note), ...small(spec.source), `${spec.site} · ${location.host}`],
    };
    const chart = new Chart(canvas, config(spec, extra));
    const data = chart.toBase64Image("image/png", 1);
    chart.destroy();
    return data;
  }

  function draw(figure) {
    const spec = JSON.parse(document.getElementById(figure.dataset.chart).textContent);
    // The height comes as data, not an inline style the Content-Security-Policy would block.
    const box = figure.querySelector(".chart-canvas");
    box.style.height = `${Number(box.dataset.height)}rem`;
    const canvas = figure.querySelector("canvas");
    new Chart(canvas, config(spec, null));
    figure.querySelector("[data-download]").addEventListener("click", () => {
      save(png(spec, canvas), `${spec.filename}.png`);
    });
  }

  document.querySelectorAll("figure.chart[data-chart]").forEach(draw);
})();
