"""Sessions that end: logging out, disabling an account and a new password end every session
of that user at once, so an old cookie (or a copy of it) no longer closes a counter or opens
the console live; and a user changes their own password (POST /api/session/password)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from server.setup.audit import recent_changes
from server.web.rate_limit import LoginThrottle
from tests.conftest import PASSWORD, logged_in

COOKIE = "motcua_session"
NEW_PASSWORD = "hoa sen nở giữa hồ"


def copy_of(app: Flask, browser: FlaskClient) -> FlaskClient:
    """Another client holding the same cookie: what someone who copied it has."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, browser.get_cookie(COOKIE).value)
    return thief


def log_in(app: Flask, username: str, password: str) -> Any:
    return app.test_client().post("/api/session", json={"username": username, "password": password})


def change(browser: FlaskClient, current: str, new: str, **extra: Any) -> Any:
    body = {"current_password": current, "new_password": new, **extra}
    return browser.post("/api/session/password", json=body)


def counter_open(db: Any, counter_id: int) -> bool:
    row = db.execute("SELECT state FROM counters WHERE id = ?", [counter_id]).fetchone()
    return row[0] == "open"


def test_logging_out_ends_the_old_cookie_every_copy_and_every_device(app, db):
    officer = logged_in(app, "canbo")
    copied, other_desk = copy_of(app, officer), logged_in(app, "canbo")
    colleague = logged_in(app, "canbo2")
    assert officer.post("/api/counters/1/next").status_code == 204  # nobody waits: it opens
    assert copied.get("/api/session").status_code == 200  # the copy works while logged in

    assert officer.delete("/api/session").status_code == 204
    for old in (copied, other_desk):
        refused = old.post("/api/counters/1/close")
        assert (refused.status_code, refused.json["error"]["code"]) == (401, "login_required")
    assert not counter_open(db, 1)  # logging out closed the counter canbo held
    assert colleague.get("/api/session").json["username"] == "canbo2"  # only canbo's sessions
    assert logged_in(app, "canbo").post("/api/counters/1/resume").json["state"] == "open"


def test_a_logged_out_cookie_no_longer_opens_the_console_live(app, socket_client):
    officer = logged_in(app, "canbo")
    copied = copy_of(app, officer)
    live = socket_client("counter:1", browser=copied)
    assert "counter_state" in {event["name"] for event in live.get_received()}

    officer.delete("/api/session")
    again = socket_client("counter:1", browser=copied)
    names = {event["name"] for event in again.get_received()}
    assert "stats" in names and "counter_state" not in names  # a public screen, no console


def test_enabling_an_account_again_does_not_revive_its_old_cookies(app, admin, db):
    officer = logged_in(app, "canbo")
    canbo = next(u["id"] for u in admin.get("/api/admin/users").json if u["username"] == "canbo")
    assert officer.post("/api/counters/1/resume").json["state"] == "open"
    admin.put(f"/api/admin/users/{canbo}", json={"active": False})
    assert not counter_open(db, 1)  # a disabled account's counter closes
    admin.put(f"/api/admin/users/{canbo}", json={"active": True})
    assert officer.post("/api/counters/1/close").status_code == 401
    assert logged_in(app, "canbo").post("/api/counters/1/close").status_code == 200


def test_a_cookie_without_a_generation_is_not_a_session(app, client):
    """A cookie signed by an older version (it kept a password stamp) or made up: logged out."""
    signer = app.session_interface.get_signing_serializer(app)
    for content in (
        {"user_id": 1, "stamp": "0123456789abcdef"},
        {"user_id": 1, "generation": True},
    ):
        client.set_cookie(COOKIE, signer.dumps(content))
        assert client.get("/api/session").status_code == 401


def test_an_officer_changes_their_own_password(app, db):
    desk, phone = logged_in(app, "canbo"), logged_in(app, "canbo")
    changed = change(desk, PASSWORD, NEW_PASSWORD)
    assert changed.status_code == 204
    assert desk.get("/api/session").json == {"username": "canbo", "role": "officer"}
    assert phone.get("/api/session").status_code == 401  # every other session ended
    assert log_in(app, "canbo", PASSWORD).status_code == 401
    assert log_in(app, "canbo", NEW_PASSWORD).status_code == 200
    entry = recent_changes(db)[0]
    assert (entry["action"], entry["target"], entry["username"]) == (
        "user.password_change",
        "user:canbo",
        "canbo",
    )
    stored = db.execute("SELECT before, after FROM audit_log").fetchall()
    assert NEW_PASSWORD not in str(stored) and PASSWORD not in str(stored)


def test_an_admin_changes_their_own_password_the_same_way(app, admin):
    assert change(admin, PASSWORD, NEW_PASSWORD).status_code == 204
    assert admin.get("/api/admin/users").status_code == 200
    assert log_in(app, "quantri", NEW_PASSWORD).status_code == 200


@pytest.mark.parametrize(
    ("current", "new", "status", "code", "message"),
    [
        ("sai-mat-khau", NEW_PASSWORD, 401, "wrong_password", "Mật khẩu hiện tại không đúng."),
        (PASSWORD, "ngan", 400, "weak_password", "Mật khẩu cần ít nhất 8 ký tự."),
        (PASSWORD, "12345678", 400, "weak_password", "quá phổ biến"),
        (PASSWORD, "canbo2026", 400, "weak_password", "tên đăng nhập"),
        (PASSWORD, PASSWORD, 400, "same_password", "phải khác mật khẩu hiện tại"),
        (PASSWORD, None, 400, "invalid_new_password", "Mật khẩu mới: chưa nhập."),
        (None, NEW_PASSWORD, 400, "invalid_current_password", "Mật khẩu hiện tại: chưa nhập."),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(
    app, db, officer, current, new, status, code, message
):
    other_desk = logged_in(app, "canbo")
    refused = change(officer, current, new)
    assert (refused.status_code, refused.json["error"]["code"]) == (status, code)
    assert message in refused.json["error"]["message"]
    assert officer.get("/api/session").status_code == 200  # still logged in, here
    assert other_desk.get("/api/session").status_code == 200  # and there
    assert log_in(app, "canbo", PASSWORD).status_code == 200
    assert db.execute("SELECT count(*) FROM audit_log WHERE user_id IS NOT NULL").fetchone() == (0,)


def test_an_unknown_key_is_refused(officer):
    refused = change(officer, PASSWORD, NEW_PASSWORD, username="quantri")
    assert (refused.status_code, refused.json["error"]["code"]) == (400, "unknown_key")


def test_guessing_the_current_password_is_throttled_like_a_login(app, officer):
    """A console left logged in must not let anyone guess the password behind it."""
    app.extensions["motcua_login_throttle"] = LoginThrottle(now=lambda: 1000.0)
    for attempt in range(4):
        assert change(officer, f"doan-{attempt}", NEW_PASSWORD).status_code == 401
    refused = change(officer, PASSWORD, NEW_PASSWORD)  # even the right one waits
    assert (refused.status_code, refused.json["error"]["code"]) == (429, "too_many_logins")
    assert refused.headers["Retry-After"] == "1"
    assert officer.get("/api/session").status_code == 200
