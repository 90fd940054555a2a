"""The centers a hub hears from: registered by an operator (`motcua hub add-center`), each
with its own token, stored only as its SHA-256, that names the center on every batch it
sends. A new token (`motcua hub rotate-token`) replaces the old one at once."""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any

from psycopg import Connection, errors

from server.clock import Clock
from server.errors import InvalidInput, NotFound, WrongState

CENTER_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_center_id(center_id: str) -> None:
    if not CENTER_ID.fullmatch(center_id):
        raise InvalidInput(
            "Mã trung tâm gồm 1–63 ký tự: chữ thường không dấu, số và dấu gạch ngang "
            "(ví dụ lai-khe).",
            "invalid_center_id",
        )


def add_center(conn: Connection, clock: Clock, center_id: str, name: str) -> str:
    """Register a center; its token, returned once (the hub keeps only its hash)."""
    check_center_id(center_id)
    if not name.strip():
        raise InvalidInput("Cần tên trung tâm (--name).", "missing_name")
    token = secrets.token_urlsafe(32)
    try:
        with conn.transaction():
            conn.execute(
                "INSERT INTO centers (id, name, token_hash, created_at) VALUES (%s, %s, %s, %s)",
                [center_id, name.strip(), token_hash(token), clock.now()],
            )
    except errors.UniqueViolation:
        raise WrongState(
            f"Trung tâm {center_id} đã được đăng ký (đổi mã: motcua hub rotate-token).",
            "center_exists",
        ) from None
    return token


def rotate_token(conn: Connection, center_id: str) -> str:
    """A new token for the center; the old one stops working with this commit."""
    token = secrets.token_urlsafe(32)
    with conn.transaction():
        cursor = conn.execute(
            "UPDATE centers SET token_hash = %s WHERE id = %s", [token_hash(token), center_id]
        )
    if cursor.rowcount == 0:
        raise NotFound(f"Không có trung tâm {center_id}.", "unknown_center")
    return token


def center_of_token(conn: Connection, token: str) -> str | None:
    """The id of the center this token belongs to, or None."""
    row = conn.execute(
        "SELECT id FROM centers WHERE token_hash = %s", [token_hash(token)]
    ).fetchone()
    return row[0] if row else None


def list_centers(conn: Connection) -> list[dict[str, Any]]:
    """Every registered center: id, name, when it was registered and when it last sent."""
    cursor = conn.execute(
        "SELECT id, name, created_at, last_received_at FROM centers ORDER BY name, id"
    )
    return [
        {
            "id": row[0],
            "name": row[1],
            "created_at": row[2].isoformat(timespec="seconds"),
            "last_received_at": row[3].isoformat(timespec="seconds") if row[3] else None,
        }
        for row in cursor
    ]
