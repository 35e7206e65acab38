"""The pure helpers behind the pages: Vietnamese formats, quick period picks, trend window,
the Biểu 06 HTML. Expected values written by hand."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics.filters import Filters
from ui.bieu06 import bieu06_html, table_html, title_html
from ui.filters import QUICK_ALL, QUICK_MONTH, QUICK_QUARTER, QUICK_YEAR, quick_range, trend_window
from ui.format import (month_end, month_range, period_label, vn_date, vn_datetime, vn_int, vn_month,
                       vn_num, vn_pct, vn_signed)

D = dt.date


@pytest.mark.parametrize("value, text", [
    (0, "0"), (7, "7"), (1234, "1.234"), (1234567, "1.234.567"), (-1500, "-1.500"), (12.0, "12"),
    (None, "–"), (float("nan"), "–"), (pd.NA, "–"),
])
def test_vn_int(value, text):
    assert vn_int(value) == text


@pytest.mark.parametrize("value, text", [
    (92.46, "92,5 %"), (92.44, "92,4 %"), (92.45, "92,5 %"), (100, "100,0 %"), (0, "0,0 %"),
    (66.666666, "66,7 %"), (None, "–"), (float("nan"), "–"),
])
def test_vn_pct(value, text):
    assert vn_pct(value) == text


def test_vn_num_and_signed():
    assert vn_num(1234.56) == "1.234,6"
    assert vn_num(68.333) == "68,3"
    assert vn_signed(2.5, unit=" điểm %") == "+2,5 điểm %"
    assert vn_signed(-7.54, unit=" điểm %") == "-7,5 điểm %"
    assert vn_signed(0.01) == "0,0"
    assert vn_signed(3, decimals=0) == "+3"
    assert vn_signed(None) == "–"


def test_dates_have_no_time_of_day():
    assert vn_date(D(2025, 6, 30)) == "30/06/2025"
    assert vn_date(pd.Timestamp("2025-06-30 00:00:00")) == "30/06/2025"
    assert vn_date(dt.datetime(2025, 1, 2, 13, 4)) == "02/01/2025"
    assert vn_date("2022-03-09") == "09/03/2022"
    assert vn_date(None) == "–"
    assert vn_datetime("2025-01-02 13:04") == "02/01/2025 13:04"
    assert vn_datetime("2025-01-02 00:00:00") == "02/01/2025"
    assert vn_month("2022-01") == "01/2022" and vn_month(D(2025, 6, 1)) == "06/2025"


def test_months():
    assert month_end(D(2024, 2, 1)) == D(2024, 2, 29)
    assert month_end(D(2025, 12, 1)) == D(2025, 12, 31)
    assert month_range(D(2024, 11, 15), D(2025, 2, 1)) == [D(2024, 11, 1), D(2024, 12, 1), D(2025, 1, 1), D(2025, 2, 1)]
    assert period_label(D(2022, 1, 1), D(2022, 3, 31)) == "01/2022 – 03/2022"
    assert period_label(D(2022, 3, 1), D(2022, 3, 31)) == "03/2022"


@pytest.mark.parametrize("pick, expected", [
    (QUICK_MONTH, (D(2025, 5, 1), D(2025, 5, 1))),
    (QUICK_QUARTER, (D(2025, 4, 1), D(2025, 5, 1))),
    (QUICK_YEAR, (D(2025, 1, 1), D(2025, 5, 1))),
    (QUICK_ALL, (D(2019, 1, 1), D(2025, 5, 1))),
])
def test_quick_picks_are_relative_to_the_latest_month_with_data(pick, expected):
    assert quick_range(pick, D(2019, 1, 1), D(2025, 5, 1)) == expected


def test_quick_pick_never_starts_before_the_first_data():
    assert quick_range(QUICK_YEAR, D(2025, 3, 1), D(2025, 5, 1)) == (D(2025, 3, 1), D(2025, 5, 1))


def test_trend_window_widens_short_periods_to_twelve_months():
    one_month = Filters(D(2025, 6, 1), D(2025, 6, 30), units=("xa-an-hai",))
    w = trend_window(one_month, D(2019, 1, 1))
    assert (w.date_from, w.date_to, w.units) == (D(2024, 7, 1), D(2025, 6, 30), ("xa-an-hai",))
    assert trend_window(one_month, D(2025, 1, 1)).date_from == D(2025, 1, 1)
    two_years = Filters(D(2023, 1, 1), D(2024, 12, 31))
    assert trend_window(two_years, D(2019, 1, 1)).date_from == D(2023, 1, 1)


def test_bieu06_html_has_the_form_title_and_13_numbered_columns():
    lines = ["Biểu số 06/VPCP/KSTT",
             "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
             "(Từ ngày 01/03/2022 đến ngày 31/03/2022)", "Đơn vị tính: Số hồ sơ TTHC"]
    df = pd.DataFrame(
        [["I", "Cấp huyện", 1200, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
         ["1", "Hộ tịch", 1200, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
         [None, "Tổng cộng", 1200, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
        columns=[f"({i})" for i in range(1, 14)])
    html = bieu06_html(lines, df)
    for line in lines:
        assert line in html
    assert [f"<th>({i})</th>" in html for i in range(1, 14)] == [True] * 13
    for heading in ("Số hồ sơ nhận giải quyết", "Số hồ sơ đã giải quyết", "Số hồ sơ đang giải quyết",
                    "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước", "Trước hạn",
                    "Đúng hạn", "Quá hạn", "Trong hạn", "Lĩnh vực, công việc giải quyết theo cấp"):
        assert heading in html
    body = table_html(df)
    assert body.count("<tr class=\"b06-group\">") == 1 and body.count("<tr class=\"b06-total\">") == 1
    assert "<td>1.200</td>" in body                 # thousands with a dot
    assert "nan" not in body.lower() and "None" not in body


def test_title_lines_are_escaped():
    assert "&lt;b&gt;" in title_html(["<b>"])


# -- review fixes: unit names, the commitment pivot, chart builders -------------------------------

from ui import charts, light_charts  # noqa: E402
from metrics.display import commitment_pivot, drop_validity_suffix, short_of_full  # noqa: E402


@pytest.mark.parametrize("name, date_from, date_to, shown", [
    # the old commune, in a period that ends before its successor starts: no suffix needed
    ("Xã Phước Hậu (đến 30/06/2025)", D(2025, 6, 1), D(2025, 6, 30), "Xã Phước Hậu"),
    ("Xã Phước Hậu (đến 30/06/2025)", D(2022, 1, 1), D(2022, 3, 31), "Xã Phước Hậu"),
    # a period reaching past the change can hold both: keep it
    ("Xã Phước Hậu (đến 30/06/2025)", D(2025, 1, 1), D(2025, 12, 31), "Xã Phước Hậu (đến 30/06/2025)"),
    # the new commune: dropped from its first day on, kept for a period starting earlier
    ("Xã Phước Hậu (từ 01/07/2025)", D(2025, 7, 1), D(2025, 9, 30), "Xã Phước Hậu"),
    ("Xã Phước Hậu (từ 01/07/2025)", D(2025, 6, 1), D(2025, 7, 31), "Xã Phước Hậu (từ 01/07/2025)"),
    # other parentheses and other values untouched
    ("Hội Nạn nhân chất độc da cam/dioxin huyện", D(2025, 6, 1), D(2025, 6, 30),
     "Hội Nạn nhân chất độc da cam/dioxin huyện"),
    ("Xã A (cũ)", D(2025, 6, 1), D(2025, 6, 30), "Xã A (cũ)"),
    (None, D(2025, 6, 1), D(2025, 6, 30), None),
])
def test_drop_validity_suffix(name, date_from, date_to, shown):
    assert drop_validity_suffix(name, date_from, date_to) == shown


def _long_commitments() -> pd.DataFrame:
    # Two units, three commitments; Xã B has no row for the third one.
    return pd.DataFrame({
        "Đơn vị": ["Xã A", "Xã A", "Xã A", "Xã B", "Xã B"],
        "Cam kết": ["Văn hóa công sở", "Cơ quan không khói thuốc lá",
                    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
                    "Văn hóa công sở", "Cơ quan không khói thuốc lá"],
        "Số CBCCVC": pd.array([10, 10, 10, 8, 8], dtype="Int64"),
        "Đã ký": pd.array([10, 9, 7, 8, 8], dtype="Int64"),
        "Tỷ lệ (%)": [100.0, 90.0, 70.0, 100.0, 100.0],
        "Còn thiếu": pd.array([0, 1, 3, 0, 0], dtype="Int64"),
    })


def test_commitment_pivot_one_row_per_unit():
    pivot = commitment_pivot(_long_commitments())
    assert list(pivot.columns) == ["Đơn vị", "Còn thiếu", "Văn hóa công sở (%)", "Không khói thuốc lá (%)",
                                   "Học tập và làm theo Bác (%)", "Số CBCCVC"]
    assert list(pivot["Đơn vị"]) == ["Xã A", "Xã B"]
    assert list(pivot["Còn thiếu"]) == [4, 0]                    # 0 + 1 + 3
    assert list(pivot["Không khói thuốc lá (%)"]) == [90.0, 100.0]
    assert pivot["Học tập và làm theo Bác (%)"].iloc[0] == 70.0
    assert pd.isna(pivot["Học tập và làm theo Bác (%)"].iloc[1])  # no row: empty, not 0
    assert list(pivot["Số CBCCVC"]) == [10, 8]
    assert str(pivot["Còn thiếu"].dtype) == "Int64"
    assert list(short_of_full(pivot)) == [True, False]


def test_commitment_pivot_leaves_out_headcount_that_differs_between_commitments():
    long = _long_commitments()
    long.loc[1, "Số CBCCVC"] = 11
    assert "Số CBCCVC" not in commitment_pivot(long).columns


def test_coverage_bars_are_grouped_and_start_at_zero():
    df = pd.DataFrame({"Năm": [2025, 2025], "Cam kết": ["Văn hóa công sở", "Cơ quan không khói thuốc lá"],
                       "Tỷ lệ (%)": [98.5, 100.0]})
    fig = charts.make_coverage_bar_chart(df, x="Năm", y="Tỷ lệ (%)", series="Cam kết",
                                         short_names={"Cơ quan không khói thuốc lá": "Không khói thuốc lá"})
    assert fig.layout.barmode == "group"
    assert [t.type for t in fig.data] == ["bar", "bar"]
    assert [t.name for t in fig.data] == ["Văn hóa công sở", "Không khói thuốc lá"]
    assert [list(t.text) for t in fig.data] == [["98,5"], ["100,0"]]
    assert tuple(fig.layout.yaxis.range) == (0, 100.5)


# -- the Vega-Lite charts of Giải quyết TTHC and Cam kết (ui/light_charts.py) -----------------------

def _layers(spec: dict) -> list[dict]:
    """Every leaf layer of a spec (nested one level at most)."""
    return [part for layer in spec["layer"] for part in layer.get("layer", [layer])]


def _marks(spec: dict, kind: str) -> list[dict]:
    return [layer for layer in _layers(spec) if layer["mark"]["type"] == kind]


def test_coverage_bar_spec_groups_the_commitments_of_each_year_from_zero():
    from ui import light_charts
    from ui.charts import BLUE, GREEN

    df = pd.DataFrame({"Năm": [2024, 2024, 2025, 2025],
                       "Cam kết": ["Văn hóa công sở", "Cơ quan không khói thuốc lá"] * 2,
                       "Tỷ lệ (%)": [98.5, 100.0, 7.0, 99.25]})
    spec = light_charts.coverage_bar_spec(df, x="Năm", y="Tỷ lệ (%)", series="Cam kết",
                                          short_names={"Cơ quan không khói thuốc lá": "Không khói thuốc lá"})
    rows = spec["data"]["values"]
    assert [(r["x"], r["s"], r["text"]) for r in rows] == [
        ("2024", "Văn hóa công sở", "98,5"), ("2024", "Không khói thuốc lá", "100,0"),
        ("2025", "Văn hóa công sở", "7,0"), ("2025", "Không khói thuốc lá", "99,3")]
    # the tooltip keeps the full name; 7 % is written above its bar (too short for the text)
    assert rows[1]["tip"] == "2024 · Cơ quan không khói thuốc lá · 100,0 % đã ký"
    assert [r["inside"] for r in rows] == [True, True, False, True]
    # grouped: the commitments side by side within a year (xOffset), not stacked
    assert spec["encoding"]["xOffset"]["field"] == "s" and spec["encoding"]["x"]["sort"] == ["2024", "2025"]
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, 100.5]       # bars start at zero
    assert spec["encoding"]["y"]["axis"]["values"] == [0, 25, 50, 75, 100]
    (bar,) = _marks(spec, "bar")
    assert bar["encoding"]["color"]["scale"] == {"domain": ["Văn hóa công sở", "Không khói thuốc lá"],
                                                 "range": [BLUE, GREEN]}
    assert len(_marks(spec, "text")) == 2
    # a name without a short form is cut at 30 characters in the key
    long = df.assign(**{"Cam kết": ["Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"] * 4})
    assert {r["s"] for r in light_charts.coverage_bar_spec(long, x="Năm", y="Tỷ lệ (%)", series="Cam kết")
            ["data"]["values"]} == {"Học tập và làm theo tư tưởng,…"}
    assert light_charts.coverage_bar_spec(df.assign(**{"Tỷ lệ (%)": None}), x="Năm", y="Tỷ lệ (%)",
                                          series="Cam kết") is None


def test_target_bar_spec_colours_each_side_of_the_target_and_draws_the_line():
    from ui import light_charts
    from ui.charts import BLUE, GREEN, RED

    long_a = "Ủy ban nhân dân xã Phước Thuận huyện Ninh Phước"
    long_b = "Ủy ban nhân dân xã Phước Thuận huyện Ninh Sơn"
    df = pd.DataFrame({"Đơn vị": ["Xã A", long_a, long_b, "Xã C", "Xã D"],
                       "Tỷ lệ": [92.5, 85.0, 90.0, None, 20.0]})
    spec = light_charts.target_bar_spec(df, group="Đơn vị", value="Tỷ lệ", target=90.0)
    rows = spec["data"]["values"]
    # the table's order, first at the top (sort None); Xã C has no value
    assert [r["label"] for r in rows] == ["Xã A", "Ủy ban nhân dân xã Phướ…", "Ủy ban nhân dân xã Phướ…\u200b",
                                          "Xã D"]
    assert spec["layer"][0]["encoding"]["y"]["sort"] is None
    assert [r["color"] for r in rows] == [GREEN, RED, GREEN, RED]       # 90,0 is on target
    assert [r["text"] for r in rows] == ["92,5 %", "85,0 %", "90,0 %", "20,0 %"]
    assert [r["tip"] for r in rows] == ["Xã A · 92,5 %", f"{long_a} · 85,0 %", f"{long_b} · 90,0 %",
                                        "Xã D · 20,0 %"]
    # the axis to 92,5 x 1,15; 20 % is under 30 % of it (31,9): written beside the bar
    assert rows[0]["top"] == pytest.approx(106.375)
    assert [r["inside"] for r in rows] == [True, True, True, False]
    (rule,) = _marks(spec, "rule")
    assert rule["encoding"] == {"x": {"datum": 90.0, "type": "quantitative"}}    # the whole height
    label = next(t for t in _marks(spec, "text") if "value" in t["encoding"]["text"])
    assert label["encoding"]["text"]["value"] == "Mục tiêu 90 %"
    assert spec["height"] == {"step": 26}     # grows with the number of units
    # the spec does not depend on the numbers: another month's values, the same spec
    other = light_charts.target_bar_spec(df.assign(**{"Tỷ lệ": [50.0, 60.0, 70.0, None, 99.0]}),
                                         group="Đơn vị", value="Tỷ lệ", target=90.0)
    assert {k: v for k, v in other.items() if k != "data"} == {k: v for k, v in spec.items() if k != "data"}

    # Văn hóa công sở: lower is better, not judged (all blue), a plain number, "Tham khảo 20"
    ratio = pd.DataFrame({"Đơn vị": ["Xã A", "Xã B"], "Tỷ lệ": [13.8, 25.0]})
    judged = light_charts.target_bar_spec(ratio, group="Đơn vị", value="Tỷ lệ", target=20.0,
                                          higher_is_better=False)
    assert [r["color"] for r in judged["data"]["values"]] == [GREEN, RED]
    plain = light_charts.target_bar_spec(ratio, group="Đơn vị", value="Tỷ lệ", target=20.0, higher_is_better=False,
                                         judge=False, percent=False, marker_label="Tham khảo")
    assert [r["color"] for r in plain["data"]["values"]] == [BLUE, BLUE]
    assert [r["text"] for r in plain["data"]["values"]] == ["13,8", "25,0"]
    assert next(t for t in _marks(plain, "text") if "value" in t["encoding"]["text"])[
        "encoding"]["text"]["value"] == "Tham khảo 20"
    assert light_charts.target_bar_spec(df.iloc[3:4], group="Đơn vị", value="Tỷ lệ", target=90.0) is None


def test_rate_bar_spec_highest_first_with_the_dossier_count():
    from ui import light_charts
    from ui.charts import RED

    df = pd.DataFrame({"Đơn vị": ["Xã A", "Xã B", "Xã C", "Xã D"], "Tỷ lệ quá hạn (%)": [0.0, 12.5, 40.0, None],
                       "Đã giải quyết": [5, 8, 1200, 3]})
    spec = light_charts.rate_bar_spec(df, group="Đơn vị", rate="Tỷ lệ quá hạn (%)", count="Đã giải quyết",
                                      only_positive=True)
    rows = spec["data"]["values"]
    assert [r["label"] for r in rows] == ["Xã C", "Xã B"]           # highest at the top, no 0 %
    assert [r["tip"] for r in rows] == ["Xã C · 40,0 % của 1.200 hồ sơ", "Xã B · 12,5 % của 8 hồ sơ"]
    assert [r["text"] for r in rows] == ["40,0 %", "12,5 %"]
    assert rows[0]["top"] == pytest.approx(46.0)                      # 40 x 1,15
    assert [r["inside"] for r in rows] == [True, False]               # 12,5 < 30 % of 46
    assert spec["layer"][0]["encoding"]["color"] == {"value": RED}
    assert spec["layer"][0]["encoding"]["x"]["axis"]["labelExpr"] == "datum.label + ' %'"
    # every group (0 % too) without only_positive; at most `top`; the axis at least to 10 %
    every = light_charts.rate_bar_spec(df, group="Đơn vị", rate="Tỷ lệ quá hạn (%)", top=3)
    assert [r["label"] for r in every["data"]["values"]] == ["Xã C", "Xã B", "Xã A"]
    small = light_charts.rate_bar_spec(df.assign(**{"Tỷ lệ quá hạn (%)": [0.0, 2.0, 0.0, None]}),
                                       group="Đơn vị", rate="Tỷ lệ quá hạn (%)", only_positive=True)
    assert small["data"]["values"][0]["top"] == 10.0
    assert light_charts.rate_bar_spec(df.iloc[[0, 3]], group="Đơn vị", rate="Tỷ lệ quá hạn (%)",
                                      only_positive=True) is None


def test_satisfaction_trend_spec_marks_months_below_the_target():
    from ui import light_charts
    from ui.charts import BLUE, GREEN, ORANGE, RED

    df = pd.DataFrame({"Tháng": ["03/2024", "04/2024", "05/2024", "06/2024"],
                       "Tỷ lệ rất hài lòng (%)": [None, 92.5, 90.0, 88.0],
                       "Tỷ lệ hài lòng trở lên (%)": [None, 99.0, 98.5, 97.0]})
    spec = light_charts.satisfaction_trend_spec(df, target=90.0)
    rows = spec["data"]["values"]
    assert [r["month"] for r in rows] == ["04/2024", "05/2024", "06/2024"]     # 03/2024: no answer
    assert [r["dot"] for r in rows] == [GREEN, GREEN, RED]                    # 90,0 meets the target
    assert rows[2]["tip_very"] == "06/2024 · Rất hài lòng: 88,0 %"
    assert rows[0]["tip_sat"] == "04/2024 · Hài lòng trở lên: 99,0 %"
    assert {r["low"] for r in rows} == {83.0}                                 # 88 - 5
    lines = _marks(spec, "line")
    assert [ln["encoding"]["color"]["datum"] for ln in lines] == ["Hài lòng trở lên", "Rất hài lòng"]
    assert lines[0]["encoding"]["color"]["scale"]["range"] == ["#9ec5e8", BLUE]
    assert [ln["mark"]["strokeWidth"] for ln in lines] == [2, 2.5]            # the thin one: satisfied
    (dots,) = _marks(spec, "circle")
    assert dots["encoding"]["fill"] == {"field": "dot", "type": "nominal", "scale": None, "legend": None}
    (rule,) = _marks(spec, "rule")
    assert rule["mark"]["color"] == ORANGE and rule["mark"]["strokeDash"]
    assert rule["encoding"] == {"y": {"datum": 90.0, "type": "quantitative"}}   # across the plot
    (label,) = _marks(spec, "text")
    assert label["encoding"]["text"] == {"value": "Mục tiêu 90 %"}
    assert lines[0]["encoding"]["x"]["scale"]["domain"] == ["04/2024", "05/2024", "06/2024"]
    assert lines[0]["encoding"]["y"]["scale"]["domainMax"] == 101
    # without the satisfied column: the very-satisfied line alone
    alone = light_charts.satisfaction_trend_spec(df.drop(columns="Tỷ lệ hài lòng trở lên (%)"))
    assert [ln["encoding"]["color"]["datum"] for ln in _marks(alone, "line")] == ["Rất hài lòng"]
    assert light_charts.satisfaction_trend_spec(df.iloc[:1]) is None


def test_score_bars_have_a_key_per_band_in_score_order():
    long = "Trung tâm Phục vụ hành chính công tỉnh Ninh Thuận"
    df = pd.DataFrame({"Đơn vị": ["Xã A", "Xã B", "Xã C", "Xã D", long, "Xã E"],
                       "Điểm TB": [95.0, 72.0, 91.0, 45.0, 72.0, None]})
    spec = light_charts.score_bar_spec(df)
    rows = spec["data"]["values"]
    # best at the top (the axis keeps the data's order), a tie in the table's order; no score, no bar
    assert spec["encoding"]["y"]["sort"] is None
    assert [r["label"] for r in rows] == ["Xã A", "Xã C", "Xã B", "Trung tâm Phục vụ hành…", "Xã D"]
    assert [r["text"] for r in rows] == ["95,0", "91,0", "72,0", "72,0", "45,0"]
    assert rows[3]["tip"] == long + " · Điểm TB: 72,0"           # the full name in the tooltip
    assert [r["band"] for r in rows] == ["Từ 90: xuất sắc", "Từ 90: xuất sắc", "70 – dưới 90: tốt",
                                         "70 – dưới 90: tốt", "Dưới 50: không hoàn thành"]
    # a key per band present, in score order, in the band's colour
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Từ 90: xuất sắc", "70 – dưới 90: tốt", "Dưới 50: không hoàn thành"]
    assert scale["range"] == ["#2e7d32", "#1f5f99", "#c62828"]
    assert spec["height"] == {"step": 26}                          # 26 px per unit
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert light_charts.score_bar_spec(df.iloc[5:]) is None        # Xã E only: nothing to draw


def test_heatmap_shows_values_up_to_twelve_months():
    def heat(n_months):
        months = [f"{m:02d}/2024" for m in range(1, 13)] + ["01/2025"]
        return pd.DataFrame({"Đơn vị": ["Xã A"] * n_months, "Tháng": months[:n_months],
                             "Điểm": [90.0] * n_months})
    twelve, thirteen = light_charts.heatmap_spec(heat(12)), light_charts.heatmap_spec(heat(13))
    assert [layer["mark"]["type"] for layer in twelve["layer"]] == ["rect", "text"]
    assert [layer["mark"]["type"] for layer in thirteen["layer"]] == ["rect"]
    # the text only where a cell is wide enough for it (a phone: not)
    assert twelve["layer"][1]["mark"]["opacity"] == {"expr": "bandwidth('x') >= 34 ? 1 : 0"}


def test_heatmap_cells_order_colours_and_tooltips():
    df = pd.DataFrame({"Đơn vị": ["Xã B", "Xã B", "Xã A", "Xã A", "Xã A"],
                       "Tháng": ["02/2024", "03/2024", "12/2023", "01/2024", "02/2024"],
                       "Điểm": [100.0, 60.0, 45.0, None, 5.0]})
    spec = light_charts.heatmap_spec(df)
    rows = spec["data"]["values"]
    # units in the order they come (the first at the top), months in time order although the
    # first unit starts later; no cell for a month without a score
    assert [(r["unit"], r["ui"], r["month"], r["mi"]) for r in rows] == [
        ("Xã B", 0, "02/2024", 1), ("Xã B", 0, "03/2024", 2), ("Xã A", 1, "12/2023", 0), ("Xã A", 1, "02/2024", 1)]
    assert spec["encoding"]["x"]["sort"] == {"field": "mi", "op": "min"}
    assert spec["encoding"]["y"]["sort"] == {"field": "ui", "op": "min"}
    assert [r["text"] for r in rows] == ["100,0", "60,0", "45,0", "5,0"]
    assert rows[0]["tip"] == "Xã B · 02/2024: 100,0 điểm"
    # white text on the dark green and dark red ends, dark text on yellow-green
    assert [r["dark"] for r in rows] == [True, False, False, True]
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == [0, 50, 70, 100]
    assert scale["range"] == ["#c62828", "#f6d55c", "#9ccc65", "#2e7d32"]
    assert spec["height"] == {"step": 24}
    assert light_charts.heatmap_spec(df.iloc[3:4]) is None


def test_unit_history_bands_are_labelled():
    df = pd.DataFrame({"Tháng": ["01/2025", "02/2025", "03/2025"], "Điểm": [88.0, 91.0, None],
                       "Hạng": [3, 1, None]})
    spec = light_charts.unit_history_spec(df, rank="Hạng", merger=D(2025, 2, 1))
    lines, labels = spec["layer"][0], spec["layer"][3]
    bands = [{"level": 90, "name": "Xuất sắc ≥ 90"}, {"level": 70, "name": "Tốt ≥ 70"},
             {"level": 50, "name": "Hoàn thành ≥ 50"}]
    assert lines["data"]["values"] == bands and labels["data"]["values"] == bands
    assert lines["encoding"]["color"]["scale"]["range"] == ["#2e7d32", "#1f5f99", "#ef6c00"]
    assert lines["mark"]["type"] == "rule" and lines["mark"]["strokeDash"]       # dotted, under the score
    assert spec["layer"][1]["mark"]["type"] == "line"
    assert labels["encoding"]["text"] == {"field": "name"}                        # named, over the score
    assert [layer["mark"]["type"] for layer in labels["layer"]] == ["text", "text"]
    rows = spec["data"]["values"]
    assert [r["tip"] for r in rows] == ["01/2025 · Điểm: 88,0 · Hạng: 3", "02/2025 · Điểm: 91,0 · Hạng: 1"]
    assert {r["low"] for r in rows} == {40.0}                      # 88 - 10, at most 40: the bands show
    (merger,) = spec["layer"][4:]
    assert merger["data"] == {"values": [{}]}                      # drawn once
    assert [layer["encoding"]["text"] for layer in merger["layer"] if layer["mark"]["type"] == "text"] == [
        {"value": "Sáp nhập 01/02/2025"}]
    assert len(light_charts.unit_history_spec(df, rank="Hạng")["layer"]) == 4
    assert light_charts.unit_history_spec(df.iloc[2:], rank="Hạng") is None


def test_short_labels_keep_the_validity_that_tells_namesakes_apart():
    from ui.charts import short_label
    # 30 characters: the name is kept whole, the validity as its year (24 = 13 + 11)
    assert short_label("Xã Diên Quang (đến 30/06/2025)") == "Xã Diên Quang (đến 2025)"
    assert short_label("Xã Cam Lộc (từ 01/07/2025)") == "Xã Cam Lộc (từ 2025)"
    # a long name is cut before the validity, not through it: 12 characters + "…" + 11
    assert short_label("Thị trấn Phước Dân (đến 30/06/2025)") == "Thị trấn Phư… (đến 2025)"
    # short enough as it is; a name without a validity is cut at the end as before
    assert short_label("Xã A (đến 30/06/2025)") == "Xã A (đến 30/06/2025)"
    assert short_label("Phòng Kinh tế – Hạ tầng và Đô thị") == "Phòng Kinh tế – Hạ tầng…"


def test_namesakes_carry_their_validity_as_the_tables_write_it():
    # Plain shared names (a frame not from metrics) get the full dates, as the tables and the
    # account box write them; names that metrics already made distinct stay as they are; and on
    # the new map the one namesake offered loses its suffix.
    from ui.filters import plain_labels, unit_labels
    units = pd.DataFrame({
        "unit_id": ["old", "new", "x", "y"],
        "name": ["Xã Beta", "Xã Beta", "Xã Gamma (đến 30/06/2025)", "Phòng Tư pháp"],
        "valid_from": [None, dt.date(2025, 7, 1), None, None],
        "valid_to": [dt.date(2025, 6, 30), None, dt.date(2025, 6, 30), None],
    })
    labels = unit_labels(units)
    assert labels == {"old": "Xã Beta (đến 30/06/2025)", "new": "Xã Beta (từ 01/07/2025)",
                      "x": "Xã Gamma (đến 30/06/2025)", "y": "Phòng Tư pháp"}
    assert plain_labels({"new": labels["new"], "y": labels["y"]}) == {"new": "Xã Beta", "y": "Phòng Tư pháp"}
