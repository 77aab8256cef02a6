"""The database layer: a per-process pool of MySQL connections.

A request borrows one pooled connection on its first query and gives it back
when the request ends (``teardown_appcontext``). Connections run in
autocommit mode, so a lone statement is its own transaction; several
statements that must stand or fall together go through ``transaction()``.
"""
import collections
import functools
import logging
import os
import threading
import weakref
from contextlib import contextmanager

import mysql.connector
from flask import current_app, g
from mysql.connector import pooling

log = logging.getLogger(__name__)

# Too-long or malformed data is an error, never silently cut or zeroed.
SQL_MODE = ("STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
            "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION")

# Errors that mean "not now" rather than "wrong": the server is down, gone,
# overloaded or gave up on a lock. The client gets a 503 and may retry.
TRANSIENT_ERRNOS = frozenset({
    1040,  # too many connections
    1053,  # server shutdown in progress
    1205,  # lock wait timeout
    1213,  # deadlock
    1927,  # MariaDB: connection was killed
    2002, 2003, 2005,  # cannot connect
    2006, 2013, 2055,  # server gone away / lost connection
    4031,  # disconnected by the server for inactivity
})


class DatabaseUnavailable(Exception):
    """The database cannot serve this request now; retrying later may work."""


def connect_args(config, database=True):
    """Connection arguments for the settings in ``config``.

    Every connection speaks utf8mb4, keeps time in UTC, uses a strict
    sql_mode and reads committed data. ``database=False`` leaves out the schema name (to create it).
    """
    args = {
        "host": config["DB_HOST"],
        "port": config["DB_PORT"],
        "user": config["DB_USER"],
        "password": config["DB_PASSWORD"],
        "charset": "utf8mb4",
        "collation": "utf8mb4_unicode_ci",
        "time_zone": "+00:00",
        "sql_mode": SQL_MODE,
        "autocommit": True,
        "use_pure": False,
        "connection_timeout": config["DB_CONNECT_TIMEOUT"],
        # Saves lock the rows they read (SELECT ... FOR UPDATE). Under READ
        # COMMITTED a missing row takes no gap lock, so concurrent first
        # saves of different cases cannot deadlock on each other's gaps.
        "init_command": "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
    }
    if database:
        args["database"] = config["DB_NAME"]
    return args


def driver_name():
    """Which protocol implementation the connector will use."""
    if mysql.connector.HAVE_CEXT:
        return "C extension"
    return "pure Python (C extension did not load: slower)"


def is_transient(err):
    """True when a connector error means the database is unavailable for now."""
    return isinstance(err, (mysql.connector.InterfaceError, mysql.connector.PoolError)) \
        or getattr(err, "errno", None) in TRANSIENT_ERRNOS


class _Lease:
    """One pooled connection lent to one request, with its cursor."""

    def __init__(self, connection):
        self.connection = connection
        self.cursor = connection.cursor(buffered=True, dictionary=True)
        self.in_transaction = False


class Database:
    """A pool of connections for one process, with a checkout that waits.

    The connector's ``MySQLConnectionPool`` fails at once when every
    connection is lent out; a semaphore in front of it makes a request wait
    up to ``DB_POOL_TIMEOUT`` seconds for one instead. The pool pings a
    connection as it lends it and reconnects one the server dropped.
    """

    def __init__(self, config):
        self._connect_args = connect_args(config)
        self._size = config["DB_POOL_SIZE"]
        self._timeout = config["DB_POOL_TIMEOUT"]
        self._forget_pool()
        # gunicorn forks workers after importing the app: each process builds
        # its own pool on first use and never touches its parent's sockets.
        os.register_at_fork(
            after_in_child=functools.partial(_forget_pool_in_child, weakref.ref(self)))

    def _forget_pool(self):
        self._pool = None
        self._slots = threading.BoundedSemaphore(self._size)
        self._pool_lock = threading.Lock()
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
        """Close this process's idle connections (tests, shutdown)."""
        with self._pool_lock:
            if self._pool is not None:
                # The connector's own way to empty a pool.
                self._pool._remove_connections()
                self._pool = None

    def init_app(self, app):
        app.extensions["db"] = self
        app.teardown_appcontext(self._give_back)

    # --- queries -----------------------------------------------------------

    def execute(self, sql, params=()):
        """Run one statement; return its first row as a dict, or None."""
        return self._run(sql, params).fetchone()

    def execute_all(self, sql, params=()):
        """Run one statement; return all its rows as dicts."""
        return self._run(sql, params).fetchall()

    def execute_update(self, sql, params=()):
        """Run one write statement; return the number of rows it affected."""
        return self._run(sql, params).rowcount

    @contextmanager
    def transaction(self):
        """Run the statements of the ``with`` block as one transaction.

        They all use this request's connection; the block commits when it
        ends normally and rolls back on any exception.
        """
        lease = self._lease()
        if lease.in_transaction:
            raise RuntimeError("transactions do not nest")
        _guarded(lease.connection.start_transaction)
        lease.in_transaction = True
        try:
            yield self
            _guarded(lease.connection.commit)
        except BaseException:
            _roll_back(lease)
            raise
        finally:
            lease.in_transaction = False

    def _run(self, sql, params):
        lease = self._lease()
        _guarded(lease.cursor.execute, sql, params)
        return lease.cursor

    # --- checkout and return -----------------------------------------------

    def _lease(self):
        """This request's connection, borrowed from the pool on first use."""
        if "db_lease" not in g:
            g.db_lease = self._checkout()
        return g.db_lease

    def _checkout(self):
        pool = self._pool or self._create_pool()
        if not self._slots.acquire(blocking=False):
            self._count("waits")
            if not self._slots.acquire(timeout=self._timeout):
                self._count("wait_timeouts")
                raise DatabaseUnavailable(
                    f"no database connection free within {self._timeout:g} s")
        self._count("in_use")
        connection = None
        try:
            connection = pool.get_connection()
            return _Lease(connection)
        except mysql.connector.Error as err:
            if connection is not None:
                connection.close()
            self._count("in_use", -1)
            self._slots.release()
            raise DatabaseUnavailable(str(err)) from err

    def _create_pool(self):
        with self._pool_lock:
            if self._pool is None:
                try:
                    self._pool = pooling.MySQLConnectionPool(
                        pool_size=self._size,
                        pool_name=f"fsr_coach_{os.getpid()}",
                        # Our connections keep no session state to reset, and
                        # a reset costs three round trips per request.
                        pool_reset_session=False,
                        **self._connect_args)
                except mysql.connector.Error as err:
                    raise DatabaseUnavailable(str(err)) from err
                log.info("database pool: %d connections to %s:%s/%s (driver: %s)",
                         self._size, self._connect_args["host"],
                         self._connect_args["port"],
                         self._connect_args["database"], driver_name())
            return self._pool

    def _give_back(self, _exc=None):
        lease = g.pop("db_lease", None)
        if lease is None:
            return
        try:
            if lease.connection.in_transaction:
                _roll_back(lease)
            lease.cursor.close()
        except mysql.connector.Error as err:
            log.warning("returning a broken connection to the pool: %s", err)
        finally:
            # Back to the pool even if broken: the next checkout's ping
            # notices and reconnects it.
            lease.connection.close()
            self._count("in_use", -1)
            self._slots.release()


def _guarded(call, *args):
    """call(*args), with a transient database error raised as DatabaseUnavailable."""
    try:
        return call(*args)
    except mysql.connector.Error as err:
        if is_transient(err):
            raise DatabaseUnavailable(str(err)) from err
        raise


# Pools a forked child inherited from its parent. They stay referenced and
# unused: freeing one would close its connections, and closing sends QUIT on
# sockets the parent still uses.
_INHERITED_POOLS = []


def _forget_pool_in_child(database_ref):
    # A weak reference, so the fork hook does not keep a discarded app alive.
    database = database_ref()
    if database is not None:
        _INHERITED_POOLS.append(database._pool)
        database._forget_pool()


def _roll_back(lease):
    try:
        lease.connection.rollback()
    except mysql.connector.Error:
        # A connection that broke mid-transaction: the server rolls back.
        log.warning("rollback failed; the connection will be replaced")


def get_db():
    """The app's Database."""
    return current_app.extensions["db"]
