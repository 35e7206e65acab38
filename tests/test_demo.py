"""The Ninh Phước demo generator (etl/demo.py and etl/sources/*_demo.py), checked on the files it writes.

The files are read back here with the csv module and python-calamine (openpyxl for merged cells),
not through the ETL, so these tests say what the raw exports contain. The end-to-end demo load is
tested with the ETL.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from etl import demo
from etl.load import load_files
from etl.sources import commendations_demo, commitments_demo, evaluations_demo
from etl.demo_common import last_full_month
from etl.text import unit_key

ROOT = Path(__file__).resolve().parent.parent
UNITS_CSV = ROOT / "data" / "reference" / "units.csv"
# The demo is built up to the last full month before today: these tests pin what they check to
# months that exist on any build date from 12/2026 on.
LAST = last_full_month()
NEW_COMMUNES = {"xa-ninh-phuoc", "xa-phuoc-huu-2025", "xa-phuoc-hau-2025", "xa-phuoc-dinh-2025"}
MERGER = dt.date(2025, 7, 1)

# Headings an export may use, per column (the subset the generator is allowed to use).
HEADINGS = {
    "stt": {"STT"},
    "id": {"Mã hồ sơ", "Số hồ sơ", "Mã HS"},
    "proc": {"Tên thủ tục", "Tên TTHC", "Thủ tục hành chính"},
    "field": {"Lĩnh vực"},
    "unit": {"Đơn vị tiếp nhận", "Cơ quan tiếp nhận", "Cơ quan giải quyết", "Đơn vị"},
    "channel": {"Hình thức nộp", "Hình thức tiếp nhận", "Kênh tiếp nhận"},
    "recv": {"Ngày tiếp nhận", "Ngày nhận", "Tiếp nhận"},
    "due": {"Ngày hẹn trả", "Hạn giải quyết", "Hạn xử lý", "Hẹn trả"},
    "fin": {"Ngày trả kết quả", "Ngày hoàn thành", "Ngày trả", "Trả kết quả"},
    "apol": {"Phiếu xin lỗi", "Xin lỗi"},
}
ONLINE = {"Trực tuyến", "Nộp trực tuyến", "DVC trực tuyến"}
IN_PERSON = {"Trực tiếp"}
POSTAL = {"Bưu chính", "BCCI", "Dịch vụ bưu chính công ích"}
APOLOGY_MARKS = {"Có", "x", "✓"}


# ----------------------------------------------------------------------------------------------
# Reading the files back


def read_rows(path: Path) -> list[list]:
    if path.suffix == ".xlsx":
        # calamine keeps date-only cells as datetime.date (openpyxl would give midnight datetimes)
        sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        return [["" if v is None else v for v in r] for r in sheet.to_python()]
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    first = text.split("\r\n", 1)[0]
    delim = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delim))


def csv_dialect(path: Path) -> tuple[bool, str]:
    raw = path.read_bytes()
    first = raw.decode("utf-8-sig").split("\r\n", 1)[0]
    return raw.startswith(b"\xef\xbb\xbf"), (";" if first.count(";") > first.count(",") else ",")


def header_index(rows: list[list]) -> int:
    return next(i for i, r in enumerate(rows) if r and str(r[0]).strip() == "STT")


def to_datetime(v) -> tuple[dt.datetime | None, bool]:
    """(value, has_time) for a cell: datetime / date cell or 'dd/mm/yyyy[ HH:MM[:SS]]' text."""
    if v in ("", None):
        return None, False
    if isinstance(v, dt.datetime):
        return v, True
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day), False
    s = str(v)
    d = dt.datetime(int(s[6:10]), int(s[3:5]), int(s[0:2]))
    if len(s) <= 10:
        return d, False
    hh, mm = int(s[11:13]), int(s[14:16])
    ss = int(s[17:19]) if len(s) >= 19 else 0
    return d.replace(hour=hh, minute=mm, second=ss), True


def parse_dossier_rows(name: str, rows: list[list]) -> dict:
    h = header_index(rows)
    top = [str(v) for v in rows[h]]
    two_row = "Thời gian" in top
    if two_row:
        sub = [str(v) for v in rows[h + 1]]
        headings = [s or t for t, s in zip(top, sub)]
        start = h + 2
    else:
        headings = top
        start = h + 1
    cols = {}
    for j, name in enumerate(headings):
        for key, names in HEADINGS.items():
            if name in names:
                cols[key] = j
    assert set(cols) == set(HEADINGS), (name, headings)
    body = [r for r in rows[start:] if any(str(v).strip() for v in r)]
    total, data = body[-1], body[:-1]
    records = [{k: r[j] for k, j in cols.items()} for r in data]
    return {"rows": rows, "header_row": h, "two_row": two_row, "headings": headings,
            "total": total, "records": records}


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("demo")
    files = demo.write_demo_files(out)
    return out, files


@pytest.fixture(scope="module")
def all_rows(demo_dir) -> dict[str, list[list]]:
    _, files = demo_dir
    return {p.name: read_rows(p) for p in files}


@pytest.fixture(scope="module")
def books(all_rows) -> dict[str, dict]:
    return {name: parse_dossier_rows(name, rows) for name, rows in all_rows.items() if name.startswith("hoso_")}


@pytest.fixture(scope="module")
def dossiers(books) -> dict[str, dict]:
    """Dossier id -> its state in the latest book that lists it (+ first/last book names)."""
    state: dict[str, dict] = {}
    for name in sorted(books):
        for r in books[name]["records"]:
            prev = state.get(r["id"])
            rec = dict(r)
            rec["first_book"] = prev["first_book"] if prev else name
            rec["last_book"] = name
            rec["books"] = (prev["books"] if prev else 0) + 1
            state[r["id"]] = rec
    return state


@functools.lru_cache(maxsize=1)
def registry_units() -> dict[str, dict]:
    with open(UNITS_CSV, encoding="utf-8-sig", newline="") as f:
        return {u["unit_id"]: u for u in csv.DictReader(f)}


@functools.lru_cache(maxsize=1)
def _registry_keys() -> list[tuple[str, set[str], dt.date, dt.date]]:
    out = []
    for u in registry_units().values():
        keys = {unit_key(s) for s in [u["name"], u["unit_id"], *u["aliases"].split("|")] if s}
        vf = dt.date.fromisoformat(u["valid_from"])
        vt = dt.date.fromisoformat(u["valid_to"]) if u["valid_to"] else dt.date.max
        out.append((u["unit_id"], keys, vf, vt))
    return out


@functools.lru_cache(maxsize=None)
def _resolve(key: str, old: bool) -> str | None:
    on = dt.date(2025, 6, 30) if old else dt.date(2025, 7, 1)
    hits = [uid for uid, keys, vf, vt in _registry_keys() if key in keys and vf <= on <= vt]
    return hits[0] if len(hits) == 1 else None


def resolve_unit(spelling: str, on: dt.date) -> str | None:
    """The registry unit a spelling means on a date (name, id or alias; same key as the ETL).
    Every unit of the registry begins or ends at the 2025 reorganisation, so only "before / after
    1/7/2025" matters."""
    return _resolve_spelling(spelling, on <= dt.date(2025, 6, 30))


@functools.lru_cache(maxsize=None)
def _resolve_spelling(spelling: str, old: bool) -> str | None:
    return _resolve(unit_key(spelling), old)


# ----------------------------------------------------------------------------------------------
# Files and determinism


def test_file_set_and_names(demo_dir):
    out, files = demo_dir
    names = [p.name for p in files]
    months = [f"{y}-{m:02d}" for y in range(2019, LAST[0] + 1) for m in range(1, 13)
              if (2019, 7) <= (y, m) <= LAST]
    n = len(months)
    assert [x.split(".")[0] for x in names[:n]] == [f"hoso_{m}" for m in months]  # load order: by month
    years = range(2019, LAST[0] + 1)
    reviewed = range(2019, LAST[0] + 1 if LAST[1] == 12 else LAST[0])  # December review in the demo
    assert {x.split(".")[0] for x in names[n:]} == (
        {f"danhgia_{y}" for y in years} | {f"camket_{y}" for y in years} | {f"khaosat_{y}" for y in years}
        | {f"kiemtra_{y}" for y in years}
        | {f"xeploai_{y}" for y in reviewed} | {f"khenthuong_{y}" for y in reviewed})
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    suffixes = Counter(p.suffix for p in files if p.name.startswith("hoso_"))
    assert suffixes[".xlsx"] >= 4 and suffixes[".csv"] >= 40


def test_same_seed_gives_identical_bytes(tmp_path):
    kw = dict(first_month=(2021, 2), last_month=(2021, 3))  # 2021-03 is an XLSX book
    a = demo.write_demo_files(tmp_path / "a", 7, **kw)
    b = demo.write_demo_files(tmp_path / "b", 7, **kw)
    assert [p.name for p in a] == [p.name for p in b]
    assert "hoso_2021-03.xlsx" in [p.name for p in a]
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    c = demo.write_demo_files(tmp_path / "c", 8, first_month=(2021, 2), last_month=(2021, 2))
    assert c[0].read_bytes() != a[0].read_bytes()


def test_rewriting_removes_stale_demo_files_only(tmp_path):
    (tmp_path / "hoso_2018-01.csv").write_text("old")
    (tmp_path / "ghichu.txt").write_text("keep")
    demo.write_demo_files(tmp_path, first_month=(2021, 1), last_month=(2021, 1))
    assert not (tmp_path / "hoso_2018-01.csv").exists()
    assert (tmp_path / "ghichu.txt").read_text() == "keep"


def test_title_block_marks_demo_data(demo_dir, all_rows):
    _, files = demo_dir
    for p in files:
        rows = all_rows[p.name]
        h = header_index(rows)
        above = [str(v) for r in rows[:h] for v in r if str(v).strip()]
        # the district until 06/2025; the province's files for the new communes after
        period_end = (int(p.stem[5:9]), int(p.stem[10:12])) if p.name.startswith("hoso_") else (
            (int(p.stem[-4:]), 12) if int(p.stem[-4:]) < LAST[0] else LAST)
        issuer = "UBND HUYỆN NINH PHƯỚC" if period_end <= (2025, 6) else "UBND TỈNH KHÁNH HÒA"
        assert issuer in above, p.name
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in above, p.name
        assert "Độc lập - Tự do - Hạnh phúc" in above, p.name
        assert any("DỮ LIỆU MINH HỌA" in t for t in above), p.name
        if p.name.startswith("hoso_"):
            y, m = p.stem[5:9], p.stem[10:12]
            assert f"(Từ ngày 01/{m}/{y} đến ngày" in " ".join(above), p.name


def test_export_formats_vary(demo_dir, books):
    _, files = demo_dir
    csvs = [p for p in files if p.suffix == ".csv"]
    dialects = {csv_dialect(p) for p in csvs}
    assert {bom for bom, _ in dialects} == {True, False}
    assert {d for _, d in dialects} == {",", ";"}
    layouts = {tuple(b["headings"]) for b in books.values()}
    assert len(layouts) >= 4
    assert any(b["two_row"] for b in books.values()) and any(not b["two_row"] for b in books.values())
    channels = {r["channel"] for b in books.values() for r in b["records"]}
    assert channels <= ONLINE | IN_PERSON | POSTAL and len(channels) >= 6
    marks = {r["apol"] for b in books.values() for r in b["records"]} - {""}
    assert marks == APOLOGY_MARKS
    # due dates given both with and without a time; XLSX books hold real date / datetime cells
    due_has_time = {to_datetime(r["due"])[1] for b in books.values() for r in b["records"][:5]}
    assert due_has_time == {True, False}
    xlsx = [b for n, b in books.items() if n.endswith(".xlsx")]
    assert all(isinstance(b["records"][0]["recv"], dt.datetime) for b in xlsx)


def test_merged_time_header_in_xlsx(demo_dir, books):
    out, _ = demo_dir
    two_row_xlsx = [n for n, b in books.items() if n.endswith(".xlsx") and b["two_row"]]
    assert two_row_xlsx
    ws = openpyxl.load_workbook(out / two_row_xlsx[0]).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    h = books[two_row_xlsx[0]]["header_row"] + 1
    assert f"G{h}:I{h}" in merged and f"A{h}:A{h + 1}" in merged


# ----------------------------------------------------------------------------------------------
# Dossier books


def test_totals_row_closes_every_book(books):
    for name, b in books.items():
        total = [str(v).strip() for v in b["total"]]
        assert "Tổng cộng:" in total, name
        count = total[total.index("Tổng cộng:") + 1]
        assert int(float(count)) == len(b["records"]), name


def test_ids_unique_and_shaped(books, dossiers):
    for name, b in books.items():
        ids = [r["id"] for r in b["records"]]
        assert len(ids) == len(set(ids)), name
    tt04 = re.compile(r"X56\.\d{3}\.\d{2}-(\d{6})-\d{6}")
    kinds = Counter()
    for did, r in dossiers.items():
        recv, _ = to_datetime(r["recv"])
        if recv.date() < MERGER:
            assert did.startswith("H43.26-" + recv.strftime("%y%m%d") + "-"), did
            assert len(did) == len("H43.26-230502-0001")
        elif recv.date() < dt.date(2026, 1, 25):
            assert re.fullmatch(r"H56\.0[1-4]-" + recv.strftime("%y%m%d") + r"-\d{4}", did), did
        else:
            # Thông tư 04/2025/TT-VPCP: MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX, YYMMDD the receipt date
            m = tt04.fullmatch(did)
            assert m and m.group(1) == recv.strftime("%y%m%d"), did
        kinds[did[:3]] += 1
    assert kinds["X56"] > 10_000 and kinds["H56"] > 10_000
    first_tt04 = min(to_datetime(r["recv"])[0] for d, r in dossiers.items() if d.startswith("X56"))
    assert first_tt04.date() == dt.date(2026, 1, 26)  # 25/01/2026 is a Sunday


def test_volumes_per_year(dossiers):
    per_year = Counter(to_datetime(r["recv"])[0].year for r in dossiers.values())
    for y in range(2020, LAST[0] if LAST[1] < 12 else LAST[0] + 1):
        assert 25_000 <= per_year[y] <= 40_000, (y, per_year[y])
    assert 12_500 <= per_year[2019] <= 20_000  # half year
    assert set(per_year) == set(range(2019, LAST[0] + 1))


def test_online_share_rises_from_under_10_to_over_50_percent(dossiers):
    n, online = Counter(), Counter()
    for r in dossiers.values():
        y = to_datetime(r["recv"])[0].year
        n[y] += 1
        online[y] += r["channel"] in ONLINE
    share = {y: online[y] / n[y] for y in n}
    assert share[2019] < 0.10
    assert share[2025] > 0.50
    years = [y for y in sorted(share) if y <= 2026]  # later the curve is flat: noise decides
    assert all(share[a] < share[b] for a, b in zip(years, years[1:])), share


def test_only_communes_and_departments_receive_dossiers(dossiers):
    units = registry_units()
    kinds = Counter()
    for r in dossiers.values():
        recv = to_datetime(r["recv"])[0].date()
        uid = resolve_unit(r["unit"], recv)
        assert uid is not None, r["unit"]
        kinds[units[uid]["kind"]] += 1
    assert set(kinds) == {"commune", "department"}
    assert kinds["commune"] > kinds["department"]


def test_from_07_2025_the_four_new_communes_receive_every_dossier(dossiers):
    units = registry_units()
    by_unit = defaultdict(Counter)  # unit -> year -> dossiers
    spellings = defaultdict(set)
    for r in dossiers.values():
        recv = to_datetime(r["recv"])[0].date()
        uid = resolve_unit(r["unit"], recv)
        by_unit[uid][recv.year] += 1
        if recv >= MERGER:
            assert uid in NEW_COMMUNES, (r["id"], r["unit"], recv)
            spellings[uid].add(r["unit"])
        else:
            assert units[uid]["valid_to"] == "2025-06-30", (r["id"], uid)
    # the district's departments end on 30/06/2025: none receives a dossier after
    assert not [r for r in dossiers.values() if to_datetime(r["recv"])[0].date() >= MERGER
                and units[resolve_unit(r["unit"], MERGER)]["kind"] != "commune"]
    assert set(spellings) == NEW_COMMUNES
    assert "Trung tâm Phục vụ hành chính công xã Phước Hậu" in spellings["xa-phuoc-hau-2025"]
    assert "UBND xã Phước Hậu" in spellings["xa-phuoc-hau-2025"]
    # a new commune receives about what its predecessors did (2024), plus a share of the district's
    # procedures that passed to the communes; Phước Dinh also took units outside this demo
    months_2026 = 12 if LAST[0] > 2026 else LAST[1]
    for new in NEW_COMMUNES - {"xa-phuoc-dinh-2025"}:
        before = sum(by_unit[u][2024] for u, rec in units.items() if rec["successor_id"] == new)
        ratio = by_unit[new][2026] * 12 / months_2026 / before
        assert 1.0 <= ratio <= 1.8, (new, ratio)
    dinh = by_unit["xa-phuoc-dinh-2025"][2026] * 12 / months_2026 / by_unit["xa-an-hai"][2024]
    assert 1.8 <= dinh <= 3.0, dinh


def test_dossiers_carried_over_1_7_2025_stay_with_the_old_unit(books):
    june = {r["id"]: r for r in books["hoso_2025-06.csv"]["records"] if r["fin"] in ("", None)}
    july = [r for r in books[next(n for n in books if n.startswith("hoso_2025-07"))]["records"] if r["id"] in june]
    assert len(july) == len(june) > 100
    returned = [r for r in july if r["fin"] not in ("", None)]
    assert len(returned) > 0.8 * len(july)
    units = registry_units()
    for r in july:
        recv = to_datetime(r["recv"])[0].date()
        assert recv < MERGER
        uid = resolve_unit(r["unit"], recv)
        assert units[uid]["valid_to"] == "2025-06-30", r  # listed under the unit that received it
    assert {units[resolve_unit(r["unit"], MERGER - dt.timedelta(days=1))]["kind"] for r in returned} == {
        "commune", "department"}


def test_months_never_depend_on_the_build_date(tmp_path):
    """A later build adds months and changes none: each month after 06/2025 has its own streams."""
    short = demo.write_demo_files(tmp_path / "a", first_month=(2025, 7), last_month=(2025, 9))
    longer = demo.write_demo_files(tmp_path / "b", first_month=(2025, 7), last_month=(2025, 10))
    by_name = {p.name: p for p in longer}
    for p in short:
        if p.name.startswith("hoso_"):
            assert p.read_bytes() == by_name[p.name].read_bytes(), p.name
    rows_a = [r for r in read_rows(tmp_path / "a" / "danhgia_2025.xlsx") if str(r[2]).startswith("Tháng")]
    rows_b = [r for r in read_rows(tmp_path / "b" / "danhgia_2025.xlsx") if str(r[2]).startswith("Tháng")]
    assert len(rows_a) == 12 and len(rows_b) == 16
    assert [r[1:] for r in rows_a] == [r[1:] for r in rows_b[:12]]


def test_last_full_month_before_the_build_date(demo_dir):
    assert last_full_month(dt.date(2026, 12, 1)) == (2026, 11)
    assert last_full_month(dt.date(2026, 12, 31)) == (2026, 11)
    assert last_full_month(dt.date(2027, 1, 1)) == (2026, 12)
    today = dt.date.today()
    before = today.replace(day=1) - dt.timedelta(days=1)
    _, files = demo_dir
    assert max(p.stem for p in files if p.name.startswith("hoso_")) == f"hoso_{before:%Y-%m}"


def _outcome(r) -> str | None:
    fin, _ = to_datetime(r["fin"])
    if fin is None:
        return None
    due, due_has_time = to_datetime(r["due"])
    if fin.date() < due.date():
        return "early"
    if fin.date() == due.date():
        return "on_time" if (not due_has_time or fin <= due) else "late"
    return "late"


def test_on_time_rates_realistic(dossiers):
    by_year, by_unit = defaultdict(Counter), defaultdict(Counter)
    for r in dossiers.values():
        o = _outcome(r)
        if o is None:
            continue
        recv = to_datetime(r["recv"])[0]
        by_year[recv.year][o] += 1
        by_unit[resolve_unit(r["unit"], recv.date())][o] += 1

    def rate(c):
        return (c["early"] + c["on_time"]) / sum(c.values())

    for y, c in by_year.items():
        assert 0.95 <= rate(c) <= 0.995, (y, rate(c))
        assert c["early"] > c["late"] > 0 and c["on_time"] > c["late"]
    weak = {u: rate(by_unit[u]) for u in demo.WEAK_UNITS}
    others = [rate(c) for u, c in by_unit.items() if u not in weak and sum(c.values()) > 2000]
    assert max(weak.values()) < min(others)


def test_covid_wave_and_tet_are_weaker(dossiers):
    monthly = defaultdict(Counter)
    for r in dossiers.values():
        o = _outcome(r)
        if o:
            recv = to_datetime(r["recv"])[0]
            monthly[(recv.year, recv.month)][o] += 1

    def rate(keys):
        c = sum((monthly[k] for k in keys), Counter())
        return (c["early"] + c["on_time"]) / sum(c.values())

    assert rate([(2021, 8), (2021, 9)]) < rate([(2021, 3), (2021, 4), (2021, 5)]) - 0.02
    assert rate([(2023, 1)]) < rate([(2023, 3), (2023, 4)])  # Tết 22/01/2023


def test_pending_dossiers_carried_over_and_updated(books, dossiers):
    # pending in one month's book, returned in the next month's book
    updated = 0
    names = sorted(books)
    for a, b in zip(names, names[1:]):
        pending = {r["id"] for r in books[a]["records"] if r["fin"] in ("", None)}
        returned_next = {r["id"] for r in books[b]["records"] if r["fin"] not in ("", None)}
        updated += len(pending & returned_next)
    assert updated > 1000
    # still pending at the end of 06/2025, a few of them overdue
    last = books["hoso_2025-06.csv"]["records"]
    pending = [r for r in last if r["fin"] in ("", None)]
    end = dt.datetime(2025, 7, 1)
    overdue = [r for r in pending if to_datetime(r["due"])[0] < end - dt.timedelta(days=1)]
    assert 100 <= len(pending) <= 1000
    assert 3 <= len(overdue) <= 40
    # a returned dossier is never listed again
    for r in dossiers.values():
        if r["books"] > 1:
            assert r["first_book"] < r["last_book"]


def test_apology_letters_for_most_late_dossiers(dossiers):
    late = [r for r in dossiers.values() if _outcome(r) == "late"]
    with_letter = sum(r["apol"] in APOLOGY_MARKS for r in late)
    assert 0.78 <= with_letter / len(late) <= 0.92
    on_time = [r for r in dossiers.values() if _outcome(r) in ("early", "on_time")]
    assert all(r["apol"] == "" for r in on_time)


def test_due_dates_follow_working_days(dossiers):
    """Receipts, due dates and (almost all) returns fall on working days (weekends, Tết skipped)."""
    import holidays

    vn = holidays.country_holidays("VN", years=range(2019, 2027))
    for r in list(dossiers.values())[::50]:
        for k in ("recv", "due"):
            d = to_datetime(r[k])[0].date()
            assert d.weekday() < 5 and d not in vn, (r["id"], k, d)
    # Tết 2024 (08–14/02): a 1-working-day procedure received on 07/02/2024 is due on 15/02/2024
    cases = [r for r in dossiers.values() if r["proc"] == "Đăng ký khai sinh"
             and to_datetime(r["recv"])[0].date() == dt.date(2024, 2, 7)]
    assert cases and all(to_datetime(r["due"])[0].date() == dt.date(2024, 2, 15) for r in cases)


# ----------------------------------------------------------------------------------------------
# Evaluations


def _eval_sheets(files, all_rows) -> dict[int, tuple[list[str], list[list]]]:
    out = {}
    for p in files:
        if p.name.startswith("danhgia_"):
            rows = all_rows[p.name]
            h = header_index(rows)
            out[int(p.stem[-4:])] = ([str(v) for v in rows[h]], [r for r in rows[h + 1:] if any(str(v) for v in r)])
    return out


def _num(v) -> float:
    return float(str(v).replace(",", ".")) if isinstance(v, str) else float(v)


def _period_day(cell) -> dt.date:
    """'Tháng 07/2025' -> 2025-07-01."""
    m = re.fullmatch(r"Tháng (\d{2})/(\d{4})", str(cell))
    return dt.date(int(m.group(2)), int(m.group(1)), 1)


def test_evaluation_sheets(demo_dir, all_rows):
    _, files = demo_dir
    sheets = _eval_sheets(files, all_rows)
    assert sorted(sheets) == list(range(2019, LAST[0] + 1))
    criteria = [c for c, _ in evaluations_demo.EVAL_CRITERIA]
    labels = {label for _, label in evaluations_demo.CLASS_LABELS}
    totals, conflicts = [], 0
    for year, (headers, rows) in sheets.items():
        if year >= 2026:
            continue  # Nghị định 335/2025: test_evaluation_sheets_from_2026_give_the_two_parts
        assert headers[:3] == ["STT", "Đơn vị", "Kỳ đánh giá"]
        assert headers[3:9] == criteria
        assert headers[9] == "Tổng điểm"
        has_class = year in (2019, 2020, 2023, 2025)
        assert (headers[10:] == ["Xếp loại"]) == has_class, year
        # 30 units until 06/2025, the four new communes from 07/2025
        expected = {2019: 30 * 6, 2025: 30 * 6 + 4 * 6}.get(year, 30 * 12)
        assert len(rows) == expected, year
        periods = Counter(r[2] for r in rows)
        assert len(periods) == (6 if year == 2019 else 12)
        assert set(periods.values()) == ({30, 4} if year == 2025 else {30})
        first_month = 7 if year == 2019 else 1
        assert f"Tháng {first_month:02d}/{year}" in periods
        for r in rows:
            pts = [_num(v) for v in r[3:9]]
            total = _num(r[9])
            assert abs(sum(pts) - total) < 1e-9
            assert all(0 <= p <= m for p, (_, m) in zip(pts, evaluations_demo.EVAL_CRITERIA))
            totals.append(total)
            assert resolve_unit(str(r[1]), _period_day(r[2])) is not None, r[1]
            if has_class:
                assert r[10] in labels
                band = next(label for lo, label in evaluations_demo.CLASS_LABELS if total >= lo)
                conflicts += r[10] != band
    assert 2 <= conflicts <= 3
    share_75_98 = sum(75 <= t <= 98 for t in totals) / len(totals)
    assert share_75_98 >= 0.9
    assert min(totals) >= 50


def test_evaluation_sheets_from_2026_give_the_two_parts(demo_dir, all_rows):
    """Nghị định 335/2025/NĐ-CP: general criteria ≤ 30 + task results ≤ 70 = the score."""
    _, files = demo_dir
    headers, rows = _eval_sheets(files, all_rows)[2026]
    assert headers == ["STT", "Đơn vị", "Kỳ đánh giá", "Tiêu chí chung (tối đa 30 điểm)",
                       "Kết quả thực hiện nhiệm vụ (tối đa 70 điểm)", "Tổng điểm", "Xếp loại"]
    months = 12 if LAST[0] > 2026 else LAST[1]
    assert len(rows) == 4 * months
    labels = dict((label, lo) for lo, label in evaluations_demo.CLASS_LABELS)
    for r in rows:
        general, task, total = _num(r[3]), _num(r[4]), _num(r[5])
        assert 0 <= general <= 30 and 0 <= task <= 70, r
        assert general + task == total, r
        band = next(label for lo, label in evaluations_demo.CLASS_LABELS if total >= lo)
        assert r[6] == band and labels[band] <= total
        assert resolve_unit(str(r[1]), _period_day(r[2])) in NEW_COMMUNES
    assert {r[6] for r in rows} >= {"Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"}


def test_evaluations_trend_up_and_weak_units_lower(demo_dir, all_rows):
    _, files = demo_dir
    sheets = _eval_sheets(files, all_rows)
    mean = {y: sum(_num(r[9]) for r in rows) / len(rows) for y, (_, rows) in sheets.items() if y <= 2025}
    assert mean[2024] > mean[2020] + 1
    weak, rest = [], []
    for y, (_, rows) in sheets.items():
        for r in rows:
            if y <= 2025:
                (weak if resolve_unit(str(r[1]), _period_day(r[2])) in demo.WEAK_UNITS else rest).append(_num(r[9]))
    assert sum(weak) / len(weak) < sum(rest) / len(rest) - 2


def test_every_unit_evaluated_while_it_exists(demo_dir, all_rows):
    _, files = demo_dir
    sheets = _eval_sheets(files, all_rows)
    old_units = {u for u, rec in registry_units().items() if rec["valid_to"] == "2025-06-30"}
    assert len(old_units) == 30
    for y, (_, rows) in sheets.items():
        by_month = defaultdict(set)
        for r in rows:
            day = _period_day(r[2])
            by_month[day].add(resolve_unit(str(r[1]), day))
        for day, units in by_month.items():
            assert units == (old_units if day < MERGER else NEW_COMMUNES), day


# ----------------------------------------------------------------------------------------------
# Commitments


def test_commitment_sheets_reach_full_coverage_by_2022(demo_dir, all_rows):
    _, files = demo_dir
    units = registry_units()
    coverage, new_coverage = {}, {}
    for p in files:
        if not p.name.startswith("camket_"):
            continue
        year = int(p.stem[-4:])
        rows = all_rows[p.name]
        h = header_index(rows)
        assert [str(v) for v in rows[h]] == list(commitments_demo.COMMITMENT_HEADERS)
        body = [r for r in rows[h + 1:] if any(str(v) for v in r)]
        data, total = body[:-1], body[-1]
        assert "Tổng cộng" in [str(v) for v in total]
        # the district's 30 units until 2025, the four new communes from 2025 (named "(mới)" in 2025)
        assert len(data) == {2025: 34}.get(year, 30 if year < 2025 else 4), year
        head = signed = new_head = new_signed = 0
        seen = set()
        for r in data:
            # as the ETL reads a commitment year: the unit valid on 1 January, else on 31 December
            uid = resolve_unit(str(r[1]), dt.date(year, 1, 1)) or resolve_unit(str(r[1]), dt.date(year, 12, 31))
            assert uid and uid not in seen, r
            seen.add(uid)
            assert int(_num(r[2])) == year
            n = int(_num(r[3]))
            s = [int(_num(v)) for v in r[4:7]]
            assert all(0 <= x <= n for x in s)
            if uid in NEW_COMMUNES:
                assert 30 <= n <= 60, (uid, n)
                assert year > 2025 and s == [n, n, n] or year == 2025 and min(s) >= n - 2, (year, uid, s)
                new_head += 3 * n
                new_signed += sum(s)
                continue
            lo, hi = {"commune": (20, 25), "department": (5, 15), "service_unit": (10, 40),
                      "association": (2, 5)}[units[uid]["kind"]]
            assert lo <= n <= hi, (uid, n)
            if year >= 2022:
                assert s == [n, n, n], (year, uid)
            head += 3 * n
            signed += sum(s)
        assert int(_num(total[3])) == sum(int(_num(r[3])) for r in data)
        if head:
            coverage[year] = signed / head
        if new_head:
            new_coverage[year] = new_signed / new_head
    assert sorted(coverage) == list(range(2019, 2026))
    assert coverage[2019] < coverage[2020] < coverage[2021] < 1.0
    assert all(coverage[y] == 1.0 for y in range(2022, 2026))
    assert coverage[2019] < 0.9
    assert sorted(new_coverage) == list(range(2025, LAST[0] + 1))
    assert 0.95 <= new_coverage[2025] < 1.0 and new_coverage[2026] == 1.0


# ----------------------------------------------------------------------------------------------
# The evidence of issue 8: surveys, inspections, year-end ratings, commendations


def _sheet(rows: list[list]) -> tuple[list[str], list[list], list | None]:
    """(headings, data rows, totals row or None) of a sheet; a second header row (the sub-headings
    under a merged cell) is folded into the first."""
    h = header_index(rows)
    headings = [str(v) for v in rows[h]]
    body = rows[h + 1:]
    if body and str(body[0][0]) == "" and any(str(v).strip() for v in body[0]):
        headings = [str(b) or t for t, b in zip(headings, body[0])]
        body = body[1:]
    body = [r for r in body if any(str(v).strip() for v in r)]
    if body and str(body[-1][1]).startswith(("Tổng cộng", "Cộng")):
        return headings, body[:-1], body[-1]
    return headings, body, None


def _records(files, all_rows, prefix: str) -> dict[str, tuple[list[str], list[dict]]]:
    """file name -> (headings, one dict per data row keyed by heading)."""
    out = {}
    for p in files:
        if p.name.startswith(prefix):
            headings, data, _ = _sheet(all_rows[p.name])
            out[p.name] = (headings, [dict(zip(headings, r)) for r in data])
    return out


def _day(v) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.datetime.strptime(str(v), "%d/%m/%Y").date()


def test_surveys_every_commune_every_month_very_satisfied_mostly_above_90(demo_dir, all_rows):
    _, files = demo_dir
    units = registry_units()
    shares, seen, no_total = [], set(), 0
    for name, (headings, recs) in _records(files, all_rows, "khaosat_").items():
        assert headings[-4:] == ["Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng"]
        no_total += "Tổng số phiếu" not in headings
        for r in recs:
            year, month = int(name[8:12]), int(str(r["Tháng"])[-7:-5])
            uid = resolve_unit(str(r["Đơn vị"]), dt.date(year, month, 1))
            assert units[uid]["kind"] == "commune"
            parts = [int(_num(r[k])) for k in headings[-4:]]
            total = int(_num(r["Tổng số phiếu"])) if "Tổng số phiếu" in r else sum(parts)
            assert sum(parts) <= total and total > 0
            seen.add((uid, year, month))
            shares.append(parts[0] / total)
    after = (LAST[0] - 2025) * 12 + LAST[1] - 6  # months from 07/2025 to the demo's last
    # 9 communes x 07/2019-06/2025, then the 4 new ones; no unit-month twice
    assert len(seen) == len(shares) == 9 * 72 + 4 * after
    assert no_total == 1  # one year's sheet leaves the total out
    below = sum(s <= 0.90 for s in shares)
    assert 3 <= below <= 0.06 * len(shares), below  # mostly above 90 %, a few months below


def test_inspections_two_to_four_visits_a_year_violations_falling(demo_dir, all_rows):
    _, files = demo_dir
    visits: Counter = Counter()
    checked: Counter = Counter()
    found: Counter = Counter()
    days = set()
    for name, (headings, recs) in _records(files, all_rows, "kiemtra_").items():
        assert headings[1:4] == ["Ngày kiểm tra", "Đơn vị được kiểm tra", "Số CBCCVC được kiểm tra"]
        for r in recs:
            day = _day(r["Ngày kiểm tra"])
            uid = resolve_unit(str(r["Đơn vị được kiểm tra"]), day)
            assert uid and day.weekday() < 5 and (day, uid) not in days
            days.add((day, uid))
            n = int(_num(r["Số CBCCVC được kiểm tra"]))
            v = [int(_num(r[k])) for k in headings[4:8]]
            assert all(0 <= x <= n for x in v)
            visits[(uid, day.year)] += 1
            checked[day.year] += n
            found[day.year] += sum(v)
    for y in range(2020, 2025):  # whole years
        per_unit = [visits[(u, y)] for u in registry_units() if (u, y) in visits]
        assert len(per_unit) == 30 and min(per_unit) >= 2 and max(per_unit) <= 4, y
    per_100 = [100 * found[y] / checked[y] for y in range(2019, 2025)]
    assert per_100 == sorted(per_100, reverse=True) and per_100[0] > 3 * per_100[-1], per_100


def test_staff_ratings_every_unit_every_year_one_or_two_over_the_cap(demo_dir, all_rows):
    _, files = demo_dir
    headcounts = {}
    for name, (headings, recs) in _records(files, all_rows, "camket_").items():
        for r in recs:
            y = int(name[7:11])  # a unit of the year's first half, else one created on 01/07/2025
            uid = resolve_unit(str(r["Đơn vị"]), dt.date(y, 6, 30)) or resolve_unit(str(r["Đơn vị"]), dt.date(y, 12, 31))
            headcounts[(uid, y)] = int(_num(r["Tổng số CBCCVC"]))
    over, rated = [], set()
    classes = ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
               "Không hoàn thành nhiệm vụ"]
    for name, (headings, recs) in _records(files, all_rows, "xeploai_").items():
        year = int(name[8:12])
        assert headings[1:8] == ["Đơn vị", "Năm", "Tổng số CBCCVC", *classes]
        for r in recs:
            uid = resolve_unit(str(r["Đơn vị"]), dt.date(year, 12, 31))
            n = int(_num(r["Tổng số CBCCVC"]))
            xs, tot, ht, kht = (int(_num(r[c])) for c in classes)
            assert xs + tot + ht + kht <= n and tot > 0
            assert n == headcounts[(uid, year)]  # the commitment sheet's headcount of that year
            rated.add((uid, year))
            if xs > 0.2 * tot:
                over.append((uid, year))
    reviewed = range(2025, LAST[0] + 1 if LAST[1] == 12 else LAST[0])  # year-end reviews after the merger
    assert len(rated) == 30 * 6 + 4 * len(reviewed)  # the district's 30 units 2019-2024, then the 4 communes
    assert 1 <= len(over) <= 2 and len({u for u, _ in over}) == len(over), over


def test_commendations_at_each_year_end_review(demo_dir, all_rows):
    _, files = demo_dir
    forms = {"Giấy khen", "Bằng khen", "Tập thể lao động tiên tiến", "Lao động tiên tiến", "Chiến sĩ thi đua cơ sở"}
    by_year = {}
    for name, (headings, recs) in _records(files, all_rows, "khenthuong_").items():
        year = int(name[11:15])
        assert {"Số quyết định", "Ngày quyết định", "Cấp khen thưởng", "Hình thức khen thưởng",
                "Tên tập thể, cá nhân", "Đơn vị"} <= set(headings)
        for r in recs:
            day = _day(r["Ngày quyết định"])
            assert (day.year, day.month) in ((year, 12), (year + 1, 1)), (name, day)
            assert re.fullmatch(r"\d{2,4}/QĐ-UBND", str(r["Số quyết định"]))
            assert r["Cấp khen thưởng"] in (("UBND huyện", "UBND tỉnh") if year < 2025 else ("UBND xã", "UBND tỉnh")) and r["Hình thức khen thưởng"] in forms
            assert resolve_unit(str(r["Đơn vị"]), day)
        by_year[year] = Counter(r["Hình thức khen thưởng"] for r in recs)
        names = [str(r["Tên tập thể, cá nhân"]) for r in recs if r["Hình thức khen thưởng"] == "Lao động tiên tiến"]
        assert all(len(n.split()) >= 3 for n in names)  # family, middle and given name
    assert sorted(by_year) == list(range(2019, LAST[0] + 1 if LAST[1] == 12 else LAST[0]))
    assert all(set(c) == forms for c in by_year.values()), by_year


def test_evidence_files_load_through_the_etl_without_a_reject(demo_dir, all_rows, tmp_path):
    """What the generator meant is what the ETL reads: every row loads, and the collective /
    individual split (inferred by the ETL in the years whose list has no such column) is the
    generator's."""
    _, files = demo_dir
    evidence = [p for p in files if p.name.startswith(("khaosat_", "kiemtra_", "xeploai_", "khenthuong_"))]
    db = tmp_path / "w.duckdb"
    reports = load_files(evidence, db=db)
    for p, r in zip(evidence, reports):
        _, data, _ = _sheet(all_rows[p.name])
        assert (r.status, r.rows_read, r.rows_to_load, r.rows_rejected, r.duplicates) == (
            "loaded", len(data), len(data), 0, 0), (p.name, r.message, r.rejects[:3])
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    try:
        loaded = Counter(dict(((k, n) for k, n in con.execute(
            "SELECT recipient_kind, count(*) FROM commendations GROUP BY 1").fetchall())))
    finally:
        con.close()
    made = Counter(r["kind"] for review in commendations_demo.generate_commendations(
        demo.DEFAULT_SEED, demo.FIRST_MONTH, demo.LAST_MONTH) for r in review["records"])
    assert loaded == made and loaded["collective"] > 0 and loaded["individual"] > 0



def test_evidence_generators_take_a_later_end_month_and_only_units_of_the_day():
    """The generators run past the demo's end (another release extends it): every record's unit
    exists on the record's day in data/reference/units.csv (the 30 old units end 30/06/2025)."""
    from etl.sources import inspections_demo, staff_ratings_demo, surveys_demo

    units = registry_units()

    def valid(unit_id: str, day: dt.date) -> bool:
        u = units[unit_id]
        return dt.date.fromisoformat(u["valid_from"]) <= day <= (
            dt.date.fromisoformat(u["valid_to"]) if u["valid_to"] else dt.date.max)

    first, last, seed = (2024, 11), (2026, 3), demo.DEFAULT_SEED
    dated = ([(r["unit"].unit_id, dt.date(r["year"], r["month"], 1)) for r in surveys_demo.generate_surveys(seed, first, last)]
             + [(r["unit"].unit_id, r["day"]) for r in inspections_demo.generate_inspections(seed, first, last)]
             + [(r["unit"].unit_id, dt.date(r["year"], 12, 31))
                for r in staff_ratings_demo.generate_staff_ratings(seed, first, last)]
             + [(r["unit"].unit_id, r["decided_on"]) for review in commendations_demo.generate_commendations(
                 seed, first, last) for r in review["records"]])
    assert dated and all(valid(u, day) for u, day in dated)
    assert max(day for _, day in dated) >= dt.date(2025, 6, 1)  # the months up to the reorganisation are there
