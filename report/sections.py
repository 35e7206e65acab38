"""The report's sections, following the seed report 176/BC-UBND (sections I–IV).

Each section is one function: ReportData (metrics tables) in, blocks (report.model) out. Section
III is written from the warehouse; I, II and IV are headings with guidance for the writer. A part
whose data is absent says so in words ("Chưa có số liệu … trong kho dữ liệu"), never zeros.
"""
from __future__ import annotations

import pandas as pd

from ui.charts import make_coverage_bar_chart, make_score_bar_chart, make_trend_chart
from ui.format import vn_date, vn_int, vn_num, vn_pct

from .data import ReportData
from .model import Block, Heading, Paragraph, Picture, Table


class Numbering:
    """Bảng 1, 2, … and Hình 1, 2, … in the order they appear."""

    def __init__(self) -> None:
        self.tables = 0
        self.pictures = 0

    def table(self) -> int:
        self.tables += 1
        return self.tables

    def picture(self) -> int:
        self.pictures += 1
        return self.pictures


# -- words for numbers ----------------------------------------------------------------------------

def _has(x) -> bool:
    return x is not None and not (isinstance(x, float) and pd.isna(x))


def count_change(cur, prev, unit: str = "hồ sơ") -> str:
    """'tăng 1.239 hồ sơ so với kỳ trước (35.000)', 'giảm …', 'bằng kỳ trước'."""
    if not _has(prev) or not _has(cur):
        return "kỳ trước chưa có số liệu"
    diff = int(cur) - int(prev)
    if diff == 0:
        return f"bằng kỳ trước ({vn_int(prev)})"
    word = "tăng" if diff > 0 else "giảm"
    return f"{word} {vn_int(abs(diff))} {unit} so với kỳ trước ({vn_int(prev)})".replace("  ", " ")


def rate_change(cur, prev) -> str:
    """'kỳ trước 97,9 %, tăng 0,4 điểm phần trăm' (the dashboard's 'Thay đổi': this - previous)."""
    if not _has(prev) or not _has(cur):
        return "kỳ trước chưa có số liệu"
    diff = float(cur) - float(prev)
    step = vn_num(abs(diff))
    if step == "0,0":
        return f"kỳ trước {vn_pct(prev)}, tương đương kỳ trước"
    word = "tăng" if diff > 0 else "giảm"
    return f"kỳ trước {vn_pct(prev)}, {word} {step} điểm phần trăm"


def score_change(cur, prev) -> str:
    if not _has(prev) or not _has(cur):
        return "kỳ trước chưa có số liệu"
    diff = float(cur) - float(prev)
    step = vn_num(abs(diff))
    if step == "0,0":
        return f"kỳ trước {vn_num(prev)} điểm, tương đương kỳ trước"
    word = "tăng" if diff > 0 else "giảm"
    return f"kỳ trước {vn_num(prev)} điểm, {word} {step} điểm"


def _guide(text: str) -> Paragraph:
    return Paragraph(text, guidance=True)


def no_data(what: str) -> Paragraph:
    return Paragraph(f"Chưa có số liệu {what} trong kho dữ liệu.")


def has_dossiers(k: dict) -> bool:
    return bool(k.get("received") or k.get("returned") or k.get("pending"))


def period_words(d: ReportData) -> str:
    f = d.filters
    return f"từ ngày {vn_date(f.date_from)} đến ngày {vn_date(f.date_to)}"


# -- I, II ----------------------------------------------------------------------------------------

def section_characteristics(d: ReportData, n: Numbering) -> list[Block]:
    return [
        Heading("I. Đặc điểm, tình hình", 1),
        _guide("Nêu đặc điểm tự nhiên, dân số, số cơ quan, đơn vị, xã, thị trấn trực thuộc; thuận lợi, "
               "khó khăn của địa phương trong kỳ báo cáo; văn bản của cấp trên làm căn cứ triển khai "
               "Phong trào thi đua."),
    ]


def section_deployment(d: ReportData, n: Numbering) -> list[Block]:
    return [
        Heading("II. Công tác triển khai thực hiện phong trào thi đua", 1),
        _guide("Nêu các văn bản, kế hoạch đã ban hành để triển khai Phong trào thi đua (số, ngày, trích "
               "yếu); hình thức quán triệt, phổ biến đến cán bộ, công chức, viên chức; việc gắn Phong trào "
               "với đánh giá, xếp loại, bình xét thi đua hằng tháng, quý, năm; nhận xét chung về chuyển "
               "biến nhận thức."),
    ]


# -- III: the parts filled from the warehouse -----------------------------------------------------

def tthc_results(d: ReportData, n: Numbering) -> list[Block]:
    """TTHC results: received, returned early / on time / late, rates, pending overdue, apology
    coverage, online share, each against the previous equal period; Bảng (indicators), Bảng
    (Biểu 06 totals), Bảng (per unit), Hình (monthly trend)."""
    k, p = d.kpis, d.kpis_previous
    if not has_dossiers(k):
        return [Paragraph("Kết quả giải quyết thủ tục hành chính: chưa có số liệu hồ sơ TTHC của kỳ "
                          f"báo cáo ({period_words(d)}) trong kho dữ liệu.")]
    prev_has = has_dossiers(p)
    pp = p if prev_has else {}
    b06 = d.table("bieu06")
    carried = int(b06.iloc[-1]["(6) Từ kỳ trước"]) if not b06.empty else 0
    out: list[Block] = []
    text = (f"Kết quả giải quyết thủ tục hành chính trong kỳ báo cáo ({period_words(d)}; so sánh với "
            f"kỳ trước cùng độ dài, {period_words_prev(d)}): {who(d)} đã tiếp nhận "
            f"{vn_int(k['received'])} hồ sơ TTHC ({count_change(k['received'], pp.get('received'))})")
    if carried:
        text += f", ngoài ra có {vn_int(carried)} hồ sơ từ kỳ trước chuyển sang"
    out.append(Paragraph(text + "."))
    if k.get("returned"):
        out.append(Paragraph(
            f"Đã giải quyết {vn_int(k['returned'])} hồ sơ ({count_change(k['returned'], pp.get('returned'))}), "
            f"trong đó: trước hạn {vn_int(k['early'])} hồ sơ, đúng hạn {vn_int(k['on_time'])} hồ sơ, "
            f"quá hạn {vn_int(k['late'])} hồ sơ. Tỷ lệ giải quyết đúng hạn (gồm trước hạn và đúng hạn) "
            f"đạt {vn_pct(k['on_time_rate'])} ({rate_change(k['on_time_rate'], pp.get('on_time_rate'))}); "
            f"tỷ lệ giải quyết quá hạn {vn_pct(k['late_rate'])} "
            f"({rate_change(k['late_rate'], pp.get('late_rate'))})."))
    else:
        out.append(Paragraph("Trong kỳ chưa có hồ sơ nào được trả kết quả."))
    if k.get("pending"):
        overdue = k.get("pending_overdue") or 0
        tail = (f"trong đó {vn_int(overdue)} hồ sơ đã quá hạn "
                f"({count_change(overdue, pp.get('pending_overdue'))})" if overdue
                else "không có hồ sơ nào quá hạn")
        out.append(Paragraph(f"Đến hết ngày {vn_date(d.filters.date_to)}, còn {vn_int(k['pending'])} hồ sơ "
                             f"đang giải quyết, {tail}."))
    else:
        out.append(Paragraph(f"Đến hết ngày {vn_date(d.filters.date_to)}, không còn hồ sơ nào đang giải quyết."))
    if k.get("late_dossiers"):
        missing = int(k["late_dossiers"]) - int(k.get("late_with_apology") or 0)
        out.append(Paragraph(
            f"Đối với {vn_int(k['late_dossiers'])} hồ sơ quá hạn (trả quá hạn trong kỳ hoặc quá hạn chưa "
            f"trả), đã có {vn_int(k['late_with_apology'])} hồ sơ được gửi phiếu xin lỗi và hẹn lại ngày trả "
            f"kết quả, đạt {vn_pct(k['apology_coverage'])} "
            f"({rate_change(k['apology_coverage'], pp.get('apology_coverage'))})"
            + (f"; còn {vn_int(missing)} hồ sơ chưa có phiếu xin lỗi." if missing else ".")))
    else:
        out.append(Paragraph("Trong kỳ không có hồ sơ quá hạn, nên không phát sinh phiếu xin lỗi và hẹn lại "
                             "ngày trả kết quả."))
    t1, t2, t3 = n.table(), n.table(), n.table()
    out.append(Paragraph(f"Chi tiết tại Bảng {t1} (các chỉ tiêu so với kỳ trước), Bảng {t2} (tổng hợp theo "
                         f"Biểu số 06/VPCP/KSTT) và Bảng {t3} (theo cơ quan, đơn vị); Biểu số 06 đầy đủ theo "
                         "lĩnh vực tại Phụ lục (tệp Excel kèm theo)."))
    out.append(Table(t1, "Kết quả giải quyết thủ tục hành chính so với kỳ trước", tthc_indicators(d),
                     sheet="Chỉ tiêu TTHC", row_formats=tuple(indicator_formats(tthc_indicators(d)))))
    totals = bieu06_totals(d)
    out.append(Table(t2, "Tổng hợp tình hình, kết quả giải quyết TTHC (Biểu số 06/VPCP/KSTT)", totals,
                     sheet="Tổng hợp Biểu 06", formats={"Cấp": "text"},
                     bold_rows=(len(totals) - 1,)))
    out.append(Table(t3, "Kết quả giải quyết hồ sơ TTHC theo cơ quan, đơn vị", d.table("late_rates"),
                     sheet="TTHC theo đơn vị"))
    trend = d.table("trend")
    if len(trend) >= 2:
        h = n.picture()
        out.append(Picture(h, "Hồ sơ tiếp nhận và tỷ lệ giải quyết đúng hạn, quá hạn theo tháng",
                           make_trend_chart(trend), height_px=420))
    return out


def who(d: ReportData) -> str:
    """The subject of the sentences: the one unit reported on, else "các cơ quan, đơn vị"."""
    return d.unit_names[0] if len(d.unit_names) == 1 else "các cơ quan, đơn vị"


def period_words_prev(d: ReportData) -> str:
    f = d.previous
    return f"từ ngày {vn_date(f.date_from)} đến ngày {vn_date(f.date_to)}"


TTHC_INDICATORS = 11   # the first rows of metrics' overview: the TTHC ones (then score, commitments)


def tthc_indicators(d: ReportData) -> pd.DataFrame:
    return d.table("overview").iloc[:TTHC_INDICATORS].reset_index(drop=True)


def indicator_formats(df: pd.DataFrame) -> list[str]:
    """Per row of an indicator table (Chỉ tiêu, Kỳ này, Kỳ trước, Thay đổi): count, rate or score
    (the rule of ui.components.overview_styler: '(%)' in the label is a rate, 'điểm' a score)."""
    out = []
    for label in df["Chỉ tiêu"]:
        label = str(label)
        out.append("pct" if "(%)" in label else "score" if "điểm" in label.lower() else "int")
    return out


BIEU06_SHORT = {
    "(2) Lĩnh vực, công việc giải quyết theo cấp": "Cấp",
    "(3) Tổng số hồ sơ nhận giải quyết": "Nhận giải quyết (3)",
    "(4) Trong kỳ: Trực tuyến": "Trực tuyến (4)",
    "(5) Trong kỳ: Trực tiếp, dịch vụ bưu chính": "Trực tiếp, bưu chính (5)",
    "(6) Từ kỳ trước": "Từ kỳ trước (6)",
    "(7) Tổng số đã giải quyết": "Đã giải quyết (7)",
    "(8) Trước hạn": "Trước hạn (8)",
    "(9) Đúng hạn": "Đúng hạn (9)",
    "(10) Quá hạn": "Quá hạn (10)",
    "(11) Tổng số đang giải quyết": "Đang giải quyết (11)",
    "(12) Trong hạn": "Trong hạn (12)",
    "(13) Quá hạn": "Quá hạn (13)",
}


def bieu06_totals(d: ReportData) -> pd.DataFrame:
    """The level rows (Cấp huyện, Cấp xã) and the total row of Biểu 06, short headings."""
    b06 = d.table("bieu06")
    stt = b06["(1) STT"]
    keep = stt.isna() | stt.isin(["I", "II", "III"])
    return b06[keep].drop(columns=["(1) STT"]).rename(columns=BIEU06_SHORT).reset_index(drop=True)


def online_services(d: ReportData, n: Numbering) -> list[Block]:
    k, p = d.kpis, d.kpis_previous
    out: list[Block] = []
    if k.get("received"):
        pp = p if has_dossiers(p) else {}
        out.append(Paragraph(
            f"Trong kỳ có {vn_int(k['received_online'])}/{vn_int(k['received'])} hồ sơ TTHC được nộp trực "
            f"tuyến, chiếm {vn_pct(k['online_share'])} số hồ sơ tiếp nhận "
            f"({rate_change(k['online_share'], pp.get('online_share'))})."))
    else:
        out.append(no_data("hồ sơ TTHC nộp trực tuyến của kỳ báo cáo"))
    out.append(_guide("Nêu việc ứng dụng công nghệ thông tin: phần mềm một cửa điện tử, dịch vụ công trực "
                      "tuyến, chữ ký số, văn bản điện tử, giảm hội họp, giấy tờ."))
    return out


CLASS_COLUMNS = (("Xuất sắc", "Hoàn thành xuất sắc nhiệm vụ"), ("Tốt", "Hoàn thành tốt nhiệm vụ"),
                 ("Hoàn thành", "Hoàn thành nhiệm vụ"), ("Không hoàn thành", "Không hoàn thành nhiệm vụ"))


def _unit_list(df: pd.DataFrame) -> str:
    return "; ".join(f"{r['Đơn vị']} ({vn_num(r['Điểm TB'])} điểm)" for _, r in df.iterrows()
                     if _has(r["Điểm TB"]))


# The ranking's columns in the Word draft (the annex has them all, "Loại đơn vị" and "Thay đổi hạng" too).
RANKING_DOCUMENT_COLUMNS = ("Hạng", "Đơn vị", "Điểm TB", "Số kỳ đánh giá", "Xuất sắc", "Tốt", "Hoàn thành",
                            "Không hoàn thành", "Hạng kỳ trước")


def evaluations(d: ReportData, n: Numbering) -> list[Block]:
    """Classes of the evaluations counted for the period, the average score, the top and bottom
    units; Bảng (ranking), Hình (score per unit)."""
    ranking = d.table("ranking")
    total = int(ranking["Số kỳ đánh giá"].fillna(0).sum()) if not ranking.empty else 0
    if total == 0:
        return [no_data("đánh giá, xếp loại cơ quan, đơn vị của kỳ báo cáo")]
    units = int(ranking["Số kỳ đánh giá"].fillna(0).gt(0).sum())
    parts = []
    for col, label in CLASS_COLUMNS:
        count = int(ranking[col].fillna(0).sum())
        parts.append(f"{label} {vn_int(count)} lượt ({vn_pct(100.0 * count / total)})")
    k, p = d.kpis, d.kpis_previous
    out: list[Block] = [Paragraph(
        f"Kết quả đánh giá, xếp loại hằng tháng (hoặc quý, năm) trong kỳ: {vn_int(total)} lượt đánh giá "
        f"của {vn_int(units)} cơ quan, đơn vị, trong đó {'; '.join(parts)}. Điểm đánh giá trung bình "
        f"đạt {vn_num(k.get('avg_score'))} điểm ({score_change(k.get('avg_score'), p.get('avg_score'))}).")]
    top, bottom = d.table("top_units"), d.table("bottom_units")
    if units > 1 and not top.empty:   # "the best of one unit" says nothing
        text = f"Các đơn vị dẫn đầu: {_unit_list(top)}"
        bottom = bottom[~bottom["Đơn vị"].isin(top["Đơn vị"])]   # few units: the lists would overlap
        if not bottom.empty:
            text += f". Các đơn vị có điểm thấp nhất: {_unit_list(bottom)}"
        out.append(Paragraph(text + "."))
    t = n.table()
    out.append(Paragraph(f"Xếp hạng các cơ quan, đơn vị theo điểm đánh giá trung bình tại Bảng {t}."))
    out.append(Table(t, "Xếp loại, xếp hạng cơ quan, đơn vị theo điểm đánh giá trung bình", ranking,
                     sheet="Xếp hạng đơn vị", formats={"Hạng": "int", "Hạng kỳ trước": "int"},
                     document_columns=tuple(c for c in RANKING_DOCUMENT_COLUMNS if c in ranking.columns)))
    if ranking["Điểm TB"].notna().sum() >= 3:   # a bar chart of one or two units says nothing
        h = n.picture()
        out.append(Picture(h, "Điểm đánh giá trung bình của các cơ quan, đơn vị",
                           make_score_bar_chart(ranking), height_px=None))
    return out


def commitments(d: ReportData, n: Numbering) -> list[Block]:
    """Coverage of the signed commitments in the years the period touches; Bảng, Hình."""
    f = d.filters
    by_year = d.table("commitments_by_year")
    if not by_year.empty:
        by_year = by_year[(by_year["Năm"] >= f.date_from.year) & (by_year["Năm"] <= f.date_to.year)]
        by_year = by_year.reset_index(drop=True)
    if by_year.empty:
        return [no_data(f"ký cam kết của cán bộ, công chức, viên chức các năm {year_words(d)}")]
    k, p = d.kpis, d.kpis_previous
    last = int(by_year["Năm"].max())
    rows = by_year[by_year["Năm"] == last]
    parts = [f"“{r['Cam kết']}” {vn_int(r['Đã ký'])}/{vn_int(r['Số CBCCVC'])} người ({vn_pct(r['Tỷ lệ (%)'])})"
             for _, r in rows.iterrows()]
    out: list[Block] = [Paragraph(
        f"Việc ký cam kết của cán bộ, công chức, viên chức năm {last}: {'; '.join(parts)}. Tỷ lệ ký cam "
        f"kết chung các năm {year_words(d)} đạt {vn_pct(k.get('commitment_coverage'))} "
        f"({rate_change(k.get('commitment_coverage'), p.get('commitment_coverage'))}).")]
    t = n.table()
    out.append(Paragraph(f"Chi tiết theo năm tại Bảng {t}; theo từng cơ quan, đơn vị tại Phụ lục."))
    out.append(Table(t, "Tỷ lệ cán bộ, công chức, viên chức ký cam kết", by_year, sheet="Cam kết theo năm",
                     formats={"Năm": "year"}))
    if by_year["Năm"].nunique() >= 1:
        h = n.picture()
        out.append(Picture(h, "Tỷ lệ ký cam kết theo năm",
                           make_coverage_bar_chart(by_year, x="Năm", y="Tỷ lệ (%)", series="Cam kết"),
                           height_px=380))
    return out


def year_words(d: ReportData) -> str:
    a, b = d.filters.date_from.year, d.filters.date_to.year
    return str(a) if a == b else f"{a}–{b}"


EVIDENCE_WORDS = {
    "satisfaction": "khảo sát mức độ hài lòng của người dân, tổ chức",
    "inspections": "kiểm tra đột xuất giờ giấc làm việc, văn hóa ứng xử nơi công sở",
    "staff_ratings": "đánh giá, xếp loại cán bộ, công chức, viên chức",
    "commendations": "khen thưởng tập thể, cá nhân",
}
EVIDENCE_SHEETS = {"satisfaction": "Hài lòng", "inspections": "Kiểm tra đột xuất",
                   "staff_ratings": "Xếp loại CBCCVC", "commendations": "Khen thưởng"}


def evidence(d: ReportData, n: Numbering, name: str, caption: str) -> list[Block]:
    """An evidence table of issue 8 (satisfaction, inspections, staff ratings, commendations):
    its table when metrics has it and it has rows for the period, else a sentence that it is not
    loaded (never a table of zeros)."""
    what = EVIDENCE_WORDS[name]
    df = d.evidence.get(name)
    if df is None:
        return [no_data(what)]
    if df.empty:
        return [Paragraph(f"Chưa có số liệu {what} của kỳ báo cáo ({period_words(d)}) trong kho dữ liệu.")]
    t = n.table()
    return [Paragraph(f"Số liệu {what} trong kỳ tại Bảng {t}."),
            Table(t, caption, df, sheet=EVIDENCE_SHEETS[name])]


def section_results(d: ReportData, n: Numbering) -> list[Block]:
    """III. Kết quả đạt được (the seed's III.1 a–e, 2, 3, 4)."""
    out: list[Block] = [
        Heading("III. Kết quả đạt được", 1),
        Heading("1. Kết quả hưởng ứng, thực hiện Phong trào thi đua", 2),
        Heading("a) Xây dựng, ban hành các chính sách, quy định, nội quy, quy chế của cơ quan, đơn vị về văn "
                "hóa công sở", 3),
        _guide("Nêu các quy chế, nội quy về văn hóa công sở đã ban hành, sửa đổi; kết quả thực hiện."),
        *evidence(d, n, "satisfaction", "Kết quả khảo sát mức độ hài lòng của người dân, tổ chức"),
        Heading("b) Đẩy mạnh cải cách hành chính, công khai, minh bạch, đơn giản hóa thủ tục hành chính, rút "
                "ngắn thời gian giải quyết công việc", 3),
        *tthc_results(d, n),
        Heading("c) Ứng dụng công nghệ thông tin trong hoạt động của cơ quan, đơn vị", 3),
        *online_services(d, n),
        Heading("d) Xây dựng và giữ gìn cơ quan, đơn vị văn minh, hiện đại, xanh, sạch, đẹp", 3),
        _guide("Nêu việc bài trí công sở (Quốc kỳ, biển tên, khuôn viên), vệ sinh, an toàn, phòng cháy, "
               "chữa cháy; các hoạt động xã hội, thiện nguyện của cán bộ, công chức."),
        Heading("đ) Tổ chức các phong trào thi đua với nội dung, hình thức phong phú, đa dạng, bám sát nhiệm vụ "
                "chính trị", 3),
        _guide("Nêu các phong trào thi đua đã phát động, việc gắn với học tập và làm theo tư tưởng, đạo đức, "
               "phong cách Hồ Chí Minh, kết quả nổi bật."),
        Heading("e) Việc thực hiện của cán bộ, công chức, viên chức: chấp hành kỷ cương, kỷ luật hành chính; "
                "tinh thần, thái độ làm việc; chuẩn mực giao tiếp, ứng xử; đạo đức, lối sống; trang phục", 3),
        *evaluations(d, n),
        *evidence(d, n, "staff_ratings", "Kết quả đánh giá, xếp loại cán bộ, công chức, viên chức"),
        *commitments(d, n),
        Heading("2. Đánh giá tác động, hiệu quả của Phong trào thi đua đối với việc thực hiện nhiệm vụ chính "
                "trị gắn với đẩy mạnh “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”", 2),
        _guide("Nêu tác động của Phong trào đến việc thực hiện nhiệm vụ chính trị của cơ quan, đơn vị; các "
               "mô hình, cách làm hay."),
        Heading("3. Công tác kiểm tra, đôn đốc", 2),
        *evidence(d, n, "inspections", "Kết quả kiểm tra đột xuất giờ giấc làm việc, văn hóa ứng xử"),
        _guide("Nêu các đợt kiểm tra chuyên đề, đột xuất; những hạn chế đã được nhắc nhở, khắc phục."),
        Heading("4. Kết quả biểu dương, tôn vinh, khen thưởng Phong trào thi đua", 2),
        *evidence(d, n, "commendations", "Kết quả khen thưởng tập thể, cá nhân"),
        _guide("Nêu các hình thức biểu dương, khen thưởng đã thực hiện và đề nghị cấp trên khen thưởng."),
    ]
    return out


def section_assessment(d: ReportData, n: Numbering) -> list[Block]:
    return [
        Heading("IV. Đánh giá chung, đề xuất, kiến nghị", 1),
        Heading("1. Kết quả đạt được", 2),
        _guide("Đánh giá chung tác động của Phong trào đến nhận thức, thái độ, hành động của cán bộ, công "
               "chức, viên chức."),
        Heading("2. Tồn tại, hạn chế", 2),
        _guide("Nêu những tồn tại, hạn chế (có thể căn cứ các số liệu tại mục III: hồ sơ quá hạn, hồ sơ "
               "chưa có phiếu xin lỗi, đơn vị có điểm đánh giá thấp, cam kết chưa đủ)."),
        Heading("3. Nguyên nhân của tồn tại, hạn chế", 2),
        _guide("Nêu nguyên nhân chủ quan, khách quan."),
        Heading("4. Bài học kinh nghiệm", 2),
        _guide("Nêu các bài học kinh nghiệm rút ra."),
        Heading("5. Đề xuất, kiến nghị", 2),
        _guide("Nêu đề xuất, kiến nghị với cấp trên."),
    ]


SECTIONS = (section_characteristics, section_deployment, section_results, section_assessment)


def blocks(d: ReportData) -> list[Block]:
    """The body of the report, sections I–IV, tables and pictures numbered in order."""
    n = Numbering()
    out: list[Block] = []
    for section in SECTIONS:
        out.extend(section(d, n))
    return out


def annex_tables(d: ReportData) -> list[Table]:
    """Tables only in the Excel annex (beside those of the body): the monthly trend and the
    commitments per unit of the period's last year."""
    out = []
    trend = d.table("trend")
    if not trend.empty:
        out.append(Table(0, "Số liệu theo tháng", trend, sheet="Theo tháng", in_document=False))
    per_unit = d.table("commitments")
    if not per_unit.empty and "Còn thiếu" in per_unit and len(per_unit.columns) > 2:
        out.append(Table(0, f"Tỷ lệ ký cam kết theo cơ quan, đơn vị năm {d.filters.date_to.year}", per_unit,
                         sheet=f"Cam kết đơn vị {d.filters.date_to.year}", in_document=False))
    return out


def subject(d: ReportData) -> str:
    mv = d.settings["movement"]
    return (f"Kết quả thực hiện Phong trào thi đua “{mv['name']}” giai đoạn {mv['period']} "
            f"({period_words(d)})")


def closing(d: ReportData) -> str:
    mv = d.settings["movement"]
    return (f"Trên đây là báo cáo kết quả thực hiện Phong trào thi đua “{mv['name']}” giai đoạn "
            f"{mv['period']} ({period_words(d)}) của {d.issuer_name()}./.")


def preview_text(d: ReportData) -> list[tuple[str, str]]:
    """Section III as (kind, text) lines for the page's preview: 'h1'..'h3', 'p', 'guide',
    'table', 'picture'."""
    out = []
    for b in section_results(d, Numbering()):
        if isinstance(b, Heading):
            out.append((f"h{b.level}", b.text))
        elif isinstance(b, Paragraph):
            out.append(("guide" if b.guidance else "p", b.text))
        elif isinstance(b, Table):
            out.append(("table", f"Bảng {b.number}. {b.caption}"))
        elif isinstance(b, Picture):
            out.append(("picture", f"Hình {b.number}. {b.caption}"))
    return out
