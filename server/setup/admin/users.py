"""Changes to accounts: the admin's (add, change the role or the full name, disable and
enable, reset a password) and a user's own new password. Each is one transaction with its
audit entry, which never holds a password; every password set here passes the same check
(server/setup/passwords.py).

Disabling an account and a new password end every session of that account at their next
request (server/setup/auth.py, the session generation). The center always keeps at least
one active admin: the last one can be neither disabled nor made an officer.
"""

from __future__ import annotations

from typing import Any

from server.clock import Clock
from server.errors import InvalidInput, NotFound, WrongState
from server.setup.admin.input import Rule, check_body, now_text
from server.setup.audit import audited_change
from server.setup.auth import (
    WrongPassword,
    check_role,
    check_username,
    end_sessions,
    is_password_of,
    new_password,
    session_generation,
    store_password,
)
from server.setup.passwords import check_password
from server.storage.db import Database, rows_as_dicts

USER_RULES = {
    "username": Rule("Tên đăng nhập", str, required=True),
    "full_name": Rule("Họ và tên", str),
    "role": Rule("Vai trò", str),
    "password": Rule("Mật khẩu", str, verbatim=True),
    "active": Rule("Đang hoạt động", bool),
}


def list_users(db: Database, only: int | None = None) -> list[dict[str, Any]]:
    rows = rows_as_dicts(
        db,
        """SELECT id, username, full_name, role, active, created_at FROM users
           WHERE ? IS NULL OR id = ? ORDER BY username""",
        [only, only],
    )
    for row in rows:
        row["active"] = bool(row["active"])
    return rows


def user_record(db: Database, user_id: int) -> dict[str, Any]:
    rows = list_users(db, only=user_id)
    if not rows:
        raise NotFound(f"Không có tài khoản số {user_id}.", "user_not_found")
    return rows[0]


def add_account(db: Database, clock: Clock, actor: int | None, body: Any) -> dict[str, Any]:
    """A new active account; without a password one is generated and returned, once."""
    values = check_body(
        body, {key: rule for key, rule in USER_RULES.items() if key != "active"}, creating=True
    )
    role = values.get("role") or "officer"
    check_role(role)
    check_username(values["username"])
    password = values.get("password") or new_password()
    check_password(password, values["username"])
    with audited_change(db, clock, actor, "user.add", "users") as change:
        if db.execute("SELECT 1 FROM users WHERE username = ?", [values["username"]]).fetchone():
            raise WrongState(f"Tên đăng nhập '{values['username']}' đã có.", "username_taken")
        cursor = db.execute(
            """INSERT INTO users (username, password_hash, role, full_name, created_at)
               VALUES (?, '', ?, ?, ?)""",
            [values["username"], role, values.get("full_name"), now_text(clock)],
        )
        user_id = int(cursor.lastrowid or 0)
        store_password(db, user_id, password)
        after = user_record(db, user_id)
        change.record(f"user:{values['username']}", after=after)
    return {**after, "password": None if values.get("password") else password}


def update_account(
    db: Database, clock: Clock, actor: int | None, user_id: int, body: Any
) -> dict[str, Any]:
    """Change the full name, the role or `active` (false disables the account and ends its
    sessions)."""
    rules = {key: USER_RULES[key] for key in ("full_name", "role", "active")}
    values = check_body(body, rules, creating=False)
    if values.get("role") is not None:
        check_role(values["role"])
    with audited_change(db, clock, actor, "user.update", "users") as change:
        before = user_record(db, user_id)
        after = {
            **before,
            "full_name": values.get("full_name", before["full_name"]),
            "role": values.get("role") or before["role"],
            "active": before["active"] if values.get("active") is None else values["active"],
        }
        was_admin = before["role"] == "admin" and before["active"]
        if was_admin and not (after["role"] == "admin" and after["active"]):
            require_another_admin(db, before)
        db.execute(
            "UPDATE users SET full_name = ?, role = ?, active = ? WHERE id = ?",
            [after["full_name"], after["role"], int(after["active"]), user_id],
        )
        if before["active"] and not after["active"]:
            end_sessions(db, user_id)  # enabling it again brings no old cookie back
        change.record(f"user:{before['username']}", before=before, after=after)
    return after


def require_another_admin(db: Database, admin: dict[str, Any]) -> None:
    others = db.execute(
        "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND id != ?",
        [admin["id"]],
    ).fetchone()[0]
    if not others:
        raise WrongState(
            f"'{admin['username']}' là tài khoản quản trị cuối cùng đang hoạt động: không thể "
            "khoá hoặc đổi sang cán bộ. Hãy tạo một tài khoản quản trị khác trước.",
            "last_admin",
        )


def reset_password(
    db: Database, clock: Clock, actor: int | None, user_id: int, body: Any
) -> dict[str, Any]:
    """Set the password sent, or generate one and return it (shown once, never stored
    in clear). The account's open sessions end: they were opened with the old password."""
    values = check_body(body or {}, {"password": USER_RULES["password"]}, creating=False)
    password = values.get("password") or new_password()
    with audited_change(db, clock, actor, "user.password_reset", "users") as change:
        user = user_record(db, user_id)
        check_password(password, user["username"])
        store_password(db, user_id, password)
        change.record(f"user:{user['username']}", after={"generated": not values.get("password")})
    return {"username": user["username"], "password": None if values.get("password") else password}


OWN_PASSWORD_RULES = {
    "current_password": Rule("Mật khẩu hiện tại", str, required=True, verbatim=True),
    "new_password": Rule("Mật khẩu mới", str, required=True, verbatim=True),
}


def own_password_change(body: Any) -> tuple[str, str]:
    """The current and the new password a user sent to change theirs (400 for a malformed
    body), read before anything is checked, so a malformed request is never counted as a
    guess of the current password."""
    values = check_body(body, OWN_PASSWORD_RULES, creating=True)
    return values["current_password"], values["new_password"]


def change_own_password(db: Database, clock: Clock, user_id: int, current: str, new: str) -> int:
    """A logged-in user's new password, given their current one (401 wrong_password when it
    is not, 400 weak_password for a new one easy to guess). Every session of the user ends;
    returns their new session generation, for the session that made the change to keep."""
    if not is_password_of(db, user_id, current):  # hashing is slow: not under the write lock
        raise WrongPassword("Mật khẩu hiện tại không đúng.")
    if new == current:
        raise InvalidInput("Mật khẩu mới phải khác mật khẩu hiện tại.", "same_password")
    with audited_change(db, clock, user_id, "user.password_change", "users") as change:
        user = user_record(db, user_id)
        check_password(new, user["username"])
        store_password(db, user_id, new)
        change.record(f"user:{user['username']}")
        generation = session_generation(db, user_id)
    return generation
