"""influxdb-client-python's DataFrame write path on the bench's 1,000,000 rows.

Timed: `write_api.write(bucket, record=df, data_frame_measurement_name="cpu",
data_frame_tag_columns=["host", "region", "zone"])` with a SYNCHRONOUS write API, everything
it runs up to the HTTP request: `DataframeSerializer` (what `data_frame_to_list_of_points`
runs), the encoding of each line to bytes and the join into one body. Only the HTTP POST is
replaced (`_post_write` keeps the body). Checked: the body is the line protocol the Rust bench
wrote for the same rows (`batch.lp`), line by line, once Python's `True`/`False` are read as
line protocol's `true`/`false`.

Usage: python write.py <dir of COLUMNAR_EXPORT> [rounds]
"""
import sys

import common
from influxdb_client import InfluxDBClient
from influxdb_client.client.write_api import SYNCHRONOUS


def main():
    out, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    df = common.frame(common.columns())
    client = InfluxDBClient(url="http://127.0.0.1:9", token="unused", org="bench")
    write_api = client.write_api(write_options=SYNCHRONOUS)
    bodies = []

    def post(_async_req, bucket, org, body, precision, **kwargs):
        bodies.append(body)

    write_api._post_write = post

    def write():
        bodies.clear()
        write_api.write(
            bucket="bench",
            record=df,
            data_frame_measurement_name="cpu",
            data_frame_tag_columns=["host", "region", "zone"],
        )
        return bodies[0]

    load_before = common.load()
    cpu, wall, body = common.best_of(rounds, write)
    assert len(bodies) == 1
    ours = open(f"{out}/batch.lp", "rb").read().split(b"\n")
    theirs = body.split(b"\n")
    assert len(theirs) == len(ours) == common.ROWS, (len(theirs), len(ours))
    differ = 0
    for n, (a, b) in enumerate(zip(theirs, ours)):
        if a.replace(b" b=True,", b" b=true,").replace(b" b=False,", b" b=false,") != b:
            differ += 1
            if differ <= 3:
                print(f"  row {n} differs:\n    python: {a!r}\n    rust:   {b!r}")
    assert differ == 0, f"{differ} lines differ"
    print(
        f"python write (influxdb-client {__import__('influxdb_client').__version__}, "
        f"pandas {common.pd.__version__}): best of {rounds}: {cpu / 1e6:.0f} ms thread CPU, "
        f"{wall / 1e6:.0f} ms wall; {len(body)} bytes, every line the same as ours (bools as True/False)"
    )
    common.save(f"{out}/python_write.json", {"rounds": rounds, "cpu_ns": cpu, "wall_ns": wall, "load": load_before})


if __name__ == "__main__":
    main()
