"""Province-sized synthetic warehouses for benchmarks: `python -m etl demo --scale N`.

`build_scale(n, db=path)` writes a NEW warehouse file holding n dossiers over 01/2019 – 12/2025
for a province-sized unit registry generated here (never data/reference/units.csv):
- 10 former districts × 30 communes (valid until 30/06/2025), merged three by three into 100
  communes from 01/07/2025 (successor_id, so unit_lineage rolls the old ones up into the new);
- 10 specialised departments per former district (until 30/06/2025), 18 provincial departments,
  10 public service units, 10 associations (the last two receive no dossiers, as in the demo).
Distributions follow etl/sources/dossiers_demo.py: on-time rates 95–99.5 % (worse around Tết, in the 2021 COVID
wave and in ~5 % of weak units), online share rising from ~6 % to ~60 %, apology letters for most
late dossiers, dossiers still pending at the end of 12/2025 (a few of them long overdue).

Generation is DuckDB SQL over range(n): every random draw is a hash of (row, stream, seed), so
the same n and seed give the same warehouse whatever the thread count; 10 million rows take
about 25 s on two cores (aggregates included). Row order follows the receipt time (like monthly exports
loaded in order), which is also what lets DuckDB skip row groups on period filters. Rows are
written in chunks of CHUNK, each sorted (hash joins do not keep order): sorting all 10M wide rows
at once spills to disk.
The outcome column is written with etl.derive.OUTCOME_SQL, the same rule a real load uses.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from pathlib import Path

import duckdb
import holidays
import numpy as np
import pyarrow as pa

from . import aggregates, derive, registry
from .progress import Progress, silent
from .sources.dossiers_demo import COMMUNE_PROCEDURES, DEPARTMENT_PROCEDURES, COMMUNE_VOLUME_PER_SIZE
from .text import unit_key
from .warehouse import CONFIG, ROOT, ensure_schema

BENCH_DIR = ROOT / "data" / "bench"
DEFAULT_SEED = 20250701

FIRST_DAY = dt.date(2019, 1, 1)
END_DAY = dt.date(2026, 1, 1)          # exclusive: data until 31/12/2025
MERGE_DAY = dt.date(2025, 7, 1)        # communes merged, districts abolished
AS_OF = dt.datetime(2026, 1, 1)        # returns after this are not known yet (pending)
SLOTS = 1 << 16                        # resolution of the weighted unit draw
PROC_SLOTS = 1 << 12                   # resolution of the weighted procedure draw
CHUNK = 1_000_000                      # rows generated (and sorted) per statement

DISTRICTS = ("Ninh Phước", "Ninh Hải", "Ninh Sơn", "Thuận Bắc", "Thuận Nam", "Bác Ái",
             "Cam Lâm", "Diên Khánh", "Khánh Vĩnh", "Vạn Ninh")
COMMUNES_PER_DISTRICT = 30
MERGED_PER_COMMUNE = 3
_PLACE_FIRST = ("An", "Bình", "Cam", "Diên", "Hòa", "Khánh", "Ninh", "Phước", "Tân", "Vạn",
                "Xuân", "Vĩnh", "Sơn", "Thành", "Mỹ")
_PLACE_SECOND = ("Hải", "Hậu", "Hưng", "Lộc", "Lợi", "Phú", "Thạnh", "Thọ", "Thuận", "Trung",
                 "Đông", "Tây", "Nam", "Bắc", "Hiệp", "Lâm", "Phong", "Quang", "Điền", "Tiến")

# District departments: (procedure group in DEPARTMENT_PROCEDURES or None, name)
DISTRICT_DEPARTMENTS = (
    ("p-tai-nguyen-moi-truong", "Phòng Tài nguyên và Môi trường"),
    ("p-kinh-te-ha-tang", "Phòng Kinh tế – Hạ tầng"),
    ("p-tai-chinh-ke-hoach", "Phòng Tài chính – Kế hoạch"),
    ("p-tu-phap", "Phòng Tư pháp"),
    ("p-lao-dong-tbxh", "Phòng Lao động – Thương binh và Xã hội"),
    ("p-giao-duc-dao-tao", "Phòng Giáo dục và Đào tạo"),
    ("p-van-hoa-thong-tin", "Phòng Văn hóa và Thông tin"),
    ("p-nong-nghiep-ptnt", "Phòng Nông nghiệp và PTNT"),
    ("p-noi-vu", "Phòng Nội vụ"),
    ("p-thanh-tra", "Thanh tra huyện"),
)
PROVINCE_DEPARTMENTS = (
    ("p-tai-nguyen-moi-truong", "Sở Tài nguyên và Môi trường"),
    ("p-kinh-te-ha-tang", "Sở Xây dựng"),
    ("p-tai-chinh-ke-hoach", "Sở Kế hoạch và Đầu tư"),
    ("p-tu-phap", "Sở Tư pháp"),
    ("p-lao-dong-tbxh", "Sở Lao động – Thương binh và Xã hội"),
    ("p-giao-duc-dao-tao", "Sở Giáo dục và Đào tạo"),
    ("p-van-hoa-thong-tin", "Sở Văn hóa, Thể thao và Du lịch"),
    ("p-nong-nghiep-ptnt", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("p-noi-vu", "Sở Nội vụ"),
    ("p-thanh-tra", "Thanh tra tỉnh"),
    (None, "Văn phòng UBND tỉnh"),
    (None, "Sở Tài chính"),
    (None, "Sở Y tế"),
    (None, "Sở Công Thương"),
    (None, "Sở Giao thông vận tải"),
    (None, "Sở Thông tin và Truyền thông"),
    (None, "Sở Khoa học và Công nghệ"),
    (None, "Ban Dân tộc tỉnh"),
)
SERVICE_UNITS = ("Trung tâm Phục vụ hành chính công tỉnh", "Trung tâm Phát triển quỹ đất tỉnh",
                 "Trung tâm Văn hóa tỉnh", "Ban Quản lý dự án đầu tư xây dựng tỉnh",
                 "Trung tâm Công nghệ thông tin và Truyền thông", "Trung tâm Xúc tiến đầu tư",
                 "Trung tâm Khuyến nông", "Trung tâm Kiểm soát bệnh tật", "Thư viện tỉnh",
                 "Bảo tàng tỉnh")
ASSOCIATIONS = ("Hội Chữ thập đỏ tỉnh", "Hội Khuyến học tỉnh", "Hội Người mù tỉnh",
                "Hội Cựu thanh niên xung phong tỉnh", "Hội Luật gia tỉnh",
                "Hội Nạn nhân chất độc da cam/dioxin tỉnh", "Hội Văn học nghệ thuật tỉnh",
                "Hội Nhà báo tỉnh", "Liên minh Hợp tác xã tỉnh", "Hội Đông y tỉnh")


# -------------------------------------------------------------------------------------------------
# The registry


def _hash01(*parts) -> float:
    """A deterministic draw in [0, 1) from text parts (Python side, for the small tables)."""
    import hashlib
    h = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(h, "big") / 2**64


def scale_units(seed: int = DEFAULT_SEED) -> list[dict]:
    """The province registry: dicts with unit_id, name, kind, level, valid_from, valid_to, successor_id,
    plus generation hints: group (procedure group, 'commune' or a DEPARTMENT_PROCEDURES key or
    None), weight (relative dossier volume) and weak (persistently more late dossiers)."""
    places = sorted(((a, b) for a in _PLACE_FIRST for b in _PLACE_SECOND),
                    key=lambda p: _hash01(seed, "place", *p))
    units: list[dict] = []
    old_end, new_start = MERGE_DAY - dt.timedelta(days=1), MERGE_DAY
    for d, district in enumerate(DISTRICTS, start=1):
        for k in range(COMMUNES_PER_DISTRICT):
            a, b = places[(d - 1) * COMMUNES_PER_DISTRICT + k]
            place = f"{a} {b}"
            prefix = "Thị trấn" if k == 0 else ("Phường" if d in (7, 8) and k < 6 else "Xã")
            new_no = (d - 1) * (COMMUNES_PER_DISTRICT // MERGED_PER_COMMUNE) + k // MERGED_PER_COMMUNE + 1
            units.append(dict(
                unit_id=f"c{d:02d}-{k + 1:02d}", name=f"{prefix} {place}", kind="commune", level="commune",
                valid_from=dt.date(2000, 1, 1), valid_to=old_end, successor_id=f"x2025-{new_no:03d}",
                group="commune", weight=0.5 + 1.5 * _hash01(seed, "size", d, k),
                weak=_hash01(seed, "weak", d, k) < 0.05, place=place))
        for g, dep in DISTRICT_DEPARTMENTS:
            yearly = DEPARTMENT_PROCEDURES[g][0] if g else 0
            units.append(dict(
                unit_id=f"d{d:02d}-{g.removeprefix('p-')}",
                name=f"{dep} {district}" if g == "p-thanh-tra" else f"{dep} huyện {district}",
                kind="department", level="district", valid_from=dt.date(2000, 1, 1), valid_to=old_end,
                successor_id=None,
                group=g, weight=yearly / COMMUNE_VOLUME_PER_SIZE, weak=_hash01(seed, "weak", d, g) < 0.05))
    # New communes: named after their first constituent, as most 2025 mergers were.
    olds = [u for u in units if u["kind"] == "commune"]
    for j in range(0, len(olds), MERGED_PER_COMMUNE):
        members = olds[j:j + MERGED_PER_COMMUNE]
        first = members[0]
        prefix = "Phường" if first["name"].startswith("Phường") else "Xã"
        units.append(dict(
            unit_id=first["successor_id"], name=f"{prefix} {first['place']}", kind="commune", level="commune",
            valid_from=new_start, valid_to=None, successor_id=None, group="commune",
            # The new commune also takes over most of the abolished district departments' work.
            weight=1.3 * sum(m["weight"] for m in members),
            weak=any(m["weak"] for m in members)))
    for k, (g, name) in enumerate(PROVINCE_DEPARTMENTS, start=1):
        yearly = DEPARTMENT_PROCEDURES[g][0] if g else 0
        units.append(dict(unit_id=f"so-{k:02d}", name=name, kind="department", level="province", valid_from=dt.date(2000, 1, 1),
                          valid_to=None, successor_id=None, group=g, weight=3 * yearly / COMMUNE_VOLUME_PER_SIZE,
                          weak=False))
    for k, name in enumerate(SERVICE_UNITS, start=1):
        units.append(dict(unit_id=f"sn-{k:02d}", name=name, kind="service_unit", level="province", valid_from=dt.date(2000, 1, 1),
                          valid_to=None, successor_id=None, group=None, weight=0.0, weak=False))
    for k, name in enumerate(ASSOCIATIONS, start=1):
        units.append(dict(unit_id=f"h-{k:02d}", name=name, kind="association", level="province", valid_from=dt.date(2000, 1, 1),
                          valid_to=None, successor_id=None, group=None, weight=0.0, weak=False))
    return units


def _slot_table(weights: np.ndarray, slots: int = SLOTS) -> np.ndarray:
    """`slots` entries, entry s = index of the item whose share of the cumulative weight holds s."""
    cum = np.cumsum(weights / weights.sum())
    return np.minimum(np.searchsorted(cum, (np.arange(slots) + 0.5) / slots), len(weights) - 1)


def _write_reference(con: duckdb.DuckDBPyConnection, units: list[dict], seed: int) -> None:
    con.execute("DELETE FROM units")
    con.execute("DELETE FROM unit_aliases")
    ut = pa.table({  # noqa: F841  (read by DuckDB's replacement scan; executemany is slow)
        "unit_id": pa.array([u["unit_id"] for u in units], pa.string()),
        "name": pa.array([u["name"] for u in units], pa.string()),
        "kind": pa.array([u["kind"] for u in units], pa.string()),
        "valid_from": pa.array([u["valid_from"] for u in units], pa.date32()),
        "valid_to": pa.array([u["valid_to"] for u in units], pa.date32()),
        "successor_id": pa.array([u["successor_id"] for u in units], pa.string()),
        "level": pa.array([u["level"] for u in units], pa.string()),
    })
    con.execute("INSERT INTO units BY NAME SELECT * FROM ut")
    aliases = sorted({(unit_key(s), u["unit_id"]) for u in units for s in (u["name"], u["unit_id"], "UBND " + u["name"])
                      if unit_key(s)})
    alias_t = pa.table({"alias_norm": pa.array([a for a, _ in aliases], pa.string()),  # noqa: F841
                   "unit_id": pa.array([b for _, b in aliases], pa.string())})
    con.execute("INSERT INTO unit_aliases SELECT * FROM alias_t")
    # Bands: the reference ones (they are not locality-specific).
    registry.load_bands(con)
    registry.load_rating_rules(con)
    derive.refresh_lineage(con)

    # Weighted unit draw per era (0: before the merger, 1: after), procedure draw per group.
    ids = np.array([u["unit_id"] for u in units], dtype=object)
    groups_of = np.array([u["group"] for u in units], dtype=object)
    weak = np.array([u["weak"] for u in units])
    late_base = np.array([(0.035 + 0.02 * _hash01(seed, "lb", u["unit_id"])) if u["weak"]
                          else (0.004 + 0.011 * _hash01(seed, "lb", u["unit_id"])) for u in units])
    era_col, slot_col, idx_col = [], [], []
    for era in (0, 1):
        on = MERGE_DAY if era else MERGE_DAY - dt.timedelta(days=1)  # a day of the era
        active = np.array([i for i, u in enumerate(units) if u["weight"] > 0 and u["valid_from"] <= on
                           and (u["valid_to"] is None or u["valid_to"] >= on)])
        picked = active[_slot_table(np.array([units[i]["weight"] for i in active]))]
        era_col.append(np.full(SLOTS, era, dtype=np.int8))
        slot_col.append(np.arange(SLOTS, dtype=np.int32))
        idx_col.append(picked)
    idx = np.concatenate(idx_col)
    t = pa.table({  # noqa: F841  (read by DuckDB's replacement scan)
        "era": pa.array(np.concatenate(era_col)),
        "slot": pa.array(np.concatenate(slot_col)),
        "unit_id": pa.array(ids[idx].tolist(), pa.string()),
        "grp": pa.array(groups_of[idx].tolist(), pa.string()),
        "late_base": pa.array(late_base[idx]),
        "weak": pa.array(weak[idx]),
    })
    con.execute("CREATE OR REPLACE TEMP TABLE scale_unit_slots AS SELECT * FROM t")

    groups = {"commune": COMMUNE_PROCEDURES, **{g: p for g, (_, p) in DEPARTMENT_PROCEDURES.items()}}
    rows = []
    for g, procs in groups.items():
        shifts = np.array([p[4] for p in procs])
        shares = np.array([p[3] for p in procs])
        shifts = shifts - np.average(shifts, weights=shares)
        for slot, pi in enumerate(_slot_table(shares, PROC_SLOTS)):
            field, name, days, _, _ = procs[pi]
            rows.append((g, slot, field, name, days, float(shifts[pi])))
    p = pa.table({k: pa.array(v) for k, v in zip(("grp", "slot", "field", "procedure_name", "days", "online_shift"),
                                                  zip(*rows))})  # noqa: F841
    con.execute("CREATE OR REPLACE TEMP TABLE scale_proc_slots AS SELECT grp, CAST(slot AS INTEGER) AS slot, field, "
                "procedure_name, CAST(days AS INTEGER) AS days, online_shift FROM p")


def _write_calendar(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """TEMP TABLE scale_cal(wd, day): working days (no weekend, no VN public holiday) numbered
    from 0; and TEMP TABLE scale_months(month, late_f, online_p). Returns (first wd index of the
    data range, number of working days in it)."""
    vn = holidays.country_holidays("VN", years=range(2018, 2028))
    days, d = [], dt.date(2018, 12, 1)
    while d < dt.date(2027, 6, 1):
        if d.weekday() < 5 and d not in vn:
            days.append(d)
        d += dt.timedelta(days=1)
    cal = pa.table({"wd": pa.array(range(len(days)), pa.int32()), "day": pa.array(days, pa.date32())})  # noqa: F841
    con.execute("CREATE OR REPLACE TEMP TABLE scale_cal AS SELECT * FROM cal")
    first = next(i for i, x in enumerate(days) if x >= FIRST_DAY)
    last = next(i for i, x in enumerate(days) if x >= END_DAY)

    tet = {(x.year, x.month) for x, name in vn.items() if name == "Lunar New Year"}
    months, late_f, online_p = [], [], []
    y, m = FIRST_DAY.year, FIRST_DAY.month
    n_months = (END_DAY.year - FIRST_DAY.year) * 12
    for k in range(n_months):
        t = k / n_months  # 0 .. 1 over 2019–2025
        f = (1.3 - 0.7 * t) * (2.2 if (y, m) in tet else 1.0)
        f *= {(2021, 7): 2.0, (2021, 8): 3.5, (2021, 9): 3.0, (2020, 4): 1.5}.get((y, m), 1.0)
        share = 0.06 + 0.56 / (1.0 + np.exp(-(k - 45.0) / 10.0))
        if (y, m) in ((2020, 4), (2021, 7), (2021, 8), (2021, 9)):
            share = min(share + 0.08, 0.95)
        months.append(dt.date(y, m, 1))
        late_f.append(f)
        online_p.append(float(share))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    mt = pa.table({"month": pa.array(months, pa.date32()), "late_f": late_f, "online_p": online_p})  # noqa: F841
    con.execute("CREATE OR REPLACE TEMP TABLE scale_months AS SELECT * FROM mt")
    return first, last - first


# -------------------------------------------------------------------------------------------------
# Dossiers, evaluations, commitments

# u(k): a uniform draw in [0, 1) for this row and stream k.
_DOSSIERS_SQL = """
WITH base AS (
    SELECT i,
           -- inverse CDF of a density growing by $growth over the range: monotone in i
           (-1 + sqrt(1 + 2 * $growth * (1 + $growth / 2) * ((i + 0.5) / $n))) / $growth AS t
    FROM range($lo, $hi) r(i)
),
drawn AS (
    SELECT b.i,
           $wd0 + least(CAST(floor(b.t * $nwd) AS INTEGER), $nwd - 1) AS rd_idx,
           CASE WHEN u(b.i, 1) < 0.6 THEN 25200 + CAST(floor(u(b.i, 2) * 16200) AS INTEGER)
                ELSE 48600 + CAST(floor(u(b.i, 2) * 12600) AS INTEGER) END AS tod,
           CAST(floor(u(b.i, 3) * $slots) AS INTEGER) AS unit_slot,
           CAST(floor(u(b.i, 4) * $proc_slots) AS INTEGER) AS proc_slot
    FROM base b
),
placed AS (
    SELECT d.*, c.day AS rday,
           CASE WHEN c.day >= $merge_day THEN 1 ELSE 0 END AS era
    FROM drawn d JOIN scale_cal c ON c.wd = d.rd_idx
),
assigned AS (
    SELECT p.i, p.rd_idx, p.tod, p.rday, us.unit_id, us.late_base, us.weak,
           ps.field, ps.procedure_name, ps.days, ps.online_shift,
           m.late_f, m.online_p,
           ps.days = 0 AS same_day,
           CASE WHEN ps.days = 0 THEN CASE WHEN p.tod < 54000 THEN 0 ELSE 1 END ELSE ps.days END AS due_off
    FROM placed p
    JOIN scale_unit_slots us ON us.era = p.era AND us.slot = p.unit_slot
    JOIN scale_proc_slots ps ON ps.grp = us.grp AND ps.slot = p.proc_slot
    JOIN scale_months m ON m.month = date_trunc('month', p.rday)
),
due AS (
    SELECT a.*, c.day AS due_day,
           CASE WHEN a.same_day THEN 61200 ELSE a.tod END AS due_tod,
           least(a.late_base * CASE WHEN a.days >= 10 THEN 1.4 WHEN a.days = 0 THEN 0.6 ELSE 1.0 END * a.late_f, 0.5) AS p_late,
           CASE WHEN a.days >= 10 THEN 0.65 WHEN a.same_day THEN 0.35 ELSE 0.75 END AS p_early
    FROM assigned a JOIN scale_cal c ON c.wd = a.rd_idx + a.due_off
),
picked AS (
    SELECT d.*,
           CASE WHEN u(d.i, 5) < d.p_late THEN 2
                WHEN d.due_day > d.rday AND u(d.i, 6) < d.p_early THEN 0
                ELSE 1 END AS pick,
           least(CAST(floor(pow(u(d.i, 7), 1.3) * greatest(d.due_off, 1)) AS INTEGER), greatest(d.due_off - 1, 0)) AS k_early,
           least(1 + CAST(floor(ln(1 - u(d.i, 8)) / ln(0.55)) AS INTEGER), 30) AS k_late,
           27000 + CAST(floor(u(d.i, 9) * 34200) AS INTEGER) AS work_tod
    FROM due d
),
finished AS (
    SELECT p.*, c.day AS fin_day,
           p.rd_idx + p.due_off AS due_idx
    FROM picked p
    JOIN scale_cal c ON c.wd = CASE p.pick WHEN 0 THEN p.rd_idx + p.k_early
                                           WHEN 1 THEN p.rd_idx + p.due_off
                                           ELSE p.rd_idx + p.due_off + p.k_late END
),
timed AS (
    SELECT f.*,
           CAST(f.rday AS TIMESTAMP) + to_seconds(f.tod) AS received_at,
           CAST(f.due_day AS TIMESTAMP) + to_seconds(f.due_tod) AS due_at,
           CAST(f.fin_day AS TIMESTAMP) + to_seconds(CASE f.pick
               WHEN 0 THEN CASE WHEN f.fin_day = f.rday
                                THEN f.tod + 600 + CAST(floor(u(f.i, 10) * greatest(61200 - f.tod - 600, 1200)) AS INTEGER)
                                ELSE f.work_tod END
               WHEN 1 THEN least(CASE WHEN f.due_day = f.rday THEN f.tod + 600 ELSE 25200 END, f.due_tod)
                           + CAST(floor(u(f.i, 10) * (f.due_tod - least(CASE WHEN f.due_day = f.rday THEN f.tod + 600 ELSE 25200 END, f.due_tod))) AS INTEGER)
               ELSE f.work_tod END) AS fin_at,
           -- a few long procedures never returned (received in the last 18 months)
           f.days >= 10 AND f.rday >= DATE '2024-07-01' AND u(f.i, 11) < 0.002 AS stuck,
           u(f.i, 12) < 0.05 AS date_only
    FROM finished f
),
final AS (
    SELECT t.*,
           CASE WHEN t.stuck OR t.fin_at >= $as_of THEN NULL
                WHEN t.date_only THEN CAST(CAST(t.fin_at AS DATE) AS TIMESTAMP)
                ELSE t.fin_at END AS finished_at,
           CASE WHEN t.stuck OR t.fin_at >= $as_of THEN NULL ELSE NOT t.date_only END AS finished_has_time
    FROM timed t
)
SELECT
    'HS' || lpad(CAST(i + 1 AS VARCHAR), 9, '0')                                   AS dossier_id,
    unit_id, field, procedure_name,
    CASE WHEN u(i, 13) < 1 / (1 + exp(-(ln(online_p / (1 - online_p)) + online_shift))) THEN 'online'
         WHEN u(i, 14) < 0.035 THEN 'postal' ELSE 'in_person' END                     AS channel,
    received_at, due_at, finished_at,
    (pick = 2 OR stuck) AND due_at < $as_of AND u(i, 15) < CASE WHEN weak THEN 0.75 ELSE 0.88 END AS apology_issued,
    CAST(1 AS BIGINT)                                                                 AS batch_id,
    finished_has_time,
    {outcome}                                                                         AS outcome
FROM final
ORDER BY i
"""

_EVALUATIONS_SQL = """
INSERT INTO evaluations (unit_id, period_type, period_start, score, classification, batch_id,
                         classification_source, band_classification, band_conflict)
WITH months AS (
    SELECT CAST(range AS DATE) AS m, row_number() OVER (ORDER BY range) - 1 AS k
    FROM range(TIMESTAMP '2019-01-01', TIMESTAMP '2026-01-01', INTERVAL 1 MONTH)
),
scored AS (
    SELECT u.unit_id, m.m,
           greatest(45.0, least(99.0, round(
               84.0 + 8.0 * (hash(u.unit_id, 1, $seed) % 1000) / 1000.0
               - CASE WHEN s.weak THEN 6.0 ELSE 0.0 END
               + 0.06 * m.k
               + 6.0 * ((hash(u.unit_id, m.m, $seed) % 1000) / 1000.0 - 0.5)
               - CASE WHEN (hash(u.unit_id, m.m, 7, $seed) % 1000) < 3 THEN 20.0 ELSE 0.0 END, 1))) AS score
    FROM units u
    JOIN months m ON m.m >= coalesce(u.valid_from, DATE '1900-01-01') AND m.m <= coalesce(u.valid_to, DATE '9999-12-31')
    LEFT JOIN (SELECT DISTINCT unit_id, weak FROM scale_unit_slots) s USING (unit_id)
)
SELECT unit_id, 'month', m, score,
       CASE WHEN score >= 90 THEN 'xuat_sac' WHEN score >= 70 THEN 'tot'
            WHEN score >= 50 THEN 'hoan_thanh' ELSE 'khong_hoan_thanh' END AS cls,
       1, 'bands',
       CASE WHEN score >= 90 THEN 'xuat_sac' WHEN score >= 70 THEN 'tot'
            WHEN score >= 50 THEN 'hoan_thanh' ELSE 'khong_hoan_thanh' END,
       FALSE
FROM scored
"""

_COMMITMENTS_SQL = """
INSERT INTO commitments
WITH years AS (SELECT range AS y FROM range(2019, 2026)),
heads AS (
    SELECT u.unit_id, y.y,
           CASE u.kind WHEN 'commune' THEN 20 + hash(u.unit_id, $seed) % 6
                       WHEN 'department' THEN 5 + hash(u.unit_id, $seed) % 11
                       WHEN 'service_unit' THEN 10 + hash(u.unit_id, $seed) % 31
                       ELSE 2 + hash(u.unit_id, $seed) % 4 END AS headcount
    FROM units u
    JOIN years y ON y.y BETWEEN year(coalesce(u.valid_from, DATE '1900-01-01')) AND year(coalesce(u.valid_to, DATE '9999-12-31'))
),
kinds AS (SELECT unnest(['office_culture', 'smoke_free', 'hcm_study']) AS commitment)
SELECT h.unit_id, CAST(h.y AS INTEGER), k.commitment, CAST(h.headcount AS INTEGER),
       CAST(least(h.headcount, round(h.headcount * CASE
           WHEN h.y = 2019 THEN 0.6 + 0.35 * (hash(h.unit_id, h.y, k.commitment, $seed) % 1000) / 1000.0
           WHEN h.y = 2020 THEN 0.85 + 0.15 * (hash(h.unit_id, h.y, k.commitment, $seed) % 1000) / 1000.0
           WHEN h.y = 2021 THEN 0.94 + 0.1 * (hash(h.unit_id, h.y, k.commitment, $seed) % 1000) / 1000.0
           ELSE 1.0 END)) AS INTEGER) AS signed,
       1
FROM heads h, kinds k
"""


def generate(con: duckdb.DuckDBPyConnection, n: int, seed: int = DEFAULT_SEED,
             progress: Progress = silent) -> None:
    """Fill an empty warehouse (schema already created) on `con` with the scale data set."""
    units = scale_units(seed)
    _write_reference(con, units, seed)
    wd0, nwd = _write_calendar(con)
    con.execute(f"CREATE OR REPLACE TEMP MACRO u(i, k) AS "
                f"CAST(hash(i, k, {int(seed)}) >> 11 AS DOUBLE) / 9007199254740992.0")
    con.execute("DELETE FROM dossiers")
    sql = "INSERT INTO dossiers " + _DOSSIERS_SQL.format(outcome=derive.OUTCOME_SQL)
    progress("build", 0, int(n))
    for lo in range(0, int(n), CHUNK):
        con.execute(sql, {"n": int(n), "lo": lo, "hi": min(int(n), lo + CHUNK), "growth": 0.35, "wd0": wd0,
                          "nwd": nwd, "slots": SLOTS, "proc_slots": PROC_SLOTS, "merge_day": MERGE_DAY,
                          "as_of": AS_OF})
        progress("build", min(int(n), lo + CHUNK), int(n))
    con.execute("DELETE FROM evaluations")
    con.execute(_EVALUATIONS_SQL, {"seed": int(seed)})
    con.execute("DELETE FROM commitments")
    con.execute(_COMMITMENTS_SQL, {"seed": int(seed)})
    con.execute("DELETE FROM load_batches")
    con.execute("INSERT INTO load_batches VALUES (1, $f, '', 'dossiers', now()::TIMESTAMP, $n, $n, 0, 'loaded', "
                "'etl.scale', 0, $from, $to)",
                {"f": f"scale-{n}", "n": int(n), "from": FIRST_DAY, "to": END_DAY - dt.timedelta(days=1)})
    for k, v in {"is_demo": "true", "scale_dossiers": str(n), "scale_seed": str(seed), "data_version": "1",
                 "loaded_at": dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")}.items():
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [k, v])
    for tmp in ("scale_unit_slots", "scale_proc_slots", "scale_cal", "scale_months"):
        con.execute(f"DROP TABLE IF EXISTS {tmp}")


def default_path(n: int) -> Path:
    return BENCH_DIR / f"scale_{n}.duckdb"


def build_scale(n: int, db: str | os.PathLike | None = None, seed: int = DEFAULT_SEED,
                verbose: bool = True, progress: Progress = silent) -> Path:
    """Write a fresh warehouse of n dossiers at `db` (default data/bench/scale_<n>.duckdb).

    The file is built beside the target and swapped in with os.replace, so a reader never sees a
    half-built warehouse. An existing file at `db` is replaced, not added to."""
    path = Path(db) if db else default_path(n)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.scale.tmp")
    for p in (tmp, Path(str(tmp) + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
    t0 = time.perf_counter()
    con = duckdb.connect(str(tmp), config=CONFIG)
    try:
        con.execute("SET enable_progress_bar = false")
        ensure_schema(con)
        con.execute("BEGIN")
        generate(con, n, seed, progress)
        progress("aggregate", 0, 1)
        aggregates.refresh_aggregates(con)
        progress("aggregate", 1, 1)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        for p in (tmp, Path(str(tmp) + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
        raise
    con.close()
    os.replace(tmp, path)
    if verbose:
        print(f"Đã tạo kho {n:,} hồ sơ cấp tỉnh tại {path} trong {time.perf_counter() - t0:.1f} giây.".replace(",", "."))
    return path
