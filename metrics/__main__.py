"""python -m metrics TABLE --from YYYY-MM-DD --to YYYY-MM-DD [--commune UNIT_ID ...] [--map asis|new] [--out FILE]
                        [--db PATH | --parquet DIR [--engine duckdb|spark]]

Writes exactly the CSV bytes the dashboard's download button gives (metrics.export.table_csv_bytes:
the table as the page shows it, metrics.tables.shown).
"""
from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

CLI_TABLES = ("overview", "trend", "ranking", "top_units", "bottom_units", "heatmap", "unit_history",
              "late_rates", "bieu06", "late_dossiers", "commitments", "commitments_by_year",
              "satisfaction", "satisfaction_by_month", "inspections", "inspections_by_kind",
              "inspections_trend", "staff_ratings", "rating_rules", "commendations",
              "commendations_by_form", "commendation_decisions")
# --by per table: its values, the first one the default.
_BY = {"late_rates": ("unit", "field", "procedure"), "inspections_trend": ("year", "quarter")}


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="Cách dùng: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # Vietnamese, no traceback, exit code 2 like argparse
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi: {_vietnamese(message)}\n")


_ARGPARSE_WORDS = (
    (re.compile(r"the following arguments are required: "), "thiếu tham số bắt buộc: "),
    (re.compile(r"invalid choice: (.*?) \(choose from (.*)\)"), r"lựa chọn không hợp lệ: \1 (chọn một trong: \2)"),
    (re.compile(r"invalid (\w+) value: "), "giá trị không hợp lệ: "),
    (re.compile(r"unrecognized arguments: "), "tham số không nhận ra: "),
    (re.compile(r"expected one argument"), "cần một giá trị"),
    (re.compile(r"^argument "), "tham số "),
)


def _vietnamese(message: str) -> str:
    for pattern, repl in _ARGPARSE_WORDS:
        message = pattern.sub(repl, message)
    return message


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"ngày không hợp lệ: '{text}' (cần dạng NNNN-TT-NN, ví dụ 2022-01-31)") from None


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m metrics",
        description="Xuất một bảng số liệu của bảng điều khiển ra tệp CSV (đúng tệp nút Tải xuống cho).",
        formatter_class=_Formatter,
        add_help=False,
    )
    p._positionals.title = "Tham số"
    p._optionals.title = "Tùy chọn"
    p.add_argument("table", metavar="BẢNG", choices=CLI_TABLES,
                   help="tên bảng: " + ", ".join(CLI_TABLES))
    p.add_argument("--from", dest="date_from", type=_iso_date, required=True, metavar="NGÀY",
                   help="ngày đầu kỳ, dạng NNNN-TT-NN (tính cả ngày này)")
    p.add_argument("--to", dest="date_to", type=_iso_date, required=True, metavar="NGÀY",
                   help="ngày cuối kỳ, dạng NNNN-TT-NN (tính cả ngày này)")
    p.add_argument("--commune", "--unit-filter", dest="units", action="append", default=[], metavar="MÃ_ĐƠN_VỊ",
                   help="chỉ lấy đơn vị này (kể cả các đơn vị cũ sáp nhập vào); lặp lại để chọn nhiều")
    p.add_argument("--kind", dest="kinds", action="append", default=[],
                   choices=("commune", "department", "service_unit", "association"), metavar="LOẠI",
                   help="loại đơn vị: commune, department, service_unit, association; lặp lại được")
    p.add_argument("--map", dest="map", choices=("asis", "new"), default="asis", metavar="ĐỊA_GIỚI",
                   help="asis (mặc định): như thời điểm phát sinh; new: theo xã mới (từ 01/07/2025), "
                        "số liệu của đơn vị đã sáp nhập tính vào xã mới")
    p.add_argument("--by", choices=("unit", "field", "procedure", "year", "quarter"), metavar="THEO",
                   help="late_rates: nhóm theo unit (đơn vị, mặc định), field (lĩnh vực) hoặc procedure "
                        "(thủ tục); inspections_trend: theo year (năm, mặc định) hoặc quarter (quý)")
    p.add_argument("--year", type=int, metavar="NĂM", help="commitments: năm (mặc định năm của ngày cuối kỳ)")
    p.add_argument("--unit", dest="unit_id", metavar="MÃ_ĐƠN_VỊ", help="unit_history: mã đơn vị")
    p.add_argument("-n", type=int, default=5, metavar="SỐ", help="top_units / bottom_units: số đơn vị (mặc định 5)")
    p.add_argument("--db", metavar="TỆP", help="tệp kho dữ liệu DuckDB (mặc định $WAREHOUSE_DB hoặc data/warehouse.duckdb)")
    p.add_argument("--parquet", metavar="THƯ_MỤC",
                   help="đọc bản xuất Parquet (python -m etl export-parquet) thay cho tệp DuckDB")
    p.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb", metavar="MÁY",
                   help="với --parquet: duckdb (mặc định) hoặc spark (Spark SQL, cần requirements-spark.txt)")
    p.add_argument("--out", metavar="TỆP", help="ghi ra tệp này (mặc định: ra màn hình / stdout)")
    p.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.date_from > args.date_to:
        parser.error("ngày đầu kỳ (--from) phải trước hoặc bằng ngày cuối kỳ (--to)")
    if args.table == "unit_history" and not args.unit_id:
        parser.error("bảng unit_history cần --unit MÃ_ĐƠN_VỊ")
    if args.by is not None and args.by not in _BY.get(args.table, ()):
        parser.error(f"bảng {args.table} không nhận --by {args.by}"
                     + (f" (chọn một trong: {', '.join(_BY[args.table])})" if args.table in _BY else ""))
    by = args.by or _BY.get(args.table, (None,))[0]

    if args.parquet and args.db:
        parser.error("chọn một nguồn: --db hoặc --parquet")
    if args.engine != "duckdb" and not args.parquet:
        parser.error(f"--engine {args.engine} đọc bản xuất Parquet: cần --parquet THƯ_MỤC")

    import duckdb

    from etl.warehouse import db_path

    from . import sources
    from .db import fetch
    from .export import table_csv_bytes
    from .filters import Filters

    path = Path(args.parquet) if args.parquet else db_path(args.db)
    if not (path.is_dir() if args.parquet else path.is_file()):
        print(f"Lỗi: không tìm thấy kho dữ liệu '{path}'. Hãy nạp dữ liệu trước "
              f"(python -m etl) hoặc chỉ đường dẫn bằng --db / --parquet.", file=sys.stderr)
        return 1
    try:
        con = sources.connect(db=args.db, parquet=args.parquet, engine=args.engine)
    except (duckdb.Error, sources.SourceError) as e:
        print(f"Lỗi: không mở được kho dữ liệu '{path}': {e}", file=sys.stderr)
        return 1
    except ImportError as e:
        print(f"Lỗi: --engine {args.engine} cần các gói trong requirements-spark.txt ({e.name})", file=sys.stderr)
        return 1
    try:
        if args.units:
            known = set(fetch(con, "SELECT unit_id FROM units WHERE list_contains($units::VARCHAR[], unit_id)",
                              {"units": list(args.units)})["unit_id"])
            unknown = [u for u in args.units if u not in known]
            if unknown:
                print(f"Lỗi: không có đơn vị mã: {', '.join(unknown)}", file=sys.stderr)
                return 2
        filters = Filters(args.date_from, args.date_to, units=tuple(args.units), kinds=tuple(args.kinds),
                          map=args.map)
        options = {
            "late_rates": {"by": by},
            "inspections_trend": {"by": by},
            "commitments": {"year": args.year},
            "unit_history": {"unit_id": args.unit_id},
            "top_units": {"n": args.n},
            "bottom_units": {"n": args.n},
        }.get(args.table, {})
        data = table_csv_bytes(args.table, con, filters, **options)
    except (duckdb.Error, sources.SourceError) as e:
        print(f"Lỗi khi đọc kho dữ liệu: {e}", file=sys.stderr)
        return 1
    finally:
        con.close()

    if args.out:
        Path(args.out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
