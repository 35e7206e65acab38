"""Everything a report says, read once from metrics/ (never SQL of its own).

`collect(con, filters)` returns ReportData: the KPIs of the period and of the previous equal period
(metrics.tables.kpis) and the tables as the dashboard shows them (metrics.tables.shown), so every
figure of the Word draft, the Excel annex and the bulletin is the dashboard's for the same filters,
scope and map (the map travels inside `filters`, see metrics.filters.Filters).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from metrics import display, tables
from metrics.filters import Filters

SETTINGS_PATH = Path(__file__).resolve().parent.parent / "data" / "reference" / "report.toml"

# The evidence tables of issue 8; each is used when metrics.tables registers it (TABLES) and it
# has rows for the period, and otherwise the report says in words that it is not loaded.
EVIDENCE_TABLES = ("satisfaction", "inspections", "staff_ratings", "commendations")
# Their companions the sentences read (by month, by kind, the rating rule, forms, decisions).
EVIDENCE_DETAILS = ("satisfaction_by_month", "inspections_by_kind", "rating_rules", "commendations_by_form",
                    "commendation_decisions")


def settings(path: Path | None = None) -> dict:
    """data/reference/report.toml: the issuer's name, place, signer, recipients, the movement."""
    with open(path or SETTINGS_PATH, "rb") as fh:
        return tomllib.load(fh)


def issuer_on(settings: dict, day: date) -> dict:
    """The body that issues a report of all units whose period ends on `day`: report.toml's
    [issuer], or the last of its [[issuer.later]] entries with `since` <= day (a district
    abolished on 01/07/2025: the province after it), its keys over the issuer's."""
    def since(entry: dict) -> date:
        value = entry["since"]
        return value if isinstance(value, date) else date.fromisoformat(str(value))

    base = {k: v for k, v in settings["issuer"].items() if k != "later"}
    for later in sorted(settings["issuer"].get("later", []), key=since):
        if since(later) <= day:
            base = {**base, **{k: v for k, v in later.items() if k != "since"}}
    return base


def movement_years(settings: dict) -> tuple[int, int] | None:
    """The movement's period ("2019-2025") as years, or None when it does not name two."""
    years = re.findall(r"\d{4}", str(settings["movement"].get("period", "")))
    return (int(years[0]), int(years[-1])) if len(years) >= 2 else None


@dataclass
class ReportData:
    filters: Filters
    previous: Filters
    kpis: dict
    kpis_previous: dict
    fresh: dict
    settings: dict
    unit_names: list[str]           # the units the report is about ([] = the whole issuer)
    unit_kinds: list[str]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    bieu06_title: list[str] = field(default_factory=list)
    evidence: dict[str, pd.DataFrame | None] = field(default_factory=dict)
    unit_order: list[str] = field(default_factory=list)   # Vietnamese order of unit names
    classification_laws: list[str] = field(default_factory=list)   # metrics.tables.classification_laws
    evidence_kpis: dict = field(default_factory=dict)          # metrics.tables.evidence_kpis
    evidence_kpis_previous: dict = field(default_factory=dict)

    # -- who issues the report ------------------------------------------------------------------
    @property
    def about_units(self) -> bool:
        return bool(self.unit_names)

    @property
    def about_communes(self) -> bool:
        return bool(self.unit_names) and all(k == "commune" for k in self.unit_kinds)

    @property
    def issuer(self) -> dict:
        """report.toml's issuer for the period's end (the district until 30/06/2025, then the
        province: `issuer_on`)."""
        return issuer_on(self.settings, self.filters.date_to)

    def issuer_lines(self) -> list[str]:
        """The header's left column above "Số: …": "ỦY BAN NHÂN DÂN" and the issuer (the district,
        or the province for a period ending after 30/06/2025), or the selected commune(s); a
        department or other unit under the issuer's UBND."""
        issuer = self.issuer
        names = [_plain(n) for n in self.unit_names]
        if self.about_communes:
            return ["ỦY BAN NHÂN DÂN", ", ".join(n.upper() for n in names)]
        district = issuer["name"]
        head, rest = _split_ubnd(district)
        if names:
            return [issuer["short_name"].upper(), ", ".join(n.upper() for n in names)]
        lines = [head.upper(), rest.upper()] if rest else [district.upper()]
        return ([issuer["superior"].upper()] if issuer.get("superior") else []) + lines

    def superior_lines(self) -> int:
        """How many of issuer_lines() name the body above the issuer (Nghị định 30/2020: in
        regular type, the issuer in bold): a unit's own report's UBND line, the settings' superior."""
        if self.about_communes:
            return 0
        if self.about_units:
            return 1
        return 1 if self.issuer.get("superior") else 0

    def issuer_name(self) -> str:
        """In a sentence: "Ủy ban nhân dân huyện Ninh Phước", "Ủy ban nhân dân Xã Phước Hậu"."""
        names = [_plain(n) for n in self.unit_names]
        if self.about_communes:
            return "Ủy ban nhân dân " + ", ".join(_lower_kind(n) for n in names)
        if names:
            return ", ".join(names)
        return self.issuer["name"]

    def place(self) -> str:
        names = [_plain(n) for n in self.unit_names]
        if len(names) == 1 and self.unit_kinds == ["commune"]:
            return re.sub(r"^(Xã|Thị trấn|Phường)\s+", "", names[0])
        return self.issuer["place"]

    @property
    def by_ubnd(self) -> bool:
        """Issued by a People's Committee: the issuer's (all units) or the selected communes'; a
        report about a department or another unit is that unit's own."""
        return not self.about_units or self.about_communes

    def number_line(self) -> str:
        """"Số: …/BC-UBND"; a unit's own report has its own abbreviation, left for the office."""
        return "Số: …/BC-UBND" if self.by_ubnd else "Số: …/BC-…"

    def signer_lines(self) -> list[str]:
        """Above the signature: "TM. ỦY BAN NHÂN DÂN" and the signer's title for a committee's
        report; for a unit's own, its head's title (Trưởng phòng, Giám đốc, Chủ tịch Hội …: not
        known here), left in brackets like the name."""
        if self.by_ubnd:
            return ["TM. ỦY BAN NHÂN DÂN", self.issuer["signer_title"]]
        return ["[CHỨC VỤ NGƯỜI KÝ]"]

    def recipients(self) -> list[str]:
        """"Nơi nhận": a commune's report (`commune_recipients`) and a unit's own (`unit_recipients`)
        go to the level above, when the settings have them; otherwise the issuer's."""
        issuer = self.issuer
        if self.about_units:
            key = "commune_recipients" if self.about_communes else "unit_recipients"
            if issuer.get(key):
                return list(issuer[key])
        return list(issuer["recipients"])

    def movement_phase(self) -> str:
        """" giai đoạn 2019-2025" when the report's period lies inside the movement's years, else
        "" (a report on 2026 is not one of the 2019–2025 phase)."""
        years = movement_years(self.settings)
        if years is None:
            return ""
        if years[0] <= self.filters.date_from.year and self.filters.date_to.year <= years[1]:
            return f" giai đoạn {self.settings['movement']['period']}"
        return ""

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def _plain(name: str) -> str:
    """A unit's name without the validity the selector adds ("Xã Phước Hữu (từ 01/07/2025)")."""
    return re.sub(r"\s*\((đến|từ) [^)]*\)$", "", str(name))


def _lower_kind(name: str) -> str:
    return re.sub(r"^(Xã|Thị trấn|Phường)\b", lambda m: m.group(1).lower(), name)


def _split_ubnd(name: str) -> tuple[str, str]:
    m = re.match(r"^(Ủy ban nhân dân)\s+(.*)$", name, flags=re.IGNORECASE)
    return (m.group(1), m.group(2)) if m else (name, "")


def _scope_units(con, filters: Filters) -> tuple[list[str], list[str]]:
    """Names and kinds of the units the report is about: the selected units, else a restricted
    viewer's scope, else none (the whole issuer)."""
    opts = tables.unit_options(con, filters.scope)
    ids = list(filters.units) or (list(filters.scope) if filters.scope is not None else [])
    by_id = {r.unit_id: r for r in opts.itertuples(index=False)}
    rows = [by_id[u] for u in ids if u in by_id]
    names = [display.drop_validity_suffix(r.name, filters.date_from, filters.date_to) for r in rows]
    return names, [r.kind for r in rows]


def _evidence(con, filters: Filters, name: str) -> pd.DataFrame | None:
    """The evidence table `name` as the dashboard shows it, or None when metrics does not have it
    (not registered yet, or the warehouse predates its table)."""
    if name not in tables.TABLES:
        return None
    try:
        return tables.shown(name, con, filters)
    except (duckdb.CatalogException, duckdb.BinderException):
        return None


def in_vietnamese_order(df: pd.DataFrame, order: list[str], column: str = "Đơn vị") -> pd.DataFrame:
    """Rows sorted by `column` in the order of `order` (metrics.tables.unit_options sorts with
    DuckDB's Vietnamese collation); names not in it keep their order at the end."""
    if df.empty or column not in df:
        return df
    rank = {n: i for i, n in enumerate(order)}
    key = df[column].map(lambda n: rank.get(n, len(rank))).astype(int)
    return df.iloc[key.argsort(kind="stable")].reset_index(drop=True)


def collect(con: duckdb.DuckDBPyConnection, filters: Filters, *, settings_path: Path | None = None) -> ReportData:
    prev = filters.previous()
    names, kinds = _scope_units(con, filters)
    all_units = tables.unit_options(con, filters.scope)
    order = [display.drop_validity_suffix(n, filters.date_from, filters.date_to) for n in all_units["name"]]
    data = ReportData(
        filters=filters, previous=prev,
        kpis=tables.kpis(con, filters), kpis_previous=tables.kpis(con, prev),
        fresh=tables.freshness(con), settings=settings(settings_path),
        unit_names=names, unit_kinds=kinds, unit_order=order,
    )
    shown = {
        "overview": {}, "bieu06": {}, "late_rates": {"by": "unit"}, "ranking": {},
        "top_units": {"n": 3}, "bottom_units": {"n": 3}, "trend": {}, "commitments_by_year": {},
        "commitments": {"year": filters.date_to.year},
    }
    for name, options in shown.items():
        data.tables[name] = tables.shown(name, con, filters, **options)
    data.tables["late_rates"] = in_vietnamese_order(data.tables["late_rates"], order)
    if filters.scope is not None:
        # The dashboard's ranking is public (every peer's score and rank, docs/access.md); a scoped
        # viewer's report holds only its scope: its own rows, with their public rank.
        ranking = data.tables["ranking"]
        data.tables["ranking"] = ranking[ranking["Số kỳ đánh giá"].notna()]
    data.bieu06_title = tables.bieu06_title(filters, tables.selected_unit_names(con, filters))
    for name in EVIDENCE_TABLES + EVIDENCE_DETAILS:
        data.evidence[name] = _evidence(con, filters, name)
    data.classification_laws = tables.classification_laws(con, filters)
    data.evidence_kpis = tables.evidence_kpis(con, filters)
    data.evidence_kpis_previous = tables.evidence_kpis(con, prev)
    return data
