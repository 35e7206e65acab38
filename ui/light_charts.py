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
