"""The admin's accounts and printers, and the audit log: who changed what, when."""

import pytest

from server.errors import WrongState
from server.setup.admin import users as admin_users
from tests.conftest import PASSWORD, logged_in


def page_changes(admin):
    """The audit log, newest first, without the entries of the test accounts themselves
    (added the one way accounts are, audited as made from the command line)."""
    return [entry for entry in admin.get("/api/admin/audit").json if entry["username"]]


def user_id(admin, username):
    return next(u["id"] for u in admin.get("/api/admin/users").json if u["username"] == username)


def test_an_account_is_added_with_a_password_shown_once(app, admin, db):
    created = admin.post(
        "/api/admin/users", json={"username": "nguyenvana", "full_name": "Nguyễn Văn A"}
    )
    assert created.status_code == 201
    assert (created.json["role"], created.json["active"]) == ("officer", True)
    password = created.json["password"]
    assert len(password) >= 8
    assert logged_in_with(app, "nguyenvana", password).get("/api/session").json == {
        "username": "nguyenvana",
        "role": "officer",
    }
    listed = next(u for u in admin.get("/api/admin/users").json if u["username"] == "nguyenvana")
    assert "password" not in listed and "password_hash" not in listed
    entry = page_changes(admin)[0]
    assert (entry["action"], entry["target"], entry["username"]) == (
        "user.add",
        "user:nguyenvana",
        "quantri",
    )
    assert password not in str(entry)
    stored = db.execute("SELECT after FROM audit_log").fetchall()
    assert all(password not in row[0] for row in stored)


def logged_in_with(app, username, password):
    client = app.test_client()
    response = client.post("/api/session", json={"username": username, "password": password})
    assert response.status_code == 200, response.json
    return client


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"username": "canbo"}, 409, "username_taken"),
        ({"username": "Nguyen Van A"}, 400, "invalid_username"),
        ({"username": "nguyenvana", "password": "ngan"}, 400, "weak_password"),
        ({"username": "nguyenvana", "role": "leader"}, 400, "invalid_role"),
        ({"username": "nguyenvana", "active": False}, 400, "unknown_key"),
    ],
)
def test_bad_accounts_are_refused(admin, db, body, status, code):
    refused = admin.post("/api/admin/users", json=body)
    assert (refused.status_code, refused.json["error"]["code"]) == (status, code)
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 3
    assert db.execute("SELECT count(*) FROM audit_log WHERE user_id IS NOT NULL").fetchone()[0] == 0


def test_a_disabled_officer_can_no_longer_call(app, admin, issue):
    officer = logged_in(app, "canbo")
    issue()
    disabled = admin.put(f"/api/admin/users/{user_id(admin, 'canbo')}", json={"active": False})
    assert disabled.json["active"] is False
    assert officer.post("/api/counters/1/next").status_code == 401
    assert officer.get("/api/session").status_code == 401
    again = app.test_client().post("/api/session", json={"username": "canbo", "password": PASSWORD})
    assert again.status_code == 401
    admin.put(f"/api/admin/users/{user_id(admin, 'canbo')}", json={"active": True})
    assert logged_in(app, "canbo").post("/api/counters/1/next").status_code == 200
    entry = page_changes(admin)[1]
    assert (entry["before"]["active"], entry["after"]["active"]) == (True, False)


def test_a_demoted_admin_loses_the_admin_pages(app, admin):
    created = admin.post("/api/admin/users", json={"username": "quantri2", "role": "admin"})
    second = logged_in_with(app, "quantri2", created.json["password"])
    assert second.get("/api/admin/users").status_code == 200
    demoted = admin.put(
        f"/api/admin/users/{created.json['id']}",
        json={"role": "officer", "full_name": "Trần Thị B"},
    )
    assert (demoted.json["role"], demoted.json["full_name"]) == ("officer", "Trần Thị B")
    assert second.get("/api/admin/users").status_code == 403
    assert second.get("/admin").status_code == 403


@pytest.mark.parametrize("change", [{"active": False}, {"role": "officer"}])
def test_the_last_active_admin_stays(admin, db, change):
    refused = admin.put(f"/api/admin/users/{user_id(admin, 'quantri')}", json=change)
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "last_admin")
    assert "quantri" in refused.json["error"]["message"]
    assert db.execute("SELECT role, active FROM users WHERE username = 'quantri'").fetchone() == (
        "admin",
        1,
    )


def test_an_admin_may_step_down_once_another_exists(app, admin, clock, db):
    admin.post("/api/admin/users", json={"username": "quantri2", "role": "admin"})
    quantri = user_id(admin, "quantri")
    assert admin.put(f"/api/admin/users/{quantri}", json={"active": False}).status_code == 200
    assert admin.get("/api/admin/users").status_code == 401  # the session ended with it
    second = db.execute("SELECT id FROM users WHERE username = 'quantri2'").fetchone()[0]
    with pytest.raises(WrongState):
        admin_users.update_account(db, clock, None, second, {"active": False})


def test_a_password_is_reset_generated_or_chosen(app, admin):
    canbo = user_id(admin, "canbo")
    generated = admin.post(f"/api/admin/users/{canbo}/password")
    assert generated.status_code == 200
    assert generated.json["username"] == "canbo"
    logged_in_with(app, "canbo", generated.json["password"])
    chosen = admin.post(f"/api/admin/users/{canbo}/password", json={"password": " mật khẩu mới "})
    assert chosen.json == {"username": "canbo", "password": None}
    logged_in_with(app, "canbo", " mật khẩu mới ")  # kept exactly as typed
    short = admin.post(f"/api/admin/users/{canbo}/password", json={"password": "1234"})
    assert (short.status_code, short.json["error"]["code"]) == (400, "weak_password")
    assert [e["after"] for e in page_changes(admin)] == [
        {"generated": False},
        {"generated": True},
    ]
    assert admin.post("/api/admin/users/99/password").status_code == 404


def test_a_reset_password_ends_the_sessions_opened_with_the_old_one(app, admin):
    """A password reset after a leak must lock out whoever had it, on every device."""
    officer_desk, officer_phone = logged_in(app, "canbo"), logged_in(app, "canbo")
    canbo = user_id(admin, "canbo")
    reset = admin.post(f"/api/admin/users/{canbo}/password", json={"password": "mat-khau-moi-1"})
    assert reset.status_code == 200
    for old in (officer_desk, officer_phone):
        answer = old.post("/api/counters/1/next")
        assert (answer.status_code, answer.json["error"]["code"]) == (401, "login_required")
    again = logged_in_with(app, "canbo", "mat-khau-moi-1")
    assert again.get("/api/session").json == {"username": "canbo", "role": "officer"}


def test_an_admin_who_resets_their_own_password_stays_logged_in_here_only(app, admin):
    elsewhere = logged_in(app, "quantri")
    quantri = user_id(admin, "quantri")
    assert (
        admin.post(
            f"/api/admin/users/{quantri}/password", json={"password": "mat-khau-moi-2"}
        ).status_code
        == 200
    )
    assert admin.get("/api/admin/users").status_code == 200
    assert elsewhere.get("/api/admin/users").status_code == 401


def test_a_printer_url_is_checked_before_it_is_saved(admin, client, db):
    refused = admin.put("/api/admin/printers/counter:1", json={"url": "tcp://may-in:cong"})
    assert (refused.status_code, refused.json["error"]["code"]) == (400, "invalid_url")
    assert "tcp://may-in:cong" in refused.json["error"]["message"]
    assert db.execute("SELECT count(*) FROM printers").fetchone()[0] == 1
    saved = admin.put("/api/admin/printers/counter:1", json={"url": "tcp://192.168.1.50:9100"})
    assert saved.status_code == 200
    assert saved.json["url"] == "tcp://192.168.1.50:9100"
    assert "url" not in str(client.get("/api/printers").json)  # the public list hides addresses
    listed = {p["printer"]: p for p in admin.get("/api/admin/printers").json}
    assert listed["counter:1"]["url"] == "tcp://192.168.1.50:9100"
    assert listed["default"]["fallback_url"].startswith("dir:")
    back = admin.put("/api/admin/printers/counter:1", json={"url": None})
    assert back.json["url"] is None
    entries = page_changes(admin)
    assert [(e["before"], e["after"]) for e in entries] == [
        ({"url": "tcp://192.168.1.50:9100"}, {"url": None}),
        ({"url": None}, {"url": "tcp://192.168.1.50:9100"}),
    ]


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [("counter:99", 404, "counter_not_found"), ("may-in-1", 400, "invalid_printer_name")],
)
def test_a_printer_belongs_to_a_known_counter_or_a_named_kiosk(admin, name, status, code):
    refused = admin.put(f"/api/admin/printers/{name}", json={"url": "none"})
    assert (refused.status_code, refused.json["error"]["code"]) == (status, code)


def test_a_kiosk_printer_is_announced_to_the_screens(admin, socket_client):
    kiosk = socket_client("display")
    kiosk.get_received()
    admin.put("/api/admin/printers/kiosk:sanh-1", json={"url": "none"})
    received = [(e["name"], e["args"][0]) for e in kiosk.get_received() if e["name"] != "stats"]
    assert received[0][0] == "printer_status"
    assert received[0][1]["printer"] == "kiosk:sanh-1"
    assert "url" not in received[0][1]
    assert received[1] == ("setup_changed", {"what": "printers"})


def test_the_audit_log_is_newest_first_and_limited(admin):
    for number in range(3):
        admin.put("/api/admin/center", json={"name": f"Trung tâm {number}"})
    entries = admin.get("/api/admin/audit?limit=2").json
    assert [e["after"]["name"] for e in entries] == ["Trung tâm 2", "Trung tâm 1"]
    assert entries[0]["before"] == {"name": "Trung tâm 1"}
