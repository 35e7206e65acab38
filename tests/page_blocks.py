"""Read back, in AppTest, what the pages draw as HTML blocks (ui/static_html.py): the KPI cards
and the short plain tables. Parsed from the HTML the page sent, as a reader would see it.

cards(at): one Card per KPI card (label, value, delta, help, tone, arrow), in page order.
plain_tables(at): each plain table as a DataFrame; cells shown as Vietnamese numbers ("1.234",
"99,0", "100,0 %") read back as numbers, "–" as missing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pandas as pd


@dataclass
class Card:
    label: str = ""
    value: str = ""
    delta: str | None = None
    help: str | None = None
    tone: str | None = None   # good | bad | neutral (the pill's colour)
    arrow: str | None = None  # up | down | None (no change: no arrow)


class _Cards(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cards: list[Card] = []
        self.field: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        cls = (dict(attrs).get("class") or "").split()
        field = None
        if "kpi" in cls:
            self.cards.append(Card())
        elif "kpi-label-text" in cls:
            field = "label"
        elif "kpi-value" in cls:
            field = "value"
        elif "kpi-tip" in cls:
            field = "help"
        elif "kpi-delta" in cls:
            self.cards[-1].tone = cls[1] if len(cls) > 1 else None
            self.cards[-1].delta = ""
            field = "delta"
        self.field.append(field)

    def handle_endtag(self, tag):
        if self.field:
            self.field.pop()

    def handle_data(self, data):
        field = next((f for f in reversed(self.field) if f), None)
        if field == "delta" and data.strip() in ("↑", "↓"):
            self.cards[-1].arrow = "up" if data.strip() == "↑" else "down"
        elif field and self.cards:
            card = self.cards[-1]
            setattr(card, field, ((getattr(card, field) or "") + data).strip())


def _bodies(at) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def cards(at) -> list[Card]:
    out = []
    for body in _bodies(at):
        if 'class="kpi-grid' in body:
            p = _Cards()
            p.feed(body)
            out += p.cards
    return out


def card(at, label: str) -> Card:
    found = [c for c in cards(at) if c.label == label]
    assert found, f"no card {label!r}: {[c.label for c in cards(at)]}"
    return found[0]


class _Table(HTMLParser):
    def __init__(self):
        super().__init__()
        self.head: list[str] = []
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "thead":
            self.in_head = True
        elif tag == "tr" and not self.in_head:
            self.rows.append([])
        elif tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "thead":
            self.in_head = False
        elif tag in ("th", "td") and self.cell is not None:
            text = "".join(self.cell).strip()
            (self.head if self.in_head else self.rows[-1]).append(text)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?( %)?$")


def _value(text: str):
    if text == "–":
        return float("nan")
    if _NUMBER.match(text):
        number = text.removesuffix(" %").replace(".", "").replace(",", ".")
        return float(number) if "." in number else int(number)
    return text


def plain_tables(at) -> list[pd.DataFrame]:
    out = []
    for body in _bodies(at):
        if 'class="plain-table"' in body:
            p = _Table()
            p.feed(body)
            out.append(pd.DataFrame([[_value(v) for v in row] for row in p.rows], columns=p.head))
    return out
