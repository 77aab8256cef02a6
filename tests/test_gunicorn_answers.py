"""gunicorn's own answers (to a request it refuses before the app sees it)
name no server: gunicorn 27 writes them without a Server header
(docs/decisions/011-gunicorn-server-header.md). Checked on the raw socket
for both worker kinds gunicorn.conf.py uses."""
import socket

import pytest

from support.app import app_environment
from support.servers import Gunicorn

# Requests gunicorn's parser refuses, and the status it answers with.
REFUSED = {
    "malformed_request_line": (b"GARBAGE\r\n\r\n", 400),
    "bad_http_version": (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", 400),
    "bad_method": (b"G@T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    "space_before_colon": (b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400),
    "control_character_in_path": (b"GET /a\x01b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    "request_line_too_long": (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    "header_too_large": (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n",
                         431),
    "too_many_headers": (b"GET / HTTP/1.1\r\nHost: x\r\n"
                         + b"".join(b"X-%d: y\r\n" % n for n in range(150)) + b"\r\n", 431),
    "bad_content_length": (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1e3\r\n\r\n", 400),
    "transfer_encoding_not_chunked":
        (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
    "unknown_transfer_coding":
        (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: 8F\r\n\r\n", 501),
}


def raw_answer(server, request):
    """The head of gunicorn's answer to ``request``, sent as raw bytes."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")


@pytest.fixture(scope="module", params=["1", "4"], ids=["sync", "gthread"])
def server(request, db_settings, tmp_path_factory):
    """gunicorn with sync workers, and with threaded ones."""
    environment = app_environment(db_settings, GUNICORN_THREADS=request.param,
                                  WEB_CONCURRENCY="1")
    started = Gunicorn(environment, tmp_path_factory.mktemp("gunicorn")).start()
    yield started
    started.stop()


@pytest.mark.parametrize("request_bytes,status", REFUSED.values(), ids=REFUSED.keys())
def test_gunicorns_own_refusal_names_no_server(server, request_bytes, status):
    head = raw_answer(server, request_bytes)
    status_line, *headers = head.split("\r\n")
    assert status_line.startswith(f"HTTP/1.1 {status} "), head
    assert not any(line.lower().startswith("server:") for line in headers), head
