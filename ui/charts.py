"""Pure chart builders: DataFrame in, plotly Figure out. No streamlit, no data access.

Vietnamese labels; separators=",." makes plotly write 92,5 and 1.234; legends sit under the plot
and margins grow to fit the labels, so the charts stay legible on a phone (390 px wide).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

BLUE = "#1f5f99"
GREEN = "#2e7d32"
RED = "#c62828"
ORANGE = "#ef6c00"
GREY = "#8a8f98"
FONT = "Roboto, 'Segoe UI', Arial, sans-serif"


def _layout(fig: go.Figure, *, height: int = 380, title: str | None = None) -> go.Figure:
    fig.update_layout(
        separators=",.",
        height=height,
        title={"text": title, "x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top",
               "font": {"size": 15}} if title else None,
        font={"family": FONT, "size": 12},
        margin={"l": 8, "r": 8, "t": 64 if title else 28, "b": 8},
        # Legend above the plot: below it, it collides with rotated month labels on a phone.
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.01, "xanchor": "left", "x": 0,
                "font": {"size": 11}},
        hoverlabel={"font": {"family": FONT}},
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    fig.update_xaxes(automargin=True, showgrid=False, linecolor="#ccc")
    fig.update_yaxes(automargin=True, gridcolor="#eee", zerolinecolor="#ccc")
    return fig


def short_label(text: str, limit: int = 24) -> str:
    """Unit names run to 50 characters; on a phone the axis would eat the plot. The hover keeps
    the full name."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _unique_short(names: list[str]) -> list[str]:
    """Short labels that stay distinct (a category axis merges equal labels)."""
    out, seen = [], {}
    for name in names:
        label = short_label(name)
        while label in seen and seen[label] != name:
            label += "\u200b"  # invisible, keeps two different units on two rows
        seen[label] = name
        out.append(label)
    return out


def empty_figure(message: str = "Không có dữ liệu") -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 14, "color": GREY},
                       xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, height=200)


def mark_merger(fig: go.Figure, months: list[str], merger: dt.date | None) -> go.Figure:
    """A dashed vertical line, labelled "Sáp nhập dd/mm/yyyy", between the month before the
    merger and its month, when both are on the (category, "mm/yyyy") x axis."""
    if merger is None:
        return fig
    label = f"{merger.month:02d}/{merger.year}"
    months = [str(m) for m in months]
    if label not in months or months.index(label) == 0:
        return fig
    x = months.index(label) - 0.5   # a category axis places category i at i
    fig.add_shape(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1,
                  line={"color": GREY, "width": 1.5, "dash": "dash"})
    # The label on the side with more room, so it stays inside the plot on a phone.
    side = "left" if x < (len(months) - 1) / 2 else "right"
    fig.add_annotation(x=x, y=1, xref="x", yref="paper", text=f"Sáp nhập {merger:%d/%m/%Y}",
                       showarrow=False, xanchor=side, yanchor="top", font={"size": 11, "color": GREY},
                       bgcolor="rgba(255,255,255,0.8)")
    return fig


def make_trend_chart(
    df: pd.DataFrame,
    *,
    month: str = "Tháng",
    count: str = "Hồ sơ tiếp nhận",
    on_time: str = "Tỷ lệ đúng hạn (%)",
    late: str = "Tỷ lệ quá hạn (%)",
    title: str | None = None,
    merger: dt.date | None = None,
) -> go.Figure:
    """Bars: dossiers received per month (left axis); lines: on-time and late rates (right);
    the merger marked (mark_merger)."""
    if df.empty:
        return empty_figure()
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    x = df[month].astype(str)
    fig.add_bar(x=x, y=df[count], name="Hồ sơ tiếp nhận", marker_color="#9ec5e8",
                hovertemplate="%{x}<br>Tiếp nhận: %{y:,.0f} hồ sơ<extra></extra>")
    if on_time in df:
        fig.add_scatter(x=x, y=df[on_time], name="Tỷ lệ đúng hạn", mode="lines+markers",
                        line={"color": GREEN, "width": 2.5}, secondary_y=True,
                        hovertemplate="%{x}<br>Đúng hạn: %{y:.1f} %<extra></extra>")
    if late in df:
        fig.add_scatter(x=x, y=df[late], name="Tỷ lệ quá hạn", mode="lines+markers",
                        line={"color": RED, "width": 2}, secondary_y=True,
                        hovertemplate="%{x}<br>Quá hạn: %{y:.1f} %<extra></extra>")
    fig.update_yaxes(title_text="Số hồ sơ", tickformat=",d", secondary_y=False, rangemode="tozero")
    fig.update_yaxes(title_text="Tỷ lệ (%)", range=[0, 105], secondary_y=True, showgrid=False,
                     tickmode="array", tickvals=[0, 25, 50, 75, 100],
                     ticktext=["0 %", "25 %", "50 %", "75 %", "100 %"])
    fig.update_xaxes(type="category")
    mark_merger(fig, list(x), merger)
    return _layout(fig, title=title)


def make_score_trend_chart(df: pd.DataFrame, *, month: str = "Tháng", score: str = "Điểm đánh giá TB",
                           title: str | None = None, merger: dt.date | None = None) -> go.Figure:
    data = df.dropna(subset=[score]) if score in df else df.iloc[0:0]
    if data.empty:
        return empty_figure("Chưa có điểm đánh giá trong kỳ")
    fig = go.Figure(go.Scatter(
        x=data[month].astype(str), y=data[score], mode="lines+markers", name="Điểm TB",
        line={"color": BLUE, "width": 2.5},
        hovertemplate="%{x}<br>Điểm TB: %{y:.1f}<extra></extra>"))
    low = max(0.0, float(data[score].min()) - 10)
    fig.update_yaxes(title_text="Điểm (thang 100)", range=[low, 100])
    fig.update_xaxes(type="category")
    mark_merger(fig, list(data[month].astype(str)), merger)
    return _layout(fig, title=title)


# Score bands of the classification (classification_bands: 90 / 70 / 50), for colours and keys.
SCORE_BANDS = (
    (90.0, GREEN, "Từ 90: xuất sắc"),
    (70.0, BLUE, "70 – dưới 90: tốt"),
    (50.0, ORANGE, "50 – dưới 70: hoàn thành"),
    (float("-inf"), RED, "Dưới 50: không hoàn thành"),
)


def score_band(score: float) -> int:
    """Index in SCORE_BANDS of a score."""
    return next(i for i, (low, _c, _l) in enumerate(SCORE_BANDS) if score >= low)


def make_score_bar_chart(df: pd.DataFrame, *, unit: str = "Đơn vị", score: str = "Điểm TB",
                         title: str | None = None) -> go.Figure:
    """Horizontal bars, best at the top, coloured by score band with a key (one trace per band
    present); height grows with the number of units."""
    data = df.dropna(subset=[score])
    if data.empty:
        return empty_figure("Chưa có điểm đánh giá trong kỳ")
    data = data.sort_values(score, ascending=True, kind="stable")
    labels = _unique_short(list(data[unit]))
    bands = [score_band(float(v)) for v in data[score]]
    fig = go.Figure()
    for i, (_low, color, name) in enumerate(SCORE_BANDS):
        rows = [j for j, b in enumerate(bands) if b == i]
        if not rows:
            continue
        part = data.iloc[rows]
        fig.add_bar(
            x=part[score], y=[labels[j] for j in rows], orientation="h", marker_color=color, name=name,
            customdata=list(part[unit]), legendrank=i,
            text=[f"{v:.1f}".replace(".", ",") for v in part[score]], textposition="auto",
            hovertemplate="%{customdata}<br>Điểm TB: %{x:.1f}<extra></extra>")
    fig.update_xaxes(title_text=None, range=[0, 100])
    # One category axis shared by the band traces, in score order (a trace per band would
    # otherwise group the units by band).
    fig.update_yaxes(title_text=None, type="category", categoryorder="array", categoryarray=labels)
    fig.update_layout(barmode="overlay", showlegend=True)
    return _layout(fig, height=max(260, 26 * len(data) + 110), title=title)


MAX_HEATMAP_TEXT_MONTHS = 12


def make_heatmap(df: pd.DataFrame, *, unit: str = "Đơn vị", month: str = "Tháng", score: str = "Điểm",
                 title: str | None = None) -> go.Figure:
    """Unit x month average score. `df` is long (one row per unit and month), in the order the
    units and months should appear."""
    if df.empty:
        return empty_figure("Chưa có điểm đánh giá trong kỳ")
    units = list(dict.fromkeys(df[unit]))
    months = list(dict.fromkeys(df[month].astype(str)))
    grid = (df.assign(**{month: df[month].astype(str)})
              .pivot_table(index=unit, columns=month, values=score, aggfunc="mean")
              .reindex(index=units, columns=months))
    full = [[u] * len(months) for u in units]
    # The score in each cell when a cell is wide enough for "92,5": up to 12 months on a laptop.
    # On a phone the cells are too narrow; the CSS of ui.components hides the text there.
    show_text = len(months) <= MAX_HEATMAP_TEXT_MONTHS
    fig = go.Figure(go.Heatmap(
        z=grid.values, x=months, y=_unique_short(units), zmin=0, zmax=100, customdata=full,
        colorscale=[[0, RED], [0.5, "#f6d55c"], [0.7, "#9ccc65"], [1, GREEN]],
        colorbar={"title": {"text": "Điểm"}, "thickness": 12, "orientation": "h", "y": -0.02,
                  "yanchor": "top", "len": 0.8, "ypad": 0},
        texttemplate="%{z:.1f}" if show_text else None, textfont={"size": 11},
        hovertemplate="%{customdata}<br>%{x}: %{z:.1f} điểm<extra></extra>", xgap=1, ygap=1))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    return _layout(fig, height=max(300, 24 * len(units) + 150), title=title)


def make_unit_history_chart(df: pd.DataFrame, *, month: str = "Tháng", score: str = "Điểm",
                            rank: str | None = "Hạng", title: str | None = None,
                            merger: dt.date | None = None) -> go.Figure:
    data = df.dropna(subset=[score]) if score in df else df.iloc[0:0]
    if data.empty:
        return empty_figure("Đơn vị chưa có điểm đánh giá trong kỳ")
    custom = data[rank] if rank and rank in data else None
    hover = "%{x}<br>Điểm: %{y:.1f}" + ("<br>Hạng: %{customdata}" if custom is not None else "") + "<extra></extra>"
    fig = go.Figure(go.Scatter(x=data[month].astype(str), y=data[score], mode="lines+markers",
                               line={"color": BLUE, "width": 2.5}, customdata=custom,
                               hovertemplate=hover, name="Điểm"))
    for level, color, name in ((90, GREEN, "Xuất sắc ≥ 90"), (70, BLUE, "Tốt ≥ 70"),
                               (50, ORANGE, "Hoàn thành ≥ 50")):
        fig.add_hline(y=level, line_dash="dot", line_color=color, opacity=0.6,
                      annotation={"text": name, "font": {"size": 11, "color": color},
                                  "bgcolor": "rgba(255,255,255,0.8)"},
                      annotation_position="bottom right")
    fig.update_yaxes(title_text="Điểm", range=[max(0.0, min(40.0, float(data[score].min()) - 10)), 100])
    fig.update_xaxes(type="category")
    mark_merger(fig, list(data[month].astype(str)), merger)
    return _layout(fig, height=320, title=title)


def make_rate_bar_chart(df: pd.DataFrame, *, group: str, rate: str, count: str | None = None,
                        title: str | None = None, color: str = RED, top: int = 20,
                        only_positive: bool = False) -> go.Figure:
    """Horizontal bars of a rate (0-100) per group, highest first, at most `top` groups
    (only those above 0 with `only_positive`)."""
    data = df.dropna(subset=[rate])
    if only_positive:
        data = data[data[rate] > 0]
    if data.empty:
        return empty_figure("Không có hồ sơ trả quá hạn trong kỳ" if only_positive
                            else "Không có hồ sơ đã giải quyết trong kỳ")
    data = data.sort_values(rate, ascending=False).head(top).iloc[::-1]
    names = [str(g) for g in data[group]]
    counts = list(data[count]) if count and count in data else [None] * len(names)
    custom = [[n, c] for n, c in zip(names, counts)]
    hover = "%{customdata[0]}<br>%{x:.1f} %" + (" của %{customdata[1]:,.0f} hồ sơ" if count else "") + "<extra></extra>"
    fig = go.Figure(go.Bar(x=data[rate], y=_unique_short(names), orientation="h", marker_color=color,
                           customdata=custom, hovertemplate=hover,
                           text=[f"{v:.1f} %".replace(".", ",") for v in data[rate]], textposition="auto"))
    fig.update_xaxes(title_text="Tỷ lệ (%)", range=[0, max(10.0, float(data[rate].max()) * 1.15)],
                     ticksuffix=" %")
    fig.update_yaxes(type="category", title_text=None)
    return _layout(fig, height=max(240, 26 * len(data) + 90), title=title)


def make_coverage_chart(df: pd.DataFrame, *, x: str, y: str, series: str | None = None,
                        title: str | None = None) -> go.Figure:
    """Coverage percentage (0-100) over x (years), one line per series. Coverage sits near 100 %,
    so the axis starts a little below the lowest value: a line, not a bar, so no false baseline."""
    data = df.dropna(subset=[y])
    if data.empty:
        return empty_figure("Chưa có số liệu cam kết")
    fig = go.Figure()
    palette = [BLUE, GREEN, ORANGE, "#6a1b9a"]
    groups = [(None, data)] if series is None else list(data.groupby(series, sort=False))
    for i, (name, part) in enumerate(groups):
        label = str(name) if name is not None else y
        fig.add_scatter(x=part[x].astype(str), y=part[y], name=label, mode="lines+markers",
                        line={"color": palette[i % len(palette)], "width": 2.5},
                        hovertemplate="%{x}<br>" + (f"{label}: " if name is not None else "") +
                                      "%{y:.1f} %<extra></extra>")
    low = min(95.0, float(data[y].min()) - 2)
    fig.update_yaxes(title_text="Tỷ lệ đã ký (%)", range=[max(0.0, low), 100.5], ticksuffix=" %")
    fig.update_xaxes(type="category", title_text=None)
    return _layout(fig, title=title)


def make_coverage_bar_chart(df: pd.DataFrame, *, x: str, y: str, series: str,
                            short_names: dict[str, str] | None = None,
                            title: str | None = None) -> go.Figure:
    """Grouped bars: the coverage (0-100 %) of each series (commitment) in each x (year), the
    value on the bar. Bars start at 0 (a bar's length must mean the number); with one year it
    is three bars side by side, not three dots on top of each other. Long series names get a
    short legend label (`short_names`); the hover keeps the full name."""
    data = df.dropna(subset=[y])
    if data.empty:
        return empty_figure("Chưa có số liệu cam kết")
    palette = [BLUE, GREEN, ORANGE, "#6a1b9a"]
    short_names = short_names or {}
    fig = go.Figure()
    for i, (name, part) in enumerate(data.groupby(series, sort=False)):
        fig.add_bar(
            x=part[x].astype(str), y=part[y], name=short_names.get(str(name), short_label(name, 30)),
            marker_color=palette[i % len(palette)], customdata=[str(name)] * len(part),
            text=[f"{v:.1f}".replace(".", ",") for v in part[y]],
            textposition="inside", insidetextanchor="end", textangle=0,
            hovertemplate="%{x} · %{customdata}<br>%{y:.1f} % đã ký<extra></extra>")
    fig.update_yaxes(title_text="Tỷ lệ đã ký (%)", range=[0, 100.5], ticksuffix=" %",
                     tickvals=[0, 25, 50, 75, 100])
    fig.update_xaxes(type="category", title_text=None)
    # Values that do not fit their bar (many years, a phone) are left out, not shrunk to dust.
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05,
                      uniformtext={"minsize": 10, "mode": "hide"})
    return _layout(fig, title=title)


# -- the rest of the evidence: satisfaction, inspections, staff ratings, commendations ------------

def _pct_text(v: float) -> str:
    return f"{v:.1f} %".replace(".", ",")


def _num_text(v: float) -> str:
    return f"{v:.1f}".replace(".", ",")


def make_satisfaction_trend_chart(df: pd.DataFrame, *, month: str = "Tháng",
                                  share: str = "Tỷ lệ rất hài lòng (%)",
                                  satisfied: str = "Tỷ lệ hài lòng trở lên (%)",
                                  target: float = 90.0, title: str | None = None) -> go.Figure:
    """The very-satisfied share per month (line), the satisfied-or-better share (thin line) and
    the target as a dashed line; months below the target are marked red."""
    data = df.dropna(subset=[share]) if share in df else df.iloc[0:0]
    if data.empty:
        return empty_figure("Chưa có phiếu khảo sát trong kỳ")
    x = data[month].astype(str)
    fig = go.Figure()
    if satisfied in data:
        fig.add_scatter(x=x, y=data[satisfied], name="Hài lòng trở lên", mode="lines",
                        line={"color": "#9ec5e8", "width": 2},
                        hovertemplate="%{x}<br>Hài lòng trở lên: %{y:.1f} %<extra></extra>")
    colors = [GREEN if v >= target else RED for v in data[share]]
    fig.add_scatter(x=x, y=data[share], name="Rất hài lòng", mode="lines+markers",
                    line={"color": BLUE, "width": 2.5}, marker={"color": colors, "size": 8},
                    hovertemplate="%{x}<br>Rất hài lòng: %{y:.1f} %<extra></extra>")
    fig.add_hline(y=target, line_dash="dash", line_color=ORANGE,
                  annotation={"text": f"Mục tiêu {target:.0f} %", "font": {"size": 11, "color": ORANGE},
                              "bgcolor": "rgba(255,255,255,0.8)"},
                  annotation_position="bottom right")
    low = min(float(data[share].min()), target) - 5
    fig.update_yaxes(title_text="Tỷ lệ (%)", range=[max(0.0, low), 101], ticksuffix=" %")
    fig.update_xaxes(type="category")
    return _layout(fig, height=340, title=title)


def make_target_bar_chart(df: pd.DataFrame, *, group: str, value: str, target: float,
                          higher_is_better: bool = True, title: str | None = None,
                          axis_title: str = "Tỷ lệ (%)", percent: bool = True,
                          marker_label: str = "Mục tiêu", judge: bool = True) -> go.Figure:
    """Horizontal bars of a value per group, in the table's order (first at the top), a dashed
    line at `target`; bars on the wrong side of it red, the others green (`judge=False`: all
    blue, the line for reference only)."""
    data = df.dropna(subset=[value])
    if data.empty:
        return empty_figure()
    data = data.iloc[::-1]
    names = [str(g) for g in data[group]]
    good = [(v >= target) if higher_is_better else (v <= target) for v in data[value]]
    text = [(_pct_text if percent else _num_text)(v) for v in data[value]]
    suffix = " %" if percent else ""
    fig = go.Figure(go.Bar(
        x=data[value], y=_unique_short(names), orientation="h", customdata=names,
        marker_color=[(GREEN if g else RED) if judge else BLUE for g in good], text=text, textposition="auto",
        hovertemplate="%{customdata}<br>%{x:.1f}" + suffix + "<extra></extra>"))
    fig.add_vline(x=target, line_dash="dash", line_color=ORANGE,
                  annotation={"text": f"{marker_label} {target:.0f}{suffix}".replace(".", ","),
                              "font": {"size": 11, "color": ORANGE}, "bgcolor": "rgba(255,255,255,0.8)"},
                  annotation_position="top")
    top = max(float(data[value].max()), target) * 1.15
    fig.update_xaxes(title_text=axis_title, range=[0, max(top, 1.0)], ticksuffix=suffix)
    fig.update_yaxes(type="category", title_text=None)
    return _layout(fig, height=max(240, 26 * len(data) + 110), title=title)


def make_value_bar_chart(df: pd.DataFrame, *, group: str, value: str, title: str | None = None,
                         axis_title: str | None = None, color: str = ORANGE, hover_unit: str = "",
                         empty: str = "Không có dữ liệu") -> go.Figure:
    """Horizontal bars of a (non-percentage) value per group, in the table's order, first at the
    top; the value written on the bar with one decimal."""
    data = df.dropna(subset=[value])
    if data.empty:
        return empty_figure(empty)
    data = data.iloc[::-1]
    names = [str(g) for g in data[group]]
    fig = go.Figure(go.Bar(
        x=data[value], y=_unique_short(names), orientation="h", marker_color=color, customdata=names,
        text=[_num_text(v) for v in data[value]], textposition="auto",
        hovertemplate="%{customdata}<br>%{x:.1f}" + hover_unit + "<extra></extra>"))
    fig.update_xaxes(title_text=axis_title, range=[0, max(1.0, float(data[value].max()) * 1.15)])
    fig.update_yaxes(type="category", title_text=None)
    return _layout(fig, height=max(220, 26 * len(data) + 100), title=title)


def _whole_number_ticks(fig: go.Figure, top: float, axis: str = "y", **where) -> None:
    """Counts on an axis: ticks 0, 1, 2 … when the largest value is small (",d" on automatic
    ticks 0; 0,5; 1 … printed 0, 1, 1, 2)."""
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    if top <= 10:
        update(dtick=1, tick0=0, tickformat=",d", **where)
    else:
        update(tickformat=",d", **where)


def make_inspection_trend_chart(df: pd.DataFrame, *, period: str, checked: str = "Lượt CBCCVC được kiểm tra",
                                rate: str = "Vi phạm / 100 lượt kiểm tra", title: str | None = None) -> go.Figure:
    """Bars: officials checked per year / quarter (left axis); line: violations per 100 checked."""
    if df.empty:
        return empty_figure("Chưa có cuộc kiểm tra nào")
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    x = df[period].astype(str)
    fig.add_bar(x=x, y=df[checked], name="Lượt được kiểm tra", marker_color="#9ec5e8",
                hovertemplate="%{x}<br>Được kiểm tra: %{y:,.0f} lượt<extra></extra>")
    fig.add_scatter(x=x, y=df[rate], name="Vi phạm / 100 lượt", mode="lines+markers",
                    line={"color": RED, "width": 2.5}, secondary_y=True,
                    hovertemplate="%{x}<br>%{y:.1f} vi phạm / 100 lượt<extra></extra>")
    fig.update_yaxes(title_text="Lượt được kiểm tra", secondary_y=False, rangemode="tozero")
    _whole_number_ticks(fig, float(df[checked].max()), secondary_y=False)
    # Ticks of its own (not aligned to the left axis: that gave 1,9 / 3,81 / 5,71).
    fig.update_yaxes(title_text="Vi phạm / 100 lượt", secondary_y=True, showgrid=False, rangemode="tozero",
                     tickmode="auto", nticks=6, tickformat=",.1~f")
    fig.update_xaxes(type="category")
    return _layout(fig, height=340, title=title)


CLASS_COLORS = (("Xuất sắc", GREEN), ("Tốt", BLUE), ("Hoàn thành", ORANGE), ("Không hoàn thành", RED),
                ("Chưa xếp loại", "#cfd3d8"))


def make_class_bar_chart(df: pd.DataFrame, *, unit: str = "Đơn vị", title: str | None = None) -> go.Figure:
    """Stacked horizontal bars: officials per class for each unit (one year), in the table's order."""
    if df.empty:
        return empty_figure("Chưa có kết quả xếp loại")
    data = df.iloc[::-1]
    names = [str(u) for u in data[unit]]
    labels = _unique_short(names)
    fig = go.Figure()
    for i, (col, color) in enumerate(CLASS_COLORS):
        if col not in data or not (pd.to_numeric(data[col]).fillna(0) > 0).any():
            continue
        fig.add_bar(x=data[col], y=labels, orientation="h", name=col, marker_color=color, customdata=names,
                    legendrank=i, hovertemplate="%{customdata}<br>" + col + ": %{x:,.0f} người<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Số CBCCVC")
    _whole_number_ticks(fig, float(pd.to_numeric(data["Số CBCCVC"]).max()) if "Số CBCCVC" in data else 100.0, "x")
    fig.update_yaxes(type="category", title_text=None, categoryorder="array", categoryarray=labels)
    fig = _layout(fig, height=max(300, 30 * len(data) + 170), title=title)
    # Stacked bars list their legend backwards by default: Xuất sắc … Chưa xếp loại, as stacked.
    fig.update_layout(legend={"traceorder": "normal"})
    return fig


def make_commendation_chart(df: pd.DataFrame, *, year: str = "Năm", form: str = "Hình thức",
                            total: str = "Tổng số", title: str | None = None) -> go.Figure:
    """Stacked bars: recipients per year, one colour per form of commendation."""
    if df.empty:
        return empty_figure("Chưa có quyết định khen thưởng")
    palette = [BLUE, GREEN, ORANGE, "#6a1b9a", "#00838f", "#8d6e63", GREY]
    fig = go.Figure()
    for i, (name, part) in enumerate(df.groupby(form, sort=False)):
        fig.add_bar(x=part[year].astype(str), y=part[total], name=short_label(name, 30),
                    marker_color=palette[i % len(palette)], customdata=[str(name)] * len(part),
                    hovertemplate="%{x} · %{customdata}<br>%{y:,.0f} lượt<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text="Lượt khen thưởng", rangemode="tozero")
    _whole_number_ticks(fig, float(df.groupby(year)[total].sum().max()))
    fig.update_xaxes(type="category", title_text=None)
    return _layout(fig, height=340, title=title)
