"""Routes of the counter pages."""

from __future__ import annotations

from counter import blueprint  # noqa: F401
