"""A counter's day: open, paused with a reason, closed; who may change it; what a pause, a
logout and the next morning do to it; the report's open and paused time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.conftest import TZ, logged_in

COPY = "chung-thuc-ban-sao"  # counters 1 and 2
WILL = "chung-thuc-di-chuc"  # counter 1 only


def state_of(client, counter_id: int) -> tuple[str, str | None]:
    counter = next(c for c in client.get("/api/counters").json if c["id"] == counter_id)
    assert counter["open"] is (counter["state"] == "open")
    return counter["state"], counter["pause_reason"]


def lobby_state(client, counter_id: int) -> tuple[str, str | None]:
    row = next(c for c in client.get("/api/stats/today").json["counters"] if c["id"] == counter_id)
    return row["state"], row["pause_reason"]


def changes(db) -> list[tuple]:
    return db.execute(
        """SELECT c.counter_id, c.state, c.pause_reason, u.username, c.at
           FROM counter_state_changes c LEFT JOIN users u ON u.id = c.changed_by ORDER BY c.id"""
    ).fetchall()


def test_a_counter_opens_pauses_resumes_and_closes(client, officer, db, clock):
    assert state_of(client, 1) == ("closed", None)
    opened = officer.post("/api/counters/1/resume")
    assert opened.status_code == 200
    assert (opened.json["state"], opened.json["open"]) == ("open", True)
    clock.advance(minutes=150)
    paused = officer.post("/api/counters/1/pause", json={"reason": "  Nghỉ   trưa "})
    assert paused.json["state"] == "paused" and paused.json["pause_reason"] == "Nghỉ trưa"
    assert paused.json["state_since"] == "2026-11-26T11:30:00+07:00"
    assert state_of(client, 1) == lobby_state(client, 1) == ("paused", "Nghỉ trưa")
    console = officer.get("/api/counters/1/state").json
    assert (console["state"], console["pause_reason"], console["officer"]) == (
        "paused",
        "Nghỉ trưa",
        "canbo",
    )
    clock.advance(minutes=120)
    assert officer.post("/api/counters/1/resume").json["state"] == "open"
    closed = officer.post("/api/counters/1/close")
    assert (closed.json["state"], closed.json["pause_reason"]) == ("closed", None)
    assert lobby_state(client, 1) == ("closed", None)
    assert [(c, s, r, who) for c, s, r, who, _ in changes(db)] == [
        (1, "open", None, "canbo"),
        (1, "paused", "Nghỉ trưa", "canbo"),
        (1, "open", None, "canbo"),
        (1, "closed", None, "canbo"),
    ]


def test_calling_the_next_ticket_resumes_a_paused_counter(client, officer, issue):
    officer.post("/api/counters/1/resume")
    officer.post("/api/counters/1/pause", json={"reason": "Họp"})
    ticket = issue(WILL)
    called = officer.post("/api/counters/1/next")
    assert called.json["id"] == ticket["id"]
    assert state_of(client, 1) == ("open", None)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "reason_required"),
        ({"reason": "   "}, "reason_required"),
        ({"reason": 7}, "reason_required"),
        ({"reason": "x" * 101}, "reason_too_long"),
    ],
)
def test_a_pause_needs_a_reason(officer, db, body, code):
    officer.post("/api/counters/1/resume")
    before = changes(db)
    response = officer.post("/api/counters/1/pause", json=body)
    assert (response.status_code, response.json["error"]["code"]) == (400, code)
    assert "lý do" in response.json["error"]["message"].lower()
    assert changes(db) == before


def test_wrong_states_are_refused_and_change_nothing(client, officer, issue, db):
    closed = officer.post("/api/counters/1/pause", json={"reason": "Họp"})
    assert (closed.status_code, closed.json["error"]["code"]) == (409, "counter_closed")
    assert "đang đóng" in closed.json["error"]["message"]
    issue(WILL)
    officer.post("/api/counters/1/next")
    before = changes(db)
    for action, body in (("pause", {"reason": "Họp"}), ("close", None)):
        busy = officer.post(f"/api/counters/1/{action}", json=body)
        assert (busy.status_code, busy.json["error"]["code"]) == (409, "counter_busy")
        assert "A001" in busy.json["error"]["message"]
    assert changes(db) == before
    assert state_of(client, 1) == ("open", None)
    unknown = officer.post("/api/counters/99/pause", json={"reason": "Họp"})
    assert (unknown.status_code, unknown.json["error"]["code"]) == (404, "counter_not_found")


def test_a_transfer_goes_only_to_a_counter_someone_is_at(app, officer, issue, client):
    ticket = issue(COPY)
    officer.post("/api/counters/1/next")
    refused = officer.post(f"/api/tickets/{ticket['id']}/transfer", json={"counter_id": 2})
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "counter_closed")
    assert "Quầy 2" in refused.json["error"]["message"]
    colleague = logged_in(app, "canbo2")
    colleague.post("/api/counters/2/resume")
    colleague.post("/api/counters/2/pause", json={"reason": "Nghỉ trưa"})
    moved = officer.post(f"/api/tickets/{ticket['id']}/transfer", json={"counter_id": 2})
    assert moved.status_code == 200  # a paused counter comes back: the ticket waits there
    waiting = client.get(f"/api/tickets/{ticket['key']}").json
    assert (waiting["line_state"], waiting["estimated_wait_minutes"]) == ("paused", None)


def test_an_officer_holds_one_counter_at_a_time(client, officer, issue):
    officer.post("/api/counters/1/resume")
    assert officer.post("/api/counters/2/next").status_code == 204  # nobody waits there
    assert state_of(client, 1) == ("closed", None)
    assert state_of(client, 2) == ("open", None)
    issue(COPY)
    officer.post("/api/counters/2/next")  # A001 now served at counter 2
    refused = officer.post("/api/counters/1/resume")
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "counter_busy")
    assert state_of(client, 2) == ("open", None)


def test_the_sessions_end_closes_the_officers_counters(app, admin, client):
    officer = logged_in(app, "canbo")
    officer.post("/api/counters/1/resume")
    assert officer.delete("/api/session").status_code == 204
    assert state_of(client, 1) == ("closed", None)
    again = logged_in(app, "canbo")
    again.post("/api/counters/1/resume")
    canbo = next(u["id"] for u in admin.get("/api/admin/users").json if u["username"] == "canbo")
    reset = admin.post(f"/api/admin/users/{canbo}/password", json={"password": "hoa sen giữa hồ"})
    assert reset.status_code == 200
    assert state_of(client, 1) == ("closed", None)


def test_a_logout_with_a_citizen_at_the_counter_leaves_the_ticket_to_finish(app, client, issue):
    officer = logged_in(app, "canbo")
    ticket = issue(WILL)
    officer.post("/api/counters/1/next")
    officer.delete("/api/session")
    assert state_of(client, 1) == ("closed", None)
    back = logged_in(app, "canbo")
    finished = back.post(f"/api/tickets/{ticket['id']}/finish", json={"outcome": "resolved"})
    assert finished.status_code == 200


def test_every_counter_is_closed_the_next_morning(client, officer, clock):
    officer.post("/api/counters/1/resume")
    clock.advance(days=1)
    assert state_of(client, 1) == ("closed", None)
    assert lobby_state(client, 1) == ("closed", None)


def test_the_report_shows_each_counters_open_and_paused_time(app, admin, clock):
    """Thursday: open 09:00, lunch 11:30–13:30, closed 17:00; Friday: open at 09:00 and
    still open when the report is asked for at 10:15."""
    officer = logged_in(app, "canbo")
    officer.post("/api/counters/1/resume")
    clock.set(datetime(2026, 11, 26, 11, 30, tzinfo=TZ))
    officer.post("/api/counters/1/pause", json={"reason": "Nghỉ trưa"})
    clock.set(datetime(2026, 11, 26, 13, 30, tzinfo=TZ))
    officer.post("/api/counters/1/resume")
    clock.set(datetime(2026, 11, 26, 17, 0, tzinfo=TZ))
    officer.post("/api/counters/1/close")
    clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=TZ))
    officer.post("/api/counters/1/resume")
    clock.advance(minutes=75)
    report = admin.get("/api/reports/summary?from=2026-11-26&to=2026-11-27").json
    counter = next(row for row in report["counters"] if row["id"] == 1)
    hours = timedelta(hours=1).total_seconds()
    assert counter["open_seconds"] == (2.5 + 3.5) * hours + 75 * 60
    assert counter["paused_seconds"] == 2 * hours
    thursday = admin.get("/api/reports/summary?from=2026-11-26&to=2026-11-26").json
    assert next(row for row in thursday["counters"] if row["id"] == 1)["open_seconds"] == 6 * hours
    lines = admin.get("/api/reports/summary?from=2026-11-26&to=2026-11-27&format=csv").text
    header = lines.splitlines()[0].split(",")
    row = next(line.split(",") for line in lines.splitlines() if line.startswith("Quầy,1,"))
    assert row[header.index("Quầy mở (giây)")] == str(int(6 * hours + 75 * 60))


def test_the_evaluation_page_shows_counter_time_and_what_citizens_lacked(app, admin, clock):
    officer = logged_in(app, "canbo")
    officer.post("/api/counters/1/resume")
    ticket = (
        app.test_client()
        .post("/api/tickets", json={"procedure_id": WILL, "documents_complete": False})
        .json
    )
    officer.post("/api/counters/1/next")
    body = {"outcome": "supplement", "missing_documents": ["Bản chính di chúc"]}
    officer.post(f"/api/tickets/{ticket['id']}/finish", json=body)
    clock.advance(hours=2)
    officer.post("/api/counters/1/pause", json={"reason": "Nghỉ trưa"})
    clock.advance(minutes=30)
    page = admin.get("/reports?period=2026-11-26").get_data(as_text=True)
    assert "Thời gian quầy mở phục vụ và tạm nghỉ" in page
    assert "<td>2 giờ</td>" in page and "<td>30 phút</td>" in page
    assert "Bản chính di chúc" in page
