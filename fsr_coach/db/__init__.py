"""The database layer: a per-process pool of MySQL connections (pool.py),
the connection one request holds (lease.py), the settings and errors of a
connection (connection.py), how statements travel (packets.py) and the SQL
structure built from counts (sql.py)."""
from flask import current_app

from .connection import DatabaseUnavailable, connect_args, driver_name
from .pool import Database
from .sql import in_list, values_list

__all__ = ["Database", "DatabaseUnavailable", "connect_args", "driver_name", "get_db",
           "in_list", "values_list"]


def get_db():
    """The app's Database."""
    return current_app.extensions["db"]
