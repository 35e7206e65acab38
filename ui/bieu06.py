"""Biểu số 06/VPCP/KSTT as the form prints it: title block centred, a three-row grouped header
over the 13 numbered columns. Pure HTML building (no streamlit), so it can be tested directly.
The CSV download keeps the flat, numbered headings of metrics.tables.bieu06 plus the title block.
"""
from __future__ import annotations

import re
from html import escape

import pandas as pd

from ui.format import vn_int

_HEADER = """
<tr>
  <th rowspan="3">STT</th>
  <th rowspan="3" class="b06-label">{label}</th>
  <th colspan="4">Số hồ sơ nhận giải quyết</th>
  <th colspan="4">Số hồ sơ đã giải quyết</th>
  <th colspan="3">Số hồ sơ đang giải quyết</th>
</tr>
<tr>
  <th rowspan="2">Tổng số</th>
  <th colspan="2">Trong kỳ</th>
  <th rowspan="2">Từ kỳ trước</th>
  <th rowspan="2">Tổng số</th>
  <th rowspan="2">Trước hạn</th>
  <th rowspan="2">Đúng hạn</th>
  <th rowspan="2">Quá hạn</th>
  <th rowspan="2">Tổng số</th>
  <th rowspan="2">Trong hạn</th>
  <th rowspan="2">Quá hạn</th>
</tr>
<tr>
  <th>Trực tuyến</th>
  <th>Trực tiếp, dịch vụ bưu chính</th>
</tr>
<tr class="b06-num">{numbers}</tr>
"""

_CSS = """
<style>
.b06-wrap { overflow-x: auto; margin: 0.25rem 0 0.75rem 0; }
.b06-title { text-align: center; line-height: 1.45; margin-bottom: 0.5rem; }
.b06-title .b06-form { font-weight: 700; }
.b06-title .b06-heading { font-weight: 700; text-transform: uppercase; }
.b06-title .b06-period { font-style: italic; }
table.b06 { border-collapse: collapse; width: 100%; min-width: 860px; font-size: 0.82rem; }
table.b06 th, table.b06 td { border: 1px solid #c8ced6; padding: 0.3rem 0.4rem; }
table.b06 th { background: #f3f6fa; font-weight: 600; text-align: center; vertical-align: middle; }
table.b06 tr.b06-num th { font-weight: 400; font-style: italic; background: #fafbfc; }
table.b06 td { text-align: right; font-variant-numeric: tabular-nums; }
table.b06 td.b06-stt { text-align: center; }
table.b06 td.b06-label { text-align: left; }
table.b06 tr.b06-group td, table.b06 tr.b06-total td { font-weight: 700; background: #f7f9fb; }
</style>
"""


FIELD_HEADING = "Lĩnh vực, công việc giải quyết theo cấp"   # column (2) of the form


def title_html(lines: list[str]) -> str:
    """The title block, centred: form number, heading, period, (units), unit of measure."""
    out = []
    for i, line in enumerate(lines):
        cls = "b06-form" if i == 0 else "b06-heading" if i == 1 else "b06-period" if line.startswith("(") else ""
        out.append(f'<div class="{cls}">{escape(line)}</div>')
    return '<div class="b06-title">' + "".join(out) + "</div>"


def table_html(df: pd.DataFrame) -> str:
    """The 13-column table. `df` is metrics.tables.bieu06 (or bieu06_by_unit): column 0 STT, 1
    label (its heading, without the "(2)", heads the column; the form's own when it has none),
    2-12 counts."""
    numbers = "".join(f"<th>({i})</th>" for i in range(1, 14))
    heading = re.sub(r"^\(2\)\s*", "", str(df.columns[1])) or FIELD_HEADING
    rows = []
    for rec in df.itertuples(index=False):
        stt, label, counts = rec[0], rec[1], rec[2:]
        stt_text = "" if pd.isna(stt) else str(stt)
        if pd.isna(stt):
            cls = "b06-total"
        elif stt_text.isdigit():
            cls = ""
        else:
            cls = "b06-group"  # I, II: a level and its subtotal
        cells = [f'<td class="b06-stt">{escape(stt_text)}</td>',
                 f'<td class="b06-label">{escape("" if pd.isna(label) else str(label))}</td>']
        cells += [f"<td>{vn_int(v)}</td>" for v in counts]
        rows.append(f'<tr class="{cls}">' + "".join(cells) + "</tr>")
    return (
        '<div class="b06-wrap"><table class="b06"><thead>'
        + _HEADER.format(numbers=numbers, label=escape(heading))
        + "</thead><tbody>" + "".join(rows) + "</tbody></table></div>"
    )


def bieu06_html(title_lines: list[str], df: pd.DataFrame) -> str:
    return _CSS + title_html(title_lines) + table_html(df)
