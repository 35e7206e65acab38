"""python -m bench.deployment [--db FILE] [--runs 5] [--skip-spark] [--out bench/DEPLOYMENT.md]

The numbers of docs/deployment.md, on the demo warehouse (built with `python -m etl demo` under
data/bench/ when --db is not given):
 1. `python -m etl export-parquet`: wall time of the whole command (best and median of --runs),
    size of the file and of the export;
 2. `python -m metrics TABLE` as a command, --db vs --parquet (median wall time, Python start
    included), and the query alone in one process (median ms after a warm-up);
 3. the same tables on Spark SQL (local[*]): session start, views, first and warm run per table,
    and each as a command (a new JVM per run);
every CSV compared byte for byte with the --db one.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.__main__ import machine  # noqa: E402

TABLES = ("overview", "bieu06", "late_dossiers", "ranking", "late_rates")
PERIODS = {  # the demo ends 30/06/2025
    "Q2/2025 (whole months: pre-aggregated tables)": ("2025-04-01", "2025-06-30"),
    "05/04–20/06/2025 (SQL over the dossiers)": ("2025-04-05", "2025-06-20"),
}


def _run(args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(os.path.realpath(path)).rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.deployment")
    ap.add_argument("--db", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-spark", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "DEPLOYMENT.md")
    args = ap.parse_args(argv)

    from metrics.export import table_csv_bytes
    from metrics.filters import Filters
    from metrics.sources import connect

    work = ROOT / "data" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    db = args.db or work / "demo.duckdb"
    if not db.exists():
        _run(["-m", "etl", "demo", "--db", str(db), "--out", str(work / "demo-files")])
    parquet = work / "demo-parquet"
    lines = [f"# Deployment numbers (docs/deployment.md)", "",
             f"Run {dt.datetime.now():%d/%m/%Y %H:%M} with `python -m bench.deployment`, runs = {args.runs}.", ""]
    m = machine()
    lines += [f"Machine: {m.get('cpu', '?')}, {os.cpu_count()} cores; {m.get('os', '')}; "
              f"load average (1 min) at start {os.getloadavg()[0]:.1f} (other jobs share the cores: "
              "wall times are upper bounds).", ""]

    export = [_run(["-m", "etl", "export-parquet", "--db", str(db), "--out", str(parquet)])
              for _ in range(args.runs)]
    with connect(db=db) as con:
        n = con.execute("SELECT count(*) FROM dossiers").fetchall()[0][0]
    lines += ["## export-parquet", "",
              f"Demo warehouse: {n:,} dossiers, file {db.stat().st_size / 2**20:.1f} MiB; export "
              f"{_du(parquet) / 2**20:.1f} MiB ({sum(1 for _ in Path(os.path.realpath(parquet)).glob('dossiers/*/*'))} "
              f"monthly partitions of dossiers).", "",
              f"Whole command (Python start included): best {min(export):.2f} s, median "
              f"{statistics.median(export):.2f} s.", ""]

    lines += ["## python -m metrics: DuckDB file vs Parquet", "",
              "| period | table | command --db s | command --parquet s | query --db ms | query --parquet ms | same CSV |",
              "|---|---|---:|---:|---:|---:|---|"]
    cons = {"db": connect(db=db), "parquet": connect(parquet=parquet)}
    for label, (start, end) in PERIODS.items():
        f = Filters(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
        for table in TABLES:
            cmd = {src: statistics.median(
                _run(["-m", "metrics", table, "--from", start, "--to", end, f"--{src}",
                      str(db if src == "db" else parquet), "--out", os.devnull]) for _ in range(args.runs))
                for src in cons}
            q, out = {}, {}
            for src, con in cons.items():
                out[src] = table_csv_bytes(table, con, f)
                times = []
                for _ in range(args.runs):
                    s = time.perf_counter()
                    table_csv_bytes(table, con, f)
                    times.append(time.perf_counter() - s)
                q[src] = statistics.median(times) * 1000
            lines.append(f"| {label} | {table} | {cmd['db']:.2f} | {cmd['parquet']:.2f} | {q['db']:.0f} | "
                         f"{q['parquet']:.0f} | {'✓' if out['db'] == out['parquet'] else '✗'} |")
    lines.append("")

    if not args.skip_spark:
        from metrics.spark import SparkSQL, spark_session
        s = time.perf_counter()
        spark_session()
        started = time.perf_counter() - s
        s = time.perf_counter()
        spark = SparkSQL(parquet)
        views = time.perf_counter() - s
        lines += ["## The same tables on Spark SQL (local[*], one process)", "",
                  f"Session start {started:.1f} s; views over the export {views:.1f} s.", "",
                  "| period | table | first run s | warm run s (median) | DuckDB file ms | same CSV |",
                  "|---|---|---:|---:|---:|---|"]
        for label, (start, end) in PERIODS.items():
            f = Filters(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
            for table in TABLES:
                s = time.perf_counter()
                got = table_csv_bytes(table, spark, f)
                first = time.perf_counter() - s
                warm = []
                for _ in range(max(1, args.runs // 2)):
                    s = time.perf_counter()
                    table_csv_bytes(table, spark, f)
                    warm.append(time.perf_counter() - s)
                s = time.perf_counter()
                want = table_csv_bytes(table, cons["db"], f)
                duck = (time.perf_counter() - s) * 1000
                lines.append(f"| {label} | {table} | {first:.2f} | {statistics.median(warm):.2f} | {duck:.0f} | "
                             f"{'✓' if got == want else '✗'} |")
        start, end = PERIODS[next(iter(PERIODS))]
        cli = [_run(["-m", "metrics", table, "--from", start, "--to", end, "--parquet", str(parquet),
                     "--engine", "spark", "--out", os.devnull]) for table in TABLES]
        lines += ["", f"As a command (`python -m metrics TABLE --parquet DIR --engine spark`, one new JVM "
                      f"each, Q2/2025): {', '.join(f'{t} {c:.1f} s' for t, c in zip(TABLES, cli))}.", ""]
    lines += [f"Load average (1 min) at the end: {os.getloadavg()[0]:.1f}.", ""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
