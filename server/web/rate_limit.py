"""Sliding windows of hits per key (a client address, a username), kept in memory.

Used for ticket issuing (MOTCUA_TICKET_RATE): a kiosk takes a few tickets a minute, a
script on the guest Wi-Fi takes hundreds. And for failed logins (LoginThrottle): an officer
mistypes a password a few times, a password-guessing script thousands of times. Each server
process keeps its own windows.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0
FORGET_ABOVE_KEYS = 10_000


class RateLimiter:
    """At most `limit` hits per key in any `window_seconds` (limit 0 = no limit)."""

    def __init__(
        self,
        limit: int,
        now: Callable[[], float] = time.monotonic,
        *,
        window_seconds: float = WINDOW_SECONDS,
    ) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._now = now
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int:
        """Record a hit; 0 if allowed, else the seconds until one more would be."""
        if self.limit <= 0:
            return 0
        now = self._now()
        with self._lock:
            wait = self._wait(key, now)
            if not wait:
                self._add(key, now)
            return wait

    def wait(self, key: str) -> int:
        """Without recording anything: 0 if one more hit is allowed, else the seconds until."""
        if self.limit <= 0:
            return 0
        with self._lock:
            return self._wait(key, self._now())

    def hit(self, key: str) -> None:
        """Record a hit without asking (a failed login counts whether or not it was let in)."""
        if self.limit <= 0:
            return
        with self._lock:
            self._add(key, self._now())

    def forget(self, key: str) -> None:
        """Drop the key's hits (a successful login clears its username's failures)."""
        with self._lock:
            self._hits.pop(key, None)

    def _wait(self, key: str, now: float) -> int:
        hits = self._hits.get(key)
        if not hits:
            return 0
        while hits and hits[0] <= now - self.window_seconds:
            hits.popleft()
        if len(hits) < self.limit:
            return 0
        return max(1, int(hits[0] + self.window_seconds - now + 0.999))

    def _add(self, key: str, now: float) -> None:
        self._hits.setdefault(key, deque()).append(now)
        if len(self._hits) > FORGET_ABOVE_KEYS:
            self._forget_idle(now)

    def _forget_idle(self, now: float) -> None:
        for key in [
            k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.window_seconds
        ]:
            del self._hits[key]


class LoginThrottle:
    """Failed logins: at most `per_username` for one username and `per_address` from one
    client address in any `window_seconds`; beyond either, logins wait, even right ones
    (else a guesser would learn the password from the one attempt that is not refused)."""

    def __init__(
        self,
        per_username: int = 5,
        per_address: int = 20,
        window_seconds: float = 15 * 60.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.usernames = RateLimiter(per_username, now, window_seconds=window_seconds)
        self.addresses = RateLimiter(per_address, now, window_seconds=window_seconds)

    def retry_after(self, username: str, address: str) -> int:
        """0 if this login may be tried now, else the seconds until it may."""
        return max(self.usernames.wait(key(username)), self.addresses.wait(address))

    def failed(self, username: str, address: str) -> None:
        self.usernames.hit(key(username))
        self.addresses.hit(address)

    def succeeded(self, username: str) -> None:
        """The username's failures are forgotten; the address's stay (it may guess others)."""
        self.usernames.forget(key(username))


def key(username: str) -> str:
    """'CanBo ' and 'canbo' are one username to the throttle (a guesser varies the case)."""
    return username.strip().lower()
