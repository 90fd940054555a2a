"""Counter routing: the calling order, transfers, shared procedures, state rules, day end."""

from datetime import datetime, timedelta

import pytest

from tests.conftest import TZ

COPY = "chung-thuc-ban-sao"  # counters 1 and 2
WILL = "chung-thuc-di-chuc"  # counter 1 only
BIRTH = "khai-sinh"  # counters 2 and 3


def call(officer, counter_id):
    response = officer.post(f"/api/counters/{counter_id}/next")
    assert response.status_code in (200, 204), response.json
    return response.json if response.status_code == 200 else None


def serve(officer, counter_id, outcome="resolved"):
    """Call the next ticket and finish it; returns the ticket number called (or None)."""
    ticket = call(officer, counter_id)
    if ticket is None:
        return None
    finished = officer.post(f"/api/tickets/{ticket['id']}/finish", json={"outcome": outcome})
    assert finished.status_code == 200, finished.json
    return ticket["number"]


def events(db):
    return db.execute("SELECT count(*) FROM ticket_events").fetchone()[0]


def test_priority_goes_first_but_never_more_than_twice_in_a_row(issue, officer, client):
    tickets = [
        issue(WILL),
        issue(WILL),
        issue(WILL, priority="elderly"),
        issue(WILL, priority="pregnant"),
        issue(WILL, priority="disabled"),
        issue(WILL),
    ]
    predicted = {
        t["number"]: client.get(f"/api/tickets/{t['key']}").json["waiting_ahead"] for t in tickets
    }
    order = [serve(officer, 1) for _ in tickets]
    assert order == ["A003", "A004", "A001", "A005", "A002", "A006"]
    assert serve(officer, 1) is None
    assert predicted == {number: position for position, number in enumerate(order)}


class TestPriorityOff:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "priority_in_row": 0}

    def test_with_priority_off_the_oldest_goes_first(self, issue, officer):
        issue(WILL)
        issue(WILL, priority="child")
        assert [serve(officer, 1), serve(officer, 1)] == ["A001", "A002"]


def test_a_long_run_of_priority_tickets_lets_normal_ones_through(issue, officer):
    for _ in range(2):
        issue(WILL)
    for _ in range(6):
        issue(WILL, priority="meritorious")
    order = [serve(officer, 1) for _ in range(8)]
    normal_positions = [i for i, number in enumerate(order) if number in ("A001", "A002")]
    assert normal_positions == [2, 5]


def test_a_transferred_ticket_goes_to_the_front_of_its_new_line(issue, officer, client, app):
    from tests.conftest import logged_in

    copy = issue(COPY)
    births = [issue(BIRTH), issue(BIRTH)]
    assert call(officer, 1)["id"] == copy["id"]
    colleague = logged_in(app, "canbo2")
    assert colleague.post("/api/counters/3/resume").status_code == 200  # someone is at 3
    moved = officer.post(f"/api/tickets/{copy['id']}/transfer", json={"counter_id": 3})
    assert moved.status_code == 200
    assert moved.json["status"] == "waiting"
    assert moved.json["counter_id"] == 3
    assert moved.json["waiting_ahead"] == 0
    assert client.get(f"/api/tickets/{births[0]['key']}").json["waiting_ahead"] == 1
    assert call(colleague, 3)["id"] == copy["id"]


def test_two_counters_sharing_a_procedure_never_call_the_same_ticket(issue, officer, app):
    from tests.conftest import logged_in

    other = logged_in(app, "canbo2")
    first, second = issue(COPY), issue(COPY)
    assert call(officer, 1)["id"] == first["id"]
    assert call(other, 2)["id"] == second["id"]
    officer.post(f"/api/tickets/{first['id']}/finish", json={"outcome": "advice"})
    assert call(officer, 1) is None


def test_a_counter_only_calls_procedures_it_serves(issue, officer):
    issue(BIRTH)
    assert call(officer, 1) is None  # counter 1 does not do civil status
    assert call(officer, 3)["number"] == "B001"


def test_calling_while_still_serving_is_refused(issue, officer, db):
    issue(COPY)
    issue(COPY)
    call(officer, 1)
    before = events(db)
    refused = officer.post("/api/counters/1/next")
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "counter_busy"
    assert "A001" in refused.json["error"]["message"]
    assert events(db) == before


def test_calling_opens_the_counter_for_the_officer(officer, client):
    assert not next(c for c in client.get("/api/counters").json if c["id"] == 4)["open"]
    assert officer.post("/api/counters/4/next").status_code == 204
    assert next(c for c in client.get("/api/counters").json if c["id"] == 4)["open"]
    assert officer.post("/api/counters/4/close").status_code == 200
    assert not next(c for c in client.get("/api/counters").json if c["id"] == 4)["open"]


def test_an_unknown_counter_is_404(officer):
    response = officer.post("/api/counters/99/next")
    assert response.status_code == 404
    assert response.json["error"]["message"] == "Không có quầy số 99."


def test_recall_announces_again_without_changing_the_ticket(issue, officer):
    ticket = issue(COPY)
    called = call(officer, 1)
    recalled = officer.post(f"/api/tickets/{ticket['id']}/recall")
    assert recalled.status_code == 200
    assert recalled.json["status"] == "called"
    assert recalled.json["called_at"] == called["called_at"]


def test_no_show(issue, officer):
    ticket = issue(COPY)
    call(officer, 1)
    response = officer.post(f"/api/tickets/{ticket['id']}/no-show")
    assert response.json["status"] == "no_show"
    assert call(officer, 1) is None


def put_in_state(state, issue, officer, client):
    ticket = issue(COPY)
    if state == "waiting":
        return ticket
    call(officer, 1)
    if state == "finished":
        officer.post(f"/api/tickets/{ticket['id']}/finish", json={"outcome": "resolved"})
    elif state == "no_show":
        officer.post(f"/api/tickets/{ticket['id']}/no-show")
    elif state == "rated":
        officer.post(f"/api/tickets/{ticket['id']}/finish", json={"outcome": "resolved"})
        client.post(f"/api/tickets/{ticket['key']}/rating", json={"rating": "satisfied"})
    return ticket


ACTIONS = {
    "recall": ("recall", None),
    "no-show": ("no-show", None),
    "transfer": ("transfer", {"counter_id": 3}),
    "finish": ("finish", {"outcome": "resolved"}),
    "rating": ("rating", {"rating": "very_satisfied"}),
}
INVALID = [
    ("waiting", "recall"),
    ("waiting", "no-show"),
    ("waiting", "transfer"),
    ("waiting", "finish"),
    ("waiting", "rating"),
    ("called", "rating"),
    ("finished", "recall"),
    ("finished", "no-show"),
    ("finished", "transfer"),
    ("finished", "finish"),
    ("no_show", "recall"),
    ("no_show", "no-show"),
    ("no_show", "transfer"),
    ("no_show", "finish"),
    ("no_show", "rating"),
    ("rated", "rating"),
]


@pytest.mark.parametrize(("state", "action"), INVALID)
def test_every_invalid_transition_is_409_and_changes_nothing(
    state, action, issue, officer, client, db
):
    ticket = put_in_state(state, issue, officer, client)
    before_ticket = client.get(f"/api/tickets/{ticket['key']}").json
    before_events = events(db)
    path, body = ACTIONS[action]
    held = ticket["key"] if action == "rating" else ticket["id"]  # the citizen rates by key
    response = officer.post(f"/api/tickets/{held}/{path}", json=body)
    assert response.status_code == 409
    assert response.json["error"]["message"].startswith("Phiếu")
    assert client.get(f"/api/tickets/{ticket['key']}").json == before_ticket
    assert events(db) == before_events


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        ("finish", {"outcome": "done"}, "invalid_outcome"),
        ("finish", {}, "missing_field"),
        ("finish", {"outcome": "appointment"}, "due_date_required"),
        ("finish", {"outcome": "appointment", "due_date": "30/11/2026"}, "invalid_due_date"),
        ("finish", {"outcome": "appointment", "due_date": "2026-11-01"}, "invalid_due_date"),
        ("finish", {"outcome": "resolved", "due_date": "2026-12-01"}, "unexpected_due_date"),
        ("transfer", {"counter_id": "3"}, "invalid_field"),
        ("transfer", {"counter_id": 1}, "same_counter"),
        ("transfer", None, "invalid_body"),
    ],
)
def test_malformed_counter_actions_are_400(path, body, code, issue, officer, db):
    ticket = issue(COPY)
    call(officer, 1)
    before = events(db)
    response = officer.post(f"/api/tickets/{ticket['id']}/{path}", json=body)
    assert response.status_code == 400
    assert response.json["error"]["code"] == code
    assert events(db) == before


def test_transfer_to_an_unknown_counter_is_404(issue, officer):
    ticket = issue(COPY)
    call(officer, 1)
    response = officer.post(f"/api/tickets/{ticket['id']}/transfer", json={"counter_id": 42})
    assert response.status_code == 404


def test_rating_is_validated(issue, officer, client):
    ticket = put_in_state("finished", issue, officer, client)
    response = client.post(f"/api/tickets/{ticket['key']}/rating", json={"rating": "5 sao"})
    assert response.status_code == 400


def test_an_appointment_makes_a_dossier_returned_early_on_time_or_late(issue, officer, clock):
    codes = {}
    for expected, due_in_days, returned_after in [
        ("early", 2, 1),
        ("on_time", 2, 2),
        ("late", 2, 3),
    ]:
        ticket = issue(WILL)
        call(officer, 1)
        due = (clock.now() + timedelta(days=due_in_days)).date().isoformat()
        finished = officer.post(
            f"/api/tickets/{ticket['id']}/finish", json={"outcome": "appointment", "due_date": due}
        )
        assert finished.json["due_date"] == due
        assert finished.json["dossier_code"].startswith("HS-261126-")
        codes[expected] = (finished.json["dossier_code"], returned_after)
    start = clock.now()
    for expected, (code, returned_after) in codes.items():
        clock.set(start + timedelta(days=returned_after))
        returned = officer.post(f"/api/dossiers/{code.lower()}/return")
        assert returned.status_code == 200
        assert returned.json["timeliness"] == expected
        assert returned.json["code"] == code
    again = officer.post(f"/api/dossiers/{codes['late'][0]}/return")
    assert again.status_code == 409
    assert officer.post("/api/dossiers/HS-000000-XXXX/return").status_code == 404


def test_tickets_left_waiting_do_not_spill_into_the_next_day(issue, officer, client, clock):
    left_called = issue(COPY)
    left_waiting = issue(COPY)
    assert call(officer, 1)["id"] == left_called["id"]  # left open at the end of the day

    clock.set(datetime(2026, 11, 27, 7, 30, tzinfo=TZ))
    assert officer.post("/api/counters/1/next").status_code == 204  # Friday: nobody from Thursday
    old = client.get(f"/api/tickets/{left_waiting['key']}").json
    assert old["expired"] is True
    assert old["waiting_ahead"] == 0
    assert old["estimated_wait_minutes"] is None
    refused = officer.post(f"/api/tickets/{left_called['id']}/finish", json={"outcome": "resolved"})
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "ticket_expired"
    stats = client.get("/api/stats/today").json
    assert (stats["issued"], stats["waiting"], stats["called"]) == (0, 0, 0)
    assert all(counter["current"] is None for counter in stats["counters"])
    assert issue(COPY)["number"] == "A001"
