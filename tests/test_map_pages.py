"""The map switch and the periods across the 2025 reform in the pages (AppTest), on the hand-made
warehouse of tests/map_fixtures.py (data 05/2025-08/2025); quick picks and the merger line as
pure functions. Expected values by hand from map_fixtures' docstring."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from page_blocks import cards

from map_fixtures import HAU_NEW, build_warehouse
from ui import charts
from ui.filters import (QUICK_ALL, QUICK_MONTH, QUICK_MOVEMENT, QUICK_SINCE_MERGER, QUICK_YEAR,
                        QUICK_YEAR_2025, quick_picks, quick_range, units_outside_period)

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
D = dt.date
MERGER = D(2025, 7, 1)


# -- quick picks ---------------------------------------------------------------------------------

@pytest.mark.parametrize("pick, expected", [
    (QUICK_YEAR_2025, (D(2025, 1, 1), D(2025, 12, 1))),
    (QUICK_MOVEMENT, (D(2019, 7, 1), D(2025, 12, 1))),       # 07/2019 - 12/2025
    (QUICK_SINCE_MERGER, (D(2025, 7, 1), D(2026, 10, 1))),   # to the latest month with data
    (QUICK_YEAR, (D(2026, 1, 1), D(2026, 10, 1))),
])
def test_quick_picks_across_the_reform_with_data_to_the_present(pick, expected):
    assert quick_range(pick, D(2019, 7, 1), D(2026, 10, 1), MERGER) == expected


def test_quick_picks_clip_to_the_months_with_data():
    # today's demo: 07/2019 - 06/2025
    assert quick_range(QUICK_YEAR_2025, D(2019, 7, 1), D(2025, 6, 1), MERGER) == (D(2025, 1, 1), D(2025, 6, 1))
    assert quick_range(QUICK_MOVEMENT, D(2021, 1, 1), D(2025, 6, 1), MERGER) == (D(2021, 1, 1), D(2025, 6, 1))


def test_which_quick_picks_are_offered():
    today = quick_picks(D(2019, 7, 1), D(2025, 6, 1), MERGER)
    # "Năm 2025" replaces "Năm nay"; the movement's period equals "Cả giai đoạn"; no data after 1/7
    assert list(today) == [QUICK_MONTH, "quy", QUICK_YEAR_2025, QUICK_MOVEMENT]
    later = quick_picks(D(2019, 7, 1), D(2026, 10, 1), MERGER)
    assert later[QUICK_YEAR] == "Năm nay" and later[QUICK_YEAR_2025] == "Năm 2025"
    assert later[QUICK_MOVEMENT] == "Giai đoạn 2019–2025"
    assert later[QUICK_ALL] == "Cả giai đoạn 2019–2026"
    assert later[QUICK_SINCE_MERGER] == "Từ khi sáp nhập (07/2025) đến nay"
    assert QUICK_SINCE_MERGER not in quick_picks(D(2019, 7, 1), D(2026, 10, 1), None)


# -- the merger on monthly charts ------------------------------------------------------------------

def _months(*labels):
    return pd.DataFrame({"Tháng": list(labels), "Hồ sơ tiếp nhận": [1] * len(labels),
                         "Tỷ lệ đúng hạn (%)": [90.0] * len(labels), "Tỷ lệ quá hạn (%)": [10.0] * len(labels),
                         "Điểm đánh giá TB": [80.0] * len(labels)})


def test_trend_charts_mark_the_merger_between_06_and_07_2025():
    df = _months("05/2025", "06/2025", "07/2025", "08/2025")
    for fig in (charts.make_trend_chart(df, merger=MERGER),):   # the report's (pages: light_charts, below)
        (line,) = [s for s in fig.layout.shapes if s.type == "line"]
        assert (line.x0, line.x1) == (1.5, 1.5)         # between category 1 (06/2025) and 2 (07/2025)
        assert [a.text for a in fig.layout.annotations if a.x == 1.5] == ["Sáp nhập 01/07/2025"]
    # not drawn when the chart does not reach 07/2025, or starts with it
    for labels in (("05/2025", "06/2025"), ("07/2025", "08/2025")):
        fig = charts.make_trend_chart(_months(*labels), merger=MERGER)
        assert not [s for s in fig.layout.shapes if s.type == "line"]


def _merger_marks(spec: dict) -> list[dict]:
    """The rule and text layers ui.light_charts adds for the merger (nested one level at most)."""
    out = []
    for layer in spec["layer"]:
        for part in layer.get("layer", [layer]):
            if part["mark"]["type"] in ("rule", "text"):
                out.append(part)
    return out


def test_overview_light_charts_mark_the_merger_at_07_2025():
    from ui import light_charts

    df = _months("05/2025", "06/2025", "07/2025", "08/2025")
    for spec in (light_charts.trend_spec(df, merger=MERGER), light_charts.score_trend_spec(df, merger=MERGER)):
        rule, text = _merger_marks(spec)
        # at the start of 07/2025's band: between 06/2025 and 07/2025
        assert rule["encoding"]["x"] == {"datum": "07/2025", "type": "ordinal", "bandPosition": 0}
        assert text["encoding"]["text"] == {"value": "Sáp nhập 01/07/2025"}
        assert spec["encoding"]["x"]["scale"]["domain"] == ["05/2025", "06/2025", "07/2025", "08/2025"]
    for labels in (("05/2025", "06/2025"), ("07/2025", "08/2025")):
        assert _merger_marks(light_charts.trend_spec(_months(*labels), merger=MERGER)) == []
    # no score in any month: nothing to draw (the page says so instead)
    assert light_charts.score_trend_spec(_months("05/2025").assign(**{"Điểm đánh giá TB": [None]})) is None


# -- pages -----------------------------------------------------------------------------------------

@pytest.fixture
def warehouse(tmp_path, monkeypatch) -> Path:
    path = build_warehouse(tmp_path / "wh.duckdb")
    monkeypatch.setenv("WAREHOUSE_DB", str(path))
    monkeypatch.setenv("AUDIT_DB", str(tmp_path / "audit.sqlite"))
    monkeypatch.delenv("DASHBOARD_ACCOUNTS", raising=False)
    return path


def run(username: str, params: dict, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_auth_username"] = username
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def header(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("Dữ liệu đến ngày"))


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_url_carries_the_map_and_the_tables_follow(warehouse):
    params = {"tu": "2025-05", "den": "2025-08"}
    asis = run("lanhdao", params, "app_pages/xep_hang.py")
    assert asis.radio(key="ban_do").value == "asis"
    assert len(frame_with(asis, "Hạng kỳ trước")) == 10
    new = run("lanhdao", {**params, "ban_do": "moi"}, "app_pages/xep_hang.py")
    assert new.radio(key="ban_do").value == "new"
    ranking = frame_with(new, "Hạng kỳ trước")
    assert list(ranking["Đơn vị"]) == ["Phòng Tư pháp", "Xã Phước Hữu", "Xã Phước Hậu", "Xã Phước Dinh"]
    assert "Địa giới: **Theo xã mới (từ 01/07/2025)**" in header(new)
    # the rule for combining the predecessors' scores is stated on the page, and Phước Dinh's note
    captions = " ".join(c.value for c in new.caption)
    assert "có trọng số theo số cán bộ, công chức, viên chức" in captions
    assert "Xã Phước Dinh (từ 01/07/2025) được hợp thành từ Xã An Hải" in captions
    # switching in the sidebar writes the URL
    asis.radio(key="ban_do").set_value("new").run()
    assert asis.query_params["ban_do"] in ("moi", ["moi"])
    assert len(frame_with(asis, "Hạng kỳ trước")) == 4


def test_a_commune_viewers_header_names_its_commune(warehouse):
    at = run("ninhphuoc", {"tu": "2025-05", "den": "2025-08"})
    text = header(at)
    assert "Đơn vị: **Xã Ninh Phước (phạm vi tài khoản)**" in text
    assert "tất cả đơn vị" not in text
    everyone = run("lanhdao", {"tu": "2025-05", "den": "2025-08"})
    assert "Đơn vị: **tất cả đơn vị**" in header(everyone)


def test_a_new_communes_viewer_ranks_among_all_communes(warehouse, monkeypatch, tmp_path):
    # the demo account of Xã Ninh Phước: its predecessors (Phước Dân, Phước Thuận, Phước Hải)
    # have no rows here, so it is not ranked; the ranking still lists the other communes' scores
    at = run("ninhphuoc", {"tu": "2025-05", "den": "2025-08", "ban_do": "moi"}, "app_pages/xep_hang.py")
    ranking = frame_with(at, "Hạng kỳ trước")
    assert list(ranking["Đơn vị"]) == ["Xã Phước Hữu", "Xã Phước Hậu", "Xã Phước Dinh"]
    assert ranking["Số kỳ đánh giá"].isna().all()
    # its other pages hold nothing of the other communes
    tthc = run("ninhphuoc", {"tu": "2025-05", "den": "2025-08", "ban_do": "moi"}, "app_pages/tthc.py")
    assert not any("Phước Hậu" in d.value.to_csv() for d in tthc.dataframe)


def test_on_the_new_map_the_unit_picker_offers_the_new_communes_and_carries_a_choice_over(warehouse):
    at = run("lanhdao", {"tu": "2025-05", "den": "2025-08", "xa": "xa-phuoc-vinh"})
    assert at.multiselect(key="xa").value == ["xa-phuoc-vinh"]
    at.radio(key="ban_do").set_value("new").run()
    picker = at.multiselect(key="xa")
    # Phước Vinh now counts under Xã Phước Hậu (from 01/07/2025): the choice follows it
    assert picker.value == ["xa-phuoc-hau-2025"]
    assert "Xã Phước Vinh" not in picker.options and "Xã Phước Hậu (đến 30/06/2025)" not in picker.options
    assert "Xã Phước Hậu" in picker.options and "Phòng Tư pháp" in picker.options
    # the overview now holds the whole new commune: V1 V2 S1 H1 H2 N1 N2 = 7 received
    assert {m.label: m.value for m in cards(at)}["Hồ sơ tiếp nhận"] == "7"


# -- a chosen unit out of office in the period (an old link, a department after the reform) -------

def _units(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit_id", "name", "kind", "valid_from", "valid_to"])


REGISTRY = _units(   # Vietnamese order, as metrics' unit_options gives it
    ("a", "Xã Alpha", "commune", None, D(2025, 6, 30)),
    ("b", "Xã Beta", "commune", None, D(2025, 6, 30)),
    ("n", "Xã Beta", "commune", D(2025, 7, 1), None),
    ("t", "Phòng Tư pháp", "department", None, D(2025, 6, 30)),
    ("s", "Sở Nội vụ", "department", D(2025, 7, 1), None),
)
UNDER = {"a": "n", "b": "n", "n": "n", "t": "t", "s": "s"}
LABELS = {"a": "Xã Alpha", "b": "Xã Beta (đến 30/06/2025)", "n": "Xã Beta (từ 01/07/2025)", "t": "Phòng Tư pháp",
          "s": "Sở Nội vụ"}


def _notes(chosen, start, end, first=None, last=None):
    return units_outside_period(REGISTRY, chosen, start, end, UNDER, LABELS, "P", first=first, last=last)


def test_units_out_of_office_in_the_period_are_named_with_what_they_became():
    ended, department = _notes(["b", "t"], D(2025, 8, 1), D(2025, 8, 31))
    assert ended.text == ("**Xã Beta** cũ hoạt động đến 30/06/2025, sau đó sáp nhập vào **Xã Beta** mới. "
                          "Kỳ P không có số liệu của đơn vị này.")
    assert (ended.action, ended.replace) == ("Xem Xã Beta (từ 01/07/2025)", ("b", "n"))
    assert department.text == "**Phòng Tư pháp** hoạt động đến 30/06/2025. Kỳ P không có số liệu của đơn vị này."
    assert department.action is None and department.replace is None
    # before its first day: a unit of its own is named; a new commune holds its predecessors' rows
    (later,) = _notes(["n", "s"], D(2024, 1, 1), D(2024, 12, 31))
    assert later.text == "**Sở Nội vụ** hoạt động từ 01/07/2025. Kỳ P không có số liệu của đơn vị này."
    # a day of the period in office is enough; an unknown unit is not named
    assert _notes(["a", "n", "t", "s", "x"], D(2025, 6, 30), D(2025, 7, 1)) == []
    assert _notes(["a"], D(2025, 6, 1), D(2025, 6, 30)) == []


def test_a_unit_with_no_other_unit_to_offer_offers_the_period_it_was_in_office():
    first, last = D(2024, 3, 1), D(2026, 2, 1)          # the months with data
    # Q3 2025 (3 months) for a department that ended 30/06/2025: its last 3 months, 04–06/2025
    (department,) = _notes(["t"], D(2025, 7, 1), D(2025, 9, 30), first, last)
    assert (department.action, department.months, department.replace) == ("Xem kỳ 04/2025 – 06/2025",
                                                                         ("2025-04", "2025-06"), None)
    # one month: that month; a year (12 months) from 01/2025 back: 07/2024 – 06/2025
    assert _notes(["t"], D(2025, 8, 1), D(2025, 8, 31), first, last)[0].months == ("2025-06", "2025-06")
    assert _notes(["t"], D(2025, 8, 1), D(2025, 8, 31), first, last)[0].action == "Xem kỳ 06/2025"
    assert _notes(["t"], D(2026, 1, 1), D(2026, 12, 31), first, last)[0].months == ("2024-07", "2025-06")
    # a range reaching before the first month with data starts at it (24 months: 03/2024 – 06/2025)
    assert _notes(["t"], D(2025, 7, 1), D(2027, 6, 30), first, last)[0].months == ("2024-03", "2025-06")
    # a unit that started later: the same length from its first month, up to the latest month with data
    (later,) = _notes(["s"], D(2024, 1, 1), D(2024, 6, 30), first, last)
    assert (later.action, later.months) == ("Xem kỳ 07/2025 – 12/2025", ("2025-07", "2025-12"))
    assert _notes(["s"], D(2024, 1, 1), D(2024, 12, 31), first, last)[0].months == ("2025-07", "2026-02")
    # nothing of it among the months with data: no button
    assert _notes(["t"], D(2025, 8, 1), D(2025, 8, 31), D(2025, 7, 1), last)[0].action is None
    assert _notes(["s"], D(2024, 1, 1), D(2024, 1, 31), first, D(2025, 6, 1))[0].action is None
    # an old commune whose new commune can be picked keeps that offer (one button, not two)
    (ended,) = _notes(["b"], D(2025, 8, 1), D(2025, 8, 31), first, last)
    assert (ended.replace, ended.months) == (("b", "n"), None)


def test_a_viewers_assigned_units_out_of_office_say_what_to_ask_for():
    def assigned(scope, picked=False):   # a viewer's units are its scope's (metrics' unit_options)
        units = REGISTRY[REGISTRY["unit_id"].isin(scope)]
        return units_outside_period(units, scope, D(2025, 8, 1), D(2025, 8, 31), UNDER, LABELS, "P",
                                    assigned=not picked)

    (old,) = assigned(["b"])
    assert old.text == ("Tài khoản được giao **Xã Beta** cũ, hoạt động đến 30/06/2025, sau đó sáp nhập vào "
                        "**Xã Beta** mới. Kỳ P không có số liệu của đơn vị này. Để xem xã mới (gồm cả số liệu "
                        "các xã cũ sáp nhập vào), đề nghị người quản trị giao **Xã Beta (từ 01/07/2025)** cho "
                        "tài khoản.")
    assert old.action is None and old.replace is None        # the viewer cannot pick another unit
    # ... but may look at the months its unit was in office (with the months with data known)
    (old_months,) = units_outside_period(REGISTRY[REGISTRY["unit_id"] == "b"], ["b"], D(2025, 8, 1),
                                         D(2025, 9, 30), UNDER, LABELS, "P", assigned=True,
                                         first=D(2024, 1, 1), last=D(2026, 1, 1))
    assert (old_months.text, old_months.replace) == (old.text, None)
    assert (old_months.action, old_months.months) == ("Xem kỳ 05/2025 – 06/2025", ("2025-05", "2025-06"))
    (department,) = assigned(["t"])
    assert department.text == ("Tài khoản được giao **Phòng Tư pháp**, hoạt động đến 30/06/2025. "
                               "Kỳ P không có số liệu của đơn vị này.")
    assert assigned(["b", "n"]) == []                        # the new commune's rows are shown
    # the viewer picks its old commune in the sidebar (its only choice): the same, without "account"
    (picked,) = assigned(["b"], picked=True)
    assert picked.text == ("**Xã Beta** cũ hoạt động đến 30/06/2025, sau đó sáp nhập vào **Xã Beta** mới. "
                           "Kỳ P không có số liệu của đơn vị này. Để xem xã mới (gồm cả số liệu các xã cũ sáp "
                           "nhập vào), đề nghị người quản trị giao **Xã Beta (từ 01/07/2025)** cho tài khoản.")
    assert picked.action is None


def _info(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def test_an_old_communes_link_after_the_merger_says_so_and_offers_its_new_commune(warehouse):
    at = run("lanhdao", {"tu": "2025-08", "den": "2025-08", "xa": "xa-phuoc-son"})
    assert ("**Xã Phước Sơn** cũ hoạt động đến 30/06/2025, sau đó sáp nhập vào **Xã Phước Hậu** mới. "
            "Kỳ 08/2025 không có số liệu của đơn vị này.") in _info(at)
    at.button(key="unit-note-0").click().run()
    assert at.multiselect(key="xa").value == [HAU_NEW]
    assert not any("hoạt động" in t for t in _info(at))
    assert {m.label: m.value for m in cards(at)}["Hồ sơ tiếp nhận"] == "1"      # N2 (04/08)
    # in a period it was in office, nothing is said
    assert not any("hoạt động" in t for t in _info(run("lanhdao", {"tu": "2025-05", "den": "2025-08",
                                                                    "xa": "xa-phuoc-son"})))


def test_a_department_after_the_reform_is_named_and_a_new_commune_before_it_is_not(warehouse):
    at = run("lanhdao", {"tu": "2025-08", "den": "2025-08", "xa": "p-tu-phap"}, "app_pages/tthc.py")
    assert "**Phòng Tư pháp** hoạt động đến 30/06/2025. Kỳ 08/2025 không có số liệu của đơn vị này." in _info(at)
    # no other unit to offer: its last month in office, one tap (06/2025: T2 received and returned)
    assert at.button(key="unit-note-0").label == "Xem kỳ 06/2025"
    at.button(key="unit-note-0").click().run()
    assert (at.selectbox(key="tu").value, at.selectbox(key="den").value) == ("2025-06", "2025-06")
    assert at.multiselect(key="xa").value == ["p-tu-phap"] and not any("hoạt động" in t for t in _info(at))
    metrics = {m.label: m.value for m in cards(at)}
    assert (metrics["Hồ sơ đã giải quyết"], metrics["Tỷ lệ trễ hạn"]) == ("1", "0,0 %")
    # two months chosen: its last two, 05–06/2025 (T1 returned late on 09/05, T2 in time)
    two = run("lanhdao", {"tu": "2025-07", "den": "2025-08", "xa": "p-tu-phap"}, "app_pages/tthc.py")
    assert two.button(key="unit-note-0").label == "Xem kỳ 05/2025 – 06/2025"
    two.button(key="unit-note-0").click().run()
    metrics = {m.label: m.value for m in cards(two)}
    assert (metrics["Hồ sơ đã giải quyết"], metrics["Tỷ lệ trễ hạn"]) == ("2", "50,0 %")
    # Xã Phước Hậu (from 01/07/2025) in 05/2025 holds its predecessors' rows: V1 and H1 returned
    new = run("lanhdao", {"tu": "2025-05", "den": "2025-05", "xa": HAU_NEW}, "app_pages/tthc.py")
    assert not any("hoạt động" in t for t in _info(new))
    assert {m.label: m.value for m in cards(new)}["Hồ sơ đã giải quyết"] == "2"


def test_a_viewer_of_an_old_commune_is_told_which_commune_to_ask_for(warehouse):
    # the demo account phuochau (.streamlit/accounts.toml) is assigned the old Xã Phước Hậu
    at = run("phuochau", {"tu": "2025-08", "den": "2025-08"})
    assert ("Tài khoản được giao **Xã Phước Hậu** cũ, hoạt động đến 30/06/2025, sau đó sáp nhập vào "
            "**Xã Phước Hậu** mới. Kỳ 08/2025 không có số liệu của đơn vị này. Để xem xã mới (gồm cả số liệu "
            "các xã cũ sáp nhập vào), đề nghị người quản trị giao **Xã Phước Hậu (từ 01/07/2025)** cho "
            "tài khoản.") in _info(at)
    assert any("Xã Phước Hậu (đến 30/06/2025)" in c.value for c in at.sidebar.caption)   # the account box
    at.button(key="unit-note-0").click().run()          # its last month in office, one tap
    assert not any("Tài khoản được giao" in t for t in _info(at))
    assert {m.label: m.value for m in cards(at)}["Hồ sơ tiếp nhận"] == "1"       # H2 (30/06)
    assert not any("Tài khoản được giao" in t for t in _info(run("phuochau", {"tu": "2025-05", "den": "2025-08"})))
    # picking it in the sidebar (its one choice): the same news, and no button to a unit it may not see
    picked = run("phuochau", {"tu": "2025-08", "den": "2025-08", "xa": "xa-phuoc-hau"})
    (note,) = [t for t in _info(picked) if "cũ hoạt động" in t]
    # its Tổng quan list is the public ranking, which ignores the choice: not "among the chosen"
    assert not any("Thứ hạng chỉ tính trong các đơn vị đã chọn" in c.value for c in picked.caption)
    assert note.endswith("đề nghị người quản trị giao **Xã Phước Hậu (từ 01/07/2025)** cho tài khoản.")
    # no button to a unit it may not see; its own commune's last month instead (H2 received 30/06)
    assert [b.label for b in picked.button if (b.key or "").startswith("unit-note-")] == ["Xem kỳ 06/2025"]
    picked.button(key="unit-note-0").click().run()
    assert (picked.selectbox(key="tu").value, picked.selectbox(key="den").value) == ("2025-06", "2025-06")
    assert not any("cũ hoạt động" in t for t in _info(picked))
    assert {m.label: m.value for m in cards(picked)}["Hồ sơ tiếp nhận"] == "1"
