"""The counter's rating tablet: which service it may rate, and rating it.

The tablet faces the citizen at a counter and is public, so it never learns a ticket id: it
names its counter, and the server picks the one ticket it may rate there. That is the last
ticket finished at the counter today, for RATING_WINDOW after its finish, until the counter
calls its next ticket (the next citizen is at the desk by then). Rating it goes through
counter_actions.rate: one rating per ticket, attributed to the ticket's officer and counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from server.clock import Clock
from server.errors import InvalidInput, WrongState
from server.line import counter_actions
from server.line.counter_states import load_counter
from server.line.tickets import format_number
from server.settings import Settings
from server.storage.db import Database
from server.vocabulary import RATINGS

RATING_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class LastServed:
    """The ticket a counter's tablet may rate, as the tablet shows it.

    number (A007); procedure_name: the procedure's short name; counter_name; officer_name:
    the full name of the officer who finished it, or None; finished_at (ISO 8601); rated:
    whether it has its rating already. ticket_id stays on the server.
    """

    ticket_id: str
    number: str
    procedure_name: str
    counter_name: str
    officer_name: str | None
    finished_at: str
    rated: bool

    def to_dict(self) -> dict[str, Any]:
        """The wire format: no ticket id, no rating."""
        return {
            "number": self.number,
            "procedure_name": self.procedure_name,
            "counter_name": self.counter_name,
            "officer_name": self.officer_name,
            "finished_at": self.finished_at,
        }


@dataclass(frozen=True)
class TabletRating:
    """What a rating from the tablet did: the ticket as the tablet saw it, the rating given,
    whose ticket_updated (action "rated") went to the transaction."""

    served: LastServed
    rating: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.served.to_dict(), "rating": self.rating}


def last_finished(db: Database, now: datetime, counter_id: int) -> LastServed | None:
    """The counter's last finished ticket if the tablet may still rate it (rated or not).

    The event log orders what happened at the counter: when its newest call or finish of
    the day is a call, the counter has moved on to the next citizen. 404 for an unknown counter.
    """
    counter = load_counter(db, counter_id)
    latest = db.execute(
        """SELECT ticket_id, action FROM ticket_events
           WHERE counter_id = ? AND day = ? AND action IN ('called', 'finished')
           ORDER BY seq DESC LIMIT 1""",
        [counter_id, now.date().isoformat()],
    ).fetchone()
    if latest is None or latest[1] != "finished":
        return None
    row = db.execute(
        """SELECT t.letter, t.number, p.short_name, u.full_name, t.finished_at, t.rating
           FROM tickets t
           JOIN procedures p ON p.id = t.procedure_id
           LEFT JOIN users u ON u.id = t.officer_id
           WHERE t.id = ? AND t.status = 'finished'""",
        [latest[0]],
    ).fetchone()
    if row is None or now - datetime.fromisoformat(row[4]) > RATING_WINDOW:
        return None
    letter, number, procedure_name, officer_name, finished_at, rating = row
    return LastServed(
        ticket_id=latest[0],
        number=format_number(letter, number),
        procedure_name=procedure_name,
        counter_name=counter.name,
        officer_name=officer_name or None,
        finished_at=finished_at,
        rated=rating is not None,
    )


def last_served(db: Database, clock: Clock, counter_id: int) -> LastServed | None:
    """What the counter's tablet should ask to rate now: None when there is nothing."""
    served = last_finished(db, clock.now(), counter_id)
    return None if served is None or served.rated else served


def rate_last_served(
    db: Database, clock: Clock, settings: Settings, counter_id: int, rating: Any
) -> TabletRating:
    """Rate the counter's last served ticket, with the rules of counter_actions.rate (400 for an
    unknown rating, 409 already_rated), 404 for an unknown counter and 409 nothing_to_rate
    when the counter has no ticket the tablet may rate."""
    if rating not in RATINGS:
        raise InvalidInput(
            "Đánh giá không hợp lệ (very_satisfied, satisfied hoặc unsatisfied).", "invalid_rating"
        )
    served = last_finished(db, clock.now(), counter_id)
    if served is None:
        raise WrongState(
            "Quầy này không có lượt phục vụ nào vừa kết thúc để đánh giá.", "nothing_to_rate"
        )
    counter_actions.rate(db, clock, settings, served.ticket_id, rating)
    return TabletRating(served, rating)
