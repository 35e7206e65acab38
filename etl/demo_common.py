"""What every demo generator shares: the units of Ninh Phước (the district's 30 until 30/06/2025,
the four communes from 01/07/2025), the demo's months (07/2019 to the last full month before the day
it is built), the calendar, the title block of
an export and deterministic CSV/XLSX writers. The generators themselves are beside their kinds
(etl/sources/*_demo.py); etl/demo.py runs them all.

Everything is drawn from `numpy.random.default_rng(seed)` streams; the clock only decides how far
the demo reaches (`last_full_month`), so the same seed and months give byte-identical files (XLSX
timestamps and zip entry dates are pinned). Months after 06/2025 draw from streams of their own
(`[seed, kind, year, month]`): a later build adds months and changes none of the earlier ones. A
generator of a new kind of file can follow the same rule, and `units_active(year, month)` gives
the units that exist in a month.
Every file's title block carries the line DEMO_MARK.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import holidays
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT_DIR = ROOT / "data" / "demo"
DEFAULT_SEED = 20190701

FIRST_MONTH = (2019, 7)
# The district's last month: its units end on 30/06/2025, the four new communes begin on 01/07/2025.
DISTRICT_LAST_MONTH = (2025, 6)
DISTRICT_LAST_DAY = dt.date(2025, 6, 30)


def last_full_month(today: dt.date | None = None) -> tuple[int, int]:
    """The demo's last month: the last full month before `today` (default: the day it is built).
    Every month's numbers are drawn from streams of their own (or from the fixed 07/2019–06/2025
    period), so a later build adds months and changes none."""
    today = today or dt.date.today()
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


# For callers that read a constant: the last full month when this module was imported.
LAST_MONTH = last_full_month()

DEMO_MARK = "DỮ LIỆU MINH HỌA – số liệu giả lập, không phải số liệu thật"

# Written into XLSX metadata and zip entries instead of the current time (determinism).
FIXED_TIMESTAMP = dt.datetime(2025, 7, 1, 8, 0, 0)

# --------------------------------------------------------------------------------------------
# Units: id (as in data/reference/units.csv), kind, spellings seen in exports (first = usual).
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUnit:
    unit_id: str
    kind: str
    spellings: tuple[str, ...]
    size: float = 1.0  # relative dossier volume (communes) / headcount hint
    # how evaluation and commitment sheets name it, when not as the dossier books do (the new
    # communes' books name their Trung tâm Phục vụ hành chính công, the sheets the commune)
    sheet_spellings: tuple[str, ...] = ()
    predecessors: tuple[str, ...] = ()  # units merged into it on 01/07/2025


def _commune(unit_id: str, place: str, size: float, town: bool = False) -> DemoUnit:
    if town:
        sp = (f"UBND TT {place}", f"Thị trấn {place}", f"UBND thị trấn {place}", f"TT {place}")
    else:
        sp = (f"UBND xã {place}", f"Xã {place}", f"UBND Xã {place}", place)
    return DemoUnit(unit_id, "commune", sp, size)


UNITS: tuple[DemoUnit, ...] = (
    _commune("tt-phuoc-dan", "Phước Dân", 1.4, town=True),
    _commune("xa-an-hai", "An Hải", 0.9),
    _commune("xa-phuoc-hai", "Phước Hải", 1.0),
    _commune("xa-phuoc-hau", "Phước Hậu", 1.0),
    _commune("xa-phuoc-huu", "Phước Hữu", 1.1),
    _commune("xa-phuoc-son", "Phước Sơn", 0.8),
    _commune("xa-phuoc-thai", "Phước Thái", 0.9),
    _commune("xa-phuoc-thuan", "Phước Thuận", 1.1),
    _commune("xa-phuoc-vinh", "Phước Vinh", 0.8),
    DemoUnit("p-vp-hdnd-ubnd", "department", ("Văn phòng HĐND và UBND huyện", "VP HĐND-UBND", "Văn phòng HĐND và UBND")),
    DemoUnit("p-noi-vu", "department", ("Phòng Nội vụ", "Phòng Nội vụ huyện")),
    DemoUnit("p-tu-phap", "department", ("Phòng Tư pháp", "Phòng Tư pháp huyện")),
    DemoUnit("p-tai-chinh-ke-hoach", "department", ("Phòng Tài chính – Kế hoạch", "Phòng Tài chính - Kế hoạch", "Phòng TC-KH")),
    DemoUnit("p-tai-nguyen-moi-truong", "department", ("Phòng Tài nguyên và Môi trường", "Phòng TN&MT", "Phòng TNMT")),
    DemoUnit("p-lao-dong-tbxh", "department", ("Phòng Lao động – Thương binh và Xã hội", "Phòng Lao động - Thương binh và Xã hội", "Phòng LĐ-TB&XH")),
    DemoUnit("p-van-hoa-thong-tin", "department", ("Phòng Văn hóa và Thông tin", "Phòng VH&TT")),
    DemoUnit("p-giao-duc-dao-tao", "department", ("Phòng Giáo dục và Đào tạo", "Phòng GD&ĐT", "Phòng GDĐT")),
    DemoUnit("p-kinh-te-ha-tang", "department", ("Phòng Kinh tế – Hạ tầng", "Phòng Kinh tế - Hạ tầng", "Phòng KT-HT")),
    DemoUnit("p-nong-nghiep-ptnt", "department", ("Phòng Nông nghiệp và PTNT", "Phòng NN&PTNT", "Phòng Nông nghiệp và Phát triển nông thôn")),
    DemoUnit("p-thanh-tra", "department", ("Thanh tra huyện", "Thanh tra huyện Ninh Phước")),
    DemoUnit("sn-trung-tam-vhtt-tt", "service_unit", ("Trung tâm Văn hóa, Thông tin và Thể thao", "Trung tâm VH-TT-TT")),
    DemoUnit("sn-ban-qlda", "service_unit", ("Ban Quản lý dự án đầu tư xây dựng", "Ban QLDA ĐTXD")),
    DemoUnit("sn-trung-tam-pt-quy-dat", "service_unit", ("Trung tâm Phát triển quỹ đất", "Trung tâm PTQĐ")),
    DemoUnit("sn-trung-tam-gdnn-gdtx", "service_unit", ("Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên", "Trung tâm GDNN-GDTX")),
    DemoUnit("h-chu-thap-do", "association", ("Hội Chữ thập đỏ huyện", "Hội Chữ thập đỏ")),
    DemoUnit("h-khuyen-hoc", "association", ("Hội Khuyến học huyện", "Hội Khuyến học")),
    DemoUnit("h-nguoi-mu", "association", ("Hội Người mù huyện", "Hội Người mù")),
    DemoUnit("h-cuu-tnxp", "association", ("Hội Cựu thanh niên xung phong huyện", "Hội Cựu TNXP")),
    DemoUnit("h-luat-gia", "association", ("Hội Luật gia huyện", "Hội Luật gia")),
    DemoUnit("h-nan-nhan-da-cam", "association", ("Hội Nạn nhân chất độc da cam/dioxin huyện", "Hội NNCĐDC")),
)


def _new_commune(unit_id: str, place: str, size: float, predecessors: tuple[str, ...]) -> DemoUnit:
    return DemoUnit(unit_id, "commune",
                    (f"Trung tâm Phục vụ hành chính công xã {place}", f"UBND xã {place}",
                     f"TTPVHCC xã {place}", f"Xã {place}"),
                    size, (f"UBND xã {place}", f"Xã {place}"), predecessors)


# From 01/07/2025 (data/reference/units.csv). Volumes are the predecessors' together; Phước Dinh
# also took Xã Phước Dinh (Thuận Nam) and part of Phường Đông Hải, which are not in this demo.
NEW_COMMUNES: tuple[DemoUnit, ...] = (
    _new_commune("xa-ninh-phuoc", "Ninh Phước", 3.5, ("tt-phuoc-dan", "xa-phuoc-thuan", "xa-phuoc-hai")),
    _new_commune("xa-phuoc-huu-2025", "Phước Hữu", 2.0, ("xa-phuoc-thai", "xa-phuoc-huu")),
    _new_commune("xa-phuoc-hau-2025", "Phước Hậu", 2.6, ("xa-phuoc-vinh", "xa-phuoc-son", "xa-phuoc-hau")),
    _new_commune("xa-phuoc-dinh-2025", "Phước Dinh", 1.6, ("xa-an-hai",)),
)
# Indices into ALL_UNITS; the district's 30 units keep the indices they had before the new communes.
ALL_UNITS: tuple[DemoUnit, ...] = UNITS + NEW_COMMUNES
UNIT_INDEX = {u.unit_id: i for i, u in enumerate(ALL_UNITS)}


def units_active(year: int, month: int) -> tuple[DemoUnit, ...]:
    """The units that exist in a month: the district's 30 until 06/2025, the four communes after."""
    return UNITS if (year, month) <= DISTRICT_LAST_MONTH else NEW_COMMUNES


def issuer_of(year: int, month: int = 12) -> str:
    """Who heads a file's title block: the district until 06/2025, then the province."""
    return "UBND HUYỆN NINH PHƯỚC" if (year, month) <= DISTRICT_LAST_MONTH else "UBND TỈNH KHÁNH HÒA"

# Persistently weaker on TTHC (and a little lower in the monthly evaluations).
WEAK_UNITS = ("xa-phuoc-son", "xa-phuoc-thai", "p-tai-nguyen-moi-truong")

# Headcount (CBCCVC) in 2019 per unit; communes 20–25, departments 5–15, service units 10–40,
# associations 2–5.
HEADCOUNT_2019 = {
    "tt-phuoc-dan": 25, "xa-an-hai": 21, "xa-phuoc-hai": 22, "xa-phuoc-hau": 22, "xa-phuoc-huu": 23,
    "xa-phuoc-son": 20, "xa-phuoc-thai": 21, "xa-phuoc-thuan": 23, "xa-phuoc-vinh": 20,
    "p-vp-hdnd-ubnd": 15, "p-noi-vu": 7, "p-tu-phap": 5, "p-tai-chinh-ke-hoach": 8,
    "p-tai-nguyen-moi-truong": 12, "p-lao-dong-tbxh": 9, "p-van-hoa-thong-tin": 6,
    "p-giao-duc-dao-tao": 9, "p-kinh-te-ha-tang": 8, "p-nong-nghiep-ptnt": 7, "p-thanh-tra": 5,
    "sn-trung-tam-vhtt-tt": 18, "sn-ban-qlda": 14, "sn-trung-tam-pt-quy-dat": 12,
    "sn-trung-tam-gdnn-gdtx": 35,
    "h-chu-thap-do": 4, "h-khuyen-hoc": 3, "h-nguoi-mu": 3, "h-cuu-tnxp": 2, "h-luat-gia": 2,
    "h-nan-nhan-da-cam": 3,
}
HEADCOUNT_RANGE = {"commune": (20, 25), "department": (5, 15), "service_unit": (10, 40), "association": (2, 5)}



@functools.lru_cache(maxsize=1)
def _validity() -> dict[str, tuple[dt.date, dt.date]]:
    from .registry import read_units  # the registry's dates, never constants here

    return {u["unit_id"]: (dt.date.fromisoformat(u["valid_from"]),
                           dt.date.fromisoformat(u["valid_to"]) if u["valid_to"].strip() else dt.date.max)
            for u in read_units()}


def units_on(day: dt.date) -> list[DemoUnit]:
    """The demo units that exist on a day (data/reference/units.csv valid_from / valid_to)."""
    return [u for u in ALL_UNITS if _validity()[u.unit_id][0] <= day <= _validity()[u.unit_id][1]]


def unit_rng(seed: int, stream: int, unit_id: str, *keys: int) -> np.random.Generator:
    """A stream of its own for one unit (and e.g. one year): adding units or months to the demo
    leaves every other unit's draws as they were."""
    return np.random.default_rng([seed, stream, zlib.crc32(unit_id.encode()), *keys])


# --------------------------------------------------------------------------------------------
# Calendar
# --------------------------------------------------------------------------------------------


def month_list(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    out = []
    y, m = first
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@functools.lru_cache(maxsize=1)
def busday_calendar() -> np.busdaycalendar:
    vn = holidays.country_holidays("VN", years=range(2018, 2028))
    days = np.array(sorted(vn.keys()), dtype="datetime64[D]")
    return np.busdaycalendar(weekmask="1111100", holidays=days)


def month_end(y: int, m: int) -> dt.date:
    return (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Working days (no weekends, no Vietnamese public holidays) from start to end, both included."""
    days = np.arange(np.datetime64(start), np.datetime64(end) + 1, dtype="datetime64[D]")
    return [d.item() for d in days[np.is_busday(days, busdaycal=busday_calendar())]]


def tet_months() -> set[tuple[int, int]]:
    vn = holidays.country_holidays("VN", years=range(2018, 2028))
    return {(d.year, d.month) for d, name in vn.items() if name == "Lunar New Year"}


def title_block(ncols: int, title: str, subtitle: str, issuer: str = "UBND HUYỆN NINH PHƯỚC") -> list[list]:
    right = max(3, ncols // 2)
    row1 = [""] * ncols
    row1[0] = issuer
    row1[right] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    row2 = [""] * ncols
    row2[right] = "Độc lập - Tự do - Hạnh phúc"
    blank = [""] * ncols
    return [row1, row2, blank, pad_row([title], ncols), pad_row([subtitle], ncols), pad_row([DEMO_MARK], ncols), blank[:]]


def pad_row(row: list, ncols: int) -> list:
    return list(row) + [""] * (ncols - len(row))


def write_csv(path: Path, rows: list[list], delimiter: str, bom: bool) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    path.write_bytes((("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8"))


def save_xlsx(wb, path: Path) -> None:
    """Save an openpyxl workbook with pinned timestamps so the bytes depend on the content only."""
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    wb.properties.creator = "Ninh Phước demo"
    raw = io.BytesIO()
    wb.save(raw)
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{stamp}\g<2>", text)
                text = re.sub(r"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)", rf"\g<1>{stamp}\g<2>", text)
                data = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zout.writestr(zi, data)
    path.write_bytes(out.getvalue())


def write_simple_xlsx(path, block, headers, rows, sheet_title, number_format, total_row):
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_title
    for r in block:
        ws.append([v if v != "" else None for v in r])
    ws.cell(row=1, column=1).font = Font(bold=True)
    ws.cell(row=4, column=1).font = Font(bold=True)
    ws.append(headers)
    for c in range(1, len(headers) + 1):
        ws.cell(row=ws.max_row, column=c).font = Font(bold=True)
    for r in rows:
        ws.append(r)
    if total_row is not None:
        ws.append([v if v != "" else None for v in total_row])
    for col, width in zip("ABC", (6, 34, 16)):
        ws.column_dimensions[col].width = width
    save_xlsx(wb, path)

