"""The hub sender: a worker of `motcua serve` that sends the center's facts to the province.

Started when MOTCUA_HUB_URL, MOTCUA_HUB_TOKEN and MOTCUA_HUB_CENTER are set. It reads what
changed after the hub's acknowledged position (server/sync/log.py), at most 1000 facts a
batch read as they are now (server/sync/facts.py), and POSTs them to
`{MOTCUA_HUB_URL}/api/hub/facts`; once the hub answers 200 with the same `through`, that
position is acknowledged. At-least-once: a batch whose answer never came (the hub down, the
center stopped between the hub's commit and the acknowledgement) is sent again, and the hub
stores each fact as an upsert, so the repeat changes nothing.

The lobby never waits on the hub: the request runs through run_blocking (eventlet's thread
pool under `motcua serve`), with a connect and a read timeout, and the worker's own greenlet
sleeps between tries. After a failure it waits 1 s, then twice as long each time up to 60 s,
with jitter (a province's centers that lost the same link do not all return at the same
second). Errors go to the journal once, then at most once a minute (server/printing/
error_log.py). One sender per database file even with several processes: a lease.
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from server.clock import Clock, iso
from server.printing.error_log import ErrorLog
from server.printing.worker import lease_owner, lease_owner_is_dead
from server.push.worker import network_cause
from server.settings import Settings
from server.setup.center import setting
from server.storage.db import Database, connection
from server.sync import log
from server.sync.facts import facts_for

logger = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # how soon a change is noticed when nothing is pending
LEASE_SECONDS = 90.0  # longer than one request can take (CONNECT + READ timeouts)
LEASE_WAIT_SECONDS = 10.0  # how often a process without the lease looks again
FIRST_BACKOFF, MAX_BACKOFF = 1.0, 60.0
CONNECT_TIMEOUT, READ_TIMEOUT = 5.0, 30.0
FACTS_PATH = "/api/hub/facts"


@dataclass(frozen=True)
class Answer:
    """What the hub answered: its status and JSON body (None when it was not JSON)."""

    status: int
    body: Any = None


class HubRefused(Exception):
    """The hub answered, but not with the acknowledgement (for the log)."""


class HubUnreachable(Exception):
    """The hub could not be reached (for the log: one stable line per cause)."""


def unreachable(error: Exception) -> HubUnreachable:
    return HubUnreachable(
        f"không kết nối được máy chủ tỉnh ({network_cause(error)}); quầy vẫn làm việc bình "
        "thường, số liệu được giữ lại và gửi khi kết nối trở lại."
    )


def describe(place: str) -> str:
    """Who failed, as the journal says it."""
    if place == "database":
        return "Gửi số liệu về tỉnh (cơ sở dữ liệu)"
    return f"Gửi số liệu về tỉnh ({place})"


def refusal(answer: Answer) -> HubRefused:
    """The hub's answer in words that stay the same from one try to the next."""
    error = answer.body.get("error") if isinstance(answer.body, dict) else None
    if isinstance(error, dict):
        return HubRefused(f"HTTP {answer.status} {error.get('code')}: {error.get('message')}")
    return HubRefused(f"HTTP {answer.status}")


class HttpPoster:
    """POSTs one batch to the hub with requests; the answer, or an exception for the
    network (no route, refused, timed out)."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url + FACTS_PATH
        self.token = token
        self._session: Any = None

    def __call__(self, body: bytes) -> Answer:
        import requests

        if self._session is None:
            self._session = requests.Session()
        response = self._session.post(
            self.url,
            data=body,
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
            },
            timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
        )
        try:
            answer_body = response.json()
        except ValueError:
            answer_body = None
        return Answer(response.status_code, answer_body)


class HubSender:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        *,
        spawn: Callable[..., Any],
        sleep: Callable[[float], None],
        run_blocking: Callable[[Callable[[], Any]], Any] = lambda function: function(),
        post: Callable[[bytes], Answer] | None = None,
        errors: ErrorLog | None = None,
        now: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        """post: how one batch goes out (HttpPoster to MOTCUA_HUB_URL when None); errors,
        now, jitter: tests give their own."""
        if not settings.sends_to_hub():
            raise ValueError("the hub sender needs MOTCUA_HUB_URL, _TOKEN and _CENTER")
        self.settings = settings
        self.clock = clock
        self.spawn = spawn
        self.sleep = sleep
        self.run_blocking = run_blocking
        self.post = post or HttpPoster(str(settings.hub_url), str(settings.hub_token))
        self.errors = errors or ErrorLog(logger, describe=describe)
        self.now = now
        self.jitter = jitter
        self.owner = lease_owner()
        self.lease_until = 0.0
        self.failures = 0
        self.stopped = False

    def start(self) -> None:
        self.spawn(self.supervise)

    def stop(self) -> None:
        self.stopped = True

    def supervise(self) -> None:
        """Send, then wait as long as the turn says; no error stops the loop."""
        while not self.stopped:
            try:
                wait = self.turn()
            except Exception as error:
                self.report(error, "database")
                wait = self.backoff()
            self.sleep(wait)

    def turn(self) -> float:
        """One try: hold the lease, send the next batch if there is one, acknowledge it.
        How long to wait before the next try (0: more is pending, at once)."""
        if not self.hold_lease():
            return LEASE_WAIT_SECONDS
        batch = self.with_db(self.read_batch)
        if batch is None:
            return POLL_SECONDS
        through, body = batch
        place = str(self.settings.hub_url)
        try:
            answer = self.run_blocking(lambda: self.post(body))
        except Exception as error:  # no network, a timeout, a refused connection
            return self.failed(unreachable(error), place)
        acknowledged = isinstance(answer.body, dict) and answer.body.get("through") == through
        if answer.status != 200 or not acknowledged:
            return self.failed(refusal(answer), place)
        self.with_db(lambda db: log.acknowledge(db, through, iso(self.clock.now())))
        self.failures = 0
        return 0.0

    def read_batch(self, db: Database) -> tuple[int, bytes] | None:
        """The next batch as the request's body, and its `through`; None when nothing is
        pending. The log and the rows are read in one snapshot (a read transaction)."""
        db.execute("BEGIN")
        try:
            after = log.acknowledged(db)
            through, pairs = log.next_batch(db, after)
            if not pairs:
                return None
            body = {
                "center": {
                    "id": self.settings.hub_center,
                    "name": setting(db, "center_name"),
                },
                "through": through,
                "facts": facts_for(db, pairs),
            }
        finally:
            db.execute("COMMIT")
        return through, json.dumps(body, ensure_ascii=False).encode()

    def hold_lease(self) -> bool:
        """Renew the lease once half of it is gone; whether this process sends."""
        now = self.now()
        if now < self.lease_until - LEASE_SECONDS / 2:
            return True
        held = self.with_db(
            lambda db: log.hold_sender_lease(
                db,
                self.owner,
                now,
                LEASE_SECONDS,
                lambda owner: lease_owner_is_dead(owner, self.owner),
            )
        )
        self.lease_until = now + LEASE_SECONDS if held else 0.0
        return held

    def failed(self, error: Exception, place: str) -> float:
        """Log (throttled), note it for the admin page, and back off."""
        self.report(error, place)
        message = str(error)
        try:
            self.with_db(lambda db: log.record_failure(db, message, iso(self.clock.now())))
        except Exception as db_error:
            self.report(db_error, "database")
        return self.backoff()

    def backoff(self) -> float:
        """1 s, 2 s, 4 s … up to 60 s, each between 75 % and 100 % of that (the jitter)."""
        self.failures += 1
        delay = min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** (self.failures - 1))
        return delay * (0.75 + 0.25 * self.jitter())

    def report(self, error: Exception, place: str) -> None:
        self.errors.report("database" if isinstance(error, sqlite3.Error) else place, error)

    def with_db(self, work: Callable[[Database], Any]) -> Any:
        with connection(self.settings.database) as db:
            return work(db)
