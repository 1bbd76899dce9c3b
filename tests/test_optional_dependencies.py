"""What the first README command installs is enough: procrastinate (the postgresql extra) is
imported only by the task queue, never by the service or the CLI on their defaults."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_the_service_and_the_cli_start_without_the_postgresql_extra() -> None:
    check = (
        "import sys\n"
        "import catalogsvc.app, catalogsvc.cli\n"
        "from catalogsvc.app import create_app\n"
        "from catalogsvc.settings import Settings\n"
        "create_app(Settings())\n"
        "assert 'procrastinate' not in sys.modules, 'procrastinate was imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
