#!/usr/bin/env bash
# The Python comparisons of the columnar bench, in one run on this machine:
#   writing the bench's 1,000,000-row frame with influxdb-client-python's DataFrame serializer
#   vs `BatchRows` encoding; reading its 1,000,000-row 1.x `/query` answer with influxdb-python's
#   `DataFrameClient.query` vs `decode_answer` into a RecordBatch.
# Creates a venv under $CARGO_TARGET_DIR (or target/) with pandas, influxdb-client and influxdb
# from PyPI (pinned below), runs the Rust side (`COLUMNAR_EXPORT`, benches/columnar.rs), the
# Python side (benches/python/), the Rust side again, and prints the ratios; then what the
# Python clients do with NaN, inf, nulls and float bits (benches/python/exactness.py).
# Environment: ROUNDS (Rust rounds per run, default 5), PY_ROUNDS (Python rounds, default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
mkdir -p "$target" && target="$(cd "$target" && pwd)"
venv="$target/python-bench-venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check \
    pandas==3.1.1 numpy==2.4.6 influxdb-client==1.50.0 influxdb==5.3.2
out="$target/python-bench"
rm -rf "$out" && mkdir -p "$out"
cargo bench --features arrow --bench columnar --no-run
rust() {
    COLUMNAR_EXPORT="$out" COLUMNAR_ROUNDS="${ROUNDS:-5}" cargo bench --features arrow --bench columnar
    mv "$out/rust.json" "$out/rust-$1.json"
}
echo "load before: $(cat /proc/loadavg) ($(nproc) cores)"
rust 1
"$venv/bin/python" benches/python/write.py "$out" "${PY_ROUNDS:-3}"
"$venv/bin/python" benches/python/read.py "$out" "${PY_ROUNDS:-3}"
rust 2
echo "load after: $(cat /proc/loadavg)"
"$venv/bin/python" benches/python/compare.py "$out"
echo "What the Python clients do with the cells influx is strict about:"
"$venv/bin/python" benches/python/exactness.py
