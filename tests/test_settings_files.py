"""Each setting is described once, in fsr_coach/config.py's tables (issue 12):
.env.example and docs/settings.md are generated from them, the scripts read
settings through them, and gunicorn.conf.py's defaults are the tables'."""
import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dotenv import dotenv_values

from fsr_coach.config import SETTINGS, TOOL_SETTINGS, Setting
from fsr_coach.settings_cli import FILES, as_text

ROOT = Path(__file__).resolve().parent.parent
TABLES = {**SETTINGS, **TOOL_SETTINGS}


@pytest.mark.parametrize("name", FILES)
def test_generated_file_is_what_the_tables_make(name):
    assert (ROOT / name).read_text(encoding="utf-8") == FILES[name](), (
        f"{name} is stale: run python -m fsr_coach.settings_cli write")


def test_every_setting_has_a_description():
    for name, setting in TABLES.items():
        assert isinstance(setting, Setting), f"{name}: write it as Setting(kind, default, description)"
        assert setting.description.endswith("."), name


def test_no_setting_is_in_both_tables():
    assert not set(SETTINGS) & set(TOOL_SETTINGS)


def test_a_copy_of_env_example_sets_every_setting_to_its_default():
    written = dotenv_values(ROOT / ".env.example")
    for name, setting in TABLES.items():
        if setting.default is None:
            assert name not in written, name
        else:
            assert written[name] == as_text(setting.default), name


def environment_reads(path):
    """{name: default} for every os.environ.get(NAME[, DEFAULT]) in the file;
    the default is None when it is not a literal."""
    reads = {}
    for node in ast.walk(ast.parse(path.read_text())):
        if (isinstance(node, ast.Call) and ast.unparse(node.func) == "os.environ.get"
                and isinstance(node.args[0], ast.Constant)):
            default = node.args[1] if len(node.args) > 1 else None
            reads[node.args[0].value] = default.value if isinstance(default, ast.Constant) else None
    return reads


def test_gunicorn_conf_reads_only_described_settings():
    reads = environment_reads(ROOT / "gunicorn.conf.py")
    assert {"BIND", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"} <= set(reads)
    for name in reads:
        assert name in TABLES, f"gunicorn.conf.py reads {name}: describe it in config.py"


def test_code_that_reads_a_setting_itself_falls_back_to_its_default():
    sources = [path for folder in ("fsr_coach", "scripts", "tests", "bench")
               for path in (ROOT / folder).rglob("*.py")] + [ROOT / "gunicorn.conf.py"]
    checked = 0
    for path in sources:
        for name, default in environment_reads(path).items():
            if name in TABLES and default is not None:
                assert default == as_text(TABLES[name].default), f"{path}: {name}"
                checked += 1
    assert checked >= 4  # gunicorn.conf.py's three, the Chromium of the tests


def shell(*names, **env):
    """`python -m fsr_coach.settings_cli shell NAMES`, evaluated by bash; its
    variables as bash then holds them."""
    script = ('assignments=$("$PYTHON" -m fsr_coach.settings_cli shell "$@") || exit $?\n'
              'eval "$assignments"\n'
              'for name in "$@"; do printf "%s=%s\\0" "$name" "${!name}"; done')
    done = subprocess.run(["bash", "-c", script, "shell", *names], cwd=ROOT,
                          env={**os.environ, "PYTHON": sys.executable, **env},
                          capture_output=True, text=True)
    if done.returncode != 0:
        return done
    return dict(item.split("=", 1) for item in done.stdout.split("\0") if item)


def test_shell_gives_the_settings_as_the_app_reads_them():
    values = shell("DB_NAME", "DB_PASSWORD", "METRICS_ENABLED", "DB_POOL_TIMEOUT",
                   DB_NAME="fsr_shell", DB_PASSWORD="it's $(not run) `either`",
                   METRICS_ENABLED="", DB_POOL_TIMEOUT="2.5")
    assert values == {"DB_NAME": "fsr_shell", "DB_PASSWORD": "it's $(not run) `either`",
                      "METRICS_ENABLED": "false", "DB_POOL_TIMEOUT": "2.5"}


def test_shell_gives_tool_settings_too():
    assert shell("BIND", BIND="127.0.0.1:9001") == {"BIND": "127.0.0.1:9001"}


def test_shell_refuses_an_unknown_setting():
    done = shell("DB_NAME", "NO_SUCH_SETTING")
    assert done.returncode == 1
    assert "no such setting: NO_SUCH_SETTING" in done.stderr


def test_shell_refuses_settings_the_app_would_refuse():
    done = shell("DB_NAME", DB_NAME="no-dashes")
    assert done.returncode == 1
    assert "DB_NAME may hold only letters, digits and _" in done.stderr
