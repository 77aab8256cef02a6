"""Real servers on free ports of 127.0.0.1: gunicorn serving the app, a
private Redis. bench/ starts its gunicorn with this module too."""
import socket
import subprocess
import sys
import time

import redis
import requests

from .app import PASSWORD, ROOT
from .wait import wait_until


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving the tree at ``root`` with its gunicorn.conf.py, on a
    free port, its log in ``log_dir``; ``env`` is the whole environment."""

    def __init__(self, env, log_dir, root=ROOT):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "BIND": f"127.0.0.1:{self.port}"}
        self.log_path = log_dir / f"gunicorn-{self.port}.log"
        self.root = root
        self.process = None

    def start(self, timeout=30):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                cwd=self.root, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()}")
            try:
                requests.get(f"{self.url}/api/auth/me", timeout=1)
                return self
            # A worker still booting on a busy machine may not answer in time.
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.05)
        raise RuntimeError(f"gunicorn did not answer: {self.log_path.read_text()}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def __enter__(self):
        return self.start()

    def __exit__(self, *_exc):
        self.stop()

    def session(self, username, password=PASSWORD):
        """A requests.Session signed in as ``username``, sending the CSRF header."""
        http = requests.Session()
        response = http.post(f"{self.url}/api/auth/login",
                             json={"username": username, "password": password}, timeout=10)
        assert response.status_code == 200, response.text
        http.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        return http


class RedisServer:
    """A private redis-server (Debian's; scripts/test.sh installs it) on a
    free port of 127.0.0.1, its files in ``directory``."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        with open(self.directory / "redis.log", "ab") as log:
            self.process = subprocess.Popen(
                ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
                 "--dir", str(self.directory), "--save", "", "--appendonly", "no"],
                stdout=log, stderr=subprocess.STDOUT)
        with redis.Redis.from_url(self.url) as client:
            wait_until(lambda: self._answers(client))
        return self

    def _answers(self, client):
        assert self.process.poll() is None, (self.directory / "redis.log").read_text()
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
