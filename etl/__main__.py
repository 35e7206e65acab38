"""python -m etl load FILE... [--db PATH] | demo [--db PATH] [--out DIR] | status [--db PATH]
   | export-parquet [--db PATH] --out DIR"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .sources import SOURCES
from .text import vn_int
from .warehouse import db_path


def _print_report(r) -> None:
    mark = {"loaded": "✓", "unchanged": "=", "failed": "✗"}.get(r.status, "?")
    print(f"{mark} {r.message}")
    if r.status == "loaded" and r.mapping:
        print("   Cột nhận ra: " + "; ".join(f"{k} ← «{v}»" for k, v in r.mapping.items()))
    for rej in r.rejects[:20]:
        col = f" [{rej.column_name}]" if rej.column_name else ""
        print(f"   dòng {rej.row_number}{col}: {rej.reason}")
    if len(r.rejects) > 20:
        print(f"   … và {len(r.rejects) - 20} lỗi khác (xem bảng load_rejects, lô số {r.batch_id}).")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m etl", description="Nạp dữ liệu vào kho DuckDB của bảng điều khiển.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p_load = sub.add_parser("load", help="nạp tệp xuất (CSV/XLSX): " + ", ".join(s.label for s in SOURCES))
    p_load.add_argument("files", nargs="+", type=Path)
    p_load.add_argument("--db", type=Path, default=None)
    p_load.add_argument("--user", default=None, help="tên người nạp (ghi vào lịch sử nạp)")
    p_demo = sub.add_parser("demo", help="tạo và nạp dữ liệu minh họa Ninh Phước, 07/2019 đến tháng trước ngày tạo")
    p_demo.add_argument("--db", type=Path, default=None)
    p_demo.add_argument("--out", type=Path, default=None, help="thư mục ghi các tệp minh họa (mặc định data/demo)")
    p_demo.add_argument("--scale", type=int, default=None, help="tạo kho N hồ sơ cấp tỉnh để đo hiệu năng")
    p_parquet = sub.add_parser("export-parquet", help="ghi kho dữ liệu ra Parquet phân vùng (hồ sơ theo năm, tháng tiếp nhận)")
    p_parquet.add_argument("--db", type=Path, default=None)
    p_parquet.add_argument("--out", type=Path, required=True, help="thư mục Parquet (thay cả thư mục một lần, nguyên tử)")
    p_status = sub.add_parser("status", help="tình trạng kho dữ liệu")
    p_status.add_argument("--db", type=Path, default=None)
    args = ap.parse_args(argv)
    from .registry import RegistryError
    try:
        return _run(args)
    except RegistryError as e:   # data/reference/units.csv: nothing was written
        print(f"Lỗi danh mục đơn vị: {e} Kho dữ liệu không thay đổi.", file=sys.stderr)
        return 1


def _run(args) -> int:
    if args.cmd == "load":
        from .load import load_files
        from .progress import terminal
        reports = load_files(args.files, db=args.db, user=args.user, progress=terminal())
        for r in reports:
            _print_report(r)
        failed = [r for r in reports if r.status == "failed"]
        if failed:
            print(f"{len(failed)} tệp không nạp được; kho dữ liệu không thay đổi vì các tệp đó.", file=sys.stderr)
            return 2
        return 0
    if args.cmd == "demo":
        if args.scale:
            from .progress import terminal
            from .scale import build_scale
            build_scale(args.scale, db=args.db, progress=terminal(unit="hồ sơ"))
            return 0
        from .demo import build_demo
        out = args.out or (db_path(args.db).parent / "demo")
        reports = build_demo(out, db=args.db)
        for r in reports:
            if r.status != "loaded" or r.rows_rejected:
                _print_report(r)
        print(f"Đã nạp {vn_int(sum(r.rows_to_load for r in reports))} dòng từ {len(reports)} tệp minh họa vào {db_path(args.db)}.")
        return 2 if any(r.status == "failed" for r in reports) else 0
    if args.cmd == "export-parquet":
        from .parquet import export_parquet
        try:
            manifest = export_parquet(args.db, args.out)
        except (FileNotFoundError, FileExistsError) as e:
            print(f"Lỗi: {e}", file=sys.stderr)
            return 1
        n = sum(t["rows"] for t in manifest["tables"])
        print(f"Đã ghi {len(manifest['tables'])} bảng ({vn_int(n)} dòng) ra {args.out}.")
        return 0
    if args.cmd == "status":
        from .status import print_status
        return print_status(args.db)
    return 1


if __name__ == "__main__":
    sys.exit(main())
