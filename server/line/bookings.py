"""Booked times: a citizen books a procedure's slot with a name and a phone, gets a code, and
checks in at the kiosk on the day, which issues a ticket placed by BOOKING_ORDER_RULE.

The name and phone are personal data (Decree 13/2023/NĐ-CP): asked with the citizen's
explicit consent, kept only in `bookings`, shown only to officers (list_bookings), never in
a ticket, an event, a report or a log, and deleted with the booking `booking_retention_days`
after its day (purge_bookings, at start and hourly in `motcua serve`). The booking's own
answer carries its code and slot, not what the citizen typed.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import Any

from server.clock import Clock, iso
from server.errors import InvalidInput, NotFound, WrongState
from server.line.booking_slots import field_booking, parse_day, require_slot
from server.line.dossiers import CODE_ALPHABET
from server.line.tickets import NewTicket, ReceiptOrder, insert_ticket, procedure_row
from server.locale import format_day
from server.settings import Settings
from server.setup.remote import load_remote_setup
from server.storage.db import Database, rows_as_dicts, write_transaction
from server.vocabulary import PRIORITIES

# Shown to citizens on the booking page and in the API's documentation: the fair order.
BOOKING_ORDER_RULE = (
    "Công dân đặt lịch được xếp vào hàng chờ theo giờ bắt đầu của khung giờ đã đặt (nếu "
    "đến làm thủ tục sau giờ đó thì theo giờ làm thủ tục tại ki-ốt): đứng sau những người "
    "đã lấy số trước giờ đó và trước những người lấy số sau giờ đó."
)
CONSENT_TEXT = (
    "Tôi đồng ý để trung tâm lưu họ tên và số điện thoại này để quản lý lịch hẹn. Thông tin "
    "chỉ cán bộ trung tâm được xem và sẽ được xoá sau khi hết thời hạn lưu."
)
BOOKINGS_PER_PHONE_A_DAY = 2  # as iHanoi: at most two bookings a person a day
CHECK_IN_EARLY = timedelta(minutes=30)  # from 30 minutes before the slot's start
CHECK_IN_LATE = timedelta(minutes=15)  # until 15 minutes after it
PHONE = re.compile(r"(?:0|\+84)(\d{9})")
CODE_PREFIX = "DL"


def new_booking_code() -> str:
    """DL-7K3M-X9: six characters of the dossier codes' alphabet (no look-alikes)."""
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
    return f"{CODE_PREFIX}-{body[:4]}-{body[4:]}"


def normalized_code(text: str) -> str:
    """What the citizen typed or scanned, any case, with or without dashes and the prefix,
    as the stored code ("dl7k3mx9" → "DL-7K3M-X9"); unreadable input → itself (unknown)."""
    plain = re.sub(r"[\s-]", "", text).upper()
    if len(plain) == 8 and plain.startswith(CODE_PREFIX):
        plain = plain[2:]
    if len(plain) != 6:
        return text
    return f"{CODE_PREFIX}-{plain[:4]}-{plain[4:]}"


def checked_name(name: str) -> str:
    text = unicodedata.normalize("NFC", " ".join(name.split()))
    if not 2 <= len(text) <= 100 or not text.isprintable():
        raise InvalidInput("Họ tên cần từ 2 đến 100 ký tự.", "invalid_name")
    return text


def checked_phone(phone: str) -> str:
    """A Vietnamese number, 10 digits from 0 or +84 and 9 digits (spaces, dots and dashes
    ignored), stored as 0XXXXXXXXX so both forms count as one phone."""
    match = PHONE.fullmatch(re.sub(r"[\s.\-()]", "", phone))
    if not match:
        raise InvalidInput(
            "Số điện thoại không hợp lệ: cần 10 chữ số bắt đầu bằng 0 (hoặc +84).",
            "invalid_phone",
        )
    return f"0{match[1]}"


def book(
    db: Database,
    clock: Clock,
    settings: Settings,
    *,
    procedure_id: str,
    day_text: str,
    start: str,
    name: str,
    phone: str,
    consent: Any,
) -> dict[str, Any]:
    """Book a slot: consent exactly true, a name, a phone, a slot on offer with a free place,
    at most BOOKINGS_PER_PHONE_A_DAY for that phone that day. One transaction: two citizens
    never get the slot's last place."""
    if consent is not True:
        raise InvalidInput(
            "Quý vị cần đánh dấu đồng ý cho trung tâm lưu họ tên và số điện thoại thì mới "
            "đặt lịch được.",
            "consent_required",
        )
    name, phone, day = checked_name(name), checked_phone(phone), parse_day(day_text)
    now = clock.now()
    with write_transaction(db):
        field = field_booking(db, procedure_id)
        slot = require_slot(db, settings, now, field, day, start)
        booked = db.execute(
            "SELECT count(*) FROM bookings WHERE phone = ? AND day = ?", [phone, day.isoformat()]
        ).fetchone()[0]
        if booked >= BOOKINGS_PER_PHONE_A_DAY:
            raise WrongState(
                f"Mỗi số điện thoại chỉ được đặt tối đa {BOOKINGS_PER_PHONE_A_DAY} lịch "
                f"trong ngày {format_day(day)}.",
                "booking_limit_reached",
            )
        code = new_booking_code()
        while db.execute("SELECT 1 FROM bookings WHERE code = ?", [code]).fetchone():
            code = new_booking_code()  # 23^6 codes: a clash is rare, and never twice in a row
        slot_values = [day.isoformat(), slot["start"], slot["end"]]
        db.execute(
            """INSERT INTO bookings (code, procedure_id, day, slot_start, slot_end, name, phone,
                   booked_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [code, procedure_id, *slot_values, name, phone, iso(now)],
        )
    return booking_answer(code, field.procedure_id, field.procedure_name, day, slot)


def booking_answer(
    code: str, procedure_id: str, procedure_name: str, day: date, slot: dict[str, Any]
) -> dict[str, Any]:
    """What the citizen keeps of a booking: its code (the page draws its QR), the slot, and
    when the kiosk will check it in. Not the name or phone."""
    start = datetime.combine(day, time.fromisoformat(slot["start"]))
    return {
        "code": code,
        "procedure_id": procedure_id,
        "procedure_name": procedure_name,
        "date": day.isoformat(),
        "start": slot["start"],
        "end": slot["end"],
        "check_in_from": f"{start - CHECK_IN_EARLY:%H:%M}",
        "check_in_until": f"{start + CHECK_IN_LATE:%H:%M}",
        "order_rule": BOOKING_ORDER_RULE,
    }


def list_bookings(db: Database, day: date) -> list[dict[str, Any]]:
    """One day's bookings for the officers: who (name, phone), for what, when, and whether
    they checked in (with their ticket's number)."""
    return rows_as_dicts(
        db,
        """SELECT b.code, b.procedure_id, p.short_name AS procedure_name, b.day AS date,
                  b.slot_start AS start, b.slot_end AS "end", b.name, b.phone, b.status,
                  b.checked_in_at,
                  CASE WHEN t.id IS NULL THEN NULL
                       ELSE t.letter || printf('%03d', t.number) END AS ticket_number
           FROM bookings b JOIN procedures p ON p.id = b.procedure_id
           LEFT JOIN tickets t ON t.id = b.ticket_id
           WHERE b.day = ? ORDER BY b.slot_start, b.booked_at, b.code""",
        [day.isoformat()],
    )


def check_in_refusal(day: date, slot_start: str, status: str, now: datetime) -> WrongState | None:
    """Why a booking cannot be checked in at `now` (checked in already, too early, too late),
    or None: the check-in itself and the kiosk's look-up before it asks the checklist."""
    if status == "checked_in":
        return WrongState("Lịch hẹn này đã được xác nhận và cấp số rồi.", "booking_checked_in")
    start = datetime.combine(day, time.fromisoformat(slot_start), tzinfo=now.tzinfo)
    if now < start - CHECK_IN_EARLY:
        return WrongState(
            f"Chưa đến giờ xác nhận lịch hẹn: lịch hẹn lúc {slot_start} ngày "
            f"{format_day(start.date())}, xác nhận từ {start - CHECK_IN_EARLY:%H:%M}.",
            "booking_too_early",
        )
    if now > start + CHECK_IN_LATE:
        return WrongState(
            f"Lịch hẹn lúc {slot_start} ngày {format_day(start.date())} đã quá giờ xác "
            "nhận. Quý vị vui lòng lấy số tại ki-ốt.",
            "booking_too_late",
        )
    return None


def check_in(
    db: Database,
    clock: Clock,
    settings: Settings,
    code: str,
    *,
    documents_complete: bool = False,
    priority: str | None = None,
    receipt: ReceiptOrder | None = None,
) -> dict[str, Any]:
    """The citizen arrives: on the booked day, from CHECK_IN_EARLY before the slot's start
    until CHECK_IN_LATE after it, once. Issues the ticket (channel "booking", with its key and
    receipt, like the kiosk's) whose place in line is the slot's start, or now if later."""
    if priority is not None and priority not in PRIORITIES:
        raise InvalidInput(f"Đối tượng ưu tiên không hợp lệ: '{priority}'.", "invalid_priority")
    now = clock.now()
    stored_code = normalized_code(code)
    with write_transaction(db):
        row = db.execute(
            "SELECT procedure_id, day, slot_start, status FROM bookings WHERE code = ?",
            [stored_code],
        ).fetchone()
        if row is None:
            raise NotFound("Không tìm thấy lịch hẹn với mã này.", "booking_not_found")
        procedure_id, day_text, slot_start, status = row
        refusal = check_in_refusal(date.fromisoformat(day_text), slot_start, status, now)
        if refusal is not None:
            raise refusal
        start = datetime.combine(
            date.fromisoformat(day_text), time.fromisoformat(slot_start), tzinfo=now.tzinfo
        )

        def attach(ticket_id: str) -> None:
            db.execute(
                """UPDATE bookings SET status = 'checked_in', checked_in_at = ?, ticket_id = ?
                   WHERE code = ?""",
                [iso(now), ticket_id, stored_code],
            )

        ticket = insert_ticket(
            db,
            now,
            settings,
            procedure_row(db, procedure_id),
            NewTicket(documents_complete, priority, "booking", line_at=max(start, now)),
            receipt,
            attach,
        )
    return ticket


def purge_bookings(db: Database, clock: Clock, settings: Settings) -> int:
    """Delete the bookings (their names and phones with them) whose day is more than
    booking_retention_days before today; returns how many. Their tickets stay, as every
    ticket does, for the reports: a ticket never held the name or the phone."""
    today = clock.now().date()
    with write_transaction(db):
        keep_from = today - timedelta(days=load_remote_setup(db, settings).booking_retention_days)
        deleted = db.execute("DELETE FROM bookings WHERE day < ?", [keep_from.isoformat()])
        return deleted.rowcount
