"""python -m bench --report   (the report documents only: bench/report_bench.py)
python -m bench [--sizes 1000000,10000000] [--quick] [--runs 5] [--skip-etl] [--skip-server]
                  [--skip-browser] [--skip-pandas] [--out bench/RESULTS.md]

Province-scale benchmark of the dashboard (see bench/RESULTS.md for the last full run):
 1. every query a page runs for one interaction, with and without a commune filter, median ms
    over --runs runs after a warm-up: metrics/ as shipped (from the pre-aggregated tables of
    etl/aggregates.py when they answer), and its SQL over the raw dossiers;
 2. the same numbers the pandas way (whole table in a DataFrame, filtered and grouped in pandas),
    and the ratio pandas / DuckDB pair by pair;
 3. ETL throughput of CSV and XLSX exports through etl.load.load_files (rows/s): the CSV beside
    DuckDB's own read_csv of it into a table of a database file (and into memory); the XLSX in
    the layouts export software writes (Excel's shared strings, streaming writers' inline text)
    and openpyxl's (bench/etl_bench.py: XLSX_WRITERS);
 4. peak RSS of the dashboard server after every page was opened;
 5. in Chromium: time to the overview drawn after navigation, and to a commune filter change drawn;
    the overview again at a phone's speed (CPU throttled 4×, a phone's screen);
 6. the machine's speed at the run's start and end (bench/calibration.py: fixed work, to tell a
    slow phase of the machine from slower code).
Warehouses are built with etl.scale.build_scale under data/bench/ (git-ignored) and reused.
--quick: ~20k dossiers, 3 runs, tiny ETL files, no server/browser; for the smoke test.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from bench import queries as Q  # noqa: E402
from bench.calibration import calibrate, describe as describe_speed  # noqa: E402
from etl.warehouse import connect_read  # noqa: E402

TARGET_QUERY_MS = 20.0         # every interaction, median, at 10M (issue 12)
TARGET_QUERY_MS_NATIONAL = 100.0   # at 30M and more: the national order of magnitude
TARGET_RATIO = 5.0
TARGET_CSV = 500_000
TARGET_XLSX = 100_000
TARGET_FLOOR_RATIO = 2.5  # CSV load time ÷ DuckDB read_csv of the same file into a table
TARGET_RSS = 1 << 30
TARGET_NAV_S = 2.0
TARGET_FILTER_S = 0.5


# -------------------------------------------------------------------------------------------------
# measuring

def timed(fn, runs: int) -> tuple[float, list[float], float]:
    """Median wall ms over `runs` calls after a warm-up, the wall times, and the median CPU ms of
    this process (all DuckDB threads included): the work done, whatever else shares the cores."""
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), wall, statistics.median(cpu)


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    import pandas
    import pyarrow
    versions = {"python": platform.python_version(), "duckdb": duckdb.__version__,
                "pandas": pandas.__version__, "pyarrow": pyarrow.__version__}
    try:
        import streamlit
        versions["streamlit"] = streamlit.__version__
    except ImportError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem / 2**30, 1),
            "os": platform.platform(), "versions": versions}


def ensure_warehouse(n: int, data_dir: Path, rebuild: bool, progress=None) -> tuple[Path, float | None]:
    from etl.scale import build_scale
    path = data_dir / f"scale_{n}.duckdb"
    if path.exists() and not rebuild:
        con = duckdb.connect(str(path), read_only=True)
        try:
            tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            ok = ("agg_units_monthly" in tables and con.execute("SELECT count(*) FROM dossiers").fetchall()[0][0] == n
                  and bool(con.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = 'agg_info' "
                                       "AND column_name = 'max_batch'").fetchall()[0][0]))
        finally:
            con.close()
        if ok:
            return path, None
    t0 = time.perf_counter()
    build_scale(n, db=path, verbose=False, **({"progress": progress} if progress else {}))
    return path, time.perf_counter() - t0


def bench_queries(db: Path, runs: int, with_pandas: bool, log, progress=None) -> dict:
    """DuckDB first (metrics as shipped, then its raw SQL), for every case; then the pandas way in
    a second pass, so the 1–2 GB DataFrame and its load never overlap the DuckDB timings."""
    from bench import pandas_way as PW

    # as the dashboard reads it (etl.warehouse.Reader): the file ATTACHed to an in-memory database
    con = connect_read(db)
    out = {"rows": [], "pandas_load": None}
    work = []
    for case in Q.cases():  # warm-up pass: DuckDB's buffer pool holds what the timed runs read
        for name in Q.INTERACTIONS:
            f = Q.trend_filters(case.filters) if name == "trend" else case.filters
            Q.run_metrics(name, con, f)
            Q.run_raw(name, con, f)
    steps = len(Q.cases()) * len(Q.INTERACTIONS)
    for case in Q.cases():
        for name in Q.INTERACTIONS:
            if progress:
                progress("Đo truy vấn", len(work), steps)
            f = Q.trend_filters(case.filters) if name == "trend" else case.filters
            row = {"case": case.label, "interaction": name, "aggregates": Q.uses_aggregates(name, con, f)}
            row["metrics_ms"], row["metrics_all"], row["metrics_cpu_ms"] = timed(lambda: Q.run_metrics(name, con, f), runs)
            # every row: the fast path (aggregates, unit list once per file) against the plain SQL
            row["raw_ms"], _, row["raw_cpu_ms"] = timed(lambda: Q.run_raw(name, con, f), runs)
            row["same_as_raw"] = Q.same_result(Q.run_metrics(name, con, f), Q.run_raw(name, con, f))
            out["rows"].append(row)
            work.append((row, name, f))
            log(f"    {case.label:22s} {name:14s} metrics {row['metrics_ms']:7.1f} ms (cpu {row['metrics_cpu_ms']:6.1f})"
                + (" from aggregates" if row["aggregates"] else " raw SQL        ")
                + (f"   raw SQL {row['raw_ms']:7.1f} ms (cpu {row['raw_cpu_ms']:6.1f})" if "raw_ms" in row else ""))
    if progress:
        progress("Đo truy vấn", steps, steps)
    if with_pandas:
        import psutil
        gc.collect()
        before = psutil.Process().memory_info().rss
        P = PW.load(con, via="df")
        after = psutil.Process().memory_info().rss
        t0 = time.perf_counter()
        con.sql("SELECT * FROM dossiers").to_arrow_table().to_pandas()
        arrow_s = time.perf_counter() - t0
        gc.collect()
        out["pandas_load"] = {"df_seconds": P.load_seconds, "arrow_seconds": arrow_s,
                              "frame_bytes": int(P.dossiers.memory_usage(deep=True).sum()),
                              "rss_growth_bytes": after - before}
        log(f"    pandas: .df() {P.load_seconds:.1f} s, arrow {arrow_s:.1f} s, "
            f"{out['pandas_load']['frame_bytes'] / 2**20:.0f} MiB")
        for row, name, f in work:
            row["pandas_ms"], _, row["pandas_cpu_ms"] = timed(lambda: PW.run(name, P, f), runs)
            row["pandas_equal"] = Q.pandas_matches(name, PW.run(name, P, f), con, f)
            log(f"    {row['case']:22s} {name:14s} pandas {row['pandas_ms']:8.1f} ms (cpu {row['pandas_cpu_ms']:7.1f})"
                f"  ratio {row['pandas_ms'] / row['metrics_ms']:5.1f}x")
        del P
    con.close()
    gc.collect()
    return out


_WRITER_LABELS = {"excel": "Excel's layout: shared strings", "streaming": "streaming layout: inline strings, like the sample",
                  "openpyxl": "openpyxl's: letters as &#…; (worst case, no export writes it)"}


def _writer_label(x: dict) -> str:
    w = x.get("writer")
    return f" ({_WRITER_LABELS.get(w, w)})" if w else ""


YEAR_OF_EXPORTS = 2024


def bench_etl(src: Path, work: Path, csv_rows: int, xlsx_rows: int, log) -> list[dict]:
    from bench import etl_bench as E

    work.mkdir(parents=True, exist_ok=True)
    results = []
    csv_path = work / f"hoso_{csv_rows}.csv"
    if not csv_path.exists():
        E.write_csv(src, csv_path, csv_rows)
    # The floors and the load side by side, twice each in turn: the lower of each (others share the cores).
    floors, file_floors, loads = [], [], []
    for _ in range(2):
        floors.append(E.time_floor(csv_path))
        file_floors.append(E.time_floor(csv_path, work / "etl_floor.duckdb"))
        loads.append(E.time_load(csv_path, work / "etl_csv.duckdb"))
    r = min(loads, key=lambda x: x["seconds"])
    r["floor"] = min(floors, key=lambda x: x["seconds"])
    r["floor_file"] = min(file_floors, key=lambda x: x["seconds"])
    r["format"] = "CSV"
    results.append(r)
    log(f"    CSV  {r['rows']:,} rows in {r['seconds']:.2f} s (CPU {r['cpu_seconds']:.2f} s) = {r['rows_per_s']:,.0f} rows/s; "
        f"floor (DuckDB read_csv into a table of a database file) {r['floor_file']['seconds']:.2f} s "
        f"(CPU {r['floor_file']['cpu_seconds']:.2f} s) = ×{r['seconds'] / r['floor_file']['seconds']:.1f}; in memory "
        f"{r['floor']['seconds']:.2f} s (CPU {r['floor']['cpu_seconds']:.2f} s) = ×{r['seconds'] / r['floor']['seconds']:.1f}; "
        f"load average {r['load_avg']:.1f}")
    for writer in E.XLSX_WRITERS:
        xlsx_path = work / E.xlsx_name(xlsx_rows, writer)
        if not xlsx_path.exists():
            E.write_xlsx(src, xlsx_path, xlsx_rows, writer)
        r = min((E.time_load(xlsx_path, work / "etl_xlsx.duckdb") for _ in range(2)), key=lambda x: x["seconds"])
        r["format"], r["writer"] = "XLSX", writer
        results.append(r)
        log(f"    XLSX ({writer}) {r['rows']:,} rows in {r['seconds']:.2f} s (CPU {r['cpu_seconds']:.2f} s) = "
            f"{r['rows_per_s']:,.0f} rows/s")
    # A province office loads a year of monthly exports at once (one load_files call: each file
    # parsed while DuckDB checks and writes the one before, etl.load.ReadAhead).
    paths = E.write_year_xlsx(src, work / "year", YEAR_OF_EXPORTS)
    r = min((E.time_load(paths, work / "etl_year.duckdb") for _ in range(2)), key=lambda x: x["seconds"])
    r["format"], r["writer"] = "XLSX", "excel"
    results.append(r)
    log(f"    XLSX ×{r['files']} (a year of monthly exports, Excel's layout) {r['rows']:,} rows in {r['seconds']:.2f} s "
        f"(CPU {r['cpu_seconds']:.2f} s) = {r['rows_per_s']:,.0f} rows/s")
    for p in work.glob("etl_*.duckdb*"):
        p.unlink()
    return results


def bench_server(db: Path, work: Path, browser: bool, labels: list[str], log) -> dict:
    """RSS of a dashboard server after a signed-in user opened every page; then, on a fresh
    server (cold caches, as after a restart), the browser timings."""
    from bench import browser as B

    out: dict = {}
    work.mkdir(parents=True, exist_ok=True)
    with B.dashboard_server(db, work / f"streamlit_{db.stem}.log") as (url, proc, password):
        out["rss_idle"] = B.rss_bytes(proc.pid)
        pages = B.open_every_page(url, password, widest_period(db))
        out["pages"] = pages
        out["period"] = widest_period(db)
        out["rss_after_pages"] = B.rss_bytes(proc.pid)
        log(f"    server RSS after every page: {out['rss_after_pages'] / 2**20:.0f} MiB; "
            + ", ".join(f"{p['page']} {p['seconds']:.1f} s" for p in pages))
        out["page_errors"] = {p["page"]: p["errors"] for p in pages if p["errors"]}
        if out["page_errors"]:
            log(f"    PAGES FAILED (numbers not valid): {out['page_errors']}")
    if browser and labels:
        with B.dashboard_server(db, work / f"streamlit_{db.stem}_browser.log") as (url, proc, password):
            out["browser"] = B.time_overview_and_filter(url, password, labels)
            out["pages_returning"] = B.time_pages_returning(url, password)
            out["phone"] = B.time_overview_phone_speed(url, password)
            out["rss_after_browser"] = B.rss_bytes(proc.pid)
        b = out["browser"]
        log(f"    browser: overview drawn {b['navigation_s']:.2f} s after navigation (returning user), "
            f"first visit {b['first_visit_navigation_s']:.2f} s, filter change drawn {b['filter_change_s']:.2f} s"
            + (f"; {b['returning_signed_in_again']} returning run(s) met the sign-in page"
               if b.get("returning_signed_in_again") else ""))
        log("    every page in a new tab (returning user, default view, median): "
            + ", ".join(f"{p['page']} {p['median_s']:.2f} s" for p in out["pages_returning"]))
        log(f"    phone speed (CPU ÷{out['phone']['slowdown']:g}, 390 px): overview drawn "
            f"{out['phone']['median_s']:.2f} s after navigation (returning user)")
    out["rss_peak"] = max(v for k, v in out.items() if k.startswith("rss_"))
    return out


def widest_period(db: Path) -> tuple[str, str]:
    """First and last month with dossiers ("yyyy-mm"): the widest period the sidebar offers."""
    con = connect_read(db)
    try:
        lo, hi = con.execute("SELECT strftime(min(received_at), '%Y-%m'), strftime(max(received_at), '%Y-%m') "
                             "FROM dossiers").fetchone()
    finally:
        con.close()
    return lo, hi


def commune_labels(db: Path, n: int = 4) -> list[str]:
    """Sidebar labels of n communes formed on 01/07/2025 (x2025-001, ...), as the multiselect shows them."""
    try:
        from metrics import tables
        from ui.filters import unit_labels
    except ImportError:
        return []
    con = duckdb.connect(str(db), read_only=True)
    try:
        labels = unit_labels(tables.unit_options(con))
    finally:
        con.close()
    return [labels[u] for u in (f"x2025-{k:03d}" for k in range(1, n + 1)) if u in labels]


# -------------------------------------------------------------------------------------------------
# report

def _ms(v) -> str:
    return "–" if v is None else (f"{v:,.1f}" if v < 100 else f"{v:,.0f}")


def _ok(flag: bool | None) -> str:
    return "–" if flag is None else ("✅" if flag else "❌")


def write_report(results: dict, out: Path) -> None:
    m = results["machine"]
    L = []
    L.append("# Benchmark: the dashboard at province scale")
    L.append("")
    L.append(f"Run {results['started']} – {results['finished']} with `python -m bench {results['argv']}`.")
    L.append("")
    L.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}; "
             + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".")
    L.append(f"Load average (1 min) at start / end: {results['load_start']:.1f} / {results['load_end']:.1f} "
             "(above ~1, other jobs shared the 2 cores and wall times are upper bounds; CPU ms are not affected).")
    speed = describe_speed(*((results.get("calibration") or {}).get(k) for k in ("start", "end")))
    if speed:
        L.append(speed)
    L.append("")
    L.append("Data: `etl.scale.build_scale(n)` – 538 units (300 communes merged into 100 on 01/07/2025, "
             "100 district departments, 18 provincial departments, 20 others), dossiers 01/2019–12/2025, "
             "on-time 98–99.5 %, online share 8 % → 59 %, apology letters for ~87 % of late dossiers, "
             "pending at the end. Periods: the default view (the latest month) and a whole year; "
             f"'1 xã' = the commune `{Q.COMMUNE}` (lineage: it and the 3 communes merged into it).")
    L.append("")
    targets = []
    for size in results["sizes"]:
        r = results["by_size"][str(size)]
        L.append(f"## {size:,} dossiers")
        L.append("")
        if r.get("build_seconds") is not None:
            L.append(f"Warehouse built in {r['build_seconds']:.0f} s ({r['db_bytes'] / 2**20:.0f} MiB).")
        else:
            L.append(f"Warehouse reused ({r['db_bytes'] / 2**20:.0f} MiB).")
        if "load_avg" in r:
            L[-1] += f" Load average during this size: {r['load_avg']:.1f} → {r.get('load_avg_end', r['load_avg']):.1f}."
        L.append("")
        q = r.get("queries")
        if q:
            if q.get("pandas_load"):
                pl = q["pandas_load"]
                L.append(f"pandas way, once per server: `SELECT * FROM dossiers` → `.df()` {pl['df_seconds']:.1f} s "
                         f"(`to_arrow_table().to_pandas()` {pl['arrow_seconds']:.1f} s), DataFrame "
                         f"{pl['frame_bytes'] / 2**20:,.0f} MiB in memory.")
                L.append("")
            L.append("Median ms over the runs after a warm-up. *metrics* = metrics/ as the pages call it "
                     "(metrics.tables.build; from the pre-aggregated tables when they answer: *agg* = yes); "
                     "*raw SQL* = the same metrics call with its fast paths switched off (its SQL over `dossiers`, the "
                     "unit restriction as a CTE in every query, queries one after another); "
                     "*pandas* = the pandas way; ratio = pandas / metrics. *same numbers*: metrics = raw SQL "
                     "(whole table compared, every row), pandas = raw SQL (key figures compared). CPU ms = median CPU time "
                     "of the process (all threads) per call: the work itself, independent of other jobs on the "
                     "cores (wall ≈ CPU / 2 on an idle 2-core machine when DuckDB parallelises).")
            L.append("")
            L.append("| period, units | interaction | metrics ms | agg | raw SQL ms | pandas ms | ratio | same numbers | CPU ms: metrics / raw / pandas |")
            L.append("|---|---|---:|---|---:|---:|---:|---|---|")
            for row in q["rows"]:
                ratio = row["pandas_ms"] / row["metrics_ms"] if row.get("pandas_ms") else None
                same = []
                if "same_as_raw" in row:
                    same.append("metrics " + ("✓" if row["same_as_raw"] else "✗"))
                if "pandas_equal" in row:
                    same.append("pandas " + ("✓" if row["pandas_equal"] else "✗"))
                L.append(f"| {row['case']} | {row['interaction']} | {_ms(row['metrics_ms'])} | "
                         f"{'yes' if row['aggregates'] else 'no'} | {_ms(row.get('raw_ms'))} | "
                         f"{_ms(row.get('pandas_ms'))} | {'–' if ratio is None else f'{ratio:,.1f}×'} | {', '.join(same)} | "
                         f"{_ms(row.get('metrics_cpu_ms'))} / {_ms(row.get('raw_cpu_ms'))} / {_ms(row.get('pandas_cpu_ms'))} |")
            L.append("")
        e = r.get("etl")
        if e:
            L.append("| ETL: an export (one file, or a year of monthly files in one call) through etl.load.load_files into an empty warehouse | rows | MiB | seconds | CPU s "
                     "| rows/s | floor: DuckDB read_csv into a table of a database file, s (CPU s) | load ÷ floor "
                     "| the same into memory, s (CPU s) | load ÷ that | load average |")
            L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

            def floor_cells(f: dict | None, x: dict) -> str:
                return f"{f['seconds']:.2f} ({f['cpu_seconds']:.2f}) | ×{x['seconds'] / f['seconds']:.1f} | " if f else "– | – | "

            for x in e:
                cpu = x.get("cpu_seconds")
                L.append(f"| {x['format']}{_writer_label(x)} `{x['file']}` | {x['rows']:,} | {x['bytes'] / 2**20:,.0f} | "
                         f"{x['seconds']:.2f} | {'–' if cpu is None else f'{cpu:.2f}'} | {x['rows_per_s']:,.0f} | "
                         + floor_cells(x.get("floor_file"), x) + floor_cells(x.get("floor"), x)
                         + (f"{x['load_avg']:.1f} |" if "load_avg" in x else "– |"))
            L.append("")
            if r.get("etl_from"):
                L.append(f"(Loads not re-run in this run (`--skip-etl`): the figures of the run of {r['etl_from']}.)")
                L.append("")
        s = r.get("server")
        if s:
            L.append(f"Dashboard server (`streamlit run app.py` as `make run` serves it, WAREHOUSE_DB = this warehouse): RSS idle "
                     f"{s['rss_idle'] / 2**20:,.0f} MiB, after opening every page and tab {s['rss_after_pages'] / 2**20:,.0f} MiB, "
                     f"peak seen {s['rss_peak'] / 2**20:,.0f} MiB. Every page opened from a link at the widest period "
                     f"({s.get('period', ('?', '?'))[0]} – {s.get('period', ('?', '?'))[1]}), cold caches, then every tab "
                     "clicked (seconds to drawn; ✓ = no error box): "
                     + ", ".join(f"{p['page']} {p['seconds']:.1f} s {'✗' if p['errors'] else '✓'}" for p in s["pages"]) + ".")
            if s.get("page_errors"):
                L.append("")
                L.append("**Pages failed during this pass (being edited at the time?), so these server numbers are "
                         "not valid:** " + "; ".join(f"{k}: {v[0]}" for k, v in s["page_errors"].items()))
            if s.get("browser"):
                L.append("")
                L.extend(_browser_lines(s["browser"], "this warehouse"))
            if s.get("pages_returning"):
                L.append("")
                L.append(_pages_returning_line(s["pages_returning"]))
            if s.get("phone"):
                L.append("")
                L.append(_phone_line(s["phone"]))
            L.append("")
        elif r.get("server_error"):
            L.append(f"Dashboard server: not measured ({r['server_error']}).")
            L.append("")
        targets.extend(_targets(size, r))
    if results.get("browser_floor", {}).get("browser"):
        L.append("## Browser floor: 20,000 dossiers")
        L.append("")
        L.extend(_browser_lines(results["browser_floor"]["browser"], "a 20,000-dossier warehouse (same registry)"))
        if results["browser_floor"].get("pages_returning"):
            L.append("")
            L.append(_pages_returning_line(results["browser_floor"]["pages_returning"]))
        if results["browser_floor"].get("phone"):
            L.append("")
            L.append(_phone_line(results["browser_floor"]["phone"]))
        L.append("")
    L.append("## Targets")
    L.append("")
    L.append("| target | measured | met |")
    L.append("|---|---|---|")
    for t in targets:
        L.append(f"| {t[0]} | {t[1]} | {_ok(t[2])} |")
    L.append("")
    if results.get("notes"):
        L.append(results["notes"])
    text = "\n".join(L) + "\n"
    # The report documents' section (python -m bench --report) is measured separately: keep it.
    from bench.report_bench import SECTION, record

    old = out.read_text(encoding="utf-8") if out.exists() else ""
    out.write_text(text, encoding="utf-8")
    if SECTION in old:
        start = old.index(SECTION)
        nxt = old.find("\n## ", start + len(SECTION))
        record(old[start:] if nxt < 0 else old[start:nxt + 1], out)


def _s(v) -> str:
    return "–" if v is None else f"{v:.2f}"


def _pages_returning_line(pr: list[dict]) -> str:
    return (f"Every page opened from a link in a new tab of the same browser by a returning user "
            f"(signed in, HTTP cache kept), at its default view, {len(pr[0]['runs_s'])} rounds; "
            f"median of the rounds after the first (first round in brackets): "
            + ", ".join(f"{p['page']} **{p['median_s']:.2f} s** ({p['first_s']:.2f})" for p in pr) + ".")


def _phone_line(ph: dict) -> str:
    return (f"At a phone's speed (Chromium's CPU throttled {ph['slowdown']:g}×, a 390 × 844 screen; the server "
            f"at this machine's speed, sharing its cores): the overview opened from a link in a new tab by a "
            f"returning user, drawn after **{ph['median_s']:.2f} s** (median of {len(ph['runs_s']) - 1} tabs "
            f"after a warm-up: " + ", ".join(f"{x:.2f}" for x in ph["runs_s"][1:]) + " s). Not a target: "
            "what a leader on a phone waits for, to watch from run to run.")


def _browser_lines(b: dict, what: str) -> list[str]:
    n = len(b["runs"])
    again = b.get("returning_signed_in_again", 0)
    rows = [f"Browser (Chromium via Playwright, fresh server, {what}; {n} new tabs in one browser: run 1 is a "
            f"first visit (empty HTTP cache, no cookie: sign-in page, then the overview), runs 2–{n} a returning "
            f"user (HTTP cache and the sign-in cookie kept: no sign-in page"
            + (f"; **{again} of them met the sign-in page anyway**" if again else "")
            + f"); each run then picks a different commune). Returning user, median: overview fully drawn "
            f"**{b['navigation_s']:.2f} s** after navigation; first visit {b['first_visit_navigation_s']:.2f} s "
            f"(sign-in page drawn {_s(b.get('first_visit_sign_in_page_s'))} s + sign-in → overview drawn "
            f"{_s(b.get('first_visit_after_sign_in_s'))} s). Commune filter change drawn in "
            f"**{b['filter_change_s']:.2f} s** (median of all runs: the option pressed → the page drawn "
            f"again, both read off the page's clock"
            + (f"; {_s(b.get('filter_change_wall_s'))} s from the benchmark's call to click to its "
               f"check returning, Playwright's pre-click checks included" if b.get("filter_change_wall_s") else "")
            + ").", "",
            "| run | sign-in page drawn s | sign-in → overview drawn s | navigation → overview drawn s | filter change drawn s | (with Playwright's click) s | commune |",
            "|---|---:|---:|---:|---:|---:|---|"]
    for i, r in enumerate(b["runs"], 1):
        rows.append(f"| {i}{' (first visit, cold server)' if i == 1 else ''} | {_s(r.get('sign_in_page_s'))} | "
                    f"{_s(r.get('after_sign_in_s'))} | {r['navigation_s']:.2f} | {r['filter_change_s']:.2f} | "
                    f"{_s(r.get('filter_change_wall_s'))} | {r['commune']} |")
    return rows


def _targets(size: int, r: dict) -> list[tuple]:
    out = []
    q = r.get("queries")
    if q and size >= 10_000_000:
        target_ms = TARGET_QUERY_MS if size < 30_000_000 else TARGET_QUERY_MS_NATIONAL
        worst = max(q["rows"], key=lambda x: x["metrics_ms"])
        worst_cpu = max(q["rows"], key=lambda x: x.get("metrics_cpu_ms") or 0)
        out.append((f"every interaction ≤ {target_ms:.0f} ms median at {size:,}",
                    f"worst {worst['metrics_ms']:.1f} ms ({worst['interaction']}, {worst['case']}); "
                    f"{sum(x['metrics_ms'] <= target_ms for x in q['rows'])} of {len(q['rows'])} ≤ {target_ms:.0f} ms; "
                    f"worst CPU {worst_cpu.get('metrics_cpu_ms') or 0:.1f} ms",
                    worst["metrics_ms"] <= target_ms))
        if any("same_as_raw" in x for x in q["rows"]):
            same = [x for x in q["rows"] if "same_as_raw" in x]
            out.append((f"fast path = plain SQL at {size:,} (whole tables)",
                        f"{sum(bool(x['same_as_raw']) for x in same)} of {len(same)} equal",
                        all(x["same_as_raw"] for x in same)))
        with_pd = [x for x in q["rows"] if x.get("pandas_ms")]
        if with_pd:
            low = min(with_pd, key=lambda x: x["pandas_ms"] / x["metrics_ms"])
            out.append((f"≥ {TARGET_RATIO:.0f}× faster than the pandas way at {size:,}, pair by pair",
                        f"lowest {low['pandas_ms'] / low['metrics_ms']:.1f}× ({low['interaction']}, {low['case']}); "
                        f"{sum(x['pandas_ms'] / x['metrics_ms'] >= TARGET_RATIO for x in with_pd)} of {len(with_pd)} pairs ≥ {TARGET_RATIO:.0f}×",
                        low["pandas_ms"] / low["metrics_ms"] >= TARGET_RATIO))
    for e in r.get("etl") or []:
        if e.get("writer") == "openpyxl":
            continue   # the worst case, a layout no export software writes: in the table, not a target
        target = TARGET_CSV if e["format"] == "CSV" else TARGET_XLSX
        files = f" in {e['files']} files, one load" if e.get("files", 1) > 1 else ""
        out.append((f"{e['format']}{_writer_label(e)} load ≥ {target:,} rows/s ({e['rows']:,} rows{files})",
                    f"{e['rows_per_s']:,.0f} rows/s", e["rows_per_s"] >= target))
        f = e.get("floor_file")
        if f:
            ratio = e["seconds"] / f["seconds"]
            mem = e.get("floor")
            out.append((f"CSV load within {TARGET_FLOOR_RATIO}× of DuckDB's read_csv of the same file into a table of a "
                        "database file (the floor)",
                        f"×{ratio:.1f} ({e['seconds']:.2f} s vs {f['seconds']:.2f} s; CPU {e['cpu_seconds']:.2f} s vs "
                        f"{f['cpu_seconds']:.2f} s)"
                        + (f"; into memory, nothing written: ×{e['seconds'] / mem['seconds']:.1f} ({mem['seconds']:.2f} s)"
                           if mem else ""), ratio <= TARGET_FLOOR_RATIO))
    s = r.get("server")
    if s and s.get("pages"):
        bad = [p["page"] for p in s["pages"] if p["errors"]]
        out.append((f"every page and tab drawn at the widest period at {size:,}, no error box",
                    f"{len(s['pages']) - len(bad)} of {len(s['pages'])} without error"
                    + (f" (error: {', '.join(bad)})" if bad else "")
                    + f"; slowest {max(s['pages'], key=lambda p: p['seconds'])['page']} "
                    f"{max(p['seconds'] for p in s['pages']):.1f} s", not bad))
    if s and size >= 10_000_000:
        out.append((f"server RSS ≤ 1 GiB at {size:,}", f"{s['rss_peak'] / 2**20:,.0f} MiB", s["rss_peak"] <= TARGET_RSS))
    if s and s.get("browser"):
        b = s["browser"]
        again = b.get("returning_signed_in_again", 0)
        out.append((f"overview drawn ≤ {TARGET_NAV_S} s after navigation at {size:,} (returning user: signed in by "
                    "the cookie)",
                    f"{b['navigation_s']:.2f} s (first visit, signing in included: {b['first_visit_navigation_s']:.2f} s)"
                    + (f"; {again} returning run(s) met the sign-in page" if again else ""),
                    b["navigation_s"] <= TARGET_NAV_S and not again))
        out.append((f"filter change drawn ≤ {TARGET_FILTER_S} s at {size:,}", f"{b['filter_change_s']:.2f} s",
                    b["filter_change_s"] <= TARGET_FILTER_S))
    return out


# -------------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--report", action="store_true",
                    help="only the report documents (bench/report_bench.py: .docx + .xlsx of a demo year)")
    ap.add_argument("--sizes", default="1000000,10000000", help="dossier counts, comma separated")
    ap.add_argument("--runs", type=int, default=7, help="timed runs after the warm-up (median)")
    ap.add_argument("--quick", action="store_true", help="smoke run: ~20k dossiers, no server/browser")
    ap.add_argument("--skip-etl", action="store_true")
    ap.add_argument("--skip-server", action="store_true")
    ap.add_argument("--skip-browser", action="store_true")
    ap.add_argument("--skip-pandas", action="store_true")
    ap.add_argument("--browser-sizes", default="1000000", help="sizes at which the browser timings run")
    ap.add_argument("--pandas-sizes", default="", help="sizes at which the pandas way runs (default: every size)")
    ap.add_argument("--server-sizes", default="", help="sizes at which the server is measured (default: every size)")
    ap.add_argument("--xlsx-rows", type=int, default=200_000, help="rows of the XLSX export (max 1.048.575)")
    ap.add_argument("--csv-rows", type=int, default=1_000_000, help="rows of the CSV export")
    ap.add_argument("--data-dir", type=Path, default=ROOT / "data" / "bench")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the warehouses even if present")
    ap.add_argument("--out", type=Path, default=None, help="report file (default bench/RESULTS.md; "
                    "--quick writes data-dir/RESULTS-quick.md)")
    ap.add_argument("--notes", type=Path, default=Path(__file__).with_name("NOTES.md"),
                    help="text appended to the report (analysis of the numbers)")
    args = ap.parse_args(argv)
    if args.report:
        from bench import report_bench

        return report_bench.main(["--out", str(args.out)] if args.out else [])

    if args.quick:
        sizes, runs = [20_000], min(args.runs, 3)
        args.skip_server = args.skip_browser = True
        csv_rows, xlsx_rows = 5_000, 1_000
    else:
        sizes, runs = [int(s) for s in args.sizes.split(",") if s.strip()], args.runs
        csv_rows, xlsx_rows = args.csv_rows, args.xlsx_rows
    out = args.out or (args.data_dir / "RESULTS-quick.md" if args.quick else Path(__file__).with_name("RESULTS.md"))
    browser_sizes = {int(s) for s in args.browser_sizes.split(",") if s.strip()}
    pandas_sizes = {int(s) for s in args.pandas_sizes.split(",") if s.strip()} or set(sizes)
    server_sizes = {int(s) for s in args.server_sizes.split(",") if s.strip()} or set(sizes)
    args.data_dir.mkdir(parents=True, exist_ok=True)

    from etl.progress import silent, terminal
    progress = terminal(unit="bước")
    if progress is silent:
        def log(msg: str) -> None:
            print(msg, flush=True)
    else:  # lines printed above the progress bar, not through it
        from tqdm import tqdm

        def log(msg: str) -> None:
            tqdm.write(msg, file=sys.stdout)

    results = {"argv": " ".join(argv if argv is not None else sys.argv[1:]),
               "started": dt.datetime.now().strftime("%d/%m/%Y %H:%M"), "machine": machine(),
               "load_start": os.getloadavg()[0], "sizes": sizes, "by_size": {}}
    results["calibration"] = {"start": calibrate()}
    log(f"    machine speed: {results['calibration']['start']}")
    for n in sizes:
        log(f"== {n:,} dossiers")
        db, built = ensure_warehouse(n, args.data_dir, args.rebuild, progress)
        r: dict = {"build_seconds": built, "db_bytes": db.stat().st_size, "load_avg": os.getloadavg()[0]}
        if built is not None:
            log(f"    built in {built:.1f} s")
        r["queries"] = bench_queries(db, runs, not args.skip_pandas and n in pandas_sizes, log, progress)
        if not args.skip_etl and n == sizes[0]:
            # Loads go into an empty warehouse: the rate does not depend on the size benchmarked,
            # so the files are cut from the first size's warehouse, once per run.
            r["etl"] = bench_etl(db, args.data_dir / "etl", min(csv_rows, n), min(xlsx_rows, n, 1_048_575), log)
        if not args.skip_server and n in server_sizes:
            try:
                r["server"] = bench_server(db, args.data_dir / "server",
                                           browser=not args.skip_browser and n in browser_sizes,
                                           labels=commune_labels(db), log=log)
            except Exception as e:  # report what could not be measured, keep the rest
                r["server_error"] = f"{type(e).__name__}: {e}"
                log(f"    server/browser not measured: {r['server_error']}")
        r["load_avg_end"] = os.getloadavg()[0]
        results["by_size"][str(n)] = r
    if not args.skip_server and not args.skip_browser and not args.quick:
        # The same browser timings on a 20k-dossier warehouse: what the front end costs whatever
        # the data size (the floor under the numbers above).
        log("== browser floor: 20,000 dossiers")
        db, _ = ensure_warehouse(20_000, args.data_dir, False)
        try:
            results["browser_floor"] = bench_server(db, args.data_dir / "server", True, commune_labels(db), log)
        except Exception as e:
            results["browser_floor_error"] = f"{type(e).__name__}: {e}"
    if args.skip_etl and not args.quick and out.with_suffix(".json").exists():
        # Loads not measured in this run: keep the last measured ones, saying when they were.
        try:
            old = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
        except ValueError:
            old = {}
        for size, prev in (old.get("by_size") or {}).items():
            if prev.get("etl"):
                first = results["by_size"][str(sizes[0])]
                first["etl"] = prev["etl"]
                first["etl_from"] = prev.get("etl_from") or old.get("started")
                break
    results["calibration"]["end"] = calibrate()
    log(f"    machine speed: {results['calibration']['end']}")
    results["finished"] = dt.datetime.now().strftime("%d/%m/%Y %H:%M")
    results["load_end"] = os.getloadavg()[0]
    if args.notes and args.notes.exists() and not args.quick:
        results["notes"] = args.notes.read_text(encoding="utf-8")
    (out.with_suffix(".json")).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    write_report(results, out)
    log(f"Report: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
