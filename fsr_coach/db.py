"""The database layer: a per-process pool of MySQL connections.

A request borrows one pooled connection on its first query and gives it back
when the request ends (``teardown_appcontext``). Connections run in
autocommit mode, so a lone statement is its own transaction; several
statements that must stand or fall together go through ``transaction()``.

Every database round trip costs a request time, so the pool makes none of
its own: no ping when it lends a connection, no reset when it takes one
back. A connection the server dropped while it sat in the pool is noticed
by the request's first statement and replaced. Statements that go together
travel together: a transaction's START TRANSACTION rides with its first
statement and ``execute_batch`` sends several in one packet.
"""
import collections
import functools
import logging
import os
import threading
import weakref
from contextlib import contextmanager

import mysql.connector
from _mysql_connector import MySQLInterfaceError
from flask import current_app, g
from mysql.connector.constants import ClientFlag
from mysql.connector.errors import get_mysql_exception

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
# Transient errors after which the connection is still good: the server gave
# up on a lock and rolled back. After any other the connection is dropped.
CONNECTION_KEPT_ERRNOS = frozenset({1205, 1213})


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
    return isinstance(err, mysql.connector.InterfaceError) \
        or getattr(err, "errno", None) in TRANSIENT_ERRNOS


class _Lease:
    """One pooled connection lent to one request, and what the request did with it."""

    def __init__(self, connection):
        self.connection = connection
        self.used = False  # a statement went out on it in this request
        self.broken = False  # it failed in a way that leaves it unusable
        self.in_transaction = False
        # START TRANSACTION waits to go out with the transaction's first statement.
        self.start_pending = False


class Database:
    """A pool of connections for one process, with a checkout that waits.

    Idle connections wait in a deque; a semaphore counts the connections
    lent out, so a request waits up to ``DB_POOL_TIMEOUT`` seconds for one
    when all ``DB_POOL_SIZE`` are busy, then gets DatabaseUnavailable.
    Connections are made as they are first needed.
    """

    def __init__(self, config):
        # Several statements per packet (execute_batch). Every value still
        # reaches SQL only through the driver's escaping (_bind).
        self._connect_args = {**connect_args(config),
                              "client_flags": [ClientFlag.MULTI_STATEMENTS]}
        self._size = config["DB_POOL_SIZE"]
        self._timeout = config["DB_POOL_TIMEOUT"]
        self._announce_lock = threading.Lock()
        self._forget_pool()
        # gunicorn forks workers after importing the app: each process builds
        # its own pool on first use and never touches its parent's sockets.
        os.register_at_fork(
            after_in_child=functools.partial(_forget_pool_in_child, weakref.ref(self)))

    def _forget_pool(self):
        self._idle = collections.deque()
        self._slots = threading.BoundedSemaphore(self._size)
        self._announced = False
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
        while True:
            try:
                _discard(self._idle.pop())
            except IndexError:
                return

    def init_app(self, app):
        app.extensions["db"] = self
        app.teardown_appcontext(self._give_back)

    # --- queries -----------------------------------------------------------

    def execute(self, sql, params=()):
        """Run one statement; return its first row as a dict, or None."""
        rows = self._send([(sql, params)], reads=True)[0]
        return rows[0] if rows else None

    def execute_all(self, sql, params=()):
        """Run one statement; return all its rows as dicts."""
        return self._send([(sql, params)], reads=True)[0]

    def execute_update(self, sql, params=()):
        """Run one write statement; return the number of rows it affected."""
        return self._send([(sql, params)], reads=False)[0]

    def execute_batch(self, statements):
        """Run write statements ``[(sql, params), ...]`` in one round trip;
        return the number of rows each affected.

        The first that fails raises and the rest are not run; inside
        ``transaction()`` the whole transaction then rolls back.
        """
        return self._send(statements, reads=False)

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
                _guarded(lease, lease.connection.commit)
        except BaseException:
            if not lease.start_pending:
                _roll_back(lease)
            raise
        finally:
            lease.in_transaction = lease.start_pending = False

    def _send(self, statements, reads):
        """The results of ``statements``, sent in one packet on this request's connection."""
        lease = self._lease()
        opens_transaction = lease.start_pending
        if opens_transaction:
            statements = [("START TRANSACTION", ()), *statements]
            lease.start_pending = False
        # Safe to send again on a new connection: a read, or a transaction
        # that died uncommitted with the old connection.
        may_retry = not lease.used and (reads or opens_transaction)
        lease.used = True
        try:
            results = _guarded(lease, _run_packet, lease.connection, statements)
        except DatabaseUnavailable:
            if not (may_retry and lease.broken):
                raise
            # The server dropped the connection while it sat in the pool.
            self._replace_connection(lease)
            results = _guarded(lease, _run_packet, lease.connection, statements)
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
        if not self._announced:
            self._announce()
        if not self._slots.acquire(blocking=False):
            self._count("waits")
            if not self._slots.acquire(timeout=self._timeout):
                self._count("wait_timeouts")
                raise DatabaseUnavailable(
                    f"no database connection free within {self._timeout:g} s")
        self._count("in_use")
        try:
            try:
                return _Lease(self._idle.pop())
            except IndexError:
                return _Lease(self._connect())
        except BaseException:
            self._given_back()
            raise

    def _connect(self):
        try:
            return mysql.connector.connect(**self._connect_args)
        except mysql.connector.Error as err:
            raise DatabaseUnavailable(str(err)) from err

    def _replace_connection(self, lease):
        _discard(lease.connection)
        lease.connection = self._connect()
        lease.broken = False

    def _announce(self):
        """Log the pool's shape, once per process."""
        with self._announce_lock:
            if self._announced:
                return
            self._announced = True
        log.info("database pool: up to %d connections to %s:%s/%s (driver: %s)",
                 self._size, self._connect_args["host"], self._connect_args["port"],
                 self._connect_args["database"], driver_name())

    def _give_back(self, _exc=None):
        """Return the request's connection: rolled back if a transaction is
        still open (the server's status flag says so, no round trip);
        dropped if it broke."""
        lease = g.pop("db_lease", None)
        if lease is None:
            return
        try:
            if lease.connection.in_transaction:
                _roll_back(lease)
            if lease.broken:
                _discard(lease.connection)
            else:
                self._idle.append(lease.connection)
        finally:
            self._given_back()

    def _given_back(self):
        self._count("in_use", -1)
        self._slots.release()


# --- sending statements ---------------------------------------------------------

def _run_packet(connection, statements):
    """Send ``statements`` [(sql, params)] in one packet; return, for each,
    its rows as dicts (a statement with a result set) or the number of rows
    it affected."""
    packet = b";\n".join(_bind(connection, sql, params) for sql, params in statements)
    header = connection.cmd_query(packet)
    results = []
    while True:
        if "columns" in header:
            names = [column[0] for column in header["columns"]]
            results.append([dict(zip(names, row)) for row in connection.get_rows()[0]])
        else:
            results.append(header["affected_rows"])
        if not _next_result(connection):
            return results
        header = (connection.fetch_eof_columns() if connection.result_set_available
                  else connection.fetch_eof_status())


def _next_result(connection):
    """Move to the packet's next result; False when there is none."""
    if not connection.more_results:
        connection.free_result()
        return False
    try:
        return connection.next_result()
    except MySQLInterfaceError as err:
        # A later statement of the packet failed: the connector leaves this
        # one error unconverted.
        raise get_mysql_exception(err.errno, msg=err.msg, sqlstate=err.sqlstate) from err


def _bind(connection, sql, params):
    """``sql`` as bytes, each ``%s`` replaced by the driver's escaped and
    quoted literal of its parameter.

    The connector's cursor does the same but then scans the bound statement
    for the client-side ``DELIMITER`` command, so a note such as "delimiter ;
    it's" came back rewritten. Only the driver's literals are placed here.
    """
    pieces = sql.encode("utf-8").split(b"%s")
    if len(pieces) != len(params) + 1:
        raise mysql.connector.ProgrammingError(
            f"{len(pieces) - 1} placeholders for {len(params)} parameters")
    try:
        literals = connection.prepare_for_mysql(tuple(params)) if params else ()
    except MySQLInterfaceError as err:
        # Escaping a string asks the connection for its character set, which
        # a connection the server has dropped cannot answer.
        raise mysql.connector.InterfaceError(msg=f"cannot bind parameters: {err}") from err
    bound = [pieces[0]]
    for literal, piece in zip(literals, pieces[1:]):
        bound += (literal, piece)
    return b"".join(bound)


def _guarded(lease, call, *args):
    """call(*args), with a transient database error raised as DatabaseUnavailable;
    the lease is marked broken when the error leaves its connection unusable."""
    try:
        return call(*args)
    except mysql.connector.Error as err:
        if not is_transient(err):
            raise
        if getattr(err, "errno", None) not in CONNECTION_KEPT_ERRNOS:
            lease.broken = True
        raise DatabaseUnavailable(str(err)) from err


def _roll_back(lease):
    if lease.broken:
        return  # the server rolls back a transaction whose connection died
    try:
        lease.connection.rollback()
    except mysql.connector.Error:
        log.warning("rollback failed; the connection will be replaced")
        lease.broken = True


def _discard(connection):
    try:
        connection.close()
    except mysql.connector.Error:
        pass  # already gone


# Idle connections a forked child inherited from its parent. They stay
# referenced and unused: freeing one would close it, and closing sends QUIT
# on a socket the parent still uses.
_INHERITED_CONNECTIONS = []


def _forget_pool_in_child(database_ref):
    # A weak reference, so the fork hook does not keep a discarded app alive.
    database = database_ref()
    if database is not None:
        _INHERITED_CONNECTIONS.append(database._idle)
        database._forget_pool()


def get_db():
    """The app's Database."""
    return current_app.extensions["db"]
