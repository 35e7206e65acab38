"""Pure chart builders: DataFrame in, plotly Figure out. No streamlit, no data access.

The report's pictures (report/sections.py: trend, score bars, commitment coverage; kaleido renders
them) and the colours, bands and label helpers the dashboard's Vega-Lite charts share
(ui/light_charts.py). The pages draw no Plotly: its 4.7 MB of JavaScript cost ~1 s per page
opened in a new tab (bench/NOTES.md).

Vietnamese labels; separators=",." makes plotly write 92,5 and 1.234; legends sit under the plot
and margins grow to fit the labels, so the charts stay legible on a phone (390 px wide).
"""
from __future__ import annotations

import datetime as dt
import re

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


_VALIDITY = re.compile(r"^(?P<name>.+) \((?P<word>đến|từ) \d{2}/\d{2}/(?P<year>\d{4})\)$")


def short_label(text: str, limit: int = 24) -> str:
    """Unit names run to 50 characters; on a phone the axis would eat the plot. The hover keeps
    the full name.

    A name that tells two units of one name apart by their validity ("Xã Cam Lộc (đến
    30/06/2025)", metrics/filters.py) keeps that part, as "(đến 2025)", and the name is cut
    instead: cut from the end, the label would read "Xã Cam Lộc (đến 30/06/2…", or lose the
    "(đến" that tells it from the new commune "Xã Cam Lộc (từ 2025)"."""
    text = str(text)
    if len(text) <= limit:
        return text
    m = _VALIDITY.match(text)
    if m:
        suffix = f" ({m['word']} {m['year']})"
        name = m["name"]
        if len(name) + len(suffix) <= limit:
            return name + suffix
        return name[: limit - len(suffix) - 1].rstrip() + "…" + suffix
    return text[: limit - 1].rstrip() + "…"


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


MAX_HEATMAP_TEXT_MONTHS = 12   # ui.light_charts.heatmap_spec writes the scores up to this many months


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


# The classes of staff ratings, in order (ui.light_charts.class_bar_spec).
CLASS_COLORS = (("Xuất sắc", GREEN), ("Tốt", BLUE), ("Hoàn thành", ORANGE), ("Không hoàn thành", RED),
                ("Chưa xếp loại", "#cfd3d8"))


