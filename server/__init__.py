"""motcua-queue server.

create_app imports the application lazily: `motcua serve` must monkey-patch eventlet before
Flask and Socket.IO are imported, and importing this package must not import them.
"""

from __future__ import annotations

from typing import Any


def create_app(test_config: dict[str, Any] | None = None) -> Any:
    """Build the Flask app: settings → database → Socket.IO → blueprints (see server.app)."""
    from server.web.app import build_app

    return build_app(test_config)
