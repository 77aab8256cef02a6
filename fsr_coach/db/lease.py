"""One pooled connection lent to one request, and what an error does to it:
a transient one is raised as DatabaseUnavailable (503), and one that leaves
the connection unusable marks the lease broken, so that it is disconnected
when given back and the pool reconnects it."""
import logging

import mysql.connector

from .connection import DatabaseUnavailable, is_transient, leaves_connection_usable

log = logging.getLogger(__name__)


class Lease:
    """One pooled connection lent to one request, and what the request did with it."""

    def __init__(self, connection):
        self.connection = connection  # a PooledMySQLConnection: close() gives it back
        self.broken = False  # it failed in a way that leaves it unusable
        self.in_transaction = False
        # START TRANSACTION waits to go out with the transaction's first statement.
        self.start_pending = False


def guarded(lease, call, *args):
    """call(*args), with a transient database error raised as DatabaseUnavailable;
    the lease is marked broken when the error leaves its connection unusable."""
    try:
        return call(*args)
    except mysql.connector.Error as err:
        if not is_transient(err):
            raise
        if not leaves_connection_usable(err):
            lease.broken = True
        raise DatabaseUnavailable(str(err)) from err


def roll_back(lease):
    if lease.broken:
        return  # the server rolls back a transaction whose connection died
    try:
        lease.connection.rollback()
    except mysql.connector.Error:
        log.warning("rollback failed; the connection will be replaced")
        lease.broken = True


def disconnect(connection):
    try:
        connection.disconnect()
    except mysql.connector.Error:
        pass  # already gone
