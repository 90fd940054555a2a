"""Every change a screen shows reaches it live: each writing endpoint of the app, called the way
its page calls it, is heard on the lobby's channel, and a refused change is heard nowhere.

The table below must name every POST, PUT, PATCH and DELETE route of the app: a new writing
endpoint without its row fails `test_every_writing_endpoint_is_in_the_table`. Views never
publish by hand (the web edge publishes what each request's transactions committed), so this
walks the app to prove that nothing was missed, the recorded voice included.
"""

from __future__ import annotations

import io
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.fake_push_service import Subscriber

COPY = "chung-thuc-ban-sao"  # served at counters 1 and 2


def wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x10" * 1600)
    return buffer.getvalue()


@dataclass
class Stage:
    """What a case needs: an anonymous kiosk, an officer, an admin, a registered rating
    tablet, and a ticket maker."""

    client: Any
    officer: Any
    admin: Any
    tablet: Any
    issue: Callable[..., dict[str, Any]]

    def called(self) -> dict[str, Any]:
        """A ticket called at counter 1, as the kiosk issued it (with the citizen's key)."""
        ticket = self.issue(COPY)
        assert self.officer.post("/api/counters/1/next").json["id"] == ticket["id"]
        return ticket

    def finished(self, outcome: str = "resolved", **body: Any) -> dict[str, Any]:
        ticket = self.called()
        finish = {"outcome": outcome, **body}
        self.officer.post(f"/api/tickets/{ticket['id']}/finish", json=finish)
        return ticket


@dataclass(frozen=True)
class Case:
    """One writing endpoint: its route, how to set it up (its answer is ignored, its events
    too), the request, the status it answers and the events the lobby then hears."""

    rule: str
    method: str
    prepare: Callable[[Stage], Any]
    act: Callable[[Stage, Any], Any]
    status: int
    heard: tuple[str, ...]


def nothing(stage: Stage) -> None:
    return None


def booked_today(stage: Stage) -> str:
    """A booking of today's 09:30 slot, whose check-in opens now (09:00): its code."""
    fields = {"chung-thuc": {"booking_capacity": 1}}
    stage.admin.put("/api/admin/remote", json={"fields": fields})
    booking = {"procedure_id": COPY, "date": "2026-11-26", "start": "09:30",
               "name": "Lê Văn An", "phone": "0912345678", "consent": True}  # fmt: skip
    return stage.client.post("/api/bookings", json=booking).json["code"]


CASES = [
    Case("/api/tickets", "POST", nothing,
         lambda s, _: s.client.post("/api/tickets", json={
             "procedure_id": COPY, "documents_complete": True, "priority": None}),
         201, ("ticket_issued", "stats")),
    Case("/api/counters/<int:counter_id>/next", "POST", lambda s: s.issue(COPY),
         lambda s, _: s.officer.post("/api/counters/1/next"),
         200, ("counter_changed", "ticket_called", "stats")),
    Case("/api/counters/<int:counter_id>/close", "POST",
         lambda s: s.officer.post("/api/counters/1/next"),
         lambda s, _: s.officer.post("/api/counters/1/close"),
         200, ("counter_changed", "stats")),
    Case("/api/counters/<int:counter_id>/pause", "POST",
         lambda s: s.officer.post("/api/counters/1/next"),
         lambda s, _: s.officer.post("/api/counters/1/pause", json={"reason": "Nghỉ trưa"}),
         200, ("counter_changed", "stats")),
    Case("/api/counters/<int:counter_id>/resume", "POST", nothing,
         lambda s, _: s.officer.post("/api/counters/1/resume"),
         200, ("counter_changed", "stats")),
    Case("/api/session", "DELETE",  # a logout closes the officer's counter
         lambda s: s.officer.post("/api/counters/1/resume"),
         lambda s, _: s.officer.delete("/api/session"),
         204, ("counter_changed", "stats")),
    Case("/api/tickets/<ticket_id>/call", "POST",
         lambda s: (s.officer.post("/api/counters/1/resume"), s.issue(COPY), s.issue(COPY))[2],
         lambda s, t: s.officer.post(f"/api/tickets/{t['id']}/call", json={"counter_id": 1}),
         200, ("ticket_called", "stats")),
    Case("/api/tickets/<ticket_id>/reinstate", "POST",
         lambda s: (t := s.called(), s.officer.post(f"/api/tickets/{t['id']}/no-show"))[0],
         lambda s, t: s.officer.post(f"/api/tickets/{t['id']}/reinstate"),
         200, ("ticket_updated", "stats")),
    Case("/api/tickets/<ticket_id>/correct", "POST", Stage.finished,
         lambda s, t: s.officer.post(f"/api/tickets/{t['id']}/correct",
                                     json={"outcome": "advice"}),
         200, ("ticket_updated", "stats")),
    Case("/api/tickets/<ticket_id>/note", "POST", Stage.called,
         lambda s, t: s.officer.post(f"/api/tickets/{t['id']}/note",
                                     json={"note": "Chờ bản chính giấy khai sinh"}),
         200, ("ticket_updated", "stats")),
    Case("/api/tickets/<ticket_id>/recall", "POST", Stage.called,
         lambda s, t: s.officer.post(f"/api/tickets/{t['id']}/recall"),
         200, ("ticket_called", "stats")),
    Case("/api/tickets/<ticket_id>/no-show", "POST", Stage.called,
         lambda s, t: s.officer.post(f"/api/tickets/{t['id']}/no-show"),
         200, ("ticket_updated", "stats")),
    Case("/api/tickets/<ticket_id>/transfer", "POST",
         lambda s: (s.admin.post("/api/counters/2/resume"), s.called())[1],
         lambda s, t: s.officer.post(f"/api/tickets/{t['id']}/transfer", json={"counter_id": 2}),
         200, ("ticket_updated", "stats")),
    Case("/api/tickets/<ticket_id>/finish", "POST", Stage.called,
         lambda s, t: s.officer.post(f"/api/tickets/{t['id']}/finish",
                                     json={"outcome": "resolved"}),
         200, ("ticket_updated", "stats")),
    Case("/api/tickets/<ticket_key>/rating", "POST", Stage.finished,
         lambda s, t: s.client.post(f"/api/tickets/{t['key']}/rating",
                                    json={"rating": "satisfied"}),
         200, ("ticket_updated", "stats")),
    Case("/api/counters/<int:counter_id>/rating", "POST", Stage.finished,
         lambda s, _: s.tablet.post("/api/counters/1/rating", json={"rating": "satisfied"}),
         200, ("ticket_updated", "stats")),
    Case("/api/printers/<name>/reprint", "POST", Stage.called,
         lambda s, _: s.officer.post("/api/printers/default/reprint"),
         202, ("printer_status",)),
    Case("/api/help-requests", "POST", nothing,
         lambda s, _: s.client.post("/api/help-requests"),
         201, ("help_request",)),
    Case("/api/help-requests/<int:request_id>/answer", "POST",
         lambda s: s.client.post("/api/help-requests").json,
         lambda s, r: s.officer.post(f"/api/help-requests/{r['id']}/answer"),
         200, ("help_request",)),
    Case("/api/voice/clips/<key>", "PUT", nothing,
         lambda s, _: s.admin.put("/api/voice/clips/digit_7", data=wav(),
                                  content_type="audio/wav"),
         200, ("setup_changed", "stats")),
    Case("/api/voice/clips/<key>", "DELETE",
         lambda s: s.admin.put("/api/voice/clips/digit_7", data=wav(), content_type="audio/wav"),
         lambda s, _: s.admin.delete("/api/voice/clips/digit_7"),
         204, ("setup_changed", "stats")),
    Case("/api/admin/paperwork", "PUT", nothing,
         lambda s, _: s.admin.put("/api/admin/paperwork", json={"signer_name": "Trần Thị Bình"}),
         200, ("setup_changed", "stats")),
    Case("/api/admin/center", "PUT", nothing,
         lambda s, _: s.admin.put("/api/admin/center", json={"name": "Trung tâm xã Lai Khê"}),
         200, ("setup_changed", "stats")),
    Case("/api/bookings/<code>/check-in", "POST", lambda s: booked_today(s),
         lambda s, code: s.client.post(f"/api/bookings/{code}/check-in"),
         201, ("ticket_issued", "stats")),
    Case("/api/admin/remote", "PUT", nothing,
         lambda s, _: s.admin.put("/api/admin/remote", json={"remote_tickets": 50}),
         200, ("setup_changed", "stats")),
    Case("/api/admin/calendar", "POST", nothing,
         lambda s, _: s.admin.post("/api/admin/calendar", json={
             "day": "2026-12-31", "kind": "holiday", "name": "Nghỉ bù"}),
         201, ("setup_changed", "stats")),
    Case("/api/admin/calendar/<day>", "PUT",
         lambda s: s.admin.post("/api/admin/calendar", json={
             "day": "2026-12-31", "kind": "holiday", "name": "Nghỉ bù"}),
         lambda s, _: s.admin.put("/api/admin/calendar/2026-12-31", json={"name": "Nghỉ"}),
         200, ("setup_changed", "stats")),
    Case("/api/admin/calendar/<day>", "DELETE",
         lambda s: s.admin.post("/api/admin/calendar", json={
             "day": "2026-12-31", "kind": "holiday", "name": "Nghỉ bù"}),
         lambda s, _: s.admin.delete("/api/admin/calendar/2026-12-31"),
         204, ("setup_changed", "stats")),
    Case("/api/admin/fields", "POST", nothing,
         lambda s, _: s.admin.post("/api/admin/fields", json={
             "id": "dat-dai", "name": "Đất đai", "letter": "F"}),
         201, ("setup_changed", "stats")),
    Case("/api/admin/fields/<field_id>", "PUT", nothing,
         lambda s, _: s.admin.put("/api/admin/fields/chung-thuc", json={"name": "Chứng thực"}),
         200, ("setup_changed", "stats")),
    Case("/api/admin/fields/<field_id>", "DELETE",
         lambda s: s.admin.post("/api/admin/fields", json={
             "id": "dat-dai", "name": "Đất đai", "letter": "F"}),
         lambda s, _: s.admin.delete("/api/admin/fields/dat-dai"),
         204, ("setup_changed", "stats")),
    Case("/api/admin/procedures", "POST", nothing,
         lambda s, _: s.admin.post("/api/admin/procedures", json={
             "id": "xac-nhan-moi", "field": "chung-thuc", "name": "Thủ tục mới",
             "short_name": "Thủ tục mới", "legal_time": "Trong ngày", "processing_days": 0,
             "service_minutes": 5, "no_appointment": False, "fee": "Không", "documents": []}),
         201, ("setup_changed", "stats")),
    Case("/api/admin/procedures/<procedure_id>", "PUT", nothing,
         lambda s, _: s.admin.put(f"/api/admin/procedures/{COPY}", json={"short_name": "Sao y"}),
         200, ("setup_changed", "stats")),
    Case("/api/admin/procedures/<procedure_id>", "DELETE",
         lambda s: s.admin.post("/api/admin/procedures", json={
             "id": "xac-nhan-moi", "field": "chung-thuc", "name": "Thủ tục mới",
             "short_name": "Thủ tục mới", "legal_time": "Trong ngày", "processing_days": 0,
             "service_minutes": 5, "no_appointment": False, "fee": "Không", "documents": []}),
         lambda s, _: s.admin.delete("/api/admin/procedures/xac-nhan-moi"),
         204, ("setup_changed", "stats")),
    Case("/api/admin/counters", "POST", nothing,
         lambda s, _: s.admin.post("/api/admin/counters", json={"name": "Quầy 7"}),
         201, ("setup_changed", "stats")),
    Case("/api/admin/counters/<int:counter_id>", "PUT", nothing,
         lambda s, _: s.admin.put("/api/admin/counters/6", json={"name": "Quầy sáu"}),
         200, ("setup_changed", "stats")),
    Case("/api/admin/counters/<int:counter_id>", "DELETE",
         lambda s: s.admin.post("/api/admin/counters", json={"id": 7, "name": "Quầy 7"}),
         lambda s, _: s.admin.delete("/api/admin/counters/7"),
         204, ("setup_changed", "stats")),
    Case("/api/admin/users", "POST", nothing,
         lambda s, _: s.admin.post("/api/admin/users", json={"username": "canbo3"}),
         201, ("setup_changed", "stats")),
    Case("/api/admin/users/<int:user_id>", "PUT", nothing,
         lambda s, _: s.admin.put("/api/admin/users/1", json={"full_name": "Nguyễn Văn An"}),
         200, ("setup_changed", "stats")),
    Case("/api/admin/users/<int:user_id>/password", "POST", nothing,
         lambda s, _: s.admin.post("/api/admin/users/1/password", json={}),
         200, ("setup_changed", "stats")),
    Case("/api/session/password", "POST", nothing,
         lambda s, _: s.officer.post("/api/session/password", json={
             "current_password": "mat-khau-thu-nghiem", "new_password": "hoa sen nở giữa hồ"}),
         204, ("setup_changed", "stats")),
    Case("/api/admin/printers/<name>", "PUT", nothing,
         lambda s, _: s.admin.put("/api/admin/printers/counter:1",
                                  json={"url": "tcp://192.168.1.50:9100"}),
         200, ("printer_status", "setup_changed", "stats")),
]  # fmt: skip
# Writing endpoints that change nothing any screen shows: each with the reason.
QUIET = {
    ("/api/session", "POST"): "a login: the console that logged in reads its own answer",
    ("/api/dossiers/<code>/return", "POST"): "no screen lists dossiers live",
    ("/api/dossiers/<code>/apology", "POST"): "no screen lists dossiers live",
    ("/api/bookings", "POST"): "no screen lists bookings live: names and phones stay off them",
    ("/api/tickets/<ticket_key>/push", "POST"): "a phone's subscription: no screen shows it",
}


def heard_names(connection: Any) -> list[str]:
    return [event["name"] for event in connection.get_received()]


def wait_for_stats(connection: Any) -> list[str]:
    """What the lobby heard, waiting for the coalesced stats push (a background task)."""
    names: list[str] = []
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        names += heard_names(connection)
        if "stats" in names:
            return names
        time.sleep(0.02)
    return names


def settle(connection: Any) -> None:
    """Drain what the connection hears until nothing came for 0.4 s: the greeting,
    and the coalesced pushes of whatever the preparation did (two or three, 0.3 s apart)."""
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 0.7:
        if heard_names(connection):
            quiet_since = time.monotonic()
        time.sleep(0.02)


def test_every_writing_endpoint_is_in_the_table(app):
    writing = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
        if method in {"POST", "PUT", "PATCH", "DELETE"}
    }
    covered = {(case.rule, case.method) for case in CASES} | set(QUIET)
    assert writing - covered == set(), "a writing endpoint nobody checked reaches the screens"
    assert covered - writing == set(), "the table names an endpoint the app no longer has"


@pytest.mark.parametrize("case", CASES, ids=[f"{c.method} {c.rule}" for c in CASES])
def test_a_change_reaches_the_lobby_live(
    case, client, officer, admin, tablet, issue, socket_client
):
    stage = Stage(client, officer, admin, tablet, issue)
    prepared = case.prepare(stage)
    lobby = socket_client("display")
    settle(lobby)
    response = case.act(stage, prepared)
    assert response.status_code == case.status, response.get_json()
    heard = wait_for_stats(lobby) if "stats" in case.heard else heard_names(lobby)
    assert [name for name in heard if name in case.heard] == list(case.heard)


@pytest.mark.parametrize("endpoint", sorted(QUIET), ids=" ".join)
def test_a_quiet_endpoint_tells_no_screen(endpoint, client, officer, admin, socket_client):
    rule, method = endpoint
    if rule == "/api/bookings":  # a booking that is taken: what the lobby hears of it
        admin.put("/api/admin/remote", json={"fields": {"chung-thuc": {"booking_capacity": 1}}})
    lobby = socket_client("display")
    settle(lobby)
    if method == "POST" and rule == "/api/session":
        response = client.post(
            "/api/session", json={"username": "canbo", "password": "mat-khau-thu-nghiem"}
        )
    elif rule == "/api/bookings":
        booking = {"procedure_id": COPY, "date": "2026-11-27", "start": "07:00",
                   "name": "Lê Văn An", "phone": "0912345678", "consent": True}  # fmt: skip
        response = client.post("/api/bookings", json=booking)
        assert response.status_code == 201
    elif rule == "/api/tickets/<ticket_key>/push":
        key = client.post(
            "/api/tickets", json={"procedure_id": COPY, "documents_complete": True}
        ).json["key"]
        settle(lobby)  # the ticket itself is heard; its subscription must not be
        subscription = Subscriber("https://fcm.googleapis.com/fcm/send/abc").to_json()
        response = client.post(f"/api/tickets/{key}/push", json=subscription)
        assert response.status_code == 201, response.json
    else:
        body = {"new_due_date": "2026-12-01", "reason": "Chờ cơ quan khác phối hợp"}
        response = officer.post(rule.replace("<code>", "KHONG-CO"), json=body)
    assert response.status_code in {200, 201, 204, 404}
    assert heard_names(lobby) == []


def test_a_refused_change_is_heard_nowhere(client, officer, admin, socket_client):
    lobby = socket_client("display")
    settle(lobby)
    refused = [
        admin.put("/api/admin/center", json={"no_appointment_until": "25:00"}),
        admin.post("/api/admin/counters", json={"id": 1, "name": "Quầy một"}),  # taken
        officer.post("/api/tickets/khong-co/finish", json={"outcome": "resolved"}),
        client.post("/api/tickets", json={"procedure_id": "khong-co", "documents_complete": True}),
    ]
    assert [r.status_code for r in refused] == [400, 409, 404, 404]
    time.sleep(0.5)  # the stats push, had anything been published, comes at once
    assert heard_names(lobby) == []
