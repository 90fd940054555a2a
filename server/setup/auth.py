"""Users (officers and admins) and their passwords.

Passwords are stored only as werkzeug hashes. The web edge keeps the logged-in user's id
and the stamp of the password it logged in with in the signed session cookie, and asks this
module who that is on each request: a new password ends every session opened with the old
one (a reset after a leaked password locks out whoever had it).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from werkzeug.security import check_password_hash, generate_password_hash

from server.errors import InvalidInput
from server.storage.db import Database
from server.vocabulary import ROLES

USERNAME = re.compile(r"[a-z0-9_.-]{2,40}")
MINIMUM_PASSWORD = 8
# A hash of nothing anybody can type: checked when the user is unknown, so a login with a
# wrong name takes as long as one with a wrong password. Made once (werkzeug's default method
# and work, as every stored hash; the password was thrown away) and written down: making it
# at import cost every start 0.1–0.2 s and a 32 MB peak (scrypt's memory).
DUMMY_HASH = (
    "scrypt:32768:8:1$JvP5jlf1lVABoDxe$5785553f671310c59aed28282f4e8bea6974a97b9563522213aea9"
    "ed14b5268fa542c22bf3aa6c12a51aef463f23b651c2939f957f668ce1d7c6f14b35ae91f3"
)


@dataclass(frozen=True)
class User:
    """A logged-in person: id, username and role (officer or admin); `stamp`, the stamp of
    the password they logged in with, is what their session keeps."""

    id: int
    username: str
    role: str
    stamp: str = field(default="", compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"username": self.username, "role": self.role}

    def may(self, role: str) -> bool:
        """Admins may do everything officers may."""
        return self.role == "admin" or self.role == role


def check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(f"Vai trò không hợp lệ: '{role}' (officer hoặc admin).", "invalid_role")


def check_username(username: str) -> None:
    if not USERNAME.fullmatch(username):
        raise InvalidInput(
            "Tên đăng nhập gồm 2–40 ký tự: chữ thường không dấu, số, dấu chấm, gạch.",
            "invalid_username",
        )


def check_password(password: str) -> None:
    if len(password) < MINIMUM_PASSWORD:
        raise InvalidInput(f"Mật khẩu cần ít nhất {MINIMUM_PASSWORD} ký tự.", "weak_password")


def authenticate(db: Database, username: str, password: str) -> User | None:
    """The active user with this name and password, or None."""
    row = db.execute(
        "SELECT id, username, role, password_hash FROM users WHERE username = ? AND active = 1",
        [username],
    ).fetchone()
    if row is None:
        check_password_hash(DUMMY_HASH, password)
        return None
    if not check_password_hash(row[3], password):
        return None
    return User(row[0], row[1], row[2], password_stamp(row[3]))


def password_stamp(password_hash: str) -> str:
    """A short digest of the password's (salted) hash: changes with every new password and
    tells nothing about it."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def user_stamp(db: Database, user_id: int) -> str:
    """The stamp of a user's current password (for re-stamping one's own session)."""
    row = db.execute("SELECT password_hash FROM users WHERE id = ?", [user_id]).fetchone()
    return password_stamp(row[0]) if row else ""


def load_user(db: Database, user_id: Any, stamp: Any) -> User | None:
    """The active user behind a session's id and password stamp (None if removed, disabled
    or given a new password since the session was opened)."""
    if not isinstance(user_id, int) or not isinstance(stamp, str):
        return None
    row = db.execute(
        "SELECT id, username, role, password_hash FROM users WHERE id = ? AND active = 1",
        [user_id],
    ).fetchone()
    if row is None or not hmac.compare_digest(password_stamp(row[3]), stamp):
        return None
    return User(row[0], row[1], row[2], stamp)


def store_password(db: Database, user_id: int, password: str) -> None:
    """Replace a user's password hash; call inside the change's write transaction."""
    db.execute(
        "UPDATE users SET password_hash = ? WHERE id = ?",
        [generate_password_hash(password), user_id],
    )


def new_password() -> str:
    """A password to print once: 12 characters, easy to type."""
    return secrets.token_urlsafe(9)
