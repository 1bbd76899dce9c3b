"""Servers for the HTTP benchmarks: `catalogsvc serve` and the reference app as the user runs
them (uvicorn on uvloop, in their own processes), and wrk to load them."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


_PIDS: dict[str, int] = {}


def server_pid(base: str) -> int:
    """The process id of a server `running` started."""
    return _PIDS[base]


@contextmanager
def running(command: list[str], env: dict[str, str], health: str) -> Iterator[str]:
    """Start a server on a free port (`{port}` in the command), wait until `health` answers,
    yield its base URL, and stop it."""
    port = free_port()
    argv = [part.replace("{port}", str(port)) for part in command]
    log = open(os.devnull, "wb")  # noqa: SIM115 -- the server's whole life
    process = subprocess.Popen(argv, env={**os.environ, **env}, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    _PIDS[base] = process.pid
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{argv[0]} exited with {process.returncode}")
            try:
                if httpx.get(base + health, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{argv} did not answer {health} within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(30)
        log.close()


CATALOGSVC = [str(BIN / "catalogsvc"), "serve", "--port", "{port}"]


def catalogsvc_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a `catalogsvc serve` with its data in `data_dir`."""
    return {"CATALOGSVC_DATA_DIR": str(data_dir)} | {
        f"CATALOGSVC_{name.upper()}": value for name, value in settings.items()
    }


REFERENCE = [
    str(BIN / "uvicorn"),
    "--loop",
    "uvloop",
    "--port",
    "{port}",
    "benchmarks.reference_app:app",
]


@dataclass(frozen=True)
class WrkResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int


def wrk(
    url: str, *, connections: int = 64, seconds: int = 8, script: Path | None = None
) -> WrkResult:
    """One thread, `connections` connections, `seconds` long, as the issue measured."""
    if shutil.which("wrk") is None:
        raise SystemExit("needs wrk (apt-get install wrk; ./scripts/test installs it)")
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script is not None:
        argv += ["-s", str(script)]
    out = subprocess.run([*argv, url], check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return WrkResult(rate, _percentile(out, "50%"), _percentile(out, "99%"), errors)


def _percentile(out: str, label: str) -> float:
    value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()  # type: ignore[union-attr]
    return float(value) * UNITS_MS[unit]
