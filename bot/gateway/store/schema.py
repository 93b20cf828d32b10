"""Table definitions: the one place that says what the gateway stores.

SQLAlchemy Core (not the ORM) keeps queries explicit and identical on SQLite and PostgreSQL.
Times are timezone-aware UTC; JSON payloads (buttons, parse data) are stored as text so that both
databases read them the same way.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

import sqlalchemy as sa


class UTCDateTime(sa.types.TypeDecorator):
    """Aware UTC datetimes on every database (SQLite would otherwise hand back naive ones)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use bot.gateway.store.engine.utcnow()")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", UTCDateTime(), nullable=False),
)

agents = sa.Table(
    "agents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(80), nullable=False, unique=True),
    sa.Column("languages", sa.String(200), nullable=False),  # comma-separated ISO 639-1 codes
    sa.Column("password_hash", sa.String(300), nullable=False),
    sa.Column("last_routed_at", UTCDateTime(), nullable=True),  # round-robin order
    # agent: the agent console only; operator: also the operator console (migration 3)
    sa.Column("role", sa.String(16), nullable=False, server_default="agent"),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

conversations = sa.Table(
    "conversations",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("channel", sa.String(40), nullable=False),
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("language_hint", sa.String(16), nullable=True),  # from the browser / platform
    # bot: Rasa answers; queued: waiting for an agent; agent: an agent holds it
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("handoff_reason", sa.String(40), nullable=True),
    sa.Column("intent", sa.String(80), nullable=True),
    sa.Column("complaint_topic", sa.String(80), nullable=True),
    sa.Column("summary", sa.Text, nullable=True),
    sa.Column("queued_at", UTCDateTime(), nullable=True),
    sa.Column("routed_agent_id", sa.Integer, sa.ForeignKey("agents.id"), nullable=True),
    sa.Column("assigned_agent_id", sa.Integer, sa.ForeignKey("agents.id"), nullable=True),
    sa.Column("had_agent", sa.Boolean, nullable=False, default=False),
    # who the pending CSAT request is about: an agent id, 0 for the bot, NULL when none is pending
    sa.Column("csat_pending_agent_id", sa.Integer, nullable=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
)

messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), nullable=False),
    sa.Column("sender", sa.String(16), nullable=False),  # customer, bot, agent, system
    sa.Column("agent_id", sa.Integer, sa.ForeignKey("agents.id"), nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("payload", sa.Text, nullable=True),
    sa.Column("buttons", sa.Text, nullable=True),  # JSON list
    sa.Column("custom", sa.Text, nullable=True),  # JSON object
    sa.Column("parse", sa.Text, nullable=True),  # JSON: Rasa's parse of the customer message
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("intent", sa.String(80), nullable=True),
    sa.Column("confidence", sa.Float, nullable=True),
    # customer messages: received -> answered (bot replied) / pending (bot was down) / routed (agent)
    sa.Column("status", sa.String(16), nullable=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Index("ix_messages_conversation", "conversation_id", "id"),
)

notes = sa.Table(
    "notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), nullable=False),
    sa.Column("agent_id", sa.Integer, sa.ForeignKey("agents.id"), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

tickets = sa.Table(
    "tickets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), nullable=False),
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("reason", sa.String(40), nullable=False),  # no_agents, closed
    sa.Column("email", sa.String(320), nullable=True),
    sa.Column("text", sa.Text, nullable=True),
    sa.Column("status", sa.String(16), nullable=False),  # open, closed
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

csat = sa.Table(
    "csat",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), nullable=False),
    sa.Column("agent_id", sa.Integer, sa.ForeignKey("agents.id"), nullable=True),  # NULL: bot-only
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("rating", sa.Integer, nullable=False),
    sa.Column("comment", sa.Text, nullable=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),  # sha256 of the cookie value
    sa.Column("agent_id", sa.Integer, sa.ForeignKey("agents.id"), nullable=False),
    sa.Column("expires_at", UTCDateTime(), nullable=False),
)

# --- messaging-app channels (migration 2) ---

channel_contacts = sa.Table(
    "channel_contacts",
    metadata,
    # one conversation per customer account on a platform: replies go to `address`
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), primary_key=True),
    sa.Column("channel", sa.String(40), nullable=False),
    sa.Column("address", sa.String(200), nullable=False),  # Telegram chat id, WhatsApp wa_id, Messenger PSID
    sa.Column("last_inbound_at", UTCDateTime(), nullable=True),  # WhatsApp's 24-hour window starts here
    sa.UniqueConstraint("channel", "address", name="uq_channel_contacts_address"),
)

channel_receipts = sa.Table(
    "channel_receipts",
    metadata,
    # the platform's message ids already processed: a redelivered webhook is recognised here
    sa.Column("channel", sa.String(40), primary_key=True),
    sa.Column("platform_message_id", sa.String(200), primary_key=True),
    sa.Column("received_at", UTCDateTime(), nullable=False),
)

channel_outbound = sa.Table(
    "channel_outbound",
    metadata,
    # requests to a platform's send API, kept until they succeed: sent in id order per conversation
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("channel", sa.String(40), nullable=False),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), nullable=False),
    sa.Column("request", sa.Text, nullable=False),  # JSON: {"method": ..., "body": {...}}
    sa.Column("status", sa.String(16), nullable=False),  # pending, sent, failed
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("sent_at", UTCDateTime(), nullable=True),
    sa.Index("ix_channel_outbound_pending", "channel", "status", "id"),
)

# --- operators (migration 3) ---

annotations = sa.Table(
    "annotations",
    metadata,
    # an operator's verdict on a misunderstood customer text: the right intent (and language), or dismissed.
    # Every message whose normalised text is `text_key` counts as reviewed; annotated texts also test the
    # next model (the quality gate)
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("text_key", sa.String(500), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("message_id", sa.Integer, sa.ForeignKey("messages.id"), nullable=True),
    sa.Column("action", sa.String(16), nullable=False),  # assigned, new_intent, dismissed
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("intent", sa.String(120), nullable=True),
    sa.Column("predicted_intent", sa.String(120), nullable=True),
    sa.Column("operator_id", sa.Integer, sa.ForeignKey("agents.id"), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Index("ix_annotations_text_key", "text_key"),
)

# --- handoff history (migration 4) ---

handoffs = sa.Table(
    "handoffs",
    metadata,
    # every handoff of a conversation, kept for analytics: the conversation row holds only the current one
    # and forgets it when an agent resolves the conversation
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), nullable=False),
    sa.Column("reason", sa.String(40), nullable=False),  # request_human, fallback, urgent_complaint, ...
    sa.Column("outcome", sa.String(16), nullable=False),  # queued, no_agents, closed (a ticket was opened)
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("intent", sa.String(80), nullable=True),
    sa.Column("complaint_topic", sa.String(80), nullable=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Index("ix_handoffs_conversation", "conversation_id", "id"),
)
