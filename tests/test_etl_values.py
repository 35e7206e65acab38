"""Cell values: channels, apology letters, dates in every form an export uses (never month-first)."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.load import load_files, parse_dates_sql
from etl.sources.dossiers import apology_of, channel_of
from etl_helpers import (DOSSIER_HEADER, dossier_row, query, ref_con, stage, write_csv,  # noqa: F401
                         write_xlsx)

D = dt.datetime

# ---------------------------------------------------------------------------------------------
# Channels

CHANNELS = [
    ("Trực tuyến", "online"), ("Nộp trực tuyến", "online"), ("DVC trực tuyến", "online"),
    ("Trực tiếp", "in_person"), ("Bưu chính", "postal"), ("Dịch vụ bưu chính công ích", "postal"),
    ("BCCI", "postal"), (None, "in_person"),
]


def test_channel_values_through_a_load(tmp_path):
    rows = [dossier_row(f"C-{i}", channel=text) for i, (text, _) in enumerate(CHANNELS)]
    rows.append(dossier_row("C-bad", channel="Fax"))
    db = tmp_path / "w.duckdb"
    [r] = load_files([write_csv(tmp_path / "kenh.csv", DOSSIER_HEADER, rows)], db=db)
    assert query(db, "SELECT dossier_id, channel FROM dossiers ORDER BY dossier_id") == [
        (f"C-{i}", expected) for i, (_, expected) in enumerate(CHANNELS)]
    # Header on row 1, "Fax" on the last row: 1 + 8 + 1 = row 10.
    assert [(x.row_number, x.column_name, x.reason) for x in r.rejects] == [
        (10, "Hình thức nộp", "Hình thức nộp «Fax» không rõ (cần: trực tuyến, trực tiếp, bưu chính)")]


@pytest.mark.parametrize("text,expected", CHANNELS + [("trực tiếp tại bộ phận một cửa", "in_person"),
                                                      ("BƯU CHÍNH CÔNG ÍCH", "postal"), ("Fax", None)])
def test_channel_of(text, expected):
    assert channel_of(text) == expected


# ---------------------------------------------------------------------------------------------
# Apology letters

APOLOGIES = [("Có", True), ("Không", False), ("x", True), ("X", True), ("✓", True), ("1", True), ("0", False),
             ("12/05/2023", True), (None, False)]


def test_apology_values_through_a_csv_load(tmp_path):
    rows = [dossier_row(f"A-{i}", apology=text) for i, (text, _) in enumerate(APOLOGIES)]
    rows.append(dossier_row("A-bad", apology="đang chờ"))
    db = tmp_path / "w.duckdb"
    [r] = load_files([write_csv(tmp_path / "xinloi.csv", DOSSIER_HEADER, rows, bom=True, delimiter=";")], db=db)
    assert query(db, "SELECT dossier_id, apology_issued FROM dossiers ORDER BY dossier_id") == [
        (f"A-{i}", expected) for i, (_, expected) in enumerate(APOLOGIES)]
    assert [(x.row_number, x.column_name, x.reason) for x in r.rejects] == [
        (11, "Phiếu xin lỗi", "Phiếu xin lỗi «đang chờ» không rõ (cần: Có/Không, x, ✓, 1/0 hoặc ngày)")]


def test_apology_values_as_excel_cells(tmp_path, ref_con):
    """In XLSX, 1 and 0 are number cells and the letter's date is a real date cell."""
    cells = [("Có", True), ("Không", False), ("x", True), ("✓", True), (1, True), (0, False),
             (dt.date(2023, 5, 12), True), (D(2023, 5, 12, 9, 30), True), (None, False)]
    rows = [dossier_row(f"A-{i}", apology=v) for i, (v, _) in enumerate(cells)]
    r, staged = stage(ref_con, write_xlsx(tmp_path / "xinloi.xlsx", DOSSIER_HEADER, rows, title=True))
    assert not r.rejects
    assert [(row[0], row[8]) for row in staged] == [(f"A-{i}", expected) for i, (_, expected) in enumerate(cells)]


@pytest.mark.parametrize("text,expected", APOLOGIES + [("Đã gửi", True), ("chưa", False), ("đang chờ", None)])
def test_apology_of(text, expected):
    assert apology_of(text) is expected


# ---------------------------------------------------------------------------------------------
# Dates

@pytest.fixture(scope="module")
def mem():
    con = duckdb.connect()
    yield con
    con.close()


DATE_TEXTS = [
    ("02/05/2023", D(2023, 5, 2), False),
    ("02/05/2023 10:52", D(2023, 5, 2, 10, 52), True),
    ("02/05/2023 10:52:07", D(2023, 5, 2, 10, 52, 7), True),
    ("2023-05-02", D(2023, 5, 2), False),
    ("2023-05-02 10:52:07", D(2023, 5, 2, 10, 52, 7), True),
    ("  02/05/2023   10:52 ", D(2023, 5, 2, 10, 52), True),
    # Excel serial numbers: day 45048 is 02/05/2023 (1899-12-30 + 45048 days); .5 is noon, ,75 is 18:00.
    ("45048", D(2023, 5, 2), False),
    ("45048.5", D(2023, 5, 2, 12), True),
    ("45048,75", D(2023, 5, 2, 18), True),
    # Never month-first: 05/03/2023 is 5 March; 05/13/2023 has no 13th month and is rejected.
    ("05/03/2023", D(2023, 3, 5), False),
    ("05/13/2023", None, False),
    ("13/05/2023", D(2023, 5, 13), False),
    ("31/02/2023", None, False),
    ("29/02/2024 23:59:59", D(2024, 2, 29, 23, 59, 59), True),
    ("01/01/1999", None, False),     # outside 2000-2100: a typo, not a dossier
    ("abc", None, False),
    ("", None, False),
    (None, None, False),
]


def test_parse_dates_sql_every_form(mem):
    texts = [t for t, _, _ in DATE_TEXTS]
    got = parse_dates_sql(mem, texts)
    assert [(t, ts) for t, (ts, _) in zip(texts, got)] == [(t, ts) for t, ts, _ in DATE_TEXTS]
    # has_time only matters where there is a timestamp.
    assert [(t, has) for t, (ts, has) in zip(texts, got) if ts is not None] == [
        (t, has) for t, ts, has in DATE_TEXTS if ts is not None]


def test_dates_in_a_csv_load(tmp_path):
    rows = [
        dossier_row("D-1", received="02/05/2023 08:15", due="05/05/2023", finished="04/05/2023 16:30:45"),
        dossier_row("D-2", received="2023-05-02", due="2023-05-05 17:00", finished="2023-05-04"),
        dossier_row("D-3", received="45048.375", due="45051", finished="45050,5"),
        dossier_row("D-4", received="05/03/2023", due="10/03/2023", finished=None),
        dossier_row("D-5", received="05/13/2023", due="20/05/2023", finished=None),
    ]
    db = tmp_path / "w.duckdb"
    [r] = load_files([write_csv(tmp_path / "ngay.csv", DOSSIER_HEADER, rows, title=True)], db=db)
    assert query(db, "SELECT dossier_id, received_at, due_at, finished_at, finished_has_time FROM dossiers "
                     "ORDER BY 1") == [
        ("D-1", D(2023, 5, 2, 8, 15), D(2023, 5, 5, 23, 59, 59), D(2023, 5, 4, 16, 30, 45), True),
        ("D-2", D(2023, 5, 2), D(2023, 5, 5, 17), D(2023, 5, 4), False),
        # 45048.375 = 02/05/2023 09:00; 45051 = 05/05/2023 (no time: end of day); 45050,5 = 04/05/2023 12:00.
        ("D-3", D(2023, 5, 2, 9), D(2023, 5, 5, 23, 59, 59), D(2023, 5, 4, 12), True),
        ("D-4", D(2023, 3, 5), D(2023, 3, 10, 23, 59, 59), None, None),
    ]
    # Title 5 rows + header row 6: D-5 is on row 11.
    assert [(x.row_number, x.column_name, x.reason) for x in r.rejects] == [
        (11, "Ngày tiếp nhận",
         "Ngày tiếp nhận «05/13/2023» không phải ngày hợp lệ (cần ngày/tháng/năm, ví dụ 02/05/2023)")]


def test_real_excel_date_cells_and_serial_numbers(tmp_path):
    rows = [
        # Real date-time, date and date-time cells.
        dossier_row("X-1", received=D(2023, 5, 2, 8, 15), due=dt.date(2023, 5, 5), finished=D(2023, 5, 4, 16, 30)),
        # Plain numbers (an export that lost its date format): serials with and without a time fraction.
        dossier_row("X-2", received=45048.375, due=45051, finished=45050.5),
        # Text dates inside an XLSX.
        dossier_row("X-3", received="02/05/2023 08:00", due="05/05/2023 17:00", finished="05/05/2023"),
    ]
    db = tmp_path / "w.duckdb"
    [r] = load_files([write_xlsx(tmp_path / "ngay.xlsx", DOSSIER_HEADER, rows, title=True, totals=True)], db=db)
    assert r.status == "loaded" and not r.rejects, r.rejects
    assert query(db, "SELECT dossier_id, received_at, due_at, finished_at, finished_has_time, outcome FROM dossiers "
                     "ORDER BY 1") == [
        ("X-1", D(2023, 5, 2, 8, 15), D(2023, 5, 5, 23, 59, 59), D(2023, 5, 4, 16, 30), True, "early"),
        ("X-2", D(2023, 5, 2, 9), D(2023, 5, 5, 23, 59, 59), D(2023, 5, 4, 12), True, "early"),
        ("X-3", D(2023, 5, 2, 8), D(2023, 5, 5, 17), D(2023, 5, 5), False, "on_time"),
    ]


# A shared connection for the property tests (the macros are created on it once per call).
_PROP_CON = duckdb.connect()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.datetimes(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31, 23, 59, 59)).map(
    lambda d: d.replace(microsecond=0)), min_size=1, max_size=40))
def test_property_dd_mm_yyyy_round_trip(values):
    texts = [v.strftime("%d/%m/%Y %H:%M:%S") for v in values]
    assert parse_dates_sql(_PROP_CON, texts) == [(v, True) for v in values]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789/-.:, T", max_size=25),
    st.from_regex(r"\d{1,5}([.,]\d{1,20})?", fullmatch=True),
), min_size=1, max_size=30))
def test_property_random_strings_never_crash(values):
    got = parse_dates_sql(_PROP_CON, values)
    assert len(got) == len(values)
    for ts, has_time in got:
        assert ts is None or (isinstance(ts, dt.datetime) and 2000 <= ts.year <= 2100)
        assert has_time in (True, False, None)
