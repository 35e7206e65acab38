"""What a report is made of, before it is a file: headings, paragraphs, tables and pictures.

A section is one function (report.sections) that takes the metrics tables of the period
(report.data.ReportData) and returns these blocks; report.docx, report.xlsx and the Báo cáo page's
preview each render the same blocks, so the Word draft, the Excel annex and the preview cannot
disagree.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1          # 1: "I. …", 2: "1. …", 3: "a) …"


@dataclass(frozen=True)
class Paragraph:
    text: str
    guidance: bool = False  # a hint for the writer: italic, in square brackets, to be replaced


@dataclass(frozen=True)
class Table:
    """A table of the report. `df` holds typed values (ints, floats 0–100 for rates, None where
    there is nothing), Vietnamese headings; `formats` maps a column to "int" | "pct" | "score" |
    "text" | "year" (default: from the dtype). `sheet` names its sheet in the Excel annex;
    `row_formats` (optional, one per row) overrides the number format per row (the indicator
    tables mix counts, rates and scores in one column)."""
    number: int
    caption: str
    df: pd.DataFrame
    sheet: str
    formats: dict = field(default_factory=dict)
    row_formats: tuple = ()
    bold_rows: tuple = ()   # row positions printed bold (subtotals, the total)
    in_document: bool = True  # False: only in the Excel annex (too long for the draft)
    document_columns: tuple = ()  # the columns the Word draft prints (default all; the annex has all)


@dataclass(frozen=True)
class Picture:
    number: int
    caption: str
    figure: object          # plotly Figure
    width_px: int = 900
    height_px: int | None = None


Block = Heading | Paragraph | Table | Picture
