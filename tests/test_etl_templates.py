"""The blank templates (mẫu) of the Dữ liệu page: each one, filled with a few rows the way a data
officer would, loads through the ETL into the warehouse. Expected rows worked out by hand."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from etl.load import load_files
from etl.sources import SOURCES
from etl.templates import TEMPLATE_KINDS, template_file_name, template_xlsx
from etl_helpers import query

D = dt.date

# kind -> (rows under the headings, query, expected result)
FILLED = {
    "dossiers": (
        [[1, "HS-T1", "Đăng ký khai sinh", "Hộ tịch", "Xã Phước Hậu", "Trực tiếp", "02/05/2023 08:00", "05/05/2023",
          "04/05/2023 10:00", None],
         [2, "HS-T2", "Đăng ký kết hôn", "Hộ tịch", "UBND xã An Hải", "Trực tuyến", "03/05/2023 09:00", "08/05/2023",
          None, None]],
        "SELECT dossier_id, unit_id, channel, finished_at FROM dossiers ORDER BY 1",
        [("HS-T1", "xa-phuoc-hau", "in_person", dt.datetime(2023, 5, 4, 10, 0)),
         ("HS-T2", "xa-an-hai", "online", None)]),
    "evaluations": (
        [[1, "Xã Phước Hậu", "Tháng 01/2023", 92, None], [2, "Xã An Hải", "Quý I/2023", None, "Hoàn thành tốt nhiệm vụ"]],
        "SELECT unit_id, period_type, period_start, score, classification FROM evaluations ORDER BY 1",
        [("xa-an-hai", "quarter", D(2023, 1, 1), None, "tot"), ("xa-phuoc-hau", "month", D(2023, 1, 1), 92.0, "xuat_sac")]),
    "commitments": (
        [[1, "Xã An Hải", 2023, 21, 21, 20, 21]],
        "SELECT unit_id, year, commitment, headcount, signed FROM commitments ORDER BY 3",
        [("xa-an-hai", 2023, "hcm_study", 21, 21), ("xa-an-hai", 2023, "office_culture", 21, 21),
         ("xa-an-hai", 2023, "smoke_free", 21, 20)]),
    "surveys": (
        [[1, "Xã Phước Hậu", "05/2023", 100, 93, 5, 2, 0], [2, "Xã An Hải", "Tháng 5/2023", None, 40, 10, None, None]],
        "SELECT unit_id, month, responses, very_satisfied, satisfied, neutral, dissatisfied FROM surveys ORDER BY 1",
        [("xa-an-hai", D(2023, 5, 1), 50, 40, 10, 0, 0), ("xa-phuoc-hau", D(2023, 5, 1), 100, 93, 5, 2, 0)]),
    "inspections": (
        [[1, "15/03/2023", "Phòng Tư pháp", 5, 1, None, None, None, "Nhắc nhở"]],
        "SELECT inspected_on, unit_id, checked, late_or_absent, dress, conduct, workplace, note FROM inspections",
        [(D(2023, 3, 15), "p-tu-phap", 5, 1, 0, 0, 0, "Nhắc nhở")]),
    "staff_ratings": (
        [[1, "Xã Phước Hậu", 2023, 22, 3, 16, 2, 0]],
        "SELECT unit_id, year, headcount, xuat_sac, tot, hoan_thanh, khong_hoan_thanh FROM staff_ratings",
        [("xa-phuoc-hau", 2023, 22, 3, 16, 2, 0)]),
    "commendations": (
        [[1, "125/QĐ-UBND", "20/12/2023", "UBND huyện", "Giấy khen", "Cá nhân", "Nguyễn Văn An", "Xã Phước Hậu"],
         [2, "125/QĐ-UBND", "20/12/2023", "UBND huyện", "Giấy khen", "Tập thể", "Phòng Tư pháp", "Phòng Tư pháp"]],
        "SELECT decision_no, decided_on, recipient_kind, recipient_name, unit_id FROM commendations ORDER BY 3",
        [("125/QĐ-UBND", D(2023, 12, 20), "collective", "Phòng Tư pháp", "p-tu-phap"),
         ("125/QĐ-UBND", D(2023, 12, 20), "individual", "Nguyễn Văn An", "xa-phuoc-hau")]),
}


def test_every_kind_has_a_template():
    assert set(TEMPLATE_KINDS) == {s.kind for s in SOURCES} == set(FILLED)
    assert template_file_name("surveys") == "mau_khao_sat_su_hai_long.xlsx"
    assert len({template_file_name(k) for k in TEMPLATE_KINDS}) == len(TEMPLATE_KINDS)


@pytest.mark.parametrize("kind", sorted(FILLED))
def test_a_filled_template_loads(tmp_path, kind):
    rows, sql, expected = FILLED[kind]
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(kind)))
    ws = wb.active
    headings = [c.value for c in ws[4]]
    assert headings[0] == "STT" and ws["A1"].value.startswith("MẪU TỆP: ")
    for r in rows:
        assert len(r) == len(headings)
        ws.append(r)
    path = tmp_path / template_file_name(kind)
    wb.save(path)
    db = tmp_path / "warehouse.duckdb"
    [r] = load_files([path], db=db)
    assert (r.status, r.kind, r.rows_to_load, r.rows_rejected) == ("loaded", kind, len(expected), 0), (r.message,
                                                                                                     r.rejects)
    # every heading of the template is understood (none left over as an unknown column)
    assert set(r.mapping.values()) == set(headings[1:]), r.mapping
    assert query(db, sql) == expected
