"""The print worker's errors in the journal (and the push worker's and the hub sender's):
each once, then at most once a minute.

The worker retries every quarter of a second (a new job must print at once), so a broken
database or a printer that fails the same way would otherwise write a traceback at every
turn: 55 in 14 seconds were measured against a read-only database, burying whatever else the
journal had to say. Here an error is logged the first time, with its traceback; the same
error from the same place is then logged at most once per REPEAT_SECONDS, with how many
times it happened meanwhile; a different error from that place is logged at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

REPEAT_SECONDS = 60.0


@dataclass
class Seen:
    """One error of one place: when it was last logged, how often it happened since."""

    logged_at: float
    since: int = 0


class ErrorLog:
    """Throttled error logging by place (a printer queue, or "database") and error."""

    def __init__(
        self,
        logger: logging.Logger,
        repeat_seconds: float = REPEAT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        describe: Callable[[str], str] | None = None,
    ) -> None:
        """describe: who failed, as the journal says it (the push worker names its places
        its own way; the print worker's by default)."""
        self.logger = logger
        self.describe = describe or describe_print_place
        self.repeat_seconds = repeat_seconds
        self.clock = clock
        self._seen: dict[tuple[str, str], Seen] = {}

    def report(self, place: str, error: BaseException) -> None:
        """Log `error`, which happened at `place`, unless the same was logged less than a
        minute ago (then it is only counted)."""
        what = f"{type(error).__name__}: {error}"
        now = self.clock()
        self._forget_older_than(now - 2 * self.repeat_seconds)
        seen = self._seen.get((place, what))
        if seen is None:
            self._seen[(place, what)] = Seen(now)
            self.logger.error("%s: %s", self.describe(place), what, exc_info=error)
        elif now - seen.logged_at >= self.repeat_seconds:
            self.logger.error(
                "%s: vẫn lỗi %s (thêm %d lần trong %d giây qua, không ghi lại từng lần)",
                self.describe(place),
                what,
                seen.since + 1,
                round(now - seen.logged_at),
            )
            self._seen[(place, what)] = Seen(now)
        else:
            seen.since += 1

    def _forget_older_than(self, moment: float) -> None:
        """An error not logged for a while is logged afresh (with its traceback) if it comes
        back; forgetting also keeps errors whose text varies from piling up."""
        for key in [key for key, seen in self._seen.items() if seen.logged_at < moment]:
            del self._seen[key]


def places_of(job: str) -> Callable[[str], str]:
    """`describe` for a worker that names its places plainly: "JOB (cơ sở dữ liệu)" for the
    database, "JOB (PLACE)" for anything else (a push service, the province hub)."""

    def describe(place: str) -> str:
        return f"{job} (cơ sở dữ liệu)" if place == "database" else f"{job} ({place})"

    return describe


def describe_print_place(place: str) -> str:
    """Who failed, as the journal says it: the database, or one printer queue."""
    return "In phiếu (cơ sở dữ liệu)" if place == "database" else f"In phiếu (máy in {place})"
