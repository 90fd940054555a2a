"""The due-date watch: which dossiers are overdue, due today and due on the next working day,
with a fixed clock across a weekend and a holiday, and after an apology moved a promise."""

from __future__ import annotations

from datetime import date, datetime

from tests.conftest import TZ

COPY = "chung-thuc-ban-sao"


def at(clock, day: date, hour: int = 9) -> None:
    clock.set(datetime.combine(day, datetime.min.time(), TZ).replace(hour=hour))


def appointment(officer, issue, clock, day: date, due: str) -> dict:
    """A ticket taken, called at counter 1 and finished with an appointment due `due`."""
    at(clock, day)
    ticket = issue(COPY)
    officer.post("/api/counters/1/next")
    clock.advance(minutes=5)
    done = officer.post(
        f"/api/tickets/{ticket['id']}/finish", json={"outcome": "appointment", "due_date": due}
    )
    assert done.status_code == 200, done.json
    return done.json


def holiday(db, day: str) -> None:
    db.execute(
        "INSERT INTO calendar_days (day, kind, name) VALUES (?, 'holiday', 'Nghỉ lễ')", [day]
    )


def codes(items: list[dict]) -> list[str]:
    return [item["code"] for item in items]


def test_the_watch_groups_dossiers_across_a_weekend_and_a_holiday(officer, issue, clock, db):
    monday = date(2026, 11, 23)
    long_late = appointment(officer, issue, clock, monday, "2026-11-23")["dossier_code"]
    late = appointment(officer, issue, clock, monday, "2026-11-26")["dossier_code"]
    today = appointment(officer, issue, clock, monday, "2026-11-27")["dossier_code"]
    on_holiday = appointment(officer, issue, clock, monday, "2026-11-30")["dossier_code"]
    next_day = appointment(officer, issue, clock, monday, "2026-12-01")["dossier_code"]
    later = appointment(officer, issue, clock, monday, "2026-12-02")["dossier_code"]
    returned = appointment(officer, issue, clock, monday, "2026-11-24")["dossier_code"]
    at(clock, date(2026, 11, 24))
    assert officer.post(f"/api/dossiers/{returned}/return").status_code == 200
    holiday(db, "2026-11-25")  # a Wednesday
    holiday(db, "2026-11-30")  # the Monday after the weekend
    at(clock, date(2026, 11, 27), hour=10)  # a Friday

    watch = officer.get("/api/dossiers/watch").json
    assert watch["date"] == "2026-11-27"
    assert watch["next_working_day"] == "2026-12-01"  # Saturday, Sunday, a holiday skipped
    assert codes(watch["overdue"]) == [long_late, late]
    assert codes(watch["due_today"]) == [today]
    assert codes(watch["due_next"]) == [on_holiday, next_day]
    assert later not in codes(watch["overdue"] + watch["due_today"] + watch["due_next"])
    # Working days after the promised date up to today: 24, 26, 27 (25 a holiday); then 27.
    assert [i["days_overdue"] for i in watch["overdue"]] == [3, 1]
    assert [i["calendar_days_overdue"] for i in watch["overdue"]] == [4, 1]
    assert watch["due_today"][0]["days_overdue"] == 0
    first = watch["overdue"][0]
    assert first["promised_date"] == first["due_date"] == "2026-11-23"
    assert first["apologies"] == 0
    assert first["procedure_name"] == "Chứng thực bản sao từ bản chính"
    assert first["received_at"].startswith("2026-11-23T09:")
    assert (first["counter_id"], first["counter_name"]) == (1, "Quầy 1 — Chứng thực")
    assert first["officer_name"] == "canbo" and first["officer_id"] is not None
    assert first["mine"] is True
    assert first["number"].startswith("A")

    # On the Saturday the Friday's dossier is overdue, by no working day yet.
    at(clock, date(2026, 11, 28), hour=8)
    saturday = officer.get("/api/dossiers/watch").json
    assert saturday["next_working_day"] == "2026-12-01"
    assert codes(saturday["overdue"]) == [long_late, late, today]
    assert saturday["overdue"][-1]["days_overdue"] == 0
    assert saturday["due_today"] == []
    assert codes(saturday["due_next"]) == [on_holiday, next_day]


def test_an_apology_moves_the_dossier_to_its_new_promise(officer, issue, clock, db):
    code = appointment(officer, issue, clock, date(2026, 11, 23), "2026-11-24")["dossier_code"]
    at(clock, date(2026, 11, 26))
    assert codes(officer.get("/api/dossiers/watch").json["overdue"]) == [code]
    apology = officer.post(
        f"/api/dossiers/{code}/apology",
        json={"new_due_date": "2026-11-27", "reason": "Chờ cơ quan khác phối hợp"},
    )
    assert apology.status_code == 201, apology.json
    watch = officer.get("/api/dossiers/watch").json
    assert watch["overdue"] == []
    (item,) = watch["due_next"]
    assert (item["code"], item["due_date"], item["promised_date"]) == (
        code,
        "2026-11-24",
        "2026-11-27",
    )
    assert item["apologies"] == 1
    # The overdue list of the first release is the watch's overdue group.
    at(clock, date(2026, 11, 30))
    overdue = officer.get("/api/dossiers/overdue").json
    assert codes(overdue) == [code]
    assert overdue[0]["days_overdue"] == 1  # Monday 30, after the promise of Friday 27


def test_each_officer_sees_their_own_dossiers_first(app, officer, issue, clock):
    from tests.conftest import logged_in

    at(clock, date(2026, 11, 23))
    other = logged_in(app, "canbo2")
    ticket = issue("khai-sinh")
    other.post(f"/api/tickets/{ticket['id']}/call", json={"counter_id": 3})
    body = {"outcome": "appointment", "due_date": "2026-11-24"}
    theirs = other.post(f"/api/tickets/{ticket['id']}/finish", json=body).json["dossier_code"]
    mine = appointment(officer, issue, clock, date(2026, 11, 23), "2026-11-25")["dossier_code"]
    at(clock, date(2026, 11, 26))
    assert codes(officer.get("/api/dossiers/watch").json["overdue"]) == [mine, theirs]
    seen_by_other = other.get("/api/dossiers/watch").json["overdue"]
    assert codes(seen_by_other) == [theirs, mine]
    assert [item["mine"] for item in seen_by_other] == [True, False]


def test_the_watch_is_for_staff(client, officer, admin):
    assert client.get("/api/dossiers/watch").status_code == 401
    empty = officer.get("/api/dossiers/watch").json
    assert (empty["overdue"], empty["due_today"], empty["due_next"]) == ([], [], [])
    assert admin.get("/api/dossiers/watch").status_code == 200


def test_the_leader_sees_the_watch_on_the_evaluation_page(officer, admin, issue, clock, db):
    import re

    monday = date(2026, 11, 23)
    late = appointment(officer, issue, clock, monday, "2026-11-24")["dossier_code"]
    moved = appointment(officer, issue, clock, monday, "2026-11-25")["dossier_code"]
    at(clock, date(2026, 11, 26), hour=10)  # a Thursday
    body = {"new_due_date": "2026-11-27", "reason": "Hệ thống gặp sự cố"}
    assert officer.post(f"/api/dossiers/{moved}/apology", json=body).status_code == 201
    page = admin.get("/reports").data.decode()

    def group(key: str) -> str:
        match = re.search(rf'<tbody id="watch-{key}".*?</tbody>', page, flags=re.S)
        assert match, key
        return match[0]

    overdue, today, following = group("overdue"), group("due_today"), group("due_next")
    assert "Quá hạn: 1 hồ sơ" in overdue and late in overdue
    assert "Đến hạn hôm nay: 0 hồ sơ" in today and "Không có hồ sơ nào." in today
    assert "Đến hạn Thứ Sáu, 27/11: 1 hồ sơ" in following
    assert moved in following
    # Its due date, then the date the apology promised, and its one apology.
    assert re.search(r"<td>25/11/2026</td>\s*<td>27/11/2026</td>\s*<td>1</td>", following)
    assert "Hồ sơ chưa trả kết quả cần theo dõi (tính đến ngày 26/11/2026)" in page
