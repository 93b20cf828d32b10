"""The OpenAPI 3 description served at /api/openapi.json (hand-written table, checked by a test
against the app's router so that no route goes undocumented)."""

from __future__ import annotations

from typing import Any

# (method, path, summary, security: "session" | "internal" | None, request body properties)
ROUTES: list[tuple[str, str, str, str | None, dict[str, Any] | None]] = [
    ("get", "/", "Demo page (Tulipa Home) with the widget", None, None),
    ("get", "/health", "Health: database and Rasa reachability", None, None),
    ("get", "/widget/ws", "Widget WebSocket (see PROTOCOL.md)", None, None),
    ("get", "/widget/locales/{language}.json", "Widget strings in a language (English fallback)", None, None),
    ("get", "/console", "Agent console page", None, None),
    ("get", "/console/locales/{language}.json", "Console strings in a language", None, None),
    (
        "post",
        "/internal/handoffs",
        "Queue a conversation for an agent (action server)",
        "internal",
        {
            "conversation_id": "string",
            "language": "string",
            "intent": "string",
            "complaint_topic": "string",
            "summary": "string",
            "reason": "string",
        },
    ),
    (
        "post",
        "/api/auth/login",
        "Log in; sets the session cookie, returns the CSRF token",
        None,
        {"name": "string", "password": "string"},
    ),
    ("get", "/api/auth/session", "The logged-in agent and CSRF token", "session", None),
    ("post", "/api/auth/logout", "End the session", "session", None),
    ("get", "/api/openapi.json", "This document", None, None),
    ("get", "/api/queue", "Waiting conversations, oldest first", "session", None),
    ("get", "/api/conversations", "Conversations held by agents (?mine=1: yours)", "session", None),
    ("get", "/api/conversations/{id}", "Conversation, transcript with NLU data, notes", "session", None),
    ("post", "/api/conversations/{id}/claim", "Take a waiting conversation", "session", None),
    ("post", "/api/conversations/{id}/messages", "Reply to the customer", "session", {"text": "string"}),
    ("post", "/api/conversations/{id}/notes", "Add a private note", "session", {"text": "string"}),
    ("post", "/api/conversations/{id}/transfer", "Hand to another agent", "session", {"agent_id": "integer"}),
    (
        "post",
        "/api/conversations/{id}/resolve",
        "Back to the bot; asks the customer for CSAT",
        "session",
        None,
    ),
    ("get", "/api/agents", "Agents with their languages and presence", "session", None),
    ("get", "/api/canned-replies", "Canned replies for ?language=", "session", None),
    ("get", "/api/tickets", "Tickets (?status=open|closed)", "session", None),
    ("post", "/api/tickets/{id}/close", "Close a ticket", "session", None),
    ("get", "/api/reports/csat", "CSAT per agent, per language, overall", "session", None),
    ("get", "/api/console/ws", "Console WebSocket (see PROTOCOL.md)", "session", None),
    (
        "get",
        "/api/channels/{channel}/media/{media_id}",
        "A customer's file from a messaging app (proxied: platform tokens stay on the server)",
        "session",
        None,
    ),
    # messaging-app webhooks (docs/channels.md): mounted only when the channel's credentials are set;
    # authenticated by the platform's secret header / X-Hub-Signature-256, not by a session
    ("post", "/channels/telegram/webhook", "Telegram Bot API updates", None, None),
    ("get", "/channels/whatsapp/webhook", "Meta hub.challenge handshake (WhatsApp)", None, None),
    ("post", "/channels/whatsapp/webhook", "WhatsApp Cloud API notifications", None, None),
    ("get", "/channels/messenger/webhook", "Meta hub.challenge handshake (Messenger)", None, None),
    ("post", "/channels/messenger/webhook", "Messenger Page notifications", None, None),
]


def openapi_document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for method, path, summary, security, body in ROUTES:
        operation: dict[str, Any] = {
            "summary": summary,
            "responses": {"200": {"description": "OK"}},
            "security": [{"sessionCookie": [], "csrfToken": []}]
            if security == "session"
            else [{"internalToken": []}]
            if security == "internal"
            else [],
        }
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in ("id", "language", "channel", "media_id")
            if "{" + name + "}" in path
        ]
        if parameters:
            operation["parameters"] = parameters
        if body:
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {key: {"type": kind} for key, kind in body.items()},
                        }
                    }
                },
            }
        if security:
            operation["responses"]["401"] = {"description": "not authenticated"}
        paths.setdefault(path, {})[method] = operation
    return {
        "openapi": "3.0.3",
        "info": {"title": "Polydesk gateway", "version": "1", "description": "See bot/gateway/PROTOCOL.md."},
        "paths": paths,
        "components": {
            "securitySchemes": {
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "polydesk_session"},
                "csrfToken": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
                "internalToken": {"type": "http", "scheme": "bearer"},
            }
        },
    }
