"""Recognise the header of an export: where it is, which kind of file it is, which column is what.

Real exports put a title block above the header, sometimes split the header over two rows
(a merged "Thời gian" over "Tiếp nhận / Hẹn trả / Trả kết quả"), and spell headings freely.
Headings are compared after `fold` (case, spacing, line breaks and diacritics ignored).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from .text import fold

# kind -> canonical column -> (exact-or-prefix synonyms, "contains" phrases)
# A heading matches a synonym when, folded, it equals it or starts with it followed by a space.
# "contains" phrases are distinctive enough to match anywhere in the heading.
SYNONYMS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "dossiers": {
        "dossier_id": (("ma ho so", "so ho so", "ma hs", "so hs", "ma so ho so", "so bien nhan", "ma bien nhan"), ()),
        "procedure_name": (("ten thu tuc", "ten tthc", "thu tuc hanh chinh", "thu tuc", "tthc"), ()),
        "field": (("linh vuc", "ten linh vuc"), ()),
        "unit": (("don vi tiep nhan", "co quan tiep nhan", "co quan giai quyet", "don vi giai quyet",
                  "don vi", "co quan", "noi tiep nhan"), ()),
        "channel": (("hinh thuc nop", "hinh thuc tiep nhan", "kenh tiep nhan", "hinh thuc", "kenh nop"), ()),
        "received_at": (("ngay tiep nhan", "ngay nhan", "thoi gian tiep nhan", "tiep nhan", "ngay nop"), ()),
        "due_at": (("ngay hen tra", "han giai quyet", "han xu ly", "hen tra", "thoi gian hen tra", "ngay hen",
                    "han tra"), ()),
        "finished_at": (("ngay tra ket qua", "ngay hoan thanh", "ngay tra", "tra ket qua", "thoi gian tra ket qua",
                         "ngay co ket qua"), ()),
        "apology": (("phieu xin loi", "xin loi"), ("xin loi",)),
    },
    "evaluations": {
        "unit": (("don vi", "ten don vi", "co quan don vi", "co quan"), ()),
        "period": (("ky danh gia", "ky xep loai", "thoi gian danh gia", "ky", "thang danh gia", "thang"), ()),
        "score": (("tong diem", "diem danh gia", "diem", "tong so diem", "diem tong"), ()),
        "classification": (("xep loai", "muc xep loai", "ket qua xep loai", "muc do hoan thanh"), ()),
    },
    "commitments": {
        "unit": (("don vi", "ten don vi", "co quan don vi", "co quan"), ()),
        "year": (("nam",), ()),
        "headcount": (("tong so cbccvc", "so cbccvc", "tong so can bo cong chuc vien chuc", "tong so cb cc vc",
                       "so luong cbccvc", "bien che", "tong so"), ()),
        "office_culture": ((), ("van hoa cong so",)),
        "smoke_free": ((), ("khong khoi thuoc",)),
        "hcm_study": ((), ("lam theo bac", "lam theo tu tuong", "phong cach ho chi minh", "hoc tap va lam theo")),
        "commitment": (("noi dung cam ket", "loai cam ket", "cam ket"), ()),
        "signed": (("so da ky", "da ky", "so nguoi da ky", "so da dang ky"), ()),
    },
}

REQUIRED = {
    "dossiers": ("dossier_id", "unit", "received_at", "due_at"),
    "evaluations": ("unit", "period"),
    "commitments": ("unit", "year", "headcount"),
}

KIND_LABELS = {"dossiers": "hồ sơ TTHC", "evaluations": "đánh giá, xếp loại", "commitments": "cam kết"}

COLUMN_LABELS = {
    "dossier_id": "Mã hồ sơ", "procedure_name": "Tên thủ tục", "field": "Lĩnh vực", "unit": "Đơn vị",
    "channel": "Hình thức nộp", "received_at": "Ngày tiếp nhận", "due_at": "Ngày hẹn trả",
    "finished_at": "Ngày trả kết quả", "apology": "Phiếu xin lỗi", "period": "Kỳ đánh giá",
    "score": "Tổng điểm", "classification": "Xếp loại", "year": "Năm", "headcount": "Tổng số CBCCVC",
    "office_culture": "Ký cam kết văn hóa công sở", "smoke_free": "Ký cam kết không khói thuốc lá",
    "hcm_study": "Đăng ký học tập và làm theo Bác", "commitment": "Cam kết", "signed": "Số đã ký",
}

# Rows that end the data: "Tổng cộng", "Tổng số", "Cộng".
TOTAL_PREFIXES = ("tong cong", "tong so", "cong", "tong")

HEADER_SCAN_ROWS = 40


def match_heading(heading: str, kind: str) -> str | None:
    """The canonical column a folded heading stands for in a file of `kind`, or None."""
    m = _heading_match(heading, kind)
    return m[1] if m else None


@functools.lru_cache(maxsize=8192)
def _heading_match(heading: str, kind: str) -> tuple[int, str] | None:
    """(score, canonical) of the best synonym for a heading: how sure the match is."""
    h = fold(heading)
    if not h:
        return None
    best: tuple[int, str] | None = None
    for canonical, (prefixes, contains) in SYNONYMS[kind].items():
        for syn in prefixes:
            if h == syn or h.startswith(syn + " "):
                # Longest synonym wins: "don vi tiep nhan" over "don vi"; an exact match over a prefix.
                score = len(syn) * 2 + (1 if h == syn else 0)
                if best is None or score > best[0]:
                    best = (score, canonical)
        for phrase in contains:
            if phrase in h:
                score = len(phrase) * 2 + 1000  # distinctive phrases beat generic prefixes
                if best is None or score > best[0]:
                    best = (score, canonical)
    return best


@dataclass
class HeaderMatch:
    kind: str
    header_row: int          # 0-based index of the (first) header row
    header_rows: int         # 1 or 2
    columns: dict[str, int]  # canonical -> 0-based column index
    headings: list[str]      # the combined heading text of every column, as the file spells it
    extra: dict[int, str] = field(default_factory=dict)  # unmatched non-empty headings (e.g. criteria)

    @property
    def data_start(self) -> int:
        return self.header_row + self.header_rows

    def mapping_description(self) -> dict[str, str]:
        """Canonical label -> the heading in the file (for previews and messages)."""
        return {COLUMN_LABELS.get(c, c): self.headings[i] for c, i in self.columns.items()}


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    return " ".join(str(v).split())


def _match_row(headings: list[str], kind: str) -> tuple[dict[str, int], dict[int, str]]:
    # Each canonical column goes to the heading that matches it best (first one on a tie), not to the
    # first heading that matches at all: "Điểm tiêu chí a" before "Tổng điểm" must not become the
    # score, nor "Kỷ luật, kỷ cương" before "Kỳ đánh giá" the period.
    best: dict[str, tuple[int, int]] = {}  # canonical -> (score, column)
    for i, h in enumerate(headings):
        m = _heading_match(h, kind)
        if m and (m[1] not in best or m[0] > best[m[1]][0]):
            best[m[1]] = (m[0], i)
    columns = {c: i for c, (_, i) in sorted(best.items(), key=lambda kv: kv[1][1])}
    taken = set(columns.values())
    extra = {i: h for i, h in enumerate(headings)
             if h and i not in taken and fold(h) not in ("stt", "so tt", "tt", "ghi chu")}
    return columns, extra


def _combine(top: list[str], bottom: list[str]) -> list[str]:
    """Headings of a header split over two rows: the lower cell where there is one (the parts under
    a merged "Thời gian"), else the upper cell (STT, Mã hồ sơ spanning both rows)."""
    width = max(len(top), len(bottom))
    top = top + [""] * (width - len(top))
    bottom = bottom + [""] * (width - len(bottom))
    return [b or t for t, b in zip(top, bottom)]


def detect_header(rows: list[list[object]]) -> HeaderMatch | None:
    """Find the header among the first rows and the kind of file it belongs to."""
    texts = [[_cell_text(v) for v in r] for r in rows[:HEADER_SCAN_ROWS + 1]]
    best: tuple[tuple[int, int], HeaderMatch] | None = None
    for i, row in enumerate(texts[:HEADER_SCAN_ROWS]):
        if sum(1 for t in row if t) < 2:
            continue
        candidates = [(row, 1)]
        if i + 1 < len(texts):
            candidates.append((_combine(row, texts[i + 1]), 2))
        for headings, n_rows in candidates:
            for kind in SYNONYMS:
                columns, extra = _match_row(headings, kind)
                if not all(c in columns for c in REQUIRED[kind]):
                    continue
                if kind == "evaluations" and "score" not in columns and "classification" not in columns:
                    continue
                if kind == "commitments" and not (
                    any(c in columns for c in ("office_culture", "smoke_free", "hcm_study"))
                    or ("commitment" in columns and "signed" in columns)
                ):
                    continue
                # More matched columns wins; on a tie the single-row header (fewer assumptions).
                rank = (len(columns), -n_rows)
                if best is None or rank > best[0]:
                    best = (rank, HeaderMatch(kind, i, n_rows, columns, headings, extra))
    return best[1] if best else None


def is_total_row(cells: list[object]) -> bool:
    """A totals row: its first non-empty, non-numeric cell starts with "Tổng cộng" / "Cộng"."""
    for v in cells:
        t = _cell_text(v)
        if not t:
            continue
        f = fold(t)
        if f.replace(" ", "").isdigit():
            return False
        return any(f == p or f.startswith(p + " ") for p in TOTAL_PREFIXES)
    return False
