"""The hub's dashboard in Chromium against a real `motcua hub serve` over a real PostgreSQL.

Before the page opens, six centers are registered and five of them send two weeks of
November 2026 made up by tests/hub_facts.py over HTTP, as their senders would; one of those
then goes quiet (its last batch moved 2 days 3 hours back), one never sends. The province's
reader logs in, chooses November, and reads every center side by side, ranked, the formula
under the table and the silent centers.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import psycopg
import pytest
import requests
from playwright.sync_api import expect

from server.reporting.formatting import number
from tests.browser.conftest import SCREENSHOTS, serious_accessibility_violations
from tests.browser.test_reports_page import log_in
from tests.hub_facts import register_and_send
from tests.live_server import LiveHub, fresh_database

REVIEW = {"width": 1440, "height": 900}
PASSWORD = "so-lieu-cua-tinh-2026"
DAYS = [date(2026, 11, 2) + timedelta(days=n) for n in range(12) if n % 7 < 5]
# id → (name, quality of service, sends); names as long as the real ones
CENTERS = {
    "lai-khe": ("Trung tâm Phục vụ hành chính công xã Lai Khê", 0.95, True),
    "an-dien": ("Trung tâm Phục vụ hành chính công xã An Điền", 0.85, True),
    "long-nguyen": ("Trung tâm Phục vụ hành chính công xã Long Nguyên", 0.7, True),
    "bau-bang": ("Trung tâm Phục vụ hành chính công xã Bàu Bàng", 0.55, True),
    "tru-van-tho": ("Trung tâm Phục vụ hành chính công xã Trừ Văn Thố", 0.8, True),
    "minh-thanh": ("Trung tâm Phục vụ hành chính công xã Minh Thạnh", 0.8, False),
}
QUIET = "tru-van-tho"


@pytest.fixture(scope="module")
def hub(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHub]:
    database = fresh_database(postgres_url, "hub_browser")
    live = LiveHub(tmp_path_factory.mktemp("hub-browser"), database)
    live.run("user", "add", "tinh", stdin=f"{PASSWORD}\n")
    live.start()
    register_and_send(live, CENTERS, DAYS, 80)
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute(
            "UPDATE centers SET last_received_at = now() - interval '2 days 3 hours 20 minutes'"
            " WHERE id = %s",
            [QUIET],
        )
    yield live
    live.stop()


def test_the_province_reads_every_center_side_by_side(hub: LiveHub, open_page) -> None:
    page = open_page(f"{hub.url}/", REVIEW)
    expect(page.locator("#login-title")).to_have_text("Đăng nhập để xem số liệu của tỉnh")
    assert serious_accessibility_violations(page) == []
    log_in(page, "tinh", "sai-mat-khau")
    expect(page.locator("#message")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")
    log_in(page, "tinh", PASSWORD)
    expect(page.locator("#choose-month")).to_be_visible()

    page.select_option("#choose-month", "2026-11")
    page.locator("#choose-month ~ button").click()
    expect(page.locator("#review-period")).to_have_text("Tháng 11 năm 2026")
    assert page.url.endswith("?period=2026-11")

    rows = page.locator("#centers tbody tr")
    expect(rows).to_have_count(len(CENTERS))
    # The ranked first, best score first, numbered 1, 2…; then the never-sent, unranked.
    ranks = rows.locator(".rank").all_inner_texts()
    scores = [float(s.replace(",", ".")) for s in rows.locator(".score").all_inner_texts()[:5]]
    assert ranks == ["1", "2", "3", "4", "5", "—"]
    assert scores == sorted(scores, reverse=True)
    order = [rows.nth(n).get_attribute("data-center") for n in range(len(CENTERS))]
    assert order[0] == "lai-khe" and order[-1] == "minh-thanh"
    assert order.index("an-dien") < order.index("bau-bang")

    # The figures are the hub's summary's, the province's in the table's foot.
    figures = requests.get(
        f"{hub.url}/api/hub/summary",
        params={"period": "2026-11"},
        cookies={c["name"]: c["value"] for c in page.context.cookies()},
        timeout=30,
    ).json()
    issued = {center["id"]: center["totals"]["issued"] for center in figures["centers"]}
    for center_id, count in issued.items():
        cells = page.locator(f"#centers tr[data-center='{center_id}'] td")
        expect(cells.nth(1)).to_have_text(number(count))
    expect(page.locator("#centers tfoot td").nth(1)).to_have_text(
        number(figures["totals"]["issued"])
    )

    formula = page.locator("#center-formula")
    expect(formula).to_be_visible()
    expect(formula).to_contain_text("Điểm xếp hạng trung tâm (thang 100) = 40 × tỷ lệ hồ sơ")

    # Trừ Văn Thố went quiet after November: flagged, its whole month still ranked.
    quiet = page.locator(f"#centers tr[data-center='{QUIET}']")
    expect(quiet.locator(".badge-silent")).to_have_text("Chưa gửi số liệu 2 ngày 3 giờ")
    expect(quiet.locator(".rank")).not_to_have_text("—")
    silent = page.locator("#silent-centers li")
    expect(silent).to_have_count(2)
    expect(silent.nth(0)).to_contain_text(
        "Trung tâm Phục vụ hành chính công xã Trừ Văn Thố: Chưa gửi số liệu 2 ngày 3 giờ"
    )
    expect(silent.nth(1)).to_contain_text(
        "Trung tâm Phục vụ hành chính công xã Minh Thạnh: Chưa gửi số liệu lần nào"
    )

    # Nothing sticks out of the page sideways at a desktop's width.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), (
        "the dashboard scrolls sideways"
    )
    assert serious_accessibility_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "hub-dashboard.png"), full_page=True)


def test_a_center_report_at_the_hub(hub: LiveHub, open_page) -> None:
    page = open_page(f"{hub.url}/?period=2026-11", REVIEW)
    log_in(page, "tinh", PASSWORD)
    page.locator("#centers tr[data-center='lai-khe'] th.name a").click()
    expect(page.locator("#review-title")).to_contain_text(CENTERS["lai-khe"][0])
    assert "/trung-tam/lai-khe?period=2026-11" in page.url
    expect(page.locator("#indicators .indicator")).not_to_have_count(0)
    expect(page.locator("#fields tbody tr")).to_have_count(3)
    assert serious_accessibility_violations(page) == []
    page.screenshot(path=str(SCREENSHOTS / "hub-center.png"), full_page=True)
    page.click("#back")
    expect(page.locator("#review-period")).to_have_text("Tháng 11 năm 2026")
