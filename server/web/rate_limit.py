"""Sliding windows of hits per key (a client address), and the failed-login throttle, kept
in memory.

Used for ticket issuing (MOTCUA_TICKET_RATE): a kiosk takes a few tickets a minute, a
script on the guest Wi-Fi takes hundreds. And for failed logins (LoginThrottle): an officer
mistypes a password a few times, a password-guessing script thousands of times. Each server
process keeps its own counts.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_SECONDS = 60.0
FORGET_ABOVE_KEYS = 10_000
PAIR_MEMORY_SECONDS = 60 * 60.0  # a pair's failures are forgotten after an hour without one


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


@dataclass
class Failures:
    """The failed logins of one (username, address) pair: how many, and the last one's time."""

    count: int
    last: float


class LoginThrottle:
    """Failed logins slow down the pair that failed, never anybody else.

    Per (username, address): the first `free_failures` cost nothing (a mistyped password is
    typed again at once); after the n-th failure beyond them the pair waits `first_delay` ×
    2^(n−1) seconds (1, 2, 4, … up to `longest_delay`) before its next try, even a right one
    (else a guesser would learn the password from the one attempt that is not refused); an
    hour without failures, or a success, forgets the pair. Per address, looser: at most
    `per_address` failures in any `window_seconds`, whatever the usernames, so one machine
    cannot walk through every account. A stranger failing for "quantri" from their address
    therefore never keeps the admin out of their own PC.
    """

    def __init__(
        self,
        free_failures: int = 3,
        first_delay: float = 1.0,
        longest_delay: float = 5 * 60.0,
        per_address: int = 20,
        window_seconds: float = 15 * 60.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free_failures = free_failures
        self.first_delay = first_delay
        self.longest_delay = longest_delay
        self.forget_after = max(PAIR_MEMORY_SECONDS, longest_delay)
        self.addresses = RateLimiter(per_address, now, window_seconds=window_seconds)
        self._now = now
        self._pairs: dict[tuple[str, str], Failures] = {}
        self._lock = threading.Lock()

    def retry_after(self, username: str, address: str) -> int:
        """0 if this login may be tried now, else the seconds until it may."""
        now = self._now()
        with self._lock:
            failures = self._pairs.get((key(username), address))
            pair_wait = 0.0
            if failures is not None:
                pair_wait = failures.last + self.delay(failures.count) - now
        return max(math.ceil(max(pair_wait, 0.0)), self.addresses.wait(address))

    def delay(self, count: int) -> float:
        """The wait after the count-th failure in a row."""
        beyond = count - self.free_failures
        if beyond <= 0:
            return 0.0
        return min(self.first_delay * 2 ** min(beyond - 1, 32), self.longest_delay)

    def failed(self, username: str, address: str) -> None:
        now = self._now()
        with self._lock:
            pair = (key(username), address)
            failures = self._pairs.get(pair)
            if failures is None or now - failures.last > self.forget_after:
                failures = self._pairs[pair] = Failures(0, now)
            failures.count += 1
            failures.last = now
            if len(self._pairs) > FORGET_ABOVE_KEYS:
                self._forget_idle(now)
        self.addresses.hit(address)

    def succeeded(self, username: str, address: str) -> None:
        """The pair's failures are forgotten; the address's stay (it may guess others)."""
        with self._lock:
            self._pairs.pop((key(username), address), None)

    def _forget_idle(self, now: float) -> None:
        for pair in [p for p, f in self._pairs.items() if now - f.last > self.forget_after]:
            del self._pairs[pair]


def key(username: str) -> str:
    """'CanBo ' and 'canbo' are one username to the throttle (a guesser varies the case)."""
    return username.strip().lower()
