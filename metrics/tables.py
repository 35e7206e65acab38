"""Every table the dashboard shows and the CLI writes, with Vietnamese headers.

`build(name, con, filters, **options)` is the single entry point; the values are typed (counts
are integers, rates are floats 0–100 or NaN when the denominator is 0, dates are datetime.date).
"""
from __future__ import annotations

import math
from datetime import date
from typing import Callable

import duckdb
import numpy as np
import pandas as pd

from dataclasses import replace

from . import display, labels
from .db import aggregates_answer, plain, query, query_records, run_parallel
from .filters import MAP_LABELS, Filters

# -- raw numbers ----------------------------------------------------------------------------------

KPI_KEYS = (
    "received", "returned", "early", "on_time", "late", "on_time_rate", "late_rate", "pending",
    "pending_overdue", "apology_coverage", "online_share", "avg_score", "commitment_coverage",
)


def kpis(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """Raw KPI numbers for the period (None where there is no data / the denominator is 0).

    received = Biểu 06 col 4+5; returned = col 7; early/on_time/late = col 8/9/10; pending =
    col 11; pending_overdue = col 13. Rates are percentages: on_time_rate = (early+on_time) /
    returned; late_rate = late / returned; apology_coverage = late dossiers (returned late in the
    period + pending overdue at its end) with an apology letter / those late dossiers;
    online_share = online received / received; avg_score = mean of the evaluations counted for
    the period (per unit its finest grain fully inside the period: monthly, else quarterly, else
    yearly); commitment_coverage = signed / headcount over the years the period touches.
    Also returned: late_dossiers, late_with_apology, received_online (the numerators)."""
    return _by_period(query_records(con, "kpis", filters, with_prev=False))["cur"]


def _by_period(rows: list[dict]) -> dict[str, dict]:
    """Rows of a KPI query (metrics.db.query_records) -> {period: {column: plain value}} ('cur',
    'prev'; a query without a period column gives one row, 'cur')."""
    return {row.pop("period", "cur"): row for row in rows}


def evidence_kpis(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """Satisfaction and inspections for the period (None without answers / officials checked):
    very_satisfied_share = "Rất hài lòng" answers / answers of the survey months lying wholly
    inside the period (%); violations_per_100 = 100 × violations / officials checked by the
    inspections on the days of the period. Also returned: survey_responses, very_satisfied,
    inspected, violations. A warehouse built before these tables existed (its next load adds
    them) gives None for all, so the overview still opens."""
    return _evidence_by_period(con, filters, with_prev=False)["cur"]


EVIDENCE_KEYS = ("survey_responses", "very_satisfied", "very_satisfied_share", "inspected", "violations",
                 "violations_per_100")


def _evidence_by_period(con, filters: Filters, with_prev: bool) -> dict[str, dict]:
    try:
        return _by_period(query_records(con, "evidence_kpis", filters, with_prev=with_prev))
    except duckdb.CatalogException:
        return {p: dict.fromkeys(EVIDENCE_KEYS) for p in ("cur", "prev")}


def freshness(con: duckdb.DuckDBPyConnection) -> dict:
    """data_until: last day with data (latest dossier received/returned date, survey month end,
    inspection day or commendation decision, else the end of the latest evaluation period, else
    31/12 of the latest staff-rating year); is_demo from meta; months_with_data: (first, last)
    month, as the first day of each month, or (None, None) for an empty warehouse. Year-end staff
    ratings count only when nothing else is loaded (the default period is the last month: a
    rating "of 2024" must not pull it to December)."""
    df = query(con, "freshness")
    row = {c: plain(df[c].iloc[0]) for c in df.columns}
    first, last = row["first_month"], row["last_month"]
    return {
        "data_until": row["data_until"],
        "is_demo": bool(row["is_demo"] or False),
        "months_with_data": (first, last),
    }


# The tables that show a classification (Xếp loại, or counts per class): their page, CSV title
# and the report name the law the classification was made under (classification_laws).
CLASSIFICATION_TABLES = ("ranking", "unit_history")
LAW_PREFIX = "Xếp loại theo: "


def classification_laws(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[str]:
    """The legal basis of the classification bands in force during the period, oldest first
    (classification_bands.legal_basis): one law, or both across 01/01/2026; [] when the bands
    carry none."""
    try:
        return [str(v) for v in query(con, "bands_law", filters)["legal_basis"]]
    except duckdb.BinderException:   # a warehouse built before legal_basis (its next load adds it)
        return []


def law_line(laws: tuple[str, ...] | list[str]) -> str:
    """'Xếp loại theo: Nghị định 335/2025/NĐ-CP' (several laws joined by '; '), '' without any."""
    return LAW_PREFIX + "; ".join(laws) if laws else ""


def merger_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The first day of the successor units (the day after the last day of the units that have
    a successor: 01/07/2025), or None when the registry has no successor."""
    value = plain(query(con, "merger_date")["merger_date"].iloc[0])
    return value.date() if isinstance(value, (pd.Timestamp,)) else value


def unit_options(con: duckdb.DuckDBPyConnection, scope: tuple[str, ...] | None = None) -> pd.DataFrame:
    """DataFrame(unit_id, name, kind, valid_from, valid_to, level) of the units `scope` allows
    (None = all; lineage included), in Vietnamese order. Names shared by two units carry their validity,
    e.g. "Xã Phước Hữu (đến 30/06/2025)" / "Xã Phước Hữu (từ 01/07/2025)"."""
    return query(con, "unit_options", scope=scope)


def bieu06_title(filters: Filters, unit_names: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Title block of Biểu số 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP)."""
    lines = [
        "Biểu số 06/VPCP/KSTT",
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
        f"(Từ ngày {filters.date_from:%d/%m/%Y} đến ngày {filters.date_to:%d/%m/%Y})",
    ]
    if unit_names:
        lines.append("Đơn vị: " + "; ".join(unit_names))
    lines.append("Đơn vị tính: Số hồ sơ TTHC")
    return lines


# -- tables ---------------------------------------------------------------------------------------

OVERVIEW_ROWS = (
    ("received", "Hồ sơ tiếp nhận"),
    ("returned", "Hồ sơ đã giải quyết"),
    ("early", "Giải quyết trước hạn"),
    ("on_time", "Giải quyết đúng hạn"),
    ("late", "Giải quyết quá hạn"),
    ("on_time_rate", "Tỷ lệ giải quyết đúng hạn (%)"),
    ("late_rate", "Tỷ lệ giải quyết quá hạn (%)"),
    ("pending", "Hồ sơ đang giải quyết"),
    ("pending_overdue", "Hồ sơ đang giải quyết quá hạn"),
    ("apology_coverage", "Tỷ lệ hồ sơ quá hạn có phiếu xin lỗi (%)"),
    ("online_share", "Tỷ lệ hồ sơ tiếp nhận trực tuyến (%)"),
    ("avg_score", "Điểm đánh giá trung bình"),
    ("commitment_coverage", "Tỷ lệ ký cam kết (%)"),
    ("very_satisfied_share", "Tỷ lệ rất hài lòng (%)"),
    ("violations_per_100", "Vi phạm / 100 lượt kiểm tra"),
)


def overview_numbers(con, filters: Filters) -> tuple[dict, dict]:
    """kpis | evidence_kpis of the period and of the previous equal period. From the aggregates
    (whole months) one query answers both periods (sql/agg/overview.sql); otherwise the KPIs of
    each period and the evidence of both, side by side on a read-only warehouse
    (metrics.db.run_parallel)."""
    if aggregates_answer(con, "overview", filters):
        try:
            rows = _by_period(query_records(con, "overview", filters, with_prev=True))
            return rows["cur"], rows["prev"]
        except duckdb.CatalogException:   # a warehouse from before the evidence tables
            pass
    k_cur, k_prev, evidence = run_parallel(con, [(kpis, filters), (kpis, filters.previous()),
                                                 (_evidence_by_period, filters, True)])
    return {**k_cur, **evidence["cur"]}, {**k_prev, **evidence["prev"]}


def overview_frame(cur: dict, prev: dict) -> pd.DataFrame:
    """The overview table from overview_numbers (a page that already has them asks no query)."""
    rows = []
    for key, label in OVERVIEW_ROWS:
        a, b = cur[key], prev[key]
        rows.append((label, a, b, None if a is None or b is None else a - b))
    return pd.DataFrame(rows, columns=["Chỉ tiêu", "Kỳ này", "Kỳ trước", "Thay đổi"], dtype=object)


def overview(con, filters: Filters) -> pd.DataFrame:
    """KPI rows: Chỉ tiêu, Kỳ này, Kỳ trước, Thay đổi (this - previous; percentage points for
    rates). Counts stay int, rates/scores float, None where there is no data."""
    return overview_frame(*overview_numbers(con, filters))


def trend(con, filters: Filters) -> pd.DataFrame:
    df = query(con, "trend", filters)
    return df.rename(columns={
        "month_label": "Tháng",
        "received": "Hồ sơ tiếp nhận",
        "returned": "Đã giải quyết",
        "on_time_rate": "Tỷ lệ đúng hạn (%)",
        "late_rate": "Tỷ lệ quá hạn (%)",
        "online_share": "Tỷ lệ trực tuyến (%)",
        "avg_score": "Điểm đánh giá TB",
    })


RANKING_COLUMNS = {
    "rank": "Hạng",
    "unit_name": "Đơn vị",
    "kind": "Loại đơn vị",
    "avg_score": "Điểm TB",
    "n_evaluations": "Số kỳ đánh giá",
    "n_xuat_sac": "Xuất sắc",
    "n_tot": "Tốt",
    "n_hoan_thanh": "Hoàn thành",
    "n_khong_hoan_thanh": "Không hoàn thành",
    "prev_rank": "Hạng kỳ trước",
    "rank_change": "Thay đổi hạng",
}


def report_units(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """DataFrame(report_id, name, kind): the units the filters' rows are reported under on their
    map (asis: the units themselves; new: predecessors replaced by their last successor)."""
    return query(con, "report_units", filters)


def reported_under(con: duckdb.DuckDBPyConnection, scope: tuple[str, ...] | None = None,
                   map: str = "new") -> dict[str, str]:
    """unit_id -> the unit its rows are reported under on `map`, for the units `scope` allows
    (under "new": an old commune -> its commune from 01/07/2025; other units -> themselves)."""
    f = Filters(date(2000, 1, 1), date(2000, 1, 1), scope=scope, map=map)
    df = query(con, "unit_reports", f)
    return dict(zip(df["unit_id"].astype(str), df["report_id"].astype(str)))


def unit_notes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """DataFrame(unit_id, name, partial_note) of the units with a note (unit_notes table; empty
    for a warehouse made before that table existed)."""
    try:
        return query(con, "unit_notes")
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["unit_id", "name", "partial_note"])


def _public_filters(con, filters: Filters) -> Filters:
    """The filters of what is announced publicly to a scoped viewer (scores and ranks): every
    unit of the kinds the filters choose, else of the kinds of the viewer's own units; the
    period, map and previous period unchanged."""
    kinds = filters.kinds
    if not kinds:
        own = unit_options(con, filters.scope)
        kinds = tuple(sorted(set(own["kind"]))) if not own.empty else ()
    return replace(filters, scope=None, units=(), kinds=kinds)


def _own_units(con, filters: Filters) -> set[str]:
    """The report units of a scoped viewer's own units (the scope, whatever the selection): the
    rows of the public ranking whose other columns it may see."""
    return set(report_units(con, replace(filters, units=()))["report_id"])


# Columns a scoped viewer sees for units outside the scope in the public ranking: the score and
# rank only (the numbers of evaluation sheets and their classifications stay within the scope).
RANKING_PUBLIC = ("rank", "unit_id", "unit_name", "kind", "avg_score", "prev_rank", "rank_change")


def ranking(con, filters: Filters) -> pd.DataFrame:
    """Units by average score (one decimal, competition ranking 1, 1, 3; units whose evaluations
    carry no score come last without a rank). Thay đổi hạng = previous rank - rank (> 0 moved up).
    The index is the unit_id (not a column: a page links a row to its unit, the CSV leaves it out).

    A unit is as the map reports it (under "new": a commune from 01/07/2025 with its
    predecessors; score = docs/map.md's rule, counts summed). With an access scope (a commune
    viewer) the ranking is the PUBLIC one, as announced: every unit of the viewer's kinds with
    its score and rank, whatever the scope; the other columns are filled for the scope's units
    only (docs/access.md)."""
    if filters.scope is None:
        df = query(con, "ranking", filters)
    else:
        df = query(con, "ranking", _public_filters(con, filters))
        outside = ~df["unit_id"].isin(_own_units(con, filters))
        for col in df.columns:
            if col not in RANKING_PUBLIC:
                df[col] = df[col].astype("Int64").mask(outside)
    df["kind"] = df["kind"].map(labels.KIND_LABELS).astype(object)
    df.index = pd.Index(df["unit_id"].astype(object), name="unit_id")
    return df.rename(columns=RANKING_COLUMNS)[list(RANKING_COLUMNS.values())]


def _top(con, filters: Filters, worst: bool, n: int) -> pd.DataFrame:
    if filters.scope is None:
        df = query(con, "unit_scores_top", filters, worst=worst, n=int(n))
    else:   # the public ranking, as `ranking` (its rank is the one Xếp hạng shows)
        df = query(con, "unit_scores_top", _public_filters(con, filters), worst=worst, n=int(n))
        df["on_time_rate"] = df["on_time_rate"].astype("Float64").mask(~df["unit_id"].isin(_own_units(con, filters)))
    return df.drop(columns="unit_id").rename(columns={"rank": "Hạng", "unit_name": "Đơn vị", "avg_score": "Điểm TB",
                                                      "on_time_rate": "Tỷ lệ đúng hạn (%)"})


def top_units(con, filters: Filters, n: int = 5) -> pd.DataFrame:
    """Best n units by average score: Hạng, Đơn vị, Điểm TB, Tỷ lệ đúng hạn (%). With an access
    scope (a commune viewer) among the units of the public ranking (see `ranking`), the on-time
    rate only for the scope's units."""
    return _top(con, filters, False, n)


def bottom_units(con, filters: Filters, n: int = 5) -> pd.DataFrame:
    """Worst n units by average score, worst first (same columns as top_units)."""
    return _top(con, filters, True, n)


def heatmap(con, filters: Filters) -> pd.DataFrame:
    """Monthly evaluation scores, long format: Đơn vị, Tháng (mm/yyyy), Điểm."""
    df = query(con, "heatmap", filters)
    return df.rename(columns={"unit_name": "Đơn vị", "month_label": "Tháng", "score": "Điểm"})


GENERAL_POINTS = "Tiêu chí chung (tối đa 30)"
TASK_POINTS = "Kết quả nhiệm vụ (tối đa 70)"


def unit_history(con, filters: Filters, unit_id: str) -> pd.DataFrame:
    """One unit's monthly evaluations: Tháng, Điểm, Xếp loại, Hạng trong tháng, Số đơn vị xếp hạng;
    when the period holds evaluations under ND 335/2025 (from 2026), the two parts after Điểm:
    Tiêu chí chung (tối đa 30), Kết quả nhiệm vụ (tối đa 70) (empty for months before 2026 and
    for a month combining several units under the new map).
    `unit_id` is a unit as the map reports it (a ranking row's index). The rank is among the
    units the scope and kinds allow (the `units` selection is ignored so a single selected
    commune is not trivially first); for a scoped viewer among the public ranking's units (see
    ranking). A unit outside the scope gives no rows."""
    base = replace(filters, units=())
    if filters.scope is not None:
        if str(unit_id) not in _own_units(con, filters):
            base = replace(base, scope=())     # outside the scope: nothing
        else:
            base = _public_filters(con, filters)
    df = query(con, "unit_history", base, unit_id=str(unit_id))
    df["classification"] = df["classification"].map(labels.CLASSIFICATION_LABELS).astype(object)
    if df["general_points"].isna().all() and df["task_points"].isna().all():
        df = df.drop(columns=["general_points", "task_points"])   # no ND 335 evaluation in the period
    return df.rename(columns={"month_label": "Tháng", "score": "Điểm", "general_points": GENERAL_POINTS,
                              "task_points": TASK_POINTS, "classification": "Xếp loại",
                              "rank": "Hạng trong tháng", "n_ranked": "Số đơn vị xếp hạng"})


LATE_RATE_COLUMNS = {
    "unit_name": "Đơn vị",
    "field": "Lĩnh vực",
    "procedure_name": "Thủ tục",
    "received": "Hồ sơ tiếp nhận",
    "returned": "Đã giải quyết",
    "early": "Trước hạn",
    "on_time": "Đúng hạn",
    "late": "Quá hạn",
    "late_rate": "Tỷ lệ quá hạn (%)",
    "on_time_rate": "Tỷ lệ đúng hạn (%)",
}
_LATE_RATE_SQL = {"unit": "late_rates_by_unit", "field": "late_rates_by_field",
                  "procedure": "late_rates_by_procedure"}


def late_rates(con, filters: Filters, by: str = "unit") -> pd.DataFrame:
    """Per unit / field / procedure: received in the period, returned in it, early / on time /
    late, late rate and on-time rate (%), worst late rate first."""
    if by not in _LATE_RATE_SQL:
        raise ValueError(f"by phải là một trong: {', '.join(_LATE_RATE_SQL)}")
    return query(con, _LATE_RATE_SQL[by], filters).rename(columns=LATE_RATE_COLUMNS)


BIEU06_COLUMNS = {
    "stt": "(1) STT",
    "label": "(2) Lĩnh vực, công việc giải quyết theo cấp",
    "c3": "(3) Tổng số hồ sơ nhận giải quyết",
    "c4": "(4) Trong kỳ: Trực tuyến",
    "c5": "(5) Trong kỳ: Trực tiếp, dịch vụ bưu chính",
    "c6": "(6) Từ kỳ trước",
    "c7": "(7) Tổng số đã giải quyết",
    "c8": "(8) Trước hạn",
    "c9": "(9) Đúng hạn",
    "c10": "(10) Quá hạn",
    "c11": "(11) Tổng số đang giải quyết",
    "c12": "(12) Trong hạn",
    "c13": "(13) Quá hạn",
}


def bieu06(con, filters: Filters) -> pd.DataFrame:
    """Biểu số 06/VPCP/KSTT: level heading rows carry the level subtotal (STT I, II, III in the
    order "Cấp tỉnh", "Cấp huyện", "Cấp xã", as units.level; only the levels with dossiers),
    field rows numbered 1, 2, … within their level (Vietnamese order), and a last "Tổng cộng"
    row. Without any dossier the table is just the total row of zeros."""
    df = query(con, "bieu06", filters, total_label="Tổng cộng", level_province=labels.LEVEL_PROVINCE,
               level_district=labels.LEVEL_DISTRICT, level_commune=labels.LEVEL_COMMUNE)
    return df.drop(columns=["row_level"]).rename(columns=BIEU06_COLUMNS)


BIEU06_UNIT_LABEL = "(2) Cơ quan, đơn vị giải quyết theo cấp"


def bieu06_by_unit(con, filters: Filters) -> pd.DataFrame:
    """Biểu 06 with a row per unit instead of per field (the report's annex): the level rows (STT
    I, II, III: "Cấp tỉnh", "Cấp huyện", "Cấp xã" as units.level, the levels with dossiers) with
    their subtotals, the units numbered within their level in Vietnamese order, and the total row;
    the columns of `bieu06` (column (2) "Cơ quan, đơn vị giải quyết theo cấp"), the same totals. Each unit's row is its own dossiers (not those of the
    units merged into it, whatever the map), named as in the period; units without a dossier in
    column (3) are left out. One query for all units."""
    columns = list(BIEU06_COLUMNS.values())
    columns[1] = BIEU06_UNIT_LABEL
    counts = columns[2:]
    own = query(con, "bieu06_units", filters).set_index("unit_id")
    own.columns = counts
    units = unit_options(con)   # Vietnamese order, the unit's level
    units = units[units["unit_id"].isin(own.index)]
    rows = []
    grand = pd.Series(0, index=counts, dtype="int64")
    shown = 0
    for level, label in labels.LEVEL_LABELS.items():   # the form's order: tỉnh, huyện, xã
        part = units[units["level"] == level]
        if part.empty:
            continue
        block = own.loc[list(part["unit_id"]), counts].astype("int64")
        subtotal = block.sum()
        grand = grand + subtotal
        rows.append([("I", "II", "III")[shown], label, *subtotal.tolist()])
        shown += 1
        for i, (name, values) in enumerate(zip(part["name"], block.itertuples(index=False)), start=1):
            rows.append([str(i), display.drop_validity_suffix(name, filters.date_from, filters.date_to), *values])
    rows.append([None, "Tổng cộng", *grand.tolist()])
    df = pd.DataFrame(rows, columns=columns)
    for c in counts:
        df[c] = df[c].astype("Int64")
    return df


def late_dossiers(con, filters: Filters, limit: int | None = None, only_missing: bool = False) -> pd.DataFrame:
    """Dossiers returned late within the period and dossiers pending and overdue at its end,
    longest overdue first. Ngày trả is empty for dossiers not returned by the end of the period.
    limit: only the first rows of that order; only_missing: only those without an apology letter.
    How many there are: kpis' late_dossiers and late_with_apology (the same dossiers)."""
    df = query(con, "late_dossiers", filters, limit=int(limit) if limit is not None else 2**62,
               only_missing=bool(only_missing))
    df["returned"] = np.where(df["returned"].astype(bool), "Trả quá hạn", "Quá hạn chưa trả")
    df["apology_issued"] = np.where(df["apology_issued"].astype(bool), "Đã có", "Chưa có")
    return df.rename(columns={
        "dossier_id": "Mã hồ sơ",
        "unit_name": "Đơn vị",
        "field": "Lĩnh vực",
        "procedure_name": "Thủ tục",
        "received_on": "Ngày tiếp nhận",
        "due_on": "Hạn trả",
        "returned_on": "Ngày trả",
        "returned": "Trạng thái",
        "days_late": "Số ngày quá hạn",
        "apology_issued": "Phiếu xin lỗi",
    })


def commitments(con, filters: Filters, year: int | None = None) -> pd.DataFrame:
    """Per unit and commitment for `year` (default: the year of the period's last day):
    Đơn vị, Cam kết, Số CBCCVC, Đã ký, Tỷ lệ (%), Còn thiếu."""
    df = query(con, "commitments", filters, year=int(year if year is not None else filters.date_to.year))
    df["commitment"] = df["commitment"].map(labels.COMMITMENT_LABELS).astype(object)
    return df.rename(columns={"unit_name": "Đơn vị", "commitment": "Cam kết", "headcount": "Số CBCCVC",
                              "signed": "Đã ký", "coverage": "Tỷ lệ (%)", "missing": "Còn thiếu"})


def commitments_by_year(con, filters: Filters) -> pd.DataFrame:
    """Coverage by year and commitment over every year on record (the period's dates are not
    used; units/kinds/scope are): Năm, Cam kết, Số đơn vị, Số CBCCVC, Đã ký, Tỷ lệ (%)."""
    df = query(con, "commitments_by_year", filters)
    df["commitment"] = df["commitment"].map(labels.COMMITMENT_LABELS).astype(object)
    return df.rename(columns={"year": "Năm", "commitment": "Cam kết", "n_units": "Số đơn vị",
                              "headcount": "Số CBCCVC", "signed": "Đã ký", "coverage": "Tỷ lệ (%)"})


# -- the rest of the evidence: surveys, inspections, staff ratings, commendations -------------------

SATISFACTION_COLUMNS = {
    "unit_name": "Đơn vị",
    "month_label": "Tháng",
    "very_satisfied_share": "Tỷ lệ rất hài lòng (%)",
    "satisfied_share": "Tỷ lệ hài lòng trở lên (%)",
    "responses": "Số phiếu",
    "very_satisfied": "Rất hài lòng",
    "satisfied": "Hài lòng",
    "neutral": "Bình thường",
    "dissatisfied": "Không hài lòng",
}


def _columns(df: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Rename to the Vietnamese headings, in the order of `names` (those the query gave)."""
    return df.rename(columns=names)[[v for k, v in names.items() if k in df.columns]]


def satisfaction(con, filters: Filters) -> pd.DataFrame:
    """Survey answers per unit over the survey months lying wholly inside the period: Đơn vị,
    Tỷ lệ rất hài lòng (%), Tỷ lệ hài lòng trở lên (%) (rất hài lòng + hài lòng), Số phiếu and the
    four answers. Shares from the summed counts; lowest very-satisfied share first. Units without
    answers are not listed."""
    return _columns(query(con, "satisfaction_by_unit", filters), SATISFACTION_COLUMNS)


def satisfaction_by_month(con, filters: Filters) -> pd.DataFrame:
    """The same per month (Tháng mm/yyyy) of the period that has answers, all units together."""
    return _columns(query(con, "satisfaction_by_month", filters), SATISFACTION_COLUMNS)


PER_100 = "Vi phạm / 100 lượt kiểm tra"
INSPECTION_COLUMNS = {
    "unit_name": "Đơn vị",
    "per_100": PER_100,
    "violations": "Tổng vi phạm",
    "visits": "Số lần kiểm tra",
    "checked": "Lượt CBCCVC được kiểm tra",
    **labels.INSPECTION_KIND_LABELS,
}


def inspections(con, filters: Filters) -> pd.DataFrame:
    """Surprise inspections per unit over the days of the period: Đơn vị, Vi phạm / 100 lượt
    kiểm tra (100 × violations / officials checked, from the sums), Tổng vi phạm, Số lần kiểm
    tra, Lượt CBCCVC được kiểm tra, and the violations of each kind. Highest rate first."""
    return _columns(query(con, "inspections_by_unit", filters), INSPECTION_COLUMNS)


def inspections_by_kind(con, filters: Filters) -> pd.DataFrame:
    """One row per kind of violation (fixed order): Loại vi phạm, Số vi phạm, Vi phạm / 100 lượt
    kiểm tra, Tỷ lệ trong tổng vi phạm (%). No rows without a visit in the period."""
    df = query(con, "inspections_by_kind", filters)
    df["kind"] = df["kind"].map(labels.INSPECTION_KIND_LABELS).astype(object)
    return df.rename(columns={"kind": "Loại vi phạm", "violations": "Số vi phạm", "per_100": PER_100,
                              "share": "Tỷ lệ trong tổng vi phạm (%)"})


def inspections_trend(con, filters: Filters, by: str = "year") -> pd.DataFrame:
    """Per year (by='year': Năm "2022") or quarter (by='quarter': Quý "Quý I/2022") of the
    period: Số lần kiểm tra, Lượt CBCCVC được kiểm tra, Tổng vi phạm, Vi phạm / 100 lượt kiểm tra."""
    if by not in ("year", "quarter"):
        raise ValueError("by phải là year hoặc quarter")
    df = query(con, "inspections_trend", filters, by=by)
    return df.rename(columns={"period_label": "Năm" if by == "year" else "Quý", "visits": "Số lần kiểm tra",
                              "checked": "Lượt CBCCVC được kiểm tra", "violations": "Tổng vi phạm",
                              "per_100": PER_100})


OVER_CAP, XUAT_SAC_OF_TOT = display.OVER_CAP, display.XUAT_SAC_OF_TOT
STAFF_RATING_COLUMNS = {
    "year": "Năm",
    "unit_name": "Đơn vị",
    "over_cap": OVER_CAP,           # third: on a phone the flag is in sight
    "xuat_sac_of_tot": XUAT_SAC_OF_TOT,
    "headcount": "Số CBCCVC",
    "xuat_sac": "Xuất sắc",
    "tot": "Tốt",
    "hoan_thanh": "Hoàn thành",
    "khong_hoan_thanh": "Không hoàn thành",
    "not_rated": "Chưa xếp loại",
    "rule": "Căn cứ",
}


def _rule_name(legal_basis, enforced) -> object:
    if legal_basis is None or legal_basis is pd.NA or (isinstance(legal_basis, float) and math.isnan(legal_basis)):
        return None
    return str(legal_basis) if bool(enforced) else f"{legal_basis} (tham khảo)"


def staff_ratings(con, filters: Filters) -> pd.DataFrame:
    """Officials' year-end classes per unit and year, for the years the period touches (latest
    first): Năm, Đơn vị, Vượt tỷ lệ 20 % ("Có" when the unit is over the cap of the rule in force
    on 31/12 of the year and that rule is enforced — data/reference/rating_rules.csv —, else
    empty), Xuất sắc / Tốt (%) (xuất sắc as a share of tốt), Số CBCCVC, the four classes,
    Chưa xếp loại (headcount - rated), Căn cứ (the rule's legal basis, "(tham khảo)" when it is
    not enforced)."""
    df = query(con, "staff_ratings", filters)
    df["over_cap"] = np.where(df["over_cap"].astype(bool), "Có", "")
    df["over_cap"] = df["over_cap"].astype(object)
    df["rule"] = pd.Series([_rule_name(b, e) for b, e in zip(df["legal_basis"], df["enforced"])],
                           index=df.index, dtype=object)
    df["year"] = df["year"].astype("Int64")
    return _columns(df, STAFF_RATING_COLUMNS)


def rating_rules(con, filters: Filters) -> pd.DataFrame:
    """The rating rule in force on 31/12 of each year the period touches (latest first): Năm,
    Căn cứ, Tỷ lệ tối đa (%) (xuất sắc / tốt), Áp dụng ("Bắt buộc" or "Tham khảo"), Ghi chú."""
    df = query(con, "rating_rules_by_year", filters)
    df["enforced"] = np.where(df["enforced"].astype(bool), "Bắt buộc", "Tham khảo")
    df["enforced"] = df["enforced"].astype(object)
    return df.rename(columns={"year": "Năm", "legal_basis": "Căn cứ", "max_share": "Tỷ lệ tối đa (%)",
                              "enforced": "Áp dụng", "note": "Ghi chú"})


COMMENDATION_COLUMNS = {
    "year": "Năm",
    "unit_name": "Đơn vị",
    "form": "Hình thức",
    "total": "Tổng số",
    "collective": "Tập thể",
    "individual": "Cá nhân",
}


def commendations(con, filters: Filters) -> pd.DataFrame:
    """Commendations decided within the period per year, unit and form (latest year first):
    Năm, Đơn vị, Hình thức, Tổng số, Tập thể, Cá nhân (recipients)."""
    df = query(con, "commendations", filters)
    df["year"] = df["year"].astype("Int64")
    return _columns(df, COMMENDATION_COLUMNS)


def commendations_by_form(con, filters: Filters) -> pd.DataFrame:
    """The same per year and form, all selected units together: Năm, Hình thức, Tổng số, Tập
    thể, Cá nhân."""
    df = query(con, "commendations_by_form", filters)
    df["year"] = df["year"].astype("Int64")
    return _columns(df, COMMENDATION_COLUMNS)


def commendation_decisions(con, filters: Filters) -> pd.DataFrame:
    """The decisions of the period, one row per recipient, latest first: Ngày quyết định, Số quyết
    định, Cấp khen thưởng, Hình thức, Đối tượng (Tập thể / Cá nhân), Tập thể, cá nhân được khen,
    Đơn vị."""
    df = query(con, "commendation_decisions", filters)
    df["recipient_kind"] = df["recipient_kind"].map(labels.RECIPIENT_KIND_LABELS).astype(object)
    return _columns(df, {
        "decided_on": "Ngày quyết định",
        "decision_no": "Số quyết định",
        "level": "Cấp khen thưởng",
        "form": "Hình thức",
        "recipient_kind": "Đối tượng",
        "recipient_name": "Tập thể, cá nhân được khen",
        "unit_name": "Đơn vị",
    })


TABLES: dict[str, Callable[..., pd.DataFrame]] = {
    "overview": overview,
    "trend": trend,
    "top_units": top_units,
    "bottom_units": bottom_units,
    "ranking": ranking,
    "heatmap": heatmap,
    "unit_history": unit_history,
    "late_rates": late_rates,
    "bieu06": bieu06,
    "bieu06_by_unit": bieu06_by_unit,
    "late_dossiers": late_dossiers,
    "commitments": commitments,
    "commitments_by_year": commitments_by_year,
    "satisfaction": satisfaction,
    "satisfaction_by_month": satisfaction_by_month,
    "inspections": inspections,
    "inspections_by_kind": inspections_by_kind,
    "inspections_trend": inspections_trend,
    "staff_ratings": staff_ratings,
    "rating_rules": rating_rules,
    "commendations": commendations,
    "commendations_by_form": commendations_by_form,
    "commendation_decisions": commendation_decisions,
}


def build(name: str, con: duckdb.DuckDBPyConnection, filters: Filters, **options) -> pd.DataFrame:
    """The table `name` (see TABLES) for the filters. Options: top_units/bottom_units n=5;
    unit_history unit_id=...; late_rates by='unit'|'field'|'procedure'; late_dossiers limit=None;
    commitments year=None; inspections_trend by='year'|'quarter'."""
    try:
        fn = TABLES[name]
    except KeyError:
        raise ValueError(f"Không có bảng '{name}'. Các bảng: {', '.join(TABLES)}") from None
    return fn(con, filters, **options)


def shown(name: str, con: duckdb.DuckDBPyConnection, filters: Filters, **options) -> pd.DataFrame:
    """The table `name` as the dashboard shows it and its CSV download / `python -m metrics`
    hold it: build(...) in its display shape (metrics.display.shape: unit names without a
    validity the dates cannot need, column order, the commitments pivot, ...)."""
    return display.shape(name, build(name, con, filters, **options), filters, **options)


def selected_unit_names(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[str]:
    """Names of the selected units (filters.units, in that order) the scope allows, as the
    tables name them for the filters' period (see display.drop_validity_suffix)."""
    if not filters.units:
        return []
    opts = unit_options(con, filters.scope)
    label = dict(zip(opts["unit_id"], opts["name"]))
    return [display.drop_validity_suffix(label[u], filters.date_from, filters.date_to)
            for u in filters.units if u in label]


MAP_TITLE = {
    "new": "Địa giới: " + MAP_LABELS["new"]
           + " – số liệu của các đơn vị đã sáp nhập được tính vào xã mới",
}
NOTE_PREFIX = "Ghi chú: "


def table_notes(con: duckdb.DuckDBPyConnection, filters: Filters, df: pd.DataFrame | None = None) -> list[str]:
    """The notes (unit_notes) a table must carry: of the units it names (its "Đơn vị" column,
    with or without a validity suffix) and of the units the filters select (or a scoped viewer
    sees) as the map reports them (a selected new commune, or under "new" a predecessor)."""
    notes = unit_notes(con)
    if notes.empty:
        return []
    named: set[str] = set()
    if df is not None and display.UNIT_COLUMN in getattr(df, "columns", ()):
        named = {_plain(v) for v in df[display.UNIT_COLUMN] if isinstance(v, str)}
    # what the filters select: the chosen units, or a scoped viewer's own units
    selected = (set(report_units(con, filters)["report_id"])
                if filters.units or filters.scope is not None else set())
    return [str(n.partial_note) for n in notes.itertuples(index=False)
            if n.unit_id in selected or _plain(n.name) in named]


def _plain(name: str) -> str:
    return display.VALIDITY_SUFFIX.sub("", name)


def map_title(filters: Filters, notes: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Title lines saying which map a table is on (none for the default asis map, so its CSV is
    what it always was) and the notes of the units it shows."""
    lines = [MAP_TITLE[filters.map]] if filters.map in MAP_TITLE else []
    return lines + [NOTE_PREFIX + n for n in notes]


BIEU06_TABLES = ("bieu06", "bieu06_by_unit")   # titled with the form's title block


def csv_title(name: str, filters: Filters, unit_names: tuple[str, ...] | list[str] = (),
              notes: tuple[str, ...] | list[str] = (), laws: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Lines above the table in its CSV (one cell each): the Biểu 06 title block (naming
    `unit_names`, see selected_unit_names) for `bieu06`; then, for every table, the map line
    under the new map and the `notes` (table_notes); last, for a table of CLASSIFICATION_TABLES,
    the law its classifications were made under (`laws`: classification_laws)."""
    lines = bieu06_title(filters, unit_names) if name in BIEU06_TABLES else []
    lines += map_title(filters, notes)
    return lines + [law_line(laws)] if name in CLASSIFICATION_TABLES and laws else lines
