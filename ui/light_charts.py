"""Tổng quan's two monthly charts as Vega-Lite specifications (st.vega_lite_chart), the same
pictures as ui.charts.make_trend_chart / make_score_trend_chart draw with Plotly.

Why not Plotly here: the browser has to load and run Plotly's 4.7 MB of JavaScript before it
can draw a Plotly chart, in every new tab; on the overview, the page everyone opens first, that
was most of the time to a drawn page (bench/NOTES.md, issue 12 browser). Streamlit's Vega-Lite
renderer is several times lighter. The other pages keep Plotly.

Pure: DataFrame in, spec dict out; no streamlit, no data access. Numbers in tooltips and axes are
Vietnamese (1.234; 92,5 %): tooltips are formatted here with ui.format, axes by the d3 locale of
the spec's config.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ui.charts import BLUE, GREEN, GREY, RED
from ui.format import vn_int, vn_num

FONT = "Roboto, 'Segoe UI', Arial, sans-serif"
BAR = "#9ec5e8"
HEIGHT = 310  # the plot area; with the legend and axis labels ~ the Plotly charts' 380 px

# d3-format locale: "1.234" and "92,5" (Vega-Lite config.locale).
_LOCALE = {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", ""]}}
_CONFIG = {
    "locale": _LOCALE,
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal", "titleColor": "#444",
             "labelColor": "#444", "gridColor": "#eee", "domainColor": "#ccc", "tickColor": "#ccc"},
    "legend": {"labelFontSize": 11, "orient": "top", "direction": "horizontal", "title": None,
               "symbolSize": 80},
}


def _month_axis(months: list[str]) -> dict:
    # The domain given: the merger layer's datum would otherwise put its month first.
    return {"field": "month", "type": "ordinal", "sort": None, "title": None, "scale": {"domain": months},
            "axis": {"labelAngle": -45, "labelOverlap": "greedy", "grid": False, "ticks": False}}


def _merger_layers(months: list[str], merger: dt.date | None, right_side_free: bool) -> list[dict]:
    """A dashed vertical line labelled "Sáp nhập dd/mm/yyyy" at the start of the merger's month
    (between it and the month before), when both are on the axis (as ui.charts.mark_merger)."""
    if merger is None:
        return []
    label = f"{merger.month:02d}/{merger.year}"
    if label not in months or months.index(label) == 0:
        return []
    x = {"datum": label, "type": "ordinal", "bandPosition": 0}
    left = months.index(label) - 0.5 < (len(months) - 1) / 2 if right_side_free else False
    return [
        {"mark": {"type": "rule", "color": GREY, "strokeWidth": 1.5, "strokeDash": [5, 4]},
         "encoding": {"x": x}},
        # Above the plot area, under the legend: inside it, the label would sit on a rate line.
        {"mark": {"type": "text", "color": GREY, "fontSize": 11, "baseline": "bottom", "y": -3,
                  "align": "left" if left else "right", "dx": 4 if left else -4},
         "encoding": {"x": x, "text": {"value": f"Sáp nhập {merger:%d/%m/%Y}"}}},
    ]


def trend_spec(df: pd.DataFrame, *, month: str = "Tháng", count: str = "Hồ sơ tiếp nhận",
               on_time: str = "Tỷ lệ đúng hạn (%)", late: str = "Tỷ lệ quá hạn (%)",
               merger: dt.date | None = None) -> dict:
    """Bars: dossiers received per month (left axis); lines: on-time and late rates (right
    axis, 0–100 %); the merger marked."""
    months = [str(m) for m in df[month]]
    rows = []
    for i, m in enumerate(months):
        n = df[count].iloc[i]
        row = {"month": m, "n": None if pd.isna(n) else int(n),
               "tip_n": f"{m} · Tiếp nhận: {vn_int(n)} hồ sơ"}
        for key, col, word in (("on", on_time, "Đúng hạn"), ("late", late, "Quá hạn")):
            v = df[col].iloc[i] if col in df else None
            row[key] = None if v is None or pd.isna(v) else float(v)
            row[f"tip_{key}"] = f"{m} · {word}: {vn_num(v)} %"
        rows.append(row)
    names = ["Hồ sơ tiếp nhận", "Tỷ lệ đúng hạn", "Tỷ lệ quá hạn"]
    color = {"scale": {"domain": names, "range": [BAR, GREEN, RED]}, "legend": {"title": None}}

    def rate_line(key: str, name: str, width: float) -> dict:
        return {"mark": {"type": "line", "point": {"size": 40, "filled": True}, "strokeWidth": width},
                "transform": [{"filter": f"isValid(datum.{key})"}],
                "encoding": {"y": {"field": key, "type": "quantitative"},
                             "color": {"datum": name, **color},
                             "tooltip": {"field": f"tip_{key}", "type": "nominal"}}}

    rate_axis = {"title": "Tỷ lệ (%)", "orient": "right", "values": [0, 25, 50, 75, 100],
                 "labelExpr": "datum.value + ' %'", "grid": False}
    layers = [
        {"mark": {"type": "bar"},
         "encoding": {"y": {"field": "n", "type": "quantitative", "title": "Số hồ sơ",
                            "axis": {"format": ",d", "tickCount": 5}, "scale": {"zero": True}},
                      "color": {"datum": names[0], **color},
                      "tooltip": {"field": "tip_n", "type": "nominal"}}},
        {"layer": [rate_line("on", names[1], 2.5), rate_line("late", names[2], 2)],
         "encoding": {"y": {"type": "quantitative", "scale": {"domain": [0, 105]}, "axis": rate_axis}}},
    ]
    merger_layers = _merger_layers(months, merger, right_side_free=True)
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "height": HEIGHT, "width": "container",
        "data": {"values": rows},
        "encoding": {"x": _month_axis(months)},
        "layer": layers + ([{"layer": merger_layers}] if merger_layers else []),
        "resolve": {"scale": {"y": "independent"}},
        "config": _CONFIG,
    }
    if merger_layers:  # the merger layer has no y: keep the two axes of the data layers
        spec["layer"][-1]["encoding"] = {}
    return spec


def score_trend_spec(df: pd.DataFrame, *, month: str = "Tháng", score: str = "Điểm đánh giá TB",
                     merger: dt.date | None = None) -> dict | None:
    """The average evaluation score per month (line); None when no month has a score."""
    data = df.dropna(subset=[score]) if score in df else df.iloc[0:0]
    if data.empty:
        return None
    months = [str(m) for m in data[month]]
    # The axis runs from 10 below the lowest score to 100 (as the Plotly chart). The lower bound
    # travels with the data (an invisible point per month at it), not in the spec: the spec then
    # stays the same when only the numbers change (another commune), and the browser updates the
    # drawn chart's data instead of building a new chart.
    low = max(0.0, float(data[score].min()) - 10)
    rows = [{"month": m, "score": float(v), "low": low, "tip": f"{m} · Điểm TB: {vn_num(v)}"}
            for m, v in zip(months, data[score])]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "height": HEIGHT, "width": "container",
        "data": {"values": rows},
        "encoding": {"x": _month_axis(months)},
        "layer": [
            {"mark": {"type": "line", "color": BLUE, "strokeWidth": 2.5,
                      "point": {"size": 40, "filled": True, "color": BLUE}},
             "encoding": {"y": {"field": "score", "type": "quantitative", "title": "Điểm (thang 100)",
                                "axis": {"tickCount": 5}, "scale": {"domainMax": 100, "zero": False, "nice": False}},
                          "tooltip": {"field": "tip", "type": "nominal"}}},
            {"mark": {"type": "point", "opacity": 0}, "encoding": {"y": {"field": "low", "type": "quantitative"}}},
            *_merger_layers(months, merger, right_side_free=True),
        ],
        "config": _CONFIG,
    }


# -- Văn hóa công sở --
# The four charts of app_pages/van_hoa_cong_so.py, the same pictures as ui.charts'
# make_value_bar_chart, make_inspection_trend_chart, make_class_bar_chart and
# make_commendation_chart. Horizontal bars take 26 px a row (30 for the class bars, as in Plotly)
# through a height step, so the spec does not change with the number of rows; counts have
# whole-number ticks (tickMinStep 1: no 0,5 between 0 and 1 on a small axis).

from ui.charts import CLASS_COLORS, ORANGE, _unique_short, short_label  # noqa: E402

_VH_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
_VH_TEXT = "#444"
# As make_commendation_chart's palette: one colour per form of commendation.
_VH_FORM_COLORS = (BLUE, GREEN, ORANGE, "#6a1b9a", "#00838f", "#8d6e63", GREY)


def _vh_count_axis() -> dict:
    return {"format": ",d", "tickMinStep": 1, "tickCount": 5}


def _vh_bar() -> dict:
    """A bar at most an eighth of the plot's width: one year is a bar, not a slab across the
    chart (Vega-Lite centres a bar narrower than its band)."""
    return {"type": "bar", "width": {"expr": "min(bandwidth('x'), width / 8)"}}


def _vh_titled(spec: dict, title: str | None) -> dict:
    if title:
        spec["title"] = {"text": title, "anchor": "start", "fontSize": 15, "fontWeight": "normal"}
    return spec


def _vh_wrapping_legend(entry_width: int) -> dict:
    """A key above the plot that wraps: as many entries a row as `entry_width` px (symbol, label,
    gap) fit in the plot's width (a Vega legend does not wrap by itself and would run off a phone's
    screen); a longer label is cut with "…"."""
    return {"title": None, "columns": {"expr": f"max(1, floor(width / {entry_width}))"},
            "labelLimit": entry_width - 24}


def value_bar_spec(df: pd.DataFrame, *, group: str, value: str, title: str | None = None,
                   axis_title: str | None = None, color: str = ORANGE, hover_unit: str = "",
                   empty: str = "Không có dữ liệu") -> dict | None:
    """Horizontal bars of a (non-percentage) value per group, in the table's order, first at the
    top, the value written at the end of the bar with one decimal; None when no group has a value
    (the page shows `empty` instead, through ui.components.light_chart)."""
    data = df.dropna(subset=[value])
    if data.empty:
        return None
    names = [str(g) for g in data[group]]
    # The axis runs to 15 % past the longest bar, room for its number (as the Plotly chart); the
    # end travels with the data (an invisible point per row), not in the spec.
    top = max(1.0, float(data[value].max()) * 1.15)
    rows = [{"label": label, "v": float(v), "text": vn_num(v), "top": top,
             "tip": f"{name} · {vn_num(v)}{hover_unit}"}
            for label, name, v in zip(_unique_short(names), names, data[value])]
    x = {"field": "v", "type": "quantitative", "title": axis_title, "scale": {"zero": True},
         "axis": {"tickCount": 5, "labelOverlap": True}}
    return _vh_titled({
        "$schema": _VH_SCHEMA,
        "height": {"step": 26}, "width": "container",
        "data": {"values": rows},
        "encoding": {"y": {"field": "label", "type": "nominal", "sort": None, "title": None,
                           "axis": {"ticks": False, "domain": False}}},
        "layer": [
            {"mark": {"type": "bar", "color": color},
             "encoding": {"x": x, "tooltip": {"field": "tip", "type": "nominal"}}},
            {"mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 3, "fontSize": 11,
                      "color": _VH_TEXT},
             "encoding": {"x": {"field": "v", "type": "quantitative"}, "text": {"field": "text"},
                          "tooltip": {"field": "tip", "type": "nominal"}}},
            {"mark": {"type": "point", "opacity": 0},
             "encoding": {"x": {"field": "top", "type": "quantitative"}}},
        ],
        "config": _CONFIG,
    }, title)


def inspection_trend_spec(df: pd.DataFrame, *, period: str, checked: str = "Lượt CBCCVC được kiểm tra",
                          rate: str = "Vi phạm / 100 lượt kiểm tra", title: str | None = None) -> dict | None:
    """Bars: officials checked per year / quarter (left axis, whole numbers); line: violations
    per 100 checked (right axis, its own ticks); None without a row."""
    if df.empty:
        return None
    periods = [str(p) for p in df[period]]
    rows = []
    for p, n, r in zip(periods, df[checked], df[rate]):
        rows.append({"period": p, "n": None if pd.isna(n) else int(n),
                     "rate": None if pd.isna(r) else float(r),
                     "tip_n": f"{p} · Được kiểm tra: {vn_int(n)} lượt",
                     "tip_rate": f"{p} · {vn_num(r)} vi phạm / 100 lượt"})
    names = ["Lượt được kiểm tra", "Vi phạm / 100 lượt"]
    color = {"scale": {"domain": names, "range": [BAR, RED]}, "legend": {"title": None}}
    # More than three "Quý III/2024" side by side would not fit a phone: those slanted.
    angle = 0 if period == "Năm" or len(periods) <= 3 else -45
    return _vh_titled({
        "$schema": _VH_SCHEMA,
        "height": 270, "width": "container",
        "data": {"values": rows},
        "encoding": {"x": {"field": "period", "type": "ordinal", "sort": None, "title": None,
                           "scale": {"domain": periods},
                           "axis": {"labelAngle": angle, "labelOverlap": "greedy", "grid": False,
                                    "ticks": False}}},
        "layer": [
            {"mark": _vh_bar(),
             "encoding": {"y": {"field": "n", "type": "quantitative", "title": "Lượt được kiểm tra",
                                "axis": _vh_count_axis(), "scale": {"zero": True}},
                          "color": {"datum": names[0], **color},
                          "tooltip": {"field": "tip_n", "type": "nominal"}}},
            # Ticks of its own, not aligned to the left axis (that gave 1,9 / 3,81 / 5,71 in Plotly).
            {"mark": {"type": "line", "strokeWidth": 2.5, "point": {"size": 40, "filled": True}},
             "transform": [{"filter": "isValid(datum.rate)"}],
             "encoding": {"y": {"field": "rate", "type": "quantitative", "title": "Vi phạm / 100 lượt",
                                "scale": {"zero": True},
                                "axis": {"orient": "right", "grid": False, "format": ",.1~f", "tickCount": 6}},
                          "color": {"datum": names[1], **color},
                          "tooltip": {"field": "tip_rate", "type": "nominal"}}},
        ],
        "resolve": {"scale": {"y": "independent"}},
        "config": _CONFIG,
    }, title)


def class_bar_spec(df: pd.DataFrame, *, unit: str = "Đơn vị", title: str | None = None) -> dict | None:
    """Stacked horizontal bars: officials per class for each unit (one year), in the table's
    order (first at the top); the classes in CLASS_COLORS' order and colours, left to right and
    in the key, only those some unit has; None without a unit."""
    if df.empty:
        return None
    names = [str(u) for u in df[unit]]
    labels = _unique_short(names)
    classes = [(name, colour) for name, colour in CLASS_COLORS
               if name in df and (pd.to_numeric(df[name]).fillna(0) > 0).any()]
    rows = []
    for i, (cls, _colour) in enumerate(classes):
        for label, name, v in zip(labels, names, pd.to_numeric(df[cls]).fillna(0)):
            rows.append({"label": label, "cls": cls, "k": i, "v": int(v),
                         "tip": f"{name} · {cls}: {vn_int(v)} người"})
    return _vh_titled({
        "$schema": _VH_SCHEMA,
        "height": {"step": 30}, "width": "container",
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": {
            # the domain given: a unit without any officials still has its row
            "y": {"field": "label", "type": "nominal", "title": None, "scale": {"domain": labels},
                  "axis": {"ticks": False, "domain": False}},
            "x": {"field": "v", "type": "quantitative", "stack": "zero", "title": "Số CBCCVC",
                  "axis": _vh_count_axis()},
            "color": {"field": "cls", "type": "nominal",
                      "scale": {"domain": [n for n, _c in classes], "range": [c for _n, c in classes]},
                      "legend": _vh_wrapping_legend(125)},
            "order": {"field": "k", "type": "quantitative"},
            "tooltip": {"field": "tip", "type": "nominal"},
        },
        "config": _CONFIG,
    }, title)


def commendation_spec(df: pd.DataFrame, *, year: str = "Năm", form: str = "Hình thức",
                      total: str = "Tổng số", title: str | None = None) -> dict | None:
    """Stacked bars: recipients per year (oldest on the left), one colour per form of
    commendation in the table's order of first appearance (the first at the bottom and first in
    the key); None without a row. Long form names are cut in the key, whole in the tooltip."""
    if df.empty:
        return None
    forms = [str(x) for x in dict.fromkeys(df[form])]
    years = sorted({str(y) for y in df[year]}, key=lambda y: (len(y), y))
    rows = [{"year": str(y), "form": str(name), "k": forms.index(str(name)), "v": int(v),
             "tip": f"{y} · {name}: {vn_int(v)} lượt"}
            for y, name, v in zip(df[year], df[form], df[total]) if not pd.isna(v)]
    colours = [_VH_FORM_COLORS[i % len(_VH_FORM_COLORS)] for i in range(len(forms))]
    # the key's entries as wide as short_label(name, 30), the Plotly chart's legend names
    legend = _vh_wrapping_legend(30 + 6 * max(len(short_label(n, 30)) for n in forms))
    return _vh_titled({
        "$schema": _VH_SCHEMA,
        "height": 270, "width": "container",
        "data": {"values": rows},
        "mark": _vh_bar(),
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": None, "scale": {"domain": years},
                  "axis": {"labelAngle": 0, "labelOverlap": "greedy", "grid": False, "ticks": False}},
            "y": {"field": "v", "type": "quantitative", "stack": "zero", "title": "Lượt khen thưởng",
                  "axis": _vh_count_axis()},
            "color": {"field": "form", "type": "nominal", "scale": {"domain": forms, "range": colours},
                      "legend": legend},
            "order": {"field": "k", "type": "quantitative"},
            "tooltip": {"field": "tip", "type": "nominal"},
        },
        "config": _CONFIG,
    }, title)
