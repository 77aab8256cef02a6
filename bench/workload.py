"""What every benchmarked app is seeded with and asked: the cases, the users
and their saved texts (bench/run.py for FSR Coach, bench/versus.py for the
peers, and the floor's memory)."""
CASES, CLOSED_EVERY = 10_000, 10
USERS, SAVED_PER_USER = 50, 20
# The texts each user's saved cases start with (~2 KB).
SAVED_PROBLEM = "Pump trips on start. " * 30
SAVED_NOTES = "Replaced relay K3, ran under load. " * 40


def case_number(n):
    return f"BENCH-{n:05d}"


def all_cases():
    """(case number, is open) of every case: one in CLOSED_EVERY closed."""
    return [(case_number(n), n % CLOSED_EVERY != 0) for n in range(CASES)]


def open_case_numbers():
    return [number for number, is_open in all_cases() if is_open]


def username(n):
    return f"bench{n:02d}"


def saved_cases(n):
    """The case numbers user ``n`` saves before the runs."""
    return open_case_numbers()[n * SAVED_PER_USER:(n + 1) * SAVED_PER_USER]
