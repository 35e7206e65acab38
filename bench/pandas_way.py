"""The way a typical Streamlit dashboard does it: the whole dossier table in one pandas DataFrame
(loaded once, kept by @st.cache_data), every interaction filters and groups it in pandas.

The functions compute the same numbers as metrics/ (checked in bench: `pandas = duckdb`), so the
comparison is between two ways of getting the same answer, not between different work.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from bench.queries import LATE_PAGE
from metrics.filters import Filters


@dataclass
class Frames:
    dossiers: pd.DataFrame
    units: pd.DataFrame
    lineage: pd.DataFrame
    evaluations: pd.DataFrame
    commitments: pd.DataFrame
    load_seconds: float
    load_seconds_arrow: float | None = None


def load(con: duckdb.DuckDBPyConnection, via: str = "df") -> Frames:
    """SELECT * FROM dossiers into pandas, the way dashboards usually do (`.df()`)."""
    t0 = time.perf_counter()
    if via == "df":
        dossiers = con.sql("SELECT * FROM dossiers").df()
    else:
        dossiers = con.sql("SELECT * FROM dossiers").to_arrow_table().to_pandas()
    seconds = time.perf_counter() - t0
    small = {t: con.sql(f"SELECT * FROM {t}").to_arrow_table().to_pandas()
             for t in ("units", "unit_lineage", "evaluations", "commitments")}
    return Frames(dossiers, small["units"], small["unit_lineage"], small["evaluations"],
                  small["commitments"], seconds)


def _units(P: Frames, f: Filters) -> pd.DataFrame:
    u = P.units
    if f.kinds:
        u = u[u["kind"].isin(f.kinds)]
    if f.units:
        u = u[u["unit_id"].isin(P.lineage.loc[P.lineage["rollup_id"].isin(f.units), "unit_id"])]
    if f.scope is not None:
        u = u[u["unit_id"].isin(P.lineage.loc[P.lineage["rollup_id"].isin(f.scope), "unit_id"])]
    return u


def _period(P: Frames, f: Filters) -> tuple[pd.DataFrame, dict]:
    p = f.period_params()
    S, E = pd.Timestamp(p["start"]), pd.Timestamp(p["end"])
    d = P.dossiers
    u = _units(P, f)
    m = (d["unit_id"].isin(u["unit_id"]) & (d["received_at"] < E)
         & ((d["received_at"] >= S) | d["finished_at"].isna() | (d["finished_at"] >= S)))
    x = d[m].copy()
    x["received_in"] = x["received_at"] >= S
    x["carried"] = ~x["received_in"]
    x["returned"] = (x["finished_at"] < E).fillna(False).astype(bool)
    x["late_returned"] = x["returned"] & (x["outcome"] == "late")
    x["pending"] = ~x["returned"]
    x["pending_overdue"] = x["pending"] & (x["due_at"] < E)
    x["online"] = x["channel"] == "online"
    return x, {"S": S, "E": E, "units": u}


def _evals_in(P: Frames, f: Filters, u: pd.DataFrame) -> pd.DataFrame:
    e = P.evaluations
    ps = pd.to_datetime(e["period_start"])
    return e[(e["period_type"] == "month") & (ps >= pd.Timestamp(f.date_from)) & (ps <= pd.Timestamp(f.date_to))
             & e["unit_id"].isin(u["unit_id"])]


def kpis(P: Frames, f: Filters) -> dict:
    x, c = _period(P, f)
    ret = x[x["returned"]]
    received = int(x["received_in"].sum())
    returned = len(ret)
    early = int((ret["outcome"] == "early").sum())
    on_time = int((ret["outcome"] == "on_time").sum())
    late = int((ret["outcome"] == "late").sum())
    late_d = x["late_returned"] | x["pending_overdue"]
    n_late_d = int(late_d.sum())
    with_apol = int((late_d & x["apology_issued"]).sum())
    online = int((x["received_in"] & x["online"]).sum())
    ev = _evals_in(P, f, c["units"])
    cm = P.commitments
    cm = cm[(cm["year"] >= f.date_from.year) & (cm["year"] <= f.date_to.year) & cm["unit_id"].isin(c["units"]["unit_id"])]
    rate = lambda a, b: 100.0 * a / b if b else None  # noqa: E731
    return {
        "received": received, "returned": returned, "early": early, "on_time": on_time, "late": late,
        "on_time_rate": rate(early + on_time, returned), "late_rate": rate(late, returned),
        "pending": int(x["pending"].sum()), "pending_overdue": int(x["pending_overdue"].sum()),
        "late_dossiers": n_late_d, "late_with_apology": with_apol, "apology_coverage": rate(with_apol, n_late_d),
        "received_online": online, "online_share": rate(online, received),
        "avg_score": float(ev["score"].mean()) if ev["score"].notna().any() else None,
        "commitment_coverage": rate(int(cm["signed"].sum()), int(cm["headcount"].sum())),
    }


def overview(P: Frames, f: Filters):
    return kpis(P, f), kpis(P, f.previous())


def trend(P: Frames, f: Filters) -> pd.DataFrame:
    p = f.period_params()
    S, E = pd.Timestamp(p["start"]), pd.Timestamp(p["end"])
    d = P.dossiers
    u = _units(P, f)
    mine = d["unit_id"].isin(u["unit_id"])
    r = d[mine & (d["received_at"] >= S) & (d["received_at"] < E)]
    rg = r.groupby(r["received_at"].dt.to_period("M")).agg(
        received=("dossier_id", "size"), online=("channel", lambda s: (s == "online").sum()))
    t = d[mine & (d["finished_at"] >= S) & (d["finished_at"] < E)]
    tg = t.groupby(t["finished_at"].dt.to_period("M")).agg(
        returned=("dossier_id", "size"),
        in_time=("outcome", lambda s: s.isin(["early", "on_time"]).sum()),
        late=("outcome", lambda s: (s == "late").sum()))
    ev = _evals_in(P, f, u)
    sg = ev.groupby(pd.to_datetime(ev["period_start"]).dt.to_period("M"))["score"].mean()
    months = pd.period_range(S, E - pd.Timedelta(days=1), freq="M")
    out = pd.DataFrame(index=months).join(rg).join(tg).join(sg.rename("avg_score"))
    return pd.DataFrame({
        "month_label": months.strftime("%m/%Y"),
        "received": out["received"].fillna(0).astype(int).values,
        "returned": out["returned"].fillna(0).astype(int).values,
        "on_time_rate": (100.0 * out["in_time"] / out["returned"]).values,
        "late_rate": (100.0 * out["late"] / out["returned"]).values,
        "online_share": (100.0 * out["online"] / out["received"]).values,
        "avg_score": out["avg_score"].values,
    })


def _rate_columns(g) -> pd.DataFrame:
    out = g.agg(received=("received_in", "sum"), returned=("returned", "sum"),
                early=("is_early", "sum"), on_time=("is_on_time", "sum"), late=("late_returned", "sum"))
    out["late_rate"] = 100.0 * out["late"] / out["returned"].replace(0, np.nan)
    out["on_time_rate"] = 100.0 * (out["early"] + out["on_time"]) / out["returned"].replace(0, np.nan)
    return out


def late_rates(P: Frames, f: Filters) -> pd.DataFrame:
    x, c = _period(P, f)
    x["is_early"] = x["returned"] & (x["outcome"] == "early")
    x["is_on_time"] = x["returned"] & (x["outcome"] == "on_time")
    out = _rate_columns(x.groupby("unit_id"))
    out = out[(out["received"] > 0) | (out["returned"] > 0)]
    out = out.join(c["units"].set_index("unit_id")["name"]).reset_index()
    return out.sort_values(["late_rate", "name"], ascending=[False, True], na_position="last")


def bieu06(P: Frames, f: Filters) -> pd.DataFrame:
    x, c = _period(P, f)
    u = c["units"].set_index("unit_id")
    # units.level (a warehouse built before it: by kind, as metrics reads it there)
    level = u["level"] if "level" in u else pd.Series(np.where(u["kind"] == "commune", "commune", "district"), u.index)
    x["level_no"] = x["unit_id"].map(level.map({"province": 0, "district": 1, "commune": 2}))
    x["c4"] = x["received_in"] & x["online"]
    x["c5"] = x["received_in"] & ~x["online"]
    x["c8"] = x["returned"] & (x["outcome"] == "early")
    x["c9"] = x["returned"] & (x["outcome"] == "on_time")
    x["c12"] = x["pending"] & ~x["pending_overdue"]
    cols = {"c3": ("dossier_id", "size"), "c4": ("c4", "sum"), "c5": ("c5", "sum"), "c6": ("carried", "sum"),
            "c7": ("returned", "sum"), "c8": ("c8", "sum"), "c9": ("c9", "sum"), "c10": ("late_returned", "sum"),
            "c11": ("pending", "sum"), "c12": ("c12", "sum"), "c13": ("pending_overdue", "sum")}
    by_field = x.groupby(["level_no", "field"]).agg(**cols).reset_index()
    by_level = x.groupby("level_no").agg(**cols).reset_index()
    total = by_level.drop(columns="level_no").sum().to_frame().T
    rows = []
    for lv, grp in by_field.groupby("level_no"):
        rows.append(by_level[by_level["level_no"] == lv].assign(label=("Cấp tỉnh", "Cấp huyện", "Cấp xã")[lv]))
        rows.append(grp.sort_values("field").rename(columns={"field": "label"}))
    rows.append(total.assign(label="Tổng cộng"))
    return pd.concat(rows, ignore_index=True)


def ranking(P: Frames, f: Filters) -> pd.DataFrame:
    u = _units(P, f)

    def scores(ff: Filters) -> pd.DataFrame:
        ev = _evals_in(P, ff, u)
        g = ev.groupby("unit_id").agg(avg_score=("score", "mean"), n=("score", "size"),
                                      xs=("classification", lambda s: (s == "xuat_sac").sum()),
                                      tot=("classification", lambda s: (s == "tot").sum()),
                                      ht=("classification", lambda s: (s == "hoan_thanh").sum()),
                                      kht=("classification", lambda s: (s == "khong_hoan_thanh").sum()))
        g["avg_score"] = g["avg_score"].round(1)
        g["rank"] = g["avg_score"].rank(method="min", ascending=False)
        return g

    cur, prev = scores(f), scores(f.previous())
    out = cur.join(prev["rank"].rename("prev_rank")).join(u.set_index("unit_id")[["name", "kind"]])
    out["rank_change"] = out["prev_rank"] - out["rank"]
    return out.sort_values(["rank", "name"]).reset_index()


def late_dossiers(P: Frames, f: Filters) -> pd.DataFrame:
    x, c = _period(P, f)
    late = x[x["late_returned"] | x["pending_overdue"]].copy()
    end_day = pd.Timestamp(f.date_to)
    last = late["finished_at"].dt.normalize().where(late["returned"], end_day)
    late["days_late"] = np.maximum(1, (last - late["due_at"].dt.normalize()).dt.days)
    late = late.join(c["units"].set_index("unit_id")["name"], on="unit_id")
    return late.sort_values(["days_late", "name", "dossier_id"], ascending=[False, True, True]).head(LATE_PAGE)


FUNCTIONS = {"overview": overview, "trend": trend, "late_rates": late_rates, "bieu06": bieu06,
             "ranking": ranking, "late_dossiers": late_dossiers}


def run(name: str, P: Frames, f: Filters):
    return FUNCTIONS[name](P, f)
