"""The schema as migrations build it, and the invariants it enforces by itself."""

import sqlite3

import pytest

from server.storage.db import migrate, open_database

EXPECTED_TABLES = {
    "_sqlite_migrations": ["id", "migration_set", "name", "applied_at"],
    "settings": ["key", "value"],
    "fields": ["id", "name", "letter", "position", "booking_capacity", "booking_slot_minutes"],
    "procedures": [
        "id", "code", "field_id", "name", "short_name", "legal_time", "processing_days",
        "service_minutes", "no_appointment", "fee", "documents", "position", "online_help",
        "active",
    ],
    "counters": [
        "id", "name", "officer_id", "opened_day", "state", "pause_reason", "state_since",
    ],
    "counter_state_changes": [
        "id", "counter_id", "day", "at", "state", "pause_reason", "officer_id", "changed_by",
    ],
    "counter_procedures": ["counter_id", "procedure_id"],
    "users": [
        "id", "username", "password_hash", "role", "active", "created_at", "full_name",
        "session_generation",
    ],
    "day_numbers": ["day", "letter", "last_number"],
    "tickets": [
        "id", "day", "letter", "number", "procedure_id", "documents_complete", "priority",
        "no_appointment", "status", "counter_id", "officer_id", "issued_at", "transferred_at",
        "called_at", "finished_at", "outcome", "rating", "rated_at", "idempotency_key",
        "request_digest", "key", "missing_documents", "outcome_reason", "note", "corrected_at",
        "channel", "browser_hash", "line_at",
    ],
    "dossiers": [
        "code", "ticket_id", "procedure_id", "received_at", "due_date", "returned_at",
        "returned_by", "timeliness",
    ],
    "ticket_events": [
        "seq", "name", "action", "ticket_id", "day", "at", "counter_id", "officer_id",
        "audience", "payload",
    ],
    "sqlite_sequence": ["name", "seq"],
    "voice_clips": ["key", "mime_type", "audio", "recorded_at", "recorded_by"],
    "printers": ["name", "url", "state", "message", "checked_at"],
    "calendar_days": ["day", "kind", "name"],
    "kiosk_devices": ["name", "token_sha256", "registered_at"],
    "audit_log": ["id", "at", "user_id", "action", "target", "before", "after"],
    "print_jobs": [
        "id", "printer", "kind", "ticket_id", "day", "document", "status", "attempts",
        "not_before", "lease_until", "lease_owner", "last_error", "created_at", "printed_at",
    ],
    "help_requests": ["id", "day", "kiosk", "requested_at", "answered_at", "answered_by"],
    "dossier_apologies": [
        "id", "dossier_code", "apologized_at", "officer_id", "previous_date", "new_due_date",
        "days_late", "reason",
    ],
    "bookings": [
        "code", "procedure_id", "day", "slot_start", "slot_end", "name", "phone", "status",
        "booked_at", "checked_in_at", "ticket_id",
    ],
    "push_subscriptions": [
        "id", "ticket_id", "day", "endpoint", "p256dh", "auth", "created_at", "ahead_sent",
    ],
    "push_outbox": [
        "id", "subscription_id", "kind", "payload", "status", "attempts", "expires_at",
        "not_before", "lease_until", "lease_owner", "last_error", "created_at", "sent_at",
    ],
    "sync_log": ["seq", "kind", "key"],
}  # fmt: skip

EXPECTED_INDEXES_AND_TRIGGERS = [
    ("audit_log_no_delete", "audit_log"),
    ("audit_log_no_update", "audit_log"),
    ("bookings_phone", "bookings"),
    ("bookings_slot", "bookings"),
    ("counter_state_changes_day", "counter_state_changes"),
    ("dossier_apologies_dossier", "dossier_apologies"),
    ("help_requests_open", "help_requests"),
    ("idx__sqlite_migrations_migration_set_name", "_sqlite_migrations"),
    ("print_jobs_pending", "print_jobs"),
    ("print_jobs_ticket", "print_jobs"),
    ("push_outbox_pending", "push_outbox"),
    ("push_outbox_subscription", "push_outbox"),
    ("push_subscriptions_day", "push_subscriptions"),
    ("sync_counter_state_changes_delete", "counter_state_changes"),
    ("sync_counter_state_changes_insert", "counter_state_changes"),
    ("sync_counter_state_changes_update", "counter_state_changes"),
    ("sync_counters_delete", "counters"),
    ("sync_counters_insert", "counters"),
    ("sync_counters_update", "counters"),
    ("sync_dossier_apologies_delete", "dossier_apologies"),
    ("sync_dossier_apologies_insert", "dossier_apologies"),
    ("sync_dossier_apologies_update", "dossier_apologies"),
    ("sync_dossiers_delete", "dossiers"),
    ("sync_dossiers_insert", "dossiers"),
    ("sync_dossiers_update", "dossiers"),
    ("sync_fields_delete", "fields"),
    ("sync_fields_insert", "fields"),
    ("sync_fields_update", "fields"),
    ("sync_procedures_delete", "procedures"),
    ("sync_procedures_insert", "procedures"),
    ("sync_procedures_update", "procedures"),
    ("sync_tickets_delete", "tickets"),
    ("sync_tickets_insert", "tickets"),
    ("sync_tickets_update", "tickets"),
    ("sync_users_delete", "users"),
    ("sync_users_insert", "users"),
    ("sync_users_update", "users"),
    ("ticket_events_counter", "ticket_events"),
    ("ticket_events_day", "ticket_events"),
    ("ticket_events_no_delete", "ticket_events"),
    ("ticket_events_no_update", "ticket_events"),
    ("tickets_idempotency", "tickets"),
    ("tickets_key", "tickets"),
    ("tickets_line_order", "tickets"),
    ("tickets_remote", "tickets"),
]


@pytest.fixture
def blank(tmp_path):
    path = tmp_path / "blank.db"
    migrate(path)
    db = open_database(path)
    yield db
    db.conn.close()


def test_a_blank_database_migrates_to_the_expected_tables(blank):
    tables = {name: [column.name for column in blank[name].columns] for name in blank.table_names()}
    assert tables == EXPECTED_TABLES


def test_indexes_and_triggers(blank):
    rows = blank.execute(
        """SELECT name, tbl_name FROM sqlite_master WHERE type IN ('index', 'trigger')
           AND name NOT LIKE 'sqlite_%' ORDER BY name"""
    ).fetchall()
    assert rows == EXPECTED_INDEXES_AND_TRIGGERS


def test_wal_and_foreign_keys_are_on(blank):
    assert blank.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert blank.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_migrating_twice_changes_nothing(tmp_path):
    path = tmp_path / "twice.db"
    migrate(path)
    migrate(path)
    db = open_database(path)
    names = [row[0] for row in db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names == [
        "m001_wal",
        "m002_schema",
        "m003_voice_clips",
        "m004_line_index",
        "m005_print_spool",
        "m006_calendar_audit_online_help",
        "m007_kiosk_devices",
        "m008_procedure_active",
        "m009_ticket_keys",
        "m010_session_generation",
        "m011_counter_states",
        "m012_ticket_corrections",
        "m013_help_requests",
        "m014_dossier_apologies",
        "m015_ticket_channels",
        "m016_bookings",
        "m017_push",
        "m018_sync_log",
    ]


def insert_ticket(db, **overrides):
    values = {
        "id": "t1", "day": "2026-11-26", "letter": "A", "number": 1,
        "procedure_id": "chung-thuc-ban-sao", "documents_complete": 1, "no_appointment": 0,
        "issued_at": "2026-11-26T09:00:00+07:00",
    }  # fmt: skip
    values.update(overrides)
    columns = ", ".join(values)
    marks = ", ".join("?" * len(values))
    db.execute(f"INSERT INTO tickets ({columns}) VALUES ({marks})", list(values.values()))


def test_a_number_cannot_be_used_twice_on_one_day(db):
    insert_ticket(db, id="t1")
    with pytest.raises(sqlite3.IntegrityError):
        insert_ticket(db, id="t2")
    insert_ticket(db, id="t3", day="2026-11-27")  # the next day starts again


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": "lost"},
        {"priority": "vip"},
        {"status": "finished"},  # finished without an outcome
        {"outcome": "resolved"},  # an outcome on a waiting ticket
        {"rating": "satisfied"},  # a rating before finishing
        {"procedure_id": "no-such-procedure"},
    ],
)
def test_the_schema_refuses_impossible_tickets(db, overrides):
    with pytest.raises(sqlite3.IntegrityError):
        insert_ticket(db, **overrides)


def test_the_event_log_is_append_only(db, issue):
    issue()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE ticket_events SET action = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM ticket_events")
