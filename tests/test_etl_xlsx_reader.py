"""XLSX through fastexcel: the cells reach the validators as the same text cell_to_text gives
(dates date-only at midnight, whole numbers without a decimal part, booleans True/False), row
numbers as Excel shows them, and the sheets whose text fastexcel cannot give unambiguously (a
decimal number, a time of day) read cell by cell with python-calamine instead."""
from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from openpyxl import Workbook

from etl.load import load_files
from etl.readers import BadFile, all_xlsx_rows, cell_to_text, open_source
from etl_helpers import DOSSIER_HEADER, dossier_row, query, write_xlsx


def _sheet(path, cells: dict[str, object]):
    wb = Workbook()
    ws = wb.active
    for ref, v in cells.items():
        ws[ref] = v
    wb.save(path)
    return path


def test_cells_as_text_from_the_first_used_row(tmp_path):
    # Rows 1-2 and column A empty: the first row read is Excel's row 3.
    path = _sheet(tmp_path / "a.xlsx", {
        "B3": "  x ", "C3": 42, "D3": 3.0, "E3": dt.datetime(2023, 5, 2, 8, 30),
        "F3": dt.datetime(2023, 5, 2), "G3": dt.date(2023, 5, 4), "H3": True, "I3": "HS.2023.01",
        "B4": "Hồ sơ", "C4": False, "D4": 12345678901, "E4": "02/05/2023 08:30",
    })
    src = open_source(path)
    rows = all_xlsx_rows(src)
    assert src.table is not None  # read by fastexcel
    assert src.first_row == 3
    assert rows == [
        ["  x ", "42", "3", "2023-05-02 08:30:00", "2023-05-02", "2023-05-04", "True", "HS.2023.01"],
        ["Hồ sơ", "False", "12345678901", "02/05/2023 08:30", None, None, None, None],
    ]
    # the same text the per-cell path gives
    assert [cell_to_text(v) for v in (42, 3.0, dt.datetime(2023, 5, 2, 8, 30), dt.datetime(2023, 5, 2),
                                      dt.date(2023, 5, 4))] == rows[0][1:6]


@pytest.mark.parametrize("value, text", [(92.5, "92,5"), (dt.time(8, 30), "08:30:00")])
def test_a_decimal_number_or_a_time_reads_cell_by_cell(tmp_path, value, text):
    path = _sheet(tmp_path / "a.xlsx", {"A1": "Điểm", "A2": value, "B2": "92.5"})
    src = open_source(path)
    rows = all_xlsx_rows(src)
    assert src.table is None and src.first_row == 1
    assert [cell_to_text(v) for v in rows[1]] == [text, "92.5"]


def test_dossiers_with_date_cells_and_empty_rows_above(tmp_path):
    rows = [
        dossier_row("D1", received=dt.datetime(2023, 5, 2, 8, 0), due=dt.date(2023, 5, 5),
                    finished=dt.datetime(2023, 5, 5)),
        dossier_row("D2", received=dt.datetime(2023, 5, 2, 9, 0), due=dt.datetime(2023, 5, 5, 17, 0),
                    finished=dt.datetime(2023, 5, 5, 17, 30), stt=2),
        dossier_row(None, stt=3),
    ]
    path = write_xlsx(tmp_path / "a.xlsx", DOSSIER_HEADER, rows, title=[[], [], ["SỔ THEO DÕI HỒ SƠ"], []])
    src = open_source(path)
    all_xlsx_rows(src)
    assert src.table is not None and src.first_row == 3  # fastexcel's first row: the title, Excel's row 3
    db = tmp_path / "w.duckdb"
    [r] = load_files([path], db=db)
    assert r.status == "loaded" and r.rows_to_load == 2
    # title on row 3, blank row 4, header row 5, data rows 6-8
    assert [(x.row_number, x.reason) for x in r.rejects] == [(8, "Thiếu mã hồ sơ")]
    assert query(db, "SELECT dossier_id, received_at, due_at, finished_at, finished_has_time, outcome "
                     "FROM dossiers ORDER BY dossier_id") == [
        ("D1", dt.datetime(2023, 5, 2, 8, 0), dt.datetime(2023, 5, 5, 23, 59, 59), dt.datetime(2023, 5, 5), False, "on_time"),
        ("D2", dt.datetime(2023, 5, 2, 9, 0), dt.datetime(2023, 5, 5, 17, 0), dt.datetime(2023, 5, 5, 17, 30), True, "late"),
    ]


def test_a_damaged_sheet_is_named_in_vietnamese(tmp_path):
    path = tmp_path / "hong.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='A' sheetId='1'")
    with pytest.raises(BadFile, match="Tệp «hong.xlsx» là Excel \\(.xlsx\\) bị hỏng hoặc không đầy đủ"):
        all_xlsx_rows(open_source(path))


@pytest.mark.parametrize("constant_memory", [False, True], ids=["excel-shared-strings", "streaming-inline"])
def test_the_layouts_export_software_writes(tmp_path, constant_memory):
    """Excel, LibreOffice and most export libraries keep text in a shared-strings table; streaming
    writers (and the shared sample) put it in the cell. Both in UTF-8 (openpyxl, which the other
    tests use, writes neither: its text is inline with character references). Written here by
    XlsxWriter, with empty rows above the title, a blank cell in the middle of a row, and one
    received time as a date cell in the format Vietnamese Excel gives it (locale code [$-42A])."""
    import xlsxwriter

    path = tmp_path / "a.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    vn_datetime = wb.add_format({"num_format": "[$-42A]dd/mm/yyyy h:mm"})
    ws = wb.add_worksheet("Hồ sơ")
    ws.write_string(1, 0, "SỔ THEO DÕI HỒ SƠ")                      # Excel row 2
    for r, row in enumerate([DOSSIER_HEADER,                         # row 4
                             dossier_row("HS-Phước-1", stt=1),      # row 5
                             dossier_row("HS-Phước-2", stt=2, finished=None, apology="Có",
                                         received=dt.datetime(2023, 5, 3, 14, 5)),
                             dossier_row(None, stt=3)], start=3):   # row 7: no id
        for c, v in enumerate(row):
            if isinstance(v, str):
                ws.write_string(r, c, v)
            elif isinstance(v, dt.datetime):
                ws.write_datetime(r, c, v, vn_datetime)
            elif v is not None:
                ws.write_number(r, c, v)
    wb.close()
    with zipfile.ZipFile(path) as z:
        assert ("xl/sharedStrings.xml" in z.namelist()) is not constant_memory
        assert b"&#" not in z.read("xl/worksheets/sheet1.xml")

    src = open_source(path)
    rows = all_xlsx_rows(src)
    assert src.table is not None and src.first_row == 2
    assert rows[3][:2] == ["1", "HS-Phước-1"] and rows[4][6] == "2023-05-03 14:05:00" and rows[4][8] is None
    db = tmp_path / "w.duckdb"
    [r] = load_files([path], db=db)
    assert r.status == "loaded" and (r.rows_read, r.rows_to_load) == (3, 2)
    assert [(x.row_number, x.reason) for x in r.rejects] == [(7, "Thiếu mã hồ sơ")]
    assert query(db, "SELECT dossier_id, received_at, finished_at, apology_issued FROM dossiers ORDER BY dossier_id") == [
        ("HS-Phước-1", dt.datetime(2023, 5, 2, 8, 0), dt.datetime(2023, 5, 4, 10, 0), False),
        ("HS-Phước-2", dt.datetime(2023, 5, 3, 14, 5), None, True),
    ]
