"""The page field engineers write in: one HTML page, its scripts and styles.

The page talks only to the JSON API. Its settings (autosave interval, text
limit, how people sign in) are handed over as data attributes, since the Content-Security-Policy
allows no inline script.
"""
from flask import Blueprint, current_app, render_template

bp = Blueprint("web", __name__, template_folder="templates",
               static_folder="static", static_url_path="/static")


@bp.get("/")
def index():
    config = current_app.config
    return render_template(
        "index.html",
        autosave_seconds=config["AUTOSAVE_SECONDS"],
        case_status_seconds=config["CASE_STATUS_SECONDS"],
        max_text_chars=config["MAX_TEXT_CHARS"],
        auth_mode=config["AUTH_MODE"],
    )


@bp.get("/sw.js")
def service_worker():
    # Served from the root so that it may keep the page for offline reloads
    # (a worker controls only the paths under its own).
    return bp.send_static_file("sw.js")
