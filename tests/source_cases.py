"""The metrics CLI runs compared across sources (tests/test_parquet_export.py, test_spark_metrics.py):
every table the CLI knows, over a whole quarter (answered from the pre-aggregated tables), a
period that is not whole months (the SQL over the raw dossiers) and a commune selection (a list
parameter, expanded through the 2025 merger)."""
from __future__ import annotations

from metrics.__main__ import CLI_TABLES, main
from metrics_fixtures import HUU_2025, THAI

PERIODS = {
    "q1": ["--from", "2022-01-01", "--to", "2022-03-31"],
    "days": ["--from", "2022-01-05", "--to", "2022-03-20"],
    "commune": ["--from", "2022-01-01", "--to", "2022-03-31", "--commune", HUU_2025],
}
# Options a table needs (others run with none); late_rates once per grouping.
TABLE_RUNS = {
    "late_rates": [["--by", "unit"], ["--by", "field"], ["--by", "procedure"]],
    "unit_history": [["--unit", THAI]],
    "commitments": [[], ["--year", "2021"]],
}


def cases(tables=CLI_TABLES):
    for table in tables:
        for extra in TABLE_RUNS.get(table, [[]]):
            for period, args in PERIODS.items():
                yield table, period, [table, *args, *extra]


def case_id(case) -> str:
    table, period, argv = case
    return "-".join([table, period, *[a.lstrip("-") for a in argv[len(PERIODS[period]) + 1:]]])


def cli_bytes(argv: list[str], out) -> bytes:
    assert main([*argv, "--out", str(out)]) == 0
    return out.read_bytes()
