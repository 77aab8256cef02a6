"""Write .env for development, unless there is one: .env.example with
development values, fresh secrets, and a database and database account of
this checkout's own, so that checkouts on one machine never share, nor reset,
each other's.

    python scripts/dev/ensure_env_file.py
"""
import hashlib
import os
import re
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# MySQL's longest account name.
MAX_ACCOUNT_NAME = 32


def checkout_account(root=ROOT):
    """The database and account name of the checkout in ``root``: its folder's
    name and a hash of its path, e.g. fsr_house_3f9a1c."""
    path = str(Path(root).resolve())
    digest = hashlib.sha256(path.encode()).hexdigest()[:6]
    folder = re.sub(r"[^a-z0-9]+", "_", Path(path).name.lower()).strip("_")
    room = MAX_ACCOUNT_NAME - len(f"fsr__{digest}")
    return f"fsr_{folder[:room]}_{digest}" if folder else f"fsr_{digest}"


def development_values():
    account = checkout_account()
    return {
        "APP_ENV": "development",
        "SESSION_COOKIE_SECURE": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DB_NAME": account,
        "DB_USER": account,
        "DB_PASSWORD": secrets.token_urlsafe(24),
        "DEMO_PASSWORD": secrets.token_urlsafe(12),
    }


def env_text(example, values):
    """``example``, the text of .env.example, with ``values`` on their settings' lines."""
    def replace(match):
        name = match.group(1)
        return f"{name}={values[name]}" if name in values else match.group(0)
    return re.sub(r"^([A-Z_][A-Z0-9_]*)=.*$", replace, example, flags=re.MULTILINE)


def main():
    env_file = ROOT / ".env"
    if env_file.exists():
        return 0
    values = development_values()
    text = env_text((ROOT / ".env.example").read_text(encoding="utf-8"), values)
    # O_EXCL: never overwrite; 0600: it holds secrets.
    descriptor = os.open(env_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)
    print(f"created .env: development settings, fresh secrets, database and account "
          f"{values['DB_USER']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
