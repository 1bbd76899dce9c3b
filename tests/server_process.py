"""The real service under uvicorn in its own process group, for tests that need real sockets."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from catalogsvc.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]


class ServerProcess:
    """The service in its own process group, on a free port."""

    def __init__(self, settings: Settings) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {
            **os.environ,
            "CATALOGSVC_DATA_DIR": str(settings.data_dir),
            "CATALOGSVC_ALLOWED_ROOTS": os.pathsep.join(map(str, settings.allowed_roots)),
            "CATALOGSVC_EXTRACT_WORKERS": "1",
            "CATALOGSVC_API_KEYS": ",".join(key.get_secret_value() for key in settings.api_keys),
            "CATALOGSVC_VISION_MODEL": settings.vision_model or "",
            "CATALOGSVC_DISK_RESERVE_MB": str(settings.disk_reserve_mb),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.serve_gated", str(self.port)],
            cwd=REPO_ROOT,
            env=env,
            start_new_session=True,
        )
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10)
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.http.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
            time.sleep(0.05)  # polling a starting server with a deadline

    def signal_group(self, sig: signal.Signals) -> None:
        os.killpg(self.process.pid, sig)

    def close(self) -> None:
        self.http.close()
        if self.process.poll() is None:
            self.signal_group(signal.SIGKILL)
        self.process.wait(timeout=30)
