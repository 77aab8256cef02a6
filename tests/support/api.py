"""Talking to the app in process: a client that sends the CSRF header, and
reading its answers and log lines."""
import json

from flask.testing import FlaskClient

from fsr_coach.logs import JsonFormatter

from .app import PASSWORD


class ApiClient(FlaskClient):
    """A test client that, once signed in, sends the CSRF header as the page does."""

    csrf_token = None

    def open(self, *args, **kwargs):
        if self.csrf_token:
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRF-Token", self.csrf_token)
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def login(self, username, password=PASSWORD):
        response = self.post("/api/auth/login",
                             json={"username": username, "password": password})
        self.csrf_token = response.json.get("csrf_token")
        return response


def signed_in_client(app, username, password=PASSWORD):
    """A new client of ``app`` signed in as an existing user."""
    client = app.test_client()
    response = client.login(username, password)
    assert response.status_code == 200, response.json
    return client


def error_json(response, status):
    """The JSON body of an error answer, after checking its status and type."""
    assert response.status_code == status, response.data[:500]
    assert response.mimetype == "application/json", response.headers
    return response.get_json()


def logged(caplog, logger):
    """The lines ``logger`` wrote during the test, as the app writes them:
    each a JSON object."""
    return [json.loads(JsonFormatter().format(record))
            for record in caplog.records if record.name == logger]
