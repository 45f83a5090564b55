"""influxdb-python's `DataFrameClient.query` on the bench's 1,000,000-row `/query` answer.

Timed: `client.query("SELECT * FROM cpu", epoch="ns")`, all of it but the network: the
session's `request` is replaced by one that returns a `requests.Response` holding the answer's
bytes, so the client's own code runs from there (its status and content-type checks,
`response.json()`, `ResultSet`, `_to_dataframe`: a dict per row, `pd.DataFrame`,
`pd.to_datetime`, `sort_index`, `dropna`). Two answers, both the same rows:

- json: `answer.json`, the bytes InfluxDB 1.6 sends and the Rust side decodes;
- msgpack: the same answer as MessagePack. influxdb-python asks for it by default
  (`Accept: application/x-msgpack`) and influxd >= 1.4 sends it, so this is its usual case.
  It is built here by `msgpack.packb(json.loads(answer))` (ints, floats, strings, bools as
  the server's encoder writes them with `epoch=ns`).

Checked: 1,000,000 rows; every time, float (by bits), integer, bool and string cell equal to
the rows the bench wrote, rebuilt here.

Usage: python read.py <dir of COLUMNAR_EXPORT> [rounds]
"""
import json
import sys

import msgpack
import numpy as np
import requests

import common
from influxdb import DataFrameClient


def respond(content, content_type):
    def request(**kwargs):
        r = requests.Response()
        r.status_code = 200
        r._content = content
        r.headers["Content-Type"] = content_type
        r.encoding = "utf-8"
        return r

    return request


def check(result, want):
    df = result["cpu"]
    assert len(df) == common.ROWS, len(df)
    assert sorted(df.columns) == ["b", "f", "host", "i", "region", "s", "zone"], list(df.columns)
    assert (df.index.asi8 == want["time"]).all(), "time"
    assert (df["f"].to_numpy().view(np.uint64) == want["f"].view(np.uint64)).all(), "f bits"
    assert (df["i"].to_numpy() == want["i"]).all(), "i"
    assert (df["b"].to_numpy() == want["b"]).all(), "b"
    for k in ["host", "region", "zone", "s"]:
        assert df[k].tolist() == want[k], k
    return {k: str(t) for k, t in df.dtypes.items()}


def main():
    out, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    answer = open(f"{out}/answer.json", "rb").read()
    packed = msgpack.packb(json.loads(answer))
    want = common.columns()
    client = DataFrameClient(database="bench")
    results = {}
    for name, content, content_type in [
        ("json", answer, "application/json"),
        ("msgpack", packed, "application/x-msgpack"),
    ]:
        client._session.request = respond(content, content_type)
        load_before = common.load()
        cpu, wall, frames = common.best_of(rounds, lambda: client.query("SELECT * FROM cpu", epoch="ns"))
        dtypes = check(frames, want)
        frames = None
        print(
            f"python read {name} ({len(content)} bytes; influxdb {__import__('influxdb').__version__}, "
            f"pandas {common.pd.__version__}): best of {rounds}: {cpu / 1e6:.0f} ms thread CPU, "
            f"{wall / 1e6:.0f} ms wall; every cell checked; dtypes {dtypes}"
        )
        results[name] = {"cpu_ns": cpu, "wall_ns": wall, "load": load_before}
    common.save(f"{out}/python_read.json", {"rounds": rounds, **results})


if __name__ == "__main__":
    main()
