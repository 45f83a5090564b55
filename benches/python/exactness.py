"""What the Python clients' DataFrame paths do with the cells `influx::arrow` is strict about.

Runs the real library code on small frames and answers (no server) and prints one line per
case: what influxdb-client-python's DataFrame serializer writes, and what influxdb-python's
`DataFrameClient.query` returns. Nothing here is timed.

Usage: python exactness.py
"""
import json
import random
import struct

import numpy as np
import pandas as pd
from influxdb import DataFrameClient
from influxdb_client.client.write.dataframe_serializer import data_frame_to_list_of_points
from influxdb_client.client.write_api import PointSettings

from read import respond

T0 = pd.Timestamp("2024-01-01", tz="UTC")


def lines(df, tags=()):
    idx = pd.date_range(T0, periods=len(df), freq="s")
    df.index = idx
    return data_frame_to_list_of_points(
        df, PointSettings(), data_frame_measurement_name="m", data_frame_tag_columns=list(tags)
    )


def query(columns, values):
    body = json.dumps(
        {"results": [{"statement_id": 0, "series": [{"name": "m", "columns": ["time"] + columns, "values": values}]}]}
    ).encode()
    client = DataFrameClient(database="x")
    client._session.request = respond(body, "application/json")
    return client.query("SELECT * FROM m", epoch="ns")["m"]


def main():
    rng = random.Random(7)
    xs = [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0] for _ in range(100_000)]
    xs = [x for x in xs if x == x and abs(x) != float("inf")]
    written = lines(pd.DataFrame({"f": xs}))
    back = [float(l.split("f=")[1].split(" ")[0]) for l in written]
    same = sum(struct.pack("<d", a) == struct.pack("<d", b) for a, b in zip(xs, back))
    print(f"write: {len(xs)} random finite f64 bit patterns: {same} read back bit for bit from the text written")
    print("write: NaN float cell:", lines(pd.DataFrame({"f": [np.nan, 1.5], "i": [1, 2]})))
    print("write: row whose fields are all NaN:", lines(pd.DataFrame({"f": [np.nan, 1.5]})), "(row dropped silently)")
    print("write: +inf float cell:", lines(pd.DataFrame({"f": [float("inf")]})), "(a line influxd refuses)")
    print("write: int column with a null:", lines(pd.DataFrame({"i": [3, None]})), "(int written as float)")
    big = 2**53 + 1
    print(f"write: int {big} in a column with a null:", lines(pd.DataFrame({"i": [big, None]})))
    print("write: bool column with a null:", lines(pd.DataFrame({"b": [True, None]})))
    print("write: empty and null tag:", lines(pd.DataFrame({"t": ["", None], "f": [1.0, 2.0]}), tags=["t"]))
    naive = pd.DataFrame({"f": [1.0]}, index=pd.DatetimeIndex(["2024-01-01 12:00"]))
    print(
        "write: naive time 2024-01-01 12:00:",
        data_frame_to_list_of_points(naive, PointSettings(), data_frame_measurement_name="m"),
        "(taken as UTC)",
    )
    f = query(["f"], [[1, 0.1], [2, 1e300]])
    print(f"read: float 0.1 and 1e300: bits kept = {f['f'].tolist() == [0.1, 1e300]} (json.loads rounds correctly)")
    f = query(["f"], [[1, 7], [2, 12]])
    print(f"read: float field whose values are integral (JSON 7, 12): dtype {f['f'].dtype}")
    f = query(["i"], [[1, big], [2, None]])
    print(f"read: int {big} in a column with a null: {f['i'].tolist()[0]!r} (dtype {f['i'].dtype})")
    f = query(["i", "g"], [[1, 1, None], [2, 2, None]])
    print(f"read: all-null column g: columns {list(f.columns)} (dropped by dropna=True)")


if __name__ == "__main__":
    main()
