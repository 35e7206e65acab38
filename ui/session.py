"""Who is looking. A placeholder until sign-in lands: everyone is a viewer of every unit.

Every metrics call passes Filters(scope=current_user().scope), so when sign-in arrives a
commune_viewer's scope restricts every query server-side without touching the pages.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["viewer", "commune_viewer", "data_officer"]


@dataclass(frozen=True)
class User:
    username: str
    role: Role
    scope: tuple[str, ...] | None  # None = all units; else only these unit_ids


def current_user() -> User:
    return User(username="khach", role="viewer", scope=None)
