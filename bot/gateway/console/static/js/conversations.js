// Conversations view: the live queue, the agent's own conversations, and the open conversation
// (transcript with what the bot understood, reply with canned replies, notes, transfer, resolve).

import { beep, clear, formatTime, h } from "./dom.js";
import { i18n, t } from "./i18n.js";

const TYPING_IDLE_MS = 3000;

/** Tells screen-reader users what happened without moving their focus. */
function announce(text) {
  const region = document.getElementById("console-status");
  if (region) region.textContent = text;
}

export class ConversationsView {
  constructor(api, agent, reportError) {
    this.api = api;
    this.agent = agent;
    this.reportError = reportError;
    this.socket = null;
    this.queue = [];
    this.queueReceivedAt = Date.now();
    this.mine = [];
    this.agents = [];
    this.open = null; // {conversation, messages, notes}
    this.loading = null; // {id, arrived}: messages of the conversation being fetched, from the socket
    this.cannedReplies = new Map(); // language -> replies
    this.node = h("div", { class: "conversations" });
    setInterval(() => this.tickWaiting(), 5000);
  }

  retranslate() {
    this.draw();
  }

  async shown() {
    try {
      const [mine, agents] = await Promise.all([this.api.get("/conversations?mine=1"), this.api.get("/agents")]);
      this.mine = mine.conversations;
      this.agents = agents.agents;
    } catch (error) {
      this.reportError(error);
    }
    this.draw();
  }

  // ---------------------------------------------------------------- live events
  handle(event) {
    switch (event.type) {
      case "queue":
        this.queue = event.queue;
        this.queueReceivedAt = Date.now();
        this.drawQueue();
        if (this.open && this.queue.some((item) => item.id === this.open.conversation.id)) {
          this.open.conversation = this.queue.find((item) => item.id === this.open.conversation.id);
          this.drawDetails();
        }
        break;
      case "conversation_message":
        if (this.loading?.id === event.conversation_id) this.loading.arrived.push(event.message);
        if (this.open?.conversation.id === event.conversation_id) {
          this.open.messages.push(event.message);
          this.transcript?.append(this.messageNode(event.message));
          this.scrollTranscript();
          if (event.message.sender === "customer") this.showCustomerTyping(false);
        }
        break;
      case "conversation_updated":
        this.conversationUpdated(event.conversation);
        break;
      case "customer_typing":
        if (this.open?.conversation.id === event.conversation_id) this.showCustomerTyping(event.active);
        break;
      case "routed":
        beep();
        announce(t("routed_to_you"));
        this.drawQueue();
        break;
      case "agents":
        this.agents = event.agents;
        this.drawDetails();
        break;
      default:
        break;
    }
  }

  conversationUpdated(conversation) {
    this.mine = this.mine.filter((item) => item.id !== conversation.id);
    if (conversation.state === "agent" && conversation.assigned_agent_id === this.agent.id) this.mine.push(conversation);
    this.drawMine();
    if (this.open?.conversation.id === conversation.id) {
      this.open.conversation = conversation;
      this.drawDetails();
      this.drawComposer();
    }
  }

  // ---------------------------------------------------------------- layout
  draw() {
    this.queueSection = h("section", { class: "panel queue-panel", "aria-labelledby": "queue-title" });
    this.mineSection = h("section", { class: "panel mine-panel", "aria-labelledby": "mine-title" });
    this.chat = h("section", { class: "panel chat", "aria-labelledby": "chat-title" });
    this.details = h("aside", { class: "panel details", "aria-label": t("transcript") });
    clear(this.node,
      h("div", { class: "lists" }, this.queueSection, this.mineSection),
      this.chat, this.details);
    this.drawQueue();
    this.drawMine();
    this.drawChat();
  }

  drawQueue() {
    if (!this.queueSection) return;
    const rows = this.queue.map((item) => this.queueRow(item));
    clear(this.queueSection,
      h("h2", { id: "queue-title" }, t("queue_title"), " ", h("span", { class: "count" }, String(this.queue.length))),
      rows.length === 0 ? h("p", { class: "muted empty" }, t("queue_empty")) :
        h("table", { class: "queue-table" },
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, t("column_language")),
            h("th", { scope: "col" }, t("column_intent")),
            h("th", { scope: "col" }, t("column_topic")),
            h("th", { scope: "col" }, t("column_waiting")),
            h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("claim"))))),
          h("tbody", {}, rows)));
  }

  queueRow(item) {
    const routedToMe = item.routed_agent_id === this.agent.id;
    const open = () => this.openConversation(item.id);
    return h("tr", { class: routedToMe ? "routed" : null, dataset: { id: item.id } },
      h("td", {}, h("span", { class: "lang" }, item.language || "?")),
      h("td", {},
        h("button", { type: "button", class: "link row-open", onclick: open }, item.intent || item.handoff_reason || "—"),
        routedToMe ? h("span", { class: "tag" }, t("routed_to_you")) : null,
        item.summary ? h("span", { class: "summary" }, item.summary) : null),
      h("td", {}, item.complaint_topic || "—"),
      h("td", { class: "waiting", dataset: { seconds: item.waiting_seconds ?? 0 } }, this.waitingText(item.waiting_seconds)),
      h("td", {}, h("button", {
        type: "button", class: "primary small", "aria-label": `${t("claim")}: ${item.language || ""} ${item.intent || ""}`,
        onclick: () => this.claim(item.id),
      }, t("claim"))));
  }

  waitingText(seconds) {
    return t("waiting_minutes", { minutes: Math.floor(Math.max(seconds || 0, 0) / 60) });
  }

  tickWaiting() {
    const elapsed = (Date.now() - this.queueReceivedAt) / 1000;
    for (const cell of this.node.querySelectorAll("td.waiting")) {
      cell.textContent = this.waitingText(Number(cell.dataset.seconds) + elapsed);
    }
  }

  drawMine() {
    if (!this.mineSection) return;
    clear(this.mineSection,
      h("h2", { id: "mine-title" }, t("my_conversations")),
      this.mine.length === 0 ? h("p", { class: "muted empty" }, t("console_mine_empty")) :
        h("ul", { class: "mine-list" }, this.mine.map((item) => h("li", {},
          h("button", {
            type: "button", class: "mine-item", "aria-current": this.open?.conversation.id === item.id ? "true" : null,
            onclick: () => this.openConversation(item.id),
          },
          h("span", { class: "lang" }, item.language || "?"),
          h("span", { class: "mine-text" }, item.summary || item.last_message?.text || item.intent || item.id))))));
  }

  // ---------------------------------------------------------------- one conversation
  async openConversation(id) {
    const loading = { id, arrived: [] };
    this.loading = loading;
    try {
      const data = await this.api.get(`/conversations/${encodeURIComponent(id)}`);
      if (this.loading !== loading) return; // the agent opened another one meanwhile
      // A message the socket delivered while this was loading (a customer writing just as the agent
      // claims) may be missing from the answer: keep it rather than lose it from the transcript.
      const reopened = this.open?.conversation.id === id;
      const shown = reopened ? this.open.messages : [];
      const messages = [...data.messages];
      const known = new Set(messages.map((message) => message.id));
      for (const message of [...shown, ...loading.arrived]) {
        if (!known.has(message.id)) {
          known.add(message.id);
          messages.push(message);
        }
      }
      messages.sort((a, b) => a.id - b.id);
      // nor may redrawing it (after a claim) wipe what the agent has started to type
      const draft = reopened ? this.reply?.value || "" : "";
      this.open = { conversation: data.conversation, messages, notes: data.notes };
      this.drawChat();
      this.drawMine();
      if (draft && this.reply && !this.reply.value) this.reply.value = draft;
      this.reply?.focus();
    } catch (error) {
      this.reportError(error);
    } finally {
      if (this.loading === loading) this.loading = null;
    }
  }

  async claim(id) {
    try {
      const data = await this.api.post(`/conversations/${encodeURIComponent(id)}/claim`);
      this.conversationUpdated(data.conversation);
      await this.openConversation(id);
    } catch (error) {
      this.reportError(error);
    }
  }

  holding() {
    const conversation = this.open?.conversation;
    return Boolean(conversation && conversation.state === "agent" && conversation.assigned_agent_id === this.agent.id);
  }

  drawChat() {
    if (!this.chat) return;
    if (!this.open) {
      clear(this.chat, h("h2", { id: "chat-title", class: "visually-hidden" }, t("transcript")),
        h("p", { class: "muted empty placeholder" }, t("console_select_conversation")));
      clear(this.details);
      return;
    }
    this.transcript = h("ol", {
      class: "transcript", role: "log", "aria-live": "polite", "aria-label": t("transcript"), tabindex: "0",
    }, this.open.messages.map((message) => this.messageNode(message)));
    this.typingLine = h("p", { class: "typing", role: "status", hidden: true });
    this.composer = h("div", { class: "composer-area" });
    clear(this.chat,
      h("h2", { id: "chat-title" }, t("transcript"), " ",
        h("span", { class: "lang" }, this.open.conversation.language || "?"),
        h("span", { class: "muted conv-id" }, ` ${this.open.conversation.channel} · ${this.open.conversation.id.slice(0, 8)}`)),
      this.transcript, this.typingLine, this.composer);
    this.drawComposer();
    this.drawDetails();
    this.scrollTranscript();
  }

  senderLabel(message) {
    if (message.sender === "agent") return message.agent_name || t("sender_agent");
    return t(`sender_${message.sender}`);
  }

  messageNode(message) {
    const understood = [];
    if (message.language) understood.push(h("span", { class: "lang", title: t("column_language") }, message.language));
    if (message.intent && message.sender !== "agent") {
      understood.push(h("span", { class: "intent", title: t("column_intent") }, message.intent));
    }
    if (typeof message.confidence === "number" && message.sender !== "agent") {
      const percent = Math.round(message.confidence * 100);
      understood.push(h("span", { class: `confidence ${percent < 50 ? "low" : ""}`, title: t("confidence") },
        `${t("confidence")} ${percent}%`));
    }
    return h("li", { class: `msg ${message.sender}`, dataset: { id: message.id } },
      h("div", { class: "msg-head" },
        h("span", { class: "who" }, this.senderLabel(message)),
        h("time", { datetime: message.created_at }, formatTime(message.created_at, i18n.language)),
        understood),
      h("p", { class: "msg-text" }, message.text),
      message.buttons?.length ? h("p", { class: "msg-buttons" },
        message.buttons.map((button) => h("span", { class: "chip" }, button.title))) : null);
  }

  scrollTranscript() {
    if (this.transcript) this.transcript.scrollTop = this.transcript.scrollHeight;
  }

  showCustomerTyping(active) {
    if (!this.typingLine) return;
    this.typingLine.hidden = !active;
    this.typingLine.textContent = active ? t("customer_typing") : "";
  }

  drawComposer() {
    if (!this.composer || !this.open) return;
    const conversation = this.open.conversation;
    // An update to the open conversation (a claim echoed over the socket, a language change) must not
    // wipe what the agent is typing: rebuild only when what the composer offers changes.
    const key = [conversation.id, this.holding(), conversation.state, conversation.language].join("|");
    if (this.composer.isConnected && this.composerKey === key && this.composer.firstChild) return;
    this.composerKey = key;
    if (!this.holding()) {
      const claimable = conversation.state === "queued";
      clear(this.composer, h("p", { class: "muted" },
        conversation.state === "agent" && conversation.assigned_agent_name
          ? t("console_claimed_by", { agent: conversation.assigned_agent_name })
          : claimable ? "" : t("console_resolved")),
      claimable ? h("button", { type: "button", class: "primary", onclick: () => this.claim(conversation.id) }, t("claim")) : null);
      this.reply = null;
      return;
    }
    const id = conversation.id;
    this.reply = h("textarea", {
      id: "reply", rows: "3", placeholder: t("reply_placeholder"),
      oninput: () => this.agentTyping(id, this.reply.value.trim().length > 0),
      onkeydown: (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          form.requestSubmit();
        }
      },
    });
    const canned = h("select", { id: "canned", onchange: () => this.useCanned(canned) },
      h("option", { value: "" }, `${t("canned_replies")}…`));
    this.loadCanned(conversation.language, canned);
    const form = h("form", {
      class: "composer",
      onsubmit: async (event) => {
        event.preventDefault();
        const text = this.reply.value.trim();
        if (!text) return;
        try {
          await this.api.post(`/conversations/${encodeURIComponent(id)}/messages`, { text });
          this.reply.value = "";
          this.agentTyping(id, false);
        } catch (error) {
          this.reportError(error);
        }
        this.reply.focus();
      },
    },
    h("label", { for: "reply", class: "visually-hidden" }, t("reply_placeholder")),
    this.reply,
    h("div", { class: "composer-tools" },
      h("label", { for: "canned", class: "visually-hidden" }, t("canned_replies")), canned,
      h("button", { type: "submit", class: "primary" }, t("send"))));
    clear(this.composer, form);
  }

  async loadCanned(language, select) {
    const code = language || "en";
    try {
      if (!this.cannedReplies.has(code)) {
        const data = await this.api.get(`/canned-replies?language=${encodeURIComponent(code)}`);
        this.cannedReplies.set(code, data.replies);
      }
      for (const reply of this.cannedReplies.get(code)) {
        select.append(h("option", { value: reply.id }, reply.title));
      }
    } catch (error) {
      this.reportError(error);
    }
  }

  useCanned(select) {
    const replies = this.cannedReplies.get(this.open.conversation.language || "en") || [];
    const reply = replies.find((item) => item.id === select.value);
    select.value = "";
    if (!reply || !this.reply) return;
    this.reply.value = reply.text.replace(/\{agent\}/g, this.agent.name);
    this.reply.focus();
  }

  agentTyping(conversationId, active) {
    if (active !== this.typingSent) {
      this.typingSent = active;
      this.socket?.send({ type: "typing", conversation_id: conversationId, active });
    }
    clearTimeout(this.typingTimer);
    if (active) this.typingTimer = setTimeout(() => this.agentTyping(conversationId, false), TYPING_IDLE_MS);
  }

  // ---------------------------------------------------------------- right column
  drawDetails() {
    if (!this.details || !this.open) return;
    const conversation = this.open.conversation;
    const facts = [
      ["column_language", conversation.language],
      ["column_intent", conversation.intent],
      ["column_topic", conversation.complaint_topic],
      ["column_reason", conversation.handoff_reason],
      ["console_summary", conversation.summary],
    ];
    const sections = [
      h("dl", { class: "facts" }, facts.map(([key, value]) => h("div", {},
        h("dt", {}, t(key)), h("dd", {}, value || "—")))),
    ];
    if (this.holding()) sections.push(this.transferForm(), this.resolveButton());
    sections.push(this.notesSection());
    clear(this.details, sections);
  }

  transferForm() {
    const others = this.agents.filter((agent) => agent.id !== this.agent.id);
    const select = h("select", { id: "transfer-to" }, others.map((agent) =>
      h("option", { value: agent.id },
        `${agent.name} (${agent.languages.join(", ")}) · ${agent.online ? t("online") : t("offline")}`)));
    return h("form", {
      class: "tool",
      onsubmit: async (event) => {
        event.preventDefault();
        if (!select.value) return;
        try {
          const data = await this.api.post(
            `/conversations/${encodeURIComponent(this.open.conversation.id)}/transfer`, { agent_id: Number(select.value) });
          this.conversationUpdated(data.conversation);
        } catch (error) {
          this.reportError(error);
        }
      },
    },
    h("label", { for: "transfer-to" }, t("transfer_to")),
    select,
    h("button", { type: "submit", class: "secondary", disabled: others.length === 0 }, t("transfer")));
  }

  resolveButton() {
    return h("button", {
      type: "button", class: "resolve",
      onclick: async () => {
        try {
          const data = await this.api.post(`/conversations/${encodeURIComponent(this.open.conversation.id)}/resolve`);
          this.conversationUpdated(data.conversation);
        } catch (error) {
          this.reportError(error);
        }
      },
    }, t("resolve"));
  }

  notesSection() {
    const list = h("ul", { class: "notes" }, this.open.notes.map((note) => this.noteNode(note)));
    const text = h("textarea", { id: "note-text", rows: "2" });
    return h("section", { class: "tool", "aria-labelledby": "notes-title" },
      h("h3", { id: "notes-title" }, t("notes")),
      this.open.notes.length ? list : h("p", { class: "muted" }, t("console_no_notes")),
      h("form", {
        onsubmit: async (event) => {
          event.preventDefault();
          if (!text.value.trim()) return;
          try {
            const data = await this.api.post(
              `/conversations/${encodeURIComponent(this.open.conversation.id)}/notes`, { text: text.value.trim() });
            this.open.notes.push(data.note);
            this.drawDetails();
            document.getElementById("note-text")?.focus();
          } catch (error) {
            this.reportError(error);
          }
        },
      },
      h("label", { for: "note-text", class: "visually-hidden" }, t("notes")), text,
      h("button", { type: "submit", class: "secondary" }, t("add_note"))));
  }

  noteNode(note) {
    return h("li", {},
      h("div", { class: "msg-head" }, h("span", { class: "who" }, note.agent_name),
        h("time", { datetime: note.created_at }, formatTime(note.created_at, i18n.language))),
      h("p", { class: "msg-text" }, note.text));
  }
}
