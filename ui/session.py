"""Who is looking: the signed-in user (ui/auth.py, docs/access.md).

Every metrics call passes Filters(scope=current_user().scope), so a commune_viewer's scope
restricts every query server-side without touching the pages.
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
    """The signed-in user; nobody signed in sees nothing (scope ()), never everything."""
    from ui import auth

    return auth.signed_in_user() or User(username="", role="viewer", scope=())
