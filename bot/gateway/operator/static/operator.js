// The operator console: login, tabs, and the shared request helper. Views live in their own modules.
import { h, clear } from "/console/static/js/dom.js";
import { i18n, t } from "/console/static/js/i18n.js";

export class OperatorApi {
  constructor() { this.csrf = null; }

  async request(method, path, body) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && this.csrf) headers["X-CSRF-Token"] = this.csrf;
    const response = await fetch(path, {
      method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try { data = await response.json(); } catch { /* not JSON */ }
    if (!response.ok) {
      const error = new Error(data?.message || `HTTP ${response.status}`);
      error.status = response.status;
      error.code = data?.error;
      throw error;
    }
    return data;
  }

  get(path) { return this.request("GET", `/operator/api${path}`); }
  post(path, body = {}) { return this.request("POST", `/operator/api${path}`, body); }
  put(path, body) { return this.request("PUT", `/operator/api${path}`, body); }
}

const TABS = [
  ["inbox", "operator_tab_inbox", () => import("./inbox.js")],
  ["content", "operator_tab_content", () => import("./content.js")],
  ["models", "operator_tab_models", () => import("./models.js")],
  ["analytics", "operator_tab_analytics", () => import("./analytics.js")],
];

const root = document.getElementById("operator");
const api = new OperatorApi();

function loginForm(message) {
  const name = h("input", { autocomplete: "username", "aria-label": t("operator_name") });
  const password = h("input", { type: "password", autocomplete: "current-password", "aria-label": t("operator_password") });
  const status = h("p", { class: "error", role: "alert" }, message || "");
  const submit = async (event) => {
    event.preventDefault();
    const response = await fetch("/api/auth/login", {
      method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin",
      body: JSON.stringify({ name: name.value, password: password.value }),
    });
    if (!response.ok) { status.textContent = t("operator_login_failed"); return; }
    start();
  };
  clear(root, h("form", { class: "login", onsubmit: submit },
    h("h1", {}, t("operator_title")), h("label", {}, t("operator_name"), name),
    h("label", {}, t("operator_password"), password), h("button", { class: "primary" }, t("operator_login")), status));
  root.removeAttribute("aria-busy");
}

async function show(tab, main, nav) {
  for (const button of nav.querySelectorAll("button")) {
    button.toggleAttribute("aria-current", button.dataset.tab === tab);
    if (button.dataset.tab === tab) button.setAttribute("aria-current", "page");
  }
  clear(main, h("p", {}, t("operator_loading")));
  const module = await TABS.find(([name]) => name === tab)[2]();
  try {
    await module.render(main, api);
  } catch (error) {
    clear(main, h("p", { class: "error" }, error.message));
  }
  history.replaceState(null, "", `#${tab}`);
}

async function start() {
  await i18n.load(i18n.initial());
  let session;
  try {
    session = await api.get("/session");
  } catch (error) {
    loginForm(error.status === 403 ? t("operator_only") : "");
    return;
  }
  api.csrf = session.csrf_token;
  const main = h("main", {});
  const nav = h("nav", {}, TABS.map(([name, key]) =>
    h("button", { dataset: { tab: name }, onclick: () => show(name, main, nav) }, t(key))));
  const logout = async () => { await fetch("/api/auth/logout", { method: "POST", headers: { "X-CSRF-Token": api.csrf } }); location.reload(); };
  clear(root, h("header", {}, h("h1", {}, t("operator_title")), nav,
    h("span", { class: "who" }, session.operator.name), h("button", { class: "small", onclick: logout }, t("operator_logout"))), main);
  root.removeAttribute("aria-busy");
  const wanted = location.hash.slice(1);
  show(TABS.some(([name]) => name === wanted) ? wanted : "inbox", main, nav);
}

start();
