"""The per-process pool: mysql.connector's MySQLConnectionPool, and what
it lacks, around it (docs/decisions/001-connection-pool.md).

A request borrows one pooled connection on its first query and gives it back
when the request ends (``teardown_appcontext``). Connections run in
autocommit mode, so a lone statement is its own transaction; several
statements that must stand or fall together go through ``transaction()``.

The driver's pool pings a connection as it lends it and reconnects one the
server dropped: one round trip per request. Around it, Database adds a
checkout that waits for a connection to be given back, connections made as
they are first needed, one checkout per request, the rollback of a
transaction left open, a pool of its own in each forked process and
transient errors as DatabaseUnavailable (503; lease.py). Statements that go
together travel together: a transaction's START TRANSACTION rides with its
first statement and ``execute_batch`` sends several in one packet
(packets.py).
"""
import collections
import functools
import logging
import os
import threading
import weakref
from contextlib import contextmanager

import mysql.connector
from flask import g
from mysql.connector.constants import ClientFlag
from mysql.connector.pooling import MySQLConnectionPool, PoolError

from .connection import DatabaseUnavailable, connect_args
from .lease import Lease, disconnect, guarded, roll_back
from .packets import run_packet

log = logging.getLogger(__name__)

POOL_NAME = "fsr_coach"


class Database:
    """This process's MySQLConnectionPool of ``DB_POOL_SIZE``, made on the
    first query, with a checkout that waits.

    A semaphore counts the connections lent out, so a request waits up to
    ``DB_POOL_TIMEOUT`` seconds for one when all are busy, then gets
    DatabaseUnavailable.
    """

    def __init__(self, config):
        # Several statements per packet (packets.py, decision 002).
        self._connect_args = {**connect_args(config),
                              "client_flags": [ClientFlag.MULTI_STATEMENTS]}
        self._size = config["DB_POOL_SIZE"]
        self._timeout = config["DB_POOL_TIMEOUT"]
        self._start_afresh()
        # gunicorn forks workers after importing the app: each process builds
        # its own pool on first use and never touches its parent's sockets.
        os.register_at_fork(
            after_in_child=functools.partial(_start_afresh_in_child, weakref.ref(self)))

    def _start_afresh(self):
        self._pool = None
        self._pool_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self._size)
        self._counts = collections.Counter()
        self._counts_lock = threading.Lock()

    def stats(self):
        """This process's pool, for /metrics: ``size``, ``in_use`` (lent out
        now), and since start ``waits`` (checkouts that found none free) and
        ``wait_timeouts`` (those that gave up: 503)."""
        with self._counts_lock:
            return {"size": self._size, "in_use": self._counts["in_use"],
                    "waits": self._counts["waits"],
                    "wait_timeouts": self._counts["wait_timeouts"]}

    def _count(self, name, step=1):
        with self._counts_lock:
            self._counts[name] += step

    def close(self):
        """Close this process's idle connections (tests, shutdown); a later
        query makes a new pool."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        while pool is not None:
            try:
                pool.get_connection().disconnect()
            except mysql.connector.Error:  # none idle is left (PoolError), or it is gone
                return

    def init_app(self, app):
        app.extensions["db"] = self
        app.teardown_appcontext(self._give_back)

    # --- queries -----------------------------------------------------------

    def execute(self, sql, params=()):
        """Run one statement; return its first row as a dict, or None."""
        rows = self._send([(sql, params)])[0]
        return rows[0] if rows else None

    def execute_all(self, sql, params=()):
        """Run one statement; return all its rows as dicts."""
        return self._send([(sql, params)])[0]

    def execute_update(self, sql, params=()):
        """Run one write statement; return the number of rows it affected."""
        return self._send([(sql, params)])[0]

    def execute_batch(self, statements):
        """Run write statements ``[(sql, params), ...]`` in one round trip;
        return the number of rows each affected.

        The first that fails raises and the rest are not run; inside
        ``transaction()`` the whole transaction then rolls back.
        """
        return self._send(statements)

    @contextmanager
    def transaction(self):
        """Run the statements of the ``with`` block as one transaction.

        They all use this request's connection; the block commits when it
        ends normally and rolls back on any exception. START TRANSACTION goes
        out with the block's first statement; a block that sent none sends
        nothing at all.
        """
        lease = self._lease()
        if lease.in_transaction:
            raise RuntimeError("transactions do not nest")
        lease.in_transaction = lease.start_pending = True
        try:
            yield self
            if not lease.start_pending:
                guarded(lease, lease.connection.commit)
        except BaseException:
            if not lease.start_pending:
                roll_back(lease)
            raise
        finally:
            lease.in_transaction = lease.start_pending = False

    def _send(self, statements):
        """The results of ``statements``, sent in one packet on this request's connection."""
        lease = self._lease()
        opens_transaction = lease.start_pending
        if opens_transaction:
            statements = [("START TRANSACTION", ()), *statements]
            lease.start_pending = False
        results = guarded(lease, run_packet, lease.connection, statements)
        return results[1:] if opens_transaction else results

    # --- checkout and return -----------------------------------------------

    def _lease(self):
        """This request's connection, borrowed from the pool on first use.

        One checkout per request: once it failed, the request's later
        queries fail at once instead of waiting for a connection again.
        """
        if "db_lease" not in g:
            if "db_checkout_failure" in g:
                raise DatabaseUnavailable(g.db_checkout_failure)
            try:
                g.db_lease = self._checkout()
            except DatabaseUnavailable as err:
                g.db_checkout_failure = str(err)
                raise
        return g.db_lease

    def _checkout(self):
        self._take_slot()
        try:
            return Lease(self._lend())
        except BaseException:
            self._given_back()
            raise

    def _take_slot(self):
        """Wait up to DB_POOL_TIMEOUT for one of the pool's connections to be free."""
        if not self._slots.acquire(blocking=False):
            self._count("waits")
            if not self._slots.acquire(timeout=self._timeout):
                self._count("wait_timeouts")
                raise DatabaseUnavailable(
                    f"no database connection free within {self._timeout:g} s")
        self._count("in_use")

    def _lend(self):
        """A pooled connection, pinged by the pool (which reconnects one the
        server dropped); a new one when none is idle.

        The caller holds a slot, so fewer than DB_POOL_SIZE are lent and the
        pool has room for one more; the lock keeps another checkout from
        taking it first.
        """
        with self._pool_lock:
            pool = self._pool or self._make_pool()
            try:
                try:
                    return pool.get_connection()
                except PoolError:  # none idle
                    pool.add_connection()
                    return pool.get_connection()
            except mysql.connector.Error as err:
                raise DatabaseUnavailable(str(err)) from err

    def _make_pool(self):
        """An empty pool (connections are made as they are first needed)."""
        pool = MySQLConnectionPool(pool_name=POOL_NAME, pool_size=self._size,
                                   pool_reset_session=False)
        pool.set_config(**self._connect_args)
        log.info("database pool: up to %d connections to %s:%s/%s", self._size,
                 self._connect_args["host"], self._connect_args["port"],
                 self._connect_args["database"])
        self._pool = pool
        return pool

    def _give_back(self, _exc=None):
        """Return the request's connection to the pool: rolled back if a
        transaction is still open (the server's status flag says so, no
        round trip); disconnected if it broke, so that the pool reconnects
        it when it next lends it."""
        lease = g.pop("db_lease", None)
        if lease is None:
            return
        try:
            if lease.connection.in_transaction:
                roll_back(lease)
            if lease.broken:
                disconnect(lease.connection)
            lease.connection.close()
        finally:
            self._given_back()

    def _given_back(self):
        self._count("in_use", -1)
        self._slots.release()



# Pools a forked child inherited from its parent. They stay referenced and
# unused: freeing one would close its connections, and closing sends QUIT on
# sockets the parent still uses.
_INHERITED_POOLS = []


def _start_afresh_in_child(database_ref):
    # A weak reference, so the fork hook does not keep a discarded app alive.
    database = database_ref()
    if database is not None:
        _INHERITED_POOLS.append(database._pool)
        database._start_afresh()
