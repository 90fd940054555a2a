"""The closed lists of the domain, in one place: what a ticket's status, outcome, priority and
rating may be, an account's role, a dossier's timeliness, a calendar day's kind, a print job's
kind and status, a printer's state, a voice clip's audio type, a counter's state, a ticket's
channel, a booking's status.

The domain checks values against these, the API documents them, the pages label each one
(tests/test_vocabulary.py checks that every value has its label on the pages that show it),
and the schema refuses anything else: each list is also a CHECK constraint, written out in
the migration that created it. A migration that has shipped is never edited, so a new value
needs a new migration that rebuilds its CHECK; tests/test_vocabulary.py compares the CHECK
constraints of a database migrated from empty with these lists, and fails until it exists.
"""

from __future__ import annotations

TICKET_STATUSES = ("waiting", "called", "finished", "no_show")
OUTCOMES = ("resolved", "appointment", "supplement", "refused", "advice")
PRIORITIES = ("elderly", "disabled", "pregnant", "meritorious", "child")
RATINGS = ("very_satisfied", "satisfied", "unsatisfied")
ROLES = ("officer", "admin")
TICKET_EVENT_NAMES = ("ticket_issued", "ticket_called", "ticket_updated")
TIMELINESS = ("early", "on_time", "late")
CALENDAR_KINDS = ("holiday", "working")
PRINT_KINDS = ("ticket", "slip")
PRINT_STATUSES = ("pending", "printed", "dropped")
PRINTER_STATES = ("online", "paper_low", "paper_out", "offline", "unknown", "disabled")
AUDIO_TYPES = ("audio/webm", "audio/ogg", "audio/wav", "audio/mpeg")
COUNTER_STATES = ("open", "paused", "closed")
CHANNELS = ("kiosk", "remote", "booking")  # where a ticket was taken
BOOKING_STATUSES = ("booked", "checked_in")

# How a priority is named on a receipt, on the kiosk's buttons (GET /api/center) and on the TV.
PRIORITY_NAMES = {
    "elderly": "Người cao tuổi (từ 60 tuổi)",
    "disabled": "Người khuyết tật",
    "pregnant": "Phụ nữ mang thai",
    "meritorious": "Người có công với cách mạng",
    "child": "Người đi cùng trẻ nhỏ",
}

# Which column of which table each list constrains (tests/test_vocabulary.py).
CONSTRAINED_COLUMNS = {
    ("tickets", "status"): TICKET_STATUSES,
    ("tickets", "outcome"): OUTCOMES,
    ("tickets", "priority"): PRIORITIES,
    ("tickets", "rating"): RATINGS,
    ("users", "role"): ROLES,
    ("ticket_events", "name"): TICKET_EVENT_NAMES,
    ("dossiers", "timeliness"): TIMELINESS,
    ("calendar_days", "kind"): CALENDAR_KINDS,
    ("print_jobs", "kind"): PRINT_KINDS,
    ("print_jobs", "status"): PRINT_STATUSES,
    ("printers", "state"): PRINTER_STATES,
    ("voice_clips", "mime_type"): AUDIO_TYPES,
    ("counters", "state"): COUNTER_STATES,
    ("counter_state_changes", "state"): COUNTER_STATES,
    ("tickets", "channel"): CHANNELS,
    ("bookings", "status"): BOOKING_STATUSES,
}
