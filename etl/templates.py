"""Blank templates (mẫu) of every kind of file the ETL reads, for data officers who fill sheets by
hand: an XLSX with a title, a line on how to fill it, and the headings the ETL recognises (each
source module's TEMPLATE). A filled template loads like an export.
"""
from __future__ import annotations

import io

from .sources import BY_KIND, SOURCES
from .text import fold

TEMPLATE_KINDS: tuple[str, ...] = tuple(s.kind for s in SOURCES if s.template)


def label(kind: str) -> str:
    """What the download button says: "Khảo sát sự hài lòng"."""
    text = BY_KIND[kind].label
    return text[0].upper() + text[1:]


def template_file_name(kind: str) -> str:
    """"mau_khao_sat_su_hai_long.xlsx": the kind's Vietnamese name, without diacritics."""
    return "mau_" + fold(BY_KIND[kind].label).replace(" ", "_") + ".xlsx"


def template_xlsx(kind: str) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    source = BY_KIND[kind]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Mẫu"
    ws.append([f"MẪU TỆP: {source.label.upper()}"])
    ws.append([source.template_hint])
    ws.append([])
    ws.append(list(source.template))
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"].font = Font(italic=True)
    header = 4
    for c in range(1, len(source.template) + 1):
        cell = ws.cell(row=header, column=c)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        heading = source.template[c - 1]
        width = 6 if heading == "STT" else 30 if heading.startswith(("Đơn vị", "Tên")) else max(14, min(34, len(heading) + 4))
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = width
    ws.row_dimensions[header].height = 45
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    wb.properties.creator = "Bảng điều khiển văn hóa công sở"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
