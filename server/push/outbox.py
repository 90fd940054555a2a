"""The push outbox: messages to citizens' phones as rows, written in the transaction of the
call that caused them and sent afterwards by the push worker (server/push/worker.py).

    enqueue       → inside the call's transaction: committed call, queued message
    claim_due     → the worker leases the due messages (no other process sends them)
    mark_sent     → the push service took it (201)
    mark_retry    → network error, 5xx, 429: tried again after a backoff
    mark_refused  → another 4xx (a bad token, too large): retrying cannot help
    forget_subscription → 404 or 410: the browser dropped it; its messages go with it
    expire        → past its time to live: a stale "your turn" is worse than none

Like the print spool, times here are Unix seconds (the lease, the backoff, the expiry are
about the machine); `expires_at` is the call's moment plus TTL_SECONDS. The rows stay for
the day as the center's own log of what it sent; subscriptions of earlier days are
deleted with their messages (`purge_before`): an endpoint is a way to reach someone's phone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from server.push.subscriptions import Subscription
from server.storage.db import Database, rows_as_dicts, write_transaction

TTL_SECONDS = 600  # ten minutes: after that the citizen was called or has left
LEASE_SECONDS = 60.0  # longer than one send (its timeouts total 20 s)
BACKOFF_SECONDS = (2.0, 5.0, 15.0, 30.0, 60.0)  # after the 1st, 2nd, … failures
CLAIM_BATCH = 20


@dataclass(frozen=True)
class Message:
    """A leased message: where it goes, what it says (the JSON text), until when it matters."""

    id: int
    subscription_id: int
    subscription: Subscription
    payload: str
    expires_at: float
    attempts: int


def enqueue(
    db: Database,
    subscription_id: int,
    kind: str,
    payload: dict[str, Any],
    *,
    created_at: str,
    expires_at: float,
) -> None:
    """Queue one message inside the caller's transaction."""
    db.execute(
        """INSERT INTO push_outbox (subscription_id, kind, payload, expires_at, created_at)
           VALUES (?, ?, ?, ?, ?)""",
        [subscription_id, kind, json.dumps(payload, ensure_ascii=False), expires_at, created_at],
    )


def supersede_ahead(db: Database, subscription_ids: list[int]) -> None:
    """Inside a call's transaction: an "ahead" message not sent yet is obsolete (sent after
    the call, it would replace the call on the phone)."""
    marks = ",".join("?" * len(subscription_ids))
    db.execute(
        f"""UPDATE push_outbox SET status = 'expired', last_error = 'superseded by the call'
            WHERE kind = 'ahead' AND status = 'pending' AND subscription_id IN ({marks})""",
        subscription_ids,
    )


def has_due(db: Database, now: float) -> bool:
    """Whether a message may be tried now (cheap: the worker asks four times a second)."""
    return (
        db.execute(
            """SELECT 1 FROM push_outbox WHERE status = 'pending'
               AND lease_until <= ? AND not_before <= ? LIMIT 1""",
            [now, now],
        ).fetchone()
        is not None
    )


def claim_due(db: Database, owner: str, now: float) -> list[Message]:
    """Lease up to CLAIM_BATCH due messages, oldest first and at most one per subscription
    (the oldest pending one: a phone gets its messages in order, the next once this one is
    through); those past their time to live are marked expired instead."""
    with write_transaction(db):
        db.execute(
            """UPDATE push_outbox SET status = 'expired', lease_until = 0
               WHERE status = 'pending' AND expires_at <= ?""",
            [now],
        )
        rows = rows_as_dicts(
            db,
            """SELECT o.id, o.subscription_id, o.payload, o.expires_at, o.attempts,
                      s.endpoint, s.p256dh, s.auth
               FROM push_outbox o JOIN push_subscriptions s ON s.id = o.subscription_id
               WHERE o.status = 'pending' AND o.lease_until <= ? AND o.not_before <= ?
                 AND o.id = (SELECT min(id) FROM push_outbox
                             WHERE status = 'pending' AND subscription_id = o.subscription_id)
               ORDER BY o.id LIMIT ?""",
            [now, now, CLAIM_BATCH],
        )
        for row in rows:
            db.execute(
                """UPDATE push_outbox SET lease_until = ?, lease_owner = ?,
                       attempts = attempts + 1 WHERE id = ?""",
                [now + LEASE_SECONDS, owner, row["id"]],
            )
    return [
        Message(
            row["id"],
            row["subscription_id"],
            Subscription(row["endpoint"], row["p256dh"], row["auth"]),
            row["payload"],
            row["expires_at"],
            row["attempts"] + 1,
        )
        for row in rows
    ]


def mark_sent(db: Database, message: Message, owner: str, sent_at: str) -> None:
    with write_transaction(db):
        db.execute(
            """UPDATE push_outbox SET status = 'sent', sent_at = ?, lease_until = 0,
                   last_error = NULL
               WHERE id = ? AND lease_owner = ? AND status = 'pending'""",
            [sent_at, message.id, owner],
        )


def mark_retry(
    db: Database, message: Message, owner: str, error: str, now: float, wait: float | None = None
) -> None:
    """Try again after the backoff (or the push service's Retry-After, when longer); a retry
    that would come after the expiry is not made."""
    backoff = BACKOFF_SECONDS[min(message.attempts, len(BACKOFF_SECONDS)) - 1]
    not_before = now + max(backoff, wait or 0.0)
    with write_transaction(db):
        db.execute(
            """UPDATE push_outbox SET lease_until = 0, not_before = ?, last_error = ?,
                   status = CASE WHEN ? >= expires_at THEN 'expired' ELSE status END
               WHERE id = ? AND lease_owner = ? AND status = 'pending'""",
            [not_before, error[:500], not_before, message.id, owner],
        )


def mark_refused(db: Database, message: Message, owner: str, error: str) -> None:
    """The push service refused the message itself (400, 403, 413): trying again would be
    refused the same way."""
    with write_transaction(db):
        db.execute(
            """UPDATE push_outbox SET status = 'refused', lease_until = 0, last_error = ?
               WHERE id = ? AND lease_owner = ? AND status = 'pending'""",
            [error[:500], message.id, owner],
        )


def forget_subscription(db: Database, subscription_id: int) -> None:
    """The push service no longer knows the subscription (404, 410): delete it, and with it
    its messages, sent or not."""
    with write_transaction(db):
        db.execute("DELETE FROM push_subscriptions WHERE id = ?", [subscription_id])


def purge_before(db: Database, day: str) -> int:
    """Delete the subscriptions of days before `day`, and so their messages; how many."""
    with write_transaction(db):
        return db.execute("DELETE FROM push_subscriptions WHERE day < ?", [day]).rowcount
