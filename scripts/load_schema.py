"""Apply the numbered schema/NNN_*.sql files to the database the settings name.

    python scripts/load_schema.py [--dry-run]

Same as `flask --app fsr_coach db upgrade`, without needing SECRET_KEY. It
logs in as MIGRATE_DB_USER when that is set, else as DB_USER; it never
applies schema/accounts.sql, which a DBA runs (see there).
"""
import argparse
import sys

import mysql.connector

from fsr_coach.config import load_settings
from fsr_coach.migrations import upgrade


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true",
                        help="print what would be applied; change nothing")
    args = parser.parse_args()
    try:
        upgrade(load_settings(web=False), dry_run=args.dry_run)
    except mysql.connector.Error as err:
        sys.exit(f"load_schema.py: {err}")


if __name__ == "__main__":
    main()
