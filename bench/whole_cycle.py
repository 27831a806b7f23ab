"""Benchmark: a whole planning cycle in the real browser. `python -m bench.whole_cycle`.

Target: under 2 minutes. Runs the end-to-end browser test
(rkpk/core/tests/test_whole_cycle_browser.py: the demo accounts take a cycle from the call
for submissions to the distribution of the signed ministry RK-PK in Debian's Chromium) in a
fresh pytest process and prints its wall-clock time, start-up included; `--runs N` repeats
it and prints the median. Asserts nothing, and neither does the test about time: the figure
is this benchmark's. The test runs once per demo organisation (`-k setneg`, `-k kelautan`).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "rkpk/core/tests/test_whole_cycle_browser.py"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    env = {**os.environ, "RKPK_TESTING": "1"}
    times = []
    for _ in range(max(1, args.runs)):
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TEST],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        times.append(time.monotonic() - started)
        if result.returncode != 0:
            print(result.stdout[-3000:], result.stderr[-2000:])
            sys.exit("the whole-cycle browser test failed")
    print(
        f"whole cycle in the browser (13 steps, 7 demo accounts): "
        f"median {statistics.median(times):.1f} s over {len(times)} run(s) "
        f"(target < 120 s)"
    )


if __name__ == "__main__":
    main()
