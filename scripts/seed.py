"""Load the design document's demo cases and, in development, a demo account.

    python scripts/seed.py

Safe to run again: existing cases keep their state, the demo account keeps
its sessions unless DEMO_PASSWORD changed.
"""


from werkzeug.security import check_password_hash

from fsr_coach import create_app
from fsr_coach.auth import users
from fsr_coach.cases import catalog

DEMO_USERNAME = "demo"
CLOSED = {"CASE-2024-002", "67890"}
DEMO_CASES = [f"CASE-2024-{n:03d}" for n in range(1, 11)] + ["12345", "67890"]


def seed_cases():
    catalog.add_missing_cases([(number, number not in CLOSED) for number in DEMO_CASES])
    print(f"demo cases: {', '.join(DEMO_CASES)} ({', '.join(sorted(CLOSED))} closed)")


def seed_demo_account(password):
    user = users.find_by_username(DEMO_USERNAME)
    if user is None:
        users.create(DEMO_USERNAME, password, display_name="Demo Engineer")
    elif not check_password_hash(user["password_hash"], password):
        users.set_password(DEMO_USERNAME, password)
    print(f"demo login: {DEMO_USERNAME} / {password}")


def main():
    app = create_app()
    with app.app_context():
        seed_cases()
        if app.config["APP_ENV"] != "development":
            print("no demo account outside development")
        elif not app.config["DEMO_PASSWORD"]:
            print("no demo account: set DEMO_PASSWORD in .env")
        else:
            seed_demo_account(app.config["DEMO_PASSWORD"])


if __name__ == "__main__":
    main()
