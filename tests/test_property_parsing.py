"""Property-based tests (hypothesis) of header recognition and date parsing: for every spelling
and every date a generator can produce, the ETL reads what a person means, and never reads a
month-first date as another day."""
from __future__ import annotations

import datetime as dt
import string

import duckdb
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from etl.headers import COLUMN_LABELS, REQUIRED, SYNONYMS, detect_header, match_heading
from etl.load import number_of, parse_dates_sql
from etl.sources.evaluations import period_of
from etl.text import fold

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_CON = duckdb.connect(config={"autoinstall_known_extensions": "false"})


def parse(text: str) -> dt.datetime | None:
    return parse_dates_sql(_CON, [text])[0][0]


# -- dates --------------------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
times = st.times().map(lambda t: t.replace(microsecond=0))


def _dmy(d: dt.date, sep: str, pad: bool) -> str:
    day, month = (f"{d.day:02d}", f"{d.month:02d}") if pad else (str(d.day), str(d.month))
    return f"{day}{sep}{month}{sep}{d.year}"


@SETTINGS
@given(d=dates, sep=st.sampled_from(["/", "-", "."]), pad=st.booleans(),
       spaces=st.sampled_from(["", " ", "  ", "\t"]))
def test_day_first_dates_are_read_as_written(d, sep, pad, spaces):
    assert parse(f"{spaces}{_dmy(d, sep, pad)}{spaces}") == dt.datetime(d.year, d.month, d.day)


@SETTINGS
@given(d=dates, t=times, seconds=st.booleans(), pad=st.booleans())
def test_date_and_time(d, t, seconds, pad):
    clock = f"{t.hour:02d}:{t.minute:02d}" + (f":{t.second:02d}" if seconds else "")
    expected = dt.datetime.combine(d, t.replace(second=t.second if seconds else 0))
    assert parse(f"{_dmy(d, '/', pad)} {clock}") == expected
    assert parse(f"{d:%Y-%m-%d} {clock}") == expected
    assert parse(f"{clock} {_dmy(d, '/', pad)}") == expected   # time first, as some exports write


@SETTINGS
@given(d=dates)
def test_iso_dates(d):
    assert parse(d.isoformat()) == dt.datetime(d.year, d.month, d.day)


@SETTINGS
@given(d=dates.filter(lambda d: d.day > 12), sep=st.sampled_from(["/", "-", "."]))
@example(d=dt.date(2023, 5, 13), sep="/")
def test_month_first_is_never_read_as_another_date(d, sep):
    """05/13/2023 has no 13th month: rejected, not guessed."""
    assert parse(f"{d.month:02d}{sep}{d.day:02d}{sep}{d.year}") is None


@SETTINGS
@given(a=st.integers(1, 12), b=st.integers(1, 12), year=st.integers(2000, 2100))
def test_an_ambiguous_date_is_day_first(a, b, year):
    """05/03/2023 is 5 March (Vietnamese order), whatever the numbers."""
    assert parse(f"{a:02d}/{b:02d}/{year}") == dt.datetime(year, b, a)


@SETTINGS
@given(day=st.integers(1, 31), month=st.integers(1, 12), year=st.integers(2000, 2100))
def test_impossible_days_are_rejected(day, month, year):
    try:
        real = dt.date(year, month, day)
    except ValueError:
        real = None
    assert parse(f"{day:02d}/{month:02d}/{year}") == (dt.datetime(year, month, day) if real else None)


@SETTINGS
@given(d=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)).filter(
    lambda d: not 2000 <= d.year <= 2100))
def test_years_outside_2000_2100_are_rejected(d):
    assert parse(_dmy(d, "/", True)) is None


@SETTINGS
@given(d=dates.filter(lambda d: d >= dt.date(2000, 1, 1)), frac=st.sampled_from([0.0, 0.25, 0.5, 0.75]))
def test_excel_serial_numbers(d, frac):
    serial = (d - dt.date(1899, 12, 30)).days + frac
    text = str(int(serial)) if frac == 0 else f"{serial}"
    assume(len(str(int(serial))) == 5)
    assert parse(text) == dt.datetime(d.year, d.month, d.day) + dt.timedelta(days=frac)


@SETTINGS
@given(text=st.text(alphabet=string.ascii_letters + string.punctuation + " ", max_size=20))
def test_text_that_is_not_a_date_is_none_never_an_error(text):
    assume(not any(ch.isdigit() for ch in text))
    assert parse(text) is None


# -- evaluation periods and numbers -------------------------------------------------------------

@SETTINGS
@given(month=st.integers(1, 12), year=st.integers(2000, 2100),
       fmt=st.sampled_from(["Tháng {m:02d}/{y}", "tháng {m}/{y}", "THÁNG {m} NĂM {y}", "T{m}/{y}", "{m:02d}/{y}",
                            "Thang {m:02d}-{y}"]))
def test_monthly_periods(month, year, fmt):
    assert period_of(fmt.format(m=month, y=year)) == ("month", dt.date(year, month, 1))


@SETTINGS
@given(q=st.integers(1, 4), year=st.integers(2000, 2100), roman=st.booleans(),
       fmt=st.sampled_from(["Quý {q}/{y}", "quý {q} năm {y}", "QUÝ {q} - {y}", "Q{q}/{y}"]))
def test_quarterly_periods(q, year, roman, fmt):
    label = ["I", "II", "III", "IV"][q - 1] if roman else str(q)
    assert period_of(fmt.format(q=label, y=year)) == ("quarter", dt.date(year, 3 * (q - 1) + 1, 1))


@SETTINGS
@given(x=st.decimals(min_value=0, max_value=100, places=1))
def test_scores_with_a_decimal_comma_or_point(x):
    text = f"{x:.1f}"
    assert number_of(text) == float(text)
    assert number_of(text.replace(".", ",")) == float(text)


@SETTINGS
@given(n=st.integers(1000, 10**9))
def test_counts_with_thousands_dots(n):
    assert number_of(f"{n:,}".replace(",", ".")) == n
    assert number_of(f"{n:,}".replace(",", " ")) == n


# -- headings -----------------------------------------------------------------------------------

def _respell(draw, text: str) -> str:
    """The same heading as another export might write it: case, spacing, line breaks, with or
    without diacritics."""
    if draw(st.booleans()):
        text = fold(text) if draw(st.booleans()) else text
    words = text.split()
    seps = [draw(st.sampled_from([" ", "  ", "\n", " \n ", "\t"])) for _ in words[1:]]
    out = words[0] + "".join(s + w for s, w in zip(seps, words[1:])) if words else text
    case = draw(st.sampled_from([str, str.upper, str.lower, str.title]))
    return draw(st.sampled_from(["", " "])) + case(out) + draw(st.sampled_from(["", " ", ":"]))


KIND_COLUMNS = {kind: [c for c in cols if c in COLUMN_LABELS] for kind, cols in SYNONYMS.items()}


@st.composite
def spelled_heading(draw):
    kind = draw(st.sampled_from(sorted(SYNONYMS)))
    canonical = draw(st.sampled_from(KIND_COLUMNS[kind]))
    return kind, canonical, _respell(draw, COLUMN_LABELS[canonical])


@SETTINGS
@given(spelled_heading())
def test_a_heading_is_recognised_however_it_is_spelled(case):
    kind, canonical, heading = case
    assert match_heading(heading, kind) == canonical


@SETTINGS
@given(h=st.text(max_size=40))
def test_match_heading_never_fails(h):
    for kind in SYNONYMS:
        assert match_heading(h, kind) in (None, *SYNONYMS[kind])


@st.composite
def export_sheet(draw):
    """A header of a kind (required columns, some optional ones, in any order, any spelling),
    below a title block of 0-6 rows of free text, and a data row."""
    kind = draw(st.sampled_from(sorted(SYNONYMS)))
    required = list(REQUIRED[kind])
    # beyond the required columns, what makes a header of the kind (etl/sources/*.accepts)
    if kind == "evaluations":
        required.append(draw(st.sampled_from(["score", "classification"])))
    if kind == "commitments":
        required.append(draw(st.sampled_from(["office_culture", "smoke_free", "hcm_study"])))
    if kind == "inspections":
        required.append(draw(st.sampled_from(["late_or_absent", "dress", "conduct", "workplace"])))
    optional = [c for c in KIND_COLUMNS[kind] if c not in required and c not in ("commitment", "signed")]
    chosen = required + draw(st.lists(st.sampled_from(optional), unique=True, max_size=len(optional))) if optional \
        else required
    order = draw(st.permutations(chosen))
    header = [_respell(draw, COLUMN_LABELS[c]) for c in order]
    if draw(st.booleans()):
        header = ["STT"] + header
    titles = draw(st.lists(st.lists(st.sampled_from(
        ["UBND HUYỆN NINH PHƯỚC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
         "BÁO CÁO", "(Kèm theo Báo cáo số 176/BC-UBND)", None, ""]), max_size=4), max_size=6))
    return kind, order, header, titles


@SETTINGS
@given(export_sheet())
def test_the_header_row_kind_and_columns_are_found(sheet):
    kind, order, header, titles = sheet
    rows = [list(r) for r in titles] + [header, ["1"] * len(header)]
    hm = detect_header(rows)
    assert hm is not None and hm.kind == kind
    assert hm.header_row == len(titles) and hm.data_start == len(titles) + 1
    offset = 1 if header[0] == "STT" else 0
    for i, canonical in enumerate(order):
        assert hm.columns[canonical] == i + offset
