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
accesslog = "-"
errorlog = "-"
# gunicorn 25+ opens a control socket at ~/.gunicorn/gunicorn.ctl by
# default, which a second instance on the same host would collide with.
control_socket_disable = True
