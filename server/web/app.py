"""The application factory: settings, then database, then Socket.IO, then blueprints."""

from __future__ import annotations

import secrets
from dataclasses import fields
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from server.clock import Clock, SystemClock
from server.push.keys import load_vapid_key
from server.settings import Settings, settings_from_env
from server.setup.catalog import prepare_database
from server.storage.db import keep_connections
from server.storage.private_files import write_private
from server.web.admin_api import admin_api
from server.web.api import api
from server.web.booking_api import booking_api
from server.web.help_api import help_api
from server.web.pages import admin, counter, display, forms, home, kiosk, phone, reports
from server.web.push_api import push_api
from server.web.rate_limit import RateLimiter
from server.web.rating_api import rating_api
from server.web.realtime import create_socketio
from server.web.request import (
    DatabaseInteger,
    Services,
    close_db,
    publish_committed_events,
    register_error_handlers,
)
from server.web.security import init_security
from server.web.voice_api import voice_api

MAX_REQUEST_BYTES = 64 * 1024


def build_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Defaults, then MOTCUA_* from the environment, then test overrides.

    test_config may hold any Settings field, plus `clock` (a FixedClock) and `TESTING`.
    """
    config = dict(test_config or {})
    clock_override: Clock | None = config.pop("clock", None)
    settings_names = {f.name for f in fields(Settings)}
    overrides = {key: config.pop(key) for key in list(config) if key in settings_names}
    settings = settings_from_env().with_overrides(**overrides)
    clock = clock_override or SystemClock.in_zone(settings.timezone)
    prepare_database(settings)
    keep_connections(
        settings.database
    )  # requests and pushes reuse connections (server/storage/db.py)

    app = Flask("server")  # server/static and server/templates: the shared front-end
    app.url_map.converters["int"] = DatabaseInteger  # before any route: ids SQLite can hold
    app.config.update(
        SECRET_KEY=settings.secret_key or stored_secret_key(settings.database),
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        JSON_SORT_KEYS=False,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    init_security(app, settings)  # session cookie, headers, cross-site guard, login throttle
    app.config.update(config)
    realtime = create_socketio(app, settings, clock)
    if settings.trusted_proxies:
        # Behind nginx every request comes from 127.0.0.1: the rate limits, the session
        # cookie and the bound on live clients per address need the client's own address
        # and scheme, which only nginx may tell. Outside Socket.IO's middleware, so that its
        # connections see them too.
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    app.extensions["motcua"] = Services(
        settings, clock, realtime, RateLimiter(settings.ticket_rate)
    )
    app.extensions["motcua_vapid"] = load_vapid_key(settings.database)  # made on first start
    app.after_request(publish_committed_events)
    app.teardown_appcontext(close_db)
    register_error_handlers(app)
    app.register_blueprint(api)
    app.register_blueprint(admin_api)
    app.register_blueprint(voice_api)
    app.register_blueprint(rating_api)
    app.register_blueprint(help_api)
    app.register_blueprint(booking_api)
    app.register_blueprint(push_api)
    app.register_blueprint(home.blueprint)
    app.register_blueprint(kiosk.blueprint)
    app.register_blueprint(phone.blueprint)
    app.register_blueprint(display.blueprint)
    app.register_blueprint(counter.blueprint)
    app.register_blueprint(reports.blueprint)
    app.register_blueprint(admin.blueprint)
    app.register_blueprint(forms.blueprint)
    return app


def stored_secret_key(database: Path) -> str:
    """The session key kept next to the database, generated on first start."""
    path = Path(database).parent / "secret_key"
    if not path.exists():
        write_private(path, secrets.token_hex(32))
    return path.read_text().strip()
