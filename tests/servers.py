"""Real servers for tests: a free port, a subprocess, polling until it answers.

Never a fixed port, never a bare sleep: `ServerProcess.wait_until_ready` polls a URL until it
answers (or the process dies, in which case its output is shown in the failure).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx

VENV_BIN = Path(sys.executable).parent


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """A server started as a subprocess; its output goes to a temporary file we can show."""

    def __init__(self, args: Sequence[str], *, ready_url: str, env: dict[str, str] | None = None,
                 cwd: str | Path | None = None) -> None:
        self.args = list(args)
        self.ready_url = ready_url
        self._log = tempfile.NamedTemporaryFile(prefix="unkg-server-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            self.args, stdout=self._log, stderr=subprocess.STDOUT, cwd=cwd,
            env={**os.environ, **(env or {})}, start_new_session=True,
        )

    @property
    def output(self) -> str:
        self._log.flush()
        return Path(self._log.name).read_text(encoding="utf-8", errors="replace")

    def wait_until_ready(self, timeout: float = 30.0,
                         is_ready: Callable[[httpx.Response], bool] | None = None) -> None:
        deadline = time.monotonic() + timeout
        delay = 0.02
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with code {self.process.returncode}: "
                                   f"{' '.join(self.args)}\n--- output ---\n{self.output}")
            try:
                response = httpx.get(self.ready_url, timeout=2.0)
                if is_ready(response) if is_ready else response.status_code < 500:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"server did not answer {self.ready_url} within {timeout} s\n"
                                   f"--- output ---\n{self.output}")
            # Polling with a short back-off, not a fixed wait: we return as soon as it answers.
            time.sleep(delay)
            delay = min(delay * 2, 0.25)

    def kill(self) -> None:
        """Kill the server abruptly (SIGKILL), as a crash would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()
        Path(self._log.name).unlink(missing_ok=True)


def oxigraph_binary() -> str:
    """The `oxigraph` server binary installed by the `oxigraph` PyPI package in the venv."""
    candidate = VENV_BIN / "oxigraph"
    if candidate.exists():
        return str(candidate)
    from shutil import which

    found = which("oxigraph")
    if not found:
        raise RuntimeError("the `oxigraph` server binary is missing: pip install oxigraph")
    return found


class OxigraphServer(ServerProcess):
    """`oxigraph serve` on 127.0.0.1 with a free port, the union of the named graphs as its
    default graph (`--union-default-graph`), data under `location`."""

    def __init__(self, location: str | Path, *, port: int | None = None) -> None:
        self.location = Path(location)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(
            [oxigraph_binary(), "serve", "--location", str(self.location),
             "--bind", f"127.0.0.1:{self.port}", "--union-default-graph"],
            ready_url=f"{self.url}/query?query=ASK%7B%7D",
        )
        self.wait_until_ready(is_ready=lambda r: r.status_code == 200)

    @property
    def query_endpoint(self) -> str:
        return f"{self.url}/query"

    @property
    def update_endpoint(self) -> str:
        return f"{self.url}/update"

    @property
    def store_endpoint(self) -> str:
        return f"{self.url}/store"
