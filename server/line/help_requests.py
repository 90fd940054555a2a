"""A citizen at a kiosk calls for an officer ("Gọi cán bộ hỗ trợ"), and an officer answers.

An elderly citizen lost in the flow, or one whose dossier is incomplete, needs a person, not
another screen. The kiosk's request shows on every console until one officer takes it; the
kiosk then says that someone is coming. A kiosk has at most one open request a day (a second
tap is the same request: the schema's partial UNIQUE index refuses two), so however often it
is tapped the consoles show one banner per kiosk. Requests of earlier days are out of every
list: a request nobody answered before closing does not greet tomorrow's officers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.clock import Clock, iso
from server.errors import NotFound, WrongState
from server.storage.db import Database, add_event, write_transaction

KIOSK_LABEL_LENGTH = 64  # a registered kiosk's name (≤ 32) or a client address (IPv6 ≤ 45)

_COLUMNS = """h.id, h.kiosk, h.requested_at, h.answered_at, h.answered_by,
              coalesce(nullif(u.full_name, ''), u.username)"""


@dataclass(frozen=True)
class HelpRequestChanged:
    """A help request was made or answered: the consoles show or drop its banner, the kiosk
    that made it learns that an officer is coming."""

    request: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.request)

    def public(self) -> dict[str, Any]:
        """What a public screen hears (the kiosk follows its own request by id): no names."""
        return {"id": self.request["id"], "status": self.request["status"]}


def _view(row: tuple[Any, ...]) -> dict[str, Any]:
    request_id, kiosk, requested_at, answered_at, answered_by, officer_name = row
    return {
        "id": request_id,
        "kiosk": kiosk,
        "status": "open" if answered_at is None else "answered",
        "requested_at": requested_at,
        "answered_at": answered_at,
        "answered_by": answered_by,
        "answered_by_name": officer_name if answered_by is not None else None,
    }


def _read(db: Database, where: str, values: list[Any]) -> list[dict[str, Any]]:
    rows = db.execute(
        f"""SELECT {_COLUMNS} FROM help_requests h LEFT JOIN users u ON u.id = h.answered_by
            WHERE {where} ORDER BY h.id""",
        values,
    ).fetchall()
    return [_view(row) for row in rows]


def request_help(db: Database, clock: Clock, kiosk: str) -> tuple[dict[str, Any], bool]:
    """The kiosk's open request of today, made now if it has none; (request, created)."""
    now = clock.now()
    day = now.date().isoformat()
    label = kiosk[:KIOSK_LABEL_LENGTH] or "?"
    with write_transaction(db):
        found = _read(db, "h.day = ? AND h.kiosk = ? AND h.answered_at IS NULL", [day, label])
        if found:
            return found[0], False
        request_id = db.execute(
            "INSERT INTO help_requests (day, kiosk, requested_at) VALUES (?, ?, ?)",
            [day, label, iso(now)],
        ).lastrowid
        request = _read(db, "h.id = ?", [request_id])[0]
        add_event(db, HelpRequestChanged(request))
    return request, True


def answer_help(db: Database, clock: Clock, request_id: int, officer_id: int) -> dict[str, Any]:
    """An officer takes today's open request: every console drops it, the kiosk says so."""
    now = clock.now()
    with write_transaction(db):
        found = _read(db, "h.id = ? AND h.day = ?", [request_id, now.date().isoformat()])
        if not found:
            raise NotFound("Không có yêu cầu hỗ trợ này trong hôm nay.", "unknown_help_request")
        if found[0]["status"] == "answered":
            name = found[0]["answered_by_name"]
            raise WrongState(
                f"Yêu cầu hỗ trợ này đã có cán bộ {name} nhận.", "help_request_answered"
            )
        db.execute(
            "UPDATE help_requests SET answered_at = ?, answered_by = ? WHERE id = ?",
            [iso(now), officer_id, request_id],
        )
        request = _read(db, "h.id = ?", [request_id])[0]
        add_event(db, HelpRequestChanged(request))
    return request


def open_help_requests(db: Database, clock: Clock) -> list[dict[str, Any]]:
    """Today's requests no officer has answered yet, oldest first (what the consoles show)."""
    return _read(db, "h.day = ? AND h.answered_at IS NULL", [clock.now().date().isoformat()])
