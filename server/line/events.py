"""Domain events and the seq-numbered, append-only event log.

Every ticket state change appends one row to ticket_events inside the same transaction
as the change. The row keeps the exact wire payload, so a screen that reconnects with
`since` is replayed the very events it missed. Appending also hands the event to the
transaction (server/storage/db.py add_event), which releases it for publishing at COMMIT.

CounterChanged is the other event of the line: a counter opened or closed, which no ticket
event tells but every screen's snapshot shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from server.storage.db import Database, add_event


@dataclass(frozen=True)
class TicketEvent:
    """One ticket_* event as sent to clients.

    seq: position in the global log (grows by one per event, across restarts);
    name: ticket_issued, ticket_called or ticket_updated; action: what happened
    (issued, called, recalled, no_show, transferred, finished, rated);
    ticket_id; counter_ids: the counters whose consoles should hear of it;
    payload: the ticket as a dict plus event fields, without seq.
    """

    seq: int
    name: str
    action: str
    ticket_id: str
    counter_ids: tuple[int, ...]
    payload: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The wire format: the payload with its seq."""
        return {**self.payload, "seq": self.seq}


@dataclass(frozen=True)
class CounterChanged:
    """A counter opened (an officer called there) or closed: its id. Screens learn of it
    through the snapshots it moves (`stats`, `counter_state`), and other processes through
    the `counter_changed` event."""

    counter_id: int

    def to_dict(self) -> dict[str, Any]:
        return {"counter_id": self.counter_id}


def last_seq(db: Database) -> int:
    """The newest seq of the log (0 when it is empty): where a screen resumes from."""
    return db.execute("SELECT coalesce(max(seq), 0) FROM ticket_events").fetchone()[0]


def append_event(
    db: Database,
    *,
    name: str,
    action: str,
    ticket: dict[str, Any],
    day: date,
    at: str,
    counter_ids: tuple[int, ...],
    officer_id: int | None = None,
    extra: dict[str, Any] | None = None,
) -> TicketEvent:
    """Append one event in the caller's transaction and return it with its seq."""
    payload = {**ticket, **(extra or {})}
    if name == "ticket_updated":
        payload["action"] = action
    cursor = db.execute(
        """INSERT INTO ticket_events
           (name, action, ticket_id, day, at, counter_id, officer_id, audience, payload)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            name,
            action,
            ticket["id"],
            day.isoformat(),
            at,
            ticket.get("counter_id"),
            officer_id,
            json.dumps(sorted(set(counter_ids))),
            json.dumps(payload, ensure_ascii=False),
        ],
    )
    event = TicketEvent(
        seq=int(cursor.lastrowid or 0),
        name=name,
        action=action,
        ticket_id=ticket["id"],
        counter_ids=tuple(sorted(set(counter_ids))),
        payload=payload,
    )
    add_event(db, event)
    return event


def events_since(db: Database, day: date, since: int) -> list[TicketEvent]:
    """Every event of the local day with seq > since, in order."""
    rows = db.execute(
        """SELECT seq, name, action, ticket_id, audience, payload FROM ticket_events
           WHERE day = ? AND seq > ? ORDER BY seq""",
        [day.isoformat(), since],
    ).fetchall()
    return [
        TicketEvent(
            seq=seq,
            name=name,
            action=action,
            ticket_id=ticket_id,
            counter_ids=tuple(json.loads(audience)),
            payload=json.loads(payload),
        )
        for seq, name, action, ticket_id, audience, payload in rows
    ]
