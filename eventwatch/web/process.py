"""``python -m eventwatch.web`` in a child process on a free loopback port, until it answers.

For scripts, benchmarks and tests that need a real server process:

    with served("--db", "events.db", "--log-level", "warning") as base:
        httpx.get(f"{base}/api/events")
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from eventwatch.errors import EventwatchError

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port nothing listens on at the moment, on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/api/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def served(*args: str, env: Mapping[str, str] | None = None, timeout: float = 60.0) -> Iterator[str]:
    """Start the server with ``args`` (after --host and --port), yield its base URL once
    /api/health answers, and stop it afterwards, whatever happens.  Its output goes to a
    temporary file (a pipe nobody reads would stall a talkative server) and is shown in the
    error when it exits or does not answer within ``timeout`` seconds."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    with tempfile.TemporaryFile() as output:
        server = subprocess.Popen([sys.executable, "-m", "eventwatch.web", "--host", HOST, "--port", str(port), *args],
                                  env=dict(os.environ if env is None else env), stdout=output, stderr=subprocess.STDOUT)

        def said() -> str:
            output.seek(0)
            return output.read().decode("utf-8", errors="replace").strip()

        try:
            deadline = time.monotonic() + timeout
            while not _healthy(base):
                if server.poll() is not None:
                    raise EventwatchError(f"the server exited with {server.returncode}: {said()}")
                if time.monotonic() > deadline:
                    raise EventwatchError(f"the server did not answer {base}/api/health within {timeout:g} s: {said()}")
                time.sleep(0.1)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
