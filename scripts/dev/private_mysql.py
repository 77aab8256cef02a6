"""A private MySQL/MariaDB server kept in a folder of the project.

Used where no database server is at hand (a fresh machine, CI) and by tests
that need to stop and start the database. The server runs as the current
user, listens on 127.0.0.1 and its own unix socket, and its root account has
an empty password. Its data lives in BASEDIR/data and survives stop/start.

    python scripts/dev/private_mysql.py start|stop|status --dir DIR --port N
"""

import argparse
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import mysql.connector

SEARCH_PATH = os.pathsep.join(
    [os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"]
)
# Unix socket paths longer than this do not fit in sockaddr_un.
MAX_SOCKET_PATH = 107


@dataclass(frozen=True)
class Binaries:
    server: str  # mariadbd or mysqld
    flavor: str  # "MariaDB" or "MySQL"
    install_db: str | None  # mariadb-install-db; None for MySQL, whose server initialises itself


def find_binaries() -> Binaries | None:
    """The installed server and its datadir initialiser, or None."""
    mariadbd = shutil.which("mariadbd", path=SEARCH_PATH)
    install_db = shutil.which("mariadb-install-db", path=SEARCH_PATH) or shutil.which(
        "mysql_install_db", path=SEARCH_PATH
    )
    if mariadbd:
        return Binaries(mariadbd, "MariaDB", install_db) if install_db else None
    mysqld = shutil.which("mysqld", path=SEARCH_PATH)
    if not mysqld:
        return None
    if "mariadb" in server_version(mysqld).lower():
        return Binaries(mysqld, "MariaDB", install_db) if install_db else None
    return Binaries(mysqld, "MySQL", None)


def server_version(server: str) -> str:
    return subprocess.run(
        [server, "--no-defaults", "--version"], capture_output=True, text=True, check=False
    ).stdout


def ensure_server_installed() -> Binaries:
    """The server binaries, installing Debian's mariadb-server when they are missing."""
    binaries = find_binaries()
    if binaries:
        return binaries
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise RuntimeError(
            "no MySQL/MariaDB server is installed (mariadbd or mysqld): install "
            "mariadb-server (e.g. sudo apt-get install mariadb-server) or point "
            "DB_HOST/DB_PORT in .env at a running server"
        )
    print("installing mariadb-server with apt-get ...", file=sys.stderr)
    apt_install("mariadb-server")
    binaries = find_binaries()
    if not binaries:
        raise RuntimeError("mariadb-server was installed but mariadbd was not found")
    return binaries


def apt_install(*packages: str) -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
        return
    # A fresh machine often has no package lists yet.
    subprocess.run(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL, check=True)
    subprocess.run(install, env=env, stdout=subprocess.DEVNULL, check=True)


def current_user() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name


class PrivateServer:
    """The server whose data, socket, pid file and error log are in basedir."""

    def __init__(self, basedir: Path, port: int, host: str = "127.0.0.1"):
        self.basedir = Path(basedir).resolve()
        self.port = int(port)
        self.host = host
        self.datadir = self.basedir / "data"
        self.socket = self.basedir / "mysqld.sock"
        self.pid_file = self.basedir / "mysqld.pid"
        self.error_log = self.basedir / "error.log"
        # Written last by initialize(): a datadir without it is a half-made one.
        self.initialized_marker = self.basedir / "initialized"
        self._process: subprocess.Popen | None = None
        if len(str(self.socket)) > MAX_SOCKET_PATH:
            raise ValueError(f"path too long for a unix socket: {self.socket}")

    def initialize(self) -> None:
        """Create the datadir with a root account that has an empty password; once."""
        if self.initialized_marker.exists():
            return
        binaries = ensure_server_installed()
        shutil.rmtree(self.datadir, ignore_errors=True)
        self.datadir.mkdir(parents=True)
        result = subprocess.run(
            self._initialize_command(binaries), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"initialising {self.datadir} failed:\n{result.stdout}{result.stderr}"
            )
        self.initialized_marker.write_text(f"{binaries.flavor}\n")

    def _initialize_command(self, binaries: Binaries) -> list[str]:
        common = [f"--datadir={self.datadir}", f"--user={current_user()}"]
        if binaries.install_db:
            return [
                binaries.install_db,
                "--no-defaults",  # must come first; the machine's my.cnf is not ours
                *common,
                "--auth-root-authentication-method=normal",  # root@localhost/127.0.0.1/::1, no password
                "--skip-test-db",
            ]
        # MySQL creates only root@localhost, which a TCP login from 127.0.0.1
        # does not match under --skip-name-resolve.
        init_file = self.basedir / "init-root.sql"
        init_file.write_text(
            "CREATE USER 'root'@'127.0.0.1' IDENTIFIED BY '';\n"
            "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;\n"
        )
        return [
            binaries.server,
            "--no-defaults",
            *common,
            "--initialize-insecure",
            f"--init-file={init_file}",
        ]

    def start(self, timeout: float = 60) -> None:
        """Start the server unless it runs already, and wait until root can log in."""
        if not self.is_running():
            self.initialize()
            self._spawn()
        self._wait_until_ready(timeout)

    def _spawn(self) -> None:
        binaries = ensure_server_installed()
        command = [
            binaries.server,
            "--no-defaults",
            f"--datadir={self.datadir}",
            f"--user={current_user()}",  # mariadbd refuses to run as root without it
            f"--bind-address={self.host}",
            f"--port={self.port}",
            f"--socket={self.socket}",
            f"--pid-file={self.pid_file}",
            f"--log-error={self.error_log}",
            "--skip-networking=0",
            "--skip-name-resolve",
            "--skip-log-bin",
            "--performance-schema=0",
            "--innodb-buffer-pool-size=64M",
            "--max-allowed-packet=64M",
            "--max-connections=300",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_unicode_ci",
        ]
        # Its own session, so that it outlives this script and the terminal's Ctrl-C.
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self._process and self._process.poll() is not None:
                raise RuntimeError(
                    f"the database server exited with status {self._process.returncode}; "
                    f"{self.error_log} ends with:\n{self._error_log_tail()}"
                )
            if self._accepts_login():
                return
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"the database server in {self.basedir} did not accept a login on "
                    f"{self.host}:{self.port} within {timeout}s; {self.error_log} ends with:\n"
                    f"{self._error_log_tail()}"
                )
            time.sleep(0.25)

    def _accepts_login(self) -> bool:
        """True when root can log in on host:port and the server there is this one."""
        try:
            conn = self.admin_connect(connection_timeout=2)
        except mysql.connector.Error:
            return False
        try:
            cursor = conn.cursor()
            # Another server may hold the port (ours then fails to bind and exits).
            cursor.execute("SELECT @@socket")
            return cursor.fetchone()[0] == str(self.socket)
        finally:
            conn.close()

    def _error_log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.error_log.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no error log)"

    def stop(self, timeout: float = 60) -> None:
        """Shut the server down cleanly and wait until it is gone; no-op when stopped."""
        pid = self._running_pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self._process_alive(pid):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the database server (pid {pid}) did not stop within {timeout}s")
            time.sleep(0.1)
        self._process = None

    def is_running(self) -> bool:
        return self._running_pid() is not None

    def _running_pid(self) -> int | None:
        """The pid from the pid file if that process is this datadir's server."""
        try:
            pid = int(self.pid_file.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (FileNotFoundError, ValueError):
            return None
        # A stale pid file may name a process that reused the pid.
        if f"--datadir={self.datadir}".encode() not in cmdline.split(b"\0"):
            return None
        return pid if self._process_alive(pid) else None

    def _process_alive(self, pid: int) -> bool:
        # Our own child stays a zombie until reaped; reap it rather than wait forever.
        if self._process and self._process.pid == pid:
            return self._process.poll() is None
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            return False
        state = stat.rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")

    def admin_connect(self, **options):
        """A mysql.connector connection as root over TCP."""
        settings = dict(
            host=self.host,
            port=self.port,
            user="root",
            password="",
            use_pure=False,
            connection_timeout=5,
        )
        settings.update(options)
        return mysql.connector.connect(**settings)


def start_command(server: PrivateServer) -> int:
    server.start()
    print(f"private database server running: {server.basedir} on {server.host}:{server.port}")
    return 0


def stop_command(server: PrivateServer) -> int:
    server.stop()
    print(f"private database server stopped: {server.basedir}")
    return 0


def status_command(server: PrivateServer) -> int:
    if server.is_running():
        print(f"running: {server.basedir} on {server.host}:{server.port}")
        return 0
    print(f"not running: {server.basedir}")
    return 3  # as LSB init scripts' status


COMMANDS = {"start": start_command, "stop": stop_command, "status": status_command}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run a private MySQL/MariaDB server in a folder.")
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("--dir", required=True, type=Path, help="the server's folder (data, socket, logs)")
    parser.add_argument("--port", required=True, type=int)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    server = PrivateServer(args.dir, args.port, args.host)
    try:
        return COMMANDS[args.command](server)
    except (RuntimeError, TimeoutError) as err:
        print(err, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
