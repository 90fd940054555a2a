"""The database schema, as ordered sqlite_utils migrations.

Never edit a migration that has shipped: add a new one. Invariants live in the schema
itself (UNIQUE numbers per day and letter, CHECKs on status and outcome, foreign keys,
an event log that refuses UPDATE and DELETE), so no code path can break them.

Each CHECK on a closed list spells its values out as they were when the migration shipped:
the lists themselves live in server/vocabulary.py, and tests/test_vocabulary.py fails when a
list gained a value that no migration has added to the schema yet.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("motcua")


@migrations(transactional=False)
def m001_wal(db: Database) -> None:
    """Write-ahead logging: readers never block the writer (cannot run in a transaction)."""
    db.execute("PRAGMA journal_mode = WAL")


@migrations()
def m002_schema(db: Database) -> None:
    statements = [
        """CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE fields (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            letter TEXT NOT NULL UNIQUE CHECK (length(letter) = 1 AND letter BETWEEN 'A' AND 'Z'),
            position INTEGER NOT NULL
        )""",
        """CREATE TABLE procedures (
            id TEXT PRIMARY KEY,
            code TEXT,
            field_id TEXT NOT NULL REFERENCES fields(id),
            name TEXT NOT NULL,
            short_name TEXT NOT NULL,
            legal_time TEXT NOT NULL,
            processing_days INTEGER NOT NULL CHECK (processing_days >= 0),
            service_minutes INTEGER NOT NULL CHECK (service_minutes > 0),
            no_appointment INTEGER NOT NULL CHECK (no_appointment IN (0, 1)),
            fee TEXT NOT NULL,
            documents TEXT NOT NULL,
            position INTEGER NOT NULL
        )""",
        """CREATE TABLE counters (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            officer_id INTEGER REFERENCES users(id),
            opened_day TEXT
        )""",
        """CREATE TABLE counter_procedures (
            counter_id INTEGER NOT NULL REFERENCES counters(id) ON DELETE CASCADE,
            procedure_id TEXT NOT NULL REFERENCES procedures(id),
            PRIMARY KEY (counter_id, procedure_id)
        )""",
        """CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('officer', 'admin')),
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE day_numbers (
            day TEXT NOT NULL,
            letter TEXT NOT NULL,
            last_number INTEGER NOT NULL,
            PRIMARY KEY (day, letter)
        )""",
        """CREATE TABLE tickets (
            id TEXT PRIMARY KEY,
            day TEXT NOT NULL,
            letter TEXT NOT NULL,
            number INTEGER NOT NULL CHECK (number > 0),
            procedure_id TEXT NOT NULL REFERENCES procedures(id),
            documents_complete INTEGER NOT NULL CHECK (documents_complete IN (0, 1)),
            priority TEXT CHECK (priority IN ('elderly', 'disabled', 'pregnant', 'meritorious', 'child')),
            no_appointment INTEGER NOT NULL CHECK (no_appointment IN (0, 1)),
            status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'called', 'finished', 'no_show')),
            counter_id INTEGER REFERENCES counters(id),
            officer_id INTEGER REFERENCES users(id),
            issued_at TEXT NOT NULL,
            transferred_at TEXT,
            called_at TEXT,
            finished_at TEXT,
            outcome TEXT CHECK (outcome IN ('resolved', 'appointment', 'supplement', 'refused', 'advice')),
            rating TEXT CHECK (rating IN ('very_satisfied', 'satisfied', 'unsatisfied')),
            rated_at TEXT,
            idempotency_key TEXT,
            request_digest TEXT,
            UNIQUE (day, letter, number),
            CHECK ((status = 'finished') = (outcome IS NOT NULL)),
            CHECK (rating IS NULL OR status = 'finished')
        )""",
        """CREATE UNIQUE INDEX tickets_idempotency
            ON tickets (day, idempotency_key) WHERE idempotency_key IS NOT NULL""",
        "CREATE INDEX tickets_day_status ON tickets (day, status, procedure_id)",
        """CREATE TABLE dossiers (
            code TEXT PRIMARY KEY,
            ticket_id TEXT NOT NULL UNIQUE REFERENCES tickets(id),
            procedure_id TEXT NOT NULL REFERENCES procedures(id),
            received_at TEXT NOT NULL,
            due_date TEXT NOT NULL,
            returned_at TEXT,
            returned_by INTEGER REFERENCES users(id),
            timeliness TEXT CHECK (timeliness IN ('early', 'on_time', 'late')),
            CHECK ((returned_at IS NULL) = (timeliness IS NULL))
        )""",
        """CREATE TABLE ticket_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL CHECK (name IN ('ticket_issued', 'ticket_called', 'ticket_updated')),
            action TEXT NOT NULL,
            ticket_id TEXT NOT NULL REFERENCES tickets(id),
            day TEXT NOT NULL,
            at TEXT NOT NULL,
            counter_id INTEGER REFERENCES counters(id),
            officer_id INTEGER REFERENCES users(id),
            audience TEXT NOT NULL,
            payload TEXT NOT NULL
        )""",
        "CREATE INDEX ticket_events_day ON ticket_events (day, seq)",
        "CREATE INDEX ticket_events_counter ON ticket_events (counter_id, day, action)",
        """CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
            BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END""",
        """CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
            BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END""",
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m003_voice_clips(db: Database) -> None:
    """The center's own recordings of the call vocabulary (server/voice/announcement.py), one per key."""
    db.execute(
        """CREATE TABLE voice_clips (
            key TEXT PRIMARY KEY,
            mime_type TEXT NOT NULL CHECK (mime_type IN ('audio/webm', 'audio/ogg', 'audio/wav', 'audio/mpeg')),
            audio BLOB NOT NULL CHECK (length(audio) BETWEEN 1 AND 1048576),
            recorded_at TEXT NOT NULL,
            recorded_by INTEGER NOT NULL REFERENCES users(id)
        )"""
    )


@migrations()
def m004_line_index(db: Database) -> None:
    """Counting a line (waiting_ahead) reads only the index: with thousands waiting, a count
    read every waiting ticket of the line before (463 µs at 1,010 waiting, 168 µs with it).
    It covers the old (day, status, procedure_id) index, which goes."""
    db.execute(
        "CREATE INDEX tickets_line ON tickets (day, status, procedure_id, counter_id, priority)"
    )
    db.execute("DROP INDEX tickets_day_status")


@migrations()
def m005_print_spool(db: Database) -> None:
    """The print spool: a job is written in the same transaction as its ticket (or its
    dossier), so a receipt can be late but never lost. `lease_until` and `lease_owner` let
    one worker print a job at a time across processes; `not_before` is the retry backoff
    (both Unix seconds: operational timing, not the center's clock).

    `printers` names the queues: "default" prints to MOTCUA_PRINTER; "kiosk:<name>" and
    "counter:<id>" are a kiosk's or a counter's own printer when the center configured one.
    Each row also keeps the printer's last known state for every screen to show.
    """
    db.execute(
        """CREATE TABLE printers (
            name TEXT PRIMARY KEY CHECK (name = 'default' OR name GLOB 'kiosk:?*'
                                         OR name GLOB 'counter:[0-9]*'),
            url TEXT,
            state TEXT NOT NULL DEFAULT 'unknown' CHECK (state IN ('online', 'paper_low', 'paper_out', 'offline', 'unknown', 'disabled')),
            message TEXT,
            checked_at TEXT
        )"""
    )
    db.execute("INSERT INTO printers (name) VALUES ('default')")
    db.execute(
        """CREATE TABLE print_jobs (
            id INTEGER PRIMARY KEY,
            printer TEXT NOT NULL REFERENCES printers (name),
            kind TEXT NOT NULL CHECK (kind IN ('ticket', 'slip')),
            ticket_id TEXT NOT NULL REFERENCES tickets (id),
            day TEXT NOT NULL,
            document TEXT NOT NULL CHECK (json_valid(document)),
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'printed', 'dropped')),
            attempts INTEGER NOT NULL DEFAULT 0,
            not_before REAL NOT NULL DEFAULT 0,
            lease_until REAL NOT NULL DEFAULT 0,
            lease_owner TEXT,
            last_error TEXT,
            created_at TEXT NOT NULL,
            printed_at TEXT
        )"""
    )
    db.execute(
        "CREATE INDEX print_jobs_pending ON print_jobs (printer, id) WHERE status = 'pending'"
    )
    db.execute("CREATE INDEX print_jobs_ticket ON print_jobs (ticket_id)")
    # The appointment slip names the officer who received the dossier.
    db.execute("ALTER TABLE users ADD COLUMN full_name TEXT")


@migrations()
def m006_calendar_audit_online_help(db: Database) -> None:
    """What the admin pages edit beyond the catalog.

    calendar_days: a `holiday` closes a day the weekly hours would open (Tết, 2/9: no due date
    counts it, no no-appointment session runs); a `working` day opens one they would close (a
    Saturday worked to make up a bridge day). audit_log: who changed what, when, with the
    values before and after. procedures.online_help: the desk that helps citizens file online
    (not an administrative procedure; the reports count its tickets apart).
    """
    db.execute(
        """CREATE TABLE calendar_days (
            day TEXT PRIMARY KEY CHECK (date(day) = day),
            kind TEXT NOT NULL CHECK (kind IN ('holiday', 'working')),
            name TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user_id INTEGER REFERENCES users (id),
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            before TEXT CHECK (before IS NULL OR json_valid(before)),
            after TEXT CHECK (after IS NULL OR json_valid(after))
        )"""
    )
    db.execute(
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"""
    )
    db.execute(
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"""
    )
    db.execute(
        """ALTER TABLE procedures ADD COLUMN online_help INTEGER NOT NULL DEFAULT 0
           CHECK (online_help IN (0, 1))"""
    )
    db.execute("UPDATE procedures SET online_help = 1 WHERE code IS NULL")


@migrations()
def m007_kiosk_devices(db: Database) -> None:
    """Registered kiosks: a kiosk that sends its device token takes tickets without the
    per-address rate limit (MOTCUA_TICKET_RATE), which is for scripts on the guest Wi-Fi.
    Only the token's SHA-256 is kept: a copy of the database cannot impersonate a kiosk."""
    db.execute(
        """CREATE TABLE kiosk_devices (
            name TEXT PRIMARY KEY CHECK (name GLOB '[a-z0-9]*' AND length(name) <= 32),
            token_sha256 TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
            registered_at TEXT NOT NULL
        )"""
    )


@migrations()
def m008_procedure_active(db: Database) -> None:
    """A procedure the center stops taking (moved to another office, suspended) leaves the
    kiosk, the poster and the no-appointment count but keeps its tickets for the reports,
    which a deletion would lose: `active` 0 hides it, 1 (every existing one) shows it."""
    db.execute(
        """ALTER TABLE procedures
           ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))"""
    )


@migrations()
def m009_ticket_keys(db: Database) -> None:
    """A ticket's `key`: the citizen's secret (the receipt's QR, the phone page, the rating),
    apart from its `id`, which staff act on and screens may see no more than the key. Tickets
    issued before get a key they never printed: their phone page ends with the upgrade."""
    db.execute("ALTER TABLE tickets ADD COLUMN key TEXT")
    db.execute("UPDATE tickets SET key = lower(hex(randomblob(16)))")
    db.execute("CREATE UNIQUE INDEX tickets_key ON tickets (key)")


@migrations()
def m010_session_generation(db: Database) -> None:
    """Sessions that end: the signed cookie carries the user's generation at login, and a
    request is let in only while it is still the user's. Logging out, being disabled and a
    new password each add one, which ends every session of that user at once (and a
    re-enabled account does not bring its old cookies back)."""
    db.execute(
        """ALTER TABLE users ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0
           CHECK (session_generation >= 0)"""
    )


@migrations()
def m011_counter_states(db: Database) -> None:
    """A counter is open, paused (with its reason) or closed, and every change is kept with
    who and when: the reports show each counter's open and paused time. A counter opened on
    an earlier day counts as closed today whatever its row says (server/line/counter_states.py),
    so the day's end needs no job; counters open today stay open."""
    db.execute(
        """ALTER TABLE counters ADD COLUMN state TEXT NOT NULL DEFAULT 'closed'
           CHECK (state IN ('open', 'paused', 'closed'))"""
    )
    db.execute("ALTER TABLE counters ADD COLUMN pause_reason TEXT")
    db.execute("ALTER TABLE counters ADD COLUMN state_since TEXT")
    db.execute("UPDATE counters SET state = 'open' WHERE opened_day IS NOT NULL")
    db.execute(
        """CREATE TABLE counter_state_changes (
            id INTEGER PRIMARY KEY,
            counter_id INTEGER NOT NULL REFERENCES counters(id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            at TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('open', 'paused', 'closed')),
            pause_reason TEXT,
            officer_id INTEGER REFERENCES users(id),
            changed_by INTEGER REFERENCES users(id)
        )"""
    )
    db.execute("CREATE INDEX counter_state_changes_day ON counter_state_changes (day, counter_id)")


@migrations()
def m012_ticket_corrections(db: Database) -> None:
    """What an officer adds to a service: the documents missing for a supplement, the reason
    of a refusal, a note that follows the ticket to the next counter, and when its outcome
    was corrected (the audit log keeps what it was)."""
    for column in ("missing_documents", "outcome_reason", "note", "corrected_at"):
        db.execute(f"ALTER TABLE tickets ADD COLUMN {column} TEXT")


@migrations()
def m013_help_requests(db: Database) -> None:
    """A citizen at a kiosk asks for an officer ("Gọi cán bộ hỗ trợ"): the request stays
    open until an officer answers it. At most one open request per kiosk and day (a second
    tap is the same request), so a kiosk cannot flood the consoles."""
    db.execute(
        """CREATE TABLE help_requests (
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL,
            kiosk TEXT NOT NULL CHECK (length(kiosk) BETWEEN 1 AND 64),
            requested_at TEXT NOT NULL,
            answered_at TEXT,
            answered_by INTEGER REFERENCES users (id),
            CHECK ((answered_at IS NULL) = (answered_by IS NULL))
        )"""
    )
    db.execute(
        """CREATE UNIQUE INDEX help_requests_open ON help_requests (day, kiosk)
           WHERE answered_at IS NULL"""
    )


@migrations()
def m014_dossier_apologies(db: Database) -> None:
    """An apology slip ("Phiếu xin lỗi và hẹn lại ngày trả kết quả") for a dossier not ready
    by the date promised: when, by whom, the date promised before and the new one, how many
    working days the new date lies after the original due date, and why. A dossier may get
    several; the latest one's new date is what the citizen was promised last. The dossier's
    own due date never changes, so its timeliness on return stays against it."""
    db.execute(
        """CREATE TABLE dossier_apologies (
            id INTEGER PRIMARY KEY,
            dossier_code TEXT NOT NULL REFERENCES dossiers(code),
            apologized_at TEXT NOT NULL,
            officer_id INTEGER REFERENCES users(id),
            previous_date TEXT NOT NULL,
            new_due_date TEXT NOT NULL,
            days_late INTEGER NOT NULL,
            reason TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX dossier_apologies_dossier ON dossier_apologies (dossier_code)")


@migrations()
def m015_ticket_channels(db: Database) -> None:
    """Where a ticket was taken: at a kiosk, from outside the center (`remote`, a phone at
    home) or by checking in a booking. A remote ticket keeps the SHA-256 of its browser's
    cookie (`browser_hash`), so one browser holds one active remote ticket at a time; the
    partial index serves the day's cap and that look-up without reading the day's line."""
    db.execute(
        """ALTER TABLE tickets ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk'
           CHECK (channel IN ('kiosk', 'remote', 'booking'))"""
    )
    db.execute("ALTER TABLE tickets ADD COLUMN browser_hash TEXT")
    db.execute(
        "CREATE INDEX tickets_remote ON tickets (day, browser_hash) WHERE channel = 'remote'"
    )


@migrations()
def m016_bookings(db: Database) -> None:
    """Booked times. Each field takes `booking_capacity` citizens per slot of
    `booking_slot_minutes` (0: no booking for that field). A booking keeps the citizen's name
    and phone (personal data: deleted `booking_retention_days` after its day, by
    purge_bookings) and, once checked in at the kiosk, its ticket.

    A ticket's place in line is `line_at`, set at insert: its issue time for a walk-in or
    remote ticket, the slot's start (or the check-in, when later) for a booked one
    (server/line/calling_order.py). The line's index gains it, so counting the tickets before
    one still reads the index only."""
    db.execute(
        """ALTER TABLE fields ADD COLUMN booking_capacity INTEGER NOT NULL DEFAULT 0
           CHECK (booking_capacity >= 0)"""
    )
    db.execute(
        """ALTER TABLE fields ADD COLUMN booking_slot_minutes INTEGER NOT NULL DEFAULT 30
           CHECK (booking_slot_minutes BETWEEN 5 AND 240)"""
    )
    db.execute("ALTER TABLE tickets ADD COLUMN line_at TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE tickets SET line_at = issued_at")
    db.execute(
        """CREATE INDEX tickets_line_order
           ON tickets (day, status, procedure_id, counter_id, priority, line_at)"""
    )
    db.execute("DROP INDEX tickets_line")
    db.execute(
        """CREATE TABLE bookings (
            code TEXT PRIMARY KEY,
            procedure_id TEXT NOT NULL REFERENCES procedures(id),
            day TEXT NOT NULL,
            slot_start TEXT NOT NULL,
            slot_end TEXT NOT NULL,
            name TEXT NOT NULL CHECK (length(name) BETWEEN 2 AND 100),
            phone TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'checked_in')),
            booked_at TEXT NOT NULL,
            checked_in_at TEXT,
            ticket_id TEXT UNIQUE REFERENCES tickets(id),
            CHECK ((status = 'checked_in') = (ticket_id IS NOT NULL)),
            CHECK ((ticket_id IS NULL) = (checked_in_at IS NULL)),
            CHECK (slot_start < slot_end)
        )"""
    )
    db.execute("CREATE INDEX bookings_slot ON bookings (day, slot_start)")
    db.execute("CREATE INDEX bookings_phone ON bookings (phone, day)")


@migrations()
def m017_push(db: Database) -> None:
    """Web Push to a citizen's phone. push_subscriptions: a browser's subscription to one
    ticket (its endpoint at a push service, its encryption keys), at most a few per ticket;
    ahead_sent once the "N people ahead" message was queued for it. push_outbox: each message
    to send, written in the transaction of the call that caused it and sent afterwards by the
    push worker, with a lease, a backoff and an expiry (Unix seconds, like print_jobs).
    Deleting a subscription deletes its messages."""
    db.execute(
        """CREATE TABLE push_subscriptions (
            id INTEGER PRIMARY KEY,
            ticket_id TEXT NOT NULL REFERENCES tickets (id),
            day TEXT NOT NULL,
            endpoint TEXT NOT NULL CHECK (length(endpoint) BETWEEN 1 AND 2048),
            p256dh TEXT NOT NULL,
            auth TEXT NOT NULL,
            created_at TEXT NOT NULL,
            ahead_sent INTEGER NOT NULL DEFAULT 0 CHECK (ahead_sent IN (0, 1)),
            UNIQUE (ticket_id, endpoint)
        )"""
    )
    db.execute("CREATE INDEX push_subscriptions_day ON push_subscriptions (day, ahead_sent)")
    db.execute(
        """CREATE TABLE push_outbox (
            id INTEGER PRIMARY KEY,
            subscription_id INTEGER NOT NULL
                REFERENCES push_subscriptions (id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('ahead', 'called')),
            payload TEXT NOT NULL CHECK (json_valid(payload)),
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'refused', 'expired')),
            attempts INTEGER NOT NULL DEFAULT 0,
            expires_at REAL NOT NULL,
            not_before REAL NOT NULL DEFAULT 0,
            lease_until REAL NOT NULL DEFAULT 0,
            lease_owner TEXT,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        )"""
    )
    db.execute("CREATE INDEX push_outbox_pending ON push_outbox (id) WHERE status = 'pending'")
    db.execute("CREATE INDEX push_outbox_subscription ON push_outbox (subscription_id)")


# What the center sends the province's hub (server/sync/): each table whose rows become a
# fact, the fact's kind, and the key that names the row there.
SYNCED_TABLES = (
    ("tickets", "ticket", "id"),
    ("dossiers", "dossier", "code"),
    ("dossier_apologies", "apology", "id"),
    ("counter_state_changes", "counter_change", "id"),
    ("fields", "field", "id"),
    ("procedures", "procedure", "id"),
    ("counters", "counter", "id"),
    ("users", "officer", "id"),
)


@migrations()
def m018_sync_log(db: Database) -> None:
    """The center's log of what changed, for the province's hub: one row per insert, update
    or delete of a row the hub is told about, written by triggers so that no domain code has
    to remember it. The sender (server/sync/sender.py) reads each row's current state when it
    sends, so the log holds only which row changed. Every row that exists already is logged
    once here, so a center's history reaches the hub on its first send."""
    db.execute(
        """CREATE TABLE sync_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            key TEXT NOT NULL
        )"""
    )
    for table, kind, key in SYNCED_TABLES:
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            db.execute(
                f"""CREATE TRIGGER sync_{table}_{event.lower()} AFTER {event} ON {table}
                    BEGIN INSERT INTO sync_log (kind, key) VALUES ('{kind}', {row}.{key}); END"""
            )
        db.execute(
            f"INSERT INTO sync_log (kind, key) SELECT '{kind}', {key} FROM {table} ORDER BY rowid"
        )
