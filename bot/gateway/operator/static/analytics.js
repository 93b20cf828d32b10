// Analytics: conversations per day by language and channel, containment, handoffs, fallbacks, intents, times, CSAT.
import { h, clear } from "/console/static/js/dom.js";
import { t } from "/console/static/js/i18n.js";
import { horizontalBars, line, stackedBars } from "./charts.js";

function series(perDay, days) {
  const names = [...new Set(days.flatMap((day) => Object.keys(perDay[day] || {})))];
  return Object.fromEntries(names.map((name) => [name, days.map((day) => (perDay[day] || {})[name] || 0)]));
}

const percent = (v) => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(1)} %`);
const seconds = (s) => (s.median === null ? "–" : `${Math.round(s.median / 60)} min (${s.count})`);

export async function render(main, api) {
  const today = new Date().toISOString().slice(0, 10);
  const from = h("input", { type: "date", value: new Date(Date.now() - 29 * 864e5).toISOString().slice(0, 10), "aria-label": t("operator_from") });
  const to = h("input", { type: "date", value: today, "aria-label": t("operator_to") });
  const language = h("input", { placeholder: t("operator_all_languages"), size: 6, "aria-label": t("operator_language") });
  const box = h("div", {});
  const load = async () => {
    const query = new URLSearchParams({ from: from.value, to: to.value });
    if (language.value.trim()) query.set("language", language.value.trim());
    const r = await api.get(`/analytics?${query}`);
    clear(box,
      h("table", {}, [
        [t("operator_conversations"), r.conversations], [t("operator_containment"), percent(r.containment_rate)],
        [t("operator_handoff_rate"), percent(r.handoff_rate)], [t("operator_fallback_rate"), percent(r.fallback_rate)],
        [t("operator_first_response"), seconds(r.first_response_seconds)], [t("operator_waiting_now"), seconds(r.waiting_now_seconds)],
      ].map(([label, value]) => h("tr", {}, h("th", {}, label), h("td", {}, value)))),
      h("div", { class: "charts" },
        stackedBars(t("operator_per_day_language"), r.days, series(r.conversations_by_language, r.days)),
        stackedBars(t("operator_per_day_channel"), r.days, series(r.conversations_by_channel, r.days)),
        horizontalBars(t("operator_handoff_reasons"), Object.entries(r.handoff_reasons)),
        horizontalBars(t("operator_top_intents"), r.top_intents),
        horizontalBars(t("operator_top_faq"), r.top_faq_topics),
        line(t("operator_csat_trend"), r.days, r.days.map((day) => r.csat_by_day[day]?.average ?? null), { max: 5 })));
  };
  clear(main, h("h2", {}, t("operator_tab_analytics")),
    h("div", { class: "toolbar" }, from, to, language, h("button", { class: "primary", onclick: load }, t("operator_show"))), box);
  await load();
}
