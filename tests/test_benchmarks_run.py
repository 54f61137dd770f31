"""The benchmarks still run (one quick path; their figures are read by people, never asserted)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_benchmarks_run_and_print_their_figures(tmp_path):
    out = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if k != "FORUM_TEST_POSTGRES_URL"}
    result = subprocess.run(
        # The whole run's time limit, for the one path: a busy machine (the rest of the suite runs
        # alongside) makes it slower than its own limit expects.
        [sys.executable, "-m", "benchmarks", "--quick", "--only", "relay", "--no-postgres", "--time-limit", "240",
         "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for heading in ("figure", "baseline", "ratio", "target", "relay"):
        assert heading in result.stdout
    rows = json.loads(out.read_text())["rows"]
    assert rows and all(row["figure"] and row["baseline"] and row["ratio"] for row in rows)
