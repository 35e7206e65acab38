"""Demo dossier books of the one-stop shop (hồ sơ TTHC), one per month, as the systems export them.

What the data shows (by construction, see the constants below):
- 25–40 thousand dossiers a year, communes and departments until 06/2025; from 07/2025 the four new
  communes only, received at their Trung tâm Phục vụ hành chính công (the district's procedures
  that passed to them included), more late dossiers in their first months; codes of Thông tư
  04/2025/TT-VPCP from 25/01/2026; dossiers received before 01/07/2025 and returned after stay
  with the unit that received them;
- on-time rate mostly 95–99.5 %, lower around Tết, in the COVID-19 wave of Jul–Sep 2021 and in
  three persistently weaker units (Xã Phước Sơn, Xã Phước Thái, Phòng Tài nguyên và Môi trường);
- online share rising from about 6 % (2019) to about 55 % (2025);
- apology letters for most (not all) late dossiers; dossiers still pending at the end of the last
  month, a few of them long overdue.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..demo_common import (ALL_UNITS, DEFAULT_SEED, DISTRICT_LAST_MONTH, FIRST_MONTH, NEW_COMMUNES, UNIT_INDEX, UNITS,
                           WEAK_UNITS, busday_calendar, issuer_of, last_full_month, month_list, save_xlsx, tet_months,
                           title_block, write_csv)

FILE_NAME = re.compile(r"^hoso_\d{4}-\d{2}\.(csv|xlsx)$")

# --------------------------------------------------------------------------------------------
# Procedures: (field, procedure, working days allowed, share of the unit's volume, online shift).
# Working days 0 = same day if received before 15:00, else the next working day (chứng thực).
# --------------------------------------------------------------------------------------------

COMMUNE_PROCEDURES = (
    ("Chứng thực", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", 0, 0.40, -0.7),
    ("Chứng thực", "Chứng thực chữ ký trong các giấy tờ, văn bản", 0, 0.12, -0.5),
    ("Chứng thực", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", 2, 0.04, -0.5),
    ("Hộ tịch", "Đăng ký khai sinh", 1, 0.12, 0.6),
    ("Hộ tịch", "Đăng ký khai tử", 1, 0.04, 0.5),
    ("Hộ tịch", "Đăng ký kết hôn", 1, 0.04, 0.3),
    ("Hộ tịch", "Cấp bản sao trích lục hộ tịch", 1, 0.06, 0.8),
    ("Hộ tịch", "Cấp Giấy xác nhận tình trạng hôn nhân", 3, 0.06, 0.6),
    ("Hộ tịch", "Thay đổi, cải chính, bổ sung thông tin hộ tịch", 3, 0.025, 0.3),
    ("Hộ tịch", "Đăng ký nhận cha, mẹ, con", 3, 0.005, 0.0),
    ("Đất đai", "Hòa giải tranh chấp đất đai", 30, 0.01, -0.5),
    ("Bảo trợ xã hội", "Trợ giúp xã hội khẩn cấp về hỗ trợ chi phí mai táng", 3, 0.012, 0.0),
    ("Bảo trợ xã hội", "Thực hiện trợ cấp xã hội hàng tháng đối với đối tượng bảo trợ xã hội", 20, 0.018, 0.0),
    ("Người có công", "Xác nhận thông tin người có công với cách mạng", 5, 0.01, 0.0),
    ("Nông nghiệp", "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai, dịch bệnh", 10, 0.01, -0.3),
)
COMMUNE_VOLUME_PER_SIZE = 2450  # dossiers a year for a commune of size 1.0 (in 2020)

# unit_id -> (dossiers a year in 2020, procedures)
DEPARTMENT_PROCEDURES = {
    "p-tai-nguyen-moi-truong": (5200, (
        ("Đất đai", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", 10, 0.45, 0.1),
        ("Đất đai", "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", 30, 0.14, -0.2),
        ("Đất đai", "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền", 15, 0.12, 0.0),
        ("Đất đai", "Tách thửa hoặc hợp thửa đất", 15, 0.20, 0.0),
        ("Đất đai", "Gia hạn sử dụng đất nông nghiệp", 7, 0.05, 0.0),
        ("Môi trường", "Đăng ký/xác nhận kế hoạch bảo vệ môi trường", 10, 0.04, 0.3),
    )),
    "p-kinh-te-ha-tang": (650, (
        ("Xây dựng", "Cấp giấy phép xây dựng nhà ở riêng lẻ", 15, 0.85, 0.4),
        ("Xây dựng", "Cấp giấy phép sửa chữa, cải tạo công trình", 15, 0.10, 0.3),
        ("Xây dựng", "Điều chỉnh giấy phép xây dựng", 10, 0.05, 0.3),
    )),
    "p-tai-chinh-ke-hoach": (1100, (
        ("Thành lập và hoạt động của hộ kinh doanh", "Đăng ký thành lập hộ kinh doanh", 3, 0.55, 0.9),
        ("Thành lập và hoạt động của hộ kinh doanh", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", 3, 0.25, 0.9),
        ("Thành lập và hoạt động của hộ kinh doanh", "Chấm dứt hoạt động hộ kinh doanh", 3, 0.15, 0.8),
        ("Thành lập và hoạt động của hợp tác xã", "Đăng ký thành lập hợp tác xã", 5, 0.05, 0.5),
    )),
    "p-tu-phap": (1300, (
        ("Chứng thực", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan nước ngoài cấp", 0, 0.45, -0.6),
        ("Chứng thực", "Chứng thực chữ ký người dịch", 0, 0.20, -0.5),
        ("Hộ tịch", "Thay đổi, cải chính, bổ sung hộ tịch, xác định lại dân tộc", 3, 0.20, 0.3),
        ("Hộ tịch", "Đăng ký khai sinh có yếu tố nước ngoài", 15, 0.05, 0.3),
        ("Hộ tịch", "Đăng ký kết hôn có yếu tố nước ngoài", 15, 0.05, 0.2),
        ("Hộ tịch", "Ghi vào Sổ hộ tịch việc hộ tịch của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài", 5, 0.05, 0.2),
    )),
    "p-lao-dong-tbxh": (800, (
        ("Bảo trợ xã hội", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng", 7, 0.50, 0.2),
        ("Bảo trợ xã hội", "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở", 10, 0.25, 0.0),
        ("Người có công", "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", 12, 0.20, 0.0),
        ("Người có công", "Hỗ trợ người có công với cách mạng cải thiện nhà ở", 20, 0.05, 0.0),
    )),
    "p-giao-duc-dao-tao": (450, (
        ("Giáo dục và Đào tạo", "Chuyển trường đối với học sinh trung học cơ sở", 3, 0.50, 0.4),
        ("Giáo dục và Đào tạo", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", 1, 0.35, 0.5),
        ("Giáo dục và Đào tạo", "Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú", 10, 0.10, 0.0),
        ("Giáo dục và Đào tạo", "Cho phép trường mầm non hoạt động giáo dục", 20, 0.05, 0.0),
    )),
    "p-van-hoa-thong-tin": (120, (
        ("Văn hóa", "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", 5, 0.50, 0.3),
        ("Văn hóa", "Thông báo tổ chức lễ hội cấp huyện", 5, 0.30, 0.0),
        ("Văn hóa cơ sở", "Xét tặng danh hiệu Khu dân cư văn hóa", 5, 0.20, 0.0),
    )),
    "p-nong-nghiep-ptnt": (150, (
        ("Nông nghiệp", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông, lâm, thủy sản", 15, 0.60, 0.2),
        ("Nông nghiệp", "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai, dịch bệnh", 10, 0.40, 0.0),
    )),
    "p-noi-vu": (100, (
        ("Tín ngưỡng, tôn giáo", "Đăng ký hoạt động tín ngưỡng", 15, 0.40, 0.0),
        ("Tín ngưỡng, tôn giáo", "Đăng ký sinh hoạt tôn giáo tập trung", 20, 0.30, 0.0),
        ("Thi đua, khen thưởng", "Tặng Giấy khen của Chủ tịch UBND cấp huyện", 20, 0.30, 0.0),
    )),
    "p-thanh-tra": (30, (
        ("Giải quyết khiếu nại", "Giải quyết khiếu nại lần đầu tại cấp huyện", 30, 1.00, -0.5),
    )),
}

# --------------------------------------------------------------------------------------------
# Dossier export layouts. Keys: stt id proc field unit channel recv due fin apol.
# A header is a string, or (group, sub) for the two-row header under a merged "Thời gian".
# --------------------------------------------------------------------------------------------

LAYOUTS = {
    # like /work/shared/samples/mau_xuat_mot_cua.xlsx
    "A": (("stt", "STT"), ("id", "Số hồ sơ"), ("proc", "Thủ tục hành chính"), ("field", "Lĩnh vực"),
          ("unit", "Đơn vị"), ("channel", "Hình thức tiếp nhận"), ("recv", ("Thời gian", "Tiếp nhận")),
          ("due", ("Thời gian", "Hẹn trả")), ("fin", ("Thời gian", "Trả kết quả")), ("apol", "Xin lỗi")),
    "B": (("stt", "STT"), ("id", "Mã hồ sơ"), ("proc", "Tên thủ tục"), ("field", "Lĩnh vực"),
          ("unit", "Cơ quan tiếp nhận"), ("channel", "Kênh tiếp nhận"), ("recv", "Ngày tiếp nhận"),
          ("due", "Ngày hẹn trả"), ("fin", "Ngày trả kết quả"), ("apol", "Phiếu xin lỗi")),
    "C": (("stt", "STT"), ("id", "Mã HS"), ("field", "Lĩnh vực"), ("proc", "Tên TTHC"),
          ("unit", "Đơn vị tiếp nhận"), ("channel", "Hình thức nộp"), ("recv", "Ngày nhận"),
          ("due", "Hạn giải quyết"), ("fin", "Ngày hoàn thành"), ("apol", "Phiếu xin lỗi")),
    "D": (("stt", "STT"), ("id", "Mã hồ sơ"), ("proc", "Thủ tục hành chính"), ("field", "Lĩnh vực"),
          ("unit", "Cơ quan giải quyết"), ("channel", "Hình thức tiếp nhận"), ("recv", "Ngày tiếp nhận"),
          ("due", "Hạn xử lý"), ("fin", "Ngày trả"), ("apol", "Xin lỗi")),
    "E": (("stt", "STT"), ("id", "Số hồ sơ"), ("unit", "Đơn vị"), ("field", "Lĩnh vực"),
          ("proc", "Thủ tục hành chính"), ("channel", "Hình thức nộp"), ("recv", "Ngày tiếp nhận"),
          ("due", "Ngày hẹn trả"), ("fin", "Ngày trả kết quả"), ("apol", "Xin lỗi")),
}
# Channel spellings: (online, in person, postal)
CHANNEL_STYLES = (
    ("Trực tuyến", "Trực tiếp", "BCCI"),
    ("Nộp trực tuyến", "Trực tiếp", "Bưu chính"),
    ("DVC trực tuyến", "Trực tiếp", "Dịch vụ bưu chính công ích"),
    ("Trực tuyến", "Trực tiếp", "Bưu chính"),
)
APOLOGY_MARKS = ("✓", "x", "Có")
DOSSIER_TITLES = ("SỔ THEO DÕI HỒ SƠ", "SỔ THEO DÕI HỒ SƠ THỦ TỤC HÀNH CHÍNH",
                  "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ TRẢ KẾT QUẢ")
# Months whose dossier book is an XLSX workbook (the rest are CSV: XLSX writing is slower).
XLSX_MONTHS = ("2019-12", "2020-07", "2021-03", "2021-10", "2022-06", "2023-05", "2024-02", "2025-03", "2025-09",
               "2026-04", "2027-02")

CHANNEL_ONLINE, CHANNEL_IN_PERSON, CHANNEL_POSTAL = 0, 1, 2
OUTCOME_EARLY, OUTCOME_ON_TIME, OUTCOME_LATE = 0, 1, 2
NEVER = np.iinfo(np.int64).max  # finished_at of a dossier never returned

DAY = 86400
H = 3600

# --------------------------------------------------------------------------------------------
# Dossiers
# --------------------------------------------------------------------------------------------


@dataclass
class Dossiers:
    """One entry per dossier. Times are int64 seconds since 1970-01-01 (local time, naive)."""

    dossier_id: np.ndarray     # str
    unit: np.ndarray           # index into UNITS
    proc: np.ndarray           # index into procs
    channel: np.ndarray        # CHANNEL_*
    received: np.ndarray       # int64 s
    due: np.ndarray            # int64 s
    finished: np.ndarray       # int64 s, NEVER if never returned
    late: np.ndarray           # bool: returned late or never returned
    apology: np.ndarray        # bool: apology letter issued (only meaningful when late)
    procs: list                # (field, procedure, days)


def _month_index(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 for datetime64[D] values."""
    return days.astype("datetime64[M]").astype(np.int64)


def generate_dossiers(seed: int = DEFAULT_SEED,
                      first: tuple[int, int] = FIRST_MONTH,
                      last: tuple[int, int] | None = None) -> Dossiers:
    """Every dossier received in [first, last] with its full history (return dates may fall after
    `last`: those dossiers are pending in the last book). Vectorised: Poisson counts per
    (unit, procedure, working day), then per-dossier draws as arrays.

    Until 06/2025 the district's units, drawn in one pass over [first, min(last, 06/2025)] from the
    stream [seed, 1] (the numbers the demo has had since it began); from 07/2025 the four new
    communes, month by month, each month from its own stream [seed, 1, year, month], so a month's
    dossiers never depend on how far the demo reaches."""
    last = last or last_full_month()
    parts = []
    if first <= DISTRICT_LAST_MONTH:
        district = _district_dossiers(seed, first, min(last, DISTRICT_LAST_MONTH))
        if last > DISTRICT_LAST_MONTH:
            _settle_at_handover(district)
        parts.append(district)
    for y, m in month_list(max(first, MERGER_MONTH), last):
        parts.append(_commune_month(seed, y, m))
    return _concat(parts)


def _settle_at_handover(d: Dossiers) -> None:
    """The district's dossiers never returned by 30/06/2025 were settled (late) after the handover
    to the new communes: one every other working day from 04/07/2025, at 09:30."""
    stuck = np.flatnonzero(d.finished == NEVER)
    days = np.busday_offset(np.datetime64("2025-07-01"), 3 + 2 * np.arange(len(stuck)), roll="forward",
                            busdaycal=busday_calendar())
    d.finished[stuck] = days.astype("datetime64[s]").astype(np.int64) + int(9.5 * H)


def _working_days(first: tuple[int, int], last: tuple[int, int], cal) -> np.ndarray:
    start = np.datetime64(f"{first[0]:04d}-{first[1]:02d}-01")
    end = np.datetime64(f"{last[0]:04d}-{last[1]:02d}", "M") + 1
    all_days = np.arange(start, end.astype("datetime64[D]"), dtype="datetime64[D]")
    return all_days[np.is_busday(all_days, busdaycal=cal)]


def _combos(units_and_lists) -> tuple:
    """(unit index, procedure index, dossiers per working day, online shift) per (unit, procedure),
    and the procedures: from (unit, dossiers a year, procedure list) triples."""
    procs: list[tuple[str, str, int]] = []
    proc_key: dict[tuple[str, str], int] = {}
    combo_unit, combo_proc, combo_rate, combo_shift = [], [], [], []
    for u, yearly, plist in units_and_lists:
        total_share = sum(p[3] for p in plist)
        for field, name, days, share, shift in plist:
            if (field, name) not in proc_key:
                proc_key[(field, name)] = len(procs)
                procs.append((field, name, days))
            combo_unit.append(UNIT_INDEX[u.unit_id])
            combo_proc.append(proc_key[(field, name)])
            combo_rate.append(yearly * share / total_share / 250.0)
            combo_shift.append(shift)
    combo_shift = np.array(combo_shift)
    combo_rate = np.array(combo_rate)
    # centre the online shifts on the volume-weighted mean so the overall share follows the curve
    combo_shift = combo_shift - np.average(combo_shift, weights=combo_rate)
    return np.array(combo_unit), np.array(combo_proc), combo_rate, combo_shift, procs


def _district_dossiers(seed: int, first: tuple[int, int], last: tuple[int, int]) -> Dossiers:
    """The district's units, 07/2019–06/2025 (or the part of it asked for)."""
    rng = np.random.default_rng([seed, 1])
    units = []
    for u in UNITS:
        if u.kind == "commune":
            units.append((u, COMMUNE_VOLUME_PER_SIZE * u.size, COMMUNE_PROCEDURES))
        elif u.unit_id in DEPARTMENT_PROCEDURES:
            units.append((u, *DEPARTMENT_PROCEDURES[u.unit_id]))

    def unit_base(rng):
        base = rng.uniform(0.007, 0.016, len(UNITS))
        for w, b in zip(WEAK_UNITS, (0.040, 0.035, 0.050)):
            base[UNIT_INDEX[w]] = b
        return base

    def stuck(rday, proc_days):
        # A few dossiers never returned: long processing, received Sep 2024 – Apr 2025.
        window = ((rday >= np.datetime64("2024-09-01")) & (rday < np.datetime64("2025-05-01"))
                  & (proc_days >= 10))
        cand = np.flatnonzero(window)
        return rng.choice(cand, size=min(7, len(cand)), replace=False) if len(cand) else np.array([], int)

    d = _simulate(rng, _working_days(first, last, busday_calendar()), _combos(units), unit_base, stuck)
    # ids H43.26-yymmdd-NNNN numbered per receipt day
    rd = d.received // DAY
    first_of_day = np.r_[True, rd[1:] != rd[:-1]]
    starts = np.flatnonzero(first_of_day)
    seq = np.arange(len(rd)) - np.repeat(starts, np.diff(np.r_[starts, len(rd)])) + 1
    ymd = (rd.astype("datetime64[D]")).astype(str)  # yyyy-mm-dd
    d.dossier_id = np.array([f"H43.26-{s[2:4]}{s[5:7]}{s[8:10]}-{q:04d}" for s, q in zip(ymd.tolist(), seq.tolist())])
    return d


# The district's procedures that passed to the communes on 01/07/2025 (two-level local government):
# their yearly volume is shared among the new communes by size.
TRANSFERRED = ("p-tai-nguyen-moi-truong", "p-kinh-te-ha-tang", "p-tai-chinh-ke-hoach", "p-tu-phap", "p-lao-dong-tbxh")
MERGER_MONTH = (2025, 7)
# The new one-stop shops found their feet: more late dossiers in their first months.
MERGER_LATE_FACTOR = {(2025, 7): 3.0, (2025, 8): 2.2, (2025, 9): 1.5, (2025, 10): 1.2}
# Codes of Thông tư 04/2025/TT-VPCP, MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX, for dossiers received from
# this day: M = X (commune level), X1X2 = 56 (Khánh Hòa), Y1Y2Y3 = the commune, Z1Z2 = its one-stop
# shop, AAXXXX = the commune's sequence of the day. The codes are illustrative (demo data).
TT04_FROM = np.datetime64("2026-01-25")
COMMUNE_CODES = {"xa-ninh-phuoc": ("247", "10", "01"), "xa-phuoc-huu-2025": ("248", "10", "02"),
                 "xa-phuoc-hau-2025": ("249", "10", "03"), "xa-phuoc-dinh-2025": ("250", "10", "04")}


def _commune_month(seed: int, year: int, month: int) -> Dossiers:
    """One month of the four communes (from 07/2025), from the month's own stream."""
    rng = np.random.default_rng([seed, 1, year, month])
    total_size = sum(u.size for u in NEW_COMMUNES)
    units = []
    for u in NEW_COMMUNES:
        units.append((u, COMMUNE_VOLUME_PER_SIZE * u.size, COMMUNE_PROCEDURES))
        for dep in TRANSFERRED:
            yearly, plist = DEPARTMENT_PROCEDURES[dep]
            units.append((u, yearly * u.size / total_size, plist))
    # _combos centres the online shifts per call: one call with every (commune, procedure) pair
    # stable per commune; Phước Hậu, which took in the weaker Phước Sơn, a little weaker
    stable = np.random.default_rng([seed, 1, 0]).uniform(0.010, 0.018, len(NEW_COMMUNES))
    stable[[u.unit_id for u in NEW_COMMUNES].index("xa-phuoc-hau-2025")] = 0.028

    def unit_base(rng):
        base = rng.uniform(0.007, 0.016, len(ALL_UNITS))  # drawn to keep the stream's layout; replaced
        base[len(UNITS):] = stable * MERGER_LATE_FACTOR.get((year, month), 1.0)
        return base

    d = _simulate(rng, _working_days((year, month), (year, month), busday_calendar()), _combos(units), unit_base,
                  lambda rday, proc_days: np.array([], int))
    # ids numbered per commune and receipt day; TT 04/2025 codes from 25/01/2026
    n = len(d.unit)
    rd = d.received // DAY
    order = np.lexsort((d.received, d.unit, rd))
    key = rd[order] * 64 + d.unit[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    seq = np.empty(n, np.int64)
    seq[order] = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n])) + 1
    ymd = rd.astype("datetime64[D]").astype(str).tolist()
    new_code = (rd.astype("datetime64[D]") >= TT04_FROM).tolist()
    ids = []
    for s, q, ui, tt04 in zip(ymd, seq.tolist(), d.unit.tolist(), new_code):
        y3, z2, old = COMMUNE_CODES[ALL_UNITS[ui].unit_id]
        day = f"{s[2:4]}{s[5:7]}{s[8:10]}"
        ids.append(f"X56.{y3}.{z2}-{day}-{q:06d}" if tt04 else f"H56.{old}-{day}-{q:04d}")
    d.dossier_id = np.array(ids)
    return d


def _concat(parts: list[Dossiers]) -> Dossiers:
    """One Dossiers of several, in receipt order, with one procedure list."""
    procs: list = []
    index: dict = {}
    arrays = {k: [] for k in ("dossier_id", "unit", "proc", "channel", "received", "due", "finished", "late", "apology")}
    for p in parts:
        remap = []
        for pr in p.procs:
            if pr not in index:
                index[pr] = len(procs)
                procs.append(pr)
            remap.append(index[pr])
        for k in arrays:
            v = getattr(p, k)
            arrays[k].append(np.array(remap, dtype=np.int64)[v] if k == "proc" and len(v) else v)
    if len(parts) == 1:
        parts[0].procs = procs
        return parts[0]
    out = {k: np.concatenate(v) if v else np.array([]) for k, v in arrays.items()}
    return Dossiers(**out, procs=procs)


def _simulate(rng, wdays: np.ndarray, combos: tuple, unit_base_of, stuck_of) -> Dossiers:
    """The dossiers of the (unit, procedure) combos over the working days `wdays`, sorted by receipt
    (ids left blank). unit_base_of(rng) gives every unit's base late rate, stuck_of(rday, proc_days)
    the dossiers never returned. The order of the draws is the demo's since 2019: keep it."""
    combo_unit, combo_proc, combo_rate, combo_shift, procs = combos
    cal = busday_calendar()
    tet = tet_months()
    n_days = len(wdays)
    mon = _month_index(wdays)
    years = (wdays.astype("datetime64[Y]").astype(int) + 1970)
    mnum = mon % 12 + 1
    t_years = (mon - _month_index(np.array(["2019-07-01"], dtype="datetime64[D]"))[0]) / 12.0  # 0 .. 6

    # Per-day volume multipliers: slow growth, COVID-19 wave of Jul–Sep 2021 in Ninh Thuận.
    covid_vol = np.ones(n_days)
    covid_late = np.ones(n_days)
    for (yy, mm), v, lt in (((2021, 7), 0.75, 2.0), ((2021, 8), 0.45, 3.5), ((2021, 9), 0.55, 3.0)):
        sel = (years == yy) & (mnum == mm)
        covid_vol[sel] = v
        covid_late[sel] = lt
    # 2020 Apr social distancing: fewer dossiers, a little slower
    sel = (years == 2020) & (mnum == 4)
    covid_vol[sel] = 0.7
    covid_late[sel] = 1.5
    growth = 1.0 + 0.03 * (t_years - 0.5)
    tet_factor = np.array([2.2 if (y, m) in tet else 1.0 for y, m in zip(years, mnum)])
    trend_late = np.maximum(1.3 - 0.7 * t_years / 6.0, 0.55)  # improving over the years

    # Online share: logistic from ~6 % (2019) to ~58 % (mid-2025); a boost in COVID months.
    t_m = t_years * 12.0
    online_share = 0.06 + 0.54 / (1.0 + np.exp(-(t_m - 40.0) / 9.0))
    online_share = np.where(covid_vol < 1.0, np.minimum(online_share + 0.08, 0.95), online_share)
    lam = combo_rate[:, None] * (growth * covid_vol)[None, :]
    counts = rng.poisson(lam)  # combos x days
    c_idx, d_idx = np.nonzero(counts)
    reps = counts[c_idx, d_idx]
    c_of = np.repeat(c_idx, reps)
    d_of = np.repeat(d_idx, reps)
    n = len(c_of)

    unit = combo_unit[c_of]
    proc = combo_proc[c_of]
    proc_days = np.array([p[2] for p in procs])[proc]
    rday = wdays[d_of]
    rday_s = rday.astype("datetime64[s]").astype(np.int64)

    # Receipt time of day: 07:00–11:30 or 13:30–17:00.
    morning = rng.random(n) < 0.6
    tod = np.where(morning, 7 * H + rng.integers(0, int(4.5 * H), n), int(13.5 * H) + rng.integers(0, int(3.5 * H), n))
    received = rday_s + tod

    # Channel.
    p_online = online_share[d_of]
    logit = np.log(p_online / (1 - p_online)) + combo_shift[c_of]
    p_on = 1.0 / (1.0 + np.exp(-logit))
    u_ch = rng.random(n)
    postal_p = np.where(np.isin(np.array([p[0] for p in procs])[proc], ["Đất đai", "Chứng thực"]), 0.06, 0.035)
    channel = np.where(u_ch < p_on, CHANNEL_ONLINE,
                       np.where(rng.random(n) < postal_p, CHANNEL_POSTAL, CHANNEL_IN_PERSON))

    # Due: n working days after receipt, same time of day; 0 days = today 17:00 if received before
    # 15:00, otherwise the next working day 17:00.
    same_day = proc_days == 0
    due_offset = np.where(same_day, np.where(tod < 15 * H, 0, 1), proc_days)
    due_day = np.busday_offset(rday, due_offset, roll="forward", busdaycal=cal)
    due_tod = np.where(same_day, 17 * H, tod)
    due = due_day.astype("datetime64[s]").astype(np.int64) + due_tod

    # Outcome.
    weak = np.isin(unit, [UNIT_INDEX[w] for w in WEAK_UNITS])
    unit_base = unit_base_of(rng)
    proc_factor = np.where(proc_days >= 10, 1.4, np.where(proc_days == 0, 0.6, 1.0))
    p_late = unit_base[unit] * proc_factor * trend_late[d_of] * tet_factor[d_of] * covid_late[d_of]
    p_late = np.minimum(p_late, 0.5)
    can_be_early = due_day > rday
    p_early = np.where(proc_days >= 10, 0.65, np.where(same_day, 0.35, 0.75))
    u_out = rng.random(n)
    outcome = np.where(u_out < p_late, OUTCOME_LATE,
                       np.where(can_be_early & (rng.random(n) < p_early), OUTCOME_EARLY, OUTCOME_ON_TIME))

    # Return date-time.
    work_tod = int(7.5 * H) + rng.integers(0, int(9.5 * H), n)  # 07:30–17:00
    # early: a working day before the due day (k = 0 .. offset-1 working days after receipt)
    k_early = np.floor(rng.random(n) ** 1.3 * np.maximum(due_offset, 1)).astype(np.int64)
    k_early = np.minimum(k_early, np.maximum(due_offset - 1, 0))
    early_day = np.busday_offset(rday, k_early, roll="forward", busdaycal=cal)
    early_same = early_day == rday
    early_tod = np.where(early_same,
                         tod + 600 + (rng.random(n) * np.maximum(17 * H - tod - 600, 1200)).astype(np.int64),
                         work_tod)
    early_at = early_day.astype("datetime64[s]").astype(np.int64) + early_tod
    # on time: on the due day, not after the due time
    lo = np.where(due_day == rday, tod + 600, 7 * H)
    lo = np.minimum(lo, due_tod)
    ontime_tod = lo + (rng.random(n) * (due_tod - lo)).astype(np.int64)
    ontime_at = due_day.astype("datetime64[s]").astype(np.int64) + ontime_tod
    # late: 1 + geometric working days after the due day
    k_late = np.minimum(rng.geometric(0.45, n), 30)
    late_day = np.busday_offset(due_day, k_late, roll="forward", busdaycal=cal)
    late_at = late_day.astype("datetime64[s]").astype(np.int64) + work_tod
    finished = np.select([outcome == OUTCOME_EARLY, outcome == OUTCOME_ON_TIME], [early_at, ontime_at], late_at)

    stuck = stuck_of(rday, proc_days)
    finished[stuck] = NEVER
    outcome[stuck] = OUTCOME_LATE

    late = outcome == OUTCOME_LATE
    p_apol = np.where(weak, 0.8, 0.9)
    apology = late & (rng.random(n) < p_apol)

    # Sort by receipt time.
    order = np.lexsort((unit, received))
    unit, proc, channel = unit[order], proc[order], channel[order]
    received, due, finished = received[order], due[order], finished[order]
    late, apology = late[order], apology[order]
    return Dossiers(np.array([""] * n), unit, proc, channel, received, due, finished, late, apology, procs)


# --------------------------------------------------------------------------------------------
# Formatting helpers
# --------------------------------------------------------------------------------------------


def _split_seconds(secs: np.ndarray) -> tuple[list[str], list[str]]:
    """('dd/mm/yyyy', 'HH:MM:SS') strings for int64 seconds (NEVER -> '')."""
    valid = secs != NEVER
    s = np.where(valid, secs, 0)
    days = (s // DAY).astype("datetime64[D]")
    iso = days.astype(str).tolist()
    t = (s % DAY)
    hh, mm, ss = (t // H).tolist(), (t % H // 60).tolist(), (t % 60).tolist()
    dates, times = [], []
    for v, d, h, m, x in zip(valid.tolist(), iso, hh, mm, ss):
        if v:
            dates.append(f"{d[8:10]}/{d[5:7]}/{d[0:4]}")
            times.append(f"{h:02d}:{m:02d}:{x:02d}")
        else:
            dates.append("")
            times.append("")
    return dates, times


def _to_datetime(sec: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=int(sec))


# --------------------------------------------------------------------------------------------
# Dossier books
# --------------------------------------------------------------------------------------------


def _write_dossier_books(d: Dossiers, out_dir: Path, seed: int,
                         first: tuple[int, int], last: tuple[int, int]) -> list[Path]:
    rng = np.random.default_rng([seed, 2])
    months = month_list(first, last)
    m0 = (first[0] - 1970) * 12 + first[1] - 1
    n_months = len(months)

    recv_m = (d.received // DAY).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) - m0
    fin_m = np.where(d.finished == NEVER, n_months - 1,
                     (np.where(d.finished == NEVER, 0, d.finished) // DAY).astype("datetime64[D]")
                     .astype("datetime64[M]").astype(np.int64) - m0)
    fin_m = np.minimum(fin_m, n_months - 1)
    # A dossier appears in the book of its receipt month and again in every later month's book
    # while it is pending at the previous month's end (carried over, "từ kỳ trước").
    reps = fin_m - recv_m + 1
    row_dossier = np.repeat(np.arange(len(reps)), reps)
    offsets = np.arange(len(row_dossier)) - np.repeat(np.cumsum(reps) - reps, reps)
    row_month = recv_m[row_dossier] + offsets
    # rows are already in receipt order within a month (dossiers are sorted by receipt)
    order = np.lexsort((row_dossier, row_month))
    row_dossier, row_month = row_dossier[order], row_month[order]
    bounds = np.searchsorted(row_month, np.arange(n_months + 1))

    recv_d, recv_t = _split_seconds(d.received)
    due_d, due_t = _split_seconds(d.due)
    fin_d, fin_t = _split_seconds(d.finished)
    procs = d.procs

    files = []
    for mi, (yy, mm) in enumerate(months):
        # The district's books draw their styles from one stream in turn (as they always have); from
        # 07/2025 each book from its own, so no book depends on how far the demo reaches.
        if (yy, mm) > DISTRICT_LAST_MONTH:
            rng = np.random.default_rng([seed, 2, yy, mm])
        units_sp = [u.spellings for u in (UNITS if (yy, mm) <= DISTRICT_LAST_MONTH else ALL_UNITS)]
        rows_idx = row_dossier[bounds[mi]:bounds[mi + 1]]
        month_end = (np.datetime64(f"{yy:04d}-{mm:02d}", "M") + 1).astype("datetime64[s]").astype(np.int64)
        tag = f"{yy:04d}-{mm:02d}"
        xlsx = tag in XLSX_MONTHS

        # file style
        era = 0 if yy <= 2020 else (1 if yy <= 2022 else 2)
        layout_key = rng.choice([("A", "A", "E", "B"), ("B", "D", "B", "A"), ("C", "A", "C", "D")][era])
        layout = LAYOUTS[str(layout_key)]
        two_row = any(isinstance(h, tuple) for _, h in layout)
        ch_style = CHANNEL_STYLES[int(rng.integers(len(CHANNEL_STYLES)))]
        apol_mark = APOLOGY_MARKS[int(rng.integers(len(APOLOGY_MARKS)))]
        with_seconds = bool(rng.random() < 0.6)
        due_with_time = bool(rng.random() < 0.4)
        bom = bool(rng.random() < 0.6)
        delimiter = ";" if rng.random() < 0.4 else ","
        title = DOSSIER_TITLES[int(rng.integers(len(DOSSIER_TITLES)))]
        totals_in_first = bool(rng.random() < 0.3)
        primary = rng.integers(0, [len(s) for s in units_sp])
        alt_u = rng.random(len(rows_idx))
        alt_k = rng.random(len(rows_idx))

        last_day = (np.datetime64(tag, "M") + 1).astype("datetime64[D]") - 1
        subtitle = f"(Từ ngày 01/{mm:02d}/{yy:04d} đến ngày {str(last_day)[8:10]}/{mm:02d}/{yy:04d})"

        keys = [k for k, _ in layout]
        ncols = len(keys)
        header_rows: list[list] = []
        if two_row:
            top = [h[0] if isinstance(h, tuple) else h for _, h in layout]
            for j in range(1, ncols):  # only the first column of a group carries its name
                if isinstance(layout[j][1], tuple) and isinstance(layout[j - 1][1], tuple):
                    top[j] = ""
            sub = [h[1] if isinstance(h, tuple) else "" for _, h in layout]
            header_rows = [top, sub]
        else:
            header_rows = [[h for _, h in layout]]

        data_rows: list[list] = []
        for stt, (i, au, ak) in enumerate(zip(rows_idx.tolist(), alt_u.tolist(), alt_k.tolist()), start=1):
            u = int(d.unit[i])
            sp = units_sp[u]
            spelling = sp[int(ak * len(sp))] if au < 0.1 else sp[int(primary[u])]
            field, pname, _days = procs[int(d.proc[i])]
            returned = d.finished[i] != NEVER and d.finished[i] < month_end
            late_now = bool(d.late[i]) and (returned or d.due[i] < month_end)
            apol = apol_mark if (late_now and d.apology[i]) else ""
            ch = ch_style[int(d.channel[i])]
            if xlsx:
                recv_v = _to_datetime(d.received[i])
                due_v = _to_datetime(d.due[i]) if due_with_time else _to_datetime(d.due[i]).date()
                fin_v = _to_datetime(d.finished[i]) if returned else None
            else:
                tfmt = (lambda t: t) if with_seconds else (lambda t: t[:5])
                recv_v = f"{recv_d[i]} {tfmt(recv_t[i])}"
                due_v = f"{due_d[i]} {tfmt(due_t[i])}" if due_with_time else due_d[i]
                fin_v = f"{fin_d[i]} {tfmt(fin_t[i])}" if returned else ""
            values = {"stt": stt, "id": d.dossier_id[i], "proc": pname, "field": field, "unit": spelling,
                      "channel": ch, "recv": recv_v, "due": due_v, "fin": fin_v, "apol": apol}
            data_rows.append([values[k] for k in keys])

        total = [""] * ncols
        if totals_in_first:
            total[0], total[1] = "Tổng cộng:", len(data_rows)
        else:
            total[1], total[2] = "Tổng cộng:", len(data_rows)

        block = title_block(ncols, title, subtitle, issuer_of(yy, mm))
        if xlsx:
            path = out_dir / f"hoso_{tag}.xlsx"
            _write_dossier_xlsx(path, block, header_rows, layout, data_rows, total, with_seconds, due_with_time)
        else:
            path = out_dir / f"hoso_{tag}.csv"
            write_csv(path, block + header_rows + data_rows + [total], delimiter, bom)
        files.append(path)
    return files


def _write_dossier_xlsx(path, block, header_rows, layout, data_rows, total, with_seconds, due_with_time):
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for r in block:
        ws.append([v if v != "" else None for v in r])
    ws.cell(row=1, column=1).font = Font(bold=True)
    ws.cell(row=4, column=1).font = Font(bold=True)
    hdr_start = len(block) + 1
    for r in header_rows:
        ws.append([v if v != "" else None for v in r])
    for r in range(hdr_start, hdr_start + len(header_rows)):
        for c in range(1, len(layout) + 1):
            ws.cell(row=r, column=c).font = Font(bold=True)
            ws.cell(row=r, column=c).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if len(header_rows) == 2:
        j = 0
        while j < len(layout):
            h = layout[j][1]
            if isinstance(h, tuple):
                k = j
                while k + 1 < len(layout) and isinstance(layout[k + 1][1], tuple):
                    k += 1
                ws.merge_cells(start_row=hdr_start, start_column=j + 1, end_row=hdr_start, end_column=k + 1)
                j = k + 1
            else:
                ws.merge_cells(start_row=hdr_start, start_column=j + 1, end_row=hdr_start + 1, end_column=j + 1)
                j += 1
    keys = [k for k, _ in layout]
    dt_fmt = "dd/mm/yyyy hh:mm:ss" if with_seconds else "dd/mm/yyyy hh:mm"
    fmt = {"recv": dt_fmt, "fin": dt_fmt, "due": dt_fmt if due_with_time else "dd/mm/yyyy"}
    first_data = ws.max_row + 1
    for r in data_rows:
        ws.append([v if v != "" else None for v in r])
    for j, k in enumerate(keys, start=1):
        if k in fmt:
            for (cell,) in ws.iter_rows(min_row=first_data, max_row=ws.max_row, min_col=j, max_col=j):
                cell.number_format = fmt[k]
    ws.append([v if v != "" else None for v in total])
    for c in range(1, len(total) + 1):
        ws.cell(row=ws.max_row, column=c).font = Font(bold=True)
    widths = {"stt": 6, "id": 22, "proc": 48, "field": 20, "unit": 24, "channel": 16, "recv": 20, "due": 20,
              "fin": 20, "apol": 9}
    for j, k in enumerate(keys, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width = widths[k]
    save_xlsx(wb, path)



def write_demo(out_dir: Path, seed: int, first: tuple[int, int], last: tuple[int, int]) -> list[Path]:
    """One book per month, in month order (a later book updates dossiers carried over)."""
    return _write_dossier_books(generate_dossiers(seed, first, last), out_dir, seed, first, last)
