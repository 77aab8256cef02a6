"""Sign-in limits across processes (issue 11, "Sign-in limits that hold with
the embedded default"): with the shipped defaults (each process's memory, no
Redis) the attempts per account name are counted in the database, so they
hold across gunicorn's workers and across instances on one database, the
same for a name no account has; and 50 engineers behind one address all
sign in within a minute."""
import re
import socket

import pytest
import requests

from support.app import DEFAULT_RATE_LIMITS, PASSWORD
from support.wait import wait_until

LOGIN = "/api/auth/login"
# 10 attempts a minute per account name: the 11th and 12th are refused.
TWELVE_ANSWERS = [(401, None)] * 10 + [(429, "login_account")] * 2
# gunicorn's access log line (off in gunicorn.conf.py) names the worker that answered.
ACCESS_LOG = {"GUNICORN_CMD_ARGS": "--access-logfile - --access-logformat"
                                   " 'access %(p)s %(s)s %(r)s'"}


def wrong_password(server, username):
    response = requests.post(f"{server.url}{LOGIN}",
                             json={"username": username, "password": "not the password"},
                             timeout=30)
    return response.status_code, response.json().get("reason")


def login_workers(server, count):
    """The process id of the worker that answered each of ``count`` sign-ins,
    in order (gunicorn writes an access line after its answer is sent)."""
    def logged():
        found = re.findall(r"^access <(\d+)> \d+ POST /api/auth/login ",
                           server.log_path.read_text(), re.MULTILINE)
        return found if len(found) == count else None
    return wait_until(logged)


class Stall:
    """A connection that sends part of a request and no more: the sync
    worker that accepted it is busy reading it until it is closed."""

    def __init__(self, server):
        self.socket = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        self.socket.sendall(b"GET / HTTP/1.1\r\nHost: stalled\r\n")
        wait_until(lambda: connections_waiting(server.port) == 0)

    def close(self):
        self.socket.close()


def connections_waiting(port):
    """How many connections to 127.0.0.1:``port`` no worker has accepted yet:
    the accept queue of its listening socket (/proc/net/tcp's rx_queue)."""
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            local, state, queues = fields[1], fields[3], fields[4]
            if local == f"0100007F:{port:04X}" and state == "0A":  # LISTEN
                return int(queues.split(":")[1], 16)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


def on_three_workers_in_turn(server, send, each):
    """send() ``each`` times on one of the server's three sync workers, then on
    another, then on the third: every worker but one is held by a Stall, and a
    new connection waits for the free one."""
    stalls = [Stall(server), Stall(server)]
    answers = [send() for _ in range(each)]
    for _turn in range(2):
        stalls.append(Stall(server))  # holds the worker that just answered
        stalls.pop(0).close()  # frees the one held longest
        answers += [send() for _ in range(each)]
    for stall in stalls:
        stall.close()
    return answers


@pytest.fixture
def three_workers(gunicorn):
    return gunicorn(WEB_CONCURRENCY="3", **DEFAULT_RATE_LIMITS, **ACCESS_LOG)


@pytest.mark.parametrize("username", ["alice", "nobody"], ids=["existing", "unknown"])
def test_12_wrong_passwords_over_three_workers_are_refused_from_the_11th(
        three_workers, make_user, username):
    make_user("alice")
    answers = on_three_workers_in_turn(
        three_workers, lambda: wrong_password(three_workers, username), each=4)
    assert answers == TWELVE_ANSWERS
    workers = login_workers(three_workers, 12)
    assert len(set(workers)) == 3, workers
    assert [len(set(workers[turn:turn + 4])) for turn in (0, 4, 8)] == [1, 1, 1], workers


@pytest.mark.parametrize("username", ["alice", "nobody"], ids=["existing", "unknown"])
def test_12_wrong_passwords_over_two_instances_are_refused_from_the_11th(
        gunicorn, make_user, username):
    make_user("alice")
    instances = [gunicorn(WEB_CONCURRENCY="1", **DEFAULT_RATE_LIMITS) for _ in range(2)]
    answers = [wrong_password(instances[number % 2], username) for number in range(12)]
    assert answers == TWELVE_ANSWERS


def test_50_engineers_behind_one_address_sign_in_within_a_minute(gunicorn, make_user):
    server = gunicorn(**DEFAULT_RATE_LIMITS)
    names = [make_user(f"engineer{number}") for number in range(50)]
    statuses = [requests.post(f"{server.url}{LOGIN}",
                              json={"username": name, "password": PASSWORD},
                              timeout=30).status_code for name in names]
    assert statuses == [200] * 50
