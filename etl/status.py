"""python -m etl status: what the warehouse holds, in Vietnamese."""
from __future__ import annotations

from .sources import SOURCES
from .text import vn_int
from .warehouse import connect_read, db_path, file_version

# Kinds with a line of their own below; every other kind gets the same short line.
_DETAILED = ("dossiers", "evaluations", "commitments")


def warehouse_status(db=None) -> dict:
    path = db_path(db)
    if file_version(path) is None:
        return {"exists": False, "path": str(path)}
    con = connect_read(path)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        meta = dict(q("SELECT key, value FROM meta"))
        return {
            "exists": True,
            "path": str(path),
            "is_demo": meta.get("is_demo") == "true",
            "data_version": meta.get("data_version"),
            "loaded_at": meta.get("loaded_at"),
            "dossiers": q("SELECT count(*), min(received_at)::DATE, max(received_at)::DATE, "
                          "count(*) FILTER (WHERE finished_at IS NULL) FROM dossiers")[0],
            "evaluations": q("SELECT count(*), min(period_start), max(period_start), "
                             "count(*) FILTER (WHERE band_conflict) FROM evaluations")[0],
            "commitments": q("SELECT count(*), min(year), max(year) FROM commitments")[0],
            "batches": q("SELECT count(*), coalesce(sum(rows_rejected), 0) FROM load_batches")[0],
            "others": [_other(con, src) for src in SOURCES if src.kind not in _DETAILED],
        }
    finally:
        con.close()


def _other(con, src) -> tuple:
    """(label, rows, first day, last day) of a kind; a warehouse built before the kind existed has
    no table for it until its next load."""
    if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [src.table]).fetchall()[0][0]:
        return src.label, 0, None, None
    n = con.execute(f"SELECT count(*) FROM {src.table}").fetchall()[0][0]  # a name from the registry, not input
    first, last = con.execute("SELECT min(period_from), max(period_to) FROM load_batches WHERE kind = ?",
                              [src.kind]).fetchall()[0]
    return src.label, n, first, last


def print_status(db=None) -> int:
    s = warehouse_status(db)
    if not s["exists"]:
        print(f"Chưa có kho dữ liệu tại {s['path']}. Tạo dữ liệu minh họa: python -m etl demo; "
              f"hoặc nạp tệp thật: python -m etl load TỆP...")
        return 1
    fmt = lambda d: d.strftime("%d/%m/%Y") if d else "—"  # noqa: E731
    n, a, b, pending = s["dossiers"]
    print(f"Kho dữ liệu: {s['path']}" + ("  [DỮ LIỆU MINH HỌA]" if s["is_demo"] else ""))
    print(f"Phiên bản dữ liệu: {s['data_version']}, nạp lần cuối: {s['loaded_at']}")
    print(f"Hồ sơ TTHC: {vn_int(n)} (tiếp nhận {fmt(a)} – {fmt(b)}), đang giải quyết {vn_int(pending)}")
    n, a, b, conflicts = s["evaluations"]
    print(f"Đánh giá, xếp loại: {vn_int(n)} kỳ-đơn vị ({fmt(a)} – {fmt(b)}), {vn_int(conflicts)} xếp loại trái thang điểm")
    n, a, b = s["commitments"]
    print(f"Cam kết: {vn_int(n)} dòng (năm {a or '—'} – {b or '—'})")
    for label, n, a, b in s["others"]:
        print(f"{label[0].upper() + label[1:]}: {vn_int(n)} dòng ({fmt(a)} – {fmt(b)})")
    nb, rej = s["batches"]
    print(f"Lịch sử nạp: {vn_int(nb)} lô, {vn_int(rej)} dòng bị loại")
    return 0
