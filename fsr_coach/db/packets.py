"""Statements sent as the server reads them: the one module that uses the
driver's C extension beneath its cursors (docs/decisions/002-statement-packets.md).

The connector's cursor binds parameters and then scans the bound statement
for the client-side ``DELIMITER`` command, so a note such as "delimiter ;
it's" came back rewritten. Here each ``%s`` of the SQL text is replaced by
the driver's escaped and quoted literal of its parameter, and nothing looks
at the result again. Hence the rule: **SQL text holds ``%s`` only as a
placeholder** (a ``LIKE`` pattern or any other literal is a parameter); a
count of placeholders that does not match the parameters is refused.

Several statements may go in one packet (the connection has the
MULTI_STATEMENTS flag), answered one result after the other.
"""
from mysql.connector import InterfaceError, ProgrammingError
from mysql.connector.errors import get_mysql_exception

from ..config import ConfigError

try:
    from _mysql_connector import MySQLInterfaceError
except ImportError as err:
    raise ConfigError(
        "mysql-connector-python's C extension (_mysql_connector) did not load;"
        " FSR Coach sends its statements through it. Reinstall the pinned"
        " mysql-connector-python from requirements.txt on a platform it ships"
        f" the extension for ({err})") from err


def run_packet(connection, statements):
    """Send ``statements`` [(sql, params)] in one packet; return, for each,
    its rows as dicts (a statement with a result set) or the number of rows
    it affected."""
    packet = b";\n".join(bind(connection, sql, params) for sql, params in statements)
    header = connection.cmd_query(packet)
    results = []
    while True:
        if "columns" in header:
            names = [column[0] for column in header["columns"]]
            results.append([dict(zip(names, row, strict=True)) for row in connection.get_rows()[0]])
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


def bind(connection, sql, params):
    """``sql`` as bytes, each ``%s`` replaced by the driver's literal of its parameter."""
    pieces = sql.encode("utf-8").split(b"%s")
    if len(pieces) != len(params) + 1:
        raise ProgrammingError(f"{len(pieces) - 1} placeholders for {len(params)} parameters")
    try:
        literals = connection.prepare_for_mysql(tuple(params)) if params else ()
    except MySQLInterfaceError as err:
        # Escaping a string asks the connection for its character set, which
        # a connection the server has dropped cannot answer.
        raise InterfaceError(msg=f"cannot bind parameters: {err}") from err
    bound = [pieces[0]]
    for literal, piece in zip(literals, pieces[1:], strict=True):
        bound += (literal, piece)
    return b"".join(bound)
