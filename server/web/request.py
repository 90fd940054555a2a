"""Helpers of the web edge: the request's database, the logged-in user, JSON bodies, errors.

Views stay thin with these: parse and check the body, call one domain function, publish
its events, answer.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, after_this_request, current_app, g, jsonify, request, session
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Map

from server.clock import Clock
from server.errors import DomainError
from server.line.remote_tickets import BROWSER_COOKIE, browser_hash
from server.settings import Settings
from server.setup.auth import User, user_of_session
from server.storage.db import Database, open_database, take_committed_events
from server.web.rate_limit import RateLimiter

View = TypeVar("View", bound=Callable[..., Any])
HELP_RATE = 4  # help requests a minute per kiosk (web/help_api.py)
SQLITE_LARGEST_INTEGER = 2**63 - 1  # SQLite binds no integer outside ±(2**63)

HTTP_MESSAGES = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("login_required", "Vui lòng đăng nhập."),
    403: ("forbidden", "Tài khoản của bạn không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy địa chỉ này."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ cho địa chỉ này."),
    413: ("payload_too_large", "Dữ liệu gửi lên quá lớn."),
    415: ("unsupported_media_type", "Dữ liệu phải ở dạng JSON."),
    429: ("too_many_requests", "Quá nhiều yêu cầu, vui lòng thử lại sau ít phút."),
    500: ("internal_error", "Lỗi máy chủ, vui lòng thử lại hoặc báo cán bộ kỹ thuật."),
}


@dataclass(frozen=True)
class Services:
    """What views need besides the request: settings, the clock and the realtime publisher."""

    settings: Settings
    clock: Clock
    realtime: Any
    ticket_limiter: RateLimiter
    # A kiosk's calls for an officer (web/help_api.py), per kiosk: a few a minute at most.
    help_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(HELP_RATE))


def services() -> Services:
    return current_app.extensions["motcua"]


def db() -> Database:
    """This request's connection, opened on first use and closed at teardown."""
    if "db" not in g:
        g.db = open_database(services().settings.database)
    return g.db


def publish_committed_events(response: Response) -> Response:
    """After every request: publish what its transactions committed (server/storage/db.py).
    Views never publish by hand, so none can forget to; a refused change rolled back and
    left nothing to publish."""
    connection = g.get("db")
    if connection is not None:
        services().realtime.publish(take_committed_events(connection))
    return response


def close_db(_error: BaseException | None = None) -> None:
    connection = g.pop("db", None)
    if connection is not None:
        connection.conn.close()


def error_response(status: int, code: str, message: str) -> Any:
    return jsonify({"error": {"code": code, "message": message}}), status


def ticket_rate_refusal(registered_kiosk: str | None) -> Any:
    """The 429 for an address over MOTCUA_TICKET_RATE (tickets, bookings and check-ins share
    its budget), else None; a registered kiosk is never limited. Counts this request."""
    address = request.remote_addr or ""
    wait = 0 if registered_kiosk else services().ticket_limiter.retry_after(address)
    if not wait:
        return None
    response = error_response(
        429, "too_many_tickets", "Lấy số quá nhanh, vui lòng đợi một chút rồi thử lại."
    )
    response[0].headers["Retry-After"] = str(wait)
    return response


def site_url() -> str:
    """Where citizens' phones reach the server, for a receipt's QR code: MOTCUA_PUBLIC_URL,
    else the address the kiosk used."""
    return services().settings.public_url or request.host_url.rstrip("/")


BROWSER_COOKIE_DAYS = 365


def browser_cookie_hash() -> str:
    """The SHA-256 of this browser's `motcua_browser` cookie, the cookie set first when it has
    none (random, HttpOnly, SameSite=Lax, a year; Secure over HTTPS): one active remote ticket
    per browser (server/line/remote_tickets.py). Set on the answer whatever it is, a refusal
    included, so a retry is the same browser."""
    cookie = request.cookies.get(BROWSER_COOKIE, "")
    if not (20 <= len(cookie) <= 64 and cookie.replace("-", "").replace("_", "").isalnum()):
        cookie = secrets.token_urlsafe(24)

        @after_this_request
        def set_cookie(response: Response) -> Response:
            response.set_cookie(
                BROWSER_COOKIE,
                cookie,
                max_age=BROWSER_COOKIE_DAYS * 24 * 3600,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure,
            )
            return response

    return browser_hash(cookie)


def current_user() -> User | None:
    """The session's user, while the session is still theirs (server/setup/auth.py)."""
    if "user" not in g:
        g.user = user_of_session(db(), session)
    return g.user


def login_required(role: str) -> Callable[[View], View]:
    """Refuse anonymous requests (401) and those of a lesser role (403)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return error_response(401, *HTTP_MESSAGES[401])
            if not user.may(role):
                return error_response(403, *HTTP_MESSAGES[403])
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


class BadBody(DomainError):
    status = 400
    code = "invalid_body"


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 saying what is wrong with it.

    Python's parser lets two kinds of malformed text through that would be a 500 further on:
    nesting deeper than its recursion limit (RecursionError, not the ValueError that
    get_json turns into None), and a lone surrogate escape such as "\\ud800", which no
    UTF-8 text holds and SQLite refuses to store.
    """
    if not request.is_json:
        raise BadBody("Dữ liệu phải là JSON (Content-Type: application/json).")
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        body = None
    if not isinstance(body, dict):
        raise BadBody("Dữ liệu JSON không hợp lệ: cần một đối tượng {…}.")
    try:
        json.dumps(body, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        raise BadBody("Dữ liệu JSON không hợp lệ: có ký tự Unicode hỏng.") from None
    return body


def body_value(
    body: dict[str, Any], key: str, kind: type | tuple[type, ...], *, required: bool = True
) -> Any:
    """One value of the body, checked for presence and type (bool is not an int here)."""
    if key not in body or body[key] is None:
        if required:
            raise BadBody(f"Thiếu trường '{key}'.", "missing_field")
        return None
    value = body[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        raise BadBody(f"Trường '{key}' có kiểu không hợp lệ.", "invalid_field")
    if not isinstance(value, kinds):
        raise BadBody(f"Trường '{key}' có kiểu không hợp lệ.", "invalid_field")
    if isinstance(value, str) and len(value) > 200:
        raise BadBody(f"Trường '{key}' quá dài.", "invalid_field")
    if isinstance(value, int) and not -SQLITE_LARGEST_INTEGER <= value <= SQLITE_LARGEST_INTEGER:
        raise BadBody(f"Trường '{key}' có giá trị quá lớn.", "invalid_field")
    return value


class DatabaseInteger(IntegerConverter):
    """`<int:…>` in a route, bounded to the integers SQLite can bind: a larger id matches no
    route (404), where werkzeug's own converter let it reach a query (OverflowError, 500)."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = SQLITE_LARGEST_INTEGER,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def register_error_handlers(app: Flask) -> None:
    """Every error under /api is JSON with a Vietnamese message; pages get plain text."""

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> Any:
        return error_response(error.status, error.code, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        status = error.code or 500
        code, message = HTTP_MESSAGES.get(status, ("http_error", error.description or ""))
        if request.path.startswith("/api/"):
            return error_response(status, code, message)
        return message, status

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        app.logger.exception("unhandled error", exc_info=error)
        return error_response(500, *HTTP_MESSAGES[500])
