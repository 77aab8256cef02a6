"""config.py's tables of settings, for people and for shell scripts.

    python -m fsr_coach.settings_cli write    # .env.example and docs/settings.md, from the tables
    python -m fsr_coach.settings_cli check    # exit 1 when either is not what write would make
    python -m fsr_coach.settings_cli shell NAME...   # NAME='value' lines, for scripts/lib.sh

A module rather than a `flask` command: a fresh clone has no SECRET_KEY for
the app to start with, and the backup scripts need none.
"""
import argparse
import shlex
import sys
import textwrap
from pathlib import Path

from .config import SETTINGS, TOOL_SETTINGS, ConfigError, load_settings, load_tool_settings

ROOT = Path(__file__).resolve().parent.parent


def as_text(value):
    """A setting's value as it is written in .env: true/false, 5 rather than 5.0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def env_example():
    """.env.example: every setting, its description and its default."""
    lines = ["# FSR Coach's settings: copy this file to .env (./scripts/run.sh writes one",
             "# for development, with fresh secrets) or set them in the environment, which",
             "# wins over .env. This file is generated from fsr_coach/config.py, where each",
             "# setting is described: change them there, then",
             "# `python -m fsr_coach.settings_cli write`.", ""]
    lines += _env_lines(SETTINGS)
    lines += ["# Not read by the app: by gunicorn.conf.py, the development set-up and the tests.", ""]
    lines += _env_lines(TOOL_SETTINGS)
    return "\n".join(lines)


def _env_lines(table):
    lines = []
    for name, setting in table.items():
        lines += textwrap.wrap(setting.description, 77, initial_indent="# ",
                               subsequent_indent="# ", break_on_hyphens=False)
        # A default worked out at run time stays unset.
        prefix = "# " if setting.default is None else ""
        lines += [f"{prefix}{name}={as_text(setting.default)}", ""]
    return lines


def settings_doc():
    """docs/settings.md: the same as a table."""
    lines = ["# Settings", "",
             "Settings come from the environment; `.env` (read by python-dotenv) fills in",
             "what the environment does not set, and `.env.example` lists them all. This",
             "page is generated from `fsr_coach/config.py`, the one place that describes",
             "and reads them: change them there, then `python -m fsr_coach.settings_cli write`.",
             "", "## The app", ""]
    lines += _table(SETTINGS)
    lines += ["", "## gunicorn.conf.py, the development set-up and the tests", ""]
    lines += _table(TOOL_SETTINGS)
    return "\n".join(lines) + "\n"


def _table(table):
    lines = ["| setting | default | meaning |", "|---|---|---|"]
    for name, setting in table.items():
        default = f"`{as_text(setting.default)}`" if as_text(setting.default) else "—"
        meaning = setting.description.replace("|", "\\|")  # a | would end the cell
        lines.append(f"| `{name}` | {default} | {meaning} |")
    return lines


FILES = {".env.example": env_example, "docs/settings.md": settings_doc}


def stale_files():
    """The generated files whose text is not what the tables make."""
    return [name for name, render in FILES.items()
            if (ROOT / name).read_text(encoding="utf-8") != render()]


def shell_assignments(names):
    """NAME='value' lines for the settings named, read as the app reads them."""
    unknown = [name for name in names if name not in SETTINGS and name not in TOOL_SETTINGS]
    if unknown:
        raise ConfigError(f"no such setting: {', '.join(unknown)}")
    values = {**load_tool_settings(), **load_settings(web=False)}
    return "".join(f"{name}={shlex.quote(as_text(values[name]))}\n" for name in names)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m fsr_coach.settings_cli",
                                     description="config.py's settings for people and scripts")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("write", help="write .env.example and docs/settings.md")
    commands.add_parser("check", help="exit 1 when .env.example or docs/settings.md is stale")
    shell = commands.add_parser("shell", help="print NAME='value' lines for the settings named")
    shell.add_argument("names", nargs="+", metavar="NAME")
    args = parser.parse_args(argv)
    if args.command == "write":
        for name, render in FILES.items():
            (ROOT / name).write_text(render(), encoding="utf-8")
        return 0
    if args.command == "check":
        stale = stale_files()
        for name in stale:
            print(f"{name} is stale: python -m fsr_coach.settings_cli write", file=sys.stderr)
        return 1 if stale else 0
    try:
        sys.stdout.write(shell_assignments(args.names))
    except ConfigError as err:
        print(f"settings: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
