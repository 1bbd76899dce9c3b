"""PyMuPDF versions side by side: import time, memory, install size, speed, identical output.

Each version lives in its own throwaway venv with catalogsvc installed, for example:

    python3.11 -m venv /tmp/pm126 && /tmp/pm126/bin/pip install -e . 'pymupdf==1.26.*'
    python3.11 -m venv /tmp/pm20 && /tmp/pm20/bin/pip install -e . 'pymupdf==2.*'

Run: .venv/bin/python -m benchmarks.pymupdf_versions /tmp/pm126 /tmp/pm20 [--corpus DIR]

Every figure comes from fresh processes of each venv's own Python, one venv after the other in
the same run: wall time of `python -c "import pymupdf"` (median of 10) and its cumulative
`-X importtime`, peak RSS after the import alone and after extracting one paper (median of 5
processes), the venv's site-packages size and the distributions one venv has and the first does
not, `extract_paper` PDFs per CPU second on the corpus (best of 3 rounds), and whether
`extract_paper` gives the same fields for every PDF as in the first venv.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"
IMPORT_RUNS = 10
RSS_RUNS = 5

# Each snippet runs inside the venv under test and prints one JSON document.
RSS_SNIPPET = """
import json, resource, sys
import pymupdf
after_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if len(sys.argv) > 1:
    from catalogsvc.extraction.extract import extract_paper
    extract_paper(sys.argv[1])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"version": pymupdf.__version__, "mupdf": pymupdf.VersionFitz,
                  "import_kib": after_import, "peak_kib": peak,
                  "onnxruntime": "onnxruntime" in sys.modules,
                  "layout": "pymupdf.layout" in sys.modules,
                  "modules": len(sys.modules)}))
"""

DISTS_SNIPPET = """
import json, importlib.metadata as md, sysconfig
out = {}
for dist in md.distributions():
    size = 0
    for file in dist.files or []:
        try:
            size += file.locate().stat().st_size
        except OSError:
            pass
    out[dist.metadata["Name"].lower().replace("_", "-")] = [dist.version, size]
print(json.dumps({"dists": out, "site": sysconfig.get_paths()["purelib"]}))
"""

SPEED_SNIPPET = """
import json, sys, time
from pathlib import Path
from catalogsvc.extraction.extract import extract_paper
files = sorted(str(p) for p in Path(sys.argv[1]).glob("*.pdf"))
best = float("inf")
for _ in range(3):
    started = time.process_time()
    for f in files:
        extract_paper(f)
    best = min(best, time.process_time() - started)
print(json.dumps({"files": len(files), "pdfs_per_cpu_s": len(files) / best}))
"""

DUMP_SNIPPET = """
import dataclasses, json, sys
from pathlib import Path
from catalogsvc.extraction.extract import extract_paper
out = {p.name: dataclasses.asdict(extract_paper(str(p)))
       for p in sorted(Path(sys.argv[1]).glob("*.pdf"))}
Path(sys.argv[2]).write_text(json.dumps(out, sort_keys=True, default=str))
"""


@dataclass
class Measured:
    venv: Path
    version: str = ""
    mupdf: str = ""
    wheel_mib: float = 0.0
    import_wall_ms: float = 0.0
    importtime_ms: float = 0.0
    import_rss_mib: float = 0.0
    extract_rss_mib: float = 0.0
    loads_onnxruntime: bool = False
    site_mib: float = 0.0
    pdfs_per_cpu_s: float = 0.0
    dists: dict[str, tuple[str, int]] = field(default_factory=dict)
    dump: dict[str, dict[str, Any]] = field(default_factory=dict)


def python_of(venv: Path) -> str:
    return str(venv / "bin" / "python")


def run_json(venv: Path, code: str, *args: str) -> Any:
    done = subprocess.run(
        [python_of(venv), "-c", code, *args], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def import_times(venv: Path) -> tuple[float, float]:
    """Median wall ms of a fresh `import pymupdf` process, and the cumulative -X importtime ms."""
    walls = []
    for _ in range(IMPORT_RUNS):
        started = time.perf_counter()
        subprocess.run([python_of(venv), "-c", "import pymupdf"], check=True)
        walls.append((time.perf_counter() - started) * 1000)
    done = subprocess.run(
        [python_of(venv), "-X", "importtime", "-c", "import pymupdf"],
        capture_output=True,
        text=True,
        check=True,
    )
    cumulative_us = 0
    for line in done.stderr.splitlines():
        parts = [part.strip() for part in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == "pymupdf":
            cumulative_us = int(parts[1])
    return statistics.median(walls), cumulative_us / 1000


def site_size_mib(site: Path) -> float:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20


def measure(venv: Path, corpus: Path, first_pdf: Path) -> Measured:
    result = Measured(venv=venv)
    result.import_wall_ms, result.importtime_ms = import_times(venv)
    alone = [run_json(venv, RSS_SNIPPET) for _ in range(RSS_RUNS)]
    with_paper = [run_json(venv, RSS_SNIPPET, str(first_pdf)) for _ in range(RSS_RUNS)]
    result.import_rss_mib = statistics.median(r["import_kib"] for r in alone) / 1024
    result.extract_rss_mib = statistics.median(r["peak_kib"] for r in with_paper) / 1024
    result.loads_onnxruntime = bool(alone[0]["onnxruntime"])
    dists = run_json(venv, DISTS_SNIPPET)
    result.dists = {name: (v[0], v[1]) for name, v in dists["dists"].items()}
    result.version, result.mupdf = alone[0]["version"], alone[0]["mupdf"]
    wheel = result.dists.get("pymupdf") or result.dists.get("pymupdf-lite", ("", 0))
    result.wheel_mib = wheel[1] / 2**20
    result.site_mib = site_size_mib(Path(dists["site"]))
    result.pdfs_per_cpu_s = run_json(venv, SPEED_SNIPPET, str(corpus))["pdfs_per_cpu_s"]
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "dump.json"
        subprocess.run([python_of(venv), "-c", DUMP_SNIPPET, str(corpus), str(out)], check=True)
        result.dump = json.loads(out.read_text())
    return result


def differences(base: Measured, other: Measured) -> list[str]:
    lines = []
    for name in sorted(base.dump.keys() | other.dump.keys()):
        left, right = base.dump.get(name, {}), other.dump.get(name, {})
        changed = sorted(
            key for key in left.keys() | right.keys() if left.get(key) != right.get(key)
        )
        if changed:
            lines.append(f"{name}: {', '.join(changed)}")
    return lines


def report(results: list[Measured]) -> None:
    rows: list[tuple[str, Callable[[Measured], str]]] = [
        ("pymupdf (MuPDF)", lambda m: f"{m.version} ({m.mupdf})"),
        (
            f"`import pymupdf`, fresh process, ms (median of {IMPORT_RUNS})",
            lambda m: f"{m.import_wall_ms:.0f}",
        ),
        ("-X importtime, pymupdf cumulative, ms", lambda m: f"{m.importtime_ms:.0f}"),
        ("loads onnxruntime on import", lambda m: "yes" if m.loads_onnxruntime else "no"),
        (f"peak RSS after import, MiB (median of {RSS_RUNS})", lambda m: f"{m.import_rss_mib:.0f}"),
        ("peak RSS after one extract_paper, MiB", lambda m: f"{m.extract_rss_mib:.0f}"),
        ("pymupdf installed, MiB", lambda m: f"{m.wheel_mib:.0f}"),
        ("venv site-packages, MiB", lambda m: f"{m.site_mib:.0f}"),
        ("extract_paper, PDFs per CPU second (best of 3)", lambda m: f"{m.pdfs_per_cpu_s:.1f}"),
    ]
    print("| | " + " | ".join(m.venv.name for m in results) + " |")
    print("|---" * (len(results) + 1) + "|")
    for label, cell in rows:
        print(f"| {label} | " + " | ".join(cell(m) for m in results) + " |")
    base = results[0]
    for other in results[1:]:
        print(f"\n{other.venv.name} against {base.venv.name}:")
        extra = sorted(set(other.dists) - set(base.dists))
        for name in extra:
            version, size = other.dists[name]
            print(f"  extra distribution: {name} {version} ({size / 2**20:.1f} MiB)")
        changed = differences(base, other)
        print(f"  extract_paper output: {len(base.dump)} PDFs, {len(changed)} differ")
        for line in changed:
            print(f"    {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("venvs", nargs="+", type=Path, help="venvs, each with catalogsvc installed")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    options = parser.parse_args()
    pdfs = sorted(options.corpus.glob("*.pdf"))
    if not pdfs:
        print(f"no PDFs in {options.corpus}: pass --corpus ../shared/corpus/dev")
        return 0
    results = []
    for venv in options.venvs:
        print(f"measuring {venv} ...", file=sys.stderr)
        results.append(measure(venv, options.corpus, pdfs[0]))
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
