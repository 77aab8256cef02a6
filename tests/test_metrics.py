"""GET /metrics: off by default, refused outside METRICS_ALLOW, and the counts
it shows, in one process and summed over gunicorn's workers."""
import os
import signal
import threading

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from fsr_coach.config import ConfigError
from fsr_coach.db import get_db
from support.api import error_json
from support.wait import wait_until


def scrape(get):
    """{(sample name, sorted label items): value} from a /metrics answer of
    ``get(path)`` (a Flask test client's or requests')."""
    response = get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    text = response.text if hasattr(response, "text") else response.get_data(as_text=True)
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def requests_counted(samples, endpoint, status):
    key = ("fsr_http_requests_total", (("endpoint", endpoint), ("status", str(status))))
    return samples.get(key, 0)


def test_metrics_are_off_by_default(client):
    error_json(client.get("/metrics"), 404)


@pytest.fixture
def metrics_app(make_app):
    return make_app(METRICS_ENABLED=True)


def test_requests_are_counted_by_endpoint_and_status(metrics_app, make_user):
    make_user("alice")
    client = metrics_app.test_client()
    client.login("alice")
    for _ in range(3):
        assert client.get("/api/cases/user-cases").status_code == 200
    assert client.get("/api/cases/validate/nope").status_code == 404
    assert client.get("/no/such/page").status_code == 404

    samples = scrape(client.get)
    assert requests_counted(samples, "cases.user_cases", 200) == 3
    assert requests_counted(samples, "cases.validate_case_number", 404) == 1
    assert requests_counted(samples, "auth.login", 200) == 1
    assert requests_counted(samples, "unmatched", 404) == 1
    latency = ("fsr_http_request_duration_seconds_count", (("endpoint", "cases.user_cases"),))
    assert samples[latency] == 3
    assert samples[("fsr_db_pool_size", ())] == 4
    assert samples[("fsr_db_pool_in_use", ())] == 0


def test_metrics_are_refused_outside_metrics_allow(make_app):
    app = make_app(METRICS_ENABLED=True, METRICS_ALLOW="10.1.0.0/16, 192.0.2.7")
    outside = app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert error_json(outside, 403) == {"error": "Metrics are not served to this address"}
    for address in ("10.1.200.3", "192.0.2.7", "::ffff:10.1.0.1"):
        inside = app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": address})
        assert inside.status_code == 200, address


def test_a_malformed_metrics_allow_stops_the_app(make_app):
    with pytest.raises(ConfigError, match="METRICS_ALLOW"):
        make_app(METRICS_ENABLED=True, METRICS_ALLOW="10.0.0.0/33")


def test_pool_waits_timeouts_and_database_errors_are_counted(make_app, make_user):
    app = make_app(METRICS_ENABLED=True, DB_POOL_SIZE=1, DB_POOL_TIMEOUT=0.2)
    make_user("alice")
    client = app.test_client()
    client.login("alice")
    held, release = threading.Event(), threading.Event()

    def hold_the_only_connection():
        with app.app_context():
            get_db().execute("SELECT 1")
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold_the_only_connection)
    holder.start()
    try:
        held.wait(10)
        error_json(client.get("/api/cases/user-cases"), 503)
        during = scrape(client.get)
    finally:
        release.set()
        holder.join()
    after = scrape(client.get)

    assert during[("fsr_db_pool_in_use", ())] == 1
    assert after[("fsr_db_pool_in_use", ())] == 0
    assert after[("fsr_db_pool_waits_total", ())] == 1
    assert after[("fsr_db_pool_wait_timeouts_total", ())] == 1
    assert after[("fsr_db_errors_total", (("kind", "unavailable"),))] == 1
    assert requests_counted(after, "cases.user_cases", 503) == 1


def test_gunicorn_workers_are_summed_and_a_dead_worker_keeps_its_counts(gunicorn, tmp_path):
    directory = tmp_path / "metrics"
    server = gunicorn(METRICS_ENABLED="true", PROMETHEUS_MULTIPROC_DIR=str(directory),
                      WEB_CONCURRENCY="2", GUNICORN_THREADS="2", DB_POOL_SIZE="3")

    def get(path):
        return requests.get(server.url + path, timeout=10)

    # Fresh connections, so that gunicorn hands them to either worker.
    for _ in range(20):
        assert get("/readyz").status_code == 200
    before = scrape(get)
    assert requests_counted(before, "health.readyz", 200) == 20
    assert before[("fsr_db_pool_in_use", ())] == 0

    # Each live worker counts its pool's size, in a file of its own (a
    # worker still booting may have the file a moment before the size).
    assert wait_until(lambda: pool_size_of_every_live_worker(get, directory))

    workers = _children(server.process.pid)
    assert len(workers) == 2
    busy = [pid for pid in workers if (directory / f"gauge_livesum_{pid}.db").exists()]
    os.kill(busy[0], signal.SIGTERM)
    wait_until(lambda: len(set(_children(server.process.pid)) - {busy[0]}) == 2, timeout=30)
    assert not (directory / f"gauge_livesum_{busy[0]}.db").exists()
    after = scrape(get)
    # Its requests still count; its connections no longer do.
    assert requests_counted(after, "health.readyz", 200) == 20
    assert wait_until(lambda: pool_size_of_every_live_worker(get, directory))


def pool_size_of_every_live_worker(get, directory):
    return scrape(get)[("fsr_db_pool_size", ())] == 3 * len(_live_gauge_files(directory))


def _live_gauge_files(directory):
    return list(directory.glob("gauge_livesum_*.db"))


def _children(pid):
    """The processes whose parent is ``pid`` (gunicorn's workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return found
