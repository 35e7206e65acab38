"""Display shapes of metrics tables (pure pandas, no streamlit): what a page shows is also what
its CSV holds, so these are the downloaded tables too."""
from __future__ import annotations

import pandas as pd

# Commitment names as headings and legend entries: the full names run to 60 characters.
COMMITMENT_SHORT = {
    "Văn hóa công sở": "Văn hóa công sở",
    "Cơ quan không khói thuốc lá": "Không khói thuốc lá",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh": "Học tập và làm theo Bác",
}


def commitment_short(name: str) -> str:
    return COMMITMENT_SHORT.get(str(name), str(name))


def commitment_rate_heading(name: str) -> str:
    return f"{commitment_short(name)} (%)"


def commitment_pivot(long: pd.DataFrame) -> pd.DataFrame:
    """metrics `commitments` (one row per unit and commitment: Đơn vị, Cam kết, Số CBCCVC, Đã ký,
    Tỷ lệ (%), Còn thiếu) -> one row per unit: Đơn vị, Còn thiếu (signatures still missing,
    summed over the commitments), one "<commitment> (%)" column per commitment, [Số CBCCVC].

    Units and commitments keep the order metrics gave them (Vietnamese order; the commitments'
    fixed order). Số CBCCVC is shown only when every unit has the same headcount for all its
    commitments (then it is the unit's headcount); a commitment a unit has no row for is empty."""
    if long.empty:
        return pd.DataFrame(columns=["Đơn vị", "Còn thiếu"])
    units = list(dict.fromkeys(long["Đơn vị"]))
    commitments = list(dict.fromkeys(long["Cam kết"]))
    rates = long.pivot_table(index="Đơn vị", columns="Cam kết", values="Tỷ lệ (%)", aggfunc="first",
                             dropna=False, sort=False).reindex(index=units, columns=commitments)
    headcount = pd.to_numeric(long["Số CBCCVC"])
    same_headcount = bool((headcount.groupby(long["Đơn vị"]).nunique(dropna=False) <= 1).all())
    missing = pd.to_numeric(long["Còn thiếu"]).groupby(long["Đơn vị"], sort=False).sum(min_count=1)

    # "Còn thiếu" next to the unit: what to act on, and visible on a phone without scrolling.
    out = pd.DataFrame({"Đơn vị": pd.Series(units, dtype=object)})
    out["Còn thiếu"] = pd.array([missing.get(u) for u in units], dtype="Int64")
    for name in commitments:
        out[commitment_rate_heading(name)] = pd.to_numeric(rates[name].to_numpy(), errors="coerce").astype(float)
    if same_headcount:
        first = headcount.groupby(long["Đơn vị"], sort=False).first()
        out["Số CBCCVC"] = pd.array([first.get(u) for u in units], dtype="Int64")
    return out


def rate_columns(pivot: pd.DataFrame) -> list[str]:
    return [c for c in pivot.columns if str(c).endswith("(%)")]


def short_of_full(pivot: pd.DataFrame) -> pd.Series:
    """Rows (units) where some commitment is below 100 %."""
    cols = rate_columns(pivot)
    if not cols:
        return pd.Series(False, index=pivot.index)
    return (pivot[cols] < 100).any(axis=1)
