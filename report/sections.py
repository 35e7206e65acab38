"""The report's sections, following the seed report 176/BC-UBND (sections I–IV).

Each section is one function: ReportData (metrics tables) in, blocks (report.model) out. Section
III is written from the warehouse; I, II and IV are headings with guidance for the writer. A part
whose data is absent says so in words ("Chưa có số liệu … trong kho dữ liệu"), never zeros.
"""
from __future__ import annotations

import pandas as pd

from ui.charts import make_coverage_bar_chart, make_score_bar_chart, make_trend_chart
from metrics.display import OVER_CAP, SATISFACTION_TARGET
from metrics.tables import law_line
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
        _guide("Nêu đặc điểm tự nhiên, dân số, số cơ quan, đơn vị trực thuộc; thuận lợi, "
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
    """The level rows (Cấp tỉnh, Cấp huyện, Cấp xã: those with dossiers) and the total row of Biểu 06,
    short headings."""
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
    if d.classification_laws:   # the law the classes were made under (both across 01/01/2026)
        out.append(Paragraph(law_line(d.classification_laws) + "."))
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


def evidence_absent(d: ReportData, name: str) -> list[Block] | None:
    """The sentence for an evidence table of issue 8 that has nothing for the period (not loaded
    at all, or no rows in the period), else None: never a table of zeros."""
    what = EVIDENCE_WORDS[name]
    df = d.evidence.get(name)
    if df is None:
        return [no_data(what)]
    if df.empty:
        return [Paragraph(f"Chưa có số liệu {what} của kỳ báo cáo ({period_words(d)}) trong kho dữ liệu.")]
    return None


def _evidence_table(d: ReportData, name: str) -> pd.DataFrame:
    df = d.evidence.get(name)
    return df if df is not None else pd.DataFrame()


def _sum(df: pd.DataFrame, column: str) -> int:
    return int(pd.to_numeric(df[column]).fillna(0).sum()) if column in df else 0


def _names(items: list[str], most: int = 5) -> str:
    """'A; B; C' or 'A; …; E và 3 đơn vị khác'."""
    if len(items) <= most:
        return "; ".join(items)
    return "; ".join(items[:most]) + f" và {vn_int(len(items) - most)} đơn vị khác"


def number_change(cur, prev, unit: str = "") -> str:
    """'kỳ trước 16,7, giảm 8,1' for a number that is neither a count nor a percentage."""
    if not _has(prev) or not _has(cur):
        return "kỳ trước chưa có số liệu"
    diff = float(cur) - float(prev)
    step = vn_num(abs(diff))
    if step == "0,0":
        return f"kỳ trước {vn_num(prev)}{unit}, tương đương kỳ trước"
    return f"kỳ trước {vn_num(prev)}{unit}, {'tăng' if diff > 0 else 'giảm'} {step}{unit}"


SATISFACTION_TARGET_WORDS = f"{vn_int(SATISFACTION_TARGET)} %"


def satisfaction(d: ReportData, n: Numbering) -> list[Block]:
    """Survey answers: responses, the very-satisfied share against the 90 % target (seed: "mức độ
    rất hài lòng của người dân luôn đạt trên 90%"), the months and units below it; Bảng (units),
    the months in the annex."""
    absent = evidence_absent(d, "satisfaction")
    if absent:
        return absent
    by_unit, by_month = d.evidence["satisfaction"], _evidence_table(d, "satisfaction_by_month")
    k, p = d.evidence_kpis, d.evidence_kpis_previous
    responses, very = k.get("survey_responses"), k.get("very_satisfied")
    share = k.get("very_satisfied_share")
    satisfied = _sum(by_unit, "Rất hài lòng") + _sum(by_unit, "Hài lòng")
    met = _has(share) and share >= SATISFACTION_TARGET
    text = (f"Kết quả lấy ý kiến đánh giá mức độ hài lòng của tổ chức, cá nhân đến giao dịch qua phiếu khảo sát "
            f"trong kỳ: {vn_int(responses)} phiếu, trong đó {vn_int(very)} phiếu rất hài lòng; tỷ lệ rất hài lòng "
            f"đạt {vn_pct(share)} ({rate_change(share, p.get('very_satisfied_share'))}), "
            + ("đạt" if met else "chưa đạt")
            + f" mục tiêu từ {SATISFACTION_TARGET_WORDS} trở lên; tỷ lệ hài lòng trở lên (rất hài lòng và hài "
              f"lòng) đạt {vn_pct(100.0 * satisfied / responses) if responses else '—'}.")
    out: list[Block] = [Paragraph(text)]
    share_col = "Tỷ lệ rất hài lòng (%)"
    low_months = [f"{r['Tháng']} ({vn_pct(r[share_col])})" for _, r in by_month.iterrows()
                  if _has(r[share_col]) and r[share_col] < SATISFACTION_TARGET] if not by_month.empty else []
    low_units = [f"{r['Đơn vị']} ({vn_pct(r[share_col])})" for _, r in by_unit.iterrows()
                 if _has(r[share_col]) and r[share_col] < SATISFACTION_TARGET]
    months = len(by_month)
    if months > 1:
        out.append(Paragraph(
            f"Có {vn_int(len(low_months))}/{vn_int(months)} tháng tỷ lệ rất hài lòng dưới {SATISFACTION_TARGET_WORDS}: "
            f"{_names(low_months, 12)}." if low_months else
            f"Cả {vn_int(months)} tháng có phiếu khảo sát đều đạt tỷ lệ rất hài lòng từ {SATISFACTION_TARGET_WORDS} "
            "trở lên."))
    if len(by_unit) > 1 or low_units:
        out.append(Paragraph(
            f"Cơ quan, đơn vị có tỷ lệ rất hài lòng dưới {SATISFACTION_TARGET_WORDS} "
            f"({vn_int(len(low_units))}/{vn_int(len(by_unit))} đơn vị có phiếu, thấp nhất trước): {_names(low_units)}."
            if low_units else
            f"Tất cả {vn_int(len(by_unit))} cơ quan, đơn vị có phiếu khảo sát đều đạt tỷ lệ rất hài lòng từ "
            f"{SATISFACTION_TARGET_WORDS} trở lên."))
    t = n.table()
    out.append(Paragraph(f"Chi tiết theo cơ quan, đơn vị tại Bảng {t}; theo tháng tại Phụ lục."))
    out.append(Table(t, "Kết quả khảo sát mức độ hài lòng của người dân, tổ chức theo cơ quan, đơn vị", by_unit,
                     sheet=EVIDENCE_SHEETS["satisfaction"],
                     document_columns=tuple(c for c in SATISFACTION_DOCUMENT_COLUMNS if c in by_unit.columns)))
    if not by_month.empty:
        out.append(Table(0, "Kết quả khảo sát mức độ hài lòng theo tháng", by_month, sheet="Hài lòng theo tháng",
                         in_document=False))
    return out


SATISFACTION_DOCUMENT_COLUMNS = ("Đơn vị", "Số phiếu", "Rất hài lòng", "Tỷ lệ rất hài lòng (%)",
                                 "Tỷ lệ hài lòng trở lên (%)")


def inspections(d: ReportData, n: Numbering) -> list[Block]:
    """Surprise inspections: visits, officials checked, violations per 100 checked (against the
    previous equal period), by kind, the units with the highest rate; Bảng (kinds), Bảng (units)."""
    absent = evidence_absent(d, "inspections")
    if absent:
        return absent
    by_unit, by_kind = d.evidence["inspections"], _evidence_table(d, "inspections_by_kind")
    k, p = d.evidence_kpis, d.evidence_kpis_previous
    visits = _sum(by_unit, "Số lần kiểm tra")
    violations = k.get("violations") or 0
    text = (f"Trong kỳ đã tổ chức {vn_int(visits)} lần kiểm tra đột xuất việc chấp hành giờ giấc làm việc, văn "
            f"hóa ứng xử nơi công sở tại {vn_int(len(by_unit))} cơ quan, đơn vị, với {vn_int(k.get('inspected'))} "
            "lượt cán bộ, công chức, viên chức được kiểm tra; ")
    if violations:
        text += (f"phát hiện {vn_int(violations)} trường hợp vi phạm "
                 f"({count_change(violations, p.get('violations'), 'trường hợp')}), bình quân "
                 f"{vn_num(k.get('violations_per_100'))} vi phạm trên 100 lượt kiểm tra "
                 f"({number_change(k.get('violations_per_100'), p.get('violations_per_100'))}).")
    else:
        text += ("không phát hiện trường hợp vi phạm nào"
                 + (f" (kỳ trước {vn_int(p['violations'])} trường hợp)." if p.get("violations") else "."))
    out: list[Block] = [Paragraph(text)]
    if violations and not by_kind.empty:
        kinds = [f"{str(r['Loại vi phạm']).lower()} {vn_int(r['Số vi phạm'])} trường hợp "
                 f"({vn_num(r[PER_100])} / 100 lượt)" for _, r in by_kind.iterrows() if r["Số vi phạm"]]
        worst = [f"{r['Đơn vị']} ({vn_num(r[PER_100])} / 100 lượt)" for _, r in by_unit.iterrows()
                 if _has(r[PER_100]) and r[PER_100] > 0][:3]
        out.append(Paragraph(f"Theo loại vi phạm: {'; '.join(kinds)}."
                             + (f" Đơn vị có tỷ lệ vi phạm cao nhất: {'; '.join(worst)}." if len(by_unit) > 1 else "")))
    t1, t2 = n.table(), n.table()
    out.append(Paragraph(f"Chi tiết theo loại vi phạm tại Bảng {t1}, theo cơ quan, đơn vị tại Bảng {t2}."))
    out.append(Table(t1, "Kết quả kiểm tra đột xuất theo loại vi phạm", by_kind, sheet="Vi phạm theo loại"))
    out.append(Table(t2, "Kết quả kiểm tra đột xuất giờ giấc làm việc, văn hóa ứng xử theo cơ quan, đơn vị", by_unit,
                     sheet=EVIDENCE_SHEETS["inspections"],
                     document_columns=tuple(c for c in INSPECTION_DOCUMENT_COLUMNS if c in by_unit.columns)))
    return out


PER_100 = "Vi phạm / 100 lượt kiểm tra"
INSPECTION_DOCUMENT_COLUMNS = ("Đơn vị", "Số lần kiểm tra", "Lượt CBCCVC được kiểm tra", "Tổng vi phạm", PER_100)

RATING_CLASSES = (("Xuất sắc", "hoàn thành xuất sắc nhiệm vụ"), ("Tốt", "hoàn thành tốt nhiệm vụ"),
                  ("Hoàn thành", "hoàn thành nhiệm vụ"), ("Không hoàn thành", "không hoàn thành nhiệm vụ"))


def staff_ratings(d: ReportData, n: Numbering) -> list[Block]:
    """Officials' year-end classes per year the period touches: the classes as shares of the
    headcount, xuất sắc as a share of tốt against the cap of the rule in force on 31/12 (enforced:
    the units over it; else "để tham khảo", naming the rule); Bảng (units and years)."""
    absent = evidence_absent(d, "staff_ratings")
    if absent:
        return absent
    ratings, rules = d.evidence["staff_ratings"], _evidence_table(d, "rating_rules")
    out: list[Block] = []
    for year in sorted({int(y) for y in ratings["Năm"]}):
        one = ratings[ratings["Năm"] == year]
        headcount = _sum(one, "Số CBCCVC")
        parts = [f"{label} {vn_int(_sum(one, col))} người ({vn_pct(100.0 * _sum(one, col) / headcount) if headcount else '—'})"
                 for col, label in RATING_CLASSES]
        text = (f"Kết quả đánh giá, xếp loại cán bộ, công chức, viên chức năm {year} của {vn_int(len(one))} cơ quan, "
                f"đơn vị ({vn_int(headcount)} người): {'; '.join(parts)}")
        unrated = _sum(one, "Chưa xếp loại")
        text += f"; chưa xếp loại {vn_int(unrated)} người." if unrated else "."
        xs, tot = _sum(one, "Xuất sắc"), _sum(one, "Tốt")
        rule = rules[rules["Năm"] == year] if not rules.empty else rules
        ratio = (f"Số xếp loại hoàn thành xuất sắc nhiệm vụ bằng {vn_pct(100.0 * xs / tot)} số xếp loại hoàn thành "
                 "tốt nhiệm vụ" if tot else "Không có người xếp loại hoàn thành tốt nhiệm vụ để tính tỷ lệ xuất sắc / tốt")
        if rule.empty:
            text += f" {ratio} (chưa có quy định về tỷ lệ tối đa cho năm {year})."
        else:
            r = rule.iloc[0]
            limit = vn_pct(r["Tỷ lệ tối đa (%)"]).replace(",0 %", " %")
            if r["Áp dụng"] == "Bắt buộc":
                over = list(one.loc[one[OVER_CAP] == "Có", "Đơn vị"])
                text += (f" {ratio}; theo {r['Căn cứ']}, tỷ lệ này không quá {limit} trong từng cơ quan, đơn vị: "
                         + (f"có {vn_int(len(over))} đơn vị vượt tỷ lệ ({_names(over)})." if over
                            else "không có đơn vị nào vượt tỷ lệ."))
            else:
                text += (f" {ratio}; mức tối đa {limit} chỉ để tham khảo, chưa áp dụng bắt buộc theo "
                         f"{r['Căn cứ']}.")
        out.append(Paragraph(text))
    t = n.table()
    out.append(Paragraph(f"Chi tiết theo cơ quan, đơn vị và năm tại Bảng {t}."))
    out.append(Table(t, "Kết quả xếp loại cán bộ, công chức, viên chức theo cơ quan, đơn vị", ratings,
                     sheet=EVIDENCE_SHEETS["staff_ratings"], formats={"Năm": "year"},
                     document_columns=tuple(c for c in RATING_DOCUMENT_COLUMNS if c in ratings.columns)))
    return out


RATING_DOCUMENT_COLUMNS = ("Năm", "Đơn vị", "Số CBCCVC", "Xuất sắc", "Tốt", "Hoàn thành", "Không hoàn thành",
                           "Xuất sắc / Tốt (%)", "Vượt tỷ lệ 20 %")


def commendations(d: ReportData, n: Numbering) -> list[Block]:
    """Commendations decided in the period (at the year-end review, as the seed says): decisions,
    collectives and individuals by form and by level; Bảng (forms), the units and the decisions in
    the annex."""
    absent = evidence_absent(d, "commendations")
    if absent:
        return absent
    by_unit = d.evidence["commendations"]
    by_form = _evidence_table(d, "commendations_by_form")
    decisions = _evidence_table(d, "commendation_decisions")
    forms = (by_form.groupby("Hình thức", sort=False)[["Tổng số", "Tập thể", "Cá nhân"]].sum()
             .reset_index() if not by_form.empty else by_form)
    collective, individual = _sum(by_unit, "Tập thể"), _sum(by_unit, "Cá nhân")
    n_decisions = int(decisions["Số quyết định"].nunique()) if not decisions.empty else 0
    parts = []
    for _, r in forms.iterrows():
        who_ = [f"{vn_int(r[c])} {c.lower()}" for c in ("Tập thể", "Cá nhân") if r[c]]
        parts.append(f"{r['Hình thức']} {' và '.join(who_)}")
    text = (f"Trong kỳ, qua bình xét thi đua, khen thưởng đã có {vn_int(n_decisions)} quyết định khen thưởng "
            f"{vn_int(collective)} lượt tập thể và {vn_int(individual)} lượt cá nhân có thành tích trong thực hiện "
            f"Phong trào thi đua, trong đó: {'; '.join(parts)}.")
    out: list[Block] = [Paragraph(text)]
    if not decisions.empty:
        levels = []
        for level, part in decisions.groupby("Cấp khen thưởng", sort=False):
            levels.append(f"{level} {vn_int(part['Số quyết định'].nunique())} quyết định "
                          f"({vn_int(len(part))} lượt)")
        out.append(Paragraph(f"Theo cấp khen thưởng: {'; '.join(levels)}."))
    t = n.table()
    out.append(Paragraph(f"Chi tiết theo hình thức tại Bảng {t}; theo cơ quan, đơn vị và danh sách quyết định tại "
                         "Phụ lục."))
    out.append(Table(t, "Kết quả khen thưởng tập thể, cá nhân theo hình thức", by_form,
                     sheet="Khen thưởng theo hình thức", formats={"Năm": "year"}))
    out.append(Table(0, "Khen thưởng theo cơ quan, đơn vị", by_unit, sheet=EVIDENCE_SHEETS["commendations"],
                     formats={"Năm": "year"}, in_document=False))
    if not decisions.empty:
        out.append(Table(0, "Danh sách quyết định khen thưởng", decisions, sheet="Quyết định khen thưởng",
                         in_document=False))
    return out


def section_results(d: ReportData, n: Numbering) -> list[Block]:
    """III. Kết quả đạt được (the seed's III.1 a–e, 2, 3, 4)."""
    out: list[Block] = [
        Heading("III. Kết quả đạt được", 1),
        Heading("1. Kết quả hưởng ứng, thực hiện Phong trào thi đua", 2),
        Heading("a) Xây dựng, ban hành các chính sách, quy định, nội quy, quy chế của cơ quan, đơn vị về văn "
                "hóa công sở", 3),
        _guide("Nêu các quy chế, nội quy về văn hóa công sở đã ban hành, sửa đổi; kết quả thực hiện."),
        *satisfaction(d, n),
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
        *staff_ratings(d, n),
        *commitments(d, n),
        Heading("2. Đánh giá tác động, hiệu quả của Phong trào thi đua đối với việc thực hiện nhiệm vụ chính "
                "trị gắn với đẩy mạnh “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”", 2),
        _guide("Nêu tác động của Phong trào đến việc thực hiện nhiệm vụ chính trị của cơ quan, đơn vị; các "
               "mô hình, cách làm hay."),
        Heading("3. Công tác kiểm tra, đôn đốc", 2),
        *inspections(d, n),
        _guide("Nêu các đợt kiểm tra chuyên đề, đột xuất; những hạn chế đã được nhắc nhở, khắc phục."),
        Heading("4. Kết quả biểu dương, tôn vinh, khen thưởng Phong trào thi đua", 2),
        *commendations(d, n),
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
    return f"Kết quả thực hiện Phong trào thi đua “{mv['name']}”{d.movement_phase()} ({period_words(d)})"


def closing(d: ReportData) -> str:
    mv = d.settings["movement"]
    return (f"Trên đây là báo cáo kết quả thực hiện Phong trào thi đua “{mv['name']}”{d.movement_phase()} "
            f"({period_words(d)}) của {d.issuer_name()}./.")


def preview_text(d: ReportData) -> list[tuple[str, str]]:
    """Section III as (kind, text) lines for the page's preview: 'h1'..'h3', 'p', 'guide',
    'table', 'picture'."""
    out = []
    for b in section_results(d, Numbering()):
        if isinstance(b, Heading):
            out.append((f"h{b.level}", b.text))
        elif isinstance(b, Paragraph):
            out.append(("guide" if b.guidance else "p", b.text))
        elif isinstance(b, Table) and b.in_document:   # the annex-only tables are not in the draft
            out.append(("table", f"Bảng {b.number}. {b.caption}"))
        elif isinstance(b, Picture):
            out.append(("picture", f"Hình {b.number}. {b.caption}"))
    return out
