"""The ticket page's Web Push in Chromium (390×844, notifications allowed) against a real
`motcua serve` whose MOTCUA_PUSH_SERVICES lists a fake push service on 127.0.0.1.

Chromium's own pushManager.subscribe() registers with Google's push service (FCM), which a
test machine cannot reach: the real call is tried once and must end in the page's Vietnamese
explanation. To follow the page's code path on to the server, a second context replaces
subscribe() with one that returns a subscription whose keys the test made (pointing at the
fake): the page POSTs it, the server pushes the call to the fake, and the test decrypts it.
The service worker is checked with DevTools' own push (ServiceWorker.deliverPushMessage),
the manifest with DevTools' parser (Page.getAppManifest).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    REPORT_CSP_VIOLATIONS,
    collect_errors,
    screenshot,
)
from tests.fake_push_service import FakePushService, Subscriber
from tests.live_server import LiveServer

WAIT = 8000
PROCEDURE = "cap-lai-gcn-ho-kinh-doanh"
COUNTER = 4
BUTTON = "Nhận thông báo khi sắp đến lượt"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakePushService]:
    service = FakePushService()
    yield service
    service.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, fake: FakePushService) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("live-push")
    server = LiveServer(folder, MOTCUA_PUSH_SERVICES=fake.origin).start()
    yield server
    server.stop()


def allowed(context: BrowserContext, live: LiveServer) -> Iterator[BrowserContext]:
    """The notification permission granted for the center; the context's console errors
    fail the test."""
    context.grant_permissions(["notifications"], origin=live.url)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    context.errors = []  # type: ignore[attr-defined]
    yield context
    errors = context.errors  # type: ignore[attr-defined]
    context.close()
    assert not errors, errors


@pytest.fixture
def phone(browser: Browser, live: LiveServer) -> Iterator[BrowserContext]:
    """A phone's browser, as Playwright makes them: off the record, where Chromium has no
    Push API at all (its subscribe() refuses at once), so the tests that use it replace it."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    yield from allowed(context, live)


@pytest.fixture
def phone_with_profile(browser: Browser, live: LiveServer, tmp_path) -> Iterator[BrowserContext]:
    """A phone's browser with a profile on disk, where Chromium's own Push API is live."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport=PHONE,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    yield from allowed(context, live)


def open_ticket(context: BrowserContext, live: LiveServer, key: str) -> Page:
    page = context.new_page()
    collect_errors(page, context.errors)  # type: ignore[attr-defined]
    page.set_default_timeout(WAIT)
    page.goto(f"{live.url}/t/{key}")
    expect(page.locator("#number")).to_be_visible()
    return page


def issue(live: LiveServer) -> dict[str, Any]:
    body = {"procedure_id": PROCEDURE, "documents_complete": True, "priority": None}
    response = requests.post(f"{live.url}/api/tickets", json=body, timeout=5)
    response.raise_for_status()
    return response.json()


def call_until(live: LiveServer, ticket_id: str) -> None:
    """Call next at COUNTER, finishing what it serves, until this ticket is called."""
    officer = live.login()
    for _ in range(30):
        current = officer.get(f"{live.url}/api/counters/{COUNTER}/state", timeout=5).json()
        if current.get("current"):
            finish = f"{live.url}/api/tickets/{current['current']['id']}/finish"
            officer.post(finish, json={"outcome": "advice"}, timeout=5).raise_for_status()
        called = officer.post(f"{live.url}/api/counters/{COUNTER}/next", timeout=5).json()
        if called["id"] == ticket_id:
            return
    raise AssertionError(f"{ticket_id} was never called")


def worker_registration(page: Page) -> dict[str, Any]:
    return page.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            return { scope: registration.scope, script: registration.active.scriptURL };
        }"""
    )


def test_chromium_offline_cannot_subscribe_and_the_page_says_so(phone_with_profile, live):
    for _ in range(3):
        issue(live)
    ticket = issue(live)
    live.login().post(f"{live.url}/api/counters/{COUNTER}/next", timeout=5).raise_for_status()
    page = open_ticket(phone_with_profile, live, ticket["key"])
    expect(page.locator(".ahead")).to_have_text("Số người chờ trước: 2")
    button = page.get_by_role("button", name=BUTTON)
    expect(button).to_be_visible()
    expect(page.locator("#push .hint")).to_contain_text("kể cả khi tắt màn hình")
    screenshot(page, "ticket-page-push")
    registration = worker_registration(page)
    assert registration == {"scope": f"{live.url}/t/", "script": f"{live.url}/t/sw.js"}
    button.click()
    expect(page.locator("#push .alert")).to_have_text(
        "Trình duyệt không kết nối được dịch vụ thông báo của mình (cần Internet). "
        "Quý vị vẫn theo dõi được số thứ tự trên trang này.",
        timeout=40_000,  # Chromium never gives up on Google's push service: the page does, at 20 s
    )
    expect(button).to_be_enabled()


STUB_SUBSCRIBE = """
(subscription) => {
  const made = { endpoint: subscription.endpoint, expirationTime: null,
                 toJSON: () => subscription, getKey: () => null, unsubscribe: async () => true };
  let current = null;
  PushManager.prototype.subscribe = async function (options) {
    window.subscribedWith = { userVisibleOnly: options.userVisibleOnly,
                              keyLength: new Uint8Array(options.applicationServerKey).length };
    current = made;
    return made;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
}
"""


def test_the_page_sends_its_subscription_and_the_call_is_pushed(phone, live, fake):
    ticket = issue(live)
    subscriber = Subscriber(f"{fake.origin}/fcm/send/from-the-page")
    phone.add_init_script(f"({STUB_SUBSCRIBE})({json.dumps(subscriber.to_json())})")
    page = open_ticket(phone, live, ticket["key"])
    posted = []
    page.on(
        "request",
        lambda request: posted.append(request.url) if request.url.endswith("/push") else None,
    )
    page.get_by_role("button", name=BUTTON).click()
    expect(page.locator("#push .push-on")).to_have_text(
        "Đã bật thông báo: điện thoại sẽ báo khi còn 3 người trước quý vị và khi được mời lên quầy."
    )
    assert posted == [f"{live.url}/api/tickets/{ticket['key']}/push"]
    assert page.evaluate("window.subscribedWith") == {"userVisibleOnly": True, "keyLength": 65}
    call_until(live, ticket["id"])
    expect(page.locator(".status-called")).to_be_visible()
    deadline = time.monotonic() + WAIT / 1000
    while time.monotonic() < deadline:
        mine = [subscriber.decrypt(m) for m in fake.received if m.path == "/fcm/send/from-the-page"]
        if mine and mine[-1]["counter_id"] is not None:
            break
        time.sleep(0.1)
    assert mine[-1] == {
        "title": f"Đến lượt số {ticket['number']}",
        "body": f"Mời số {ticket['number']} đến Quầy 4 — Hộ kinh doanh",
        "number": ticket["number"],
        "counter_id": COUNTER,
    }
    expect(page.locator("#push")).to_be_visible()  # a recall is pushed too
    page.reload()
    expect(page.locator("#push .push-on")).to_be_visible()  # remembered by this browser


def test_the_service_worker_shows_a_pushed_message_and_the_manifest_is_valid(phone, live):
    ticket = issue(live)
    page = open_ticket(phone, live, ticket["key"])
    worker_registration(page)
    devtools = phone.new_cdp_session(page)
    registrations: list[str] = []
    devtools.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(
            r["registrationId"] for r in event["registrations"] if r["scopeURL"].endswith("/t/")
        ),
    )
    devtools.send("ServiceWorker.enable")
    page.wait_for_function("() => navigator.serviceWorker.controller !== undefined")
    for _ in range(50):
        if registrations:
            break
        page.wait_for_timeout(100)
    message = {
        "title": f"Đến lượt số {ticket['number']}",
        "body": f"Mời số {ticket['number']} đến Quầy 4 — Hộ kinh doanh",
        "number": ticket["number"],
        "counter_id": COUNTER,
    }
    devtools.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live.url, "registrationId": registrations[0], "data": json.dumps(message)},
    )
    shown = None
    for _ in range(50):
        shown = page.evaluate(
            """async () => {
                const registration = await navigator.serviceWorker.ready;
                const [notification] = await registration.getNotifications();
                return notification && { title: notification.title, body: notification.body,
                                         tag: notification.tag, renotify: notification.renotify };
            }"""
        )
        if shown:
            break
        page.wait_for_timeout(100)
    assert shown == {
        "title": message["title"],
        "body": message["body"],
        "tag": f"ticket-{ticket['number']}",
        "renotify": True,
    }
    manifest = devtools.send("Page.getAppManifest")
    assert manifest["url"] == f"{live.url}/t/{ticket['key']}/manifest.webmanifest"
    assert manifest["errors"] == []
    parsed = json.loads(manifest["data"])
    assert parsed["start_url"] == f"/t/{ticket['key']}"
    assert parsed["display"] == "standalone"
    for icon in parsed["icons"]:
        response = requests.get(f"{live.url}{icon['src']}", timeout=5)
        assert response.headers["Content-Type"] == "image/png"
