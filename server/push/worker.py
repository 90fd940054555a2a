"""The push worker: sends the outbox's messages (server/push/outbox.py) to the push services.

It runs in the background of `motcua serve`, like the print worker, never on a request: a
call is answered whether or not the internet is reachable. Each message is encrypted for its
subscription (RFC 8291, aes128gcm) and signed with the center's VAPID key (RFC 8292: a JWT
ES256 whose `aud` is the endpoint's origin), by pywebpush, in `run_blocking`'s thread (the
name lookup and the HTTPS request block; under eventlet they go to eventlet.tpool).

What the push service answers decides what happens:
201 (any 2xx) sent; 404 or 410 the browser dropped the subscription, which is deleted;
429 and 5xx, a timeout or no network: tried again after a backoff until the message's time
to live runs out; any other 4xx refused for good. Failures are logged through the print
worker's throttled error log, one line per push service then at most once a minute, so a
center without internet gets one clear line and nothing else.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from server.clock import Clock, iso
from server.printing.error_log import ErrorLog
from server.printing.worker import lease_owner
from server.push import outbox
from server.push.keys import VapidKey, load_vapid_key
from server.settings import Settings
from server.storage.db import Database, connection

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.5  # how soon a queued message is noticed
PURGE_SECONDS = 3600.0  # how often earlier days' subscriptions are deleted
CONNECT_TIMEOUT, READ_TIMEOUT = 5.0, 15.0
VAPID_HOURS = 12  # the token's lifetime (Apple refuses more than a day)


@dataclass(frozen=True)
class Answer:
    """What a push service answered: its status and Retry-After in seconds, if any."""

    status: int
    retry_after: float | None = None
    text: str = ""


class PushRefused(Exception):
    """A push service answered with an error status (for the log)."""


class PushUnreachable(Exception):
    """A push service could not be reached (for the log: one stable line per cause)."""


def network_cause(error: Exception) -> str:
    """A network error in words that stay the same from one try to the next (requests'
    own messages name object addresses), so the throttled log counts it as one error."""
    cause = re.search(r"\[Errno -?\d+\] [^'\")\]]+", str(error))
    return cause[0] if cause else type(error).__name__


def unreachable(error: Exception) -> PushUnreachable:
    """The push service could not be reached, and what that means for the center."""
    return PushUnreachable(
        f"không kết nối được ({network_cause(error)}); máy chủ có kết nối Internet không? "
        "Số thứ tự vẫn được gọi bình thường, chỉ không có thông báo đẩy."
    )


def describe(place: str) -> str:
    """Who failed, as the journal says it."""
    if place == "database":
        return "Thông báo đẩy (cơ sở dữ liệu)"
    return f"Thông báo đẩy ({place})"


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After in seconds (its date form is ignored: the backoff applies)."""
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


class WebPushSender:
    """Sends one message with pywebpush: the HTTP status, or an exception for the network."""

    def __init__(self, key: VapidKey, subject: str) -> None:
        self.key = key
        self.subject = subject
        self._vapid: Any = None
        self._session: Any = None

    def __call__(self, message: outbox.Message, now: float) -> Answer:
        # pywebpush loads requests, aiohttp and http_ece: only once there is something to send.
        import requests
        from cryptography.hazmat.primitives import serialization
        from py_vapid import Vapid02
        from pywebpush import WebPusher

        if self._vapid is None:
            self._vapid = Vapid02(serialization.load_pem_private_key(self.key.private_pem, None))
            self._session = requests.Session()
        claims = {
            "sub": self.subject,
            "aud": message.subscription.origin(),
            "exp": int(time.time()) + VAPID_HOURS * 3600,  # the push service's clock: real
        }
        headers = {**self._vapid.sign(claims), "Urgency": "high"}
        response = WebPusher(message.subscription.info(), requests_session=self._session).send(
            message.payload.encode(),
            headers,
            ttl=max(1, int(message.expires_at - now)),
            content_encoding="aes128gcm",
            timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
        )
        return Answer(
            response.status_code,
            retry_after_seconds(response.headers.get("Retry-After")),
            response.text[:200],
        )


class PushWorker:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        *,
        spawn: Callable[..., Any],
        sleep: Callable[[float], None],
        run_blocking: Callable[[Callable[[], Any]], Any] = lambda function: function(),
        send: Callable[[outbox.Message, float], Answer] | None = None,
        errors: ErrorLog | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        """send: how one message goes out (WebPushSender with the center's key when None);
        errors, now: tests give their own."""
        self.settings = settings
        self.clock = clock
        self.spawn = spawn
        self.sleep = sleep
        self.run_blocking = run_blocking
        self.send = send or WebPushSender(
            load_vapid_key(settings.database), settings.vapid_subject()
        )
        self.errors = errors or ErrorLog(logger, describe=describe)
        self.now = now
        self.owner = lease_owner()
        self.stopped = False
        self.purged_at = 0.0

    def start(self) -> None:
        self.spawn(self.supervise)

    def stop(self) -> None:
        self.stopped = True

    def supervise(self) -> None:
        """Send what is due, every POLL_SECONDS; no error stops the loop."""
        while not self.stopped:
            try:
                self.turn()
            except Exception as error:
                self.report(error, "database")
            self.sleep(POLL_SECONDS)

    def turn(self) -> int:
        """One pass: purge earlier days (hourly), lease what is due and send each message
        in its own task (a slow push service never holds back another). How many."""
        now = self.now()
        if now - self.purged_at >= PURGE_SECONDS:
            today = self.clock.now().date().isoformat()
            self.with_db(lambda db: outbox.purge_before(db, today))
            self.purged_at = now
        if not self.with_db(lambda db: outbox.has_due(db, now)):
            return 0
        messages = self.with_db(lambda db: outbox.claim_due(db, self.owner, now))
        for message in messages:
            self.spawn(self.deliver, message)
        return len(messages)

    def deliver(self, message: outbox.Message) -> None:
        """Send one leased message and record what the push service said."""
        origin = message.subscription.origin()
        try:
            answer = self.run_blocking(lambda: self.send(message, self.now()))
        except Exception as error:  # no network, a timeout, a refused connection
            cause = unreachable(error)
            self.report(cause, origin)
            self.record(
                lambda db: outbox.mark_retry(db, message, self.owner, str(cause), self.now())
            )
            return
        status = answer.status
        if 200 <= status < 300:
            self.record(lambda db: outbox.mark_sent(db, message, self.owner, iso(self.clock.now())))
        elif status in (404, 410):
            self.record(lambda db: outbox.forget_subscription(db, message.subscription_id))
        elif status == 429 or status >= 500:
            reason = f"HTTP {status} {answer.text}".strip()
            self.report(PushRefused(reason), origin)
            self.record(
                lambda db: outbox.mark_retry(
                    db, message, self.owner, reason, self.now(), answer.retry_after
                )
            )
        else:
            reason = f"HTTP {status} {answer.text}".strip()
            self.report(PushRefused(reason), origin)
            self.record(lambda db: outbox.mark_refused(db, message, self.owner, reason))

    def record(self, work: Callable[[Database], Any]) -> None:
        try:
            self.with_db(work)
        except Exception as error:
            self.report(error, "database")

    def report(self, error: Exception, place: str) -> None:
        self.errors.report("database" if isinstance(error, sqlite3.Error) else place, error)

    def with_db(self, work: Callable[[Database], Any]) -> Any:
        with connection(self.settings.database) as db:
            return work(db)
