"""One connection's settings, and what its errors mean."""
import mysql.connector

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
    """The MySQL driver, as the start-up log names it."""
    return f"mysql-connector-python {mysql.connector.__version__} with its C extension"


def is_transient(err):
    """True when a connector error means the database is unavailable for now."""
    return isinstance(err, mysql.connector.InterfaceError) \
        or getattr(err, "errno", None) in TRANSIENT_ERRNOS


def leaves_connection_usable(err):
    """True when the connection that raised the transient ``err`` may serve on."""
    return getattr(err, "errno", None) in CONNECTION_KEPT_ERRNOS
