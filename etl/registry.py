"""Load the reference tables (unit registry, unit notes, classification bands, rating rules) from
data/reference/*.csv.

Another locality replaces these CSV files; no code changes.
"""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pyarrow as pa

from .derive import refresh_lineage
from .staging import arrow_view
from .text import unit_key
from .warehouse import REFERENCE_DIR

KINDS = ("commune", "department", "service_unit", "association")


def read_units(reference_dir: Path = REFERENCE_DIR) -> list[dict]:
    with open(reference_dir / "units.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Text rows into `table` in one statement (DuckDB casts them to the columns' types, dates
    included). `executemany` runs a statement per row: ~0.4 ms each, 0.9 s for a province's
    registry (538 units, ~2,000 spellings), paid by every load and every preview."""
    data = pa.table({c: pa.array([r[i] for r in rows], pa.string()) for i, c in enumerate(columns)})
    with arrow_view(con, data) as view:
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM {view}")


def load_reference(con: duckdb.DuckDBPyConnection, reference_dir: Path = REFERENCE_DIR) -> None:
    units = read_units(reference_dir)
    con.execute("DELETE FROM units")
    con.execute("DELETE FROM unit_aliases")
    _insert(con, "units", ("unit_id", "name", "kind", "valid_from", "valid_to", "successor_id"), [
        (
            u["unit_id"].strip(),
            u["name"].strip(),
            u["kind"].strip(),
            u["valid_from"].strip() or None,
            u["valid_to"].strip() or None,
            (u.get("successor_id") or "").strip() or None,
        )
        for u in units
    ])
    aliases: set[tuple[str, str]] = set()
    for u in units:
        spellings = [u["name"], u["unit_id"], *(u.get("aliases") or "").split("|")]
        for s in spellings:
            key = unit_key(s)
            if key:
                aliases.add((key, u["unit_id"].strip()))
    _insert(con, "unit_aliases", ("alias_norm", "unit_id"), sorted(aliases))

    # Optional: a locality without such notes has no file.
    con.execute("DELETE FROM unit_notes")
    notes_path = reference_dir / "unit_notes.csv"
    if notes_path.is_file():
        with open(notes_path, encoding="utf-8-sig", newline="") as f:
            notes = [(n["unit_id"].strip(), (n.get("partial_note") or "").strip() or None)
                     for n in csv.DictReader(f) if (n.get("unit_id") or "").strip()]
        _insert(con, "unit_notes", ("unit_id", "partial_note"), notes)

    load_bands(con, reference_dir)
    load_rating_rules(con, reference_dir)
    refresh_lineage(con)


def load_bands(con: duckdb.DuckDBPyConnection, reference_dir: Path = REFERENCE_DIR) -> None:
    """classification_bands from classification_bands.csv: bands and the law they were set under,
    by validity dates (legal_basis may be blank in a locality's file)."""
    con.execute("DELETE FROM classification_bands")
    with open(reference_dir / "classification_bands.csv", encoding="utf-8-sig", newline="") as f:
        bands = list(csv.DictReader(f))
    con.executemany(
        "INSERT INTO classification_bands (valid_from, valid_to, classification, label, min_score, legal_basis) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (b["valid_from"], b["valid_to"] or None, b["classification"], b["label"], float(b["min_score"]),
             (b.get("legal_basis") or "").strip() or None)
            for b in bands
        ],
    )


def load_rating_rules(con: duckdb.DuckDBPyConnection, reference_dir: Path = REFERENCE_DIR) -> None:
    """rating_rules.csv -> rating_rules (the cap on "Hoàn thành xuất sắc" and the years it governs)."""
    con.execute("DELETE FROM rating_rules")
    with open(reference_dir / "rating_rules.csv", encoding="utf-8-sig", newline="") as f:
        rules = list(csv.DictReader(f))
    con.executemany(
        "INSERT INTO rating_rules VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (r["valid_from"].strip(), r["valid_to"].strip() or None, r["rule"].strip(), float(r["max_ratio"]),
             r["enforced"].strip().lower() in ("true", "1", "yes", "co", "có"), r["legal_basis"].strip(),
             (r.get("note") or "").strip() or None)
            for r in rules
        ],
    )
