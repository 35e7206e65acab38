"""etl.history for the Dữ liệu page's data-freshness tab: the four evidence kinds beside the three
old ones, and a file's period in its kind's grain. Expected values from tests/metrics_fixtures.py."""
from __future__ import annotations

from datetime import date

import duckdb

from etl import history
from metrics_fixtures import con, warehouse  # noqa: F401 (fixtures)


def test_freshness_by_unit_has_the_evidence_kinds(con):
    df = history.freshness_by_unit(con).set_index("Đơn vị")
    thai = df.loc["Xã Phước Thái"]
    # surveys 12/2021–04/2022, inspections up to 01/04/2022, ratings 2022, commendations 15/01 and 31/03/2022
    assert thai["Khảo sát hài lòng: tháng mới nhất"] == date(2022, 4, 1)
    assert thai["Kiểm tra đột xuất: tháng mới nhất"] == date(2022, 4, 1)
    assert thai["Xếp loại CBCCVC: năm mới nhất"] == 2022
    assert thai["Khen thưởng: tháng mới nhất"] == date(2022, 3, 1)
    tu_phap = df.loc["Phòng Tư pháp"]
    # surveys 02/2022; inspections 31/12/2021 and 15/02/2022; commendations 31/12/2021 and 01/04/2022
    assert tu_phap["Khảo sát hài lòng: tháng mới nhất"] == date(2022, 2, 1)
    assert tu_phap["Kiểm tra đột xuất: tháng mới nhất"] == date(2022, 2, 1)
    assert tu_phap["Khen thưởng: tháng mới nhất"] == date(2022, 4, 1)
    # Xã Ninh Phước has nothing but its 2026 ratings: listed, the other kinds empty
    ninh = df.loc["Xã Ninh Phước"]
    assert ninh["Xếp loại CBCCVC: năm mới nhất"] == 2026 and ninh.isna()["Khảo sát hài lòng: tháng mới nhất"]


def test_missing_latest_for_the_evidence_kinds(con):
    m = history.missing_latest(con)
    # surveys: latest 04/2022 (Phước Thái only); Thuận (03), Tư pháp (02), Ban QLDA (01) lack it
    assert m["surveys"] == {"latest": date(2022, 4, 1),
                            "missing": ["Ban Quản lý dự án đầu tư xây dựng", "Phòng Tư pháp", "Xã Phước Thuận"]}
    # ratings: latest 2026; the units rated in 2022 ended on 30/06/2025, so none is missing
    assert m["staff_ratings"] == {"latest": 2026, "missing": []}
    # inspections and commendations are not expected of every unit every month
    assert m["inspections"] == {"latest": date(2022, 4, 1), "missing": None}
    assert m["commendations"] == {"latest": date(2022, 4, 1), "missing": None}


def test_missing_latest_without_evidence(tmp_path):
    from metrics_fixtures import build_warehouse
    with duckdb.connect(build_warehouse(tmp_path / "w.duckdb", evidence=False), read_only=True) as c:
        m = history.missing_latest(c)
    assert m["surveys"] == {"latest": None, "missing": []}
    assert m["commendations"] == {"latest": None, "missing": None}


def test_period_label_per_kind():
    assert history.period_label("staff_ratings", date(2023, 1, 1), date(2023, 12, 31)) == "năm 2023"
    assert history.period_label("commitments", date(2022, 1, 1), date(2023, 12, 31)) == "năm 2022 – 2023"
    assert history.period_label("surveys", date(2023, 1, 1), date(2023, 3, 31)) == "tháng 01/2023 – 03/2023"
    assert history.period_label("surveys", date(2023, 3, 1), date(2023, 3, 31)) == "tháng 03/2023"
    assert history.period_label("inspections", date(2023, 1, 5), date(2023, 3, 20)) == "05/01/2023 – 20/03/2023"
    assert history.period_label("dossiers", None, None) == "–"
