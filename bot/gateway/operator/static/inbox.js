// Inbox: misunderstood messages grouped, with the conversation; assign, create an intent, or dismiss.
import { h, clear } from "/console/static/js/dom.js";
import { t } from "/console/static/js/i18n.js";

export async function render(main, api) {
  const [{ rows }, { intents, languages }] = await Promise.all([api.get("/inbox"), api.get("/intents")]);
  const language = h("select", { "aria-label": t("operator_language"), onchange: () => reload() },
    h("option", { value: "" }, t("operator_all_languages")), languages.map((code) => h("option", { value: code }, code)));
  const list = h("div", {});
  const detail = h("div", { class: "panel", hidden: true });
  const reload = async () => {
    const query = language.value ? `?language=${encodeURIComponent(language.value)}` : "";
    draw((await api.get(`/inbox${query}`)).rows);
  };
  const draw = (found) => {
    if (!found.length) { clear(list, h("p", {}, t("operator_inbox_empty"))); return; }
    clear(list, h("table", {},
      h("tr", {}, [t("operator_count"), t("operator_text"), t("operator_language"), t("operator_predicted"),
        t("operator_confidence"), t("operator_reasons"), ""].map((label) => h("th", {}, label))),
      found.map((row) => h("tr", {},
        h("td", { class: "count" }, row.count), h("td", {}, row.text), h("td", {}, row.language || "?"),
        h("td", {}, row.predicted_intent || ""), h("td", {}, row.confidence === null ? "" : row.confidence.toFixed(2)),
        h("td", {}, row.reasons.map((reason) => t(`operator_reason_${reason}`)).join(", ")),
        h("td", {}, h("button", { class: "small", onclick: () => open(row) }, t("operator_review")))))));
  };
  const open = async (row) => {
    const conversation = await api.get(`/conversations/${encodeURIComponent(row.conversation_ids[0])}`);
    const intent = h("input", { list: "operator-intents", value: row.predicted_intent === "nlu_fallback" ? "" : (row.predicted_intent || ""),
      "aria-label": t("operator_intent") });
    const rowLanguage = h("select", { "aria-label": t("operator_language") },
      languages.map((code) => h("option", { value: code, selected: code === row.language }, code)));
    const extra = h("textarea", { placeholder: t("operator_more_examples") });
    const status = h("p", { role: "status" });
    const send = async (action) => {
      const body = { text: row.text, action, language: rowLanguage.value, intent: intent.value.trim(),
        message_id: row.message_id, predicted_intent: row.predicted_intent };
      if (action === "new_intent") body.examples = extra.value.split("\n").map((s) => s.trim()).filter(Boolean);
      try {
        const result = await api.post("/annotations", body);
        status.textContent = result.file ? t("operator_saved_to", { file: result.file }) : t("operator_dismissed");
        detail.hidden = true;
        await reload();
      } catch (error) { status.textContent = error.message; status.className = "error"; }
    };
    clear(detail,
      h("h2", {}, `“${row.text}” × ${row.count}`),
      h("div", { class: "transcript" }, conversation.messages.map((m) => h("p", { class: m.sender },
        `${m.sender}: ${m.text}`, m.intent ? h("small", {}, `  [${m.language || "?"} ${m.intent} ${m.confidence?.toFixed(2) ?? ""}]`) : ""))),
      h("datalist", { id: "operator-intents" }, intents.map((name) => h("option", { value: name }))),
      h("div", { class: "toolbar" }, h("label", {}, t("operator_intent"), " ", intent), h("label", {}, t("operator_language"), " ", rowLanguage),
        h("button", { class: "primary", onclick: () => send("assign") }, t("operator_assign")),
        h("button", { onclick: () => send("dismiss") }, t("operator_dismiss"))),
      h("details", {}, h("summary", {}, t("operator_new_intent")), extra,
        h("button", { onclick: () => send("new_intent") }, t("operator_create_intent"))),
      status);
    detail.hidden = false;
    detail.scrollIntoView({ behavior: "smooth" });
  };
  clear(main, h("h2", {}, t("operator_tab_inbox")), h("p", {}, t("operator_inbox_help")),
    h("div", { class: "toolbar" }, language), list, detail);
  draw(rows);
}
