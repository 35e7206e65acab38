"""KPI cards and short plain tables as ONE st.html block each, instead of one Streamlit element per
figure (12 `st.metric` on Tổng quan) and `st.table`.

Why: what a leader waits for on Tổng quan is the browser's work, not the data (bench/NOTES.md,
sixteenth and seventeenth passes): Streamlit's cost per element (React, its CSS-in-JS, and for
`st.table` a component chunk loaded lazily after the script's last message, which shows a
skeleton a second time). Measured on 04/12/2026 (1M dossiers, a returning user's new tab, this
code and the commit before it served side by side and opened alternately): Tổng quan drawn in
2.23 s → 2.02 s on the benchmark's machine, and 8.07 s → 6.84 s with Chromium's CPU throttled 4×
(a phone's speed). Pages with 4–6 cards did not measurably change.

The cards look and read like `st.metric` with a border (label, a help icon whose explanation
shows on hover or, on a phone, on a tap, the value, the change in a coloured pill); the help
icon's label is Vietnamese, where Streamlit's says "Help for …". The tables look like `st.table`
(numbers right-aligned) and scroll sideways inside their own box on a narrow screen.

Pure: values in, HTML out; no streamlit, no data access. Every text shown is escaped.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from ui.format import KIND_FORMATS, is_missing


@dataclass(frozen=True)
class Card:
    label: str
    value: float | None
    previous: float | None
    kind: str = "int"           # int | pct | score | num (one decimal, no unit: a rate per 100)
    higher_is_better: bool | None = True   # None: neither (e.g. volume)
    help: str | None = None


UNCHANGED = "Không đổi"


def fmt(kind: str, x) -> str:
    return KIND_FORMATS[kind][0](x)


def delta(card: Card) -> str | None:
    """The change against the previous period as shown ("+2.009", "-0,1 điểm %"), None without one."""
    if is_missing(card.value) or is_missing(card.previous):
        return None
    return KIND_FORMATS[card.kind][1](float(card.value) - float(card.previous))


def is_zero(shown: str) -> bool:
    """A change that shows as zero ("0", "0,0 điểm %": also 0,04 rounded) has no direction."""
    return not any(ch in "123456789" for ch in shown)


def tone(card: Card, shown: str) -> str:
    """good | bad | neutral: the colour of a change that is not zero; neutral for a figure that is
    neither better higher nor lower (a volume)."""
    if card.higher_is_better is None:
        return "neutral"
    up = not shown.startswith("-")
    return "good" if up == card.higher_is_better else "bad"


# Icons as text: st.html's sanitiser (DOMPurify, HTML profile) drops inline SVG.
_HELP_ICON = '<span class="kpi-help-mark" aria-hidden="true">?</span>'
_ARROW = {"up": '<span aria-hidden="true">↑</span>', "down": '<span aria-hidden="true">↓</span>'}

# Colours and sizes as st.metric draws them in the app's light theme (.streamlit/config.toml),
# read from the browser on 04/12/2026. Five cards a row on a laptop, two on a phone.
KPI_CSS = """
<style>
.kpi-grid { display: flex; flex-wrap: wrap; gap: 0.75rem 1rem; }
.kpi { position: relative; flex: 1 1 calc(20% - 1rem); min-width: calc(20% - 1rem); box-sizing: border-box;
       border: 1px solid rgba(28, 37, 48, 0.2); border-radius: 0.5rem; padding: calc(1rem - 1px); }
.kpi-label { display: flex; align-items: center; gap: 0.25rem; font-size: 0.875rem; line-height: 1.6;
             min-height: 1.5rem; margin: 0; }
.kpi-help { display: inline-flex; cursor: help; border-radius: 50%; outline-offset: 2px; }
.kpi-help-mark { display: inline-flex; align-items: center; justify-content: center; width: 13px; height: 13px;
                 border: 1.6px solid rgba(28, 37, 48, 0.75); border-radius: 50%; font-size: 10px; font-weight: 700;
                 line-height: 1; color: rgba(28, 37, 48, 0.8); }
.kpi-tip { display: none; position: absolute; z-index: 5; left: 0.5rem; right: 0.5rem; top: 2.75rem;
           background: #fff; color: #1c2530; border: 1px solid rgba(28, 37, 48, 0.2); border-radius: 0.5rem;
           box-shadow: 0 4px 16px rgba(28, 37, 48, 0.15); padding: 0.5rem 0.75rem; font-size: 0.875rem;
           line-height: 1.45; }
.kpi-help:hover + .kpi-tip, .kpi-help:focus + .kpi-tip { display: block; }
.kpi-value { font-size: 2.25rem; line-height: 1.25; padding-bottom: 0.25rem; white-space: nowrap;
             overflow: hidden; text-overflow: ellipsis; }
.kpi-delta { display: inline-flex; align-items: center; gap: 0.125rem; font-size: 0.875rem; border-radius: 9999px;
             padding: 2px 6px 2px 4px; }
.kpi-delta.neutral { color: rgb(104, 98, 85); background: rgb(245, 244, 242); padding-left: 6px; }
.kpi-delta.good { color: rgb(12, 90, 68); background: rgb(241, 251, 246); }
.kpi-delta.bad { color: rgb(158, 48, 59); background: rgb(255, 241, 242); }
@media (max-width: 640px) {
  .kpi { flex: 1 1 calc(50% - 0.5rem); min-width: calc(50% - 0.5rem); }
  .kpi-value { font-size: 1.5rem; }
}
</style>
"""


def _card(card: Card, tip_id: str) -> str:
    e = html.escape
    shown = delta(card)
    label = f'<span class="kpi-label-text">{e(card.label)}</span>'
    if card.help:
        # A focusable icon: hover shows the explanation, and so does a tap on a phone (focus).
        label += (f'<span class="kpi-help" tabindex="0" role="img" aria-label="Giải thích: {e(card.label)}" '
                  f'aria-describedby="{tip_id}">{_HELP_ICON}</span>'
                  f'<span class="kpi-tip" id="{tip_id}" role="tooltip">{e(card.help)}</span>')
    out = [f'<div class="kpi" role="group" aria-label="{e(card.label)}">',
           f'<div class="kpi-label">{label}</div>',
           f'<div class="kpi-value">{e(fmt(card.kind, card.value))}</div>']
    if shown is not None:
        if is_zero(shown):
            out.append(f'<div><span class="kpi-delta neutral">{UNCHANGED}</span></div>')
        else:
            arrow = _ARROW["down" if shown.startswith("-") else "up"]
            out.append(f'<div><span class="kpi-delta {tone(card, shown)}">{arrow}'
                       f'<span class="kpi-delta-text">{e(shown)}</span></span></div>')
    out.append("</div>")
    return "".join(out)


def kpi_cards(cards: list[Card], key: str = "kpi-cards") -> str:
    """The cards as one block (its CSS included); `key` names the block (its class and the ids of
    its explanations: a page may show several blocks)."""
    key = re.sub(r"[^a-z0-9-]", "-", key.lower())
    return (KPI_CSS + f'<div class="kpi-grid {key}">'
            + "".join(_card(c, f"{key}-tip-{i}") for i, c in enumerate(cards)) + "</div>")


# As st.table draws it (1.67, light theme): a rounded frame, a rule under every row and between
# columns, headings lighter, numbers right-aligned.
TABLE_CSS = """
<style>
.plain-table { overflow-x: auto; border: 1px solid rgba(28, 37, 48, 0.1); border-radius: 0.5rem; }
.plain-table table { border-collapse: collapse; width: 100%; font-size: 0.875rem; color: #1c2530; }
.plain-table th, .plain-table td { padding: 4px 6px 4px 8px; border-bottom: 1px solid rgba(28, 37, 48, 0.1);
  border-right: 1px solid rgba(28, 37, 48, 0.1); text-align: left; font-weight: 400; line-height: 1.5;
  white-space: nowrap; }
.plain-table th { color: rgba(28, 37, 48, 0.7); }
.plain-table tr > :last-child { border-right: 0; }
.plain-table tbody tr:last-child > * { border-bottom: 0; }
.plain-table td.num { text-align: right; }
</style>
"""



def plain_table(sty, label: str) -> str:
    """A pandas Styler (its formats, and its cell colours when it has any) as a plain HTML table in
    a box labelled `label` for screen readers; columns of numbers right-aligned."""
    df = sty.data
    numeric = [i for i, col in enumerate(df.columns)
               if pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col])]
    # Styler.to_html writes text as it is: escape the text cells and the headings (`sty` is the
    # caller's, made for this table: its data is swapped for the escaped copy).
    text = df.copy()
    for j in range(text.shape[1]):
        if text.iloc[:, j].dtype == object or pd.api.types.is_string_dtype(text.iloc[:, j]):
            text.isetitem(j, text.iloc[:, j].map(lambda v: html.escape(v) if isinstance(v, str) else v))
    sty.data = text
    sty.format_index(escape="html", axis=1)
    # The Styler marks each body cell with its column ("data row0 col2"): tell number columns apart.
    body = sty.hide(axis="index").to_html(table_attributes='class="plain"')
    for i in numeric:
        body = re.sub(rf'(<td [^>]*class="data row\d+ col{i})"', r'\1 num"', body)
    return (TABLE_CSS + f'<div class="plain-table" role="region" aria-label="{html.escape(label)}" tabindex="0">'
            + body + "</div>")
