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
    ("GET", "/api/voice"),
    ("GET", "/voice/recorded/ID"),
    ("GET", "/voice/espeak/ID.wav"),
    ("GET", "/display"),
    ("GET", "/display/counter/ID"),
    ("GET", "/admin/voice"),  # the recording page itself; its login form and uploads are guarded
    ("GET", "/counter"),  # the console page itself; every API call it makes is protected
    ("GET", "/kiosk"),
    ("GET", "/t/ID"),  # a ticket's page: the unguessable id is the key
    ("GET", "/api/printers"),  # states only (a kiosk shows its badge), never an address
}
OFFICER = {
    ("DELETE", "/api/session"),
    ("POST", "/api/counters/ID/next"),
    ("POST", "/api/counters/ID/close"),
    ("GET", "/api/counters/ID/state"),
    ("POST", "/api/tickets/ID/recall"),
    ("POST", "/api/tickets/ID/no-show"),
    ("POST", "/api/tickets/ID/transfer"),
    ("POST", "/api/tickets/ID/finish"),
    ("POST", "/api/dossiers/ID/return"),
    ("POST", "/api/printers/ID/reprint"),
}
ADMIN = {
    ("GET", "/api/reports/summary"),
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
    assert served_routes(app) == PUBLIC | OFFICER | ADMIN


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
