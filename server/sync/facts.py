"""What leaves the center for the province hub: each logged row as a fact, read as it is now.

The only place that decides which columns go. A fact is `{kind, key, data}`; `data` is the
row's current state in the columns below, or None when the row is gone (the hub deletes its
copy). Reading the current state, not the state at the time of the change, means a resend is
never older than what the hub already has.

Never sent: a ticket's key (the citizen's secret), its idempotency key and request digest, a
remote browser's hash, notes, bookings (names, phone numbers), push subscriptions, the audit
log, and accounts' usernames, passwords and roles (an officer is sent by id and the name the
center's reports print: the full name, the username only for an account without one).
"""

from __future__ import annotations

import json
from typing import Any

from server.storage.db import Database, rows_as_dicts

# kind → (the SQL that reads that kind's rows by key, as the hub receives them)
QUERIES = {
    "field": "SELECT id, name, letter, position FROM fields WHERE id IN ({keys})",
    "procedure": """SELECT id, short_name, field_id, processing_days, no_appointment,
                           online_help, position
                    FROM procedures WHERE id IN ({keys})""",
    "counter": "SELECT id, name FROM counters WHERE id IN ({keys})",
    "officer": """SELECT id, COALESCE(full_name, username) AS name
                  FROM users WHERE id IN ({keys})""",
    "ticket": """SELECT id, day, number, procedure_id, status, priority, no_appointment,
                        channel, counter_id, officer_id, issued_at, called_at, finished_at,
                        outcome, rating, corrected_at, missing_documents, outcome_reason
                 FROM tickets WHERE id IN ({keys})""",
    "dossier": """SELECT code, ticket_id, procedure_id, received_at, due_date, returned_at,
                         timeliness
                  FROM dossiers WHERE code IN ({keys})""",
    "apology": """SELECT id, dossier_code, apologized_at, new_due_date, days_late
                  FROM dossier_apologies WHERE id IN ({keys})""",
    "counter_change": """SELECT id, counter_id, day, at, state, pause_reason
                         FROM counter_state_changes WHERE id IN ({keys})""",
}
KEY_COLUMN = {"dossier": "code"}  # the others are keyed by their id
INTEGER_KEYS = {"counter", "officer", "apology", "counter_change"}  # the log keeps text
BOOLEANS = {"no_appointment", "online_help"}
CHUNK = 500  # keys per query (SQLite's bound parameters)


def facts_for(db: Database, pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The facts for these (kind, key) pairs, in their order: call inside one read
    transaction, so that the batch is one consistent picture of the center."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    kinds: dict[str, list[str]] = {}
    for kind, key in pairs:
        kinds.setdefault(kind, []).append(key)
    for kind, keys in kinds.items():
        if kind not in QUERIES:
            continue  # a kind this version no longer sends
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            sql = QUERIES[kind].format(keys=", ".join("?" * len(chunk)))
            values = [int(key) for key in chunk] if kind in INTEGER_KEYS else chunk
            for row in rows_as_dicts(db, sql, values):
                found[(kind, str(row[KEY_COLUMN.get(kind, "id")]))] = wire(row)
    return [
        {"kind": kind, "key": key, "data": found.get((kind, key))}
        for kind, key in pairs
        if kind in QUERIES
    ]


def wire(row: dict[str, Any]) -> dict[str, Any]:
    """A row as JSON: SQLite's 0/1 as booleans, the missing documents as their list."""
    data = {name: bool(value) if name in BOOLEANS else value for name, value in row.items()}
    if "missing_documents" in data:
        data["missing_documents"] = json.loads(data["missing_documents"] or "null")
    return data
