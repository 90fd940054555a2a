"""The hub's JSON API: the facts centers send (`POST /api/hub/facts`, a center's token), the
province's figures (`GET /api/hub/summary`, `GET /api/hub/centers`, a center's report
`GET /api/hub/centers/ID/report`: a hub account's session) and the login (`/api/session`,
the same bodies and cookie as a center's)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, current_app, g, jsonify, request, session

from server.clock import Clock
from server.errors import NotFound
from server.hub import accounts, centers, ingest, summary
from server.hub.store import Connection, ConnectionPool
from server.reporting.periods import parse_period
from server.settings import Settings
from server.setup.auth import User, session_values
from server.web.request import HTTP_MESSAGES, body_value, error_response, json_body
from server.web.security import login_throttle, too_many_logins

View = TypeVar("View", bound=Callable[..., Any])
hub_api = Blueprint("hub_api", __name__, url_prefix="/api")


@dataclass(frozen=True)
class HubServices:
    """What the hub's views need besides the request."""

    settings: Settings
    clock: Clock
    pool: ConnectionPool


def services() -> HubServices:
    return current_app.extensions["motcua_hub"]


def conn() -> Connection:
    """This request's connection, taken from the pool on first use, given back at teardown."""
    if "hub_conn" not in g:
        g.hub_pool = services().pool
        g.hub_conn = g.hub_pool.getconn()
    return g.hub_conn


def current_user() -> User | None:
    if "hub_user" not in g:
        g.hub_user = accounts.user_of_session(conn(), session)
    return g.hub_user


def hub_login_required(view: View) -> View:
    """401 without a hub account's session."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return error_response(401, *HTTP_MESSAGES[401])
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@hub_api.get("/hub/health")
def health() -> Any:
    """200 once the hub reaches PostgreSQL (for a load balancer, and for tests to wait on)."""
    conn().execute("SELECT 1")
    return jsonify({"ok": True})


@hub_api.post("/session")
def login() -> Any:
    body = json_body()
    username, password = body_value(body, "username", str), body_value(body, "password", str)
    throttle, address = login_throttle(), request.remote_addr or ""
    wait = throttle.retry_after(username, address)
    if wait:
        return too_many_logins(wait)
    user = accounts.authenticate(conn(), username, password)
    if user is None:
        throttle.failed(username, address)
        return error_response(401, "invalid_credentials", "Sai tên đăng nhập hoặc mật khẩu.")
    throttle.succeeded(username, address)
    session.clear()
    session.permanent = True
    session.update(session_values(user.id, user.generation))
    return jsonify(user.to_dict())


@hub_api.get("/session")
@hub_login_required
def whoami() -> Any:
    return jsonify(current_user().to_dict())


@hub_api.delete("/session")
@hub_login_required
def logout() -> Any:
    """Ends every session of the user, on every device."""
    accounts.log_out(conn(), current_user().id)
    session.clear()
    return "", 204


@hub_api.post("/hub/facts")
def receive_facts() -> Any:
    """A center's batch: its token names it; stored whole, or nothing on an error."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    center_id = centers.center_of_token(conn(), token) if scheme == "Bearer" and token else None
    if center_id is None:
        return error_response(
            401, "invalid_token", "Mã truy cập của trung tâm không đúng hoặc đã bị thay."
        )
    batch = ingest.parse_batch(json_body())
    stored = ingest.store_batch(conn(), services().clock, center_id, batch)
    return jsonify({"through": batch.through, "stored": stored})


@hub_api.get("/hub/summary")
@hub_login_required
def province_summary() -> Any:
    args = request.args
    period = parse_period(args.get("from"), args.get("to"), args.get("period"))
    return jsonify(summary.province_summary(conn(), period))


@hub_api.get("/hub/centers/<center_id>/report")
@hub_login_required
def center_report(center_id: str) -> Any:
    """A center's report as the center answers GET /api/reports/summary (the same period
    arguments), from what it sent."""
    args = request.args
    period = parse_period(args.get("from"), args.get("to"), args.get("period"))
    report = summary.center_report(conn(), center_id, period, services().clock.now())
    if report is None:
        raise NotFound(f"Không có trung tâm “{center_id}” trên hệ thống của tỉnh.", "no_center")
    return jsonify(report)


@hub_api.get("/hub/centers")
@hub_login_required
def list_centers() -> Any:
    return jsonify(centers.list_centers(conn()))
