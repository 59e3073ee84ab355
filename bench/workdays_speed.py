"""Working-day arithmetic speed: python bench/workdays_speed.py

Prints the cost of the first build of a year's holidays and of due-date computations after it."""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shagym import workdays


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    cal = workdays.Calendar()
    start = time.perf_counter()
    cal.is_working_day(dt.date(2026, 3, 1))
    print(f"first build of 2026: {(time.perf_counter() - start) * 1000:.2f} ms")
    registered = dt.date(2026, 3, 20)
    for days, ext in ((5, 0), (15, 0), (15, 10), (20, 0)):
        samples = timed(lambda d=days, e=ext: workdays.due_date(cal, registered=registered, working_days=d, extension_days=e), 2000)
        print(f"due_date({days} + {ext} working days): median {statistics.median(samples) * 1e6:.1f} µs, "
              f"p95 {sorted(samples)[int(len(samples) * 0.95)] * 1e6:.1f} µs")
    samples = timed(lambda: workdays.skipped_days(cal, registered, dt.date(2026, 5, 1)), 1000)
    print(f"skipped_days over 6 weeks: median {statistics.median(samples) * 1e6:.1f} µs")


if __name__ == "__main__":
    main()
