"""Apply schema/*.sql to the database the settings name.

    python scripts/load_schema.py [--dry-run]

Same as `flask --app fsr_coach db upgrade`, without needing SECRET_KEY.
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fsr_coach.config import load_settings  # noqa: E402
from fsr_coach.migrations import upgrade  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true",
                        help="print what would be applied; change nothing")
    args = parser.parse_args()
    upgrade(load_settings(web=False), dry_run=args.dry_run)


if __name__ == "__main__":
    main()
