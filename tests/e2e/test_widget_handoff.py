"""A Hungarian customer chats in the widget, asks for a person, an agent takes over in the console,
answers, resolves, and the customer rates the conversation: real Chromium, real gateway, Rasa as given by
the `rasa_url` fixture (a Hungarian stand-in by default)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import pytest

from tests.e2e.conftest import Gateway

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
XSS = "<img src=x onerror=alert(1)>"
ASK_FOR_HUMAN = "Szeretnék egy élő ügyintézővel beszélni"
TIMEOUT_MS = 30_000  # generous: CI machines can be loaded


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def dialogs_recorded(page: Any) -> list[str]:
    """Any alert() would mean markup from a message ran as HTML."""
    seen: list[str] = []

    def record(dialog: Any) -> None:
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return seen


def test_customer_reaches_an_agent_and_rates_the_conversation(
    new_context: Callable[..., Any], gateway: Gateway, shots: Path
) -> None:
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=TIMEOUT_MS)
    anna = gateway.add_agent("anna", ("hu", "en"), PASSWORD)
    gateway.add_agent("mikko", ("fi", "en"), PASSWORD)

    # --- the agent signs in first: a handoff needs someone online who speaks the language
    agent_context = new_context(viewport={"width": 1400, "height": 900}, locale="hu-HU")
    console = agent_context.new_page()
    console_dialogs = dialogs_recorded(console)
    console.goto(f"{gateway.url}/console")
    console.fill("#login-password", "wrong password")
    console.fill("#login-name", "anna")
    console.get_by_role("button", name="Belépés").click()
    expect(console.get_by_role("alert").filter(has_text="Hibás név vagy jelszó")).to_be_visible()
    console.fill("#login-password", PASSWORD)
    console.get_by_role("button", name="Belépés").click()
    expect(console.locator("#presence.on")).to_be_visible()
    expect(console.get_by_text("Senki sem várakozik.")).to_be_visible()

    # --- the customer opens the demo page on a phone-sized screen and chats in Hungarian
    customer_context = new_context(viewport={"width": 360, "height": 740}, locale="hu-HU")
    shop = customer_context.new_page()
    shop_dialogs = dialogs_recorded(shop)
    shop.goto(gateway.url + "/")
    expect(shop.get_by_role("heading", name="Make every room a little brighter.")).to_be_visible()
    launcher = shop.get_by_role("button", name="Csevegés megnyitása")
    launcher.click()
    chat = shop.get_by_role("dialog", name="Tulipa Home")
    expect(chat).to_be_visible()
    message_box = chat.get_by_role("textbox", name="Az Ön üzenete")
    expect(message_box).to_be_focused()
    log = chat.get_by_role("log")

    message_box.fill("Jó napot!")
    message_box.press("Enter")
    expect(log.get_by_text("A Tulipa Home asszisztense vagyok")).to_be_visible()
    # a quick reply sends its payload and shows its title as the customer's message
    chat.get_by_role("button", name="Szállítási idő").click()
    expect(log.locator(".message.customer .text").last).to_have_text("Szállítási idő")
    expect(log.get_by_text("A szállítás 2-4 munkanap")).to_be_visible()
    expect(chat.get_by_role("button", name="Szállítási idő")).to_be_disabled()

    # markup in a message is text, never HTML
    message_box.fill(XSS)
    message_box.press("Enter")
    expect(log.locator(".message.customer .text").last).to_have_text(XSS)
    expect(log.get_by_text("Elnézést, ezt nem értettem.")).to_be_visible()
    assert shop.locator("#polydesk-widget img").count() == 0

    message_box.fill(ASK_FOR_HUMAN)
    message_box.press("Enter")
    expect(log.get_by_text("Átadom egy kollégának")).to_be_visible()
    expect(chat.get_by_role("status").filter(has_text="Ön a(z) 1. a sorban")).to_be_visible()
    shop.screenshot(path=str(shots / "widget-360-queued.png"))

    # --- the agent sees the conversation in the live queue, reads the transcript, claims it
    row = console.locator(".queue-table tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text("hu")
    expect(row).to_contain_text("request_human")
    expect(row).to_contain_text("0 perc")
    console.screenshot(path=str(shots / "console-queue.png"))
    row.locator(".row-open").click()
    transcript = console.get_by_role("log", name="Átirat")
    expect(transcript.locator(".msg.customer .msg-text").filter(has_text=XSS)).to_have_count(1)
    assert console.locator(".transcript img").count() == 0
    bot_turn = transcript.locator(".msg.bot").filter(has_text="Átadom egy kollégának")
    expect(bot_turn).to_contain_text("request_human")
    expect(bot_turn).to_contain_text("97%")
    expect(bot_turn.locator(".lang")).to_have_text("hu")
    console.get_by_role("button", name="Átvétel").first.click()
    expect(console.locator(".mine-list li")).to_have_count(1)
    expect(console.get_by_text("Senki sem várakozik.")).to_be_visible()

    # the customer learns who took over
    expect(log.get_by_text("anna csatlakozott a beszélgetéshez.")).to_be_visible()
    expect(chat.locator(".subtitle")).to_have_text("anna")
    expect(chat.locator(".queue")).to_be_hidden()

    # --- real-time chat both ways, a canned reply, a private note
    console.select_option("#canned", label="Köszöntés")
    expect(console.locator("#reply")).to_have_value(re.compile(r"^Jó napot, anna vagyok"))
    console.locator("#reply").press("Enter")
    expect(log.locator(".message.agent .text")).to_have_text(re.compile(r"^Jó napot, anna vagyok"))
    expect(log.locator(".message.agent .sender")).to_have_text("anna")

    message_box.fill("Köszönöm! A TH-12345 rendelésről van szó.")
    message_box.press("Enter")
    expect(transcript.get_by_text("A TH-12345 rendelésről van szó.")).to_be_visible()
    console.fill("#reply", f"Utánanézek. {XSS}")
    console.get_by_role("button", name="Küldés").click()
    expect(log.locator(".message.agent .text").last).to_have_text(f"Utánanézek. {XSS}")
    assert shop.locator("#polydesk-widget img").count() == 0

    console.fill("#note-text", "Visszatérítést kér, TH-12345")
    console.get_by_role("button", name="Jegyzet hozzáadása").click()
    expect(console.locator(".notes")).to_contain_text("Visszatérítést kér, TH-12345")
    expect(console.get_by_role("combobox", name="Átadás neki")).to_contain_text("mikko")
    console.screenshot(path=str(shots / "console-conversation.png"))

    # --- the conversation survives a reload of the customer's page, history included
    shop.reload()
    shop.get_by_role("button", name="Csevegés megnyitása").click()
    expect(log.locator(".message.agent .text").first).to_have_text(re.compile(r"^Jó napot, anna vagyok"))
    expect(chat.locator(".subtitle")).to_have_text("anna")
    expect(log.locator(".message.customer .text").filter(has_text=XSS)).to_have_count(1)
    assert "Visszatérítést kér" not in log.inner_text()

    # --- the agent resolves; the customer rates 5 with a comment
    console.get_by_role("button", name="Lezárás").click()
    expect(log.get_by_text("anna visszaadta a beszélgetést az asszisztensnek.")).to_be_visible()
    rating = chat.get_by_role("group", name=re.compile("Mennyire volt elégedett"))
    expect(rating).to_be_visible()
    shop.screenshot(path=str(shots / "widget-360-csat.png"))
    rating.locator("label[for='pd-star-5']").click()
    expect(rating.get_by_role("radio", name="5 az 5-ből")).to_be_checked()
    chat.get_by_role("textbox", name="Megjegyzés (nem kötelező)").fill("Gyors és kedves segítség, köszönöm!")
    chat.get_by_role("button", name="Értékelés küldése").click()
    expect(log.get_by_text("Köszönjük a visszajelzését!")).to_be_visible()
    shop.screenshot(path=str(shots / "widget-360-rated.png"))

    rows = gateway.csat_rows()
    assert [(r["rating"], r["comment"], r["agent_id"], r["language"]) for r in rows] == [
        (5, "Gyors és kedves segítség, köszönöm!", anna, "hu")
    ]
    report = console.request.get(f"{gateway.url}/api/reports/csat").json()
    assert report["by_agent"] == [
        {"key": "anna", "count": 1, "average": 5.0, "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}}
    ]

    # --- the report page draws the chart
    console.get_by_role("button", name="Elégedettségi jelentés").click()
    expect(console.get_by_role("img", name="Elégedettség ügyintézőnként")).to_be_visible()
    expect(console.locator(".data-table tbody th").first).to_have_text("anna")
    console.screenshot(path=str(shots / "console-csat-report.png"))

    # Escape closes the widget and gives the focus back to the bubble
    message_box.focus()
    shop.keyboard.press("Escape")
    expect(chat).to_be_hidden()
    expect(shop.get_by_role("button", name="Csevegés megnyitása")).to_be_focused()

    assert shop_dialogs == [] and console_dialogs == []


def test_nobody_online_customer_leaves_a_message_from_another_site(
    new_context: Callable[..., Any], gateway: Gateway, other_site: str, shots: Path
) -> None:
    """The one-tag embedding on another origin (texts from data-language, not the browser's), the
    leave-a-message form when no agent is online, and the ticket in the console."""
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=TIMEOUT_MS)
    gateway.add_agent("anna", ("hu", "en"), PASSWORD)  # exists, but nobody is signed in

    customer = new_context(viewport={"width": 1280, "height": 800}, locale="en-GB").new_page()
    customer.goto(other_site)
    customer.get_by_role("button", name="Csevegés megnyitása").click()
    chat = customer.get_by_role("dialog", name="Tulipa Home")
    message_box = chat.get_by_role("textbox", name="Az Ön üzenete")

    message_box.fill("x" * 501)
    message_box.press("Enter")
    expect(chat.get_by_role("alert")).to_have_text("Az üzenete túl hosszú: legfeljebb 500 karakter lehet.")
    expect(message_box).to_have_value("x" * 501)  # nothing lost, nothing sent

    message_box.fill(ASK_FOR_HUMAN)
    message_box.press("Enter")
    expect(chat.get_by_text("Sajnos most egy kollégánk sem érhető el.")).to_be_visible()
    chat.get_by_label("Az Ön e-mail-címe").fill("kata@example.hu")
    chat.locator("form.ticket textarea").fill("Kérem, hívjanak vissza a TH-12345 miatt.")
    customer.screenshot(path=str(shots / "widget-desktop-leave-message.png"))
    chat.get_by_role("button", name="Üzenet küldése").click()
    expect(chat.get_by_text(re.compile(r"üzenetét elmentettük \(jegy: #\d+\)"))).to_be_visible()

    console = new_context(viewport={"width": 1280, "height": 800}, locale="en-GB").new_page()
    console.goto(f"{gateway.url}/console")
    console.fill("#login-name", "anna")
    console.fill("#login-password", PASSWORD)
    console.get_by_role("button", name="Sign in").click()
    console.get_by_role("button", name="Tickets").click()
    ticket = console.locator(".data-table tbody tr")
    expect(ticket).to_have_count(1)
    expect(ticket).to_contain_text("kata@example.hu")
    expect(ticket).to_contain_text("Kérem, hívjanak vissza a TH-12345 miatt.")
    expect(ticket).to_contain_text("no_agents")
    console.screenshot(path=str(shots / "console-tickets.png"))
    ticket.get_by_role("button", name=re.compile("Close ticket")).click()
    expect(console.get_by_text("No open tickets.")).to_be_visible()
