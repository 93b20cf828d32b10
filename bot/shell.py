"""`polydesk shell`: talk to the running assistant from a terminal, seeing what it understood."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from typing import Any, Dict, Optional

from bot.settings import Settings


def send(settings: Settings, sender: str, text: str, language: Optional[str]) -> Dict[str, Any]:
    """One turn through Rasa's `polydesk` channel, the same route the gateway uses."""
    body = json.dumps(
        {"sender": sender, "message": text, "metadata": {"channel": "shell", "conversation_language": language}}
    ).encode()
    request = urllib.request.Request(
        f"{settings.rasa_url}/webhooks/polydesk/webhook", data=body,
        headers={"Content-Type": "application/json"}, method="POST",
    )
    with urllib.request.urlopen(request, timeout=settings.rasa_timeout_seconds + 20) as response:
        return json.loads(response.read())


def run_shell(settings: Settings, sender: Optional[str] = None) -> int:
    sender = sender or f"shell-{uuid.uuid4().hex[:8]}"
    language: Optional[str] = None
    print(f"Conversation {sender} with {settings.rasa_url}. Type a message; Ctrl-D or /exit ends.")
    while True:
        try:
            text = input("you> ")
        except EOFError:
            print()
            return 0
        if text.strip() in ("/exit", "/quit"):
            return 0
        try:
            answer = send(settings, sender, text, language)
        except (urllib.error.URLError, OSError) as error:
            print(f"Rasa is not answering at {settings.rasa_url} ({error}); start it with ./polydesk up")
            return 1
        parse = answer.get("parse") or {}
        language = answer.get("language") or language
        detected = parse.get("language") or {}
        intent = parse.get("intent") or {}
        print(
            f"     [{detected.get('code')} {detected.get('confidence', 0):.2f} | "
            f"{intent.get('name')} {intent.get('confidence', 0):.2f}]"
        )
        for message in answer.get("messages", []):
            if message.get("text"):
                print(f"bot> {message['text']}")
            for button in message.get("buttons") or []:
                print(f"     ( {button.get('title')} -> {button.get('payload')} )")
