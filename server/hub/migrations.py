"""The hub's schema as ordered SQL migrations, each recorded in `schema_migrations` once
applied and never edited once shipped (add a new one instead).

`migrate` runs them all in one transaction under an advisory lock: several hub processes
started at once (systemd, a deploy) wait for the first, then find nothing left to do.

Each kind of fact a center sends has its own table keyed by (center_id, key), with typed,
indexed columns, so the province's figures are SQL over them. A center's local day is kept
as it was at the center (a ticket's `day`; a dossier's return, an apology: the first ten
characters of the center's own time), so a day at the hub is the day the center counted.
"""

from __future__ import annotations

from psycopg import Connection

# Any fixed number: the key of the advisory lock all hub processes migrate under.
MIGRATION_LOCK = 180_001

MIGRATIONS: list[tuple[str, str]] = [
    (
        "h001_centers_users_facts",
        """
        CREATE TABLE centers (
            id TEXT PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TIMESTAMPTZ NOT NULL,
            last_received_at TIMESTAMPTZ,
            through BIGINT
        );
        CREATE TABLE hub_users (
            id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            active BOOLEAN NOT NULL DEFAULT TRUE,
            session_generation INTEGER NOT NULL DEFAULT 0,
            created_at TIMESTAMPTZ NOT NULL
        );
        CREATE TABLE hub_secrets (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE hub_fields (
            center_id TEXT NOT NULL REFERENCES centers(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            letter TEXT,
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (center_id, key)
        );
        CREATE TABLE hub_procedures (
            center_id TEXT NOT NULL REFERENCES centers(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            id TEXT NOT NULL,
            short_name TEXT NOT NULL,
            field_id TEXT,
            processing_days INTEGER,
            no_appointment BOOLEAN NOT NULL DEFAULT FALSE,
            online_help BOOLEAN NOT NULL DEFAULT FALSE,
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (center_id, key)
        );
        CREATE INDEX hub_procedures_id ON hub_procedures (center_id, id);
        CREATE TABLE hub_counters (
            center_id TEXT NOT NULL REFERENCES centers(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            id BIGINT NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (center_id, key)
        );
        CREATE TABLE hub_officers (
            center_id TEXT NOT NULL REFERENCES centers(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            id BIGINT NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (center_id, key)
        );
        CREATE TABLE hub_tickets (
            center_id TEXT NOT NULL REFERENCES centers(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            id TEXT NOT NULL,
            day DATE NOT NULL,
            number TEXT,
            procedure_id TEXT NOT NULL,
            status TEXT NOT NULL,
            priority TEXT,
            no_appointment BOOLEAN NOT NULL,
            channel TEXT NOT NULL,
            counter_id BIGINT,
            officer_id BIGINT,
            issued_at TIMESTAMPTZ NOT NULL,
            called_at TIMESTAMPTZ,
            finished_at TIMESTAMPTZ,
            outcome TEXT,
            rating TEXT,
            corrected_at TIMESTAMPTZ,
            missing_documents JSONB,
            outcome_reason TEXT,
            PRIMARY KEY (center_id, key)
        );
        CREATE INDEX hub_tickets_day ON hub_tickets (day, center_id);
        CREATE INDEX hub_tickets_id ON hub_tickets (center_id, id);
        CREATE TABLE hub_dossiers (
            center_id TEXT NOT NULL REFERENCES centers(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            code TEXT NOT NULL,
            ticket_id TEXT,
            procedure_id TEXT,
            received_at TIMESTAMPTZ,
            received_day DATE,
            due_date DATE,
            returned_at TIMESTAMPTZ,
            returned_day DATE,
            timeliness TEXT,
            PRIMARY KEY (center_id, key)
        );
        CREATE INDEX hub_dossiers_returned ON hub_dossiers (returned_day, center_id);
        CREATE INDEX hub_dossiers_code ON hub_dossiers (center_id, code);
        CREATE TABLE hub_apologies (
            center_id TEXT NOT NULL REFERENCES centers(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            id BIGINT NOT NULL,
            dossier_code TEXT NOT NULL,
            apologized_at TIMESTAMPTZ NOT NULL,
            apologized_day DATE NOT NULL,
            new_due_date DATE,
            days_late INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (center_id, key)
        );
        CREATE INDEX hub_apologies_day ON hub_apologies (apologized_day, center_id);
        CREATE TABLE hub_counter_changes (
            center_id TEXT NOT NULL REFERENCES centers(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            id BIGINT NOT NULL,
            counter_id BIGINT NOT NULL,
            day DATE NOT NULL,
            at TIMESTAMPTZ NOT NULL,
            state TEXT NOT NULL,
            pause_reason TEXT,
            PRIMARY KEY (center_id, key)
        );
        CREATE INDEX hub_counter_changes_day ON hub_counter_changes (day, center_id);
        """,
    ),
    (
        "h002_hub_settings",
        """
        CREATE TABLE hub_settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    ),
]


def migrate(conn: Connection) -> list[str]:
    """Apply the migrations not applied yet, in order, in one transaction under the advisory
    lock; the names applied (none when another process got there first)."""
    applied_now = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATION_LOCK])
        conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   name TEXT PRIMARY KEY,
                   applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"""
        )
        done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
        for name, sql in MIGRATIONS:
            if name not in done:
                conn.execute(sql)
                conn.execute("INSERT INTO schema_migrations (name) VALUES (%s)", [name])
                applied_now.append(name)
    return applied_now
