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


# -- Xếp hạng đơn vị --
# The ranking page's three charts (ui.charts.make_score_bar_chart, make_heatmap,
# make_unit_history_chart drew them with Plotly).

from ui.charts import MAX_HEATMAP_TEXT_MONTHS, ORANGE, SCORE_BANDS, _unique_short, score_band  # noqa: E402

ROW_STEP = 26       # px per unit of the score bars (the Plotly chart's 26 px per row)
HEAT_ROW_STEP = 24  # px per unit of the heatmap
# The heatmap's colours at 0, 50, 70 and 100 points (the Plotly colour scale), blended in RGB.
HEAT_STOPS = ((0.0, RED), (50.0, "#f6d55c"), (70.0, "#9ccc65"), (100.0, GREEN))
# The score is written in a heatmap cell only when the cell is at least this wide: "100,0" at 11 px
# fits; on a phone (12 months in ~200 px) the cells keep their colour and tooltip only.
HEAT_TEXT_MIN_CELL = 34
HISTORY_HEIGHT = 250
HISTORY_BANDS = ((90, GREEN, "Xuất sắc ≥ 90"), (70, BLUE, "Tốt ≥ 70"),
                 (50, ORANGE, "Hoàn thành ≥ 50"))


def score_bar_spec(df: pd.DataFrame, *, unit: str = "Đơn vị", score: str = "Điểm TB") -> dict | None:
    """Horizontal bars of the average score per unit, best at the top (ties in the table's order),
    coloured by score band with a key per band present, the score on the bar; 26 px per unit.
    None when no unit has a score."""
    data = df.dropna(subset=[score]) if score in df else df.iloc[0:0]
    if data.empty:
        return None
    data = data.sort_values(score, ascending=False, kind="stable")
    names = [str(u) for u in data[unit]]
    bands = [score_band(float(v)) for v in data[score]]
    rows = [{"label": label, "score": float(v), "band": SCORE_BANDS[b][2], "text": vn_num(v),
             "tip": f"{name} · Điểm TB: {vn_num(v)}"}
            for label, name, v, b in zip(_unique_short(names), names, data[score], bands)]
    present = sorted(set(bands))
    color = {"field": "band", "type": "nominal",
             "scale": {"domain": [SCORE_BANDS[i][2] for i in present], "range": [SCORE_BANDS[i][1] for i in present]},
             # Two columns on a phone: the four keys in a row are wider than its screen.
             "legend": {"columns": {"expr": "width < 420 ? 2 : 4"}, "labelLimit": 220}}
    tooltip = {"field": "tip", "type": "nominal"}
    # The score inside the bar's end; a bar too short for it (under 12 points) has it after its end.
    text = {"type": "text", "fontSize": 11, "baseline": "middle"}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": "container", "height": {"step": ROW_STEP},
        "data": {"values": rows},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": None, "title": None,
                  "axis": {"ticks": False, "domain": False}},
            "x": {"field": "score", "type": "quantitative", "title": None,
                  "scale": {"domain": [0, 100]}, "axis": {"values": [0, 20, 40, 60, 80, 100]}},
            "tooltip": tooltip,
        },
        "layer": [
            {"mark": {"type": "bar", "height": {"band": 0.8}}, "encoding": {"color": color}},
            {"mark": {**text, "align": "right", "dx": -4, "color": "white"},
             "transform": [{"filter": "datum.score >= 12"}], "encoding": {"text": {"field": "text"}}},
            {"mark": {**text, "align": "left", "dx": 4, "color": "#444"},
             "transform": [{"filter": "datum.score < 12"}], "encoding": {"text": {"field": "text"}}},
        ],
        "config": _CONFIG,
    }


def _heat_color(value: float) -> tuple[float, float, float]:
    for (a, ca), (b, cb) in zip(HEAT_STOPS, HEAT_STOPS[1:]):
        if value <= b or b == HEAT_STOPS[-1][0]:
            t = min(max((value - a) / (b - a), 0.0), 1.0)
            lo, hi = ([int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in (ca, cb))
            return tuple(x + (y - x) * t for x, y in zip(lo, hi))
    raise AssertionError("unreachable")


def _is_dark(value: float) -> bool:
    """White text reads better than dark grey (#222) on the cell's colour (WCAG contrast)."""
    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in _heat_color(value))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (lum + 0.05) > (lum + 0.05) / (0.0160 + 0.05)   # #222's luminance 0,016


def _month_order(months: list[str]) -> list[str]:
    """"mm/yyyy" labels in time order (the rows come unit by unit: the first unit may lack a month)."""
    def key(m: str):
        mm, _, yyyy = m.partition("/")
        return (int(yyyy), int(mm)) if mm.isdigit() and yyyy.isdigit() else (0, 0)
    return sorted(months, key=key) if all(key(m) != (0, 0) for m in months) else months


def heatmap_spec(df: pd.DataFrame, *, unit: str = "Đơn vị", month: str = "Tháng",
                 score: str = "Điểm") -> dict | None:
    """Unit × month average score: a coloured cell per unit and month with a score (red 0 –
    yellow 50 – green 100), units in the order they come (first at the top), months in time order
    on top; the score written in the cells up to MAX_HEATMAP_TEXT_MONTHS months when a cell is wide
    enough for it (not on a phone). 24 px per unit. None when there is no score."""
    data = df.dropna(subset=[score]) if score in df else df.iloc[0:0]
    if data.empty:
        return None
    data = (data.assign(**{month: data[month].astype(str), unit: data[unit].astype(str)})
                .groupby([unit, month], sort=False)[score].mean().reset_index())
    units = list(dict.fromkeys(data[unit]))
    months = _month_order(list(dict.fromkeys(data[month])))
    labels = dict(zip(units, _unique_short(units)))
    unit_pos, month_pos = {u: i for i, u in enumerate(units)}, {m: i for i, m in enumerate(months)}
    # Axis order travels with the data (ui, mi), not in the spec: another period or commune gives
    # the same spec and the browser only swaps the data.
    rows = [{"unit": labels[u], "ui": unit_pos[u], "month": m, "mi": month_pos[m], "score": float(v),
             "text": vn_num(v), "dark": _is_dark(float(v)), "tip": f"{u} · {m}: {vn_num(v)} điểm"}
            for u, m, v in zip(data[unit], data[month], data[score])]
    layers = [{
        # A white line between cells, not when the cells are a few px wide (84 months on a phone):
        # there it would wash their colour out.
        "mark": {"type": "rect", "stroke": "white", "strokeWidth": {"expr": "bandwidth('x') >= 6 ? 1 : 0"}},
        "encoding": {"color": {
            "field": "score", "type": "quantitative", "title": "Điểm",
            "scale": {"domain": [s for s, _c in HEAT_STOPS], "range": [c for _s, c in HEAT_STOPS],
                      "interpolate": "rgb"},
            "legend": {"direction": "horizontal", "gradientLength": 160, "values": [0, 25, 50, 75, 100],
                       "titleOrient": "left", "titleBaseline": "middle"}}},
    }]
    if len(months) <= MAX_HEATMAP_TEXT_MONTHS:
        layers.append({
            "mark": {"type": "text", "fontSize": 11, "baseline": "middle",
                     # bandwidth('x'): a cell's width, follows the chart's width when the window resizes
                     "opacity": {"expr": f"bandwidth('x') >= {HEAT_TEXT_MIN_CELL} ? 1 : 0"}},
            "encoding": {"text": {"field": "text"},
                         "color": {"condition": {"test": "datum.dark", "value": "white"}, "value": "#222"}},
        })
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": "container", "height": {"step": HEAT_ROW_STEP},
        "data": {"values": rows},
        "encoding": {
            "x": {"field": "month", "type": "ordinal", "title": None, "sort": {"field": "mi", "op": "min"},
                  # Level when a cell is wide enough for "12/2025", slanted otherwise.
                  "axis": {"orient": "top", "labelAngle": {"expr": "bandwidth('x') >= 60 ? 0 : -45"},
                           "labelOverlap": "greedy", "ticks": False, "domain": False}},
            "y": {"field": "unit", "type": "nominal", "title": None, "sort": {"field": "ui", "op": "min"},
                  "axis": {"ticks": False, "domain": False}},
            "tooltip": {"field": "tip", "type": "nominal"},
        },
        "layer": layers,
        "config": _CONFIG,
    }


def unit_history_spec(df: pd.DataFrame, *, month: str = "Tháng", score: str = "Điểm",
                      rank: str | None = "Hạng", merger: dt.date | None = None) -> dict | None:
    """A unit's score per month (line), its rank in the month in the tooltip, dotted lines at the
    classification bands (90 / 70 / 50) labelled at their right end, the merger marked. None when
    no month has a score."""
    data = df.dropna(subset=[score]) if score in df else df.iloc[0:0]
    if data.empty:
        return None
    months = [str(m) for m in data[month]]
    ranks = list(data[rank]) if rank and rank in data else [None] * len(data)
    # The axis runs from 10 below the lowest score (at most 40, so the three bands show) to 100;
    # the lower bound travels with the data (an invisible point), as in score_trend_spec.
    low = max(0.0, min(40.0, float(data[score].min()) - 10))
    rows = [{"month": m, "score": float(v), "low": low,
             "tip": f"{m} · Điểm: {vn_num(v)}" + ("" if r is None or pd.isna(r) else f" · Hạng: {vn_int(r)}")}
            for m, v, r in zip(months, data[score], ranks)]
    # The band lines carry their own three rows (else a line per month, drawn over each other).
    band_rows = {"values": [{"level": level, "name": name} for level, _c, name in HISTORY_BANDS]}
    band_encoding = {"y": {"field": "level", "type": "quantitative", "title": "Điểm"},
                     "color": {"field": "name", "type": "nominal", "legend": None,
                               "scale": {"domain": [n for _l, _c, n in HISTORY_BANDS],
                                         "range": [c for _l, c, _n in HISTORY_BANDS]}}}
    band_lines = {"data": band_rows, "encoding": band_encoding,
                  "mark": {"type": "rule", "opacity": 0.6, "strokeDash": [2, 3], "strokeWidth": 1.5}}
    # Their names at the right end, under the line (Plotly's "bottom right"), over the score line
    # on a white halo (Plotly's label background) so the line does not cross them.
    label = {"type": "text", "fontSize": 11, "align": "right", "baseline": "top", "dy": 2, "dx": -2, "x": "width"}
    band_labels = {"data": band_rows, "encoding": {**band_encoding, "text": {"field": "name"}}, "layer": [
        {"mark": {**label, "stroke": "white", "strokeWidth": 4, "strokeJoin": "round", "strokeOpacity": 0.85},
         "encoding": {"color": {"value": "white"}}},
        {"mark": label},
    ]}
    x = _month_axis(months)
    merger_layers = _merger_layers(months, merger, right_side_free=True)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "height": HISTORY_HEIGHT, "width": "container",
        "data": {"values": rows},
        "layer": [
            band_lines,
            {"mark": {"type": "line", "color": BLUE, "strokeWidth": 2.5,
                      "point": {"size": 40, "filled": True, "color": BLUE}},
             "encoding": {"x": x, "y": {"field": "score", "type": "quantitative", "title": "Điểm",
                                "axis": {"tickCount": 5}, "scale": {"domainMax": 100, "zero": False, "nice": False}},
                          "tooltip": {"field": "tip", "type": "nominal"}}},
            {"mark": {"type": "point", "opacity": 0},
             "encoding": {"x": x, "y": {"field": "low", "type": "quantitative"}}},
            band_labels,
            # One row of its own: drawn once, not once per month over itself.
            *([{"data": {"values": [{}]}, "layer": merger_layers}] if merger_layers else []),
        ],
        "config": _CONFIG,
    }
