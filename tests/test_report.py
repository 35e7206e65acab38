"""report/: the Word draft, the Excel annex and the bulletin, read back with python-docx and openpyxl
and compared with numbers worked out by hand from tests/metrics_fixtures.py (Q1 2022) and with the
metrics tables the dashboard shows for the same filters."""
from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from metrics import tables
from metrics.filters import Filters
from metrics_fixtures import NINH_PHUOC, Q1, THAI, TU_PHAP, con, warehouse  # noqa: F401 (fixtures)
from report import build, excel, sections
from report.data import collect, issuer_on
from report.model import Table

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or (Path("/usr/bin/chromium").exists() and "/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM, reason="kaleido needs Chromium (apt-get install chromium)")
BIEU06_TOTAL = [16, 7, 6, 3, 11, 3, 4, 4, 5, 2, 3]   # test_metrics_dossiers.test_bieu06_exact_numbers
# Q1 2022 per unit, by hand (test_xlsx_bieu06_a_row_per_unit says from which dossiers): the level
# rows and the units' rows, without the total.
BIEU06_BY_UNIT = [
        ["I", "Cấp huyện", 4, 1, 2, 1, 3, 1, 1, 1, 1, 0, 1],
        ["1", "Ban Quản lý dự án đầu tư xây dựng", 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0],
        ["2", "Phòng Tư pháp", 3, 1, 2, 0, 2, 1, 1, 0, 1, 0, 1],
        ["II", "Cấp xã", 12, 6, 4, 2, 8, 2, 3, 3, 4, 2, 2],
        ["1", "Xã Phước Hữu", 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0],
        ["2", "Xã Phước Thái", 9, 4, 3, 2, 5, 1, 2, 2, 4, 2, 2],
        ["3", "Xã Phước Thuận", 2, 1, 1, 0, 2, 1, 0, 1, 0, 0, 0],
]


@pytest.fixture(scope="module")
def files(warehouse):
    """The .docx and .xlsx of Q1 2022 for every unit, and for a commune viewer (scope Phước Thái)."""
    import duckdb

    c = duckdb.connect(warehouse, read_only=True)
    try:
        scoped = Filters(Q1.date_from, Q1.date_to, scope=(THAI,))
        return {
            "docx": build.docx_bytes(c, Q1), "xlsx": build.xlsx_bytes(c, Q1),
            "scoped_docx": build.docx_bytes(c, scoped), "scoped_xlsx": build.xlsx_bytes(c, scoped),
        }
    finally:
        c.close()


def doc_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def body_text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def table_rows(t) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in t.rows]


# -- the Word draft -------------------------------------------------------------------------------

def test_docx_page_and_fonts(files):
    doc = Document(io.BytesIO(files["docx"]))
    sec = doc.sections[0]
    mm = lambda length: round(length.mm)  # noqa: E731 (stored in twips: 210 mm is 209,99…)
    assert (mm(sec.page_width), mm(sec.page_height)) == (210, 297)            # A4
    assert (mm(sec.top_margin), mm(sec.bottom_margin)) == (20, 20)            # 20-25 mm
    assert (mm(sec.left_margin), mm(sec.right_margin)) == (30, 15)            # 30-35, 15-20 mm
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size.pt == 14
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    runs += [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
             for r in p.runs if r.text.strip()]
    assert runs and {r.font.name for r in runs} == {"Times New Roman"}
    body = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    assert {r.font.size.pt for r in body} <= {13, 14}


def test_docx_official_header_and_ending(files):
    doc = Document(io.BytesIO(files["docx"]))
    header = doc.tables[0]
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None and {b.get(qn("w:val")) for b in borders} == {"nil"}
    left, right = (c.text for c in header.rows[0].cells)
    assert left.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "HUYỆN NINH PHƯỚC"]
    assert "Số: …/BC-UBND" in left
    assert right.split("\n")[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert "Ninh Phước, ngày … tháng … năm …" in right
    text = body_text(doc)
    assert "BÁO CÁO" in text.split("\n")
    assert "Kết quả thực hiện Phong trào thi đua “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở”" in text
    assert "(từ ngày 01/01/2022 đến ngày 31/03/2022)" in text
    assert "văn hóa công sở” giai đoạn 2019-2025 (từ ngày 01/01/2022" in text   # inside the movement's years
    for heading in ("I. Đặc điểm, tình hình", "II. Công tác triển khai thực hiện phong trào thi đua",
                    "III. Kết quả đạt được", "IV. Đánh giá chung, đề xuất, kiến nghị"):
        assert heading in text
    assert text.index("I. Đặc điểm") < text.index("II. Công tác") < text.index("III. Kết quả") < text.index("IV. Đánh giá")
    ending = doc.tables[-1]
    left, right = (c.text for c in ending.rows[0].cells)
    assert left.startswith("Nơi nhận:") and "- Sở Nội vụ;" in left
    assert "TM. ỦY BAN NHÂN DÂN" in right and "CHỦ TỊCH" in right


def test_docx_guidance_is_italic_in_brackets(files):
    doc = Document(io.BytesIO(files["docx"]))
    paras = doc.paragraphs
    i = next(k for k, p in enumerate(paras) if p.text == "I. Đặc điểm, tình hình")
    guide = paras[i + 1]
    assert guide.text.startswith("[") and guide.text.endswith("]")
    assert all(r.italic for r in guide.runs)


def test_docx_tthc_sentences_hand_checked(files):
    """Q1 2022 against Q4 2021 (test_metrics_dossiers.test_kpis_q1 / _previous_period): received
    13 (4 before), returned 11 (1 before): 3 early, 4 on time, 4 late; on-time 7/11 = 63,6 %
    (100 % before), late 4/11 = 36,4 % (0 % before); pending 5, 3 overdue (1 before); late dossiers
    7, with apology 4 = 57,1 % (0 % before); online 7/13 = 53,8 %; 3 carried over (col 6)."""
    text = body_text(Document(io.BytesIO(files["docx"])))
    assert "đã tiếp nhận 13 hồ sơ TTHC (tăng 9 hồ sơ so với kỳ trước (4)), ngoài ra có 3 hồ sơ từ kỳ trước chuyển sang." in text
    assert ("Đã giải quyết 11 hồ sơ (tăng 10 hồ sơ so với kỳ trước (1)), trong đó: trước hạn 3 hồ sơ, đúng hạn "
            "4 hồ sơ, quá hạn 4 hồ sơ.") in text
    assert "đạt 63,6 % (kỳ trước 100,0 %, giảm 36,4 điểm phần trăm)" in text
    assert "tỷ lệ giải quyết quá hạn 36,4 % (kỳ trước 0,0 %, tăng 36,4 điểm phần trăm)" in text
    assert ("Đến hết ngày 31/03/2022, còn 5 hồ sơ đang giải quyết, trong đó 3 hồ sơ đã quá hạn (tăng 2 hồ sơ "
            "so với kỳ trước (1)).") in text
    assert ("Đối với 7 hồ sơ quá hạn (trả quá hạn trong kỳ hoặc quá hạn chưa trả), đã có 4 hồ sơ được gửi "
            "phiếu xin lỗi và hẹn lại ngày trả kết quả, đạt 57,1 % (kỳ trước 0,0 %, tăng 57,1 điểm phần trăm); "
            "còn 3 hồ sơ chưa có phiếu xin lỗi.") in text
    assert "Trong kỳ có 7/13 hồ sơ TTHC được nộp trực tuyến, chiếm 53,8 % số hồ sơ tiếp nhận" in text


def test_docx_evaluations_and_commitments_hand_checked(files):
    """13 evaluations of 5 units in Q1: xuất sắc Thái 1 + Tư pháp 2 = 3; tốt 2 + 3 + 1 = 6;
    hoàn thành Khuyến học 2 + Ban QLDA 1 = 3; không hoàn thành 1. Average 996/13 = 76,6 (78,75
    before). Commitments 2022: office culture 20+9+15 / 20+10+15 = 44/45 = 97,8 %; smoke-free
    18/20 = 90,0 %; overall 62/65 = 95,4 % (2021: 50,0 %)."""
    text = body_text(Document(io.BytesIO(files["docx"])))
    assert ("13 lượt đánh giá của 5 cơ quan, đơn vị, trong đó Hoàn thành xuất sắc nhiệm vụ 3 lượt (23,1 %); "
            "Hoàn thành tốt nhiệm vụ 6 lượt (46,2 %); Hoàn thành nhiệm vụ 3 lượt (23,1 %); Không hoàn thành "
            "nhiệm vụ 1 lượt (7,7 %).") in text
    assert "Điểm đánh giá trung bình đạt 76,6 điểm (kỳ trước 78,8 điểm, giảm 2,1 điểm)." in text
    assert "Các đơn vị dẫn đầu: Phòng Tư pháp (92,0 điểm)" in text
    assert "Các đơn vị có điểm thấp nhất: Hội Khuyến học huyện (50,0 điểm); Ban Quản lý dự án đầu tư xây dựng (60,0 điểm)" in text
    assert "“Văn hóa công sở” 44/45 người (97,8 %)" in text
    assert "“Không khói thuốc lá” 18/20 người (90,0 %)" in text
    assert "Tỷ lệ ký cam kết chung các năm 2022 đạt 95,4 % (kỳ trước 50,0 %, tăng 45,4 điểm phần trăm)." in text


def test_docx_tables_equal_the_dashboards(files, con):
    doc = Document(io.BytesIO(files["docx"]))
    by_caption = {}
    paras = doc.element.body.iterchildren()
    caption = None
    for el in paras:
        if el.tag == qn("w:p"):
            t = "".join(x.text or "" for x in el.iter(qn("w:t")))
            if re.match(r"^Bảng \d+\. ", t):
                caption = t
        elif el.tag == qn("w:tbl") and caption:
            by_caption[caption] = next(tb for tb in doc.tables if tb._tbl is el)
            caption = None
    # Bảng 1 is the survey table of III.1.a (the seed puts satisfaction there); TTHC follows in b)
    names = [c for c in by_caption if not c.startswith("Bảng 1. ")]
    assert list(by_caption)[0].startswith("Bảng 1. Kết quả khảo sát mức độ hài lòng")
    assert names[0] == "Bảng 2. Kết quả giải quyết thủ tục hành chính so với kỳ trước"
    assert names[1].startswith("Bảng 3. Tổng hợp tình hình, kết quả giải quyết TTHC")
    # Bảng 1 = the dashboard's overview rows (Tổng quan's "Bảng chỉ tiêu"), formatted as it formats them
    rows = table_rows(by_caption[names[0]])
    assert rows[0] == ["Chỉ tiêu", "Kỳ này", "Kỳ trước", "Thay đổi"]
    overview = tables.shown("overview", con, Q1)
    assert [r[0] for r in rows[1:]] == list(overview["Chỉ tiêu"][:11])
    assert rows[1] == ["Hồ sơ tiếp nhận", "13", "4", "+9"]
    assert rows[6] == ["Tỷ lệ giải quyết đúng hạn (%)", "63,6 %", "100,0 %", "-36,4 điểm %"]
    # Bảng 2 = the level rows and the total of Biểu 06
    rows = table_rows(by_caption[names[1]])
    assert rows[1][:3] == ["Cấp huyện", "4", "1"]
    assert rows[-1] == ["Tổng cộng"] + [str(v) for v in BIEU06_TOTAL]
    # Bảng 3: units in Vietnamese order (Thái before Thuận; byte order would swap them)
    rows = table_rows(by_caption[names[2]])
    assert [r[0] for r in rows[1:]] == ["Ban Quản lý dự án đầu tư xây dựng", "Phòng Tư pháp", "Xã Phước Hữu",
                                        "Xã Phước Thái", "Xã Phước Thuận"]
    thai = next(r for r in rows if r[0] == "Xã Phước Thái")
    # Phước Thái: received A1-A6, A9 = 7; returned A1 e, A2 o, A3 l, A4 o, A7 l = 5 -> late 2/5 = 40 %
    assert thai == ["Xã Phước Thái", "7", "5", "1", "2", "2", "40,0 %", "60,0 %"]


@needs_chromium
def test_docx_has_its_pictures(files):
    doc = Document(io.BytesIO(files["docx"]))
    assert len(doc.inline_shapes) == 3      # monthly trend, scores per unit, commitments per year
    text = body_text(doc)
    for n in (1, 2, 3):
        assert f"Hình {n}. " in text
    blobs = [p.blob for p in doc.part.package.parts if p.content_type == "image/png"]
    assert len(blobs) == 3 and all(b.startswith(b"\x89PNG") for b in blobs)


def test_absent_evidence_is_said_in_words_not_zeros(files):
    text = body_text(Document(io.BytesIO(files["docx"])))
    for name in ("satisfaction", "inspections", "staff_ratings", "commendations"):
        if name not in tables.TABLES:
            assert f"Chưa có số liệu {sections.EVIDENCE_WORDS[name]} trong kho dữ liệu." in text


def test_docx_satisfaction_sentences_hand_checked(files):
    """Q1 2022 (metrics_fixtures.SURVEYS): 330 answers, 291 very satisfied = 88,2 % (Q4 2021: 95 of
    100 = 95,0 %); satisfied or better 177+19 + 87+9 + 19+1 + 8+1 = 321/330 = 97,3 %. Months 01
    130/150 = 86,7 %, 02 59/70 = 84,3 % below 90 %, 03 102/110 = 92,7 % above; units below 90 %:
    Ban QLDA 80,0, Phước Thuận 87,0, Phước Thái 88,5 (Tư pháp 95,0 is above)."""
    text = body_text(Document(io.BytesIO(files["docx"])))
    assert ("qua phiếu khảo sát trong kỳ: 330 phiếu, trong đó 291 phiếu rất hài lòng; tỷ lệ rất hài lòng đạt 88,2 % "
            "(kỳ trước 95,0 %, giảm 6,8 điểm phần trăm), chưa đạt mục tiêu từ 90 % trở lên; tỷ lệ hài lòng trở lên "
            "(rất hài lòng và hài lòng) đạt 97,3 %.") in text
    assert "Có 2/3 tháng tỷ lệ rất hài lòng dưới 90 %: 01/2022 (86,7 %); 02/2022 (84,3 %)." in text
    assert ("Cơ quan, đơn vị có tỷ lệ rất hài lòng dưới 90 % (3/4 đơn vị có phiếu, thấp nhất trước): Ban Quản lý dự "
            "án đầu tư xây dựng (80,0 %); Xã Phước Thuận (87,0 %); Xã Phước Thái (88,5 %).") in text


def test_docx_inspections_sentences_hand_checked(files):
    """Q1 2022 (metrics_fixtures.INSPECTIONS): visits Thái 2, Thuận 1, Tư pháp 1 = 4 at 3 units,
    70 checked, 6 violations (Q4 2021: 5 of 30), 6/70 = 8,6 per 100 (16,7 before: 8,1 less); by
    kind late 2+1 = 3 (4,3 / 100), dress 1, conduct 1, workplace 1 (1,4 each); highest Thái
    5/30 = 16,7, Thuận 1/25 = 4,0 (Tư pháp 0 is not named)."""
    text = body_text(Document(io.BytesIO(files["docx"])))
    assert ("Trong kỳ đã tổ chức 4 lần kiểm tra đột xuất việc chấp hành giờ giấc làm việc, văn hóa ứng xử nơi công "
            "sở tại 3 cơ quan, đơn vị, với 70 lượt cán bộ, công chức, viên chức được kiểm tra; phát hiện 6 trường "
            "hợp vi phạm (tăng 1 trường hợp so với kỳ trước (5)), bình quân 8,6 vi phạm trên 100 lượt kiểm tra "
            "(kỳ trước 16,7, giảm 8,1).") in text
    assert ("Theo loại vi phạm: đi muộn, về sớm, vắng mặt 3 trường hợp (4,3 / 100 lượt); trang phục, thẻ công chức "
            "1 trường hợp (1,4 / 100 lượt); giao tiếp, ứng xử 1 trường hợp (1,4 / 100 lượt); bố trí, vệ sinh công "
            "sở 1 trường hợp (1,4 / 100 lượt). Đơn vị có tỷ lệ vi phạm cao nhất: Xã Phước Thái (16,7 / 100 lượt); "
            "Xã Phước Thuận (4,0 / 100 lượt).") in text


def test_docx_staff_ratings_and_commendations_hand_checked(files):
    """Staff ratings 2022 (the year Q1 2022 touches): Thái 30 (3/15/10/1, 1 not rated), Thuận 20
    (5/10/5/0), Tư pháp 10 (2/0/8/0): 60 people, 10 (16,7 %), 25 (41,7 %), 23 (38,3 %), 1 (1,7 %);
    xuất sắc / tốt 10/25 = 40,0 %, for reference only under ND 90/2020. Commendations in Q1:
    decisions 12 and 30 of UBND huyện (2 decisions, 4 recipients): Giấy khen 1 collective + 2
    individuals, Lao động tiên tiến 1 individual."""
    text = body_text(Document(io.BytesIO(files["docx"])))
    assert ("Kết quả đánh giá, xếp loại cán bộ, công chức, viên chức năm 2022 của 3 cơ quan, đơn vị (60 người): "
            "hoàn thành xuất sắc nhiệm vụ 10 người (16,7 %); hoàn thành tốt nhiệm vụ 25 người (41,7 %); hoàn thành "
            "nhiệm vụ 23 người (38,3 %); không hoàn thành nhiệm vụ 1 người (1,7 %); chưa xếp loại 1 người.") in text
    assert ("Số xếp loại hoàn thành xuất sắc nhiệm vụ bằng 40,0 % số xếp loại hoàn thành tốt nhiệm vụ; mức tối đa "
            "20 % chỉ để tham khảo, chưa áp dụng bắt buộc theo Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định "
            "48/2023/NĐ-CP).") in text
    assert ("đã có 2 quyết định khen thưởng 1 lượt tập thể và 3 lượt cá nhân có thành tích trong thực hiện Phong "
            "trào thi đua, trong đó: Giấy khen 1 tập thể và 2 cá nhân; Lao động tiên tiến 1 cá nhân.") in text
    assert "Theo cấp khen thưởng: UBND huyện 2 quyết định (4 lượt)." in text


def test_staff_ratings_over_the_cap_under_nd335(con):
    """2026 (ND 335/2025, enforced 20 %): Ninh Phước 5/10 and Khuyến học 1/0 are over the cap,
    Phước Hữu 7/35 is at it: 75 people, 13 xuất sắc of 45 tốt = 28,9 %."""
    d = collect(con, Filters(date(2026, 1, 1), date(2026, 12, 31)))
    text = "\n".join(b.text for b in sections.staff_ratings(d, sections.Numbering()) if hasattr(b, "text"))
    assert "năm 2026 của 3 cơ quan, đơn vị (75 người)" in text
    assert ("bằng 28,9 % số xếp loại hoàn thành tốt nhiệm vụ; theo Nghị định 335/2025/NĐ-CP, tỷ lệ này không quá "
            "20 % trong từng cơ quan, đơn vị: có 2 đơn vị vượt tỷ lệ (Hội Khuyến học huyện; Xã Ninh Phước).") in text


def test_evidence_tables_equal_the_dashboards(files, con):
    wb = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    for sheet, name in (("Hài lòng", "satisfaction"), ("Hài lòng theo tháng", "satisfaction_by_month"),
                        ("Vi phạm theo loại", "inspections_by_kind"), ("Kiểm tra đột xuất", "inspections"),
                        ("Xếp loại CBCCVC", "staff_ratings"), ("Khen thưởng theo hình thức", "commendations_by_form"),
                        ("Khen thưởng", "commendations"), ("Quyết định khen thưởng", "commendation_decisions")):
        ws = wb[sheet]
        df = tables.shown(name, con, Q1)
        assert [c.value for c in ws[4]] == list(df.columns), sheet
        rows = list(ws.iter_rows(min_row=5, values_only=True))
        assert len(rows) == len(df), sheet
        for got, want in zip(rows, df.itertuples(index=False)):
            for g, w in zip(got, want):
                if isinstance(w, float):
                    assert g == pytest.approx(w) or (g is None and w != w), sheet
                elif w is None or w != w or w == "":
                    assert g in (None, ""), sheet
                elif isinstance(w, date):
                    assert g.date() == w if hasattr(g, "date") else str(g) == f"{w:%d/%m/%Y}", sheet
                else:
                    assert g == w, sheet
    assert wb["Hài lòng"]["A5"].value == "Ban Quản lý dự án đầu tư xây dựng"
    assert wb["Hài lòng"]["B5"].value == pytest.approx(80.0)      # 8 of 10
    # in the Word draft: the units' survey table, lowest share first, a Vietnamese percentage
    doc = Document(io.BytesIO(files["docx"]))
    survey = next(t for t in doc.tables if t.rows[0].cells[0].text == "Đơn vị" and "Số phiếu" in t.rows[0].cells[1].text)
    assert table_rows(survey)[1] == ["Ban Quản lý dự án đầu tư xây dựng", "10", "8", "80,0 %", "90,0 %"]


def test_absent_evidence_in_words(con, tmp_path):
    from metrics_fixtures import build_warehouse
    import duckdb

    d = collect(con, Q1)
    d.evidence["inspections"] = None                       # metrics without the table
    assert [b.text for b in sections.inspections(d, sections.Numbering())] == [
        "Chưa có số liệu kiểm tra đột xuất giờ giấc làm việc, văn hóa ứng xử nơi công sở trong kho dữ liệu."]
    path = build_warehouse(tmp_path / "w.duckdb", evidence=False)
    with duckdb.connect(path, read_only=True) as c:
        d = collect(c, Q1)
    text = "\n".join(b.text for b in sections.section_results(d, sections.Numbering()) if hasattr(b, "text"))
    for name in ("satisfaction", "inspections", "staff_ratings", "commendations"):
        assert (f"Chưa có số liệu {sections.EVIDENCE_WORDS[name]} của kỳ báo cáo (từ ngày 01/01/2022 đến ngày "
                "31/03/2022) trong kho dữ liệu.") in text
    assert not re.search(r"\b0 (phiếu|lần|người|quyết định)", text)


def test_no_dossiers_says_so(con):
    d = collect(con, Filters(date(2010, 1, 1), date(2010, 3, 31)))
    text = "\n".join(b.text for b in sections.section_results(d, sections.Numbering()) if hasattr(b, "text"))
    assert "chưa có số liệu hồ sơ TTHC của kỳ báo cáo (từ ngày 01/01/2010 đến ngày 31/03/2010) trong kho dữ liệu" in text
    assert "Chưa có số liệu đánh giá, xếp loại" in text and "Chưa có số liệu ký cam kết" in text
    assert not re.search(r"\b0 hồ sơ|0,0 %", text)


# -- the Excel annex ------------------------------------------------------------------------------

def test_xlsx_bieu06_statutory_layout(files):
    wb = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert wb.sheetnames[0] == "Biểu 06"
    ws = wb["Biểu 06"]
    assert ws["A1"].value == "Biểu số 06/VPCP/KSTT"
    assert ws["A2"].value == "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
    assert ws["A3"].value == "(Từ ngày 01/01/2022 đến ngày 31/03/2022)"
    assert ws["I4"].value == "Đơn vị tính: Số hồ sơ TTHC"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:M2", "A5:A7", "B5:B7", "C5:F5", "G5:J5", "K5:M5", "C6:C7", "D6:E6", "F6:F7", "G6:G7",
            "K6:K7"} <= merged
    assert [ws.cell(8, c).value for c in range(1, 14)] == [f"({i})" for i in range(1, 14)]
    assert ws["D7"].value == "Trực tuyến" and ws["E7"].value == "Trực tiếp, dịch vụ bưu chính"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=9, max_row=16, max_col=13)]
    assert rows[0][:3] == ["I", "Cấp huyện", 4]
    assert rows[3][:3] == ["II", "Cấp xã", 12]
    assert rows[-1] == ["", "Tổng cộng"] + BIEU06_TOTAL
    total = ws.cell(16, 3)
    assert isinstance(total.value, int) and total.number_format == "#,##0" and total.font.b
    fonts = {ws.cell(r, c).font.name for r in range(1, 17) for c in range(1, 14) if ws.cell(r, c).value not in (None, "")}
    assert fonts == {"Times New Roman"}
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # 1 page wide, 1 tall (XlsxWriter leaves out the attributes that equal the OOXML default 1)
    assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight or 1) == (1, 1)
    assert wb["TTHC theo đơn vị"].page_setup.fitToHeight == 0   # the other sheets: 1 page wide only


def test_xlsx_sheet_per_table_typed(files, con):
    wb = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert {"Chỉ tiêu TTHC", "Tổng hợp Biểu 06", "TTHC theo đơn vị", "Xếp hạng đơn vị", "Cam kết theo năm",
            "Theo tháng"} <= set(wb.sheetnames)
    ws = wb["TTHC theo đơn vị"]
    assert ws["A1"].value == "Bảng 4. Kết quả giải quyết hồ sơ TTHC theo cơ quan, đơn vị"
    assert ws.freeze_panes == "A5"
    header = [c.value for c in ws[4]]
    assert header == list(tables.shown("late_rates", con, Q1).columns)
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    assert rows["Xã Phước Thái"][:6] == ("Xã Phước Thái", 7, 5, 1, 2, 2)
    assert rows["Xã Phước Thái"][6] == pytest.approx(40.0)
    assert ws.cell(5, 2).number_format == "#,##0" and ws.cell(5, 7).number_format == "#,##0.0"
    assert [r[0] for r in ws.iter_rows(min_row=5, values_only=True)] == [
        "Ban Quản lý dự án đầu tư xây dựng", "Phòng Tư pháp", "Xã Phước Hữu", "Xã Phước Thái", "Xã Phước Thuận"]
    ind = wb["Chỉ tiêu TTHC"]
    values = {r[0]: r[1:] for r in ind.iter_rows(min_row=5, values_only=True)}
    assert values["Hồ sơ tiếp nhận"] == (13, 4, 9)
    assert values["Tỷ lệ giải quyết đúng hạn (%)"][0] == pytest.approx(700 / 11)
    assert ind.cell(10, 2).number_format == "#,##0.0"     # a rate row
    assert ind.cell(10, 4).number_format.startswith("+")  # its change, signed


def test_commune_viewer_report_holds_only_its_scope(files):
    """Scope Phước Thái: A1-A7, A9, A10 -> col 3 = 9, online 4 (A1, A5, A6, A9), in person 3 (A2,
    A3, A4), carried 2 (A7, A10); returned 5 (early A1, on time A2 A4, late A3 A7); pending 4 (in
    time A6 A9, overdue A5 A10)."""
    doc = Document(io.BytesIO(files["scoped_docx"]))
    left = doc.tables[0].rows[0].cells[0].text
    assert left.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "XÃ PHƯỚC THÁI"]
    assert "Phước Thái, ngày … tháng … năm …" in doc.tables[0].rows[0].cells[1].text
    text = doc_text(doc)
    for other in ("Phòng Tư pháp", "Phước Thuận", "Ban Quản lý", "Phước Hữu", "Khuyến học"):
        assert other not in text, other
    wb = openpyxl.load_workbook(io.BytesIO(files["scoped_xlsx"]))
    ws = wb["Biểu 06"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=9, max_col=13) if r[1].value == "Tổng cộng"]
    assert rows == [["", "Tổng cộng", 9, 4, 3, 2, 5, 1, 2, 2, 4, 2, 2]]
    for sheet in wb.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    assert not any(o in v for o in ("Phòng Tư pháp", "Phước Thuận", "Ban Quản lý")), (sheet.title, v)


# -- who issues it, across the reform of 01/07/2025 ---------------------------------------------

def test_issuer_is_the_one_in_office_at_the_period_end():
    """report.toml's [issuer] until a [[issuer.later]] entry's `since`; its keys over the
    issuer's (an omitted one is kept); the last applicable entry wins; `since` as a date or text."""
    settings = {"issuer": {
        "name": "Huyện A", "place": "A", "signer_title": "CHỦ TỊCH", "recipients": ["X;"],
        "later": [{"since": "2027-01-01", "name": "Tỉnh C"},
                  {"since": date(2025, 7, 1), "name": "Tỉnh B", "place": "B", "recipients": ["Y;"]}]}}
    assert issuer_on(settings, date(2025, 6, 30)) == {
        "name": "Huyện A", "place": "A", "signer_title": "CHỦ TỊCH", "recipients": ["X;"]}
    assert issuer_on(settings, date(2025, 7, 1)) == {
        "name": "Tỉnh B", "place": "B", "signer_title": "CHỦ TỊCH", "recipients": ["Y;"]}
    assert issuer_on(settings, date(2027, 1, 1))["name"] == "Tỉnh C"
    assert issuer_on(settings, date(2027, 1, 1))["place"] == "B"
    assert issuer_on({"issuer": {"name": "Huyện A"}}, date(2030, 1, 1)) == {"name": "Huyện A"}


def _header_and_ending(doc) -> tuple[str, str, str, str]:
    left, right = (c.text for c in doc.tables[0].rows[0].cells)
    end_left, end_right = (c.text for c in doc.tables[-1].rows[0].cells)
    return left, right, end_left, end_right


def test_report_after_the_reform_is_the_provinces(con):
    """Q1 2026: the district no longer exists (01/07/2025): the report of all units is issued by
    UBND tỉnh Khánh Hòa (data/reference/report.toml), dated at Khánh Hòa, sent to the ministry and
    the province's party committee and council; the movement's phase 2019-2025 is not in its title."""
    doc = Document(io.BytesIO(build.docx_bytes(con, Filters(date(2026, 1, 1), date(2026, 3, 31)))))
    left, right, end_left, end_right = _header_and_ending(doc)
    assert left.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH KHÁNH HÒA"]
    assert "Khánh Hòa, ngày … tháng … năm …" in right
    assert end_left.split("\n") == ["Nơi nhận:", "- Bộ Nội vụ;", "- Thường trực Tỉnh ủy, HĐND tỉnh;", "- Lưu: VT."]
    assert "TM. ỦY BAN NHÂN DÂN" in end_right and "CHỦ TỊCH" in end_right
    text = body_text(doc)
    assert ("Kết quả thực hiện Phong trào thi đua “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa "
            "công sở” (từ ngày 01/01/2026 đến ngày 31/03/2026)") in text
    assert "Ủy ban nhân dân tỉnh Khánh Hòa báo cáo kết quả thực hiện Phong trào thi đua như sau:" in text
    assert "(từ ngày 01/01/2026 đến ngày 31/03/2026) của Ủy ban nhân dân tỉnh Khánh Hòa./." in text
    assert "giai đoạn 2019-2025" not in text and "huyện Ninh Phước" not in text.lower()


def test_commune_report_goes_to_the_level_above(con):
    """A new commune's report (Xã Ninh Phước, from 01/07/2025) for Q1 2026: its UBND issues it, to
    UBND tỉnh Khánh Hòa through the Sở Nội vụ; an old commune's for Q1 2022 (Phước Thái), to the
    district's UBND through its Phòng Nội vụ."""
    new = Document(io.BytesIO(build.docx_bytes(con, Filters(date(2026, 1, 1), date(2026, 3, 31), units=(NINH_PHUOC,)))))
    left, right, end_left, _ = _header_and_ending(new)
    assert left.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "XÃ NINH PHƯỚC"]
    assert "Ninh Phước, ngày … tháng … năm …" in right
    assert end_left.split("\n") == ["Nơi nhận:", "- UBND tỉnh Khánh Hòa (qua Sở Nội vụ);",
                                     "- Thường trực Đảng ủy, HĐND xã;", "- Lưu: VT."]
    old = Document(io.BytesIO(build.docx_bytes(con, Filters(Q1.date_from, Q1.date_to, units=(THAI,)))))
    left, _, end_left, _ = _header_and_ending(old)
    assert left.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "XÃ PHƯỚC THÁI"]
    assert end_left.split("\n")[1] == "- UBND huyện Ninh Phước (qua Phòng Nội vụ);"


def test_department_report_is_its_own(con):
    """Phòng Tư pháp selected, Q1 2022: the department's own report, under the district's UBND in
    the header; not signed for the committee ("TM. ỦY BAN NHÂN DÂN … CHỦ TỊCH") nor sent to the
    committee's own recipients, but to the district's UBND; its number's abbreviation and its
    head's title left for the office."""
    doc = Document(io.BytesIO(build.docx_bytes(con, Filters(Q1.date_from, Q1.date_to, units=(TU_PHAP,)))))
    left, right, end_left, end_right = _header_and_ending(doc)
    assert left.split("\n") == ["UBND HUYỆN NINH PHƯỚC", "PHÒNG TƯ PHÁP", "", "Số: …/BC-…"]
    # Nghị định 30/2020: the body above in regular type, the issuing unit in bold; the body above
    # at 12 pt, so that "UBND HUYỆN NINH PHƯỚC" keeps to one line of the 5,9 cm column.
    above, unit = doc.tables[0].rows[0].cells[0].paragraphs[:2]
    assert [r.bold for r in above.runs if r.text] == [False] and [r.bold for r in unit.runs if r.text] == [True]
    assert [r.font.size.pt for r in above.runs if r.text] == [12.0]
    assert [r.font.size.pt for r in unit.runs if r.text] == [13.0]
    assert "Ninh Phước, ngày … tháng … năm …" in right
    assert end_left.split("\n") == ["Nơi nhận:", "- UBND huyện Ninh Phước (qua Phòng Nội vụ);", "- Lưu: VT."]
    assert end_right.split("\n")[0] == "[CHỨC VỤ NGƯỜI KÝ]"
    assert "ỦY BAN NHÂN DÂN" not in end_right and "CHỦ TỊCH" not in end_right


def test_excel_download_is_typed():
    import pandas as pd

    from metrics.export import to_xlsx_bytes

    df = pd.DataFrame({"Đơn vị": ["Xã Phước Hậu"], "Hồ sơ": pd.array([1234], dtype="Int64"),
                       "Tỷ lệ (%)": [92.46], "Ngày": [date(2025, 6, 30)], "Năm": pd.array([2025], dtype="Int64")})
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(df, title=["Tiêu đề"]))).active
    assert ws["A1"].value == "Tiêu đề"
    assert [c.value for c in ws[2]] == ["Đơn vị", "Hồ sơ", "Tỷ lệ (%)", "Ngày", "Năm"]
    b, c, d, e = ws["B3"], ws["C3"], ws["D3"], ws["E3"]
    assert (b.value, b.number_format) == (1234, "#,##0")
    assert (c.value, c.number_format) == (92.46, "#,##0.0")
    assert d.value.date() == date(2025, 6, 30) and d.number_format == "dd/mm/yyyy"
    assert (e.value, e.number_format) == (2025, "0")
    assert ws.freeze_panes == "A3"


# -- CLI, bulletin, the rule "no SQL in report/" --------------------------------------------------

def run_cli(*args, env_db=None):
    return subprocess.run([sys.executable, "-m", "report", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_cli_errors_in_vietnamese(warehouse, tmp_path):
    r = run_cli("--from", "2022-01-01", "--to", "2022-03-31", "--db", warehouse, "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and "cần đuôi .docx (báo cáo), .xlsx (phụ lục) hoặc .png (bản tin)" in r.stderr
    r = run_cli("--from", "2022-03-31", "--to", "2022-01-01", "--db", warehouse, "--out", str(tmp_path / "x.docx"))
    assert r.returncode == 2 and "phải trước hoặc bằng ngày cuối kỳ" in r.stderr
    r = run_cli("--from", "2022-01-01", "--to", "2022-03-31", "--db", warehouse, "--commune", "xa-khong-co",
                "--out", str(tmp_path / "x.xlsx"))
    assert r.returncode == 2 and "không có đơn vị mã: xa-khong-co" in r.stderr
    r = run_cli("--from", "2022-01-01", "--to", "2022-03-31", "--db", str(tmp_path / "none.duckdb"),
                "--out", str(tmp_path / "x.xlsx"))
    assert r.returncode == 1 and "không tìm thấy kho dữ liệu" in r.stderr
    r = run_cli("--from", "2022-01-01", "--to", "2022-03-31", "--map", "cu", "--out", str(tmp_path / "x.xlsx"))
    assert r.returncode == 2 and "lựa chọn không hợp lệ" in r.stderr


def test_cli_writes_the_annex(warehouse, tmp_path):
    out = tmp_path / "phu-luc.xlsx"
    r = run_cli("--from", "2022-01-01", "--to", "2022-03-31", "--db", warehouse, "--commune", THAI,
                "--map", "asis", "--out", str(out))
    assert r.returncode == 0, r.stderr
    ws = openpyxl.load_workbook(out)["Biểu 06"]
    assert ws["A4"].value == "Đơn vị: Xã Phước Thái"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=9, max_col=13) if r[1].value == "Tổng cộng"]
    assert rows == [["", "Tổng cộng", 9, 4, 3, 2, 5, 1, 2, 2, 4, 2, 2]]


@needs_chromium
def test_bulletin_png(warehouse, tmp_path):
    out = tmp_path / "ban-tin.png"
    r = run_cli("--from", "2022-01-01", "--to", "2022-03-31", "--db", warehouse, "--out", str(out))
    assert r.returncode == 0, r.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\x89PNG")
    assert struct.unpack(">II", raw[16:24]) == (1080, 1350)


def test_bulletin_figure_texts(con):
    from report.bulletin import figure, trend_filters

    d = collect(con, Q1)
    fig = figure(d, tables.shown("trend", con, trend_filters(Q1, date(2021, 11, 1))))
    texts = [a.text for a in fig.layout.annotations]
    assert "<b>BẢN TIN VĂN HÓA CÔNG SỞ</b>" in texts
    assert "<b>13</b>" in texts and "<b>63,6 %</b>" in texts          # received, on-time rate
    assert "+9 so với kỳ trước" in texts and "-36,4 điểm % so với kỳ trước" in texts
    assert "<b>DỮ LIỆU MINH HỌA</b>" in texts
    assert list(fig.data[0].x) == ["11/2021", "12/2021", "01/2022", "02/2022", "03/2022"]


def test_report_has_no_sql_and_no_streamlit():
    for path in (ROOT / "report").glob("*.py"):
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"\.(execute|sql|query)\(|\bSELECT\b|\bINSERT\b|duckdb\.connect", code), path
        assert "streamlit" not in code, path


def test_xlsx_bieu06_a_row_per_unit(files):
    """Q1 2022 per unit (fixture): Phòng Tư pháp D1 (in person, on time), D2 (online, early), D3
    (postal, pending overdue); Ban QLDA S1 (carried over, returned late); Phước Thái as in
    test_commune_viewer_report_holds_only_its_scope; Phước Thuận B1 (online, late), B2 (in person,
    early); old Phước Hữu C1 (online, on time). Level subtotals equal the per-field sheet's."""
    wb = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    ws = wb["Biểu 06 theo đơn vị"]
    assert ws["B5"].value == "Cơ quan, đơn vị giải quyết theo cấp"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=9, max_row=17, max_col=13)]
    assert rows == BIEU06_BY_UNIT + [["", "Tổng cộng"] + BIEU06_TOTAL] + [[None] * 13]
    by_field = wb["Biểu 06"]
    levels = [[c.value for c in r] for r in by_field.iter_rows(min_row=9, max_col=13) if r[0].value in ("I", "II")]
    assert levels == [rows[0], rows[3]]


def test_cli_map_switch(warehouse, tmp_path):
    """--map new (Filters.map) writes the annex; a map that does not exist is refused by the parser."""
    out = tmp_path / "x.xlsx"
    r = run_cli("--from", "2022-01-01", "--to", "2022-03-31", "--db", warehouse, "--map", "new", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.exists()
    r = run_cli("--from", "2022-01-01", "--to", "2022-03-31", "--db", warehouse, "--map", "cu", "--out", str(out))
    assert r.returncode == 2 and "--map" in r.stderr


@pytest.mark.parametrize("aggregates", [True, False], ids=["pre-aggregated", "raw"])
@pytest.mark.parametrize("map_", ["asis", "new"])
def test_bieu06_by_unit_one_row_per_unit_whatever_the_map(con, aggregates, map_, monkeypatch):
    """The annex's per-unit Biểu 06 (metrics.tables.bieu06_by_unit, one query for all units), on
    both paths and both maps: each unit its own dossiers (old Phước Hữu apart from the units
    merged with it), by hand as in test_xlsx_bieu06_a_row_per_unit; the total that of the
    per-field Biểu 06."""
    from dataclasses import replace

    from metrics import db as mdb

    monkeypatch.setattr(mdb, "USE_AGGREGATES", aggregates)
    f = replace(Q1, map=map_)
    assert mdb.aggregates_answer(con, "bieu06_units", f) is aggregates
    df = tables.build("bieu06_by_unit", con, f)
    assert [[None if v != v else v for v in r] for r in df.itertuples(index=False)] == (
        BIEU06_BY_UNIT + [[None, "Tổng cộng", *BIEU06_TOTAL]])
    by_field = list(tables.build("bieu06", con, f).columns)
    assert list(df.columns) == by_field[:1] + ["(2) Cơ quan, đơn vị giải quyết theo cấp"] + by_field[2:]


def test_evaluations_name_the_law_of_the_classification(tmp_path):
    """With the real bands (ND 90/2020 until 31/12/2025, ND 335/2025 from 01/01/2026): a 2022
    report names ND 90/2020; a period across 01/01/2026 both; without bands nothing is said."""
    import duckdb

    from etl.registry import load_bands
    from metrics_fixtures import build_warehouse

    path = build_warehouse(tmp_path / "w.duckdb")
    with duckdb.connect(path) as c:
        load_bands(c)
    nd90 = "Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định 48/2023/NĐ-CP)"
    with duckdb.connect(path, read_only=True) as c:
        text = [b.text for b in sections.evaluations(collect(c, Q1), sections.Numbering()) if hasattr(b, "text")]
        assert f"Xếp loại theo: {nd90}." in text
        across = collect(c, Filters(date(2025, 12, 1), date(2026, 1, 31)))
        assert across.classification_laws == [nd90, "Nghị định 335/2025/NĐ-CP"]
        assert sections.law_line(across.classification_laws) == f"Xếp loại theo: {nd90}; Nghị định 335/2025/NĐ-CP"


def test_no_law_line_without_bands(con):
    text = [b.text for b in sections.evaluations(collect(con, Q1), sections.Numbering()) if hasattr(b, "text")]
    assert not any(t.startswith("Xếp loại theo") for t in text)


def test_preview_lists_only_the_drafts_tables(con):
    lines = sections.preview_text(collect(con, Q1))
    tables_ = [t for k, t in lines if k == "table"]
    assert tables_ and not any(t.startswith("Bảng 0.") for t in tables_)
    assert "Bảng 1. Kết quả khảo sát mức độ hài lòng của người dân, tổ chức theo cơ quan, đơn vị" in tables_
