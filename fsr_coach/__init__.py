"""FSR Coach: field engineers' problem statements and FSR notes, per case."""
import logging
from datetime import timedelta

from flask import Flask

from . import coach, headers, limits, logs, metrics, proxy, request_body
from .auth import bp as auth_bp
from .auth.cli import users_cli
from .cases.cli import cases_cli
from .cases.routes import bp as cases_bp
from .coach import bp as coach_bp
from .coach.cli import coach_cli
from .config import load_settings
from .db import Database, driver_name
from .errors import register_error_handlers
from .health import bp as health_bp
from .migrations import db_cli
from .openapi import bp as openapi_bp
from .reports.routes import bp as reports_bp
from .teams.routes import bp as teams_bp
from .web import bp as web_bp

log = logging.getLogger(__name__)


def create_app(test_config=None):
    """Build the app: settings, logging, database, error handlers, blueprints.

    Nothing connects here: the database pool is made by each process on its
    first query (gunicorn forks its workers after this runs).
    """
    settings = load_settings(test_config)
    # The page's files are the web blueprint's; the app itself serves none.
    app = Flask(__name__, static_folder=None)
    # A path with "//" is a 404 like any unknown path, not a redirect
    # built from the Host header. Set before any route is added.
    app.url_map.merge_slashes = False
    app.config.from_mapping(settings)
    app.config.update(
        SESSION_COOKIE_NAME="fsr_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings["SESSION_LIFETIME_HOURS"]),
        # A sign-in lasts SESSION_LIFETIME_HOURS from signing in; re-signing
        # the cookie on every answer to slide it cost a quarter of a GET's CPU.
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    app.json = request_body.JsonProvider(app)
    # Lists keep the database's order (newest first), not sorted keys.
    app.json.sort_keys = False

    logs.init_app(app)
    proxy.init_app(app)
    headers.init_app(app)
    Database(settings).init_app(app)
    coach.init_app(app)
    metrics.init_app(app)
    register_error_handlers(app)
    app.register_blueprint(health_bp)
    app.register_blueprint(openapi_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(coach_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(teams_bp)
    app.register_blueprint(web_bp)
    limits.init_app(app)
    for group in (users_cli, cases_cli, coach_cli, db_cli):
        app.cli.add_command(group)

    log.info("FSR Coach (%s), MySQL driver: %s", settings["APP_ENV"], driver_name())
    return app
