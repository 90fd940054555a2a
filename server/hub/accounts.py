"""The hub's accounts: the province's staff who read its figures (one role, admin). The
center's rules apply: passwords checked by server/setup/passwords.py and kept only as
werkzeug hashes, and a session lets its user in only while its generation is still theirs,
so logging out ends every session of that user at once (server/setup/auth.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from psycopg import Connection, errors
from werkzeug.security import check_password_hash, generate_password_hash

from server.clock import Clock
from server.errors import WrongState
from server.setup.auth import (
    DUMMY_HASH,
    SESSION_GENERATION,
    SESSION_USER,
    User,
    check_username,
)
from server.setup.passwords import check_password

ROLE = "admin"  # everyone at the hub reads every center


def add_user(conn: Connection, clock: Clock, username: str, password: str) -> None:
    """A new hub account (400 for a weak password or a wrong name, 409 when it exists)."""
    check_username(username)
    check_password(password, username)
    try:
        with conn.transaction():
            conn.execute(
                """INSERT INTO hub_users (username, password_hash, created_at)
                   VALUES (%s, %s, %s)""",
                [username, generate_password_hash(password), clock.now()],
            )
    except errors.UniqueViolation:
        raise WrongState(f"Tài khoản {username} đã có.", "user_exists") from None


def authenticate(conn: Connection, username: str, password: str) -> User | None:
    """The active hub user with this name and password, or None (as long either way)."""
    row = conn.execute(
        """SELECT id, username, password_hash, session_generation FROM hub_users
           WHERE username = %s AND active""",
        [username],
    ).fetchone()
    if row is None:
        check_password_hash(DUMMY_HASH, password)
        return None
    if not check_password_hash(row[2], password):
        return None
    return User(row[0], row[1], ROLE, row[3])


def user_of_session(conn: Connection, session: Mapping[str, Any]) -> User | None:
    """The active user behind a session cookie while its generation is still theirs."""
    user_id, generation = session.get(SESSION_USER), session.get(SESSION_GENERATION)
    if type(user_id) is not int or type(generation) is not int:
        return None
    row = conn.execute(
        """SELECT id, username FROM hub_users
           WHERE id = %s AND active AND session_generation = %s""",
        [user_id, generation],
    ).fetchone()
    return None if row is None else User(row[0], row[1], ROLE, generation)


def log_out(conn: Connection, user_id: int) -> None:
    """End every session of the user, on every device."""
    with conn.transaction():
        conn.execute(
            "UPDATE hub_users SET session_generation = session_generation + 1 WHERE id = %s",
            [user_id],
        )
