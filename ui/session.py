"""Who is looking: the signed-in user (ui/auth.py, access/, docs/access.md).

Every metrics call passes Filters(scope=current_user().scope), so a commune_viewer's scope
restricts every query server-side without touching the pages.
"""
from __future__ import annotations

from access.accounts import Role, User  # noqa: F401 - re-exported for the pages

__all__ = ["Role", "User", "current_user"]


def current_user() -> User:
    """The signed-in user; nobody signed in sees nothing (scope ()), never everything."""
    from ui import auth

    return auth.signed_in_user() or User(username="", role="viewer", scope=())
