"""A stand-in case management system for the case-sync tests: a real HTTP
server on 127.0.0.1, in a thread, answering GET with canned statuses."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class CaseSystem:
    """Answers every GET with ``statuses`` as JSON, unless ``answers`` holds
    scripted answers for the next requests (taken one per request); with
    ``token`` set, a request without that bearer token gets a 401. Each
    request's path and headers land in ``requests``."""

    def __init__(self):
        self.statuses = []
        self.answers = []
        self.token = None
        self.requests = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/statuses"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def set_statuses(self, statuses):
        """statuses: {case_number: is_open}"""
        self.statuses = [{"case_number": number, "is_open": is_open}
                         for number, is_open in statuses.items()]

    def body(self):
        return json.dumps(self.statuses).encode()

    def _next_answer(self, handler):
        with self._lock:
            self.requests.append((handler.path, dict(handler.headers)))
            scripted = self.answers.pop(0) if self.answers else None
        if self.token and handler.headers.get("Authorization") != f"Bearer {self.token}":
            return status(401, b'{"error": "unauthorized"}')(self, handler)
        return (scripted or ok)(self, handler)


def _handler_for(system):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            try:
                system._next_answer(self)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, *_args):
            pass
    return Handler


# --- scripted answers: each is answer(system, handler) -------------------------------

def _send(handler, code, body, content_type="application/json", length=None):
    handler.send_response(code)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body) if length is None else length))
    handler.end_headers()
    handler.wfile.write(body)


def ok(system, handler):
    _send(handler, 200, system.body())


def status(code, body=b""):
    return lambda _system, handler: _send(handler, code, body)


def garbage(body, content_type="application/json"):
    return lambda _system, handler: _send(handler, 200, body, content_type)


def slow(seconds):
    def answer(system, handler):
        time.sleep(seconds)
        ok(system, handler)
    return answer


def broken_off(system, handler):
    """Announces the whole body, sends its first half, closes the connection."""
    body = system.body()
    _send(handler, 200, body[:len(body) // 2], length=len(body))
    handler.close_connection = True


def held(event):
    """The usual answer, once ``event`` is set."""
    def answer(system, handler):
        event.wait(30)
        ok(system, handler)
    return answer
