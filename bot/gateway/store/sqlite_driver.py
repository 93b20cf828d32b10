"""SQLAlchemy's aiosqlite adapter with one thread hop per statement instead of three or four.

aiosqlite runs every sqlite3 call on the connection's own thread; each call is a round trip through a
queue and back through the event loop (about 0.1 ms here, more when the cores are busy). SQLAlchemy 1.4's
adapter makes four of them per query (cursor, execute, fetchall, close) and three per INSERT or UPDATE,
most of a customer turn's cost in the gateway. Here a statement is aiosqlite's `execute` (cursor and
execute in one call) plus `fetchall` when it returns rows; the cursor's description, row count and last
row id are attributes read without a hop, and a drained sqlite3 cursor holds nothing, so it is not closed
explicitly (the adapter's own `close()` only clears the fetched rows). Everything else is SQLAlchemy's.
"""

from __future__ import annotations

from typing import Any, Optional

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)


class _Cursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: str, parameters: Optional[Any] = None) -> None:
        try:
            cursor = self.await_(self._connection.execute(operation, parameters))
            if cursor.description:
                self.description = cursor.description
                self.lastrowid = self.rowcount = -1
                self._rows = list(self.await_(cursor.fetchall()))
            else:
                self.description = None
                self.lastrowid = cursor.lastrowid
                self.rowcount = cursor.rowcount
        except Exception as error:
            self._adapt_connection._handle_exception(error)


class _Connection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> Any:
        return super().cursor(server_side) if server_side else _Cursor(self)


class _DBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *args: Any, **kwargs: Any) -> Any:
        adapted = super().connect(*args, **kwargs)
        if type(adapted) is not AsyncAdapt_aiosqlite_connection:  # the sync fallback mode: left as it is
            return adapted
        return _Connection(self, adapted._connection)


def aiosqlite_dbapi() -> Any:
    """The DBAPI module to give `create_async_engine(..., module=...)` for `sqlite+aiosqlite` URLs."""
    import sqlite3

    return _DBAPI(aiosqlite, sqlite3)
