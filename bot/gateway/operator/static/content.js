// Content: FAQ questions and answers and every response, per language, with missing translations flagged.
import { h, clear } from "/console/static/js/dom.js";
import { t } from "/console/static/js/i18n.js";

function responseEditor(api, key, language, texts, onSaved) {
  const area = h("textarea", { "aria-label": `${key} ${language}` }, texts.join("\n---\n"));
  const status = h("span", { role: "status" });
  const save = async () => {
    const parts = area.value.split(/\n---\n/).map((s) => s.trim()).filter(Boolean);
    try {
      await api.put("/content/responses", { language, key, texts: parts });
      status.textContent = t("operator_saved_live");
      onSaved?.();
    } catch (error) { status.textContent = error.message; status.className = "error"; }
  };
  return h("div", {}, area, h("button", { class: "small", onclick: save }, t("operator_save")), " ", status);
}

async function faqView(box, api) {
  const { languages, topics } = await api.get("/content/faq");
  clear(box, topics.map((topic) => h("details", { class: "panel" },
    h("summary", {}, topic.topic, " ",
      [...new Set([...topic.missing_answers, ...topic.missing_questions])].length
        ? h("span", { class: "missing" }, t("operator_missing_translation", {
          languages: [...new Set([...topic.missing_answers, ...topic.missing_questions])].join(", ") })) : ""),
    h("table", {}, h("tr", {}, languages.map((code) => h("th", {}, code))),
      h("tr", {}, languages.map((code) => h("td", {},
        h("strong", {}, t("operator_answer")),
        responseEditor(api, `utter_${topic.topic}`, code, topic.answers[code]),
        h("strong", {}, t("operator_questions", { count: topic.questions[code].length })),
        h("ul", {}, topic.questions[code].map((q) => h("li", {}, q))),
        addQuestion(api, code, topic.topic, () => faqView(box, api)))))))));
}

function addQuestion(api, language, intent, onSaved) {
  const input = h("input", { placeholder: t("operator_add_question"), "aria-label": t("operator_add_question") });
  const add = async () => {
    if (!input.value.trim()) return;
    await api.post("/content/examples", { language, intent, texts: [input.value] });
    onSaved();
  };
  return h("div", {}, input, h("button", { class: "small", onclick: add }, "+"));
}

async function responsesView(box, api) {
  const { languages, responses } = await api.get("/content/responses");
  clear(box, h("table", {}, h("tr", {}, h("th", {}, t("operator_response")), languages.map((code) => h("th", {}, code))),
    responses.filter((row) => !row.key.startsWith("utter_faq/")).map((row) => h("tr", {}, h("td", {}, row.key,
      row.missing.length ? h("div", { class: "missing" }, t("operator_missing_translation", { languages: row.missing.join(", ") })) : ""),
    languages.map((code) => h("td", {}, responseEditor(api, row.key, code, row.texts[code])))))));
}

async function changesView(box, api) {
  const { changes } = await api.get("/changes");
  clear(box, h("table", {}, h("tr", {}, [t("operator_when"), t("operator_who"), t("operator_what"), t("operator_file")].map((l) => h("th", {}, l))),
    changes.map((c) => h("tr", {}, h("td", {}, c.at), h("td", {}, c.who),
      h("td", {}, `${c.action} ${c.target || ""} ${c.language ? `[${c.language}]` : ""}`), h("td", {}, c.file)))));
}

export async function render(main, api) {
  const box = h("div", {});
  const views = { faq: faqView, responses: responsesView, changes: changesView };
  const tabs = h("div", { class: "toolbar" }, Object.keys(views).map((name) =>
    h("button", { onclick: () => views[name](box, api) }, t(`operator_content_${name}`))));
  clear(main, h("h2", {}, t("operator_tab_content")), h("p", {}, t("operator_content_help")), tabs, box);
  await faqView(box, api);
}
