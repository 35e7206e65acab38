"""Shared Streamlit pieces: page header, KPI cards, tables with their CSV download, messages."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import streamlit as st

from ui import data
from ui.format import vn_date, vn_datetime, vn_int, vn_num, vn_pct, vn_signed


def page_header(title: str, question: str, fresh: dict, sel) -> None:
    """Title, what the page answers, how fresh the data is, the demo badge, the active filters."""
    st.title(title)
    st.caption(question)
    until = fresh.get("data_until") if fresh else None
    line = f"Dữ liệu đến ngày **{vn_date(until)}**" if until else "Chưa có dữ liệu"
    scope = ", ".join(sel.unit_names) if sel.unit_names else "tất cả đơn vị"
    if sel.kind_label != "Tất cả":
        scope += f" · {sel.kind_label.lower()}"
    cols = st.columns([3, 1]) if fresh and fresh.get("is_demo") else [st.container()]
    with cols[0]:
        st.markdown(f"{line} · Kỳ: **{sel.period_label}** · Đơn vị: **{scope}**")
    if len(cols) > 1:
        with cols[1]:
            st.badge("Dữ liệu minh họa", icon=":material/science:", color="orange",
                     help="Số liệu tạo tự động để trình diễn, không phải số liệu thật.")


def no_data(what: str, hint: str = "Hãy chọn kỳ báo cáo dài hơn hoặc bỏ bớt điều kiện lọc xã / loại đơn vị.") -> None:
    st.info(f"{what} {hint}", icon=":material/info:")


@dataclass(frozen=True)
class Card:
    label: str
    value: float | None
    previous: float | None
    kind: str = "int"           # int | pct | score
    higher_is_better: bool | None = True   # None: neither (e.g. volume)
    help: str | None = None


def _fmt(kind: str, x) -> str:
    return {"int": vn_int, "pct": vn_pct, "score": vn_num}[kind](x)


def _delta(card: Card) -> str | None:
    if card.value is None or card.previous is None or pd.isna(card.value) or pd.isna(card.previous):
        return None
    diff = float(card.value) - float(card.previous)
    if card.kind == "int":
        return vn_signed(diff, decimals=0)
    if card.kind == "pct":
        return vn_signed(diff, unit=" điểm %")
    return vn_signed(diff, unit=" điểm")


def kpi_cards(cards: list[Card], per_row: int = 4) -> None:
    for start in range(0, len(cards), per_row):
        cols = st.columns(per_row)
        for col, card in zip(cols, cards[start:start + per_row]):
            delta = _delta(card)
            color = "off" if card.higher_is_better is None else ("normal" if card.higher_is_better else "inverse")
            col.metric(
                card.label,
                _fmt(card.kind, card.value),
                delta=delta,
                delta_color=color,
                delta_description="so với kỳ trước" if delta else None,
                help=card.help,
                border=True,
            )


def _is_pct(col: str) -> bool:
    return "%" in col or col.lower().startswith("tỷ lệ")


def formatters(df: pd.DataFrame) -> dict[str, Callable]:
    """Vietnamese display format per column, from its dtype and its heading."""
    out: dict[str, Callable] = {}
    for col in df.columns:
        s = df[col]
        name = str(col)
        if pd.api.types.is_datetime64_any_dtype(s):
            has_time = (s.dropna().dt.normalize() != s.dropna()).any()
            out[col] = vn_datetime if has_time else vn_date
        elif pd.api.types.is_bool_dtype(s):
            out[col] = lambda x: "Có" if x else "Không"
        elif pd.api.types.is_integer_dtype(s):
            out[col] = vn_int
        elif pd.api.types.is_float_dtype(s):
            if _is_pct(name):
                out[col] = vn_pct
            elif s.dropna().apply(lambda v: float(v).is_integer()).all() and "điểm" not in name.lower():
                out[col] = vn_int
            else:
                out[col] = vn_num
        elif s.dtype == object:
            sample = s.dropna()
            if len(sample) and all(isinstance(v, (dt.date, dt.datetime)) for v in sample.head(50)):
                out[col] = vn_date
    return out


def styled(df: pd.DataFrame):
    """A Styler that shows Vietnamese numbers and dates while keeping the values typed, so
    sorting a column still sorts numbers."""
    return df.style.format(formatters(df), na_rep="–")


def table(
    df: pd.DataFrame,
    *,
    slug: str,
    sel,
    key: str,
    height: int | str = "auto",
    highlight: Callable[[pd.Series], list[str]] | None = None,
    column_config: dict | None = None,
) -> None:
    """Show a table and, under it, the CSV of exactly that table."""
    sty = styled(df)
    if highlight is not None:
        sty = sty.apply(highlight, axis=1)
    st.dataframe(sty, hide_index=True, width="stretch", height=height, column_config=column_config, key=key)
    download(df, slug=slug, sel=sel, key=f"dl-{key}")


def download(df: pd.DataFrame, *, slug: str, sel, key: str, label: str = "Tải bảng (CSV)") -> None:
    st.download_button(
        label,
        data=data.csv_bytes(df),
        file_name=data.csv_name(slug, sel.filters, sel.unit_names),
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key=key,
    )


def chart(fig, key: str) -> None:
    st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False, "locale": "vi",
                                                           "modeBarButtonsToRemove": ["lasso2d", "select2d"]})
