"""The center's sync log for the province hub: what changed since the hub last acknowledged.

`sync_log` (migration m018) gets one row per insert, update or delete of a row the hub is
told about, from SQLite triggers: the domain code never has to remember the hub. The hub's
acknowledged position is the settings row `hub_acknowledged`: the last seq the hub has
committed. Rows up to it are deleted when it moves (the log is a queue of what is left to
send, not an archive: the tables themselves are the center's record).

One sender per database file even with several processes: the settings row `hub_sender`
holds a lease (its owner and until when, Unix seconds), as a print job's lease does. What
the admin page shows (last success, last error) is in the settings row `hub_status`, so any
process answers it, not only the one that sends.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from server.settings import Settings
from server.setup.center import save_setting, setting
from server.storage.db import Database, write_transaction

ACKNOWLEDGED = "hub_acknowledged"
SENDER = "hub_sender"
STATUS = "hub_status"
BATCH_FACTS = 1000  # the hub refuses more than this in one request
READ_ROWS = 5000  # log rows read at a time while a batch is filled


def acknowledged(db: Database) -> int:
    """The last seq the hub has committed (0 before the first success)."""
    value = setting(db, ACKNOWLEDGED)
    return int(value) if value else 0


def next_batch(
    db: Database, after: int, limit: int = BATCH_FACTS
) -> tuple[int, list[tuple[str, str]]]:
    """The (kind, key) pairs changed after seq `after`, each once, at most `limit` of them,
    and `through`, the last seq they cover (`after` when nothing is pending). A pair logged
    again further on is covered by the same fact, since the fact is read as it is now."""
    pairs: dict[tuple[str, str], None] = {}
    through = after
    while True:
        rows = db.execute(
            "SELECT seq, kind, key FROM sync_log WHERE seq > ? ORDER BY seq LIMIT ?",
            [through, READ_ROWS],
        ).fetchall()
        for seq, kind, key in rows:
            if (kind, key) not in pairs and len(pairs) >= limit:
                return through, list(pairs)
            pairs[(kind, key)] = None
            through = seq
        if len(rows) < READ_ROWS:
            return through, list(pairs)


def pending_facts(db: Database) -> int:
    """How many facts are waiting for the hub (a row changed twice counts once)."""
    return db.execute(
        "SELECT count(*) FROM (SELECT DISTINCT kind, key FROM sync_log WHERE seq > ?)",
        [acknowledged(db)],
    ).fetchone()[0]


def acknowledge(db: Database, through: int, at: str) -> None:
    """The hub committed everything up to `through`: remember it, forget those log rows,
    and note the success for the admin page. Never moves backwards (a late answer to an
    older request changes nothing)."""
    with write_transaction(db):
        if through > acknowledged(db):
            save_setting(db, ACKNOWLEDGED, str(through))
            db.execute("DELETE FROM sync_log WHERE seq <= ?", [through])
        status = read_status(db)
        save_setting(db, STATUS, json.dumps({**status, "last_success_at": at}))


def record_failure(db: Database, error: str, at: str) -> None:
    """The last failure, for the admin page (the journal has them all, throttled)."""
    with write_transaction(db):
        status = read_status(db)
        status.update({"last_error": error, "last_error_at": at})
        save_setting(db, STATUS, json.dumps(status, ensure_ascii=False))


def read_status(db: Database) -> dict[str, Any]:
    value = setting(db, STATUS)
    return json.loads(value) if value else {}


def hold_sender_lease(
    db: Database,
    owner: str,
    now: float,
    seconds: float,
    owner_is_dead: Callable[[str], bool],
) -> bool:
    """Take or renew the lease of the one sender of this database file: free, ours, run
    out, or held by a process of this machine that is gone (a restarted server need not wait
    for its earlier life's lease). Whether we hold it now."""
    with write_transaction(db):
        value = setting(db, SENDER)
        if value:
            lease = json.loads(value)
            taken = lease["owner"] != owner and lease["until"] > now
            if taken and not owner_is_dead(lease["owner"]):
                return False
        save_setting(db, SENDER, json.dumps({"owner": owner, "until": now + seconds}))
        return True


def release_sender_lease(db: Database, owner: str) -> None:
    """Give the lease back when this process stops, so another takes over at once."""
    with write_transaction(db):
        value = setting(db, SENDER)
        if value and json.loads(value)["owner"] == owner:
            save_setting(db, SENDER, None)


def sync_state(db: Database, settings: Settings) -> dict[str, Any]:
    """What the admin page shows ("Gửi số liệu về tỉnh"): whether this center sends, where,
    as which center, how many facts wait, the last success and the last error with its time.
    The token is never shown."""
    status = read_status(db)
    return {
        "configured": settings.sends_to_hub(),
        "url": settings.hub_url,
        "center": settings.hub_center,
        "pending": pending_facts(db),
        "acknowledged": acknowledged(db),
        "last_success_at": status.get("last_success_at"),
        "last_error": status.get("last_error"),
        "last_error_at": status.get("last_error_at"),
    }
