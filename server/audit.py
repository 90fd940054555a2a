"""The audit log: who changed the center's setup, when, and from what to what.

Append-only in the schema itself (triggers refuse UPDATE and DELETE). Every admin change
records one entry inside the transaction that makes the change, so the log and the data can
never disagree.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from server.db import rows_as_dicts


def record_change(
    db: Database,
    *,
    at: str,
    user_id: int | None,
    action: str,
    target: str,
    before: Any = None,
    after: Any = None,
) -> None:
    """Call inside the change's own write transaction. action: e.g. "procedure.update";
    target: what was changed, e.g. "procedure:khai-sinh"; before/after: JSON-able values."""
    db.execute(
        """INSERT INTO audit_log (at, user_id, action, target, before, after)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [
            at,
            user_id,
            action,
            target,
            None if before is None else json.dumps(before, ensure_ascii=False),
            None if after is None else json.dumps(after, ensure_ascii=False),
        ],
    )


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
