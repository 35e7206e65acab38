"""python -m report --from YYYY-MM-DD --to YYYY-MM-DD [--commune ID ...] [--map asis|new] [--db FILE]
                    --out FILE.docx|FILE.xlsx|FILE.png

The Word draft of the report, its Excel annex (Biểu 06 in the statutory layout) or the one-picture
bulletin for the period, the format from the extension of --out. The same figures as the dashboard
for the same filters (report.data reads metrics.tables).
"""
from __future__ import annotations

import sys
from pathlib import Path

from metrics.__main__ import _Formatter, _iso_date, _Parser
from metrics.filters import Filters

MAPS = ("asis", "new")


def _parser():
    p = _Parser(
        prog="python -m report",
        description="Soạn báo cáo (Word), phụ lục số liệu có Biểu số 06 (Excel) hoặc bản tin (ảnh PNG) "
                    "cho kỳ đã chọn; định dạng theo đuôi tệp --out.",
        formatter_class=_Formatter,
        add_help=False,
    )
    p._optionals.title = "Tùy chọn"
    p.add_argument("--from", dest="date_from", type=_iso_date, required=True, metavar="NGÀY",
                   help="ngày đầu kỳ, dạng NNNN-TT-NN (tính cả ngày này)")
    p.add_argument("--to", dest="date_to", type=_iso_date, required=True, metavar="NGÀY",
                   help="ngày cuối kỳ, dạng NNNN-TT-NN (tính cả ngày này)")
    p.add_argument("--commune", dest="units", action="append", default=[], metavar="MÃ_ĐƠN_VỊ",
                   help="chỉ báo cáo đơn vị này (kể cả các đơn vị cũ sáp nhập vào); lặp lại để chọn nhiều")
    p.add_argument("--map", choices=MAPS, default="asis", metavar="BẢN_ĐỒ",
                   help="asis: đơn vị như khi phát sinh số liệu (mặc định); new: quy về đơn vị sau sắp xếp")
    p.add_argument("--db", metavar="TỆP", help="tệp kho dữ liệu DuckDB (mặc định $WAREHOUSE_DB hoặc data/warehouse.duckdb)")
    p.add_argument("--out", metavar="TỆP", required=True,
                   help="tệp kết quả: .docx (báo cáo), .xlsx (phụ lục, Biểu 06) hoặc .png (bản tin)")
    p.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này rồi thoát")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.date_from > args.date_to:
        parser.error("ngày đầu kỳ (--from) phải trước hoặc bằng ngày cuối kỳ (--to)")

    from .build import file_format, write

    if file_format(args.out) is None:
        parser.error(f"tệp --out '{args.out}' cần đuôi .docx (báo cáo), .xlsx (phụ lục) hoặc .png (bản tin)")
    out_dir = Path(args.out).resolve().parent
    if not out_dir.is_dir():
        print(f"Lỗi: không có thư mục '{out_dir}' để ghi tệp kết quả.", file=sys.stderr)
        return 1

    import duckdb

    from etl.warehouse import connect_read, db_path
    from metrics import tables

    path = db_path(args.db)
    if not Path(path).is_file():
        print(f"Lỗi: không tìm thấy kho dữ liệu '{path}'. Hãy nạp dữ liệu trước "
              f"(python -m etl) hoặc chỉ đường dẫn bằng --db.", file=sys.stderr)
        return 1
    try:
        con = connect_read(path)
    except duckdb.Error as e:
        print(f"Lỗi: không mở được kho dữ liệu '{path}': {e}", file=sys.stderr)
        return 1
    try:
        if args.units:
            known = set(tables.unit_options(con)["unit_id"])
            unknown = [u for u in args.units if u not in known]
            if unknown:
                print(f"Lỗi: không có đơn vị mã: {', '.join(unknown)}", file=sys.stderr)
                return 2
        filters = Filters(args.date_from, args.date_to, units=tuple(args.units), map=args.map)
        written = write(con, filters, args.out)
    except duckdb.Error as e:
        print(f"Lỗi khi đọc kho dữ liệu: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"Lỗi: không ghi được tệp '{args.out}': {e}", file=sys.stderr)
        return 1
    finally:
        con.close()
    print(f"Đã ghi {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
