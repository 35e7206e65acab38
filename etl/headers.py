"""Recognise the header of an export: where it is, which kind of file it is, which column is what.

Real exports put a title block above the header, sometimes split the header over two rows
(a merged "Thời gian" over "Tiếp nhận / Hẹn trả / Trả kết quả"), and spell headings freely.
Headings are compared after `fold` (case, spacing, line breaks and diacritics ignored).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

# The kinds, their synonyms and labels live in etl/sources/ (one module per kind); the views
# are re-exported here for the code that reads them by this module's name.
from .sources import COLUMN_LABELS, KIND_LABELS, REQUIRED, SOURCES, SYNONYMS  # noqa: F401
from .text import fold

# Rows that end the data: "Tổng cộng", "Tổng số", "Cộng".
TOTAL_PREFIXES = ("tong cong", "tong so", "cong", "tong")

HEADER_SCAN_ROWS = 40


def match_heading(heading: str, kind: str) -> str | None:
    """The canonical column a folded heading stands for in a file of `kind`, or None."""
    m = _heading_match(heading, kind)
    return m[1] if m else None


@functools.lru_cache(maxsize=None)
def _synonym_index(kind: str) -> tuple[dict[str, list[tuple[str, str]]], list[tuple[str, str]]]:
    """A kind's synonyms, in their order: the prefixes by their first word (a prefix matches only a
    heading that starts with its first word) and the phrases a heading may contain anywhere."""
    prefixes: dict[str, list[tuple[str, str]]] = {}
    phrases: list[tuple[str, str]] = []
    for canonical, (starts, contains) in SYNONYMS[kind].items():
        for syn in starts:
            prefixes.setdefault(syn.split(" ", 1)[0], []).append((syn, canonical))
        phrases.extend((phrase, canonical) for phrase in contains)
    return prefixes, phrases


@functools.lru_cache(maxsize=8192)
def _heading_match(heading: str, kind: str) -> tuple[int, str] | None:
    """(score, canonical) of the best synonym for a heading: how sure the match is.
    A phrase found anywhere beats every prefix (distinctive phrases beat generic prefixes); among
    prefixes the longest wins, an exact match over a prefix; on a tie, the first in SYNONYMS' order.
    (Header detection asks this of every cell of the first 40 rows, for every kind: the data cells
    below the header are all different, so the cache rarely helps them; the index keeps each
    question to the few synonyms that can match.)"""
    h = fold(heading)
    if not h:
        return None
    prefixes, phrases = _synonym_index(kind)
    best: tuple[int, str] | None = None
    for phrase, canonical in phrases:
        if phrase in h:
            score = len(phrase) * 2 + 1000
            if best is None or score > best[0]:
                best = (score, canonical)
    if best is not None:
        return best
    for syn, canonical in prefixes.get(h.split(" ", 1)[0], ()):
        if h == syn or h.startswith(syn + " "):
            # Longest synonym wins: "don vi tiep nhan" over "don vi"; an exact match over a prefix.
            score = len(syn) * 2 + (1 if h == syn else 0)
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


def _match_row(headings: list[str], kind: str) -> dict[str, int]:
    """canonical -> column of the headings that stand for the columns of `kind`."""
    # Each canonical column goes to the heading that matches it best (first one on a tie), not to the
    # first heading that matches at all: "Điểm tiêu chí a" before "Tổng điểm" must not become the
    # score, nor "Kỷ luật, kỷ cương" before "Kỳ đánh giá" the period.
    best: dict[str, tuple[int, int]] = {}  # canonical -> (score, column)
    for i, h in enumerate(headings):
        m = _heading_match(h, kind)
        if m and (m[1] not in best or m[0] > best[m[1]][0]):
            best[m[1]] = (m[0], i)
    return {c: i for c, (_, i) in sorted(best.items(), key=lambda kv: kv[1][1])}


def _extra(headings: list[str], columns: dict[str, int]) -> dict[int, str]:
    """The non-empty headings no column took (criteria of a sheet, say), STT and notes aside."""
    taken = set(columns.values())
    return {i: h for i, h in enumerate(headings)
            if h and i not in taken and fold(h) not in ("stt", "so tt", "tt", "ghi chu")}


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
            for source in SOURCES:
                kind = source.kind
                columns = _match_row(headings, kind)
                if not all(c in columns for c in source.required) or not source.accepts(columns):
                    continue
                # More matched columns wins; on a tie the single-row header (fewer assumptions).
                rank = (len(columns), -n_rows)
                if best is None or rank > best[0]:
                    best = (rank, (kind, i, n_rows, columns, headings))
    if best is None:
        return None
    kind, i, n_rows, columns, headings = best[1]
    return HeaderMatch(kind, i, n_rows, columns, headings, _extra(headings, columns))


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
