// The agent console: login, then three views (conversations, tickets, CSAT report) over one WebSocket.

import { Api, ApiError, ConsoleSocket } from "./api.js";
import { ConversationsView } from "./conversations.js";
import { clear, h } from "./dom.js";
import { i18n, t, UI_LANGUAGES } from "./i18n.js";
import { ReportsView } from "./reports.js";
import { TicketsView } from "./tickets.js";

const root = document.getElementById("console");
const api = new Api();

/** Shows an API failure politely in the page's alert line. */
export function reportError(error) {
  const message = error instanceof ApiError ? error.message : String(error);
  const line = document.getElementById("console-alert");
  if (!line) return;
  line.textContent = t("console_error", { message });
  line.hidden = false;
  clearTimeout(reportError.timer);
  reportError.timer = setTimeout(() => { line.hidden = true; }, 8000);
}

function languageSelect(onChange) {
  const select = h("select", { id: "ui-language", onchange: () => onChange(select.value) },
    UI_LANGUAGES.map((code) => h("option", { value: code, selected: code === i18n.language }, i18n.autonym(code))));
  return h("div", { class: "ui-language" },
    h("label", { for: "ui-language", class: "visually-hidden" }, t("console_ui_language")), select);
}

async function switchLanguage(code, redraw) {
  await i18n.load(code);
  await redraw();
}

// ---------------------------------------------------------------- login
function showLogin() {
  document.title = t("console_title");
  const name = h("input", { id: "login-name", name: "name", autocomplete: "username", required: true });
  const password = h("input", {
    id: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true,
  });
  const failure = h("p", { class: "form-error", role: "alert" });
  const form = h("form", {
    class: "login-card", "aria-labelledby": "login-title",
    onsubmit: async (event) => {
      event.preventDefault();
      failure.textContent = "";
      try {
        const agent = await api.login(name.value.trim(), password.value);
        showConsole(agent);
      } catch (error) {
        failure.textContent = error instanceof ApiError && error.status === 401 ? t("login_failed")
          : t("console_error", { message: error.message });
        password.select();
      }
    },
  },
  h("h1", { id: "login-title" }, t("login_title")),
  h("p", { class: "muted" }, t("console_title")),
  h("label", { for: "login-name" }, t("login_name")), name,
  h("label", { for: "login-password" }, t("login_password")), password,
  failure,
  h("button", { type: "submit", class: "primary" }, t("login_submit")),
  languageSelect((code) => switchLanguage(code, showLogin)));
  clear(root, h("main", { class: "login" }, form));
  root.removeAttribute("aria-busy");
  name.focus();
}

// ---------------------------------------------------------------- the console shell
let current = null; // {agent, socket, views, active}

function showConsole(agent) {
  current?.socket.close();
  const views = {
    conversations: new ConversationsView(api, agent, reportError),
    tickets: new TicketsView(api, reportError),
    reports: new ReportsView(api, reportError),
  };
  const socket = new ConsoleSocket((event) => dispatch(event), (state) => showSocketState(state));
  views.conversations.socket = socket;
  current = { agent, socket, views, active: "conversations" };
  drawShell();
  socket.connect();
}

function drawShell() {
  const { agent, views } = current;
  document.title = `${t("console_title")} · Polydesk`;
  const tabs = [["conversations", "console_nav_conversations"], ["tickets", "tickets"], ["reports", "reports"]];
  const nav = h("nav", { class: "tabs", "aria-label": t("console_title") },
    tabs.map(([id, key]) => h("button", {
      type: "button", class: "tab", id: `tab-${id}`, "aria-current": current.active === id ? "page" : null,
      onclick: () => activate(id),
    }, t(key), id === "tickets" ? h("span", { class: "count", id: "ticket-count", hidden: true }) : null)));
  const presence = h("span", { class: "presence", id: "presence" });
  const header = h("header", { class: "topbar" },
    h("div", { class: "brand" }, h("span", { class: "logo", "aria-hidden": "true" }), "Polydesk",
      h("span", { class: "muted" }, ` · ${t("console_title")}`)),
    nav,
    h("div", { class: "me" },
      presence,
      h("span", { class: "agent-name" }, agent.name),
      languageSelect((code) => switchLanguage(code, async () => { drawShell(); })),
      h("button", {
        type: "button", class: "link",
        onclick: async () => {
          current.socket.close();
          try { await api.logout(); } catch (error) { console.warn(error); }
          current = null;
          showLogin();
        },
      }, t("logout"))));
  const main = h("main", { id: "view", class: "view", tabindex: "-1" });
  clear(root, header, h("p", { id: "console-alert", class: "alert", role: "alert", hidden: true }),
    h("p", { id: "console-status", class: "visually-hidden", role: "status" }), main);
  root.removeAttribute("aria-busy");
  showSocketState(current.socketState || "connecting");
  for (const view of Object.values(views)) view.retranslate?.();
  activate(current.active);
}

function activate(id) {
  current.active = id;
  for (const tab of root.querySelectorAll(".tab")) {
    if (tab.id === `tab-${id}`) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  const main = document.getElementById("view");
  clear(main, current.views[id].node);
  current.views[id].shown();
}

function showSocketState(state) {
  if (!current) return;
  current.socketState = state;
  const presence = document.getElementById("presence");
  if (!presence) return;
  presence.textContent = state === "online" ? t("online") : t("console_connection_lost");
  presence.className = `presence ${state === "online" ? "on" : "off"}`;
}

function dispatch(event) {
  if (!current) return;
  const { views } = current;
  views.conversations.handle(event);
  if (event.type === "ticket_created") views.tickets.ticketCreated(event.ticket);
  if (event.type === "conversation_updated" && current.active === "reports") views.reports.shown();
}

// ---------------------------------------------------------------- start
async function start() {
  await i18n.load(i18n.initial());
  try {
    showConsole(await api.session());
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) console.error(error);
    showLogin();
  }
}

start();
