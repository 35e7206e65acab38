"""Read CSV and XLSX exports into rows of cells, deciding the format by content, not by name."""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import pyarrow as pa
import pyarrow.compute as pc
from python_calamine import CalamineWorkbook

MAX_FILE_BYTES = 200 * 1024 * 1024           # larger than a year of a province's exports
MAX_XLSX_UNCOMPRESSED = 1024 * 1024 * 1024   # refuse before expanding: zip bombs
MAX_XLSX_RATIO = 200
MAX_COLUMNS = 200


class BadFile(Exception):
    """A file that cannot be loaded at all. The message is Vietnamese and names the file."""


@dataclass
class Source:
    path: Path
    format: str                 # 'csv' | 'xlsx'
    encoding: str = "utf-8"     # CSV only; 'utf-8' (BOM or not) or 'cp1258' / 'cp1252' decoded copies
    delimiter: str = ","
    text: str | None = None     # CSV decoded in Python when it was not UTF-8
    rows: list | None = None    # XLSX: the sheet's cells, read once (calamine parses the whole sheet)
    table: pa.Table | None = None  # XLSX read by fastexcel: every cell as text (cell_to_text's), no empty rows above
    first_row: int = 1          # XLSX: the Excel row number of rows[0] / table's first row
    serial: bool = False        # CSV: read with DuckDB's serial scanner (the parallel one refused the file)


_MOJIBAKE = re.compile("[ÃÄÆá][\u0080-\u00bf]")


def _looks_vietnamese_utf8_misread(text: str) -> bool:
    """UTF-8 bytes once decoded as Windows-1252 and saved again: "Phước" becomes "PhÆ°á»›c"."""
    return len(_MOJIBAKE.findall(text)) >= 3


def open_source(path: Path) -> Source:
    name = path.name
    try:
        size = path.stat().st_size
    except OSError:
        raise BadFile(f"Không đọc được tệp «{name}»: tệp không tồn tại hoặc không có quyền đọc.")
    if size == 0:
        raise BadFile(f"Tệp «{name}» rỗng (0 byte): không có dữ liệu để nạp.")
    if size > MAX_FILE_BYTES:
        raise BadFile(f"Tệp «{name}» quá lớn ({size // (1024 * 1024)} MB, tối đa {MAX_FILE_BYTES // (1024 * 1024)} MB): hãy chia nhỏ theo tháng.")
    with open(path, "rb") as f:
        head = f.read(8192)
    if head.startswith(b"PK\x03\x04"):
        _check_xlsx_container(path)
        return Source(path, "xlsx")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadFile(f"Tệp «{name}» là Excel 97-2003 (.xls): hãy mở bằng Excel và lưu lại dưới dạng .xlsx hoặc CSV UTF-8.")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with a BOM: what Excel's "Unicode Text" writes (tab-separated).
        try:
            text = unicodedata.normalize("NFC", path.read_bytes().decode("utf-16"))
        except UnicodeDecodeError:
            raise BadFile(f"Tệp «{name}» không phải CSV hay Excel (.xlsx): không đọc được nội dung dưới dạng văn bản "
                          "(cần CSV UTF-8).")
        return Source(path, "csv", "utf-16", _sniff_delimiter(text[:65536]), text)
    if b"\x00" in head:
        raise BadFile(f"Tệp «{name}» không phải CSV hay Excel (.xlsx): nội dung là dữ liệu nhị phân.")
    if re.match(rb"\s*(<!doctype html|<html|<table|<\?xml)", head[:1024], re.IGNORECASE):
        # Web systems' "Excel export" is often an HTML table named .xls.
        raise BadFile(f"Tệp «{name}» là trang web (HTML/XML), không phải CSV hay Excel (.xlsx): "
                      "hãy mở tệp bằng Excel rồi lưu lại dưới dạng .xlsx hoặc CSV UTF-8.")
    # Only the head is decoded here: DuckDB checks the rest of a UTF-8 file while it reads it, and
    # a file that turns out not to be UTF-8 further down is read again through open_decoded.
    with open(path, "rb") as f:
        head_bytes = f.read(HEAD_BYTES)
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head_bytes, final=len(head_bytes) < HEAD_BYTES)
    except UnicodeDecodeError:
        return open_decoded(path)
    if _looks_vietnamese_utf8_misread(text[:4096]):
        raise BadFile(f"Tệp «{name}» có chữ tiếng Việt bị lỗi mã hóa (đã bị chuyển mã hai lần): hãy xuất lại dưới dạng CSV UTF-8.")
    return Source(path, "csv", "utf-8", _sniff_delimiter(text[:65536]))


HEAD_BYTES = 1 << 20


def open_decoded(path: Path) -> Source:
    """A CSV decoded whole in Python: UTF-8 when it is, else Windows-1258 (what Vietnamese Excel
    writes as "CSV"; its diacritics are combining marks)."""
    name = path.name
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
        encoding = "utf-8"
        decoded = None
    except UnicodeDecodeError:
        try:
            text = unicodedata.normalize("NFC", raw.decode("cp1258", errors="strict"))
        except UnicodeDecodeError:
            raise BadFile(f"Tệp «{name}» không phải CSV hay Excel (.xlsx): không đọc được nội dung dưới dạng văn bản "
                          "(cần CSV UTF-8).")
        encoding = "cp1258"
        decoded = text
    if encoding == "utf-8" and _looks_vietnamese_utf8_misread(text[:4096]):
        raise BadFile(f"Tệp «{name}» có chữ tiếng Việt bị lỗi mã hóa (đã bị chuyển mã hai lần): hãy xuất lại dưới dạng CSV UTF-8.")
    delimiter = _sniff_delimiter(text[:65536])
    return Source(path, "csv", encoding, delimiter, decoded)


def _check_xlsx_container(path: Path) -> None:
    name = path.name
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                raise BadFile(f"Tệp «{name}» là tệp nén nhưng không phải bảng tính Excel (.xlsx).")
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > MAX_XLSX_UNCOMPRESSED or total / packed > MAX_XLSX_RATIO and total > 50 * 1024 * 1024:
                raise BadFile(
                    f"Tệp «{name}» bị từ chối: khi giải nén sẽ chiếm {total // (1024 * 1024)} MB "
                    f"(gấp {total // packed} lần kích thước tệp), có dấu hiệu tệp độc hại (zip bomb)."
                )
    except zipfile.BadZipFile:
        raise BadFile(f"Tệp «{name}» là Excel (.xlsx) bị hỏng hoặc không đầy đủ: không mở được.")


def _sniff_delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines()[:60] if ln.strip()]
    best, best_score = ",", -1
    for d in (",", ";", "\t", "|"):
        counts = [len(next(csv.reader([ln], delimiter=d))) for ln in lines]
        # The delimiter that gives the widest consistent rows (the header and data lines).
        widest = max(counts) if counts else 0
        score = widest * 1000 + sum(1 for c in counts if c == widest)
        if widest > 1 and score > best_score:
            best, best_score = d, score
    return best


def head_rows(src: Source, n: int = 60) -> list[list[object]]:
    """The first n rows, as cells: enough to find the header."""
    if src.format == "xlsx":
        return all_xlsx_rows(src, limit=n)
    text = src.text if src.text is not None else _read_text_head(src.path)
    # Records, not lines: a quoted heading may hold a line break ("Ngày\nhẹn trả").
    try:
        rows = list(itertools.islice(csv.reader(io.StringIO(text), delimiter=src.delimiter), n))
        width = max((len(r) for r in rows), default=0)
        if width > MAX_COLUMNS:
            # (only the head of the file is read here, so "more than", not a count)
            raise BadFile(f"Tệp «{src.path.name}» có hơn {MAX_COLUMNS} cột (tối đa {MAX_COLUMNS}): không phải tệp xuất hồ sơ hay bảng đánh giá.")
        return rows
    except csv.Error as e:  # e.g. an unclosed quote swallowing the file into one field
        raise BadFile(f"Tệp «{src.path.name}» không đọc được dưới dạng CSV ({e}).")


def _read_text_head(path: Path, limit: int = 256 * 1024) -> str:
    with open(path, "rb") as f:
        chunk = f.read(limit)
    return chunk.decode("utf-8-sig", errors="replace")


def all_xlsx_rows(src: Source, limit: int | None = None) -> list[list[object]]:
    """The first sheet's rows (the first `limit` of them), from its first non-empty row
    (src.first_row). The sheet is parsed once per Source: finding the header and reading the data
    share it."""
    if src.rows is None and src.table is None:
        _read_xlsx(src)
    if src.table is not None:
        t = src.table.slice(0, limit) if limit else src.table
        return [list(r) for r in zip(*(c.to_pylist() for c in t.columns))] if t.num_columns else []
    return src.rows[:limit] if limit else src.rows


def xlsx_text_table(src: Source) -> tuple[pa.Table | None, list[list[object]] | None]:
    """The sheet as (an Arrow table of text cells, None) when fastexcel read it, else (None, rows)."""
    if src.rows is None and src.table is None:
        _read_xlsx(src)
    return src.table, src.rows


def _damaged(src: Source, e: Exception) -> BadFile:
    return BadFile(f"Tệp «{src.path.name}» là Excel (.xlsx) bị hỏng hoặc không đầy đủ: không mở được ({type(e).__name__}).")


def _read_xlsx(src: Source) -> None:
    """fastexcel (calamine, cells to Arrow text in Rust) for the usual sheet; python-calamine and
    cell_to_text per cell when fastexcel's text would differ from cell_to_text's (see _ambiguous)
    or the sheet's first row cannot be found."""
    try:
        sheet = fastexcel.read_excel(str(src.path)).load_sheet(0, header_row=None, dtypes="string")
        if sheet.width > MAX_COLUMNS:
            raise BadFile(f"Tệp «{src.path.name}» có {sheet.width} cột (tối đa {MAX_COLUMNS}): không phải tệp xuất hồ sơ hay bảng đánh giá.")
        table = sheet.to_arrow()
    except BadFile:
        raise
    except Exception as e:  # fastexcel raises its own error types for damaged workbooks
        raise _damaged(src, e)
    first = _first_used_row(src.path) if table.num_rows else 1
    if first is not None and not _ambiguous(table):
        src.table = _as_cell_text(table).rename_columns([f"c{i}" for i in range(table.num_columns)])
        src.first_row = first
        return
    src.rows = _read_xlsx_cells(src)
    src.first_row = 1


def _read_xlsx_cells(src: Source) -> list[list[object]]:
    try:
        wb = CalamineWorkbook.from_path(str(src.path))
        sheet = wb.get_sheet_by_index(0)
        if sheet.width > MAX_COLUMNS:
            raise BadFile(f"Tệp «{src.path.name}» có {sheet.width} cột (tối đa {MAX_COLUMNS}): không phải tệp xuất hồ sơ hay bảng đánh giá.")
        # skip_empty_area=False: keep empty rows above the table so row numbers match Excel's.
        rows = sheet.to_python(skip_empty_area=False)
    except BadFile:
        raise
    except Exception as e:  # calamine raises its own error types for damaged workbooks
        raise _damaged(src, e)
    return rows


# fastexcel writes a number cell 92.5 as '92.5' (cell_to_text: '92,5', so that it is never read as a
# thousands dot), a time as '1899-12-31 08:30:00', a datetime with milliseconds with a fraction: a
# text cell cannot be told from these, so a sheet holding any is read cell by cell instead.
# (Rust writes floats without an exponent: 1e20 as '100000000000000000000', like cell_to_text.)
_AMBIGUOUS_DOTTED = r"^-?\d+\.\d+$|^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\."


def _ambiguous(table: pa.Table) -> bool:
    for c in table.columns:
        if c.null_count == len(c):
            continue
        if pc.any(pc.starts_with(c, "1899-12-3")).as_py():
            return True
        dotted = c.filter(pc.match_substring(c, "."))  # a plain substring search: cheap; few cells
        if len(dotted) and pc.any(pc.match_substring_regex(dotted, _AMBIGUOUS_DOTTED)).as_py():
            return True
    return False


def _as_cell_text(table: pa.Table) -> pa.Table:
    """fastexcel's text as cell_to_text writes it: a date (or midnight datetime) cell date-only,
    booleans True/False. Each rewrite only on the columns that need it."""
    cols = []
    for c in table.columns:
        if c.null_count < len(c):
            if pc.any(pc.ends_with(c, " 00:00:00")).as_py():
                c = pc.replace_substring_regex(c, r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", r"\1")
            if pc.any(pc.is_in(c, value_set=pa.array(["true", "false"]))).as_py():
                c = pc.if_else(pc.equal(c, "true"), "True", pc.if_else(pc.equal(c, "false"), "False", c))
        cols.append(c)
    return pa.table(cols, names=table.column_names)


_VALUE_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?[^/])?>(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?(?:v|is)\b", re.DOTALL)
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_REF = re.compile(rb'\br="[A-Z]*(\d+)"')
_SHEET_XML_SCAN = 8 << 20


def _first_used_row(path: Path) -> int | None:
    """The Excel row number of the first row holding a value in the first sheet (fastexcel, like
    calamine's range, starts there), from the head of the sheet's XML; None when not found."""
    try:
        with zipfile.ZipFile(path) as z:
            sheet = re.search(rb"<(?:\w+:)?sheet\b[^>]*?\b(?:\w+:)?id=\"([^\"]+)\"", z.read("xl/workbook.xml"))
            if not sheet:
                return None
            rid = re.escape(sheet.group(1))
            rels = z.read("xl/_rels/workbook.xml.rels")
            t = (re.search(rb'<(?:\w+:)?Relationship\b[^>]*?\bId="' + rid + rb'"[^>]*?\bTarget="([^"]+)"', rels)
                 or re.search(rb'<(?:\w+:)?Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="' + rid + rb'"', rels))
            if not t:
                return None
            target = t.group(1).decode()
            name = target.lstrip("/") if target.startswith("/") else "xl/" + target
            with z.open(name) as f:
                buf = b""
                while chunk := f.read(1 << 16):
                    buf += chunk
                    m = _VALUE_CELL.search(buf)
                    if m:
                        ref = _REF.search(m.group(1) or b"")
                        if ref:
                            return int(ref.group(1))
                        rows = list(_ROW_TAG.finditer(buf, 0, m.start()))
                        ref = _REF.search(rows[-1].group(1)) if rows else None
                        return int(ref.group(1)) if ref else len(rows) or None
                    if len(buf) > _SHEET_XML_SCAN:
                        return None
    except Exception:
        return None
    return None


def cell_to_text(v: object) -> str | None:
    """A cell as the text the validators parse. Excel dates become ISO text; a date without a time
    stays date-only so 'compared by day' still applies; Excel serial numbers stay numbers."""
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        if v.hour == v.minute == v.second == 0 and v.microsecond == 0:
            return v.strftime("%Y-%m-%d")
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, dt.time):
        return v.strftime("%H:%M:%S")
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return repr(v).replace(".", ",")  # decimal comma: never mistaken for a thousands dot
    s = str(v).strip()
    return s or None


def csv_text_stream(src: Source) -> io.StringIO:
    assert src.text is not None
    return io.StringIO(src.text)
