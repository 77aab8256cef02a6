"""Team changes and teammates' saves at once, over real HTTP against gunicorn
(issue 14): the case's lock serializes them."""
import threading
from concurrent.futures import ThreadPoolExecutor

from requests.adapters import HTTPAdapter

from support.team import CASE

SAVERS = 20


def at_once(calls):
    """Run the calls [(session, method, url, json)] together; their statuses."""
    barrier = threading.Barrier(len(calls))

    def send(call):
        http, method, url, body = call
        barrier.wait(timeout=30)
        return http.request(method, url, json=body, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(send, calls))


def session(server, username):
    http = server.session(username)
    http.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=SAVERS))
    return http


def test_two_admins_changing_one_member_at_once_leave_one_row_and_two_events(
        gunicorn, make_user, sql):
    for name in ("alice", "ada", "carol"):
        make_user(name)
    server = gunicorn(WEB_CONCURRENCY=2, GUNICORN_THREADS=4)
    alice, ada = session(server, "alice"), session(server, "ada")
    team = f"{server.url}/api/cases/{CASE}"
    assert alice.put(f"{team}/assignee", json={"username": "alice"}).status_code == 200
    assert alice.put(f"{team}/team/ada", json={"permission": "admin"}).status_code == 200
    statuses = at_once([(alice, "PUT", f"{team}/team/carol", {"permission": "read"}),
                        (ada, "PUT", f"{team}/team/carol", {"permission": "write"})])
    assert statuses == [200, 200]
    rows = sql.all("SELECT cc.permission_level FROM case_collaborators cc"
                   " JOIN users u ON u.id = cc.user_id WHERE u.username = 'carol'")
    events = sql.all("SELECT e.action FROM case_team_events e JOIN users u ON u.id = e.user_id"
                     " WHERE u.username = 'carol' ORDER BY e.id")
    assert len(rows) == 1
    assert [event["action"] for event in events] == ["added", "changed"]


def test_twenty_teammates_saving_one_members_notes_from_one_version_give_one_200(
        gunicorn, make_user, sql):
    names = [f"mate{n:02d}" for n in range(SAVERS)]
    for name in ("alice", *names):
        make_user(name)
    server = gunicorn(WEB_CONCURRENCY=2, GUNICORN_THREADS=SAVERS // 2)
    alice = session(server, "alice")
    team = f"{server.url}/api/cases/{CASE}"
    assert alice.put(f"{team}/assignee", json={"username": "alice"}).status_code == 200
    for name in names:
        assert alice.put(f"{team}/team/{name}", json={"permission": "write"}).status_code == 200
    version = alice.put(f"{server.url}/api/cases/data/{CASE}",
                        json={"fsrNotes": "alice's"}).json()["version"]
    statuses = at_once([(session(server, name), "PUT", f"{team}/team/notes/alice",
                         {"fsrNotes": f"by {name}", "baseVersion": version})
                        for name in names])
    assert sorted(statuses) == [200] + [409] * (SAVERS - 1)
    assert sql.one("SELECT version FROM user_cases")["version"] == version + 1
