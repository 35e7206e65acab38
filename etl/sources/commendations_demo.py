"""Demo commendations (khen thưởng) at each year-end review of the movement: one list a year of the
decisions of UBND huyện (late December: Tập thể lao động tiên tiến, Lao động tiên tiến, Chiến sĩ thi
đua cơ sở, Giấy khen) and of UBND tỉnh (January: Bằng khen), as Phòng Nội vụ keeps them.

Decisions are public documents: numbers like "2987/QĐ-UBND" in December (late in the register's
year), "45/QĐ-UBND" in January. Individuals carry plausible Vietnamese and Chăm names (Ninh Phước
has a large Chăm community). A review is written once its last decision date is in the demo.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np

from ..demo_common import DISTRICT_LAST_DAY, issuer_of, month_end, save_xlsx, title_block, unit_rng, units_on, working_days, write_csv

FILE_NAME = re.compile(r"^khenthuong_\d{4}\.(csv|xlsx)$")
STREAM = 9

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Trương", "Đàng", "Thành", "Quảng", "Lưu", "Thông", "Châu")
MIDDLE_M = ("Văn", "Minh", "Hữu", "Đức", "Quốc", "Thanh", "Ngọc", "Công")
MIDDLE_F = ("Thị", "Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ")
GIVEN_M = ("An", "Bình", "Cường", "Dũng", "Hải", "Hiếu", "Hòa", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quang",
           "Sơn", "Tâm", "Thắng", "Trung", "Tuấn", "Vinh", "Năng", "Sỹ", "Đạt")
GIVEN_F = ("Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Thảo", "Trang", "Vân", "Vy", "Yến",
           "Hoa", "Nhung", "Tuyết", "Diễm", "Ánh")

HEADERS = ("STT", "Số quyết định", "Ngày quyết định", "Cấp khen thưởng", "Hình thức khen thưởng", "Tập thể/Cá nhân",
           "Tên tập thể, cá nhân", "Đơn vị")
# review year -> (format, delimiter, BOM, with the "Tập thể/Cá nhân" column)
FORMATS = {2019: ("csv", ",", True, True), 2020: ("xlsx", None, None, True), 2021: ("csv", ";", True, False),
           2022: ("xlsx", None, None, True), 2023: ("csv", ",", False, True), 2024: ("xlsx", None, None, False)}
DEFAULT_FORMAT = ("xlsx", None, None, True)


def person_name(rng: np.random.Generator) -> str:
    if rng.random() < 0.5:
        return f"{FAMILY[rng.integers(len(FAMILY))]} {MIDDLE_M[rng.integers(len(MIDDLE_M))]} {GIVEN_M[rng.integers(len(GIVEN_M))]}"
    return f"{FAMILY[rng.integers(len(FAMILY))]} {MIDDLE_F[rng.integers(len(MIDDLE_F))]} {GIVEN_F[rng.integers(len(GIVEN_F))]}"


def generate_commendations(seed: int, first: tuple[int, int], last: tuple[int, int]) -> list[dict]:
    """One dict per recipient of a decision, for every review year whose decisions are all in the demo."""
    out = []
    for y in range(first[0], last[0] + 1):
        rng = np.random.default_rng([seed, STREAM, y])
        days = working_days(dt.date(y, 12, 18), dt.date(y, 12, 30))
        district_day = days[int(rng.integers(len(days)))]
        days = working_days(dt.date(y + 1, 1, 8), dt.date(y + 1, 1, 22))
        province_day = days[int(rng.integers(len(days)))]
        if province_day > month_end(*last) or district_day < dt.date(*first, 1):
            continue
        units = units_on(district_day)
        if not units:
            continue
        n0 = int(rng.integers(2800, 3300))  # the district register is late in its year
        district = {form: f"{n0 + k}/QĐ-UBND" for k, form in enumerate(
            ("Tập thể lao động tiên tiến", "Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Giấy khen"))}
        province_no = f"{int(rng.integers(30, 160))}/QĐ-UBND"
        recs: list[dict] = []

        def add(no, day, level, form, kind, name, unit):
            recs.append({"decision_no": no, "decided_on": day, "level": level, "form": form, "kind": kind,
                         "name": name, "unit": unit})

        merged = district_day > DISTRICT_LAST_DAY
        local = "UBND xã" if merged else "UBND huyện"  # after 01/07/2025 each commune's chairman decides
        for u in units:
            ur = unit_rng(seed, STREAM, u.unit_id, y)
            if merged:
                n_u = int(ur.integers(180, 420))
                district = {form: f"{n_u + k}/QĐ-UBND" for k, form in enumerate(
                    ("Tập thể lao động tiên tiến", "Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Giấy khen"))}
            if ur.random() < 0.65:
                add(district["Tập thể lao động tiên tiến"], district_day, local, "Tập thể lao động tiên tiến",
                    "collective", _name(u), u)
            names = _names(ur, 1 + int(ur.integers(0, 3)))
            for name in names:
                add(district["Lao động tiên tiến"], district_day, local, "Lao động tiên tiến", "individual",
                    name, u)
            if ur.random() < 0.35:
                add(district["Chiến sĩ thi đua cơ sở"], district_day, local, "Chiến sĩ thi đua cơ sở",
                    "individual", names[0], u)
        # Giấy khen of the district chairman for the movement: a few units and people
        for i in sorted(rng.choice(len(units), size=min(6, len(units)), replace=False).tolist()):
            u = units[i]
            ur = unit_rng(seed, STREAM + 100, u.unit_id, y)
            if i % 2:
                add(district["Giấy khen"], district_day, local, "Giấy khen", "collective", _name(u), u)
            else:
                add(district["Giấy khen"], district_day, local, "Giấy khen", "individual", _names(ur, 1)[0], u)
        # Bằng khen of the province: one or two units, one or two people
        picks = sorted(rng.choice(len(units), size=min(3, len(units)), replace=False).tolist())
        for j, i in enumerate(picks):
            u = units[i]
            if units_on(province_day) and u not in units_on(province_day):
                continue
            ur = unit_rng(seed, STREAM + 200, u.unit_id, y)
            kind = "collective" if j == 0 or rng.random() < 0.3 else "individual"
            add(province_no, province_day, "UBND tỉnh", "Bằng khen", kind,
                _name(u) if kind == "collective" else _names(ur, 1)[0], u)
        out.append({"year": y, "records": recs})
    return out


def _name(u) -> str:
    """How a sheet names a unit: the commune, not its Trung tâm Phục vụ hành chính công."""
    return (u.sheet_spellings or u.spellings)[0]


def _names(rng: np.random.Generator, n: int) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        name = person_name(rng)
        if name not in names:
            names.append(name)
    return names


def write_demo(out_dir: Path, seed: int, first: tuple[int, int], last: tuple[int, int]) -> list[Path]:
    files = []
    for review in generate_commendations(seed, first, last):
        y, recs = review["year"], review["records"]
        kind, delim, bom, with_kind = FORMATS.get(y, DEFAULT_FORMAT)
        headers = [h for h in HEADERS if with_kind or h != "Tập thể/Cá nhân"]
        block = title_block(len(headers), "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG TRONG PHONG TRÀO THI ĐUA "
                                          "VĂN HÓA CÔNG SỞ", f"Tổng kết năm {y}", issuer_of(y))
        rows = []
        for stt, r in enumerate(recs, start=1):
            u = r["unit"]
            day = r["decided_on"] if kind == "xlsx" else r["decided_on"].strftime("%d/%m/%Y")
            who = ["Tập thể" if r["kind"] == "collective" else "Cá nhân"] if with_kind else []
            unit_name = _name(u) if stt % 4 else (u.sheet_spellings or u.spellings)[-1]
            rows.append([stt, r["decision_no"], day, r["level"], r["form"], *who, r["name"], unit_name])
        if kind == "csv":
            path = out_dir / f"khenthuong_{y}.csv"
            write_csv(path, block + [headers] + rows, delim, bom)
        else:
            path = out_dir / f"khenthuong_{y}.xlsx"
            _write_xlsx(path, block, headers, rows, y)
        files.append(path)
    return files


def _write_xlsx(path: Path, block: list[list], headers: list[str], rows: list[list], year: int) -> None:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"Khen thưởng {year}"
    for r in block:
        ws.append([v if v != "" else None for v in r])
    ws.cell(row=1, column=1).font = Font(bold=True)
    ws.cell(row=4, column=1).font = Font(bold=True)
    ws.append(headers)
    for c in range(1, len(headers) + 1):
        ws.cell(row=ws.max_row, column=c).font = Font(bold=True)
    date_col = headers.index("Ngày quyết định") + 1
    for r in rows:
        ws.append(r)
        ws.cell(row=ws.max_row, column=date_col).number_format = "dd/mm/yyyy"
    for col, width in zip("ABCDEFGH", (6, 16, 14, 14, 28, 12, 30, 30)):
        ws.column_dimensions[col].width = width
    save_xlsx(wb, path)
