"""The due-date watch on the officer's console, in Chromium against a real `motcua serve`:
the badge, the three groups (the officer's own dossiers first), and an apology made from an
overdue row, which opens its A4 form and moves the dossier to its new date.

The server runs on the machine's clock: the dossiers are filed today through the API, then
their days moved back in the database file, as if they had been received earlier."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from server.locale import official_date
from server.storage.db import open_database
from tests.browser.conftest import screenshot, serious_accessibility_violations
from tests.browser.test_counter import COUNTER_1, issue, log_in, open_counter
from tests.live_server import LiveServer

TODAY = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()  # the live server's day (open daily)


def file_dossier(live: LiveServer, session, counter_id: int, procedure_id: str) -> dict:
    """A ticket called at `counter_id` and finished with an appointment due today."""
    ticket = issue(live, procedure_id)
    url = f"{live.url}/api/tickets/{ticket['id']}"
    session.post(f"{url}/call", json={"counter_id": counter_id}, timeout=5).raise_for_status()
    body = {"outcome": "appointment", "due_date": TODAY.isoformat()}
    finished = session.post(f"{url}/finish", json=body, timeout=5)
    finished.raise_for_status()
    return finished.json()


def move_back(live: LiveServer, dossier: dict, received: int, due: int) -> None:
    """Received `received` days ago and due `due` days from today (negative: in the past)."""
    received_on = TODAY - timedelta(days=received)
    moment = datetime.combine(received_on, datetime.min.time()).replace(hour=9, minute=20)
    db = open_database(live.folder / "motcua.db")
    try:
        db.execute(
            "UPDATE dossiers SET received_at = ?, due_date = ? WHERE code = ?",
            [
                moment.isoformat() + "+07:00",
                (TODAY + timedelta(days=due)).isoformat(),
                dossier["dossier_code"],
            ],
        )
        db.execute(
            "UPDATE tickets SET day = ? WHERE id = ?", [received_on.isoformat(), dossier["id"]]
        )
    finally:
        db.conn.close()


@pytest.fixture(scope="module")
def dossiers(live) -> dict[str, dict]:
    mine, theirs = live.login("canbo"), live.login("canbo2")
    filed = {
        "overdue_mine": file_dossier(live, mine, 1, "chung-thuc-di-chuc"),
        "overdue_theirs": file_dossier(live, theirs, 2, "khai-sinh"),
        "today": file_dossier(live, mine, 1, "chung-thuc-ban-sao"),
        "apologized": file_dossier(live, theirs, 2, "ket-hon"),
        "later": file_dossier(live, mine, 1, "chung-thuc-sua-doi-hop-dong"),
    }
    move_back(live, filed["overdue_mine"], received=6, due=-2)
    move_back(live, filed["overdue_theirs"], received=9, due=-4)
    move_back(live, filed["today"], received=2, due=0)
    move_back(live, filed["apologized"], received=7, due=-1)
    move_back(live, filed["later"], received=1, due=5)
    code = filed["apologized"]["dossier_code"]
    body = {"new_due_date": (TODAY + timedelta(days=1)).isoformat(), "reason": "Hệ thống gặp sự cố"}
    theirs.post(f"{live.url}/api/dossiers/{code}/apology", json=body, timeout=5).raise_for_status()
    return filed


def codes_in(page, group: str) -> list[str]:
    return page.locator(f"[data-group='{group}'] .watch-code").all_text_contents()


def test_the_console_shows_the_watch_and_makes_an_apology(live, open_page, dossiers):
    page = open_page(f"{live.url}/counter")
    log_in(page)
    open_counter(page, 1, COUNTER_1)

    # The badge: two overdue and one due today, red for the overdue.
    badge = page.locator("#watch-count")
    expect(badge).to_have_text("3")
    expect(badge).to_have_class("watch-badge watch-badge-overdue")
    page.click("#tab-watch")
    expect(page.locator("#panel-watch")).to_be_visible()
    code = {name: dossier["dossier_code"] for name, dossier in dossiers.items()}
    # The officer's own overdue dossier first, though the other one is older.
    assert codes_in(page, "overdue") == [code["overdue_mine"], code["overdue_theirs"]]
    assert codes_in(page, "due_today") == [code["today"]]
    assert codes_in(page, "due_next") == [code["apologized"]]
    assert code["later"] not in page.locator("#watch-groups").inner_text()
    first = page.locator(f"[data-code='{code['overdue_mine']}']")
    expect(first).to_contain_text("Quá hạn 2 ngày làm việc")
    expect(first).to_contain_text("Bạn tiếp nhận")
    expect(page.locator(f"[data-code='{code['apologized']}']")).to_contain_text("Đã xin lỗi 1 lần")
    tomorrow = TODAY + timedelta(days=1)
    expect(page.locator("[data-group='due_next'] .watch-title")).to_contain_text(
        f"{tomorrow:%d/%m} (1)"
    )
    assert serious_accessibility_violations(page) == []
    screenshot(page, "counter-due-watch")

    # The apology: the next working day is proposed; a date not after today is refused here.
    first.get_by_role("button", name=f"Lập phiếu xin lỗi: {code['overdue_mine']}").click()
    dialog = page.locator("#apology-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#apology-date")).to_have_value(f"{tomorrow:%d/%m/%Y}")
    page.fill("#apology-date", f"{TODAY:%d/%m/%Y}")
    expect(page.locator("#apology-date-text")).to_contain_text("phải sau hôm nay")
    page.click("#apology-submit")
    expect(page.locator("#apology-error")).to_have_text(
        "Ngày hẹn trả mới phải sau hôm nay và sau ngày đã hẹn."
    )
    new_date = TODAY + timedelta(days=3)
    page.fill("#apology-date", f"{new_date:%d/%m/%Y}")
    page.click("#apology-submit")
    expect(page.locator("#apology-error")).to_have_text(
        "Vui lòng chọn hoặc ghi lý do chậm trả kết quả."
    )
    page.get_by_role("button", name="Chờ cơ quan khác phối hợp").click()
    expect(page.locator("#apology-reason")).to_have_value("Chờ cơ quan khác phối hợp")
    expect(page.locator("#apology-error")).to_have_text("")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "counter-apology-dialog")
    with page.expect_popup() as opened:
        page.click("#apology-submit")
    form = opened.value
    assert form.url.endswith(f"/forms/apology/{code['overdue_mine']}?print=1")
    expect(dialog).to_be_hidden()
    expect(page.locator("#message")).to_have_text(
        f"Đã lập phiếu xin lỗi cho hồ sơ {code['overdue_mine']}, hẹn lại ngày {new_date:%d/%m/%Y}."
    )
    # The list follows at once: the dossier left "Quá hạn", the badge counts one less.
    expect(badge).to_have_text("2")
    expect(
        page.locator(f"[data-group='overdue'] [data-code='{code['overdue_mine']}']")
    ).to_have_count(0)
    watch = live.login("canbo").get(f"{live.url}/api/dossiers/watch", timeout=5).json()
    watched = watch["overdue"] + watch["due_today"] + watch["due_next"]
    assert code["overdue_mine"] not in [item["code"] for item in watched]
    # The apology slip, on A4 for the citizen, with the new date.
    expect(form.locator("body")).to_contain_text("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ")
    expect(form.locator("body")).to_contain_text(code["overdue_mine"])
    expect(form.locator("body")).to_contain_text("Chờ cơ quan khác phối hợp")
    expect(form.locator("body")).to_contain_text(official_date(new_date))
    form.close()
