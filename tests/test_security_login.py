"""Failed logins are throttled per (username, client address) with a wait that doubles, and
more loosely per address, in the memory of the process (server/web/rate_limit.py's
LoginThrottle, on a clock the tests move): a guesser slows down, nobody else is locked out."""

from __future__ import annotations

from typing import Any

import pytest

from server.web.rate_limit import LoginThrottle, RateLimiter
from tests.conftest import PASSWORD

STRANGER, ADMIN_PC = "10.0.0.66", "10.0.0.7"


class Moment:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def moment(app) -> Moment:
    clock = Moment()
    app.extensions["motcua_login_throttle"] = LoginThrottle(now=clock)
    return clock


def log_in(client: Any, username: str, password: str, address: str = "127.0.0.1") -> Any:
    body = {"username": username, "password": password}
    return client.post("/api/session", json=body, environ_base={"REMOTE_ADDR": address})


def test_a_strangers_wrong_passwords_never_lock_the_admin_out_of_their_own_pc(client, moment):
    """Five wrong passwords for quantri from the guest Wi-Fi: the admin, at their own PC,
    logs in at once; the guesser's address waits, longer with every failure."""
    for attempt in range(5):
        assert log_in(client, "quantri", f"sai-{attempt}", STRANGER).status_code == 401
        moment.seconds += 10
    moment.seconds -= 10  # the admin tries right after the fifth failure
    assert log_in(client, "quantri", PASSWORD, ADMIN_PC).status_code == 200

    refused = log_in(client, "quantri", PASSWORD, STRANGER)  # even the right one
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "2"
    assert refused.json["error"] == {
        "code": "too_many_logins",
        "message": "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 2 giây.",
    }
    assert "Set-Cookie" not in refused.headers
    assert log_in(client, "QuanTri ", PASSWORD, STRANGER).status_code == 429  # nor a spelling
    assert log_in(client, "canbo", PASSWORD, STRANGER).status_code == 200  # another account is not
    moment.seconds += 2
    assert log_in(client, "quantri", PASSWORD, STRANGER).status_code == 200


def test_the_wait_doubles_with_each_failure_up_to_five_minutes(app, client, moment):
    """Three mistakes cost nothing; then 1 s, 2 s, 4 s… and never more than 5 minutes."""
    throttle = app.extensions["motcua_login_throttle"]
    waits = []
    for attempt in range(14):
        assert log_in(client, "canbo", f"sai-{attempt}", STRANGER).status_code == 401
        waits.append(throttle.retry_after("canbo", STRANGER))
        moment.seconds += waits[-1]
    assert waits == [0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    assert log_in(client, "canbo", "sai-nua", STRANGER).status_code == 401
    moment.seconds += 299
    refused = log_in(client, "canbo", PASSWORD, STRANGER)
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "1")
    moment.seconds -= 240
    refused = log_in(client, "canbo", PASSWORD, STRANGER)
    assert refused.json["error"]["message"].endswith("thử lại sau 5 phút.")  # 241 s: minutes


def test_a_success_forgets_the_pairs_failures(client, moment):
    for attempt in range(5):
        assert log_in(client, "canbo", f"sai-{attempt}").status_code == 401
        moment.seconds += 2
    assert log_in(client, "canbo", PASSWORD).status_code == 200
    for attempt in range(3):  # counted from nothing again: three free mistakes
        assert log_in(client, "canbo", f"sai-lai-{attempt}").status_code == 401
    assert log_in(client, "canbo", PASSWORD).status_code == 200


def test_an_hour_without_failures_forgets_them(client, moment):
    for attempt in range(6):
        assert log_in(client, "canbo", f"sai-{attempt}").status_code == 401
        moment.seconds += 10
    moment.seconds += 60 * 60
    assert log_in(client, "canbo", "sai-nua").status_code == 401
    assert log_in(client, "canbo", PASSWORD).status_code == 200  # the first of a new count


def test_twenty_failures_from_one_address_lock_it(client, moment):
    for attempt in range(20):
        assert log_in(client, f"doan-{attempt}", "sai-mat-khau", STRANGER).status_code == 401
    refused = log_in(client, "canbo", PASSWORD, STRANGER)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == str(15 * 60)
    assert "15 phút" in refused.json["error"]["message"]
    assert log_in(client, "canbo", PASSWORD, ADMIN_PC).status_code == 200


def test_a_refused_login_is_not_counted_as_a_failure(client, moment):
    for attempt in range(5):
        assert log_in(client, "canbo", f"sai-{attempt}").status_code == 401
        moment.seconds += 1
    moment.seconds -= 1
    for _ in range(30):
        assert log_in(client, "canbo", "sai-nua").status_code == 429
    moment.seconds += 2  # the wait after five failures, not lengthened by the refusals
    assert log_in(client, "canbo", PASSWORD).status_code == 200


def test_the_rate_limiter_waits_without_counting():
    now = Moment()
    limiter = RateLimiter(2, now, window_seconds=100)
    assert limiter.wait("a") == 0
    limiter.hit("a")
    now.seconds += 10
    limiter.hit("a")
    assert limiter.wait("a") == 90
    assert limiter.wait("a") == 90  # asking does not count
    assert limiter.retry_after("a") == 90
    now.seconds += 90  # the first hit leaves the window
    assert limiter.retry_after("a") == 0
    assert limiter.wait("a") == 10  # the second one leaves it in 10 s
    assert RateLimiter(0, now).retry_after("a") == 0
