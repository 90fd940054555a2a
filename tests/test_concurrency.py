"""Many writers on one database file: numbers stay unique, no ticket is called twice."""

import threading
from collections import Counter

from server.line.counter_actions import call_next, finish
from server.line.tickets import issue_ticket
from server.settings import Settings
from server.setup.auth import User
from server.storage.db import open_database

COPY = "chung-thuc-ban-sao"
BIRTH = "khai-sinh"


def run_threads(database_path, count, work):
    """Run work(connection, index) in `count` threads started together; gather results."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(index):
        db = open_database(database_path)
        try:
            barrier.wait()
            results.extend(work(db, index))
        except Exception as error:  # reported below: a thread must not fail silently
            errors.append(error)
        finally:
            db.conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    return results


def test_twenty_kiosks_issuing_at_once_never_share_a_number(db_path, db, clock):
    settings = Settings(database=db_path)

    def kiosk(connection, index):
        procedure = COPY if index % 2 else BIRTH
        return [
            issue_ticket(
                connection, clock, settings, procedure_id=procedure, documents_complete=True
            ).ticket["number"]
            for _ in range(50)
        ]

    numbers = run_threads(db_path, 20, kiosk)
    assert len(numbers) == 1000
    assert len(set(numbers)) == 1000
    assert sorted(n for n in numbers if n.startswith("A")) == [f"A{i:03d}" for i in range(1, 501)]
    stored = db.execute("SELECT count(DISTINCT letter || number) FROM tickets").fetchone()[0]
    assert stored == 1000
    seqs = [row[0] for row in db.execute("SELECT seq FROM ticket_events ORDER BY seq")]
    assert seqs == list(range(seqs[0], seqs[0] + 1000))


def test_ten_counters_calling_at_once_never_call_a_ticket_twice(db_path, db, clock):
    settings = Settings(database=db_path)
    for counter_id in range(11, 21):
        db.execute(
            "INSERT INTO counters (id, name) VALUES (?, ?)", [counter_id, f"Quầy {counter_id}"]
        )
        db.execute(
            "INSERT INTO counter_procedures (counter_id, procedure_id) VALUES (?, ?)",
            [counter_id, COPY],
        )
    for _ in range(200):
        issue_ticket(db, clock, settings, procedure_id=COPY, documents_complete=True)
    officers = []  # one officer per counter: an officer holds one counter at a time
    for index in range(10):
        username = f"canbo-quay-{11 + index}"
        user_id = db.execute(
            """INSERT INTO users (username, password_hash, role, created_at)
               VALUES (?, 'không dùng', 'officer', '2026-11-26T08:00:00+07:00') RETURNING id""",
            [username],
        ).fetchone()[0]
        officers.append(User(user_id, username, "officer"))

    def counter(connection, index):
        called = []
        officer = officers[index]
        while True:
            outcome = call_next(connection, clock, settings, 11 + index, officer)
            if outcome.ticket is None:
                return called
            called.append(outcome.ticket["id"])
            finish(connection, clock, settings, outcome.ticket["id"], officer, "resolved")

    called = run_threads(db_path, 10, counter)
    assert len(called) == 200
    assert max(Counter(called).values()) == 1
    finished = db.execute("SELECT count(*) FROM tickets WHERE status = 'finished'").fetchone()[0]
    assert finished == 200
