"""Who may call what: every route of the app is classified, and each class is enforced."""

import pytest

from tests.conftest import logged_in

PUBLIC = {
    ("GET", "/"),
    ("GET", "/api/center"),
    ("GET", "/api/procedures"),
    ("GET", "/api/counters"),
    ("POST", "/api/tickets"),
    ("GET", "/api/tickets/ID"),
    ("POST", "/api/tickets/ID/rating"),
    ("POST", "/api/session"),
    ("GET", "/api/session"),
    ("GET", "/api/stats/today"),
    ("GET", "/api/health"),  # for monitoring: the database answers, the newest seq
    ("GET", "/api/openapi.json"),  # the API described (OpenAPI 3.1): nothing secret
    ("GET", "/api/voice"),
    ("GET", "/voice/recorded/ID"),
    ("GET", "/voice/espeak/ID.wav"),
    ("GET", "/display"),
    ("GET", "/display/counter/ID"),
    ("GET", "/admin/voice"),  # the recording page itself; its login form and uploads are guarded
    ("GET", "/admin"),  # the admin page: its login form; an officer gets it as a 403 page
    ("GET", "/reports"),  # the evaluation page: a 401 login form, 403 for an officer, admin only
    ("GET", "/counter"),  # the console page itself; every API call it makes is protected
    ("GET", "/kiosk"),
    ("GET", "/t/ID"),  # a ticket's page: by its key, the citizen's secret
    ("GET", "/t/ID/manifest.webmanifest"),  # that page as an installable app (by the key)
    ("GET", "/t/sw.js"),  # the ticket pages' service worker (Web Push)
    ("GET", "/api/push/key"),  # the center's public VAPID key
    ("POST", "/api/tickets/ID/push"),  # a push subscription, by the key only
    ("GET", "/api/printers"),  # states only (a kiosk shows its badge), never an address
    ("GET", "/rate/ID"),  # a counter's rating tablet: the page; its calls need the device
    ("GET", "/khong-hen"),  # the no-appointment poster
    ("GET", "/hang-cho"),  # the public queue: numbers only
    ("GET", "/hang-cho/nhung"),  # the same, for the commune's portal to frame
    ("GET", "/api/queue"),  # the public queue's figures
    ("GET", "/forms/ID/ID"),  # a counter's form: a 401 page without an officer's login
    ("GET", "/forms/ID/ID.docx"),  # the same form as DOCX, refused the same way
    ("GET", "/api/remote"),  # whether remote tickets are taken, when, how many are left
    ("GET", "/lay-so"),  # taking a ticket from home: the page; its ticket is checked by the API
    ("GET", "/dat-lich"),  # booking a time: the page
    ("GET", "/dat-lich/ID"),  # a booking by its code: slot and checklist, never name or phone
    ("POST", "/api/help-requests"),  # a kiosk calls an officer: one open per kiosk, rate-limited
    ("GET", "/api/slots"),  # a day's slots and their free places: no names
    ("GET", "/api/booking-days"),
    ("POST", "/api/bookings"),  # rate-limited per address; answers the code, not the name
    ("POST", "/api/bookings/ID/check-in"),  # the kiosk: the code is the secret
    ("GET", "/api/bookings/ID"),  # procedure, slot, checklist and check-in window; no name
}
# A registered device (`motcua kiosk add`, its token in X-Kiosk-Token): the rating tablet.
DEVICE = {
    ("GET", "/api/counters/ID/last-served"),  # number, procedure, names; no ticket id
    ("POST", "/api/counters/ID/rating"),  # only the counter's just-finished ticket, once
}
OFFICER = {
    ("DELETE", "/api/session"),
    ("POST", "/api/session/password"),  # one's own password, with the current one
    ("POST", "/api/counters/ID/next"),
    ("POST", "/api/counters/ID/close"),
    ("POST", "/api/counters/ID/pause"),
    ("POST", "/api/counters/ID/resume"),
    ("POST", "/api/tickets/ID/call"),
    ("POST", "/api/tickets/ID/reinstate"),
    ("POST", "/api/tickets/ID/correct"),
    ("POST", "/api/tickets/ID/note"),
    ("GET", "/api/counters/ID/state"),
    ("POST", "/api/tickets/ID/recall"),
    ("POST", "/api/tickets/ID/no-show"),
    ("POST", "/api/tickets/ID/transfer"),
    ("POST", "/api/tickets/ID/finish"),
    ("POST", "/api/dossiers/ID/return"),
    ("GET", "/api/dossiers/overdue"),
    ("GET", "/api/dossiers/watch"),
    ("POST", "/api/dossiers/ID/apology"),
    ("POST", "/api/printers/ID/reprint"),
    ("GET", "/api/help-requests"),  # the kiosks' open calls, with their names or addresses
    ("POST", "/api/help-requests/ID/answer"),
    ("GET", "/api/bookings"),  # the day's bookings with names and phones
}
ADMIN = {
    ("GET", "/api/reports/summary"),
    ("GET", "/api/admin/center"),
    ("PUT", "/api/admin/center"),
    ("GET", "/api/admin/paperwork"),
    ("PUT", "/api/admin/paperwork"),
    ("GET", "/api/admin/remote"),
    ("PUT", "/api/admin/remote"),
    ("GET", "/api/admin/hub"),  # the province sync state: address, pending facts, errors; no token
    ("GET", "/api/admin/calendar"),
    ("POST", "/api/admin/calendar"),
    ("PUT", "/api/admin/calendar/ID"),
    ("DELETE", "/api/admin/calendar/ID"),
    ("GET", "/api/admin/fields"),
    ("POST", "/api/admin/fields"),
    ("PUT", "/api/admin/fields/ID"),
    ("DELETE", "/api/admin/fields/ID"),
    ("GET", "/api/admin/procedures"),
    ("POST", "/api/admin/procedures"),
    ("PUT", "/api/admin/procedures/ID"),
    ("DELETE", "/api/admin/procedures/ID"),
    ("GET", "/api/admin/counters"),
    ("POST", "/api/admin/counters"),
    ("PUT", "/api/admin/counters/ID"),
    ("DELETE", "/api/admin/counters/ID"),
    ("GET", "/api/admin/users"),
    ("POST", "/api/admin/users"),
    ("PUT", "/api/admin/users/ID"),
    ("POST", "/api/admin/users/ID/password"),
    ("GET", "/api/admin/printers"),
    ("PUT", "/api/admin/printers/ID"),
    ("GET", "/api/admin/audit"),
    ("GET", "/api/admin/hub"),
    ("PUT", "/api/voice/clips/ID"),
    ("DELETE", "/api/voice/clips/ID"),
}


def served_routes(app):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<int:{argument}>", "ID").replace(f"<{argument}>", "ID")
        routes |= {(method, path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def concrete(path):
    return path.replace("ID", "1")


def test_every_route_is_classified(app):
    assert served_routes(app) == PUBLIC | DEVICE | OFFICER | ADMIN


@pytest.mark.parametrize(("method", "path"), sorted(DEVICE))
def test_an_unregistered_device_is_403(client, officer, method, path):
    for caller in (client, officer):  # an officer's session is no device either
        response = caller.open(concrete(path), method=method, json={"rating": "satisfied"})
        assert response.status_code == 403
        assert response.json["error"]["code"] == "device_not_registered"


@pytest.mark.parametrize(("method", "path"), sorted(OFFICER | ADMIN))
def test_anonymous_requests_are_401(client, db, method, path):
    response = client.open(concrete(path), method=method, json={})
    assert response.status_code == 401
    assert response.json["error"]["message"] == "Vui lòng đăng nhập."
    assert db.execute("SELECT count(*) FROM ticket_events").fetchone()[0] == 0


@pytest.mark.parametrize(("method", "path"), sorted(ADMIN))
def test_officers_get_403_on_admin_routes(officer, method, path):
    response = officer.open(concrete(path) + "?from=2026-11-01&to=2026-11-30", method=method)
    assert response.status_code == 403
    assert "không có quyền" in response.json["error"]["message"]


def test_admins_may_do_what_officers_do(admin, issue):
    issue()
    assert admin.post("/api/counters/1/next").status_code == 200


def test_login_and_logout(client):
    wrong = client.post("/api/session", json={"username": "canbo", "password": "sai-mat-khau"})
    assert wrong.status_code == 401
    assert wrong.json["error"]["message"] == "Sai tên đăng nhập hoặc mật khẩu."
    assert client.get("/api/session").status_code == 401
    assert client.post("/api/counters/1/next").status_code == 401


def test_a_session_ends_with_logout(app):
    officer = logged_in(app, "canbo")
    assert officer.get("/api/session").json == {"username": "canbo", "role": "officer"}
    assert officer.delete("/api/session").status_code == 204
    assert officer.post("/api/counters/1/next").status_code == 401


def test_a_disabled_officer_is_logged_out(app, db):
    officer = logged_in(app, "canbo")
    db.execute("UPDATE users SET active = 0 WHERE username = 'canbo'")
    assert officer.post("/api/counters/1/next").status_code == 401


@pytest.mark.parametrize(
    "body",
    [None, {"username": "canbo"}, {"username": ["canbo"], "password": "x"}, "canbo"],
)
def test_malformed_logins_are_400(client, body):
    response = client.post("/api/session", json=body)
    assert response.status_code == 400
    assert response.json["error"]["message"]


def test_unknown_api_paths_are_json_404(client):
    response = client.get("/api/khong-co")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert client.put("/api/tickets").json["error"]["code"] == "method_not_allowed"
