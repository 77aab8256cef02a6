"""Helpers for the team tests: the team endpoints called as a client does."""
from .app import CLOSED_CASES

CASE = "CASE-2024-001"
CLOSED = CLOSED_CASES[0]


def assign(client, username, case=CASE):
    return client.put(f"/api/cases/{case}/assignee", json={"username": username})


def set_member(client, username, permission, case=CASE):
    return client.put(f"/api/cases/{case}/team/{username}", json={"permission": permission})


def remove_member(client, username, case=CASE):
    return client.delete(f"/api/cases/{case}/team/{username}")


def team(client, case=CASE):
    return client.get(f"/api/cases/{case}/team")


def save_own(client, texts, case=CASE, base=None):
    body = {**texts, **({"baseVersion": base} if base is not None else {})}
    return client.put(f"/api/cases/data/{case}", json=body)


def save_member_notes(client, username, texts, case=CASE, base=None):
    body = {**texts, **({"baseVersion": base} if base is not None else {})}
    return client.put(f"/api/cases/{case}/team/notes/{username}", json=body)


def team_notes(client, case=CASE):
    return client.get(f"/api/cases/{case}/team/notes")


def members_of(answer):
    """{username: permission} of a team answer's members."""
    return {member["username"]: member["permission"] for member in answer["members"]}
