"""gunicorn settings for FSR Coach: `gunicorn -c gunicorn.conf.py wsgi:app`.

Each setting can be changed from the environment (or .env).
"""
import os

from dotenv import load_dotenv

load_dotenv(override=False)

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Threads wait on the database most of the time; a few processes with
# several threads each keep two cores busy. Keep DB_POOL_SIZE >= threads so
# no thread waits for a connection.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
# gunicorn 25+ opens a control socket at ~/.gunicorn/gunicorn.ctl by
# default, which a second instance on the same host would collide with.
control_socket_disable = True
# The app alone decides which proxy headers to believe (PROXY_HOPS): by
# default gunicorn would take https from X-Forwarded-Proto sent by anyone on
# 127.0.0.1.
forwarded_allow_ips = ""
