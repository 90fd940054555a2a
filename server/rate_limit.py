"""A sliding one-minute window of requests per client address, kept in memory.

Used for ticket issuing (MOTCUA_TICKET_RATE): a kiosk takes a few tickets a minute, a
script on the guest Wi-Fi takes hundreds. Each server process keeps its own window.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0


class RateLimiter:
    """At most `per_minute` hits per key in any 60 s (per_minute 0 = no limit)."""

    def __init__(self, per_minute: int, now: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._now = now
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int:
        """Record a hit; 0 if allowed, else the seconds until one more would be."""
        if self.per_minute <= 0:
            return 0
        now = self._now()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - WINDOW_SECONDS:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return max(1, int(hits[0] + WINDOW_SECONDS - now + 0.999))
            hits.append(now)
            if len(self._hits) > 10_000:
                self._forget_idle(now)
            return 0

    def _forget_idle(self, now: float) -> None:
        for key in [
            k for k, hits in self._hits.items() if not hits or hits[-1] <= now - WINDOW_SECONDS
        ]:
            del self._hits[key]
