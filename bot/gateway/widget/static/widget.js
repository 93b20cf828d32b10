/*
 * Polydesk chat widget: one <script src=".../widget/widget.js" data-server data-title data-color
 * data-language async> tag puts a chat bubble on any page. Wire protocol: bot/gateway/PROTOCOL.md.
 *
 * Plain ES2020, no build step. The UI lives in an open shadow root so the host page's CSS cannot
 * break it. Every text from the server or the customer is inserted with textContent, never as HTML.
 *
 * Sections: 1 configuration, 2 locale texts, 3 DOM helpers, 4 the view, 5 the connection, 6 start.
 */
(() => {
  "use strict";

  // ---------------------------------------------------------------- 1. configuration
  const script = document.currentScript ||
    document.querySelector('script[src*="/widget/widget.js"]');
  if (!script || window.__polydeskWidget) return;
  window.__polydeskWidget = true;

  const scriptUrl = new URL(script.src, document.baseURI);
  const server = (script.dataset.server || scriptUrl.origin).replace(/\/+$/, "");
  const config = {
    server,
    title: script.dataset.title || "",
    color: /^#[0-9a-fA-F]{3,8}$/.test(script.dataset.color || "") ? script.dataset.color : "#c2185b",
    language: script.dataset.language || navigator.language || "en",
    storageKey: `polydesk:conversation:${server}`,
  };
  const BACKOFF_MAX_MS = 30000;
  const PING_MS = 25000;
  const TYPING_IDLE_MS = 3000;

  const baseLanguage = (code) => String(code || "en").replace("_", "-").split("-")[0].toLowerCase();

  // ---------------------------------------------------------------- 2. locale texts
  const i18n = {
    language: null,
    texts: {},
    async load(language) {
      const code = baseLanguage(language);
      if (code === this.language) return false;
      try {
        const response = await fetch(`${config.server}/widget/locales/${encodeURIComponent(code)}.json`);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        this.texts = await response.json();
        this.language = code;
        return true;
      } catch (error) {
        console.warn("polydesk widget: could not load texts for", code, error);
        return false;
      }
    },
    t(key, params = {}) {
      const template = this.texts[key] || key;
      return template.replace(/\{(\w+)\}/g, (all, name) => (name in params ? String(params[name]) : all));
    },
  };

  // ---------------------------------------------------------------- 3. DOM helpers
  /** el("button", {class: "x", type: "button"}, "text" or child nodes): never parses HTML. */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === false || value === null || value === undefined) continue;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Elements whose text follows the language: data-i18n (textContent), data-i18n-label (aria-label),
   *  data-i18n-placeholder. */
  function translate(root) {
    for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = i18n.t(node.dataset.i18n);
    for (const node of root.querySelectorAll("[data-i18n-label]")) {
      node.setAttribute("aria-label", i18n.t(node.dataset.i18nLabel));
    }
    for (const node of root.querySelectorAll("[data-i18n-placeholder]")) {
      node.setAttribute("placeholder", i18n.t(node.dataset.i18nPlaceholder));
    }
  }

  function timeOf(iso) {
    const date = iso ? new Date(iso) : new Date();
    return Number.isNaN(date.getTime()) ? "" :
      date.toLocaleTimeString(i18n.language || undefined, { hour: "2-digit", minute: "2-digit" });
  }

  // ---------------------------------------------------------------- 4. the view
  class View {
    constructor(actions) {
      this.actions = actions; // {send(text, payload), typing(active), rate(rating, comment), ticket(email, text), opened()}
      this.open = false;
      this.unread = 0;
      this.agentName = null;
      this.maxCharacters = 4000;
      this.host = el("div", { id: "polydesk-widget" });
      this.root = this.host.attachShadow({ mode: "open" });
      // hidden until its stylesheet is in, so the page never shows an unstyled bubble
      this.host.style.display = "none";
      const show = () => { this.host.style.display = ""; };
      this.root.append(el("link", {
        rel: "stylesheet", href: `${config.server}/widget/widget.css`, onload: show, onerror: show,
      }));
      this.host.style.setProperty("--pd-color", config.color);
      this.build();
      document.body.append(this.host);
    }

    build() {
      this.badge = el("span", { class: "badge", hidden: true, "aria-hidden": "true" });
      this.launcher = el("button", {
        class: "launcher", type: "button", "data-i18n-label": "widget_open",
        "aria-expanded": "false", "aria-controls": "pd-panel", onclick: () => this.toggle(),
      }, el("span", { class: "launcher-icon", "aria-hidden": "true" }), this.badge);

      this.titleNode = el("h2", { id: "pd-title", class: "title" });
      this.subtitle = el("p", { class: "subtitle", role: "status" });
      this.closeButton = el("button", {
        class: "close", type: "button", "data-i18n-label": "widget_close", onclick: () => this.toggle(false),
      }, el("span", { "aria-hidden": "true" }, "×"));
      const header = el("header", { class: "header" },
        el("div", { class: "heading" }, this.titleNode, this.subtitle), this.closeButton);

      this.log = el("div", {
        class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
        "data-i18n-label": "widget_log_label", tabindex: "0",
      });
      this.queueLine = el("p", { class: "queue", role: "status", hidden: true });
      this.typingLine = el("p", { class: "typing", role: "status", hidden: true });
      this.alert = el("p", { class: "alert", role: "alert", hidden: true });
      this.forms = el("div", { class: "forms" });

      this.input = el("textarea", {
        id: "pd-input", rows: "1", "data-i18n-placeholder": "widget_input_placeholder",
        "aria-describedby": "pd-counter", autocomplete: "off",
        oninput: () => this.onInput(), onkeydown: (event) => this.onInputKey(event),
      });
      this.counter = el("span", { id: "pd-counter", class: "counter", "aria-live": "polite" });
      this.sendButton = el("button", { class: "send", type: "submit", "data-i18n-label": "widget_send" },
        el("span", { "aria-hidden": "true", class: "send-icon" }));
      this.composer = el("form", { class: "composer", onsubmit: (event) => this.onSubmit(event) },
        el("label", { for: "pd-input", class: "visually-hidden", "data-i18n": "widget_input_label" }),
        this.input, this.sendButton, this.counter);

      this.panel = el("section", {
        id: "pd-panel", class: "panel", role: "dialog", "aria-labelledby": "pd-title", hidden: true,
        onkeydown: (event) => { if (event.key === "Escape") { event.stopPropagation(); this.toggle(false); } },
      }, header, this.log, this.queueLine, this.typingLine, this.alert, this.forms, this.composer);

      this.root.append(this.panel, this.launcher);
      this.retranslate();
    }

    retranslate() {
      translate(this.root);
      this.titleNode.textContent = config.title || i18n.t("widget_title");
      this.updateSubtitle();
      this.updateCounter();
      for (const node of this.log.querySelectorAll("[data-sender]")) {
        const label = node.querySelector(".sender");
        if (label) label.textContent = this.senderLabel(node.dataset.sender, node.dataset.agent);
      }
      this.root.host.setAttribute("lang", i18n.language || "en");
      if (this.csatForm) this.csatForm.retranslate();
    }

    toggle(force) {
      this.open = force === undefined ? !this.open : force;
      this.panel.hidden = !this.open;
      this.launcher.setAttribute("aria-expanded", String(this.open));
      this.launcher.dataset.i18nLabel = this.open ? "widget_close" : "widget_open";
      translate(this.root);
      if (this.open) {
        this.unread = 0;
        this.updateBadge();
        this.actions.opened();
        this.scrollDown();
        requestAnimationFrame(() => this.input.focus());
      } else {
        this.launcher.focus();
      }
    }

    // --- connection state and header
    setConnection(state) {
      this.connection = state; // connecting, online, reconnecting
      this.updateSubtitle();
    }

    setAgent(name) {
      this.agentName = name;
      this.updateSubtitle();
    }

    updateSubtitle() {
      if (this.connection === "connecting") this.subtitle.textContent = i18n.t("widget_connecting");
      else if (this.connection === "reconnecting") this.subtitle.textContent = i18n.t("widget_reconnecting");
      else this.subtitle.textContent = this.agentName || i18n.t("widget_assistant");
      this.panel.classList.toggle("offline", this.connection === "reconnecting");
    }

    // --- transcript
    senderLabel(sender, agentName) {
      if (sender === "customer") return i18n.t("widget_you");
      if (sender === "agent") return agentName || i18n.t("widget_assistant");
      if (sender === "system") return i18n.t("widget_notice");
      return i18n.t("widget_assistant");
    }

    /** Replaces the transcript with the server's history (after every welcome). */
    renderHistory(messages, pending) {
      this.log.setAttribute("aria-live", "off"); // screen readers should not read the whole history again
      this.log.replaceChildren();
      for (const message of messages) this.addMessage(message, { quiet: true });
      for (const item of pending) this.addPending(item.clientId, item.text);
      this.disableOldButtons();
      this.scrollDown();
      setTimeout(() => this.log.setAttribute("aria-live", "polite"), 0);
    }

    addMessage(message, { quiet = false } = {}) {
      const existing = this.log.querySelector(`[data-id="${Number(message.id)}"]`);
      if (existing) return existing;
      const node = el("div", {
        class: `message ${message.sender}`, "data-sender": message.sender, "data-id": Number(message.id),
        "data-agent": message.agent_name || null,
      },
      el("span", { class: "sender" }, this.senderLabel(message.sender, message.agent_name)),
      el("p", { class: "text" }, message.text),
      el("time", { class: "time", datetime: message.created_at || null }, timeOf(message.created_at)));
      if (Array.isArray(message.buttons) && message.buttons.length) node.append(this.buttonGroup(message.buttons));
      this.log.append(node);
      if (!quiet) {
        this.disableOldButtons();
        if (message.sender !== "customer" && !this.open) {
          this.unread += 1;
          this.updateBadge();
        }
      }
      this.scrollDown();
      return node;
    }

    buttonGroup(buttons) {
      const group = el("div", { class: "buttons", role: "group" });
      for (const button of buttons) {
        group.append(el("button", {
          type: "button", class: "quick-reply",
          onclick: () => {
            for (const other of group.querySelectorAll("button")) other.disabled = true;
            this.actions.send(button.title, button.payload || null);
          },
        }, button.title));
      }
      return group;
    }

    disableOldButtons() {
      const groups = [...this.log.querySelectorAll(".buttons")];
      const last = this.log.lastElementChild;
      for (const group of groups) {
        if (group.parentElement !== last) for (const button of group.querySelectorAll("button")) button.disabled = true;
      }
    }

    addPending(clientId, text) {
      const node = el("div", { class: "message customer pending", "data-sender": "customer", "data-client-id": clientId },
        el("span", { class: "sender" }, i18n.t("widget_you")),
        el("p", { class: "text" }, text));
      this.log.append(node);
      this.disableOldButtons();
      this.scrollDown();
    }

    /** The server stored it: the pending bubble becomes the stored message. */
    confirm(clientId, message) {
      const node = this.log.querySelector(`[data-client-id="${CSS.escape(clientId || "")}"]`);
      if (!node) { this.addMessage(message); return; }
      node.classList.remove("pending");
      node.removeAttribute("data-client-id");
      node.dataset.id = String(Number(message.id));
      node.querySelector(".text").textContent = message.text;
      node.append(el("time", { class: "time", datetime: message.created_at }, timeOf(message.created_at)));
    }

    /** The server refused it: drop the bubble and give the text back to the customer to fix or resend. */
    refuse(clientId, text) {
      const node = this.log.querySelector(`[data-client-id="${CSS.escape(clientId || "")}"]`);
      if (node) node.remove();
      if (text && !this.input.value) {
        this.input.value = text;
        this.updateCounter();
      }
    }

    addNotice(text) {
      this.log.append(el("div", { class: "message notice", "data-sender": "notice" }, el("p", { class: "text" }, text)));
      this.scrollDown();
    }

    scrollDown() {
      this.log.scrollTop = this.log.scrollHeight;
    }

    updateBadge() {
      this.badge.hidden = this.unread === 0;
      this.badge.textContent = String(this.unread);
    }

    // --- status lines
    showQueue(position, minutes) {
      this.queueLine.hidden = position === null;
      this.queueLine.textContent = position === null ? "" : i18n.t("queue_position", { position, minutes });
    }

    showTyping(sender, active) {
      this.typingLine.hidden = !active;
      this.typingLine.textContent = !active ? "" :
        sender === "agent" ? i18n.t("widget_typing_agent", { agent: this.agentName || i18n.t("sender_agent") })
          : i18n.t("widget_typing_bot");
    }

    showError(text) {
      this.alert.textContent = text;
      this.alert.hidden = !text;
      clearTimeout(this.alertTimer);
      if (text) this.alertTimer = setTimeout(() => this.showError(""), 8000);
    }

    // --- composer
    onInput() {
      this.updateCounter();
      this.actions.typing(this.input.value.trim().length > 0);
    }

    onInputKey(event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.composer.requestSubmit();
      }
    }

    onSubmit(event) {
      event.preventDefault();
      const text = this.input.value.trim();
      if (!text) return;
      if (text.length > this.maxCharacters) {
        this.showError(i18n.t("error_too_long", { limit: this.maxCharacters }));
        return;
      }
      this.input.value = "";
      this.updateCounter();
      this.actions.send(text, null);
      this.input.focus();
    }

    updateCounter() {
      const left = this.maxCharacters - this.input.value.length;
      const near = left < Math.min(200, this.maxCharacters / 5);
      this.counter.hidden = !near;
      this.counter.textContent = near ? i18n.t("widget_characters_left", { count: Math.max(left, 0) }) : "";
      this.counter.classList.toggle("over", left < 0);
    }

    // --- forms: CSAT and leave-a-message
    showCsat() {
      if (this.csatForm) return;
      this.csatForm = new CsatForm((rating, comment) => this.actions.rate(rating, comment));
      this.forms.append(this.csatForm.node);
      this.scrollDown();
      if (this.open) this.csatForm.focus();
    }

    hideCsat() {
      if (!this.csatForm) return;
      this.csatForm.node.remove();
      this.csatForm = null;
    }

    showTicketForm(reason, opens) {
      this.hideTicketForm();
      const intro = reason === "closed" ? i18n.t("closed", { opens: opens || "" }) : i18n.t("no_agents");
      const email = el("input", { id: "pd-ticket-email", type: "email", required: true, autocomplete: "email" });
      const text = el("textarea", { id: "pd-ticket-text", rows: "3", required: true });
      this.ticketForm = el("form", {
        class: "card ticket", "aria-labelledby": "pd-ticket-intro",
        onsubmit: (event) => {
          event.preventDefault();
          if (email.value.trim() && text.value.trim()) this.actions.ticket(email.value.trim(), text.value.trim());
        },
      },
      el("p", { id: "pd-ticket-intro" }, intro),
      el("label", { for: "pd-ticket-email" }, i18n.t("ticket_email_label")), email,
      el("label", { for: "pd-ticket-text" }, i18n.t("ticket_text_label")), text,
      el("button", { type: "submit", class: "primary" }, i18n.t("ticket_submit")));
      this.forms.append(this.ticketForm);
      if (this.open) email.focus();
    }

    hideTicketForm() {
      if (this.ticketForm) this.ticketForm.remove();
      this.ticketForm = null;
    }
  }

  /** 1-5 stars as a radio group (arrow keys move, Space/Enter pick) plus an optional comment. */
  class CsatForm {
    constructor(submit) {
      this.rating = 0;
      this.legend = el("legend");
      this.stars = el("div", { class: "stars" });
      this.inputs = [];
      for (let rating = 1; rating <= 5; rating += 1) {
        const input = el("input", {
          type: "radio", name: "pd-rating", value: String(rating), id: `pd-star-${rating}`, class: "visually-hidden",
          onchange: () => this.pick(rating),
        });
        const label = el("label", { for: `pd-star-${rating}`, class: "star", "data-rating": rating },
          el("span", { "aria-hidden": "true" }, "★"), el("span", { class: "visually-hidden star-label" }));
        this.inputs.push(input);
        this.stars.append(input, label);
      }
      this.commentLabel = el("label", { for: "pd-csat-comment" });
      this.comment = el("textarea", { id: "pd-csat-comment", rows: "2", maxlength: "1000" });
      this.button = el("button", { type: "submit", class: "primary", disabled: true });
      this.node = el("form", {
        class: "card csat",
        onsubmit: (event) => {
          event.preventDefault();
          if (this.rating) submit(this.rating, this.comment.value.trim() || null);
        },
      }, el("fieldset", {}, this.legend, this.stars), this.commentLabel, this.comment, this.button);
      this.retranslate();
    }

    pick(rating) {
      this.rating = rating;
      this.button.disabled = false;
      for (const label of this.stars.querySelectorAll(".star")) {
        label.classList.toggle("on", Number(label.dataset.rating) <= rating);
      }
    }

    retranslate() {
      this.legend.textContent = i18n.t("csat_question");
      for (const label of this.stars.querySelectorAll(".star-label")) {
        label.textContent = i18n.t("csat_rating_label", { rating: label.parentElement.dataset.rating });
      }
      this.commentLabel.textContent = i18n.t("csat_comment_label");
      this.button.textContent = i18n.t("csat_submit");
    }

    focus() {
      this.inputs[0].focus();
    }
  }

  // ---------------------------------------------------------------- 5. the connection
  class Connection {
    constructor(view) {
      this.view = view;
      this.socket = null;
      this.ready = false; // welcome received on the current socket
      this.attempt = 0;
      this.outbox = []; // customer messages not yet acknowledged: {clientId, text, payload, sent}
      this.typingActive = false;
      this.events = Promise.resolve(); // events are handled one after another, in arrival order
      this.conversationId = this.storedId();
    }

    storedId() {
      try { return localStorage.getItem(config.storageKey); } catch { return null; }
    }

    store(id) {
      this.conversationId = id;
      try { localStorage.setItem(config.storageKey, id); } catch { /* private mode: the chat still works */ }
    }

    connect() {
      if (this.socket) return;
      this.view.setConnection(this.attempt ? "reconnecting" : "connecting");
      const url = `${config.server.replace(/^http/, "ws")}/widget/ws`;
      const socket = new WebSocket(url);
      this.socket = socket;
      socket.addEventListener("open", () => {
        socket.send(JSON.stringify({ type: "hello", conversation_id: this.conversationId, language: config.language }));
      });
      socket.addEventListener("message", (event) => {
        let data;
        try { data = JSON.parse(event.data); } catch { return; }
        this.events = this.events.then(() => this.handle(data))
          .catch((error) => console.error("polydesk widget:", error));
      });
      socket.addEventListener("close", () => this.closed(socket));
      socket.addEventListener("error", () => socket.close());
    }

    closed(socket) {
      if (socket !== this.socket) return;
      this.socket = null;
      this.ready = false;
      clearInterval(this.pinger);
      this.view.showTyping(null, false);
      this.attempt += 1;
      this.view.setConnection("reconnecting");
      const delay = Math.min(1000 * 2 ** (this.attempt - 1), BACKOFF_MAX_MS);
      setTimeout(() => this.connect(), delay);
    }

    sendFrame(frame) {
      if (!this.ready || !this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
      this.socket.send(JSON.stringify(frame));
      return true;
    }

    // --- customer actions
    message(text, payload) {
      const clientId = `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
      const item = { clientId, text, payload, sent: false };
      this.outbox.push(item);
      this.view.addPending(clientId, text);
      this.typing(false);
      this.flush();
    }

    flush() {
      for (const item of this.outbox) {
        if (item.sent) continue;
        const frame = { type: "message", text: item.text, client_id: item.clientId };
        if (item.payload) frame.payload = item.payload;
        item.sent = this.sendFrame(frame);
      }
    }

    typing(active) {
      if (active === this.typingActive) {
        if (active) this.restartTypingTimer();
        return;
      }
      this.typingActive = active;
      this.sendFrame({ type: "typing", active });
      if (active) this.restartTypingTimer();
    }

    restartTypingTimer() {
      clearTimeout(this.typingTimer);
      this.typingTimer = setTimeout(() => this.typing(false), TYPING_IDLE_MS);
    }

    // --- gateway events
    async handle(data) {
      const view = this.view;
      switch (data.type) {
        case "welcome": {
          this.store(data.conversation_id);
          this.attempt = 0;
          this.ready = true;
          view.maxCharacters = data.max_message_characters || view.maxCharacters;
          if (data.language && await i18n.load(data.language)) view.retranslate();
          view.setConnection("online");
          view.setAgent(data.state === "agent" ? data.agent_name : null);
          if (data.state !== "queued") view.showQueue(null);
          view.renderHistory(data.history || [], this.outbox);
          if (data.csat_pending) view.showCsat(); else view.hideCsat();
          for (const item of this.outbox) item.sent = false; // unacknowledged: send again on this socket
          this.flush();
          clearInterval(this.pinger);
          this.pinger = setInterval(() => this.sendFrame({ type: "ping" }), PING_MS);
          break;
        }
        case "ack":
          this.outbox = this.outbox.filter((item) => item.clientId !== data.client_id);
          view.confirm(data.client_id, data.message);
          break;
        case "message":
          view.showTyping(null, false);
          view.addMessage(data.message);
          break;
        case "typing":
          view.showTyping(data.sender, Boolean(data.active));
          break;
        case "turn_end":
          view.showTyping(null, false);
          break;
        case "language":
          if (await i18n.load(data.language)) view.retranslate();
          break;
        case "queue":
          view.showQueue(data.position, data.expected_wait_minutes);
          break;
        case "agent_joined":
          view.showQueue(null);
          view.hideTicketForm();
          view.setAgent(data.agent_name);
          break;
        case "agent_left":
          view.setAgent(null);
          view.showTyping(null, false);
          break;
        case "leave_message":
          view.showQueue(null);
          view.showTicketForm(data.reason, data.opens);
          break;
        case "ticket_created":
          view.hideTicketForm();
          view.addNotice(i18n.t("ticket_created", { ticket_id: data.ticket_id }));
          break;
        case "csat_request":
          view.showCsat();
          break;
        case "csat_thanks":
          view.hideCsat();
          view.addNotice(i18n.t("csat_thanks"));
          break;
        case "error":
          this.error(data);
          break;
        case "pong":
          break;
        default:
          console.debug("polydesk widget: unknown event", data.type);
      }
    }

    error(data) {
      const item = this.outbox.find((entry) => entry.clientId === data.client_id);
      if (item) {
        this.outbox = this.outbox.filter((entry) => entry !== item);
        this.view.refuse(item.clientId, item.text);
      }
      this.view.showError(data.message || i18n.t(`error_${data.code}`, { limit: data.limit }));
    }
  }

  // ---------------------------------------------------------------- 6. start
  async function start() {
    await i18n.load(config.language);
    let connection = null;
    const view = new View({
      send: (text, payload) => connection.message(text, payload),
      typing: (active) => connection.typing(active),
      rate: (rating, comment) => connection.sendFrame({ type: "csat", rating, comment }),
      ticket: (email, text) => connection.sendFrame({ type: "ticket", email, text }),
      opened: () => connection.connect(),
    });
    connection = new Connection(view);
    // a returning customer reconnects at once (history, unread replies); a new one when they open the chat
    if (connection.conversationId) connection.connect();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
