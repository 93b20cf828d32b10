// CSAT report: per agent and per language, each a stacked-bar chart (inline SVG) plus the same numbers
// as a table for screen readers and exact reading.

import { clear, h, svg } from "./dom.js";
import { t } from "./i18n.js";

const RATING_COLORS = { 1: "#c62828", 2: "#ef6c00", 3: "#f9a825", 4: "#7cb342", 5: "#2e7d32" };
const ROW_HEIGHT = 34;
const LABEL_WIDTH = 120;
const BAR_WIDTH = 360;
const AVERAGE_WIDTH = 70;

export class ReportsView {
  constructor(api, reportError) {
    this.api = api;
    this.reportError = reportError;
    this.node = h("div", { class: "reports" });
  }

  async shown() {
    try {
      this.draw(await this.api.get("/reports/csat"));
    } catch (error) {
      this.reportError(error);
    }
  }

  label(key) {
    return key === "bot" ? t("csat_bot") : key;
  }

  draw(report) {
    const overall = report.overall;
    clear(this.node,
      h("section", { class: "panel wide", "aria-labelledby": "reports-title" },
        h("h2", { id: "reports-title" }, t("reports")),
        h("dl", { class: "kpis" },
          h("div", {}, h("dt", {}, t("csat_overall")), h("dd", {}, formatAverage(overall.average))),
          h("div", {}, h("dt", {}, t("csat_count")), h("dd", {}, String(overall.count)))),
        legend()),
      this.section("by-agent", t("csat_by_agent"), report.by_agent),
      this.section("by-language", t("csat_by_language"), report.by_language));
  }

  section(id, title, rows) {
    const titleId = `${id}-title`;
    return h("section", { class: "panel wide", "aria-labelledby": titleId },
      h("h3", { id: titleId }, title),
      rows.length === 0 ? h("p", { class: "muted empty" }, t("csat_no_ratings")) : [
        chart(rows.map((row) => ({ ...row, label: this.label(row.key) })), title),
        table(rows.map((row) => ({ ...row, label: this.label(row.key) }))),
      ]);
  }
}

function formatAverage(average) {
  return typeof average === "number" ? average.toFixed(2) : "—";
}

function legend() {
  return h("ul", { class: "legend", "aria-label": t("csat_distribution") },
    [1, 2, 3, 4, 5].map((rating) => h("li", {},
      h("span", { class: "swatch", style: `background:${RATING_COLORS[rating]}`, "aria-hidden": "true" }),
      t("csat_rating_label", { rating }))));
}

/** One horizontal bar per row: the 1-5 distribution stacked to 100 %, the average at the end. */
function chart(rows, title) {
  const width = LABEL_WIDTH + BAR_WIDTH + AVERAGE_WIDTH;
  const height = rows.length * ROW_HEIGHT + 8;
  const graphic = svg("svg", {
    class: "chart", viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img",
    "aria-label": title, preserveAspectRatio: "xMinYMin meet",
  });
  rows.forEach((row, index) => {
    const y = index * ROW_HEIGHT + 4;
    graphic.append(svg("text", { x: LABEL_WIDTH - 8, y: y + 19, "text-anchor": "end", class: "chart-label" }, row.label));
    graphic.append(svg("rect", { x: LABEL_WIDTH, y, width: BAR_WIDTH, height: 26, rx: 4, class: "chart-track" }));
    let x = LABEL_WIDTH;
    for (let rating = 1; rating <= 5; rating += 1) {
      const count = row.distribution[String(rating)] || 0;
      if (!count || !row.count) continue;
      const part = (count / row.count) * BAR_WIDTH;
      graphic.append(svg("rect", { x, y, width: part, height: 26, fill: RATING_COLORS[rating] },
        svg("title", {}, `${t("csat_rating_label", { rating })}: ${count}`)));
      if (part > 22) {
        graphic.append(svg("text", { x: x + part / 2, y: y + 18, "text-anchor": "middle", class: "chart-count" }, String(count)));
      }
      x += part;
    }
    graphic.append(svg("text", { x: LABEL_WIDTH + BAR_WIDTH + 10, y: y + 19, class: "chart-average" },
      `★ ${formatAverage(row.average)}`));
  });
  return h("figure", { class: "chart-figure" }, graphic);
}

function table(rows) {
  return h("table", { class: "data-table compact" },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, ""),
      h("th", { scope: "col" }, t("csat_count")),
      h("th", { scope: "col" }, t("csat_average")),
      [1, 2, 3, 4, 5].map((rating) => h("th", { scope: "col" }, `${rating} ★`)))),
    h("tbody", {}, rows.map((row) => h("tr", {},
      h("th", { scope: "row" }, row.label),
      h("td", {}, String(row.count)),
      h("td", {}, formatAverage(row.average)),
      [1, 2, 3, 4, 5].map((rating) => h("td", {}, String(row.distribution[String(rating)] || 0)))))));
}
