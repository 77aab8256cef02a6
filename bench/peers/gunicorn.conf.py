"""gunicorn settings for FSR Coach: `gunicorn -c gunicorn.conf.py wsgi:app`.

Each setting can be changed from the environment (or .env).
"""
import os

from dotenv import load_dotenv

load_dotenv(override=False)

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers, one more than the cores: on 2 cores this served as many
# requests as threaded workers with a much shorter tail, and more than 2 or
# 4 sync workers (BENCHMARKS.md). A request holds its worker from start to
# end, so slow clients need the buffering reverse proxy in front.
workers = int(os.environ.get("WEB_CONCURRENCY", len(os.sched_getaffinity(0)) + 1))
# More than one: gunicorn's threaded worker (gthread), that many requests at
# once per process. Keep DB_POOL_SIZE >= threads then.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# No access log: the app writes a JSON line per request (fsr_coach/logs.py).
errorlog = "-"
# gunicorn's own refusals (a malformed request line, headers too large)
# carry no Server header; the app's answers get "Server: gunicorn", which no
# setting removes (docs/decisions/011-gunicorn-server-header.md).
# gunicorn 25+ opens a control socket at ~/.gunicorn/gunicorn.ctl by
# default, which a second instance on the same host would collide with.
control_socket_disable = True
# The app alone decides which proxy headers to believe (PROXY_HOPS): by
# default gunicorn would take https from X-Forwarded-Proto sent by anyone on
# 127.0.0.1.
forwarded_allow_ips = ""


# /metrics in multiprocess mode (fsr_coach/metrics.py): the workers' counts
# live in PROMETHEUS_MULTIPROC_DIR, emptied at start so that no earlier run
# is added in; a dead worker's gauges (pool size, connections in use) go
# with it, its counters stay.
def on_starting(_server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


def child_exit(_server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess
        multiprocess.mark_process_dead(worker.pid)
