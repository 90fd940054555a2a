"""Routes of the display pages."""

from __future__ import annotations

from display import blueprint  # noqa: F401
