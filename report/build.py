"""The report's files from a warehouse connection and Filters (the dashboard's page and the CLI
both call these)."""
from __future__ import annotations

from pathlib import Path

from metrics import tables
from metrics.filters import Filters

from . import bulletin, excel, sections, word
from .data import ReportData, collect

FORMATS = {".docx": "docx", ".xlsx": "xlsx", ".png": "png"}
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
}


def docx_bytes(con, filters: Filters, data: ReportData | None = None) -> bytes:
    d = data or collect(con, filters)
    return word.build_docx(d, sections.blocks(d))


def xlsx_bytes(con, filters: Filters, data: ReportData | None = None) -> bytes:
    d = data or collect(con, filters)
    if "bieu06_by_unit" not in d.tables:   # only the annex has it
        d.tables["bieu06_by_unit"] = tables.build("bieu06_by_unit", con, filters)
    return excel.build_xlsx(d, sections.blocks(d))


def png_bytes(con, filters: Filters, data: ReportData | None = None) -> bytes:
    d = data or collect(con, filters)
    return bulletin.build_png(d, con)


BUILDERS = {"docx": docx_bytes, "xlsx": xlsx_bytes, "png": png_bytes}


def file_format(path: str | Path) -> str | None:
    return FORMATS.get(Path(path).suffix.lower())


def write(con, filters: Filters, path: str | Path) -> Path:
    """Write the .docx, .xlsx or .png the extension of `path` asks for."""
    kind = file_format(path)
    if kind is None:
        raise ValueError(f"Không biết định dạng của tệp '{path}': cần đuôi .docx, .xlsx hoặc .png")
    payload = BUILDERS[kind](con, filters)
    path = Path(path)
    path.write_bytes(payload)
    return path


def file_name(kind: str, filters: Filters, unit_names=()) -> str:
    """bao-cao_phuoc-hau_2024-01_2024-12.docx, phu-luc_…xlsx, ban-tin_…png."""
    from metrics.export import csv_file_name

    slug = {"docx": "bao-cao", "xlsx": "phu-luc-bao-cao", "png": "ban-tin"}[kind]
    return csv_file_name(slug, filters, unit_names)[: -len(".csv")] + "." + kind
