"""The kinds of file the ETL knows: the only place that lists them all.

A further kind is one module in this package (its headings, row checks, target table, demo
generator: see base.SourceKind) and one line in SOURCES. The order is the demo's load order and
the order kinds are named in messages.
"""
from __future__ import annotations

from . import commendations, commitments, dossiers, evaluations, inspections, staff_ratings, surveys
from .base import SourceKind

SOURCES: tuple[SourceKind, ...] = (
    dossiers.SOURCE,
    evaluations.SOURCE,
    commitments.SOURCE,
    surveys.SOURCE,
    inspections.SOURCE,
    staff_ratings.SOURCE,
    commendations.SOURCE,
)

BY_KIND: dict[str, SourceKind] = {s.kind: s for s in SOURCES}

# Views over the registry that older code reads by name.
SYNONYMS = {s.kind: s.synonyms for s in SOURCES}
REQUIRED = {s.kind: s.required for s in SOURCES}
KIND_LABELS = {s.kind: s.label for s in SOURCES}
COLUMN_LABELS: dict[str, str] = {}
for _s in SOURCES:
    for _column, _label in _s.column_labels.items():
        # one canonical name means one thing with one usual heading, whichever kind uses it
        if COLUMN_LABELS.setdefault(_column, _label) != _label:
            raise ValueError(f"{_s.kind}.{_column}: «{_label}» ≠ «{COLUMN_LABELS[_column]}»")

_COUNT_WORDS = {1: "một", 2: "hai", 3: "ba", 4: "bốn", 5: "năm", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín", 10: "mười"}

EXPECTED_HEADERS = (
    f"Cần một dòng tiêu đề cột của một trong {_COUNT_WORDS.get(len(SOURCES), str(len(SOURCES)))} loại tệp: "
    + "; ".join(f"{s.label} ({s.expected})" for s in SOURCES) + "."
)
