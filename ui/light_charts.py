"""Every chart of the dashboard's pages as a Vega-Lite specification (st.vega_lite_chart via
ui.components.light_chart): Tổng quan's monthly charts, then one block per page (Xếp hạng đơn
vị; Giải quyết TTHC and Cam kết; Văn hóa công sở).

Why not Plotly: the browser has to load and run Plotly's 4.7 MB of JavaScript before it can draw a
Plotly chart, in every new tab. Measured (1M dossiers, a returning user opening a link in a new
tab, 02/12/2026): Xếp hạng, Giải quyết TTHC and Cam kết took 2.2–2.4 s to draw with Plotly and
1.25 s with their charts left out, Tổng quan (Vega-Lite) 1.3 s (bench/NOTES.md). Streamlit's
Vega-Lite renderer is several times lighter. The report's pictures keep Plotly (ui/charts.py).

Pure: DataFrame in, spec dict out; no streamlit, no data access. Numbers in tooltips and axes are
Vietnamese (1.234; 92,5 %): tooltips are formatted here with ui.format, axes by the d3 locale of
the spec's config.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ui.charts import (BLUE, CLASS_COLORS, GREEN, GREY, MAX_HEATMAP_TEXT_MONTHS, ORANGE, RED, SCORE_BANDS,
                       _unique_short, score_band, short_label)
from ui.format import vn_int, vn_num, vn_pct

# The page's font (.streamlit/config.toml: theme.font = "sans-serif"), which Streamlit also gives
# the axes and legends; text marks (values on bars, labels) take config.font: the same, not a
# second face beside the axis labels.
FONT = "sans-serif"
BAR = "#9ec5e8"
HEIGHT = 310  # the plot area; with the legend and axis labels ~ the Plotly charts' 380 px
# The Vega-Lite that Streamlit 1.67 bundles is 6.x: a v5 schema makes vega-embed warn in the console.
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

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


def quiet_tooltips(spec: dict) -> dict:
    """A copy of `spec` in which every mark without a tooltip of its own (no tooltip encoding on
    it or on a layer above it, none on the mark) says "tooltip": None.

    Streamlit's chart config turns tooltips on for every mark; a mark that is not data (an
    invisible point carrying an axis end, a band or target line, the merger line, a label) would
    then show its fields by their English names ("month", "low", "level") or "true" on hover.
    ui.components.light_chart applies it to every chart the pages draw."""
    def walk(node: dict, covered: bool) -> dict:
        node = dict(node)
        covered = covered or "tooltip" in node.get("encoding", {})
        if "mark" in node:
            mark = node["mark"] if isinstance(node["mark"], dict) else {"type": node["mark"]}
            if not covered and "tooltip" not in mark:
                mark = {**mark, "tooltip": None}
            node["mark"] = mark
        if "layer" in node:
            node["layer"] = [walk(child, covered) for child in node["layer"]]
        return node
    return walk(spec, False)


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
        "$schema": SCHEMA,
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
        "$schema": SCHEMA,
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
        "$schema": SCHEMA,
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
        "$schema": SCHEMA,
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
        "$schema": SCHEMA,
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


# -- Giải quyết TTHC, Cam kết --
# Giải quyết TTHC (late rates, citizens' satisfaction against the 90 % target), Cam kết (coverage
# per year) and the Xuất sắc / Tốt bars of Văn hóa công sở: the pictures of ui.charts'
# make_rate_bar_chart, make_satisfaction_trend_chart, make_target_bar_chart and
# make_coverage_bar_chart.
# Marks that are not data (the invisible points that carry an axis end, the target line and its
# label) get no tooltip from quiet_tooltips (c.light_chart), as in every chart here.

_ROW_STEP = 26          # px per row of a horizontal bar chart (the Plotly charts' 26 px a row)
_INSIDE = 0.3           # a value written inside its bar when the bar is this share of the axis or more
_TEXT_DARK = "#444"
_COVERAGE_PALETTE = [BLUE, GREEN, ORANGE, "#6a1b9a"]


def _value_text(v: float, percent: bool) -> str:
    return vn_pct(v) if percent else vn_num(v)


def _hbar_spec(rows: list[dict], *, axis_title: str | None, percent: bool, bar_color: dict,
               extra_layers: list[dict] | None = None) -> dict:
    """Horizontal bars, one row per item of `rows` in their order (first at the top): each row has
    label (the short, unique axis label), v (the value), top (the axis end, the same in every row),
    text (written on the bar), inside (whether it fits in the bar) and tip (the tooltip). The axis
    end travels with the data (an invisible point), so the spec stays the same when only the
    numbers change; the height grows by _ROW_STEP per row."""
    y = {"field": "label", "type": "nominal", "sort": None, "title": None, "scale": {"paddingInner": 0.2},
         "axis": {"labelLimit": 170, "labelPadding": 6, "ticks": False, "domain": False}}
    # Fewer ticks on a phone: 0 % 20 % … 100 % would touch one another in ~190 px.
    x_axis = {"tickCount": {"expr": "width < 300 ? 3 : 5"}, "grid": True, "labelFlush": True}
    if percent:
        x_axis["labelExpr"] = "datum.label + ' %'"
    tip = {"field": "tip", "type": "nominal"}

    def text(inside: bool) -> dict:
        return {"mark": {"type": "text", "fontSize": 11, "baseline": "middle",
                         "align": "right" if inside else "left", "dx": -4 if inside else 4,
                         "color": "white" if inside else _TEXT_DARK},
                "transform": [{"filter": "datum.inside" if inside else "!datum.inside"}],
                "encoding": {"x": {"field": "v", "type": "quantitative"}, "y": y, "text": {"field": "text"},
                             "tooltip": tip}}

    return {
        "$schema": SCHEMA,
        "width": "container", "height": {"step": _ROW_STEP},
        "data": {"values": rows},
        # y in each layer that has it, not here: the target line must not inherit it
        "layer": [
            {"mark": {"type": "bar"},
             "encoding": {"y": y, "x": {"field": "v", "type": "quantitative", "title": axis_title,
                                "scale": {"zero": True, "nice": False}, "axis": x_axis},
                          "color": bar_color, "tooltip": tip}},
            {"mark": {"type": "point", "opacity": 0},
             "encoding": {"x": {"field": "top", "type": "quantitative"}}},
            text(True), text(False),
            *(extra_layers or []),
        ],
        "config": _CONFIG,
    }


def rate_bar_spec(df: pd.DataFrame, *, group: str, rate: str, count: str | None = None,
                  title: str | None = None, color: str = RED, top: int = 20,
                  only_positive: bool = False) -> dict | None:
    """Horizontal bars of a rate (0-100) per group, highest first (at the top), at most `top`
    groups (only those above 0 with `only_positive`), the rate on the bar; None when none is left
    (the page says "Không có hồ sơ trả quá hạn trong kỳ" / "Không có hồ sơ đã giải quyết trong
    kỳ", as ui.charts.make_rate_bar_chart). `title` is the page's (c.light_chart)."""
    data = df.dropna(subset=[rate])
    if only_positive:
        data = data[data[rate] > 0]
    if data.empty:
        return None
    data = data.sort_values(rate, ascending=False, kind="stable").head(top)
    names = [str(g) for g in data[group]]
    counts = list(data[count]) if count and count in data else [None] * len(names)
    end = max(10.0, float(data[rate].max()) * 1.15)
    rows = []
    for name, label, v, n in zip(names, _unique_short(names), data[rate], counts):
        v = float(v)
        tip = f"{name} · {vn_pct(v)}" + (f" của {vn_int(n)} hồ sơ" if n is not None and not pd.isna(n) else "")
        rows.append({"label": label, "v": v, "top": end, "text": vn_pct(v), "inside": v >= _INSIDE * end,
                     "tip": tip})
    return _hbar_spec(rows, axis_title="Tỷ lệ (%)", percent=True, bar_color={"value": color})


def target_bar_spec(df: pd.DataFrame, *, group: str, value: str, target: float,
                    higher_is_better: bool = True, title: str | None = None,
                    axis_title: str = "Tỷ lệ (%)", percent: bool = True,
                    marker_label: str = "Mục tiêu", judge: bool = True) -> dict | None:
    """Horizontal bars of a value per group in the table's order (first at the top), the value on
    the bar, a dashed orange line at `target` labelled above the plot ("Mục tiêu 90 %"); bars on
    the wrong side of it red, the others green (`judge=False`: all blue, the line for reference
    only). None when no group has a value. `title` is the page's (c.light_chart)."""
    data = df.dropna(subset=[value])
    if data.empty:
        return None
    names = [str(g) for g in data[group]]
    end = max(max(float(data[value].max()), target) * 1.15, 1.0)
    suffix = " %" if percent else ""
    rows = []
    for name, label, v in zip(names, _unique_short(names), data[value]):
        v = float(v)
        good = v >= target if higher_is_better else v <= target
        rows.append({"label": label, "v": v, "top": end, "text": _value_text(v, percent),
                     "inside": v >= _INSIDE * end, "color": (GREEN if good else RED) if judge else BLUE,
                     "tip": f"{name} · {_value_text(v, percent)}"})
    marker = f"{marker_label} {target:.0f}{suffix}".replace(".", ",")
    x = {"datum": float(target), "type": "quantitative"}
    line = [
        {"mark": {"type": "rule", "color": ORANGE, "strokeWidth": 1.5, "strokeDash": [5, 4]},
         "encoding": {"x": x}},
        # Above the plot area (Plotly: annotation_position="top"), over the dashed line.
        {"mark": {"type": "text", "color": ORANGE, "fontSize": 11, "baseline": "bottom", "y": -4},
         "encoding": {"x": x, "text": {"value": marker}}},
    ]
    return _hbar_spec(rows, axis_title=axis_title, percent=percent,
                      bar_color={"field": "color", "type": "nominal", "scale": None, "legend": None},
                      extra_layers=line)


def satisfaction_trend_spec(df: pd.DataFrame, *, month: str = "Tháng",
                            share: str = "Tỷ lệ rất hài lòng (%)",
                            satisfied: str = "Tỷ lệ hài lòng trở lên (%)",
                            target: float = 90.0, title: str | None = None) -> dict | None:
    """The very-satisfied share per month (blue line; a month's point green at or above the target,
    red below), the satisfied-or-better share (thin light-blue line) and the target as a dashed
    orange line labelled "Mục tiêu 90 %"; None when no month has a share (the page says "Chưa có
    phiếu khảo sát trong kỳ"). `title` is the page's (c.light_chart)."""
    data = df.dropna(subset=[share]) if share in df else df.iloc[0:0]
    if data.empty:
        return None
    months = [str(m) for m in data[month]]
    with_satisfied = satisfied in data
    # The axis runs from 5 below the lowest share (or the target) to 101, as the Plotly chart; the
    # lower bound travels with the data (see score_trend_spec).
    low = max(0.0, min(float(data[share].min()), target) - 5)
    rows = []
    for i, m in enumerate(months):
        v = float(data[share].iloc[i])
        row = {"month": m, "very": v, "low": low, "dot": GREEN if v >= target else RED,
               "tip_very": f"{m} · Rất hài lòng: {vn_pct(v)}"}
        if with_satisfied:
            s = data[satisfied].iloc[i]
            row["sat"] = None if pd.isna(s) else float(s)
            row["tip_sat"] = f"{m} · Hài lòng trở lên: {vn_pct(s)}"
        rows.append(row)
    names = (["Hài lòng trở lên"] if with_satisfied else []) + ["Rất hài lòng"]
    color = {"scale": {"domain": names, "range": ([BAR] if with_satisfied else []) + [BLUE]},
             "legend": {"title": None, "symbolType": "stroke", "symbolStrokeWidth": 2.5}}
    y = {"type": "quantitative", "title": "Tỷ lệ (%)",
         "scale": {"domainMax": 101, "zero": False, "nice": False},
         "axis": {"tickCount": 5, "labelExpr": "datum.label + ' %'"}}
    x = _month_axis(months)
    layers = []
    if with_satisfied:
        layers.append(
            {"mark": {"type": "line", "strokeWidth": 2,
                      # invisible points: the tooltip of each month (a line alone has one for all)
                      "point": {"size": 60, "filled": True, "opacity": 0}},
             "transform": [{"filter": "isValid(datum.sat)"}],
             "encoding": {"x": x, "y": {"field": "sat", **y}, "color": {"datum": names[0], **color},
                          "tooltip": {"field": "tip_sat", "type": "nominal"}}})
    layers += [
        {"mark": {"type": "line", "strokeWidth": 2.5},
         "encoding": {"x": x, "y": {"field": "very", **y}, "color": {"datum": names[-1], **color}}},
        {"mark": {"type": "circle", "size": 64, "opacity": 1},
         "encoding": {"x": x, "y": {"field": "very", "type": "quantitative"},
                      "fill": {"field": "dot", "type": "nominal", "scale": None, "legend": None},
                      "tooltip": {"field": "tip_very", "type": "nominal"}}},
        {"mark": {"type": "point", "opacity": 0},
         "encoding": {"x": x, "y": {"field": "low", "type": "quantitative"}}},
        # across the whole plot: no x
        {"mark": {"type": "rule", "color": ORANGE, "strokeWidth": 1.5, "strokeDash": [6, 4]},
         "encoding": {"y": {"datum": float(target), "type": "quantitative"}}},
        # Under the line at the right end (Plotly: annotation_position="bottom right").
        {"mark": {"type": "text", "color": ORANGE, "fontSize": 11, "align": "right", "baseline": "top",
                  "dy": 3},
         "encoding": {"x": {"value": "width"}, "y": {"datum": float(target), "type": "quantitative"},
                      "text": {"value": f"Mục tiêu {target:.0f} %"}}},
    ]
    return {
        "$schema": SCHEMA,
        "height": 270, "width": "container",   # the plot area of the Plotly chart's 340 px
        "data": {"values": rows},
        # x in each layer that has it, not here: the target line must not inherit it
        "layer": layers,
        "config": _CONFIG,
    }


def coverage_bar_spec(df: pd.DataFrame, *, x: str, y: str, series: str,
                      short_names: dict[str, str] | None = None, title: str | None = None) -> dict | None:
    """Grouped bars: the coverage (0-100 %) of each series (commitment) in each x (year), the value
    on the bar's top, the axis from 0 to 100 %. The key shows the short names (`short_names`,
    else cut at 30 characters); the tooltip the full name. Colours by order of appearance, as
    ui.charts.make_coverage_bar_chart. None when no value (the page says "Chưa có số liệu cam
    kết"). `title` is the page's (c.light_chart)."""
    data = df.dropna(subset=[y])
    if data.empty:
        return None
    short_names = short_names or {}
    full = [str(s) for s in dict.fromkeys(data[series])]
    short = {name: short_names.get(name, short_label(name, 30)) for name in full}
    years = [str(v) for v in dict.fromkeys(data[x])]
    rows = [{"x": str(xv), "s": short[str(sv)], "v": float(v), "text": vn_num(v), "inside": float(v) >= 12,
             "tip": f"{xv} · {sv} · {vn_num(v)} % đã ký"}
            for xv, sv, v in zip(data[x], data[series], data[y])]
    names = [short[n] for n in full]
    tip = {"field": "tip", "type": "nominal"}
    # The key in one row where it fits (about 6 px a character at 11 px, 30 px a symbol and gap),
    # else one name a row: a row too long for a phone widens the chart past the screen.
    key_width = sum(6 * len(n) + 30 for n in names)
    return {
        "$schema": SCHEMA,
        "height": HEIGHT, "width": "container",
        "data": {"values": rows},
        "encoding": {
            "x": {"field": "x", "type": "nominal", "title": None, "sort": years,
                  "scale": {"paddingInner": 0.25, "paddingOuter": 0.125},
                  "axis": {"labelAngle": 0, "ticks": False}},
            "xOffset": {"field": "s", "type": "nominal", "sort": names, "scale": {"paddingInner": 0.05}},
            "y": {"field": "v", "type": "quantitative", "title": "Tỷ lệ đã ký (%)",
                  "scale": {"domain": [0, 100.5], "nice": False},
                  "axis": {"values": [0, 25, 50, 75, 100], "labelExpr": "datum.label + ' %'"}},
        },
        "layer": [
            {"mark": {"type": "bar"},
             "encoding": {"color": {"field": "s", "type": "nominal", "sort": names,
                                    "scale": {"domain": names,
                                              "range": [_COVERAGE_PALETTE[i % 4] for i in range(len(names))]},
                                    "legend": {"title": None,
                                               "columns": {"expr": f"width < {key_width} ? 1 : 0"}}},
                          "tooltip": tip}},
            # The value inside the bar's top (above a bar too short for it); hidden when the bars are
            # too narrow for it (many years, a phone), as Plotly's uniformtext "hide".
            *({"mark": {"type": "text", "fontSize": 11, "baseline": "top" if inside else "bottom",
                        "dy": 4 if inside else -3, "color": "white" if inside else _TEXT_DARK,
                        "opacity": {"expr": "bandwidth('xOffset') >= 30 ? 1 : 0"}},
               "transform": [{"filter": "datum.inside" if inside else "!datum.inside"}],
               "encoding": {"text": {"field": "text"}, "tooltip": tip}} for inside in (True, False)),
        ],
        "config": _CONFIG,
    }


# -- Văn hóa công sở --
# The four charts of app_pages/van_hoa_cong_so.py, the same pictures as ui.charts'
# make_value_bar_chart, make_inspection_trend_chart, make_class_bar_chart and
# make_commendation_chart. Horizontal bars take 26 px a row (30 for the class bars, as in Plotly)
# through a height step, so the spec does not change with the number of rows; counts have
# whole-number ticks (tickMinStep 1: no 0,5 between 0 and 1 on a small axis).

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
        "$schema": SCHEMA,
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
        "$schema": SCHEMA,
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
        "$schema": SCHEMA,
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
        "$schema": SCHEMA,
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
