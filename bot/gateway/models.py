"""The gateway's message and conversation model, shared by channels, routing, store and console.

Plain dataclasses: channels parse their wire payloads into `InboundMessage`, the router and the store
speak `Conversation` and `Message`, and `to_json()` is the one place their wire shape is defined
(see PROTOCOL.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Optional

BOT, QUEUED, AGENT = "bot", "queued", "agent"


@dataclass(frozen=True)
class Button:
    title: str
    payload: str

    def to_json(self) -> dict[str, str]:
        return {"title": self.title, "payload": self.payload}


@dataclass(frozen=True)
class InboundMessage:
    """A customer's message as any channel hands it to the gateway, already sanitised."""

    conversation_id: str
    text: str
    payload: Optional[str] = None
    language_hint: Optional[str] = None


@dataclass(frozen=True)
class Message:
    """One stored message of a transcript."""

    id: int
    conversation_id: str
    sender: str  # customer, bot, agent, system
    text: str
    created_at: datetime
    buttons: tuple[Button, ...] = ()
    custom: Optional[dict[str, Any]] = None
    payload: Optional[str] = None
    agent_id: Optional[int] = None
    agent_name: Optional[str] = None
    language: Optional[str] = None
    intent: Optional[str] = None
    confidence: Optional[float] = None
    status: Optional[str] = None

    def to_json(self) -> dict[str, Any]:
        """The customer-facing shape (widget)."""
        return {
            "id": self.id,
            "sender": self.sender,
            "text": self.text,
            "buttons": [button.to_json() for button in self.buttons],
            "agent_name": self.agent_name,
            "created_at": self.created_at.isoformat(),
        }

    def to_transcript_json(self) -> dict[str, Any]:
        """The agent-facing shape (console): adds what the bot understood."""
        data = self.to_json()
        data.update(language=self.language, intent=self.intent, confidence=self.confidence)
        return data


@dataclass(frozen=True)
class Conversation:
    id: str
    channel: str
    state: str
    created_at: datetime
    updated_at: datetime
    language: Optional[str] = None
    language_hint: Optional[str] = None
    handoff_reason: Optional[str] = None
    intent: Optional[str] = None
    complaint_topic: Optional[str] = None
    summary: Optional[str] = None
    queued_at: Optional[datetime] = None
    routed_agent_id: Optional[int] = None
    assigned_agent_id: Optional[int] = None
    had_agent: bool = False
    csat_pending_agent_id: Optional[int] = None

    @property
    def ui_language(self) -> Optional[str]:
        """The language the customer's texts should use: the detected one, else the browser's hint."""
        return self.language or self.language_hint


@dataclass(frozen=True)
class Agent:
    id: int
    name: str
    languages: tuple[str, ...]
    last_routed_at: Optional[datetime] = None

    def to_json(self, online: bool = False) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "languages": list(self.languages), "online": online}


@dataclass(frozen=True)
class Note:
    id: int
    conversation_id: str
    agent_name: str
    text: str
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "agent_name": self.agent_name,
            "text": self.text,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class Ticket:
    id: int
    conversation_id: str
    reason: str
    status: str
    created_at: datetime
    language: Optional[str] = None
    email: Optional[str] = None
    text: Optional[str] = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "conversation_id": self.conversation_id,
            "language": self.language,
            "email": self.email,
            "text": self.text,
            "status": self.status,
            "reason": self.reason,
            "created_at": self.created_at.isoformat(),
        }


@dataclass
class BotReply:
    """What Rasa answered for one customer message."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    parse: dict[str, Any] = field(default_factory=dict)
    language: Optional[str] = None


@dataclass(frozen=True)
class Handoff:
    """One handoff of a conversation to the humans, as the history keeps it."""

    id: int
    conversation_id: str
    reason: str
    outcome: str  # queued, no_agents, closed
    created_at: datetime
    language: Optional[str] = None
    intent: Optional[str] = None
    complaint_topic: Optional[str] = None
