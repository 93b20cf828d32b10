// Retrain with live progress, the gate's per-language report (F1 per intent, confusion), deploy, rollback.
import { h, clear } from "/console/static/js/dom.js";
import { t } from "/console/static/js/i18n.js";
import { confusion, horizontalBars } from "./charts.js";

let timer = null;

function minutes(seconds) {
  if (seconds === null || seconds === undefined) return "…";
  return seconds < 90 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}

function progressView(job) {
  if (!job) return h("p", {}, t("operator_no_training"));
  const p = job.progress;
  const share = p.stage === "done" ? 1 : p.epochs ? (p.component_index + p.epoch / p.epochs) / Math.max(1, p.components) : 0;
  return h("div", { class: "panel" },
    h("p", {}, t("operator_job_line", { stage: t(`operator_stage_${p.stage}`), who: job.started_by, elapsed: minutes(job.elapsed_seconds) })),
    job.training ? h("p", { class: "training-path" }, t(`operator_training_${job.training.kind}${job.training.method === "finetune" ? "_finetune" : ""}`, job.training)) : "",
    p.component ? h("p", {}, t("operator_epoch_line", { component: p.component, epoch: p.epoch, epochs: p.epochs, eta: minutes(p.eta_seconds) })) : "",
    h("div", { class: "progress", role: "progressbar", "aria-valuenow": Math.round(share * 100) }, h("div", { style: `width:${share * 100}%` })),
    job.error ? h("pre", { class: "error" }, job.error) : "");
}

function gateView(gate) {
  if (!gate) return "";
  return h("div", {},
    h("p", { class: gate.passed ? "passed" : "failed" }, gate.passed ? t("operator_gate_passed") : t("operator_gate_refused", { languages: gate.failed_languages.join(", ") })),
    gate.note ? h("p", {}, gate.note) : "",
    h("table", {}, h("tr", {}, [t("operator_language"), t("operator_f1_candidate"), t("operator_f1_serving"), t("operator_f1_change"), t("operator_annotated_right")].map((l) => h("th", {}, l))),
      Object.entries(gate.languages).map(([code, r]) => h("tr", {},
        h("td", {}, code), h("td", {}, r.candidate.macro_f1.toFixed(3)), h("td", {}, r.serving ? r.serving.macro_f1.toFixed(3) : "–"),
        h("td", { class: r.passed ? "passed" : "failed" }, r.f1_change === null ? "–" : (r.f1_change * 100).toFixed(1)),
        h("td", {}, `${r.annotations.candidate_correct}/${r.annotations.count}`)))),
    h("div", { class: "charts" }, Object.entries(gate.languages).flatMap(([code, r]) => [
      horizontalBars(t("operator_f1_per_intent", { language: code }), Object.entries(r.candidate.per_intent_f1), { max: 1, format: (v) => v.toFixed(2) }),
      confusion(t("operator_confusion", { language: code }), r.candidate.confusion),
    ])));
}

export async function render(main, api) {
  clearInterval(timer);
  const progress = h("div", {});
  const models = h("div", {});
  const status = h("p", { role: "status" });
  const epochs = h("input", { type: "number", min: 1, placeholder: t("operator_epochs"), "aria-label": t("operator_epochs"), style: "width:7rem" });
  const full = h("input", { type: "checkbox" });
  const refresh = async () => {
    const { job } = await api.get("/retrain");
    clear(progress, progressView(job), job && job.state !== "running" && job.result ? gateView(job.result.gate) : "");
    if (!job || job.state !== "running") { clearInterval(timer); timer = null; }
    return job;
  };
  const drawModels = async () => {
    const found = await api.get("/models");
    clear(models, h("table", {},
      h("tr", {}, [t("operator_model"), t("operator_trained"), t("operator_gate"), ""].map((l) => h("th", {}, l))),
      found.models.map((m) => h("tr", {},
        h("td", {}, m.name, m.name === found.serving ? h("strong", {}, ` (${t("operator_serving")})`) : ""),
        h("td", {}, `${m.created_at} ${m.trained_by} (${m.training || "full"})`),
        h("td", { class: m.gate ? (m.gate.passed ? "passed" : "failed") : "" }, m.gate ? (m.gate.passed ? "✓" : "✗") : "–"),
        h("td", {}, m.name === found.serving ? "" : h("button", { class: "small", onclick: () => deploy(m) }, t("operator_deploy")))))),
      h("button", { onclick: rollback, disabled: !found.history.length }, t("operator_rollback")),
      h("h3", {}, t("operator_history")),
      h("ul", {}, found.history.map((e) => h("li", {}, `${e.at} ${e.who}: ${e.action} ${e.model}${e.override_reason ? ` — ${e.override_reason}` : ""}`))));
  };
  const deploy = async (model) => {
    let body = {};
    if (model.gate && !model.gate.passed) {
      const reason = prompt(t("operator_override_prompt"));
      if (!reason) return;
      body = { override_reason: reason };
    }
    status.textContent = t("operator_deploying");
    try { await api.post(`/models/${encodeURIComponent(model.name)}/deploy`, body); status.textContent = t("operator_deployed"); }
    catch (error) { status.textContent = error.message; }
    await drawModels();
  };
  const rollback = async () => {
    status.textContent = t("operator_deploying");
    try { const r = await api.post("/models/rollback"); status.textContent = t("operator_rolled_back", { model: r.serving }); }
    catch (error) { status.textContent = error.message; }
    await drawModels();
  };
  const start = async () => {
    const body = epochs.value ? { epochs: Number(epochs.value) } : {};
    if (full.checked) body.full = true;
    try { await api.post("/retrain", body); status.textContent = ""; }
    catch (error) { status.textContent = error.message; }
    await refresh();
    timer = timer || setInterval(async () => { const job = await refresh(); if (job && job.state !== "running") drawModels(); }, 2000);
  };
  clear(main, h("h2", {}, t("operator_tab_models")),
    h("div", { class: "toolbar" }, h("button", { class: "primary", onclick: start }, t("operator_retrain")), epochs,
      h("label", {}, full, " ", t("operator_retrain_full"))), status,
    progress, h("h3", {}, t("operator_models")), models);
  const job = await refresh();
  if (job && job.state === "running") timer = setInterval(refresh, 2000);
  await drawModels();
}
