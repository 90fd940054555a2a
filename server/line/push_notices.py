"""What the citizen's phone is told by Web Push, and when: a subscription to a ticket, the
"N people ahead" message once, and a message at each call of the ticket (recall included).

The messages are rows of the push outbox written inside the call's own transaction
(server/push/outbox.py): a committed call has its messages, a refused one none, and sending
them is the push worker's business, never the request's. The texts name the ticket's number
and, for a call, the counter; they never carry the ticket's key or id (the outbox is the
center's log), and the push service sees them only encrypted.

N is the admin's setting `push_ahead` (default 3). After each call every subscribed
waiting ticket of the day not yet told is looked at; so few tickets subscribe that this costs
little inside the call (docs/api.md, "Web Push").
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from server.clock import Clock, iso
from server.errors import WrongState
from server.line.tickets import (
    format_number,
    is_expired,
    ticket_id_for_key,
    ticket_row,
    ticket_view,
)
from server.push import outbox
from server.push.subscriptions import Subscription, store_subscription, subscription_ids
from server.settings import Settings
from server.setup.remote import load_remote_setup
from server.storage.db import Database, rows_as_dicts, write_transaction


def subscribe(
    db: Database, clock: Clock, settings: Settings, key: str, subscription: Subscription
) -> dict[str, Any]:
    """Subscribe a browser to the ticket whose citizen holds `key` (404 for anything else,
    an id included). A finished, absent or expired ticket has nothing left to announce: 409.
    Answers the ticket's number and N."""
    now = clock.now()
    with write_transaction(db):
        row = ticket_row(db, ticket_id_for_key(db, key))
        number = format_number(row["letter"], row["number"])
        if is_expired(row, now.date()) or row["status"] not in ("waiting", "called"):
            raise WrongState(
                f"Phiếu {number} đã kết thúc, không còn gì để thông báo.", "ticket_over"
            )
        store_subscription(db, row["id"], row["day"], subscription, iso(now))
        return {"number": number, "push_ahead": load_remote_setup(db, settings).push_ahead}


def call_message(number: str, counter_id: int, counter_name: str, recall: bool) -> dict[str, Any]:
    title = f"Mời lại số {number}" if recall else f"Đến lượt số {number}"
    return {
        "title": title,
        "body": f"Mời số {number} đến {counter_name}",
        "number": number,
        "counter_id": counter_id,
    }


def ahead_message(number: str, ahead: int) -> dict[str, Any]:
    if ahead == 0:
        body = f"Số {number} là người tiếp theo. Quý vị vui lòng quay lại trung tâm."
    else:
        body = f"Còn {ahead} người nữa là đến lượt số {number}. Quý vị vui lòng quay lại trung tâm."
    return {
        "title": f"Sắp đến lượt số {number}",
        "body": body,
        "number": number,
        "counter_id": None,
    }


def queue_call(
    db: Database,
    settings: Settings,
    now: datetime,
    ticket_id: str,
    counter_id: int,
    counter_name: str,
    *,
    recall: bool,
) -> None:
    """Inside a call's transaction: a message to every subscription of the called ticket,
    then the "ahead" message to whoever the call brought within N."""
    row = ticket_row(db, ticket_id)
    message = call_message(
        format_number(row["letter"], row["number"]), counter_id, counter_name, recall
    )
    subscribed = subscription_ids(db, ticket_id)
    outbox.supersede_ahead(db, subscribed)
    for subscription_id in subscribed:
        queue(db, now, subscription_id, "called", message)
    db.execute("UPDATE push_subscriptions SET ahead_sent = 1 WHERE ticket_id = ?", [ticket_id])
    if not recall:
        queue_ahead(db, settings, now)


def queue_ahead(db: Database, settings: Settings, now: datetime) -> None:
    """The "ahead" message, once per subscription, to the subscribed waiting tickets of the
    day with at most N calls before them."""
    today: date = now.date()
    waiting = rows_as_dicts(
        db,
        """SELECT DISTINCT s.ticket_id FROM push_subscriptions s
           JOIN tickets t ON t.id = s.ticket_id
           WHERE s.day = ? AND s.ahead_sent = 0 AND t.status = 'waiting'""",
        [today.isoformat()],
    )
    if not waiting:
        return
    limit = load_remote_setup(db, settings).push_ahead
    for ticket_id in (row["ticket_id"] for row in waiting):
        ticket = ticket_view(db, today, settings, ticket_row(db, ticket_id))
        if ticket["waiting_ahead"] > limit:
            continue
        message = ahead_message(ticket["number"], ticket["waiting_ahead"])
        for (subscription_id,) in db.execute(
            "SELECT id FROM push_subscriptions WHERE ticket_id = ? AND ahead_sent = 0",
            [ticket_id],
        ).fetchall():
            queue(db, now, subscription_id, "ahead", message)
        db.execute("UPDATE push_subscriptions SET ahead_sent = 1 WHERE ticket_id = ?", [ticket_id])


def queue(
    db: Database, now: datetime, subscription_id: int, kind: str, message: dict[str, Any]
) -> None:
    outbox.enqueue(
        db,
        subscription_id,
        kind,
        message,
        created_at=iso(now),
        expires_at=now.timestamp() + outbox.TTL_SECONDS,
    )
