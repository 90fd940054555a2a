"""The hub's application factory: settings, the PostgreSQL pool (migrated first), the
session key shared through PostgreSQL, the center's security rules, the blueprints.

Stateless but for PostgreSQL, so any number of hub processes answer alike behind nginx.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from werkzeug.middleware.proxy_fix import ProxyFix

from server.clock import Clock, SystemClock
from server.hub.migrations import migrate
from server.hub.store import ConnectionPool, open_pool, session_key
from server.settings import Settings
from server.web.hub.api import HubServices, hub_api
from server.web.hub.pages import blueprint as hub_pages
from server.web.hub.province_api import province_api
from server.web.request import register_error_handlers
from server.web.security import init_security

# A batch of 1000 ticket facts is about 600 KB of JSON; 4 MB leaves room for long texts.
MAX_REQUEST_BYTES = 4 * 1024 * 1024


def create_hub_app(
    settings: Settings, pool_size: int = 8, clock: Clock | None = None, **config: Any
) -> Flask:
    """The hub's Flask app over settings.hub_database, its schema migrated first (under the
    advisory lock: several processes may start at once)."""
    if not settings.hub_database:
        raise ValueError("MOTCUA_HUB_DATABASE is not set")
    pool = open_pool(settings.hub_database, pool_size, settings.timezone)
    with pool.connection() as conn:
        migrate(conn)
        key = settings.secret_key or session_key(conn)
    app = Flask("server")  # server/static and server/templates, shared with the center
    app.config.update(SECRET_KEY=key, MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES, **config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    init_security(app, settings)  # the center's cookie, headers, cross-site guard, throttle
    if settings.trusted_proxies:
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    app.extensions["motcua_hub"] = HubServices(
        settings, clock or SystemClock.in_zone(settings.timezone), pool
    )
    app.teardown_appcontext(give_back_connection)
    register_error_handlers(app)
    app.register_blueprint(hub_api)
    app.register_blueprint(province_api)
    app.register_blueprint(hub_pages)
    return app


def give_back_connection(_error: BaseException | None = None) -> None:
    """The request's connection back to the pool, rolled back if left in a transaction."""
    conn = g.pop("hub_conn", None)
    if conn is not None:
        pool: ConnectionPool = g.pop("hub_pool")
        pool.putconn(conn)
