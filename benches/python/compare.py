"""Prints the ratios of the Python comparison from the files `scripts/bench-python.sh` leaves.

Rust: the best over every `rust-*.json` (the script runs the Rust side before and after the
Python side, so both meet the same load). Ratio = Python's best / Rust's best, for thread CPU
time (the main figure: a loaded machine's scheduler does not count) and for wall time.

Usage: python compare.py <dir>
"""
import glob
import json
import sys


def main():
    out = sys.argv[1]
    rust = [json.load(open(p)) for p in sorted(glob.glob(f"{out}/rust-*.json"))]
    best = {k: min(r[k] for r in rust) for k in ["write_cpu_ns", "write_wall_ns", "read_cpu_ns", "read_wall_ns"]}
    rounds = sum(r["rounds"] for r in rust)
    w = json.load(open(f"{out}/python_write.json"))
    r = json.load(open(f"{out}/python_read.json"))
    ms = lambda ns: f"{ns / 1e6:,.0f} ms" if ns >= 1e7 else f"{ns / 1e6:,.1f} ms"
    print(f"1,000,000 rows; Rust best of {rounds} ({len(rust)} runs), Python best of {w['rounds']}:")
    rows = [
        ("write: influxdb-client DataFrame serializer vs BatchRows encode", w, "write"),
        ("read:  DataFrameClient.query (JSON answer) vs decode_answer", r["json"], "read"),
        ("read:  DataFrameClient.query (msgpack answer) vs decode_answer (JSON)", r["msgpack"], "read"),
    ]
    for label, py, side in rows:
        cpu, wall = best[f"{side}_cpu_ns"], best[f"{side}_wall_ns"]
        print(f"  {label}")
        print(
            f"    thread CPU: python {ms(py['cpu_ns'])}, rust {ms(cpu)}: {py['cpu_ns'] / cpu:.1f}x faster"
            f" | wall: python {ms(py['wall_ns'])}, rust {ms(wall)}: {py['wall_ns'] / wall:.1f}x faster"
        )


if __name__ == "__main__":
    main()
