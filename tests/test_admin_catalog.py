"""The admin's catalog: fields, procedures, counters — each rule, its audit entry, nothing
partial on a refusal, and the screens told at once (`setup_changed`)."""

import pytest

from server.errors import WrongState
from server.setup.admin import catalog as admin_catalog
from server.setup.catalog import MINIMUM_NO_APPOINTMENT

ELIGIBLE = [  # the demo catalog's no-appointment procedures
    "chung-thuc-ban-sao",
    "chung-thuc-chu-ky",
    "cap-ban-sao-so-goc",
    "khai-sinh",
    "khai-tu",
    "ban-sao-trich-luc-ho-tich",
    "cap-lai-gcn-ho-kinh-doanh",
]


def audit_entries(db):
    return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def last_audit(admin):
    return admin.get("/api/admin/audit?limit=1").json[0]


def public_procedure(client, procedure_id):
    return next(p for p in client.get("/api/procedures").json if p["id"] == procedure_id)


def test_a_field_is_added_with_a_free_letter_and_logged(admin, client):
    created = admin.post("/api/admin/fields", json={"name": "Đất đai", "letter": "f"})
    assert created.status_code == 201
    assert created.json == {"id": "dat-dai", "name": "Đất đai", "letter": "F", "procedures": 0}
    entry = last_audit(admin)
    assert (entry["username"], entry["action"], entry["target"]) == (
        "quantri",
        "field.add",
        "field:dat-dai",
    )
    assert entry["at"] == "2026-11-26T09:00:00+07:00"
    assert (entry["before"], entry["after"]) == (None, created.json)


@pytest.mark.parametrize(
    ("letter", "status", "code"),
    [("A", 409, "letter_taken"), ("AB", 400, "invalid_letter"), ("1", 400, "invalid_letter"),
     ("Đ", 400, "invalid_letter"), ("", 400, "invalid_letter")],
)  # fmt: skip
def test_a_field_letter_is_one_unused_letter_a_to_z(admin, db, letter, status, code):
    before = audit_entries(db)
    refused = admin.post("/api/admin/fields", json={"name": "Đất đai", "letter": letter})
    assert (refused.status_code, refused.json["error"]["code"]) == (status, code)
    if letter:
        assert f"'{letter}'" in refused.json["error"]["message"]
    assert audit_entries(db) == before
    assert db.execute("SELECT count(*) FROM fields WHERE name = 'Đất đai'").fetchone()[0] == 0


def test_a_field_letter_change_keeps_issued_numbers(admin, issue):
    ticket = issue("chung-thuc-ban-sao")
    changed = admin.put("/api/admin/fields/chung-thuc", json={"letter": "K"})
    assert changed.status_code == 200
    assert admin.get(f"/api/tickets/{ticket['id']}").json["number"] == "A001"
    assert issue("chung-thuc-ban-sao")["number"] == "K001"
    entry = last_audit(admin)
    assert (entry["before"]["letter"], entry["after"]["letter"]) == ("A", "K")


def test_a_field_in_use_is_not_deleted(admin, db):
    refused = admin.delete("/api/admin/fields/ho-tich")
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "field_in_use"
    assert "Hộ tịch" in refused.json["error"]["message"]
    assert db.execute("SELECT 1 FROM fields WHERE id = 'ho-tich'").fetchone()


def test_an_empty_field_is_deleted(admin):
    admin.post("/api/admin/fields", json={"name": "Đất đai", "letter": "F"})
    assert admin.delete("/api/admin/fields/dat-dai").status_code == 204
    assert last_audit(admin)["action"] == "field.delete"
    assert admin.delete("/api/admin/fields/dat-dai").status_code == 404


def test_a_renamed_procedure_shows_on_the_kiosk_and_tickets_keep_theirs(admin, client, issue):
    ticket = issue("khai-sinh")
    assert ticket["no_appointment"] is True
    changed = admin.put(
        "/api/admin/procedures/khai-sinh",
        json={"short_name": "Khai sinh (mới)", "documents": ["Tờ khai", " ", "Giấy chứng sinh"]},
    )
    assert changed.status_code == 200
    assert changed.json["documents"] == ["Tờ khai", "Giấy chứng sinh"]
    shown = public_procedure(client, "khai-sinh")
    assert shown["short_name"] == "Khai sinh (mới)"
    assert shown["documents"] == ["Tờ khai", "Giấy chứng sinh"]
    admin.put("/api/admin/procedures/cap-ban-sao-hop-dong", json={"no_appointment": True})
    admin.put("/api/admin/procedures/khai-sinh", json={"no_appointment": False})
    kept = client.get(f"/api/tickets/{ticket['key']}").json
    assert (kept["number"], kept["procedure_id"]) == ("B001", "khai-sinh")
    assert kept["no_appointment"] is True
    entry = last_audit(admin)
    assert (entry["before"]["no_appointment"], entry["after"]["no_appointment"]) == (True, False)


def test_a_procedure_is_added_to_a_field(admin, client):
    created = admin.post(
        "/api/admin/procedures",
        json={
            "field": "ho-tich",
            "name": "Đăng ký nhận cha, mẹ, con",
            "legal_time": "03 ngày làm việc",
            "processing_days": 3,
            "documents": ["Tờ khai đăng ký nhận cha, mẹ, con"],
        },
    )
    assert created.status_code == 201
    assert created.json["id"] == "dang-ky-nhan-cha-me-con"
    assert created.json["short_name"] == "Đăng ký nhận cha, mẹ, con"
    assert (created.json["no_appointment"], created.json["service_minutes"]) == (False, 5)
    assert public_procedure(client, "dang-ky-nhan-cha-me-con")["letter"] == "B"


@pytest.mark.parametrize(
    ("body", "code", "named"),
    [
        ({"processing_days": -1}, "invalid_processing_days", "-1"),
        ({"service_minutes": 0}, "invalid_service_minutes", "0"),
        ({"no_appointment": "false"}, "invalid_no_appointment", "false"),
        ({"documents": "Tờ khai"}, "invalid_documents", "Tờ khai"),
        ({"documents": ["Tờ khai", 3]}, "invalid_documents", "mục thứ 2"),
        ({"field": "khong-co"}, "invalid_field", "khong-co"),
        ({"name": "  "}, "invalid_name", "Tên thủ tục"),
        ({"mau_don": "x"}, "unknown_key", "mau_don"),
    ],
)
def test_a_bad_procedure_change_is_refused_whole(admin, db, body, code, named):
    before = audit_entries(db)
    refused = admin.put("/api/admin/procedures/khai-sinh", json={"short_name": "Đổi", **body})
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == code
    assert named in refused.json["error"]["message"]
    row = db.execute("SELECT short_name FROM procedures WHERE id = 'khai-sinh'").fetchone()
    assert row[0] == "Đăng ký khai sinh"
    assert audit_entries(db) == before


def test_the_catalog_refuses_to_drop_below_five_eligible_procedures(admin, client, db):
    for procedure_id in ELIGIBLE[: len(ELIGIBLE) - MINIMUM_NO_APPOINTMENT]:
        response = admin.put(
            f"/api/admin/procedures/{procedure_id}", json={"no_appointment": False}
        )
        assert response.status_code == 200
    before = audit_entries(db)
    last_five = ELIGIBLE[-MINIMUM_NO_APPOINTMENT:]
    refused = admin.put(
        f"/api/admin/procedures/{last_five[0]}",
        json={"no_appointment": False, "short_name": "Đổi tên cùng lúc"},
    )
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "too_few_no_appointment"
    assert "ít nhất 5" in refused.json["error"]["message"]
    assert "chỉ còn 4" in refused.json["error"]["message"]
    eligible = [p["id"] for p in client.get("/api/procedures").json if p["no_appointment"]]
    assert eligible == last_five
    assert public_procedure(client, last_five[0])["short_name"] != "Đổi tên cùng lúc"
    assert audit_entries(db) == before
    deleted = admin.delete(f"/api/admin/procedures/{last_five[1]}")
    assert deleted.status_code == 409  # it has no tickets, but is one of the last five
    assert deleted.json["error"]["code"] == "too_few_no_appointment"


def test_the_rule_holds_in_the_domain_too(app, db, clock):
    for procedure_id in ELIGIBLE[:2]:
        admin_catalog.update_procedure(db, clock, None, procedure_id, {"no_appointment": False})
    with pytest.raises(WrongState) as refused:
        admin_catalog.update_procedure(db, clock, None, ELIGIBLE[2], {"no_appointment": False})
    assert refused.value.code == "too_few_no_appointment"


def test_a_procedure_with_tickets_is_not_deleted(admin, db, issue):
    issue("ket-hon")
    refused = admin.delete("/api/admin/procedures/ket-hon")
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "procedure_has_tickets"
    assert "1 phiếu" in refused.json["error"]["message"]
    served = "SELECT count(*) FROM counter_procedures WHERE procedure_id = 'ket-hon'"
    assert db.execute(served).fetchone()[0] == 2


def test_a_stopped_procedure_leaves_the_kiosk_but_keeps_its_tickets(admin, client, issue):
    """A procedure the center no longer takes: no new ticket, its old ones still count."""
    before = issue("ket-hon")
    stopped = admin.put("/api/admin/procedures/ket-hon", json={"active": False})
    assert (stopped.status_code, stopped.json["active"]) == (200, False)
    assert "ket-hon" not in [p["id"] for p in client.get("/api/procedures").json]
    assert all("ket-hon" not in c["procedures"] for c in client.get("/api/counters").json)
    refused = client.post(
        "/api/tickets", json={"procedure_id": "ket-hon", "documents_complete": True}
    )
    assert (refused.status_code, refused.json["error"]) == (
        409,
        {
            "code": "procedure_not_taken",
            "message": "Thủ tục “Đăng ký kết hôn” đã ngừng tiếp nhận tại trung tâm.",
        },
    )
    assert client.get(f"/api/tickets/{before['key']}").json["procedure_id"] == "ket-hon"
    listed = next(p for p in admin.get("/api/admin/procedures").json if p["id"] == "ket-hon")
    assert listed["active"] is False  # the admin still sees it, to take it again
    entry = last_audit(admin)
    assert (entry["before"]["active"], entry["after"]["active"]) == (True, False)

    assert admin.put("/api/admin/procedures/ket-hon", json={"active": True}).status_code == 200
    assert issue("ket-hon")["number"] == "B002"


def test_a_ticket_asked_again_after_its_procedure_stopped_is_the_same(admin, client):
    body = {"procedure_id": "ket-hon", "documents_complete": True}
    first = client.post("/api/tickets", json=body, headers={"Idempotency-Key": "k-1"})
    admin.put("/api/admin/procedures/ket-hon", json={"active": False})
    again = client.post("/api/tickets", json=body, headers={"Idempotency-Key": "k-1"})
    assert (again.status_code, again.json["id"]) == (200, first.json["id"])


def test_stopping_a_no_appointment_procedure_keeps_five_in_the_model(admin, client):
    for procedure_id in ELIGIBLE[: len(ELIGIBLE) - MINIMUM_NO_APPOINTMENT]:
        stopped = admin.put(f"/api/admin/procedures/{procedure_id}", json={"active": False})
        assert stopped.status_code == 200
    refused = admin.put(f"/api/admin/procedures/{ELIGIBLE[-1]}", json={"active": False})
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "too_few_no_appointment")
    poster = client.get("/khong-hen").data.decode()
    assert public_procedure(client, ELIGIBLE[-1])["name"] in poster
    stopped = admin.get("/api/admin/procedures").json
    assert not any(p["active"] for p in stopped if p["id"] in ELIGIBLE[:2])
    # A stopped one marked again does not count: only what the center takes does.
    marked = admin.put(f"/api/admin/procedures/{ELIGIBLE[0]}", json={"no_appointment": True})
    assert marked.status_code == 200
    assert (
        admin.put(f"/api/admin/procedures/{ELIGIBLE[-1]}", json={"active": False}).status_code
        == 409
    )


def test_a_procedure_without_tickets_leaves_the_catalog_and_its_counters(admin, client, db):
    assert admin.delete("/api/admin/procedures/giam-ho").status_code == 204
    assert "giam-ho" not in [p["id"] for p in client.get("/api/procedures").json]
    assert all("giam-ho" not in c["procedures"] for c in client.get("/api/counters").json)
    entry = last_audit(admin)
    assert (entry["action"], entry["before"]["id"]) == ("procedure.delete", "giam-ho")
    assert entry["after"] is None


def test_a_counter_serves_only_procedures_that_exist(admin, client, db):
    refused = admin.put("/api/admin/counters/4", json={"procedures": ["thuong-tru", "khong-co"]})
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "invalid_procedures"
    assert "khong-co" in refused.json["error"]["message"]
    served = next(c for c in client.get("/api/counters").json if c["id"] == 4)["procedures"]
    assert served == ["cap-lai-gcn-ho-kinh-doanh", "thanh-lap-ho-kinh-doanh"]
    changed = admin.put("/api/admin/counters/4", json={"procedures": ["thuong-tru", "thuong-tru"]})
    assert changed.json["procedures"] == ["thuong-tru"]
    entry = last_audit(admin)
    assert entry["before"]["procedures"] == served
    assert entry["after"]["procedures"] == ["thuong-tru"]


def test_a_counter_is_added_renamed_and_deleted(admin, client):
    created = admin.post("/api/admin/counters", json={"name": "Quầy 7 — Đất đai"})
    assert created.status_code == 201
    assert created.json == {"id": 7, "name": "Quầy 7 — Đất đai", "procedures": []}
    taken = admin.post("/api/admin/counters", json={"id": 7, "name": "Quầy bảy"})
    assert (taken.status_code, taken.json["error"]["code"]) == (409, "counter_id_taken")
    assert admin.put("/api/admin/counters/7", json={"name": "Quầy 7"}).json["name"] == "Quầy 7"
    assert admin.delete("/api/admin/counters/7").status_code == 204
    assert 7 not in [c["id"] for c in client.get("/api/counters").json]


def test_a_counter_that_served_tickets_stays(admin, officer, issue):
    issue("chung-thuc-ban-sao")
    officer.post("/api/counters/1/next")
    refused = admin.delete("/api/admin/counters/1")
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "counter_has_tickets")


def test_every_change_is_announced_to_the_screens(admin, socket_client):
    kiosk = socket_client("display")
    kiosk.get_received()
    admin.put("/api/admin/procedures/khai-sinh", json={"short_name": "Khai sinh"})
    admin.put("/api/admin/procedures/khai-sinh", json={"processing_days": -1})  # refused
    admin.post("/api/admin/counters", json={"name": "Quầy 7"})
    changes = [e["args"][0] for e in kiosk.get_received() if e["name"] == "setup_changed"]
    assert changes == [{"what": "procedures"}, {"what": "counters"}]


def test_unknown_ids_are_404(admin):
    assert admin.put("/api/admin/procedures/khong-co", json={}).json["error"]["code"] == (
        "procedure_not_found"
    )
    assert admin.put("/api/admin/fields/khong-co", json={}).status_code == 404
    assert admin.put("/api/admin/counters/99", json={}).status_code == 404
