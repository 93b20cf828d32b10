"""Persistence of conversations, messages, agents, notes, tickets and CSAT (SQLAlchemy Core, async)."""
