"""Prometheus metrics on ``GET /metrics``, off unless ``METRICS_ENABLED``.

Requests by endpoint and status, their latency, the database pool (size,
connections lent out, checkouts that waited or gave up) and requests that
failed on the database. Under gunicorn every worker counts on its own: with
``PROMETHEUS_MULTIPROC_DIR`` set, prometheus-client keeps each worker's
counts in files there and a scrape of any worker adds them up
(gunicorn.conf.py empties the directory at start and forgets a dead
worker's gauges).

Only clients in ``METRICS_ALLOW`` get an answer; others get a 403. With
metrics off there is no ``/metrics`` at all (404).
"""
import os
import threading

from flask import Response, abort, current_app, request
from flask.signals import appcontext_tearing_down

from .config import networks
from .logs import elapsed_seconds
from .proxy import is_in_networks


def init_app(app):
    if not app.config["METRICS_ENABLED"]:
        return
    metrics = Metrics(app.config["PROMETHEUS_MULTIPROC_DIR"],
                      networks("METRICS_ALLOW", app.config["METRICS_ALLOW"]))
    app.extensions["metrics"] = metrics
    # The pool's size from the start: a process counts in the sum as soon as
    # it lives (and has a gauge file), not only once it served a request.
    metrics.sync_pool(app)
    app.after_request(metrics.count_request)
    # After every teardown, so the request's connection is back in the pool.
    appcontext_tearing_down.connect(metrics.sync_pool, app)
    app.add_url_rule("/metrics", "metrics", metrics.serve)


def count_database_error(kind):
    """Count a request that failed on the database: ``unavailable`` (503) or
    ``error`` (500). Nothing when metrics are off."""
    metrics = current_app.extensions.get("metrics")
    if metrics is not None:
        metrics.database_errors.labels(kind).inc()


class Metrics:
    """This app's metrics, the hooks that count and the /metrics view."""

    def __init__(self, multiprocess_dir, allowed_networks):
        # prometheus-client picks its mode from this variable when first
        # imported, which is why it is imported only here; an empty one
        # (from .env) would turn multiprocess mode on without a directory.
        if multiprocess_dir:
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = multiprocess_dir
        else:
            os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
        import prometheus_client as prom
        from prometheus_client import multiprocess

        self._prom = prom
        self._collect_multiprocess = multiprocess.MultiProcessCollector
        self._multiprocess = bool(multiprocess_dir)
        # In multiprocess mode the counts live in files; a scrape collects them.
        registry = None if self._multiprocess else prom.CollectorRegistry()
        self._registry = registry
        self._allowed = allowed_networks

        self.requests = prom.Counter(
            "fsr_http_requests", "HTTP requests answered, by endpoint and status.",
            ["endpoint", "status"], registry=registry)
        self.latency = prom.Histogram(
            "fsr_http_request_duration_seconds", "Time to answer a request, by endpoint.",
            ["endpoint"], registry=registry)
        self.database_errors = prom.Counter(
            "fsr_db_errors", "Requests that failed on the database: unavailable (503)"
            " or error (500).", ["kind"], registry=registry)
        self._pool_gauges = {
            "size": prom.Gauge("fsr_db_pool_size", "Database connections per pool,"
                               " summed over live processes.",
                               registry=registry, multiprocess_mode="livesum"),
            "in_use": prom.Gauge("fsr_db_pool_in_use", "Database connections lent out"
                                 " now, summed over live processes.",
                                 registry=registry, multiprocess_mode="livesum"),
        }
        self._pool_counters = {
            "waits": prom.Counter("fsr_db_pool_waits", "Checkouts that found no free"
                                  " connection and waited.", registry=registry),
            "wait_timeouts": prom.Counter("fsr_db_pool_wait_timeouts", "Checkouts that"
                                          " gave up waiting (503).", registry=registry),
        }
        self._pool_seen = {}
        self._pool_lock = threading.Lock()

    def count_request(self, response):
        endpoint = request.endpoint or "unmatched"
        self.requests.labels(endpoint, str(response.status_code)).inc()
        self.latency.labels(endpoint).observe(elapsed_seconds())
        return response

    def sync_pool(self, app, **_extra):
        """Copy this process's pool stats (Database.stats()) into the metrics."""
        with self._pool_lock:
            stats = app.extensions["db"].stats()
            if stats == self._pool_seen:
                return
            for name, gauge in self._pool_gauges.items():
                gauge.set(stats[name])
            for name, counter in self._pool_counters.items():
                counter.inc(stats[name] - self._pool_seen.get(name, 0))
            self._pool_seen = stats

    def serve(self):
        if not is_in_networks(request.remote_addr, self._allowed):
            abort(403, "Metrics are not served to this address")
        self.sync_pool(current_app)
        registry = self._registry
        if self._multiprocess:
            registry = self._prom.CollectorRegistry()
            self._collect_multiprocess(registry)
        return Response(self._prom.generate_latest(registry),
                        content_type=self._prom.CONTENT_TYPE_LATEST)
