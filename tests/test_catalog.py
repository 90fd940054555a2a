"""The shipped catalog, and the catalog files that must be refused."""

import copy

import pytest
import yaml

from server.errors import CatalogError
from server.settings import DEFAULT_CATALOG
from server.setup.catalog import load_catalog, parse_catalog


@pytest.fixture
def shipped():
    return yaml.safe_load(DEFAULT_CATALOG.read_text(encoding="utf-8"))


def test_the_demo_catalog_describes_a_real_commune_center():
    catalog = load_catalog(DEFAULT_CATALOG)
    assert catalog.center_name == "Trung tâm phục vụ Hành chính công xã Lai Khê"
    assert len(catalog.procedures) >= 15
    assert sum(p.no_appointment for p in catalog.procedures) >= 5
    assert 4 <= len([c for c in catalog.counters if "Quầy" in c.name]) <= 6
    served = {procedure for counter in catalog.counters for procedure in counter.procedures}
    assert served == {procedure.id for procedure in catalog.procedures}
    assert all(procedure.documents for procedure in catalog.procedures)
    online = [p for p in catalog.procedures if p.short_name == "Hỗ trợ nộp hồ sơ trực tuyến"]
    assert len(online) == 1
    desks = [c for c in catalog.counters if online[0].id in c.procedures]
    assert [desk.procedures for desk in desks] == [(online[0].id,)]


def test_the_five_thursday_procedures_of_tan_hung_are_eligible():
    eligible = {p.code for p in load_catalog(DEFAULT_CATALOG).procedures if p.no_appointment}
    assert {"2.000815", "2.000884", "1.000656", "2.000908", "2.000575"} <= eligible


def test_fewer_than_five_eligible_procedures_is_refused(shipped):
    eligible = [p for p in shipped["procedures"] if p["no_appointment"]]
    for procedure in eligible[4:]:
        procedure["no_appointment"] = False
    with pytest.raises(CatalogError, match="ít nhất 5 thủ tục") as refused:
        parse_catalog(shipped)
    assert eligible[0]["id"] in str(refused.value)


def test_a_counter_naming_an_unknown_procedure_is_refused(shipped):
    shipped["counters"][2]["procedures"].append("cap-giay-phep-bay")
    with pytest.raises(CatalogError) as refused:
        parse_catalog(shipped)
    message = str(refused.value)
    assert f"counter {shipped['counters'][2]['id']}" in message
    assert "cap-giay-phep-bay" in message


def test_two_fields_sharing_a_letter_are_refused(shipped):
    shipped["fields"][1]["letter"] = shipped["fields"][0]["letter"]
    with pytest.raises(CatalogError) as refused:
        parse_catalog(shipped)
    assert shipped["fields"][1]["id"] in str(refused.value)
    assert shipped["fields"][0]["id"] in str(refused.value)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda c: c["procedures"][0].update(field="khong-co"), "khong-co"),
        (lambda c: c["procedures"].append(copy.deepcopy(c["procedures"][0])), "id bị trùng"),
        (lambda c: c["fields"][0].update(letter="AB"), "chữ cái phiếu"),
        (lambda c: c["counters"][0].update(id="một"), r"counters\[0\]"),
        (lambda c: c["procedures"][0].pop("name"), "thiếu 'name'"),
        # As large as the admin page allows, no larger: a kiosk button holds no page of text.
        (
            lambda c: c["procedures"][2].update(name="Chứng thực " * 200),
            r"catalog\.procedures\[2\]\.name: quá dài \(2200 ký tự, tối đa 1000\)",
        ),
        (lambda c: c["center"].update(name="x" * 1001), r"catalog\.center\.name: quá dài"),
        (lambda c: c["procedures"][0].update(documents=["Tờ khai"] * 61), "tối đa 60 giấy tờ"),
        (lambda c: c["procedures"][0].update(processing_days=366), "từ 0 đến 365, nhận '366'"),
        (lambda c: c["procedures"][0].update(service_minutes=481), "từ 0 đến 480"),
        (lambda c: c["procedures"][0].update(service_minutes=-1), "service_minutes"),
    ],
)
def test_other_broken_entries_are_named(shipped, change, named):
    change(shipped)
    with pytest.raises(CatalogError, match=named):
        parse_catalog(shipped)


def test_a_missing_file_is_a_catalog_error(tmp_path):
    with pytest.raises(CatalogError, match="Không đọc được"):
        load_catalog(tmp_path / "none.yaml")
