"""Debian's nginx for the tests that put the real server behind a proxy (test_proxy_sign_in.py,
test_replicas_behind_nginx.py): found, or the test skips (fails under CI or REQUIRE_NGINX=1,
.ci/run); run in the foreground with its files in a temporary folder, on loopback ports only,
until it answers; stopped at the end."""
from __future__ import annotations

import contextlib
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import _in_ci

NGINX = Path(os.environ.get("E2E_NGINX", "/usr/sbin/nginx"))
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def require_nginx(what: str) -> None:
    """Skip the test when nginx is not installed; under CI (or REQUIRE_NGINX=1) fail it instead."""
    if NGINX.is_file() and os.access(NGINX, os.X_OK):
        return
    problem = f"{NGINX} not found: {what} needs Debian's nginx (apt-get install -y nginx)"
    if _in_ci() or os.environ.get("REQUIRE_NGINX") == "1":
        pytest.fail(f"{problem}.", pytrace=False)
    pytest.skip(problem)


def http_block_paths(work: Path) -> str:
    """The lines of an http {} block that keep every file of nginx in `work` (its folders made)."""
    for d in TEMP_DIRS:
        (work / d).mkdir(exist_ok=True)
    return "\n".join([f"    access_log {work}/access.log;"]
                     + [f"    {d}_temp_path {work}/{d};" for d in TEMP_DIRS])


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


@contextlib.contextmanager
def running_nginx(conf: Path, work: Path, ready_url: str, ready_status: int = 200,
                  timeout: float = 20) -> Iterator[subprocess.Popen]:
    """nginx with `conf` (which says `daemon off;` and keeps its files in `work`), until `ready_url`
    answers `ready_status`; its error log is in work/error.log."""
    check = subprocess.run([str(NGINX), "-t", "-p", str(work), "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    with open(work / "nginx.stderr", "w") as stderr:
        proc = subprocess.Popen([str(NGINX), "-p", str(work), "-c", str(conf)],
                                stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        deadline = time.monotonic() + timeout
        while _status(ready_url) != ready_status:
            if proc.poll() is not None:
                pytest.fail(f"nginx exited: {(work / 'nginx.stderr').read_text()}", pytrace=False)
            if time.monotonic() > deadline:
                log = work / "error.log"
                pytest.fail(f"nginx did not answer {ready_url} with {ready_status} within {timeout:.0f} s: "
                            f"{log.read_text() if log.exists() else ''}", pytrace=False)
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)
