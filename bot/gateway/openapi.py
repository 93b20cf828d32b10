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
    # operator console (bot/gateway/operator/): the console session of an account with the operator role
    ("get", "/operator", "Operator console (redirects to /operator/)", None, None),
    ("get", "/operator/", "Operator console page (403 for agents)", None, None),
    ("get", "/operator/static/{file}", "Operator console files", None, None),
    ("get", "/operator/api/session", "The logged-in operator and CSRF token", "session", None),
    ("get", "/operator/api/inbox", "Misunderstood messages grouped, most frequent first (?language=&days=)",
     "session", None),
    ("get", "/operator/api/intents", "Intents an example can be assigned to, and the languages", "session", None),
    ("get", "/operator/api/conversations/{id}", "A conversation's transcript with NLU data", "session", None),
    (
        "post",
        "/operator/api/annotations",
        "Assign a text to an intent (written to nlu_data/), create an intent, or dismiss",
        "session",
        {"text": "string", "action": "string", "language": "string", "intent": "string", "examples": "array",
         "message_id": "integer", "predicted_intent": "string"},
    ),
    ("get", "/operator/api/annotations", "Annotations, newest first", "session", None),
    ("get", "/operator/api/content/responses", "Every response per language, missing translations", "session",
     None),
    ("put", "/operator/api/content/responses", "Replace a response's texts in a language (live, no retraining)",
     "session", {"language": "string", "key": "string", "texts": "array"}),
    ("get", "/operator/api/content/faq", "FAQ topics: questions and answers per language", "session", None),
    ("get", "/operator/api/content/examples", "Examples per intent (?language=)", "session", None),
    ("post", "/operator/api/content/examples", "Add examples or FAQ questions", "session",
     {"language": "string", "intent": "string", "texts": "array"}),
    ("delete", "/operator/api/content/examples", "Remove an example", "session",
     {"language": "string", "intent": "string", "text": "string"}),
    ("get", "/operator/api/changes", "Content change log (who, when, what)", "session", None),
    ("post", "/operator/api/retrain", "Start a retrain (202; 409 while one runs); finetunes the serving model "
     "when only examples changed, unless full", "session",
     {"languages": "array", "epochs": "integer", "full": "boolean"}),
    ("get", "/operator/api/retrain", "The running (or last) retrain: stage, epoch, time left, training path "
     "(full or incremental, and why), gate report",
     "session", None),
    ("get", "/operator/api/models", "Registered models, the serving one, deploy history", "session", None),
    ("post", "/operator/api/models/{name}/deploy", "Swap a model into Rasa (409 if the gate refused it and no "
     "override_reason); customer turns wait for the swap instead of timing out", "session",
     {"override_reason": "string"}),
    ("post", "/operator/api/models/rollback", "Serve the previous model again", "session", None),
    ("get", "/operator/api/analytics", "Conversations, containment, handoffs, fallbacks, intents, times, CSAT "
     "(?from=&to=&language=)", "session", None),
    ("post", "/operator/nlg", "Rasa's NLG endpoint: responses from nlu_data/ (?token=internal token)", "internal",
     None),
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
            for name in ("id", "language", "channel", "media_id", "name", "file")
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
