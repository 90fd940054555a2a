"""The admin page (/admin) in Chromium against a real `motcua serve`: an admin's change reaches
a kiosk that is already open, without a reload; refusals show next to their input; an officer
is turned away in Vietnamese.

The module's server is open at every hour with the no-appointment model every day, so the
kiosk's home screen always lists the no-appointment procedures by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import KIOSK_PORTRAIT, screenshot, serious_accessibility_violations
from tests.browser.test_kiosk import open_kiosk
from tests.fake_hub import TOKEN, FakeHub
from tests.live_server import ADMIN_PASSWORD, OFFICER_PASSWORD, LiveServer

OpenPage = Callable[..., Page]
WAIT = 5000  # ms: the longest any single expectation waits
LIVE = 5000  # ms: a change reaches an open kiosk within this, though it refreshes every 30 s
RENAMED = "Đăng ký khai tử (tên mới)"
REFRESH = 25_000  # ms: the hub section redraws itself every 10 s; the sender's retry comes first


def log_in(page: Page, username: str, password: str) -> None:
    page.set_default_timeout(WAIT)
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")


def open_admin(open_page: OpenPage, live: LiveServer, section: str = "") -> Page:
    page = open_page(f"{live.url}/admin#{section}")
    log_in(page, "quantri", ADMIN_PASSWORD)
    expect(page.locator("#admin-view")).to_be_visible()
    expect(page.locator("#section-body table, #section-body form").first).to_be_visible()
    return page


def edit_procedure(page: Page, procedure_id: str) -> None:
    page.locator(f"tr[data-procedure='{procedure_id}'] button", has_text="Sửa").click()
    expect(page.locator("#dialog")).to_be_visible()


def test_a_renamed_procedure_appears_on_an_open_kiosk_without_reload(live, open_page):
    kiosk = open_kiosk(open_page, live, KIOSK_PORTRAIT)
    chip = kiosk.locator(".banner .chip[data-procedure='khai-tu']")
    expect(chip).to_have_text("Đăng ký khai tử")
    kiosk.evaluate("window.loadedOnce = true")  # gone if the page reloads

    admin = open_admin(open_page, live, "thu-tuc")
    edit_procedure(admin, "khai-tu")
    admin.fill("#dialog input[name=short_name]", RENAMED)
    admin.click("#dialog-submit")
    expect(admin.locator("#dialog")).to_be_hidden()
    expect(admin.locator("#section-message")).to_contain_text("Đã lưu")
    expect(admin.locator("tr[data-procedure='khai-tu'] .procedure-name")).to_have_text(RENAMED)

    expect(chip).to_have_text(RENAMED, timeout=LIVE)
    assert kiosk.evaluate("window.loadedOnce") is True

    edit_procedure(admin, "ket-hon")  # not a no-appointment procedure yet
    admin.check("#dialog input[name=no_appointment]")
    admin.click("#dialog-submit")
    expect(kiosk.locator(".banner .chip[data-procedure='ket-hon']")).to_be_visible(timeout=LIVE)
    assert kiosk.evaluate("window.loadedOnce") is True

    audit = admin.locator("#menu a", has_text="Nhật ký thay đổi")
    audit.click()
    expect(admin.locator("tr[data-action='procedure.update']").first).to_contain_text("quantri")
    expect(admin.locator("#section-body")).to_contain_text(RENAMED)


def test_a_stopped_procedure_leaves_an_open_kiosk_and_can_be_taken_again(live, open_page):
    kiosk = open_kiosk(open_page, live, KIOSK_PORTRAIT)
    chip = kiosk.locator(".banner .chip[data-procedure='cap-ban-sao-so-goc']")
    expect(chip).to_be_visible()

    admin = open_admin(open_page, live, "thu-tuc")
    edit_procedure(admin, "cap-ban-sao-so-goc")
    admin.uncheck("#dialog input[name=active]")
    admin.click("#dialog-submit")
    expect(admin.locator("#dialog")).to_be_hidden()
    row = admin.locator("tr[data-procedure='cap-ban-sao-so-goc']")
    expect(row.locator(".badge.stopped")).to_have_text("Ngừng tiếp nhận")
    assert serious_accessibility_violations(admin) == []
    screenshot(admin, "admin-procedure-stopped")
    expect(chip).to_be_hidden(timeout=LIVE)

    edit_procedure(admin, "cap-ban-sao-so-goc")
    admin.check("#dialog input[name=active]")
    admin.click("#dialog-submit")
    expect(row.locator(".badge.stopped")).to_have_count(0)
    expect(chip).to_be_visible(timeout=LIVE)


def test_a_refusal_is_shown_next_to_its_input(live, open_page):
    page = open_admin(open_page, live, "thu-tuc")
    edit_procedure(page, "khai-sinh")
    page.fill("#dialog input[name=processing_days]", "-1")
    page.click("#dialog-submit")
    error = page.locator("#dialog [data-error-for='processing_days']")
    expect(error).to_have_text("Số ngày làm việc để có kết quả: phải từ 0 trở lên, nhận -1.")
    expect(page.locator("#dialog input[name=processing_days]")).to_have_attribute(
        "aria-invalid", "true"
    )
    page.click("#dialog-cancel")

    page.locator("#menu a", has_text="Lĩnh vực").click()
    page.locator("tr[data-field='ho-tich'] button", has_text="Xoá").click()
    expect(page.locator("#dialog")).to_contain_text("Xoá lĩnh vực “Hộ tịch” (chữ B)?")
    page.click("#dialog-submit")
    refusal = page.locator("tr[data-field='ho-tich'] + tr.row-error")
    expect(refusal).to_contain_text("Lĩnh vực “Hộ tịch” còn 7 thủ tục")


def test_holidays_are_typed_as_vietnamese_dates_and_hours_saved(live, open_page):
    page = open_admin(open_page, live, "lich")
    form = page.locator("#section-body form")
    form.locator("input[name=day]").fill("31/02/2027")
    form.locator("input[name=name]").fill("Ngày không có")
    form.locator("button[type=submit]").click()
    expect(form.locator("[data-error-for='day']")).to_contain_text("'2027-02-31' không có thật")
    form.locator("input[name=day]").fill("1/5/2027")
    form.locator("input[name=name]").fill("Quốc tế Lao động")
    form.locator("button[type=submit]").click()
    expect(page.locator("tr[data-day='2027-05-01']")).to_contain_text("Thứ Bảy, 01/05/2027")
    expect(page.locator("tr[data-day='2027-05-01']")).to_contain_text("Quốc tế Lao động")

    page.locator("#menu a", has_text="Trung tâm").click()
    page.fill("input[name=no_appointment_until]", "24:00")
    page.click("#section-body button[type=submit]")
    expect(page.locator("[data-error-for='no_appointment_until']")).to_contain_text("'24:00'")
    page.fill("input[name=no_appointment_until]", "23:59")  # as it was: the kiosk test relies on it
    page.click("#section-body button[type=submit]")
    expect(page.locator("#section-message")).to_contain_text("Đã lưu")
    expect(page.locator("input[name=no_appointment_until]")).to_have_value("23:59")


def test_the_admin_page_looks_right(live, open_page):
    page = open_admin(open_page, live, "thu-tuc")
    expect(page.locator("#section-body .count")).to_contain_text("thủ tục “không hẹn”")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "admin")
    edit_procedure(page, "khai-sinh")
    expect(page.locator("#dialog ol.documents li")).to_have_count(5)
    assert serious_accessibility_violations(page) == []
    screenshot(page, "admin-procedure-dialog")


def test_an_officer_is_told_the_page_is_for_admins(live, open_page):
    page = open_page(f"{live.url}/admin")
    log_in(page, "canbo", OFFICER_PASSWORD)
    expect(page.locator("#forbidden-view")).to_contain_text(
        "Tài khoản canbo là tài khoản cán bộ, không có quyền quản trị."
    )
    expect(page.locator("#admin-view")).to_be_hidden()
    response = page.reload()
    assert response is not None and response.status == 403
    expect(page.locator("#forbidden-view")).to_contain_text("không có quyền quản trị")
    page.click("#switch-account")
    expect(page.locator("#login-view")).to_be_visible()


def test_the_letterhead_of_the_papers_is_edited_in_giay_to(live, open_page):
    page = open_admin(open_page, live, "giay-to")
    form = page.locator("#section-body form")
    expect(form.locator("input[name=governing_body]")).to_have_value("ỦY BAN NHÂN DÂN XÃ LAI KHÊ")
    page.fill("input[name=symbol]", "ttpv")
    page.click("#section-body button[type=submit]")
    expect(page.locator("[data-error-for=symbol]")).to_contain_text("Chữ viết tắt tên cơ quan")
    line = "Mẫu số 01 ban hành kèm theo Thông tư số 03/2025/TT-VPCP"
    page.fill("input[name=symbol]", "TTPVHCC")
    page.fill("input[name=signer_name]", "Trần Thị Bình")
    page.fill("textarea[name=legal_receipt]", line)
    page.fill("textarea[name=report_copies]", "Như trên;\n\nLưu: VT.")
    assert serious_accessibility_violations(page) == []
    page.click("#section-body button[type=submit]")
    expect(page.locator("#section-message")).to_contain_text("Đã lưu")
    saved = live.login("quantri").get(f"{live.url}/api/admin/paperwork", timeout=5).json()
    assert saved["signer_name"] == "Trần Thị Bình"
    assert saved["legal_references"]["receipt"] == line
    assert saved["report_copies"] == ["Như trên;", "Lưu: VT."]
    expect(page.locator("textarea[name=legal_receipt]")).to_have_value(line)
    screenshot(page, "admin-paperwork")


def test_remote_tickets_and_bookings_are_set_in_tu_xa(live, open_page):
    page = open_admin(open_page, live, "tu-xa")
    expect(page.locator("#section-title")).to_have_text("Lấy số từ xa và đặt lịch")
    page.fill("input[name=remote_hours]", "17:00-07:00")
    page.click("#section-body button[type=submit]")
    expect(page.locator("[data-error-for=remote_hours]")).to_contain_text("Giờ lấy số từ xa")
    page.fill("input[name=remote_hours]", "07:00-16:00")
    page.fill("input[name=remote_tickets]", "40")
    page.fill("input[name=capacity_chung-thuc]", "3")
    page.fill("input[name=minutes_chung-thuc]", "20")
    assert serious_accessibility_violations(page) == []
    page.click("#section-body button[type=submit]")
    expect(page.locator("#section-message")).to_contain_text("Đã lưu")
    saved = live.login("quantri").get(f"{live.url}/api/admin/remote", timeout=5).json()
    assert (saved["remote_tickets"], saved["remote_hours"]) == (40, "07:00-16:00")
    field = next(f for f in saved["fields"] if f["id"] == "chung-thuc")
    assert (field["booking_capacity"], field["booking_slot_minutes"]) == (3, 20)
    expect(page.locator("input[name=capacity_chung-thuc]")).to_have_value("3")
    screenshot(page, "admin-remote")


def test_the_sync_with_the_province_hub_is_shown_in_gui_tinh(live, open_page, tmp_path: Path):
    page = open_page(f"{live.url}/admin#gui-tinh")
    log_in(page, "quantri", ADMIN_PASSWORD)
    state = page.locator("#section-body [data-fact=state]")
    expect(state).to_contain_text("Chưa bật")
    how_to = page.locator("#section-body .how-to")
    for name in ("MOTCUA_HUB_URL", "MOTCUA_HUB_TOKEN", "MOTCUA_HUB_CENTER"):
        expect(how_to).to_contain_text(name)
    expect(how_to).to_contain_text("không bắt buộc")
    screenshot(page, "admin-hub-off")
    page.close()

    hub = FakeHub()
    # No MOTCUA_HUB_CENTER: the token names the center, and the hub's answer tells which.
    center = LiveServer(tmp_path, MOTCUA_HUB_URL=hub.url, MOTCUA_HUB_TOKEN=TOKEN).start()
    try:
        hub.wait_for(1)  # the center's history, acknowledged: a last success
        with hub.lock:
            hub.answers.extend([503] * 1000)  # from now on the hub refuses
        taken = requests.post(
            f"{center.url}/api/tickets",
            json={"procedure_id": "chung-thuc-ban-sao", "documents_complete": True},
            timeout=5,
        )
        assert taken.status_code == 201, taken.text
        hub.wait_for(2)

        page = open_page(f"{center.url}/admin#gui-tinh")
        log_in(page, "quantri", ADMIN_PASSWORD)
        section = page.locator("#section-body")
        expect(section.locator("[data-fact=state]")).to_contain_text("Gửi chưa được")
        expect(section.locator("[data-fact=url]")).to_contain_text(hub.url)
        expect(section.locator("[data-fact=center]")).to_contain_text("lai-khe")
        expect(section.locator("[data-fact=pending] dd")).to_have_text("1 số liệu")
        time_and_day = r"\d\d:\d\d \d\d/\d\d/20\d\d"
        expect(section.locator("[data-fact=last-success] dd")).to_have_text(
            re.compile(f"^{time_and_day}$")
        )
        expect(section.locator("[data-fact=last-error] dd")).to_have_text(
            re.compile(f"^{time_and_day}: HTTP 503 fake: lỗi$")
        )
        expect(section).not_to_contain_text(TOKEN)
        assert serious_accessibility_violations(page) == []
        screenshot(page, "admin-hub-sync")

        with hub.lock:
            hub.answers.clear()  # the hub is back: the page follows without a reload
        page.evaluate("window.loadedOnce = true")
        expect(section.locator("[data-fact=state]")).to_contain_text("Đã gửi đủ", timeout=REFRESH)
        expect(section.locator("[data-fact=pending]")).to_contain_text("Không còn số liệu nào")
        assert page.evaluate("window.loadedOnce") is True
    finally:
        center.stop()
        hub.close()
