"""What the Python comparisons share: the bench's rows, rebuilt exactly, and the timer.

The rows are those of `benches/columnar.rs` (and `benches/decode_body.rs`): row n has
time 1_700_000_000_000_000_000 + n * 1e9 ns, tags host-{n % 100}, region-{n % 7},
zone {n % 3}, and fields b = (n % 3 == 0), f = splitmix64(n) scaled to [0, 1e6) (every bit of
the mantissa used), i = n * 37 - 5_000_000, s = 'msg "{n}" ok'. The float formula is the
Rust one step for step, in uint64 and float64 arithmetic, so the values are the same bits.
"""
import json
import time

import numpy as np
import pandas as pd

ROWS = 1_000_000
TAGS = ["host", "region", "zone"]


def floats(n):
    """decode_body::float(n, Floats::Full) for every n in the uint64 array `n`."""
    with np.errstate(over="ignore"):
        z = (n + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 53) * 1e6


def columns(rows=ROWS):
    """The bench's rows as numpy arrays and lists of str, by column name."""
    n = np.arange(rows, dtype=np.uint64)
    ni = n.astype(np.int64)
    return {
        "time": 1_700_000_000_000_000_000 + ni * 1_000_000_000,
        "host": [f"host-{k % 100}" for k in range(rows)],
        "region": [f"region-{k % 7}" for k in range(rows)],
        "zone": [f"zone {k % 3}" for k in range(rows)],
        "b": ni % 3 == 0,
        "f": floats(n),
        "i": ni * 37 - 5_000_000,
        "s": [f'msg "{k}" ok' for k in range(rows)],
    }


def frame(cols):
    """The frame a user hands influxdb-client: times as a UTC DatetimeIndex, as its docs show."""
    index = pd.to_datetime(cols["time"], unit="ns", utc=True)
    return pd.DataFrame({k: cols[k] for k in ["host", "region", "zone", "b", "f", "i", "s"]}, index=index)


def best_of(rounds, f):
    """(thread CPU ns, wall ns, last result) of the best of `rounds` calls of f()."""
    cpu = wall = None
    out = None
    for _ in range(rounds):
        out = None  # free the previous result before the next call
        t, w = time.thread_time_ns(), time.perf_counter_ns()
        out = f()
        c, d = time.thread_time_ns() - t, time.perf_counter_ns() - w
        cpu = c if cpu is None else min(cpu, c)
        wall = d if wall is None else min(wall, d)
    return cpu, wall, out


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def save(path, data):
    with open(path, "w") as f:
        json.dump(data, f)
