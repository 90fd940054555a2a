"""The HTTP JSON API described as an OpenAPI 3.1 document, served at GET /api/openapi.json.

The document is data (server/data/openapi.yaml), not built from the views: it is a promise
to clients, checked against the app by tests/test_openapi.py (every route and method, and a
schemathesis run that its schemas hold) rather than generated from code that could change
it silently.
"""

from __future__ import annotations

import contextlib
import copy
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

DOCUMENT = Path(__file__).resolve().parent.parent / "data" / "openapi.yaml"


@cache
def load_document() -> dict[str, Any]:
    """Read the YAML once per process: it ships with the package and never changes at run time."""
    import yaml  # for this one document, asked for by API clients, never by the screens

    document = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    # Run from a source tree that was never installed, the file's own version stands.
    with contextlib.suppress(metadata.PackageNotFoundError):
        document["info"]["version"] = metadata.version("motcua-queue")
    return document


def openapi_document(session_cookie: str = "session") -> dict[str, Any]:
    """A copy of the document (no caller can change what the next request is served), with
    the session cookie named as the app names it: the name is the app's setting, not the
    document's to pin."""
    document = copy.deepcopy(load_document())
    document["components"]["securitySchemes"]["session"]["name"] = session_cookie
    return document
