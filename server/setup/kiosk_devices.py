"""Kiosks registered with a device token, exempt from the per-address ticket rate limit.

A center's kiosks may share one address (behind a router) and take tickets in bursts on a
busy morning; a script on the guest Wi-Fi must not. The installer registers each kiosk once
(`motcua kiosk add NAME`), which gives a token shown once and opened with the kiosk's page
(/kiosk?kiosk=NAME&token=…); the kiosk sends it as X-Kiosk-Token with every ticket.
Registering a name again replaces its token (the old one stops working), as does removing it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any

from server.clock import Clock, iso
from server.errors import InvalidInput, NotFound
from server.storage.db import Database, write_transaction

KIOSK_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")  # also the name of its printer queue
TOKEN_BYTES = 24


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def register_kiosk(db: Database, clock: Clock, name: str) -> str:
    """Give the kiosk `name` a new token (replacing any earlier one); returns the token."""
    if not KIOSK_NAME.fullmatch(name):
        raise InvalidInput(
            f"Tên ki-ốt không hợp lệ: '{name}' "
            "(chữ thường không dấu, số và dấu -, tối đa 32 ký tự).",
            "invalid_kiosk_name",
        )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with write_transaction(db):
        db.execute(
            """INSERT INTO kiosk_devices (name, token_sha256, registered_at) VALUES (?, ?, ?)
               ON CONFLICT (name) DO UPDATE SET token_sha256 = excluded.token_sha256,
                   registered_at = excluded.registered_at""",
            [name, token_digest(token), iso(clock.now())],
        )
    return token


def remove_kiosk(db: Database, name: str) -> None:
    with write_transaction(db):
        if db.execute("DELETE FROM kiosk_devices WHERE name = ?", [name]).rowcount == 0:
            raise NotFound(f"Không có ki-ốt đã đăng ký tên '{name}'.", "unknown_kiosk")


def registered_kiosks(db: Database) -> list[dict[str, Any]]:
    rows = db.execute("SELECT name, registered_at FROM kiosk_devices ORDER BY name").fetchall()
    return [{"name": name, "registered_at": at} for name, at in rows]


def kiosk_for_token(db: Database, token: str | None) -> str | None:
    """The registered kiosk this token belongs to, or None (no token, unknown, replaced)."""
    if not token or len(token) > 100:
        return None
    row = db.execute(
        "SELECT name FROM kiosk_devices WHERE token_sha256 = ?", [token_digest(token)]
    ).fetchone()
    return row[0] if row else None
