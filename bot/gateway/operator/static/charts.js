// Small SVG charts (no library): grouped bars, a line, and a confusion matrix as a heat table.
import { h, svg } from "/console/static/js/dom.js";

const COLORS = ["#6a1b9a", "#00897b", "#f9a825", "#1565c0", "#c62828", "#6d4c41", "#546e7a"];

export function color(index) { return COLORS[index % COLORS.length]; }

/** Stacked bars: labels on x, series {name: [values]}. */
export function stackedBars(title, labels, series, { width = 520, height = 200 } = {}) {
  const names = Object.keys(series);
  const totals = labels.map((_, i) => names.reduce((sum, name) => sum + (series[name][i] || 0), 0));
  const max = Math.max(1, ...totals);
  const step = (width - 40) / Math.max(1, labels.length);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height + 20}`, role: "img", "aria-label": title, width: "100%" });
  labels.forEach((label, i) => {
    let y = height;
    names.forEach((name, n) => {
      const value = series[name][i] || 0;
      const barHeight = (value / max) * (height - 10);
      y -= barHeight;
      if (value) {
        chart.append(svg("rect", { x: 30 + i * step, y, width: Math.max(1, step - 2), height: barHeight, fill: color(n) },
          svg("title", {}, `${label} ${name}: ${value}`)));
      }
    });
    if (labels.length <= 14 || i % Math.ceil(labels.length / 10) === 0) {
      chart.append(svg("text", { x: 30 + i * step, y: height + 14, "font-size": 9 }, label.slice(5)));
    }
  });
  chart.append(svg("text", { x: 0, y: 10, "font-size": 9 }, String(max)));
  return h("figure", { class: "panel" }, h("figcaption", {}, title), chart,
    h("div", { class: "legend" }, names.map((name, n) => h("span", {}, h("i", { style: `background:${color(n)}` }), name))));
}

/** Horizontal bars for (label, value) pairs, values between 0 and `max`. */
export function horizontalBars(title, pairs, { max = null, format = (v) => String(v) } = {}) {
  const top = max ?? Math.max(1, ...pairs.map(([, v]) => v || 0));
  const rowHeight = 18;
  const chart = svg("svg", { viewBox: `0 0 420 ${pairs.length * rowHeight + 4}`, width: "100%", role: "img", "aria-label": title });
  pairs.forEach(([label, value], i) => {
    const width = ((value || 0) / top) * 220;
    chart.append(svg("text", { x: 0, y: i * rowHeight + 13, "font-size": 10 }, label));
    chart.append(svg("rect", { x: 160, y: i * rowHeight + 3, width, height: rowHeight - 6, fill: color(i) }));
    chart.append(svg("text", { x: 164 + width, y: i * rowHeight + 13, "font-size": 10 }, format(value)));
  });
  return h("figure", { class: "panel" }, h("figcaption", {}, title), chart);
}

/** A line over days: points {label: value or null}. */
export function line(title, labels, values, { max = null } = {}) {
  const width = 520, height = 160;
  const top = max ?? Math.max(1, ...values.filter((v) => v !== null));
  const step = (width - 40) / Math.max(1, labels.length - 1);
  const points = values.map((v, i) => (v === null ? null : [30 + i * step, height - (v / top) * (height - 10)]));
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height + 20}`, width: "100%", role: "img", "aria-label": title });
  const drawn = points.filter(Boolean);
  if (drawn.length) {
    chart.append(svg("polyline", { points: drawn.map((p) => p.join(",")).join(" "), fill: "none", stroke: color(0), "stroke-width": 2 }));
    drawn.forEach(([x, y]) => chart.append(svg("circle", { cx: x, cy: y, r: 3, fill: color(0) })));
  }
  chart.append(svg("text", { x: 0, y: 10, "font-size": 9 }, String(top)));
  return h("figure", { class: "panel" }, h("figcaption", {}, title), chart);
}

/** Confusion matrix: rows are the true intents, columns the predicted ones; darker = more. */
export function confusion(title, { rows, columns, matrix }) {
  const max = Math.max(1, ...matrix.flat());
  return h("figure", { class: "panel" }, h("figcaption", {}, title),
    h("table", { class: "heat" },
      h("tr", {}, h("th", {}, ""), columns.map((c) => h("th", { title: c }, c.slice(0, 10)))),
      rows.map((row, r) => h("tr", {}, h("th", {}, row), matrix[r].map((value, c) => h("td", {
        style: `background: rgba(${columns[c] === row ? "46,125,50" : "198,40,40"}, ${value / max})`,
        title: `${row} → ${columns[c]}: ${value}`,
      }, value || ""))))));
}
