"""Make sure the database account in .env works, for development and tests.

When this exits 0, DB_USER/DB_PASSWORD can log in on DB_HOST:DB_PORT and has
ALL PRIVILEGES on DB_NAME and on the tests' throw-away databases
DB_NAME_test_*, and DB_NAME exists (empty or not: tables are load_schema.py's).

If the account cannot log in, it is created through an administrator's login:
DB_ADMIN_USER/DB_ADMIN_PASSWORD, or root over the local server's unix socket.
An account that exists keeps its password, which other checkouts may use,
unless it is this checkout's own (ensure_env_file.py names it from the
checkout's path): that one takes the password in .env. If nothing answers on
a local DB_HOST:DB_PORT, a private server is started in PRIVATE_DB_DIR.
Settings come from the environment, then .env.
"""

import socket
import sys
from dataclasses import dataclass
from pathlib import Path

import mysql.connector

from ensure_env_file import checkout_account
from fsr_coach.config import ConfigError, load_tool_settings
from fsr_coach.config import load_settings as app_settings
from private_mysql import PrivateServer, ensure_server_installed

ROOT = Path(__file__).resolve().parents[2]

LOCAL_HOSTS = ("127.0.0.1", "localhost")
SYSTEM_SOCKETS = ("/run/mysqld/mysqld.sock",)
CONNECT_TIMEOUT = 5
ER_DBACCESS_DENIED = 1044


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    name: str
    user: str
    password: str
    admin_user: str
    admin_password: str
    private_dir: Path

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def test_pattern(self) -> str:
        """GRANT pattern of the tests' databases; '_' is a wildcard there, so escaped."""
        return (self.name + "_test_").replace("_", r"\_") + "%"


class SetupError(Exception):
    """A problem the user has to fix; its message says how."""


def load_settings() -> Settings:
    """The app's database settings, read as the app reads them, plus the
    administrator's login and the private server's folder."""
    try:
        app = app_settings(web=False)  # the environment, then .env
        tools = load_tool_settings()
    except ConfigError as err:
        raise SetupError(f"settings: {err}") from None
    return Settings(
        host=app["DB_HOST"],
        port=app["DB_PORT"],
        name=app["DB_NAME"],
        user=app["DB_USER"],
        password=app["DB_PASSWORD"],
        admin_user=tools["DB_ADMIN_USER"],
        admin_password=tools["DB_ADMIN_PASSWORD"],
        private_dir=ROOT / tools["PRIVATE_DB_DIR"],
    )


def server_answers(host: str, port: int) -> bool:
    """True when something on host:port sends a MySQL greeting (or refusal) packet."""
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT) as conn:
            return bool(conn.recv(4))
    except OSError:
        return False


def connect(**options):
    return mysql.connector.connect(use_pure=False, connection_timeout=CONNECT_TIMEOUT, **options)


def app_login(s: Settings):
    return connect(host=s.host, port=s.port, user=s.user, password=s.password)


def app_account_ready(s: Settings) -> bool:
    """Logs in as DB_USER and checks its privileges, creating DB_NAME on the way."""
    try:
        conn = app_login(s)
    except mysql.connector.Error:
        return False
    try:
        cursor = conn.cursor()
        cursor.execute(create_database_sql(s.name))
        # Creating and dropping one of the tests' databases is what the tests will do.
        probe = f"{s.name}_test_ensure_database"
        cursor.execute(f"CREATE DATABASE IF NOT EXISTS `{probe}`")
        cursor.execute(f"DROP DATABASE `{probe}`")
        return True
    except mysql.connector.Error as err:
        if err.errno == ER_DBACCESS_DENIED:
            return False
        raise
    finally:
        conn.close()


def create_database_sql(name: str) -> str:
    return f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"


def admin_login(s: Settings):
    """An administrator's connection to the server on DB_HOST:DB_PORT, or None."""
    try:
        return connect(host=s.host, port=s.port, user=s.admin_user, password=s.admin_password)
    except mysql.connector.Error:
        pass
    if s.host not in LOCAL_HOSTS:
        return None
    # Debian's MariaDB lets the system's root in as root over the socket only.
    for path in (s.private_dir / "mysqld.sock", *map(Path, SYSTEM_SOCKETS)):
        if not path.exists():
            continue
        try:
            conn = connect(unix_socket=str(path), user="root", password="")
        except mysql.connector.Error:
            continue
        if server_port(conn) == s.port:
            return conn
        conn.close()  # another server than the one on DB_PORT
    return None


def server_port(conn) -> int:
    cursor = conn.cursor()
    cursor.execute("SELECT @@port")
    return int(cursor.fetchone()[0])


def provision_app_account(s: Settings) -> None:
    """Create DB_USER with the .env password, its grants and DB_NAME, as an
    administrator; reset its password only when it is this checkout's own."""
    admin = admin_login(s)
    if admin is None:
        raise SetupError(
            f"database: {s.user} cannot log in on {s.address} with the DB_PASSWORD in .env "
            f"(or lacks privileges on {s.name}), and no administrator login worked to set it up. "
            f"Put an administrator's login in .env (DB_ADMIN_USER=..., DB_ADMIN_PASSWORD=...), "
            f"or the login of an account that has ALL PRIVILEGES on `{s.name}` and "
            f"`{s.test_pattern}` in DB_USER/DB_PASSWORD."
        )
    try:
        cursor = admin.cursor()
        for host in account_hosts(admin):
            account = (s.user, host)
            if not account_exists(cursor, account):
                cursor.execute("CREATE USER IF NOT EXISTS %s@%s IDENTIFIED BY %s", (*account, s.password))
            elif s.user == checkout_account(ROOT):
                # This checkout's .env was made anew: its own account takes the new password.
                cursor.execute("ALTER USER %s@%s IDENTIFIED BY %s", (*account, s.password))
            cursor.execute(f"GRANT ALL PRIVILEGES ON `{s.name}`.* TO %s@%s", account)
            cursor.execute(f"GRANT ALL PRIVILEGES ON `{s.test_pattern}`.* TO %s@%s", account)
        cursor.execute(create_database_sql(s.name))
    except mysql.connector.Error as err:
        raise SetupError(
            f"database: setting up {s.user} on {s.address} as an administrator failed: {err.msg}"
        ) from None
    finally:
        admin.close()


def account_exists(cursor, account: tuple[str, str]) -> bool:
    cursor.execute("SELECT COUNT(*) FROM mysql.user WHERE User = %s AND Host = %s", account)
    return cursor.fetchone()[0] > 0


def account_hosts(admin) -> list[str]:
    """Hosts to create the account for: local ones, and where the server sees us come from."""
    cursor = admin.cursor()
    cursor.execute("SELECT SUBSTRING_INDEX(USER(), '@', -1)")
    seen_from = cursor.fetchone()[0]
    return list(dict.fromkeys(["localhost", "127.0.0.1", seen_from]))


def server_description(s: Settings) -> str:
    """E.g. "MariaDB 10.11.19 on 127.0.0.1:3306", noting when it is the private server."""
    conn = app_login(s)
    try:
        cursor = conn.cursor()
        cursor.execute("SELECT VERSION(), @@socket")  # e.g. 10.11.19-MariaDB-0+deb12u1, 8.4.3
        version, server_socket = cursor.fetchone()
    finally:
        conn.close()
    flavor = "MariaDB" if "mariadb" in version.lower() else "MySQL"
    description = f"{flavor} {version.split('-')[0]} on {s.address}"
    if server_socket == str(PrivateServer(s.private_dir, s.port).socket):
        description += f" (private, in {relative(s.private_dir)})"
    return description


def start_private_server(s: Settings) -> str | None:
    """Start the private server on DB_PORT, installing one if needed.

    Returns the line saying so, or None when installing the server package
    started the system's own server on DB_PORT instead.
    """
    try:
        binaries = ensure_server_installed()
        if server_answers(s.host, s.port):
            return None
        PrivateServer(s.private_dir, s.port).start()
    except (RuntimeError, TimeoutError) as err:
        raise SetupError(f"database: no private server in {s.private_dir}: {err}") from None
    return f"database: private {binaries.flavor} started in {relative(s.private_dir)} on {s.address}"


def relative(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def ensure_database(s: Settings) -> str:
    """Does the work; returns the line saying which server is used."""
    started = None
    if not server_answers(s.host, s.port):
        if s.host not in LOCAL_HOSTS:
            raise SetupError(
                f"database: nothing answers on {s.address}. Start that server, or set "
                f"DB_HOST=127.0.0.1 in .env to use a private one."
            )
        started = start_private_server(s)
    if not app_account_ready(s):
        provision_app_account(s)
        if not app_account_ready(s):
            own = checkout_account(ROOT)
            raise SetupError(
                f"database: {s.user} on {s.address} still cannot log in with the DB_PASSWORD in "
                f".env and create `{s.name}`. An account that exists keeps its password unless it "
                f"is this checkout's own: put its password in .env, or use this checkout's own "
                f"(DB_USER={own} and DB_NAME={own}). Else check for conflicting accounts "
                f"(SELECT user, host FROM mysql.user)."
            )
    return started or f"database: {server_description(s)}"


def main() -> int:
    try:
        print(ensure_database(load_settings()))
    except SetupError as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
