"""A ticket's secret stays with its citizen, and officers act only where they serve.

Found by an adversarial pass against a running server: the lobby's channel and the public
stats carried every called ticket's id, the key of its phone page and of its rating, so anyone
on the lobby's Wi-Fi (or an officer, on the console) could rate a citizen's service; any
officer could finish another counter's ticket and take its credit in the ranking.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import logged_in

COPY = "chung-thuc-ban-sao"  # counters 1 and 2
BIRTH = "khai-sinh"  # counters 2 and 3


def public_payloads(connection: Any) -> list[Any]:
    return [event["args"][0] for event in connection.get_received() if event["args"]]


def test_nothing_public_carries_a_tickets_secrets(app, client, officer, admin, socket_client):
    """A scripted day, watched from the lobby, the screens above counters 1 and 3, and the
    public stats: no payload holds an id, a key, a dossier code, a due date, a rating, an
    officer or a priority category."""
    lobby, screen_one, screen_three = (
        socket_client(channel) for channel in ("display", "counter:1", "counter:3")
    )
    seen: list[Any] = []
    issued = [
        client.post(
            "/api/tickets",
            json={"procedure_id": procedure, "documents_complete": True, "priority": priority},
        ).json
        for procedure, priority in ((COPY, "pregnant"), (BIRTH, "elderly"), (COPY, None))
    ]
    first = officer.post("/api/counters/1/next").json
    officer.post(f"/api/tickets/{first['id']}/recall")
    colleague = logged_in(app, "canbo2")
    colleague.post("/api/counters/2/resume")
    officer.post(f"/api/tickets/{first['id']}/transfer", json={"counter_id": 2})
    seen.append(client.get("/api/stats/today").json)
    again = colleague.post("/api/counters/2/next").json
    finished = colleague.post(
        f"/api/tickets/{again['id']}/finish",
        json={"outcome": "appointment", "due_date": "2026-12-03"},
    ).json
    key = next(ticket["key"] for ticket in issued if ticket["id"] == again["id"])
    rated = client.post(f"/api/tickets/{key}/rating", json={"rating": "unsatisfied"})
    assert rated.status_code == 200
    third = officer.post("/api/counters/1/next").json
    officer.post(f"/api/tickets/{third['id']}/no-show")
    seen.append(client.get("/api/stats/today").json)
    for connection in (lobby, screen_one, screen_three):
        seen += public_payloads(connection)

    public = json.dumps(seen, ensure_ascii=False)
    secrets = [value for ticket in issued for value in (ticket["id"], ticket["key"])]
    secrets += [finished["dossier_code"], "2026-12-03", "pregnant", "elderly", "unsatisfied"]
    assert [secret for secret in secrets if secret in public] == []
    assert '"officer' not in public
    assert len(seen) > 10  # the watch did hear the day


def test_the_citizen_reads_and_rates_by_the_key_only(app, client, officer, issue):
    ticket = issue(COPY)
    assert "key" in ticket and ticket["key"] != ticket["id"]
    assert client.get(f"/api/tickets/{ticket['key']}").json["number"] == ticket["number"]
    assert client.get(f"/api/tickets/{ticket['id']}").status_code == 404  # an id is no key
    assert officer.get(f"/api/tickets/{ticket['id']}").json["id"] == ticket["id"]  # staff
    assert "key" not in client.get(f"/api/tickets/{ticket['key']}").json
    assert client.get(f"/t/{ticket['key']}").status_code == 200
    assert client.get(f"/t/{ticket['id']}").status_code == 404

    officer.post("/api/counters/1/next")
    officer.post(f"/api/tickets/{ticket['id']}/finish", json={"outcome": "resolved"})
    for forger in (client, officer):  # the lobby's Wi-Fi, and the officer who served it
        forged = forger.post(f"/api/tickets/{ticket['id']}/rating", json={"rating": "satisfied"})
        assert (forged.status_code, forged.json["error"]["code"]) == (404, "ticket_not_found")
    assert client.get(f"/api/tickets/{ticket['key']}").json["rating"] is None
    rated = client.post(f"/api/tickets/{ticket['key']}/rating", json={"rating": "satisfied"})
    assert rated.json["rating"] == "satisfied"


def test_a_repeat_of_the_kiosks_request_answers_the_same_key(client):
    body = {"procedure_id": COPY, "documents_complete": True, "priority": None}
    first = client.post("/api/tickets", json=body, headers={"Idempotency-Key": "k-1"})
    repeat = client.post("/api/tickets", json=body, headers={"Idempotency-Key": "k-1"})
    assert (first.status_code, repeat.status_code) == (201, 200)
    assert repeat.json["key"] == first.json["key"]


def test_the_receipts_qr_code_opens_the_page_by_the_key(app, client, db):
    ticket = client.post(
        "/api/tickets", json={"procedure_id": COPY, "documents_complete": True}
    ).json
    document = json.loads(db.execute("SELECT document FROM print_jobs").fetchone()[0])
    assert document["ticket_url"].endswith(f"/t/{ticket['key']}")
    assert ticket["id"] not in json.dumps(document)


@pytest.fixture
def at_counter_one(issue, officer):
    """A ticket called at counter 1 by canbo."""
    ticket = issue(COPY)
    assert officer.post("/api/counters/1/next").json["id"] == ticket["id"]
    return ticket


ACTIONS = [
    ("recall", None),
    ("no-show", None),
    ("transfer", {"counter_id": 2}),
    ("finish", {"outcome": "resolved"}),
    ("note", {"note": "Thiếu bản chính CCCD"}),
]


@pytest.mark.parametrize(("action", "body"), ACTIONS)
def test_another_officer_cannot_act_on_a_counters_ticket(app, at_counter_one, db, action, body):
    other = logged_in(app, "canbo2")
    before = snapshot(db)
    response = other.post(f"/api/tickets/{at_counter_one['id']}/{action}", json=body)
    assert response.status_code == 403
    assert response.json["error"]["code"] == "not_your_counter"
    assert "Quầy 1" in response.json["error"]["message"]
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("action", "body"),
    [("close", None), ("pause", {"reason": "Họp"}), ("resume", None), ("next", None)],
)
def test_another_officer_cannot_take_or_stop_a_counter_in_use(app, officer, db, action, body):
    officer.post("/api/counters/1/next")  # canbo opens counter 1 (nobody waits)
    before = snapshot(db)
    response = logged_in(app, "canbo2").post(f"/api/counters/1/{action}", json=body)
    assert (response.status_code, response.json["error"]["code"]) == (403, "not_your_counter")
    assert snapshot(db) == before
    assert officer.post("/api/counters/1/close").status_code == 200
    assert logged_in(app, "canbo2").post("/api/counters/1/resume").json["state"] == "open"


def test_an_admin_may_finish_for_a_counter_and_it_is_audited(admin, at_counter_one, db):
    response = admin.post(
        f"/api/tickets/{at_counter_one['id']}/finish", json={"outcome": "resolved"}
    )
    assert response.status_code == 200
    canbo = db.execute("SELECT id FROM users WHERE username = 'canbo'").fetchone()[0]
    officer_id = db.execute(
        "SELECT officer_id FROM tickets WHERE id = ?", [at_counter_one["id"]]
    ).fetchone()[0]
    assert officer_id == canbo  # the ticket keeps the officer who served it
    entry = admin.get("/api/admin/audit?limit=1").json[0]
    assert (entry["action"], entry["username"]) == ("ticket.finish", "quantri")
    assert entry["target"] == "ticket:A001:2026-11-26"


def snapshot(db) -> tuple:
    return (
        db.execute("SELECT status, counter_id, officer_id FROM tickets").fetchall(),
        db.execute("SELECT count(*) FROM ticket_events").fetchone()[0],
        db.execute("SELECT id, state, officer_id, opened_day FROM counters").fetchall(),
    )
