"""Routes of the kiosk pages."""

from __future__ import annotations

from kiosk import blueprint  # noqa: F401
