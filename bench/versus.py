"""``python -m bench.run --peers``: FSR Coach against the design document's own
code, in one run on this machine.

The apps, each under the same gunicorn.conf.py (the same workers) and each
on a throw-away database of its own with the same seed (bench/workload.py):

- ours: FSR Coach as bench/run.py serves it;
- option1: the document's Option 1 code as written, with its one-line
  autocommit fix (bench/peers/option1.py);
- option3: the document's Option 3 models, Flask-SQLAlchemy
  (bench/peers/option3.py);
- floor: a bare Flask app answering the same bodies from memory
  (bench/peers/floor.py), the most any Flask app serves here.

Phases, each app in turn before the next phase, so that all see the same
stretch of a shared machine: the mixed workload (wrk, closed loop, 16
connections), each endpoint alone, then the open loop at half of option1's
mixed requests/s; then our 500-case batch, and with ``--profile DIR`` flame
graphs of our workers under the mixed load (bench/flames.py). The table and
the issue's targets are printed by bench/versus_report.py.
"""
import os

import mysql.connector
import requests

from bench.flames import profile_workers
from bench.load import measure, measure_mixed, open_loop, write_sessions, wrk
from bench.ours import drop_database, seed_catalog_and_users, sign_in_and_save, time_batches
from bench.processes import ROOT, BenchServer
from bench.workload import SAVED_NOTES, SAVED_PROBLEM, USERS, all_cases, saved_cases, username
from fsr_coach.db import connect_args
from fsr_coach.migrations import upgrade

PEERS_DIR = ROOT / "bench" / "peers"
PEERS = ("option1", "option3", "floor")
WITH_DATABASE = ("option1", "option3")
ENDPOINT_SECONDS, OPEN_LOOP_SECONDS = 5, 10


def versus(args, settings, workdir, stack):
    """Every phase for every app; the figures as one dict."""
    seed_ours(settings, args.scale)
    shape = {name: value for name, value in
             (("WEB_CONCURRENCY", args.workers), ("GUNICORN_THREADS", args.threads)) if value}
    servers, sessions_files, ours_sessions = start_apps(settings, shape, workdir, stack)
    for name, server in servers.items():
        wrk(server.url, sessions_files[name], "mixed", seconds=3)  # warm-up
    results = {"scale": args.scale, "load_before": os.getloadavg()[0],
               "server": servers["ours"].shape(), "apps": {name: {} for name in servers}}
    apps = results["apps"]
    for name, server in servers.items():
        apps[name]["mixed"] = measure_mixed(server, settings, sessions_files[name], args.duration)
    for mix in ("get", "put", "status"):
        for name, server in servers.items():
            apps[name].setdefault("endpoints", {})[mix] = measure_mixed(
                server, settings, sessions_files[name], ENDPOINT_SECONDS, mix)
    results["open_loop_rps"] = rate = round(apps["option1"]["mixed"]["rps"] / 2)
    for name, server in servers.items():
        apps[name]["open_loop"] = measure_open_loop(server, settings, sessions_files[name], rate)
    results["batch_500"] = time_batches(servers["ours"].url, ours_sessions[0])
    if args.profile:
        results["profile"] = profile_workers(servers["ours"], sessions_files["ours"],
                                             args.profile)
    results["load_after"] = os.getloadavg()[0]
    return results


def seed_ours(settings, scale):
    upgrade(settings, echo=lambda _line: None)
    if scale == "1m":
        from bench.seed_scale import seed
        print("seeding a million saved cases ...")
        seed(settings, cases=200_000, users=20_000, per_user=50)
    seed_catalog_and_users(settings)


def start_apps(settings, shape, workdir, stack):
    """Every app served, its users signed in: ({name: server}, {name:
    sessions file}, our sessions); ``stack`` stops them and drops the peers'
    databases."""
    ours = stack.enter_context(BenchServer(settings, shape, workdir))
    ours_sessions = sign_in_and_save(ours.url)
    servers = {"ours": ours}
    sessions_files = {"ours": write_sessions(workdir / "sessions-ours.tsv", ours_sessions)}
    for peer in PEERS:
        peer_settings = peer_database(settings, peer)
        stack.callback(drop_database, peer_settings)
        if peer in WITH_DATABASE:
            seed_peer(peer_settings)
        servers[peer] = stack.enter_context(BenchServer(
            peer_settings, {**shape, "BENCH_PEER": peer, "PYTHONPATH": str(ROOT)},
            workdir, root=PEERS_DIR))
        sessions_files[peer] = write_sessions(workdir / f"sessions-{peer}.tsv",
                                              sign_in_peer(servers[peer].url))
    return servers, sessions_files, ours_sessions


def measure_open_loop(server, settings, sessions_file, rate):
    return measure(server, settings,
                   lambda: open_loop(server.url, sessions_file, rate, OPEN_LOOP_SECONDS))


def peer_database(settings, peer):
    """The peer's settings: the same server, a database of its own (unused by the floor)."""
    return {**settings, "DB_NAME": f"{settings['DB_NAME']}_{peer}"}


def seed_peer(settings):
    """The document's schema, and the same cases, users' saved cases and texts as ours."""
    with mysql.connector.connect(**connect_args(settings, database=False)) as cnx:
        cursor = cnx.cursor()
        cursor.execute(f"CREATE DATABASE `{settings['DB_NAME']}`")
        cursor.execute(f"USE `{settings['DB_NAME']}`")
        for statement in schema_statements():
            cursor.execute(statement)
        cursor.executemany("INSERT INTO cases (case_number, is_open) VALUES (%s, %s)", all_cases())
        cursor.executemany(
            "INSERT INTO user_cases (user_id, case_number, problem_statement, fsr_notes)"
            " VALUES (%s, %s, %s, %s)",
            [(username(n), number, SAVED_PROBLEM, SAVED_NOTES)
             for n in range(USERS) for number in saved_cases(n)])
        cnx.commit()


def schema_statements():
    lines = [line for line in (PEERS_DIR / "schema.sql").read_text().splitlines()
             if not line.startswith("--")]
    return [statement for statement in "\n".join(lines).split(";") if statement.strip()]


def sign_in_peer(url):
    """The sessions of every bench user on a peer (bench/peers/sign_in.py)."""
    sessions = []
    for n in range(USERS):
        http = requests.Session()
        answer = http.post(f"{url}/api/auth/login", json={"username": username(n)}, timeout=30)
        assert answer.status_code == 200, answer.text
        sessions.append({"cookie": f"session={http.cookies['session']}", "token": "-",
                         "cases": saved_cases(n)})
    return sessions
