"""A bounded pool of database connections shared by a process's threads.

A web app answers on whatever worker thread its server picks, and those threads come and go: one
connection per thread would open a new one for every new thread and keep the old ones open (a replica
ran PostgreSQL out of connections within minutes). Here a statement borrows an idle connection and gives
it back at once; a thread that needs one connection for a while (a transaction, a snapshot, a session
lock) pins one, and every statement it runs meanwhile goes there. At most `max_size` are open; a thread
waits for one beyond that.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator


class Rows:
    """A statement's rows, read before its connection went back to the pool."""

    def __init__(self, rows: list, rowcount: int):
        self.rows = rows
        self.rowcount = rowcount

    def fetchall(self) -> list:
        return self.rows

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def __iter__(self):
        return iter(self.rows)


def run(connection, sql: str, params) -> Rows:
    cursor = connection.execute(sql, params)
    return Rows(cursor.fetchall() if cursor.description else [], cursor.rowcount)


class ConnectionPool:
    """`connect()` makes a connection; `usable(conn)` says whether one given back may serve again (else it
    is closed)."""

    def __init__(self, connect: Callable[[], Any], usable: Callable[[Any], bool], max_size: int):
        self._connect = connect
        self._usable = usable
        self.max_size = max_size
        self._idle: list = []
        self._open = 0
        self._closed = False
        self._slots = threading.Condition()
        self._local = threading.local()

    @property
    def pinned_here(self):
        """The connection this thread pinned, if any."""
        return getattr(self._local, "connection", None)

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """This thread's pinned connection, else an idle one for the block."""
        pinned = self.pinned_here
        if pinned is not None:
            yield pinned
            return
        connection = self._borrow()
        try:
            yield connection
        finally:
            self._give_back(connection)

    @contextmanager
    def pinned(self) -> Iterator[Any]:
        """One connection for every statement this thread runs in the block (nested blocks share it)."""
        pinned = self.pinned_here
        if pinned is not None:
            yield pinned
            return
        connection = self._borrow()
        self._local.connection = connection
        try:
            yield connection
        finally:
            self._local.connection = None
            self._give_back(connection)

    def _borrow(self):
        with self._slots:
            while not self._idle and self._open >= self.max_size:
                self._slots.wait()
            if self._idle:
                return self._idle.pop()
            self._open += 1
        try:
            return self._connect()
        except BaseException:
            with self._slots:
                self._open -= 1
                self._slots.notify()
            raise

    def _give_back(self, connection) -> None:
        keep = not self._closed and _safely(self._usable, connection)
        if not keep:
            _close(connection)
        with self._slots:
            if keep:
                self._idle.append(connection)
            else:
                self._open -= 1
            self._slots.notify()

    def close(self) -> None:
        """Close the idle connections; those in use are closed when given back."""
        with self._slots:
            self._closed = True
            idle, self._idle = self._idle, []
            self._open -= len(idle)
            self._slots.notify_all()
        for connection in idle:
            _close(connection)

    @property
    def open(self) -> int:
        return self._open


def _safely(check: Callable[[Any], bool], connection) -> bool:
    try:
        return check(connection)
    except Exception:  # noqa: BLE001 - a connection that cannot say is not reused
        return False


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - closing a broken connection may fail; it is dropped either way
        pass
