"""The audit log (who changed the center's setup, when, from what to what) and the one way
an admin change is made: `audited_change`.

Append-only in the schema itself (triggers refuse UPDATE and DELETE). Every change of the
setup (by an admin on /admin, or by `motcua user add`) goes through `audited_change`: one
write transaction that holds the change, its audit entry and the `SetupChanged` event that
tells every screen, so the log and the data never disagree and no screen misses a change.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from server.clock import Clock, iso
from server.storage.db import Database, add_event, rows_as_dicts, write_transaction

# What a SetupChanged says changed: the screens reload that part of the setup.
SETUP_PARTS = (
    "center", "calendar", "fields", "procedures", "counters", "users", "printers", "voice",
    "remote",  # remote tickets and bookings (server/setup/admin/remote.py)
)  # fmt: skip


@dataclass(frozen=True)
class SetupChanged:
    """The center's setup changed: kiosks, consoles and the TV reload `what` (one of
    SETUP_PARTS) without a page reload, and the stats (center name, today's session) move."""

    what: str

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what}


@dataclass
class AuditedChange:
    """A change being made. Its body calls `record` once it knows what changed: the target
    ("procedure:khai-sinh") and the record before and after, as the audit log keeps them
    (None for what did not exist, or no longer does). A body that changed nothing records
    nothing: no audit entry, no event."""

    target: str | None = None
    before: Any = None
    after: Any = None

    def record(self, target: str, *, before: Any = None, after: Any = None) -> None:
        self.target, self.before, self.after = target, before, after


@contextmanager
def audited_change(
    db: Database, clock: Clock, user_id: int | None, action: str, what: str
) -> Iterator[AuditedChange]:
    """One admin change: a write transaction around the body, then its audit entry and the
    event for the screens, committed together (or, on any refusal, none of them).

    action: e.g. "procedure.update"; what: the part of the setup the screens reload
    (SETUP_PARTS); user_id: who made it, None for the command line.
    """
    assert what in SETUP_PARTS, what
    change = AuditedChange()
    with write_transaction(db):
        yield change
        if change.target is None:
            return
        record_audit(
            db,
            at=iso(clock.now()),
            user_id=user_id,
            action=action,
            target=change.target,
            before=change.before,
            after=change.after,
        )
        add_event(db, SetupChanged(what))


def record_audit(
    db: Database,
    *,
    at: str,
    user_id: int | None,
    action: str,
    target: str,
    before: Any = None,
    after: Any = None,
) -> None:
    """One audit entry, inside the caller's write transaction: an admin change (through
    audited_change), or an admin's action on another officer's ticket."""
    db.execute(
        """INSERT INTO audit_log (at, user_id, action, target, before, after)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [at, user_id, action, target, as_json(before), as_json(after)],
    )


def as_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def recent_changes(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    """The newest entries first, with the username of who made them."""
    rows = rows_as_dicts(
        db,
        """SELECT a.id, a.at, u.username, a.action, a.target, a.before, a.after
           FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
           ORDER BY a.id DESC LIMIT ?""",
        [limit],
    )
    for row in rows:
        for key in ("before", "after"):
            row[key] = None if row[key] is None else json.loads(row[key])
    return rows
