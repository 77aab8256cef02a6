"""Print schema/accounts.sql with its placeholders filled in from the settings,
or run it.

    python scripts/ops/accounts_sql.py [--host PATTERN] | mysql -u root -p
    python scripts/ops/accounts_sql.py [--host PATTERN] --apply

DB_NAME, DB_USER, DB_PASSWORD, MIGRATE_DB_USER and MIGRATE_DB_PASSWORD come
from the environment, then .env, as the app reads them; --host is where the
accounts may connect from (default %, anywhere). --apply runs the file on
DB_HOST:DB_PORT as DB_ADMIN_USER/DB_ADMIN_PASSWORD, for where no mysql client
is at hand (compose's accounts service).
"""
import argparse
import re
import sys
from pathlib import Path
from string import Template

import mysql.connector

from fsr_coach.config import ConfigError, load_settings, load_tool_settings
from fsr_coach.db import connect_args
from fsr_coach.migrations import split_statements

ROOT = Path(__file__).resolve().parents[2]

ACCOUNTS_SQL = ROOT / "schema" / "accounts.sql"
# MySQL's limit for account names is 32 characters (MariaDB's is larger).
ACCOUNT_NAME = re.compile(r"[A-Za-z0-9_]{1,32}")
DATABASE_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")
HOST_PATTERN = re.compile(r"[A-Za-z0-9.%_:-]{1,255}")


class AccountError(Exception):
    """A value cannot go into accounts.sql."""


def render(values):
    """accounts.sql with ``values`` (DB_NAME, DB_USER, DB_PASSWORD,
    MIGRATE_DB_USER, MIGRATE_DB_PASSWORD, ACCOUNT_HOST) filled in, each
    checked first; AccountError when one is unfit."""
    if not DATABASE_NAME.fullmatch(values["DB_NAME"]):
        raise AccountError("DB_NAME may hold only letters, digits and _")
    for name in ("DB_USER", "MIGRATE_DB_USER"):
        if not ACCOUNT_NAME.fullmatch(values[name]):
            raise AccountError(f"{name} must be 1 to 32 letters, digits or _")
    if values["DB_USER"] == values["MIGRATE_DB_USER"]:
        raise AccountError("DB_USER and MIGRATE_DB_USER must be two accounts")
    for name in ("DB_PASSWORD", "MIGRATE_DB_PASSWORD"):
        if not values[name]:
            raise AccountError(f"{name} is empty: give the account a password")
        # How a backslash reads in a SQL string depends on the server's sql_mode.
        if "\\" in values[name]:
            raise AccountError(f"{name} must not contain a backslash")
    if not HOST_PATTERN.fullmatch(values["ACCOUNT_HOST"]):
        raise AccountError("the host must be a host name, an address or a pattern with %")
    filled = {
        **values,
        # In GRANT, _ matches any character unless escaped.
        "DB_NAME": values["DB_NAME"].replace("_", r"\_"),
        "DB_PASSWORD": values["DB_PASSWORD"].replace("'", "''"),
        "MIGRATE_DB_PASSWORD": values["MIGRATE_DB_PASSWORD"].replace("'", "''"),
    }
    return Template(ACCOUNTS_SQL.read_text(encoding="utf-8")).substitute(filled)


def apply(sql_text, settings, admin_user, admin_password):
    """Run the filled-in file on the settings' server as the administrator named."""
    login = {**settings, "DB_USER": admin_user, "DB_PASSWORD": admin_password}
    with mysql.connector.connect(**connect_args(login, database=False)) as connection:
        cursor = connection.cursor()
        for statement in split_statements(sql_text):
            cursor.execute(statement)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="%",
                        help="where the accounts connect from (default %%: anywhere)")
    parser.add_argument("--apply", action="store_true",
                        help="run the file as DB_ADMIN_USER instead of printing it")
    args = parser.parse_args()
    try:
        settings = load_settings(web=False)
        names = ("DB_NAME", "DB_USER", "DB_PASSWORD", "MIGRATE_DB_USER", "MIGRATE_DB_PASSWORD")
        sql_text = render({**{name: settings[name] for name in names}, "ACCOUNT_HOST": args.host})
        if not args.apply:
            sys.stdout.write(sql_text)
            return
        admin = load_tool_settings()
        apply(sql_text, settings, admin["DB_ADMIN_USER"], admin["DB_ADMIN_PASSWORD"])
        print(f"accounts {settings['DB_USER']} and {settings['MIGRATE_DB_USER']}@{args.host} "
              f"set up on {settings['DB_HOST']}:{settings['DB_PORT']}")
    except (ConfigError, AccountError, mysql.connector.Error) as err:
        sys.exit(f"accounts_sql.py: {err}")


if __name__ == "__main__":
    main()
