"""The processes a benchmark run starts and watches: gunicorn serving an
app, and the CPU that it, the database and everything else on this machine
use (from /proc)."""
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import mysql.connector

from fsr_coach.db import connect_args
from tests.support.servers import Gunicorn

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
# gunicorn gets the environment as it was before load_settings() added .env
# to it, less these: the server's shape is gunicorn.conf.py's defaults unless
# --workers or --threads say otherwise.
GIVEN_ENVIRONMENT = dict(os.environ)
SHAPE_SETTINGS = ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_CMD_ARGS")

class BenchServer(Gunicorn):
    """The tests' gunicorn (tests/support/servers.py) given the bench's
    settings, with what the bench measures of its processes; ``env``
    overrides settings. A peer (bench/peers/) is served from ``root``
    bench/peers, whose gunicorn.conf.py is the project's."""

    def __init__(self, settings, env, log_dir, root=ROOT):
        app_env = {name: str(value) for name, value in settings.items()}
        # No .env: the app and gunicorn.conf.py get only what is given here.
        given = {name: value for name, value in GIVEN_ENVIRONMENT.items()
                 if name not in SHAPE_SETTINGS}
        super().__init__({**given, **app_env, "PYTHON_DOTENV_DISABLED": "1", **env},
                         log_dir, root)

    def start(self, timeout=30):
        super().start(timeout)
        time.sleep(1)  # every worker booted, not only the first to answer
        return self

    def worker_pids(self):
        return [pid for pid in _pids() if _stat(pid)[1] == self.process.pid]

    def shape(self):
        out = subprocess.run(
            [sys.executable, "-c", "import runpy; c = runpy.run_path('gunicorn.conf.py');"
             " print(c['workers'], c['threads'], c['worker_class'])"],
            cwd=self.root, env=self.env, capture_output=True, text=True, check=True).stdout.split()
        return {"workers": int(out[0]), "threads": int(out[1]), "worker_class": out[2],
                "db_pool_size": int(self.env["DB_POOL_SIZE"])}

    def cpu_seconds(self):
        return sum(_cpu_seconds(pid) for pid in [self.process.pid, *self.worker_pids()])

    def worker_rss_mb(self):
        return [_rss_mb(pid) for pid in self.worker_pids()]


def database_cpu_seconds():
    """CPU used so far by a database server on this machine, or None (elsewhere)."""
    for pid in _pids():
        if _stat(pid)[0] in ("mariadbd", "mysqld"):
            return _cpu_seconds(pid)
    return None


def machine_busy_seconds():
    """CPU seconds all cores spent busy since boot (/proc/stat)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / TICKS  # less idle and iowait


def children_cpu_seconds():
    """CPU of this process's finished children (wrk)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pids():
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _stat(pid):
    """(command name, parent pid, user+system CPU ticks) of a process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ("", 0, 0)
    name = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return (name, int(fields[1]), int(fields[11]) + int(fields[12]))


def _cpu_seconds(pid):
    return _stat(pid)[2] / TICKS


def _rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def drop_database(settings):
    with mysql.connector.connect(**connect_args(settings, database=False)) as cnx:
        cnx.cursor().execute(f"DROP DATABASE IF EXISTS `{settings['DB_NAME']}`")

