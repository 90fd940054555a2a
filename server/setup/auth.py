"""Users (officers and admins), their passwords and their sessions.

Passwords are stored only as werkzeug hashes. The web edge keeps the logged-in user's id and
generation in the signed session cookie (`session_values`), and asks this module who that is
on each request and on each live connection (`user_of_session`). A session is let in only
while its generation is still the user's: logging out, being disabled and a new password
each add one to it (`end_sessions`), which ends every session of that user at once, on every
device; an account enabled again does not bring its old cookies back.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from werkzeug.security import check_password_hash, generate_password_hash

from server.errors import DomainError, InvalidInput
from server.storage.db import Database, write_transaction
from server.vocabulary import ROLES

USERNAME = re.compile(r"[a-z0-9_.-]{2,40}")
# A hash of nothing anybody can type: checked when the user is unknown, so a login with a
# wrong name takes as long as one with a wrong password. Made once (werkzeug's default method
# and work, as every stored hash; the password was thrown away) and written down: making it
# at import cost every start 0.1–0.2 s and a 32 MB peak (scrypt's memory).
DUMMY_HASH = (
    "scrypt:32768:8:1$JvP5jlf1lVABoDxe$5785553f671310c59aed28282f4e8bea6974a97b9563522213aea9"
    "ed14b5268fa542c22bf3aa6c12a51aef463f23b651c2939f957f668ce1d7c6f14b35ae91f3"
)


# The session cookie's keys: the user, and their generation when the session was opened.
SESSION_USER, SESSION_GENERATION = "user_id", "generation"


class WrongPassword(DomainError):
    """The current password typed to change it is not the user's (401)."""

    status = 401
    code = "wrong_password"


@dataclass(frozen=True)
class User:
    """A logged-in person: id, username and role (officer or admin); `generation`, the
    user's session generation, is what their session keeps."""

    id: int
    username: str
    role: str
    generation: int = field(default=0, compare=False, repr=False)

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


def authenticate(db: Database, username: str, password: str) -> User | None:
    """The active user with this name and password, or None."""
    row = db.execute(
        """SELECT id, username, role, password_hash, session_generation FROM users
           WHERE username = ? AND active = 1""",
        [username],
    ).fetchone()
    if row is None:
        check_password_hash(DUMMY_HASH, password)
        return None
    if not check_password_hash(row[3], password):
        return None
    return User(row[0], row[1], row[2], row[4])


def is_password_of(db: Database, user_id: int, password: str) -> bool:
    """Whether `password` is the user's current one (to let them change it)."""
    row = db.execute("SELECT password_hash FROM users WHERE id = ?", [user_id]).fetchone()
    if row is None:
        check_password_hash(DUMMY_HASH, password)
        return False
    return check_password_hash(row[0], password)


def session_values(user_id: int, generation: int) -> dict[str, int]:
    """What a session cookie keeps of its user (set at login, renewed by one's own change)."""
    return {SESSION_USER: user_id, SESSION_GENERATION: generation}


def user_of_session(db: Database, session: Mapping[str, Any]) -> User | None:
    """The active user behind a session cookie, or None: no such user, disabled, or a
    generation that is no longer theirs (logged out, disabled or given a new password since
    the session was opened). A cookie of an older version, without a generation, is None."""
    user_id, generation = session.get(SESSION_USER), session.get(SESSION_GENERATION)
    if type(user_id) is not int or type(generation) is not int:
        return None
    row = db.execute(
        """SELECT id, username, role FROM users
           WHERE id = ? AND active = 1 AND session_generation = ?""",
        [user_id, generation],
    ).fetchone()
    return None if row is None else User(row[0], row[1], row[2], generation)


def session_generation(db: Database, user_id: int) -> int:
    """The user's current generation (a session that keeps it stays open)."""
    row = db.execute("SELECT session_generation FROM users WHERE id = ?", [user_id]).fetchone()
    return int(row[0]) if row else 0


def end_sessions(db: Database, user_id: int) -> None:
    """End every session of the user (their next request is 401); call inside the change's
    write transaction."""
    db.execute(
        "UPDATE users SET session_generation = session_generation + 1 WHERE id = ?", [user_id]
    )


def log_out(db: Database, user_id: int) -> None:
    """Logging out ends every session of the user, on every device: the cookie a browser
    gave up (or that was copied from it) no longer opens anything."""
    with write_transaction(db):
        end_sessions(db, user_id)


def store_password(db: Database, user_id: int, password: str) -> None:
    """Replace a user's password hash, which ends their sessions (a new password after a
    leak locks out whoever had the old one); call inside the change's write transaction."""
    db.execute(
        "UPDATE users SET password_hash = ? WHERE id = ?",
        [generate_password_hash(password), user_id],
    )
    end_sessions(db, user_id)


def new_password() -> str:
    """A password to print once: 12 characters, easy to type."""
    return secrets.token_urlsafe(9)
