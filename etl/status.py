"""python -m etl status: what the warehouse holds, in Vietnamese."""
from __future__ import annotations

from .text import vn_int
from .warehouse import connect_read, db_path, file_version


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
        }
    finally:
        con.close()


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
    nb, rej = s["batches"]
    print(f"Lịch sử nạp: {vn_int(nb)} lô, {vn_int(rej)} dòng bị loại")
    return 0
