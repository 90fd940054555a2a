"""What a receipt says, frozen when its print job is queued.

The document is stored with the job (JSON), so a receipt printed after an outage still shows
the moment the ticket was issued: its place in line then, not an hour later. The printers
package turns it into a Receipt or AppointmentSlip (printers.receipt.from_document).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from server.clock import iso
from server.setup.center import setting
from server.storage.db import Database
from server.vocabulary import PRIORITY_NAMES

# What a receipt says instead of a wait estimate when no open counter serves the line.
WAIT_NOTES = {
    "paused": "Quầy đang tạm nghỉ — Quý vị vẫn giữ số thứ tự.",
    "closed": "Hiện chưa có quầy nào mở cho thủ tục này — Quý vị vẫn giữ số thứ tự.",
}


def ticket_document(
    db: Database, ticket: dict[str, Any], issued_at: datetime, ticket_url: str
) -> dict[str, Any]:
    """The kiosk receipt of a ticket as ticket_view returned it. It names the procedure by
    its short name, as the kiosk's button did: a legal name can run to six lines."""
    procedure, field = db.execute(
        """SELECT p.short_name, f.name FROM procedures p JOIN fields f ON f.id = p.field_id
           WHERE p.id = ?""",
        [ticket["procedure_id"]],
    ).fetchone()
    estimate = ticket["estimated_wait_minutes"]
    return {
        "center_name": setting(db, "center_name"),
        "number": ticket["number"],
        "procedure": procedure,
        "field": field,
        "issued_at": iso(issued_at),
        "waiting_ahead": ticket["waiting_ahead"],
        "estimated_wait_minutes": list(estimate) if estimate else None,
        "no_appointment": ticket["no_appointment"],
        "priority_label": PRIORITY_NAMES.get(ticket["priority"] or ""),
        "ticket_url": ticket_url,
        "wait_note": WAIT_NOTES.get(ticket.get("line_state") or ""),
    }


def slip_document(
    db: Database,
    ticket_id: str,
    number: str,
    dossier_code: str,
    due: date,
    received_at: datetime,
) -> dict[str, Any]:
    """The appointment slip of a finished ticket: who received which documents, and when the
    result is due."""
    row = db.execute(
        """SELECT p.name, p.documents, c.name,
                  COALESCE(u.full_name, u.username)
           FROM tickets t
           JOIN procedures p ON p.id = t.procedure_id
           LEFT JOIN counters c ON c.id = t.counter_id
           LEFT JOIN users u ON u.id = t.officer_id
           WHERE t.id = ?""",
        [ticket_id],
    ).fetchone()
    procedure, documents, counter_name, officer = row
    return {
        "center_name": setting(db, "center_name"),
        "number": number,
        "procedure": procedure,
        "dossier_code": dossier_code,
        "received_at": iso(received_at),
        "due_date": due.isoformat(),
        "documents": json.loads(documents),
        "officer": officer or "",
        "counter_name": counter_name or "",
    }
