"""Password checks (argon2id) and the sign-in attempt: throttle, check, audit."""
from __future__ import annotations

import os
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from . import audit, throttle
from .accounts import Account, Accounts
from .audit import normalise_username

# OWASP Password Storage Cheat Sheet minimum for argon2id (19 MiB, 2 passes, 1 lane): about 0.1 s
# to check here, so 20 people signing in at once do not stall the server.
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# Checked when the user name does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = HASHER.hash("không dùng – chỉ để cân bằng thời gian")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def password_matches(account: Account | None, password: str) -> bool:
    """argon2 check; an unknown user or an account without a password costs the same time."""
    target = account.password_hash if account and account.password_hash else _DUMMY_HASH
    try:
        ok = HASHER.verify(target, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return bool(ok and account and account.password_hash)


@dataclass(frozen=True)
class SignInResult:
    account: Account | None
    message: str          # Vietnamese, for the form; "" on success
    retry_after: int = 0  # seconds


def attempt_sign_in(accounts: Accounts, username: str, password: str, *,
                    audit_db: str | os.PathLike | None = None) -> SignInResult:
    """Check a user name and password, with the throttle, and record the outcome."""
    name = normalise_username(username)
    if not name or not password:
        return SignInResult(None, "Hãy nhập tên đăng nhập và mật khẩu.")
    wait = throttle.retry_after(name, path=audit_db)
    if wait:
        audit.record(audit.SIGN_IN_REFUSED, name, detail={"retry_after": wait}, path=audit_db)
        return SignInResult(None, f"Đăng nhập sai nhiều lần: hãy thử lại sau {wait} giây.", wait)
    account = accounts.get(name)
    if not password_matches(account, password):
        audit.record(audit.SIGN_IN_FAILED, name, path=audit_db)
        n, _ = throttle.failures_since_success(name, path=audit_db)
        wait = throttle.delay_after(n)
        msg = "Tên đăng nhập hoặc mật khẩu không đúng."
        if wait:
            msg += f" Đã sai {n} lần liên tiếp: lần thử tiếp theo sau {wait} giây."
        return SignInResult(None, msg, wait)
    audit.record(audit.SIGN_IN, name, detail={"role": account.role, "method": "password"}, path=audit_db)
    return SignInResult(account, "")
