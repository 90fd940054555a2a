"""A citizen at a kiosk calls for an officer: the request shows on every console at once,
one per kiosk however often it is tapped, and one officer's answer clears it everywhere while
the kiosk learns that someone is coming."""

from __future__ import annotations

from typing import Any

import pytest

from server.setup.kiosk_devices import register_kiosk
from server.storage.db import connection


def heard(connection_: Any, name: str = "help_request") -> list[dict[str, Any]]:
    return [event["args"][0] for event in connection_.get_received() if event["name"] == name]


def test_a_kiosks_call_shows_on_every_console_and_an_answer_clears_it(
    app, client, officer, socket_client
):
    console_1 = socket_client("counter:1", browser=officer)
    console_5 = socket_client("counter:5", browser=officer)
    lobby = socket_client("display")
    screen = socket_client("counter:1")  # the public screen above counter 1
    for listener in (console_1, console_5, lobby, screen):
        listener.get_received()

    made = client.post("/api/help-requests")
    assert made.status_code == 201
    request = made.json
    assert request["status"] == "open" and request["kiosk"] == "127.0.0.1"
    for console in (console_1, console_5):
        assert heard(console) == [request]
    assert heard(lobby) == [{"id": request["id"], "status": "open"}]  # no name, no address
    assert heard(screen) == []
    assert officer.get("/api/help-requests").json == [request]

    answered = officer.post(f"/api/help-requests/{request['id']}/answer")
    assert answered.status_code == 200
    assert answered.json["status"] == "answered"
    assert answered.json["answered_by_name"]
    assert heard(console_5)[0]["status"] == "answered"
    assert heard(lobby) == [{"id": request["id"], "status": "answered"}]
    assert officer.get("/api/help-requests").json == []

    again = officer.post(f"/api/help-requests/{request['id']}/answer")
    assert again.status_code == 409
    assert again.json["error"]["code"] == "help_request_answered"
    assert "đã có cán bộ" in again.json["error"]["message"]


def test_a_kiosk_has_one_open_request_however_often_tapped(client, officer):
    first = client.post("/api/help-requests")
    second = client.post("/api/help-requests")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json == second.json
    assert len(officer.get("/api/help-requests").json) == 1
    officer.post(f"/api/help-requests/{first.json['id']}/answer")
    third = client.post("/api/help-requests")  # a new need after the answer: a new request
    assert third.status_code == 201 and third.json["id"] != first.json["id"]


def test_a_registered_kiosk_is_named_by_its_token(app, client, officer):
    settings, clock = app.extensions["motcua"].settings, app.extensions["motcua"].clock
    with connection(settings.database) as db:
        token = register_kiosk(db, clock, "sanh-1")
    named = client.post("/api/help-requests", headers={"X-Kiosk-Token": token})
    assert named.json["kiosk"] == "sanh-1"
    claimed = client.post("/api/help-requests", headers={"X-Kiosk": "sanh-2"})
    assert claimed.json["kiosk"] == "127.0.0.1"  # a name alone is a claim: the address
    assert {r["kiosk"] for r in officer.get("/api/help-requests").json} == {"sanh-1", "127.0.0.1"}


def test_asking_is_rate_limited_per_kiosk(client, officer):
    codes = []
    for _ in range(6):
        made = client.post("/api/help-requests")
        codes.append(made.status_code)
        if made.status_code in (200, 201):
            officer.post(f"/api/help-requests/{made.json['id']}/answer")
    assert codes[:4] == [201, 201, 201, 201]
    refused = client.post("/api/help-requests")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.json["error"]["message"] == "Yêu cầu hỗ trợ đã được gửi, vui lòng chờ cán bộ."


@pytest.mark.parametrize("request_id", [999, 0])
def test_answering_an_unknown_request_is_404(officer, request_id):
    response = officer.post(f"/api/help-requests/{request_id}/answer")
    assert response.status_code == 404
    assert response.json["error"]["message"] == "Không có yêu cầu hỗ trợ này trong hôm nay."


def test_yesterdays_unanswered_request_is_gone_today(app, client, officer, clock):
    made = client.post("/api/help-requests").json
    clock.advance(days=1)
    assert officer.get("/api/help-requests").json == []
    assert officer.post(f"/api/help-requests/{made['id']}/answer").status_code == 404
