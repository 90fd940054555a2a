"""The catalog as the kiosk and consoles read it: procedures with today's line, counters."""

from __future__ import annotations

import json
from typing import Any

from server.clock import Clock, iso
from server.line.calling_order import (
    estimate_wait_minutes,
    line_counter_states,
    line_state,
    waiting_ahead,
)
from server.line.counter_states import counter_dicts
from server.settings import Settings
from server.setup.workdays import load_calendar
from server.storage.db import Database


def list_procedures(db: Database, clock: Clock, settings: Settings) -> list[dict[str, Any]]:
    """Every procedure the center takes (not those it stopped) with how many wait today,
    whether its line is served now (`line_state`) and the wait a new ticket would have."""
    today = clock.now().date()
    calendar = load_calendar(db, settings)
    cursor = db.execute(
        """SELECT p.id, p.code, p.name, p.short_name, p.field_id, f.name, f.letter,
                  p.no_appointment, p.online_help, p.documents, p.legal_time, p.processing_days,
                  p.fee,
                  (SELECT count(*) FROM tickets t
                   WHERE t.procedure_id = p.id AND t.day = ? AND t.status = 'waiting')
           FROM procedures p JOIN fields f ON f.id = p.field_id
           WHERE p.active = 1
           ORDER BY f.position, p.position""",
        [today.isoformat()],
    )
    procedures = []
    for (
        procedure_id,
        code,
        name,
        short_name,
        field_id,
        field_name,
        letter,
        no_appointment,
        online_help,
        documents,
        legal_time,
        processing_days,
        fee,
        waiting,
    ) in cursor.fetchall():
        ahead = waiting_ahead(
            db,
            today,
            rowid=None,
            line_at=iso(clock.now()),  # a ticket taken now: ahead of a booking not yet begun
            procedure_id=procedure_id,
            priority=None,
            counter_id=None,
            transferred_at=None,
            priority_in_row=settings.priority_in_row,
        )
        counters = line_counter_states(db, today, procedure_id)
        procedures.append(
            {
                "id": procedure_id,
                "code": code,
                "name": name,
                "short_name": short_name,
                "field": field_id,
                "field_name": field_name,
                "letter": letter,
                "no_appointment": bool(no_appointment),
                "online_help": bool(online_help),
                "documents": json.loads(documents),
                "legal_time": legal_time,
                "processing_days": processing_days,
                "default_due_date": calendar.due_date_after(today, processing_days).isoformat(),
                "fee": fee,
                "waiting": waiting,
                "estimated_wait_minutes": estimate_wait_minutes(
                    db, today, procedure_id, ahead, counters.get("open", 0)
                ),
                "line_state": line_state(counters),
            }
        )
    return procedures


def list_counters(db: Database, clock: Clock) -> list[dict[str, Any]]:
    """Every counter, the procedures it serves and its state today (open, paused, closed)."""
    return counter_dicts(db, clock.now().date())
