"""Every table and column of the warehouse schema is documented in docs/data-contract.md."""
import re
from pathlib import Path

import duckdb

from etl.warehouse import ensure_schema

DOC = (Path(__file__).resolve().parent.parent / "docs" / "data-contract.md").read_text(encoding="utf-8")


def _sections() -> dict[str, str]:
    parts = re.split(r"^## ", DOC, flags=re.M)[1:]
    return {p.split("\n", 1)[0].strip(): p for p in parts}


def test_every_table_and_column_is_documented():
    con = duckdb.connect()
    ensure_schema(con)
    sections = _sections()
    missing = []
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns ORDER BY table_name, ordinal_position"
    ).fetchall():
        if table not in sections:
            missing.append(f"table {table}")
            continue
        # a table row starting with the column name, alone or in a list "a, b, c"
        rows = [ln for ln in sections[table].splitlines() if ln.startswith("|")]
        if not any(re.search(rf"(^\|\s*|,\s*){column}(\s*\||\s*,)", ln) for ln in rows):
            missing.append(f"{table}.{column}")
    assert not missing, f"undocumented in docs/data-contract.md: {missing}"


def test_contract_tables_exist_with_fixed_names():
    con = duckdb.connect()
    ensure_schema(con)
    cols = {(t, c) for t, c in con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall()}
    fixed = {
        "units": ["unit_id", "name", "kind", "valid_from", "valid_to", "successor_id"],
        "dossiers": ["dossier_id", "unit_id", "field", "procedure_name", "channel", "received_at", "due_at",
                     "finished_at", "apology_issued", "batch_id"],
        "evaluations": ["unit_id", "period_type", "period_start", "score", "classification", "batch_id"],
        "commitments": ["unit_id", "year", "commitment", "headcount", "signed"],
        "load_batches": ["batch_id", "file_name", "sha256", "kind", "loaded_at", "rows_read", "rows_loaded",
                         "rows_rejected", "status"],
        "load_rejects": ["batch_id", "row_number", "column_name", "reason", "raw"],
    }
    for table, columns in fixed.items():
        for c in columns:
            assert (table, c) in cols, f"{table}.{c} is part of the contract"
