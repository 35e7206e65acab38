"""The Báo cáo page in a real browser: the Word draft and the Excel annex come down on a click and
hold the period's numbers; beside a table's CSV, its Excel file. Hand count (export_files.py):
06/2024, five units, 8 + 10 + 7 + 6 + 5 = 36 dossiers received in the month, plus one overdue
unreturned dossier per unit (H41.xx-2406-9001): 41."""
from __future__ import annotations

import io

import openpyxl
import pytest
from docx import Document

from .helpers import download, exceptions, open_page, screenshot

pytestmark = pytest.mark.e2e


def test_report_downloads(desktop_page, app_url, tmp_path, screenshots_dir):
    page = desktop_page
    open_page(page, app_url, "bao-cao")
    assert exceptions(page) == []
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "Xem trước mục III. Kết quả đạt được" in main
    screenshot(page, screenshots_dir / "bao-cao_preview_1440x900.png", full=True)

    name, raw = download(page, "dl-report-docx", tmp_path)
    assert name.startswith("bao-cao_tat-ca_2024-06_2024-06") and name.endswith(".docx")
    doc = Document(io.BytesIO(raw))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "đã tiếp nhận 41 hồ sơ TTHC" in text
    assert "III. Kết quả đạt được" in text

    name, raw = download(page, "dl-report-xlsx", tmp_path)
    assert name.endswith(".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    assert wb.sheetnames[:2] == ["Biểu 06", "Biểu 06 theo đơn vị"]


def test_excel_beside_the_csv(desktop_page, app_url, tmp_path):
    page = desktop_page
    open_page(page, app_url, "xep-hang")
    name, raw = download(page, "xl-ranking", tmp_path)
    assert name.endswith(".xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(raw)).active
    # the title line: the law the classifications were made under (the fixture's 2022 bands)
    assert ws["A1"].value == "Xếp loại theo: Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định 48/2023/NĐ-CP)"
    header = [c.value for c in ws[2]]
    assert header[:2] == ["Hạng", "Đơn vị"]
    ranks = [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert ranks and all(isinstance(v, int) for v in ranks if v is not None)
