""""Bản tin": one picture of the period's key figures and one chart, sized for a phone's group
chat (1080 × 1350, portrait 4:5), drawn as one plotly figure and rendered by kaleido.
The figures are the KPI cards of Tổng quan (metrics.tables.kpis, this period and the previous
equal one); the chart is the monthly trend of the 12 months ending with the period.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import plotly.graph_objects as go

from metrics import tables
from ui.charts import BLUE, GREEN, GREY, RED
from ui.format import vn_date, vn_int, vn_num, vn_pct, vn_signed

from .data import ReportData
from .sections import has_dossiers

WIDTH, HEIGHT = 1080, 1350
FONT = "Liberation Sans, Arial, DejaVu Sans, sans-serif"

# (kpi key, label, kind, higher is better: True / False / None)
TILES = (
    ("received", "Hồ sơ tiếp nhận", "int", None),
    ("on_time_rate", "Tỷ lệ giải quyết đúng hạn", "pct", True),
    ("late", "Hồ sơ trả quá hạn", "int", False),
    ("pending_overdue", "Quá hạn chưa trả", "int", False),
    ("apology_coverage", "Quá hạn có phiếu xin lỗi", "pct", True),
    ("online_share", "Nộp trực tuyến", "pct", True),
    ("avg_score", "Điểm đánh giá TB", "score", True),
    ("commitment_coverage", "Tỷ lệ ký cam kết", "pct", True),
)
DOSSIER_KEYS = {"received", "on_time_rate", "late", "pending_overdue", "apology_coverage", "online_share"}


def trend_filters(filters, first_month: date | None, months: int = 12):
    """The 12 months ending with the period's last month (not before the first month with
    data), or the period itself when it is longer (as Tổng quan's trend chart)."""
    end = date(filters.date_to.year, filters.date_to.month, 1)
    index = end.year * 12 + end.month - 1 - (months - 1)
    start = date(index // 12, index % 12 + 1, 1)
    if first_month is not None:
        start = max(start, date(first_month.year, first_month.month, 1))
    return replace(filters, date_from=min(start, filters.date_from))


def _value(kind: str, x) -> str:
    return {"int": vn_int, "pct": vn_pct, "score": vn_num}[kind](x)


def _change(kind: str, cur, prev, better) -> tuple[str, str]:
    if cur is None or prev is None:
        return "", GREY
    diff = float(cur) - float(prev)
    text = (vn_signed(diff, decimals=0) if kind == "int" else
            vn_signed(diff, unit=" điểm %") if kind == "pct" else vn_signed(diff, unit=" điểm"))
    if not any(ch in "123456789" for ch in text):
        return "không đổi so với kỳ trước", GREY
    color = GREY if better is None else (GREEN if (diff > 0) == better else RED)
    return f"{text} so với kỳ trước", color


def figure(d: ReportData, trend) -> go.Figure:
    fig = go.Figure()
    shapes, notes = [], []

    def note(x, y, text, size, color="#1b1f24", bold=False, anchor="left", yanchor="middle"):
        notes.append(dict(x=x, y=y, xref="paper", yref="paper", showarrow=False, xanchor=anchor,
                          yanchor=yanchor, text=f"<b>{text}</b>" if bold else text,
                          font={"size": size, "color": color, "family": FONT}))

    # Title band
    shapes.append(dict(type="rect", xref="paper", yref="paper", x0=-0.08, x1=1.08, y0=0.885, y1=1.1,
                       fillcolor=BLUE, line={"width": 0}, layer="below"))
    note(0.0, 0.965, "BẢN TIN VĂN HÓA CÔNG SỞ", 46, "white", bold=True)
    note(0.0, 0.93, d.issuer_name(), 28, "white")
    f = d.filters
    note(0.0, 0.902, f"Kỳ báo cáo: {vn_date(f.date_from)} – {vn_date(f.date_to)}", 26, "#dce9f5")

    k, p = d.kpis, d.kpis_previous
    prev_ok = has_dossiers(p)
    rows, top, bottom = 4, 0.865, 0.455
    tile_h = (top - bottom) / rows
    for i, (key, label, kind, better) in enumerate(TILES):
        col, row = i % 2, i // 2
        x0 = 0.0 if col == 0 else 0.51
        y1 = top - row * tile_h
        y0 = y1 - tile_h + 0.008
        shapes.append(dict(type="rect", xref="paper", yref="paper", x0=x0, x1=x0 + 0.49, y0=y0, y1=y1,
                           fillcolor="#f3f6fa", line={"color": "#d5dde7", "width": 1}, layer="below"))
        cur = k.get(key)
        prev = p.get(key) if (prev_ok or key not in DOSSIER_KEYS) else None
        note(x0 + 0.025, y1 - 0.018, label, 25, "#4a5361")
        if cur is None or (key in DOSSIER_KEYS and not has_dossiers(k)):
            note(x0 + 0.025, y0 + tile_h * 0.42, "Chưa có số liệu", 30, GREY)
            continue
        note(x0 + 0.025, y0 + tile_h * 0.45, _value(kind, cur), 50, "#1b1f24", bold=True)
        text, color = _change(kind, cur, prev, better)
        note(x0 + 0.025, y0 + 0.02, text, 21, color)

    # The chart: dossiers received per month (bars) and the on-time rate (line)
    chart_top, chart_bottom = 0.375, 0.075
    note(0.0, 0.432, "Hồ sơ tiếp nhận và tỷ lệ đúng hạn theo tháng", 28, "#1b1f24", bold=True)
    if trend is not None and not trend.empty:
        x = list(trend["Tháng"].astype(str))
        fig.add_bar(x=x, y=list(trend["Hồ sơ tiếp nhận"]), marker_color="#9ec5e8", name="Hồ sơ tiếp nhận",
                    yaxis="y")
        fig.add_scatter(x=x, y=list(trend["Tỷ lệ đúng hạn (%)"]), mode="lines+markers", yaxis="y2",
                        line={"color": GREEN, "width": 4}, marker={"size": 10}, name="Tỷ lệ đúng hạn (%)")
        fig.update_layout(
            xaxis={"domain": [0.0, 1.0], "anchor": "y", "type": "category", "tickfont": {"size": 18},
                   "tickangle": -45 if len(x) > 6 else 0},
            yaxis={"domain": [chart_bottom, chart_top], "tickfont": {"size": 18}, "tickformat": ",d",
                   "gridcolor": "#e6e9ee", "rangemode": "tozero"},
            yaxis2={"overlaying": "y", "side": "right", "range": [0, 105], "ticksuffix": " %",
                    "tickmode": "array", "tickvals": [0, 25, 50, 75, 100],
                    "ticktext": ["0 %", "25 %", "50 %", "75 %", "100 %"],
                    "tickfont": {"size": 18, "color": GREEN}, "showgrid": False},
            legend={"orientation": "h", "x": 0, "y": chart_top + 0.008, "yanchor": "bottom",
                    "font": {"size": 20}},
        )
    else:
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        note(0.5, 0.25, "Chưa có số liệu hồ sơ theo tháng", 28, GREY, anchor="center")
    until = d.fresh.get("data_until")
    footer = f"Dữ liệu đến ngày {vn_date(until)}" if until else "Chưa có dữ liệu"
    footer += " · Nguồn: Bảng điều khiển văn hóa công sở"
    note(0.0, -0.035, footer, 20, "#4a5361")
    if d.fresh.get("is_demo"):
        note(1.0, -0.035, "<b>DỮ LIỆU MINH HỌA</b>", 20, "#b45309", anchor="right")
    fig.update_layout(width=WIDTH, height=HEIGHT, shapes=shapes, annotations=notes, separators=",.",
                      margin={"l": 56, "r": 56, "t": 36, "b": 70}, plot_bgcolor="white",
                      paper_bgcolor="white", font={"family": FONT}, showlegend=True)
    return fig


def build_png(d: ReportData, con) -> bytes:
    """The bulletin PNG (1080 × 1350) for ReportData `d`; `con` for the 12-month trend."""
    from . import pictures

    first = (d.fresh.get("months_with_data") or (None, None))[0]
    trend = tables.shown("trend", con, trend_filters(d.filters, first)) if has_dossiers(d.kpis) else None
    return pictures.png(figure(d, trend), WIDTH, HEIGHT, scale=1.0)
