"""Load the reference tables (unit registry, unit notes, classification bands, rating rules) from
data/reference/*.csv.

Another locality replaces these CSV files; no code changes.
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from .derive import refresh_lineage
from .staging import arrow_view
from .text import unit_key
from .warehouse import REFERENCE_DIR

KINDS = ("commune", "department", "service_unit", "association")
# The level of government a unit belongs to (Biểu 06's rows "Cấp tỉnh", "Cấp huyện", "Cấp xã").
LEVELS = ("province", "district", "commune")


class RegistryError(ValueError):
    """units.csv has a value the warehouse cannot take (the message names the file and row)."""


def _is_iso_date(text: str) -> bool:
    try:
        return len(text) == 10 and date.fromisoformat(text) is not None   # 2025-07-01, not 20250701
    except ValueError:
        return False


def _day(row: dict, column: str) -> date | None:
    """A date column of a checked units.csv row (unit_level), None when blank."""
    value = (row.get(column) or "").strip()
    return date.fromisoformat(value) if value else None


def unit_level(row: dict, line: int, path: Path) -> str:
    """Row `line` of units.csv checked (kind, level, the dates), and its level: `level` as
    written; blank or absent (a registry written before the column) = by kind: a commune is at
    commune level, any other unit at district level (what Ninh Phước's registry was until
    30/06/2025). A province's own bodies (Sở, ban, ngành) must say `province`."""
    kind = (row.get("kind") or "").strip()
    if kind not in KINDS:
        raise RegistryError(f"{path.name}, dòng {line}: loại đơn vị «{kind}» không hợp lệ "
                            f"(cột kind chỉ nhận: {', '.join(KINDS)}).")
    for column in ("valid_from", "valid_to"):
        value = (row.get(column) or "").strip()
        if value and not _is_iso_date(value):
            raise RegistryError(f"{path.name}, dòng {line}: ngày «{value}» ở cột {column} không đúng "
                                f"dạng NNNN-TT-NN (ví dụ 2025-07-01).")
    level = (row.get("level") or "").strip()
    if not level:
        return "commune" if kind == "commune" else "district"
    if level not in LEVELS:
        raise RegistryError(f"{path.name}, dòng {line}: cấp «{level}» không hợp lệ "
                            f"(cột level chỉ nhận: province = cấp tỉnh, district = cấp huyện, "
                            f"commune = cấp xã; để trống thì theo loại đơn vị).")
    return level


def read_units(reference_dir: Path = REFERENCE_DIR) -> list[dict]:
    with open(reference_dir / "units.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def registry_rows(reference_dir: Path = REFERENCE_DIR) -> list[dict]:
    """units.csv as the next load reads it (checked as a load checks it: RegistryError), one dict
    per unit in Vietnamese order of name: unit_id, name, kind, level, valid_from, valid_to (dates
    or None), successor (the successor's name, or its id when the registry lacks it), aliases
    (the spellings as written)."""
    units = read_units(reference_dir)
    path = reference_dir / "units.csv"
    levels = [unit_level(u, line, path) for line, u in enumerate(units, start=2)]
    names = {u["unit_id"].strip(): u["name"].strip() for u in units}
    rows = []
    for u, level in zip(units, levels):
        successor = (u.get("successor_id") or "").strip()
        rows.append({
            "unit_id": u["unit_id"].strip(), "name": u["name"].strip(), "kind": u["kind"].strip(),
            "level": level,
            "valid_from": _day(u, "valid_from"), "valid_to": _day(u, "valid_to"),
            "successor": names.get(successor, successor) or None,
            "aliases": [a.strip() for a in (u.get("aliases") or "").split("|") if a.strip()],
        })
    order = duckdb.connect()   # DuckDB's Vietnamese collation, as every table of the dashboard
    try:
        ranked = order.execute("SELECT i FROM (SELECT unnest($names) AS name, generate_subscripts($names, 1) AS i) "
                               "ORDER BY name COLLATE vi, i", {"names": [r["name"] for r in rows]}).fetchall()
    finally:
        order.close()
    return [rows[i - 1] for (i,) in ranked]


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Text rows into `table` in one statement (DuckDB casts them to the columns' types, dates
    included). `executemany` runs a statement per row: ~0.4 ms each, 0.9 s for a province's
    registry (538 units, ~2,000 spellings), paid by every load and every preview."""
    data = pa.table({c: pa.array([r[i] for r in rows], pa.string()) for i, c in enumerate(columns)})
    with arrow_view(con, data) as view:
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM {view}")


def load_reference(con: duckdb.DuckDBPyConnection, reference_dir: Path = REFERENCE_DIR) -> None:
    units = read_units(reference_dir)
    path = reference_dir / "units.csv"
    levels = [unit_level(u, line, path) for line, u in enumerate(units, start=2)]   # line 1: headings
    con.execute("DELETE FROM units")
    con.execute("DELETE FROM unit_aliases")
    _insert(con, "units", ("unit_id", "name", "kind", "valid_from", "valid_to", "successor_id", "level"), [
        (
            u["unit_id"].strip(),
            u["name"].strip(),
            u["kind"].strip(),
            u["valid_from"].strip() or None,
            u["valid_to"].strip() or None,
            (u.get("successor_id") or "").strip() or None,
            level,
        )
        for u, level in zip(units, levels)
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
