// Tickets: messages customers left when nobody could take over (no agent online, outside hours).

import { clear, formatTime, h } from "./dom.js";
import { i18n, t } from "./i18n.js";

export class TicketsView {
  constructor(api, reportError) {
    this.api = api;
    this.reportError = reportError;
    this.tickets = [];
    this.node = h("section", { class: "panel wide", "aria-labelledby": "tickets-title" });
    this.refresh();
  }

  async refresh() {
    try {
      this.tickets = (await this.api.get("/tickets?status=open")).tickets;
    } catch (error) {
      this.reportError(error);
    }
    this.draw();
  }

  shown() {
    this.refresh();
  }

  ticketCreated(ticket) {
    this.tickets = this.tickets.filter((item) => item.id !== ticket.id);
    if (ticket.status === "open") this.tickets.push(ticket);
    this.draw();
  }

  draw() {
    const badge = document.getElementById("ticket-count");
    if (badge) {
      badge.hidden = this.tickets.length === 0;
      badge.textContent = String(this.tickets.length);
    }
    clear(this.node,
      h("h2", { id: "tickets-title" }, t("tickets")),
      this.tickets.length === 0 ? h("p", { class: "muted empty" }, t("tickets_empty")) :
        h("table", { class: "data-table" },
          h("thead", {}, h("tr", {},
            ["#", t("column_language"), t("column_reason"), t("console_ticket_email"), t("console_ticket_message"),
              t("console_ticket_created"), ""].map((label) => h("th", { scope: "col" }, label)))),
          h("tbody", {}, this.tickets.map((ticket) => h("tr", {},
            h("td", {}, String(ticket.id)),
            h("td", {}, h("span", { class: "lang" }, ticket.language || "?")),
            h("td", {}, ticket.reason || "—"),
            h("td", {}, ticket.email ? h("a", { href: `mailto:${ticket.email}` }, ticket.email) : "—"),
            h("td", { class: "ticket-text" }, ticket.text || "—"),
            h("td", {}, formatTime(ticket.created_at, i18n.language)),
            h("td", {}, h("button", {
              type: "button", class: "secondary small", "aria-label": `${t("close_ticket")} #${ticket.id}`,
              onclick: () => this.close(ticket.id),
            }, t("close_ticket"))))))));
  }

  async close(id) {
    try {
      await this.api.post(`/tickets/${id}/close`);
      this.tickets = this.tickets.filter((item) => item.id !== id);
      this.draw();
    } catch (error) {
      this.reportError(error);
    }
  }
}
