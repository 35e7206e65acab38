"""The Văn hóa công sở charts as Vega-Lite specs (ui/light_charts.py: value_bar_spec,
inspection_trend_spec, class_bar_spec, commendation_spec), on small frames; expected values
written by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from ui import light_charts as L
from ui.charts import BLUE, GREEN, GREY, ORANGE, RED

PER_100 = "Vi phạm / 100 lượt kiểm tra"
CHECKED = "Lượt CBCCVC được kiểm tra"
LONG_1 = "Phòng Tài chính – Kế hoạch huyện Ninh Phước"
LONG_2 = "Phòng Tài chính – Kế hoạch huyện Thuận Nam"
SHORT = "Phòng Tài chính – Kế ho…"   # short_label: the first 23 characters and "…"


def _layers(spec: dict) -> dict[str, dict]:
    return {layer["mark"]["type"]: layer for layer in spec["layer"]}


# -- value_bar_spec -------------------------------------------------------------------------------

def _by_unit() -> pd.DataFrame:
    return pd.DataFrame({"Đơn vị": ["Thị trấn Phước Dân", LONG_1, LONG_2, "Xã Phước Hậu", "Xã Phước Thái"],
                         PER_100: [30.0, 7.142857, 5.0, 0.0, None]})


def test_value_bars_in_the_table_order_with_their_numbers_and_full_names():
    spec = L.value_bar_spec(_by_unit(), group="Đơn vị", value=PER_100, color=RED,
                            axis_title="Vi phạm / 100 lượt kiểm tra", hover_unit=" vi phạm / 100 lượt")
    rows = spec["data"]["values"]
    # Phước Thái has no value: left out; the others in the table's order, first at the top
    assert [r["label"] for r in rows] == ["Thị trấn Phước Dân", SHORT, SHORT + "\u200b", "Xã Phước Hậu"]
    assert spec["encoding"]["y"]["sort"] is None
    assert [r["v"] for r in rows] == pytest.approx([30.0, 7.142857, 5.0, 0.0])
    assert [r["text"] for r in rows] == ["30,0", "7,1", "5,0", "0,0"]
    assert [r["tip"] for r in rows] == ["Thị trấn Phước Dân · 30,0 vi phạm / 100 lượt",
                                        f"{LONG_1} · 7,1 vi phạm / 100 lượt",
                                        f"{LONG_2} · 5,0 vi phạm / 100 lượt",
                                        "Xã Phước Hậu · 0,0 vi phạm / 100 lượt"]
    # the axis reaches 15 % past the longest bar: 30 × 1,15 = 34,5 (room for "30,0")
    assert [r["top"] for r in rows] == pytest.approx([34.5] * 4)
    layers = _layers(spec)
    assert layers["bar"]["mark"]["color"] == RED
    assert layers["bar"]["encoding"]["x"]["title"] == "Vi phạm / 100 lượt kiểm tra"
    assert layers["text"]["encoding"]["text"] == {"field": "text"}
    assert layers["text"]["mark"]["align"] == "left"            # at the end of the bar
    assert layers["point"]["mark"]["opacity"] == 0 and layers["point"]["encoding"]["x"]["field"] == "top"
    assert spec["height"] == {"step": 26}                        # 26 px a row, as the Plotly chart
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_value_bars_default_colour_small_axis_and_nothing_to_draw():
    small = L.value_bar_spec(pd.DataFrame({"Loại vi phạm": ["Đi muộn"], PER_100: [0.4]}),
                             group="Loại vi phạm", value=PER_100)
    assert _layers(small)["bar"]["mark"]["color"] == ORANGE
    assert small["data"]["values"][0]["top"] == 1.0               # at least 0 – 1
    assert small["data"]["values"][0]["tip"] == "Đi muộn · 0,4"  # no unit given
    assert L.value_bar_spec(pd.DataFrame({"Đơn vị": ["A"], PER_100: [None]}), group="Đơn vị", value=PER_100) is None
    assert L.value_bar_spec(pd.DataFrame({"Đơn vị": [], PER_100: []}), group="Đơn vị", value=PER_100) is None


# -- inspection_trend_spec ------------------------------------------------------------------------

def test_inspection_trend_bars_of_officials_checked_and_a_rate_line_on_its_own_axis():
    df = pd.DataFrame({"Năm": ["2022", "2023", "2024"], CHECKED: [42, 1234, 0],
                       PER_100: [100 * 6 / 42, 2.5, None]})
    spec = L.inspection_trend_spec(df, period="Năm")
    rows = spec["data"]["values"]
    assert [r["period"] for r in rows] == ["2022", "2023", "2024"]
    assert spec["encoding"]["x"]["scale"]["domain"] == ["2022", "2023", "2024"]
    assert [r["n"] for r in rows] == [42, 1234, 0]
    assert [r["tip_n"] for r in rows] == ["2022 · Được kiểm tra: 42 lượt", "2023 · Được kiểm tra: 1.234 lượt",
                                          "2024 · Được kiểm tra: 0 lượt"]
    # 6 violations of 42 checked = 14,3 per 100; 2024 has none checked: no point on the line
    assert rows[0]["rate"] == pytest.approx(14.285714) and rows[2]["rate"] is None
    assert [r["tip_rate"] for r in rows[:2]] == ["2022 · 14,3 vi phạm / 100 lượt", "2023 · 2,5 vi phạm / 100 lượt"]
    bars, line = _layers(spec)["bar"], _layers(spec)["line"]
    assert line["transform"] == [{"filter": "isValid(datum.rate)"}]
    # the key: light blue bars, a red line
    assert bars["encoding"]["color"]["datum"] == "Lượt được kiểm tra"
    assert line["encoding"]["color"]["datum"] == "Vi phạm / 100 lượt"
    assert bars["encoding"]["color"]["scale"] == {"domain": ["Lượt được kiểm tra", "Vi phạm / 100 lượt"],
                                                  "range": [L.BAR, RED]}
    # left: whole numbers (no 0,5 between 0 and 1 when few are checked); right: its own ticks
    assert bars["encoding"]["y"]["axis"]["format"] == ",d" and bars["encoding"]["y"]["axis"]["tickMinStep"] == 1
    assert bars["encoding"]["y"]["title"] == "Lượt được kiểm tra"
    assert line["encoding"]["y"]["axis"]["orient"] == "right"
    assert line["encoding"]["y"]["title"] == "Vi phạm / 100 lượt"
    assert spec["resolve"] == {"scale": {"y": "independent"}}
    assert spec["encoding"]["x"]["axis"]["labelAngle"] == 0


def test_inspection_trend_a_lone_bar_stays_narrow_and_many_quarters_slant():
    one = L.inspection_trend_spec(pd.DataFrame({"Quý": ["Quý II/2024"], CHECKED: [80], PER_100: [7.5]}),
                                  period="Quý")
    # one bar: at most an eighth of the plot's width, not a slab across the chart
    assert _layers(one)["bar"]["mark"]["width"] == {"expr": "min(bandwidth('x'), width / 8)"}
    assert one["encoding"]["x"]["axis"]["labelAngle"] == 0
    quarters = [f"Quý {q}/2024" for q in ("I", "II", "III", "IV")]
    four = L.inspection_trend_spec(pd.DataFrame({"Quý": quarters, CHECKED: [1, 2, 3, 4], PER_100: [0.0] * 4}),
                                   period="Quý")
    assert four["encoding"]["x"]["axis"]["labelAngle"] == -45
    assert L.inspection_trend_spec(pd.DataFrame({"Năm": [], CHECKED: [], PER_100: []}), period="Năm") is None


# -- class_bar_spec -------------------------------------------------------------------------------

def test_class_bars_stacked_in_class_order_only_the_classes_present():
    df = pd.DataFrame({"Đơn vị": ["Phòng Tư pháp", LONG_1, "Xã Phước Hậu"], "Số CBCCVC": [10, 1300, 0],
                       "Xuất sắc": [1, 200, 0], "Tốt": [6, 1000, 0], "Hoàn thành": [3, 100, 0],
                       "Không hoàn thành": [0, 0, 0]})   # no "Chưa xếp loại" column at all
    spec = L.class_bar_spec(df)
    enc = spec["encoding"]
    # the classes some unit has, in CLASS_COLORS' order and colours (the key in that order too)
    assert enc["color"]["scale"] == {"domain": ["Xuất sắc", "Tốt", "Hoàn thành"], "range": [GREEN, BLUE, ORANGE]}
    assert enc["order"] == {"field": "k", "type": "quantitative"}
    assert enc["x"]["stack"] == "zero"
    # the units in the table's order, first at the top; a unit without officials keeps its row
    assert enc["y"]["scale"]["domain"] == ["Phòng Tư pháp", SHORT, "Xã Phước Hậu"]
    rows = spec["data"]["values"]
    assert [(r["label"], r["cls"], r["k"], r["v"]) for r in rows] == [
        ("Phòng Tư pháp", "Xuất sắc", 0, 1), (SHORT, "Xuất sắc", 0, 200), ("Xã Phước Hậu", "Xuất sắc", 0, 0),
        ("Phòng Tư pháp", "Tốt", 1, 6), (SHORT, "Tốt", 1, 1000), ("Xã Phước Hậu", "Tốt", 1, 0),
        ("Phòng Tư pháp", "Hoàn thành", 2, 3), (SHORT, "Hoàn thành", 2, 100), ("Xã Phước Hậu", "Hoàn thành", 2, 0),
    ]
    assert rows[4]["tip"] == f"{LONG_1} · Tốt: 1.000 người"
    assert rows[0]["tip"] == "Phòng Tư pháp · Xuất sắc: 1 người"
    assert enc["x"]["title"] == "Số CBCCVC" and enc["x"]["axis"]["tickMinStep"] == 1
    assert spec["height"] == {"step": 30}
    # the key wraps to the chart's width instead of running off a phone
    assert enc["color"]["legend"]["columns"] == {"expr": "max(1, floor(width / 125))"}


def test_class_bars_every_class_and_nothing_to_draw():
    df = pd.DataFrame({"Đơn vị": ["A"], "Số CBCCVC": [5], "Xuất sắc": [1], "Tốt": [1], "Hoàn thành": [1],
                       "Không hoàn thành": [1], "Chưa xếp loại": [1]})
    assert L.class_bar_spec(df)["encoding"]["color"]["scale"]["range"] == [GREEN, BLUE, ORANGE, RED, "#cfd3d8"]
    assert L.class_bar_spec(df.iloc[0:0]) is None


# -- commendation_spec ----------------------------------------------------------------------------

def test_commendations_stacked_per_year_one_colour_per_form():
    df = pd.DataFrame({"Năm": [2024, 2023, 2023], "Hình thức": ["Bằng khen", "Giấy khen", "Bằng khen"],
                       "Tổng số": [4, 1200, 1], "Tập thể": [1, 0, 0], "Cá nhân": [3, 1200, 1]})
    spec = L.commendation_spec(df)
    enc = spec["encoding"]
    assert enc["x"]["scale"]["domain"] == ["2023", "2024"]           # oldest on the left
    # the forms in the table's order: Bằng khen first (bottom of the stack, first in the key)
    assert enc["color"]["scale"] == {"domain": ["Bằng khen", "Giấy khen"], "range": [BLUE, GREEN]}
    rows = spec["data"]["values"]
    assert [(r["year"], r["form"], r["k"], r["v"]) for r in rows] == [
        ("2024", "Bằng khen", 0, 4), ("2023", "Giấy khen", 1, 1200), ("2023", "Bằng khen", 0, 1)]
    assert [r["tip"] for r in rows] == ["2024 · Bằng khen: 4 lượt", "2023 · Giấy khen: 1.200 lượt",
                                        "2023 · Bằng khen: 1 lượt"]
    assert enc["y"]["stack"] == "zero" and enc["y"]["title"] == "Lượt khen thưởng"
    assert enc["y"]["axis"]["format"] == ",d" and enc["y"]["axis"]["tickMinStep"] == 1
    assert enc["order"] == {"field": "k", "type": "quantitative"}
    assert spec["mark"]["width"] == {"expr": "min(bandwidth('x'), width / 8)"}   # one year: not a slab


def test_commendations_eight_forms_reuse_the_palette_and_nothing_to_draw():
    forms = [f"Hình thức {i}" for i in range(8)]
    spec = L.commendation_spec(pd.DataFrame({"Năm": [2024] * 8, "Hình thức": forms, "Tổng số": [1] * 8}))
    assert spec["encoding"]["color"]["scale"]["range"] == [BLUE, GREEN, ORANGE, "#6a1b9a", "#00838f", "#8d6e63",
                                                           GREY, BLUE]
    # a long form's name is whole in the tooltip and cut (at the key's label limit) in the key
    long = "Danh hiệu Chiến sĩ thi đua cấp tỉnh năm 2024 của Ủy ban nhân dân tỉnh"
    spec = L.commendation_spec(pd.DataFrame({"Năm": [2024], "Hình thức": [long], "Tổng số": [2]}))
    assert spec["data"]["values"][0]["tip"] == f"2024 · {long}: 2 lượt"
    # as wide as the Plotly key's 30 characters: 30 + 6 × 30 = 210 px, the label up to 186 px
    assert spec["encoding"]["color"]["legend"]["labelLimit"] == 186
    assert L.commendation_spec(pd.DataFrame({"Năm": [], "Hình thức": [], "Tổng số": []})) is None
