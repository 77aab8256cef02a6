"""compose.yaml and the Dockerfile (issue 11, "Set-up"), checked without a
Docker engine: the YAML parses, the files they name exist and are in the
image, the schema loader runs as the migration account after the accounts are
made, and the app and the sync hold the app's least-privilege account only."""
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SERVICES = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]


def dockerfile_copies():
    """The sources of the Dockerfile's COPY lines, as paths in the repository."""
    sources = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY "):
            sources += line.split()[1:-1]
    return sources


def in_image(path):
    return any(path == source or path.startswith(source.rstrip("/") + "/")
               for source in dockerfile_copies())


def test_every_file_the_dockerfile_copies_exists():
    for source in dockerfile_copies():
        assert (ROOT / source).exists(), source


def test_every_script_compose_runs_exists_and_is_in_the_image():
    scripts = [word for service in SERVICES.values() for word in service.get("command", [])
               if word.endswith(".py")]
    assert "scripts/load_schema.py" in scripts
    for script in scripts:
        assert (ROOT / script).is_file(), script
        assert in_image(script), f"{script} is not copied into the image"


def test_the_image_holds_the_app_and_the_schema():
    for path in ("fsr_coach/__init__.py", "wsgi.py", "gunicorn.conf.py", "schema/accounts.sql",
                 "schema/001_schema_migrations.sql", "requirements.txt"):
        assert in_image(path), path


def test_the_accounts_are_made_as_the_administrator_before_the_schema():
    assert SERVICES["accounts"]["command"][-1] == "--apply"
    assert SERVICES["accounts"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert SERVICES["schema"]["depends_on"] == {
        "accounts": {"condition": "service_completed_successfully"}}


def test_the_loader_keeps_the_migration_account_and_drops_the_administrators():
    environment = SERVICES["schema"]["environment"]
    assert "MIGRATE_DB_USER" not in environment and "MIGRATE_DB_PASSWORD" not in environment
    assert environment["DB_ADMIN_PASSWORD"] == ""


def test_the_app_and_the_sync_hold_the_app_account_only():
    for name in ("app", "sync"):
        environment = SERVICES[name]["environment"]
        for setting in ("MIGRATE_DB_USER", "MIGRATE_DB_PASSWORD", "DB_ADMIN_PASSWORD"):
            assert environment[setting] == "", f"{name} gets {setting}"
        assert SERVICES[name]["depends_on"] == {
            "schema": {"condition": "service_completed_successfully"}}


def test_the_app_listens_where_its_published_port_reaches_it():
    assert SERVICES["app"]["environment"]["BIND"] == "0.0.0.0:8000"
    assert SERVICES["app"]["ports"] == ["127.0.0.1:8000:8000"]
