"""The counter's rating tablet API: what it may rate, once, for whom, and what it refuses.

GET /api/counters/ID/last-served names the service the counter just finished (never its
ticket id); POST /api/counters/ID/rating rates exactly that ticket (server/line/ratings.py).
"""

from datetime import datetime

import pytest

from server.line.ratings import last_served
from tests.conftest import TZ, logged_in

COPY = "chung-thuc-ban-sao"  # counters 1 and 2
COUNTER = 2
COUNTER_NAME = "Quầy 2 — Chứng thực, Hộ tịch"
OFFICER_NAME = "Nguyễn Thị Hoa"


@pytest.fixture
def client(tablet):
    """The tablet at the counter: a registered device (an unregistered one is refused below)."""
    return tablet


@pytest.fixture
def served(issue, officer, clock, db):
    """A ticket called at COUNTER by `canbo` (full name OFFICER_NAME), served 6 minutes."""
    db.execute("UPDATE users SET full_name = ? WHERE username = 'canbo'", [OFFICER_NAME])
    ticket = issue(COPY)
    called = officer.post(f"/api/counters/{COUNTER}/next")
    assert called.json["id"] == ticket["id"]
    clock.advance(minutes=6)
    return ticket


def finish(officer, ticket, outcome="resolved"):
    response = officer.post(f"/api/tickets/{ticket['id']}/finish", json={"outcome": outcome})
    assert response.status_code == 200, response.json
    return response.json


def last(client, counter_id=COUNTER):
    return client.get(f"/api/counters/{counter_id}/last-served")


def rate(client, rating="very_satisfied", counter_id=COUNTER):
    return client.post(f"/api/counters/{counter_id}/rating", json={"rating": rating})


def stored(db, ticket_id):
    row = db.execute(
        "SELECT rating, rated_at, officer_id, counter_id FROM tickets WHERE id = ?", [ticket_id]
    ).fetchone()
    return dict(zip(("rating", "rated_at", "officer_id", "counter_id"), row, strict=True))


def events(db):
    return db.execute("SELECT count(*) FROM ticket_events").fetchone()[0]


def test_nothing_to_rate_before_the_service_ends(client, served):
    assert last(client).status_code == 204
    response = rate(client)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "nothing_to_rate"


def test_the_finished_ticket_appears_without_its_id(client, officer, served):
    finish(officer, served)
    response = last(client)
    assert response.status_code == 200
    assert response.json == {
        "number": "A001",
        "procedure_name": "Chứng thực bản sao từ bản chính",
        "counter_name": COUNTER_NAME,
        "officer_name": OFFICER_NAME,
        "finished_at": "2026-11-26T09:06:00+07:00",
    }
    assert served["id"] not in response.get_data(as_text=True)
    assert last(client, 1).status_code == 204  # the other counter of the procedure


def test_without_a_full_name_the_officer_is_not_named(client, officer, served, db):
    db.execute("UPDATE users SET full_name = NULL WHERE username = 'canbo'")
    finish(officer, served)
    assert last(client).json["officer_name"] is None


def test_the_rating_lands_on_the_ticket_its_officer_and_counter(client, officer, admin, served, db):
    finish(officer, served)
    response = rate(client, "very_satisfied")
    assert response.status_code == 200
    assert response.json["number"] == "A001"
    assert response.json["rating"] == "very_satisfied"
    assert served["id"] not in response.get_data(as_text=True)
    officer_id = db.execute("SELECT id FROM users WHERE username = 'canbo'").fetchone()[0]
    assert stored(db, served["id"]) == {
        "rating": "very_satisfied",
        "rated_at": "2026-11-26T09:06:00+07:00",
        "officer_id": officer_id,
        "counter_id": COUNTER,
    }
    assert client.get(f"/api/tickets/{served['key']}").json["rating"] == "very_satisfied"
    report = admin.get("/api/reports/summary?from=2026-11-26&to=2026-11-26").json
    by_officer = {row["id"]: row["ratings"] for row in report["officers"]}
    by_counter = {row["id"]: row["ratings"] for row in report["counters"]}
    expected = {"very_satisfied": 1, "satisfied": 0, "unsatisfied": 0}
    assert by_officer[officer_id] == expected
    assert by_counter[COUNTER] == expected


def test_the_tablet_channel_hears_the_finish_and_the_rating(client, officer, served, socket_client):
    tablet = socket_client(f"counter:{COUNTER}")
    tablet.get_received()
    finish(officer, served)
    rate(client, "satisfied")
    updates = [e["args"][0] for e in tablet.get_received() if e["name"] == "ticket_updated"]
    assert [(u["action"], u["counter_id"]) for u in updates] == [
        ("finished", COUNTER),
        ("rated", COUNTER),
    ]


def test_one_rating_only(client, officer, served, db):
    finish(officer, served)
    assert rate(client, "unsatisfied").status_code == 200
    assert last(client).status_code == 204
    count = events(db)
    again = rate(client, "very_satisfied")
    assert again.status_code == 409
    assert again.json["error"] == {
        "code": "already_rated",
        "message": "Phiếu này đã được đánh giá. Xin cảm ơn!",
    }
    from_phone = client.post(f"/api/tickets/{served['key']}/rating", json={"rating": "satisfied"})
    assert from_phone.status_code == 409
    assert stored(db, served["id"])["rating"] == "unsatisfied"
    assert events(db) == count


def test_a_rating_from_the_phone_closes_the_tablet(client, officer, served, db):
    finish(officer, served)
    client.post(f"/api/tickets/{served['key']}/rating", json={"rating": "satisfied"})
    assert last(client).status_code == 204
    assert rate(client).json["error"]["code"] == "already_rated"
    assert stored(db, served["id"])["rating"] == "satisfied"


def test_the_ticket_may_be_rated_for_ten_minutes(client, officer, served, clock, db):
    finish(officer, served)
    clock.advance(minutes=10)
    assert last(client).status_code == 200
    clock.advance(seconds=1)
    assert last(client).status_code == 204
    response = rate(client)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "nothing_to_rate"
    assert "không có lượt phục vụ" in response.json["error"]["message"]
    assert stored(db, served["id"])["rating"] is None


def test_the_next_call_at_the_counter_ends_it(app, client, officer, served, issue, db):
    finish(officer, served)
    issue(COPY)
    issue(COPY)
    colleague = logged_in(app, "canbo2")
    assert colleague.post("/api/counters/1/next").status_code == 200  # another counter: no effect
    assert last(client).json["number"] == "A001"
    assert officer.post(f"/api/counters/{COUNTER}/next").json["number"] == "A003"
    assert last(client).status_code == 204
    assert rate(client).json["error"]["code"] == "nothing_to_rate"
    assert stored(db, served["id"])["rating"] is None


def test_a_no_show_leaves_nothing_to_rate(client, officer, served, issue):
    finish(officer, served)
    absent = issue(COPY)
    officer.post(f"/api/counters/{COUNTER}/next")
    officer.post(f"/api/tickets/{absent['id']}/no-show")
    assert last(client).status_code == 204


def test_the_newest_finish_wins(client, officer, served, issue, clock):
    finish(officer, served)
    second = issue(COPY)
    officer.post(f"/api/counters/{COUNTER}/next")
    clock.advance(minutes=2)
    finish(officer, second)
    assert last(client).json["number"] == second["number"]


def test_yesterdays_service_is_not_rated_today(client, officer, served, clock):
    clock.set(datetime(2026, 11, 26, 23, 58, tzinfo=TZ))
    finish(officer, served)
    clock.set(datetime(2026, 11, 27, 0, 2, tzinfo=TZ))
    assert last(client).status_code == 204


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_counter_is_404(client, method):
    path = "/api/counters/99/" + ("last-served" if method == "get" else "rating")
    response = getattr(client, method)(path, json={"rating": "satisfied"})
    assert response.status_code == 404
    assert response.json["error"] == {
        "code": "counter_not_found",
        "message": "Không có quầy số 99.",
    }


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (None, "invalid_body", "Dữ liệu phải là JSON (Content-Type: application/json)."),
        ([], "invalid_body", "Dữ liệu JSON không hợp lệ: cần một đối tượng {…}."),
        ({}, "missing_field", "Thiếu trường 'rating'."),
        ({"rating": 5}, "invalid_field", "Trường 'rating' có kiểu không hợp lệ."),
        (
            {"rating": "5 sao"},
            "invalid_rating",
            "Đánh giá không hợp lệ (very_satisfied, satisfied hoặc unsatisfied).",
        ),
    ],
)
def test_a_bad_body_is_400_and_writes_nothing(client, officer, served, db, body, code, message):
    finish(officer, served)
    count = events(db)
    if body is None:
        response = client.post(f"/api/counters/{COUNTER}/rating", data="rất hài lòng")
    else:
        response = client.post(f"/api/counters/{COUNTER}/rating", json=body)
    assert response.status_code == 400
    assert response.json["error"] == {"code": code, "message": message}
    assert stored(db, served["id"])["rating"] is None
    assert events(db) == count
    assert last(client).status_code == 200


def test_the_domain_knows_the_ticket_the_wire_does_not(officer, served, db, clock):
    finish(officer, served)
    found = last_served(db, clock, COUNTER)
    assert found is not None
    assert found.ticket_id == served["id"]
    assert "ticket_id" not in found.to_dict()


@pytest.mark.parametrize("token", [None, "", "x" * 20, "y" * 200])
def test_only_a_registered_device_rates(app, officer, served, db, token):
    """Anyone on the lobby's Wi-Fi could otherwise rate the service a counter just gave."""
    finish(officer, served)
    stranger = app.test_client()
    headers = {} if token is None else {"X-Kiosk-Token": token}
    for response in (
        stranger.get(f"/api/counters/{COUNTER}/last-served", headers=headers),
        stranger.post(
            f"/api/counters/{COUNTER}/rating", json={"rating": "unsatisfied"}, headers=headers
        ),
    ):
        assert response.status_code == 403
        assert response.json["error"]["code"] == "device_not_registered"
        assert "chưa được đăng ký" in response.json["error"]["message"]
    assert stored(db, served["id"])["rating"] is None
