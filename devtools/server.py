"""A real Streamlit server for the browser tests (tests/e2e) and the benchmark (bench/browser.py):
`streamlit run app.py` as `make run` serves it, on a free loopback port, reading a given warehouse,
with its own accounts file, audit trail and session key file in a folder of its own.

No pytest here: a server that does not come up raises ServerDidNotStart with the end of its log;
the e2e fixtures turn that into a test failure.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60


class ServerDidNotStart(RuntimeError):
    """The server exited or was not healthy in time; the message ends with its log's last lines."""


@dataclass(frozen=True)
class Server:
    url: str
    dir: Path            # accounts.toml, audit.sqlite, session_keys, streamlit.log
    accounts: Path
    audit_db: Path
    proc: subprocess.Popen


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def tail(path: Path, n: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no server log)"


def streamlit_command(script: str, port: int, extra_args: tuple[str, ...] = ()) -> list[str]:
    streamlit = ROOT / ".venv" / "bin" / "streamlit"
    cmd = [str(streamlit)] if streamlit.exists() else [sys.executable, "-m", "streamlit"]
    return cmd + [
        "run", script,
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        # Others edit files in this checkout while tests or benchmarks run: no reruns on their saves.
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
        *extra_args,
    ]


@contextlib.contextmanager
def run_server(warehouse: Path, server_dir: Path, write_accounts, *, script: str = "app.py",
               extra_env: dict | None = None, extra_args: tuple[str, ...] = (),
               start_timeout_s: float = START_TIMEOUT_S):
    """Start the server, wait until it is healthy, yield a Server, stop it on exit.

    `write_accounts(path)` writes the accounts file (access/ format) when `server_dir` has none.
    The server's log is `server_dir`/streamlit.log."""
    port = free_port()
    server_dir.mkdir(parents=True, exist_ok=True)
    accounts = server_dir / "accounts.toml"
    if not accounts.exists():
        write_accounts(accounts)
    env = {
        **os.environ,
        "WAREHOUSE_DB": str(warehouse),
        # Sign-in (access/) reads these: the accounts, an audit trail and a key file outside the repo.
        "DASHBOARD_ACCOUNTS": str(accounts),
        "AUDIT_DB": str(server_dir / "audit.sqlite"),
        "DASHBOARD_SESSION_KEY_FILE": str(server_dir / "session_keys"),
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    env.pop("DASHBOARD_SESSION_KEYS", None)  # the key file above, not keys inherited from the shell
    log_path = server_dir / "streamlit.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(streamlit_command(script, port, extra_args), cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            if proc.poll() is not None:
                raise ServerDidNotStart(f"streamlit exited with code {proc.returncode} before it was healthy:\n"
                                        f"{tail(log_path)}")
            if healthy(url):
                break
            if time.monotonic() > deadline:
                raise ServerDidNotStart(f"streamlit not healthy after {start_timeout_s:g} s:\n{tail(log_path)}")
            time.sleep(0.25)
        yield Server(url, server_dir, accounts, server_dir / "audit.sqlite", proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()
