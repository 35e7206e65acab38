"""The Excel annex (.xlsx, XlsxWriter): the sheet "Biểu 06" in the statutory layout of Thông tư
01/2020/TT-VPCP (title block, merged two-level headings, column numbers (1)–(13), level subtotals
and the total, Times New Roman, one A4 landscape page when printed) by field as the form has it,
the same form with a row per unit ("Biểu 06 theo đơn vị"), then a sheet per table of
the report, numbers as numbers (metrics.export.XLSX_FORMATS), headings frozen.
"""
from __future__ import annotations

import io

import xlsxwriter

from metrics.export import sheet_name, write_frame

from . import formats, sections
from .data import ReportData
from .model import Table

FONT = "Times New Roman"
BIEU06_SHEET = "Biểu 06"                    # rows per field (lĩnh vực), as the form and the dashboard
BIEU06_BY_UNIT_SHEET = "Biểu 06 theo đơn vị"  # the same columns, a row per unit
LAST_COL = 12   # M: the 13 columns of Biểu 06


def _bieu06_sheet(wb, d: ReportData, sheet: str = BIEU06_SHEET, table: str = "bieu06",
                  label_heading: str = "Lĩnh vực, công việc giải quyết theo cấp") -> None:
    ws = wb.add_worksheet(sheet)
    f = lambda **p: wb.add_format({"font_name": FONT, "font_size": 11, **p})  # noqa: E731
    bold_left = f(bold=True)
    title = f(bold=True, font_size=13, align="center", valign="vcenter", text_wrap=True)
    italic_center = f(italic=True, align="center")
    italic_right = f(italic=True, align="right")
    centered = f(align="center")
    head = f(bold=True, align="center", valign="vcenter", text_wrap=True, border=1)
    number_head = f(italic=True, align="center", border=1)
    cell = {
        (kind, bold): f(bold=bold, border=1, **props)
        for kind, props in (("stt", {"align": "center"}), ("label", {"text_wrap": True}),
                            ("num", {"num_format": "#,##0"}))
        for bold in (False, True)
    }

    lines = d.bieu06_title
    form, heading, period = lines[0], lines[1], lines[2]
    extra = lines[3:-1]          # "Đơn vị: …" when units are selected
    unit_line = lines[-1]        # "Đơn vị tính: Số hồ sơ TTHC"
    ws.merge_range(0, 0, 0, 4, form, bold_left)
    ws.merge_range(0, 8, 0, LAST_COL, f"Đơn vị báo cáo: {d.issuer_name()}", italic_right)
    ws.merge_range(1, 0, 1, LAST_COL, heading, title)
    ws.set_row(1, 22)
    ws.merge_range(2, 0, 2, LAST_COL, period, italic_center)
    r = 3
    for line in extra:
        ws.merge_range(r, 0, r, LAST_COL, line, centered)
        r += 1
    ws.merge_range(r, 8, r, LAST_COL, unit_line, italic_right)
    h = r + 1
    ws.merge_range(h, 0, h + 2, 0, "STT", head)
    ws.merge_range(h, 1, h + 2, 1, label_heading, head)
    ws.merge_range(h, 2, h, 5, "Số hồ sơ nhận giải quyết", head)
    ws.merge_range(h, 6, h, 9, "Số hồ sơ đã giải quyết", head)
    ws.merge_range(h, 10, h, 12, "Số hồ sơ đang giải quyết", head)
    for col, text in ((2, "Tổng số"), (5, "Từ kỳ trước"), (6, "Tổng số"), (7, "Trước hạn"), (8, "Đúng hạn"),
                      (9, "Quá hạn"), (10, "Tổng số"), (11, "Trong hạn"), (12, "Quá hạn")):
        ws.merge_range(h + 1, col, h + 2, col, text, head)
    ws.merge_range(h + 1, 3, h + 1, 4, "Trong kỳ", head)
    ws.write_string(h + 2, 3, "Trực tuyến", head)
    ws.write_string(h + 2, 4, "Trực tiếp, dịch vụ bưu chính", head)
    ws.set_row(h + 2, 45)
    for col in range(13):
        ws.write_string(h + 3, col, f"({col + 1})", number_head)
    b06 = d.table(table)
    first = h + 4
    for i, row in enumerate(b06.itertuples(index=False)):
        stt, label, counts = row[0], row[1], row[2:]
        stt_text = "" if formats.is_missing(stt) else str(stt)
        bold = not stt_text.isdigit()   # level subtotals (I, II) and the total row
        ws.write_string(first + i, 0, stt_text, cell[("stt", bold)])
        ws.write_string(first + i, 1, "" if formats.is_missing(label) else str(label), cell[("label", bold)])
        for j, v in enumerate(counts):
            if formats.is_missing(v):
                ws.write_blank(first + i, 2 + j, None, cell[("num", bold)])
            else:
                ws.write_number(first + i, 2 + j, int(v), cell[("num", bold)])
    end = first + len(b06)
    sign = end + 1
    ws.merge_range(sign, 0, sign, 4, "NGƯỜI LẬP BIỂU", f(bold=True, align="center"))
    ws.merge_range(sign, 8, sign, LAST_COL, "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", f(bold=True, align="center"))
    ws.merge_range(sign + 1, 0, sign + 1, 4, "(Ký, ghi rõ họ tên)", italic_center)
    ws.merge_range(sign + 1, 8, sign + 1, LAST_COL, "(Ký, ghi rõ họ tên, đóng dấu)", italic_center)

    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 34)
    ws.set_column(2, 12, 10.5)
    ws.freeze_panes(first, 2)
    ws.set_landscape()
    ws.set_paper(9)                     # A4
    ws.fit_to_pages(1, 1)
    ws.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.5)
    ws.center_horizontally()
    ws.print_area(0, 0, sign + 1, LAST_COL)


def _table_sheet(wb, t: Table, d: ReportData, taken: list[str]) -> None:
    name = sheet_name(t.sheet, taken)
    taken.append(name)
    ws = wb.add_worksheet(name)
    caption = f"Bảng {t.number}. {t.caption}" if t.number else t.caption
    ws.write_string(0, 0, caption, wb.add_format({"font_name": FONT, "bold": True, "font_size": 12}))
    ws.write_string(1, 0, f"Kỳ báo cáo: {sections.period_words(d)}" +
                    (f" · Đơn vị: {'; '.join(d.unit_names)}" if d.unit_names else ""),
                    wb.add_format({"font_name": FONT, "italic": True}))
    kinds = {}
    for col in t.df.columns:
        kind = formats.column_kind(t.df, col, t.formats)
        kinds[str(col)] = "cell" if kind == "text" else kind
    write_frame(wb, ws, t.df, 3, kinds=kinds, row_kinds=list(t.row_formats) or None,
                bold_rows=t.bold_rows, font=FONT)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(3)


def build_xlsx(d: ReportData, blocks=None) -> bytes:
    """The .xlsx bytes of the annex for ReportData `d` (blocks: report.sections.blocks(d))."""
    blocks = sections.blocks(d) if blocks is None else blocks
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    wb.formats[0].set_font_name(FONT)   # the default cell format: Times New Roman everywhere
    wb.set_properties({"title": "Phụ lục số liệu báo cáo văn hóa công sở", "author": "Bảng điều khiển văn hóa công sở"})
    _bieu06_sheet(wb, d)
    _bieu06_sheet(wb, d, BIEU06_BY_UNIT_SHEET, "bieu06_by_unit", "Cơ quan, đơn vị giải quyết theo cấp")
    taken = [BIEU06_SHEET, BIEU06_BY_UNIT_SHEET]
    for t in [b for b in blocks if isinstance(b, Table)] + sections.annex_tables(d):
        _table_sheet(wb, t, d, taken)
    wb.close()
    return buf.getvalue()


def sheet_tables(d: ReportData, blocks=None) -> list[Table]:
    """The tables that get a sheet after "Biểu 06", in order (for tests and the page)."""
    blocks = sections.blocks(d) if blocks is None else blocks
    return [b for b in blocks if isinstance(b, Table)] + sections.annex_tables(d)
