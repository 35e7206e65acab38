"""python -m access hash | check [FILE] | key — accounts and session keys (docs/access.md)."""
from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from .accounts import AccountsError, accounts_path, load_accounts
from .cookie import new_key
from .passwords import hash_password


def main(argv: list[str] | None = None, prog: str = "python -m access") -> int:
    ap = argparse.ArgumentParser(prog=prog, description="Tài khoản và khóa phiên của bảng điều khiển.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("hash", help="tạo chuỗi băm argon2 cho một mật khẩu (nhập từ bàn phím)")
    p_check = sub.add_parser("check", help="kiểm tra tệp tài khoản")
    p_check.add_argument("path", nargs="?", type=Path, default=None)
    sub.add_parser("key", help="in một khóa ký phiên đăng nhập mới (để thay khóa, xem docs/access.md)")
    args = ap.parse_args(argv)
    if args.cmd == "key":
        print(new_key())
        return 0
    if args.cmd == "hash":
        pw = getpass.getpass("Mật khẩu: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
        if sys.stdin.isatty() and getpass.getpass("Nhập lại: ") != pw:
            print("Hai lần nhập không khớp.", file=sys.stderr)
            return 1
        if len(pw) < 10:
            print("Mật khẩu cần ít nhất 10 ký tự.", file=sys.stderr)
            return 1
        print(hash_password(pw))
        return 0
    path = args.path or accounts_path()
    try:
        accounts = load_accounts(path)
    except AccountsError as e:
        print(e, file=sys.stderr)
        return 1
    if accounts is None:
        print(f"Không có tệp tài khoản «{path}».", file=sys.stderr)
        return 1
    for a in sorted(accounts.accounts.values(), key=lambda a: a.username):
        print(f"{a.username:24} {a.role:15} {', '.join(a.communes) or 'tất cả'}"
              + ("  (không có mật khẩu: chỉ đăng nhập OIDC hoặc qua máy chủ ủy quyền)" if not a.password_hash else ""))
    if accounts.demo:
        print("CẢNH BÁO: đây là tệp tài khoản minh họa, mật khẩu đã công khai. Thay trước khi dùng thật.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
