"""Builds the async engine from the settings: SQLite under var/ by default, PostgreSQL via DATABASE_URL."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

from bot.gateway.store.sqlite_driver import aiosqlite_dbapi
from bot.settings import Settings


def utcnow() -> datetime:
    """The store's clock: aware UTC, second precision is not assumed anywhere."""
    return datetime.now(timezone.utc)


def async_database_url(settings: Settings) -> str:
    """Maps the deployer's URL (`postgresql://`, `sqlite:///`) to the async driver SQLAlchemy needs."""
    url = settings.database_url
    if not url:
        return f"sqlite+aiosqlite:///{settings.var_dir / 'polydesk.db'}"
    for prefix in ("postgresql+psycopg2://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite:"):
        return "sqlite+aiosqlite:" + url[len("sqlite:") :]
    return url


def create_engine(settings: Settings) -> AsyncEngine:
    """One engine per process; SQLite gets WAL and a busy timeout so readers never block the writer."""
    url = async_database_url(settings)
    if url.startswith("sqlite"):
        if ":memory:" not in url:
            settings.var_dir.mkdir(parents=True, exist_ok=True)
        # SQLAlchemy 1.4 gives file SQLite a NullPool: a new aiosqlite thread and connection (and the pragmas
        # below) for every query, which cost about 35 ms a customer turn. Connections are kept instead.
        pooled = {} if ":memory:" in url else {"poolclass": AsyncAdaptedQueuePool, "pool_size": 5, "max_overflow": 10}
        # The pool's reset is a ROLLBACK on every return, a thread hop of aiosqlite's even after a COMMIT;
        # `_rollback_if_open` below rolls back only what is still open (a failure mid-transaction).
        engine = create_async_engine(
            url, module=aiosqlite_dbapi(), connect_args={"timeout": 15}, pool_reset_on_return=None, **pooled
        )

        @event.listens_for(engine.sync_engine.pool, "reset")
        def _rollback_if_open(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            if dbapi_connection.driver_connection.in_transaction:  # sqlite3's own flag: no I/O to ask
                dbapi_connection.rollback()

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, far fewer fsyncs
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
