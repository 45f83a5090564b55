#!/usr/bin/env bash
# The demo: installs InfluxDB if needed, starts a throwaway server, runs the quickstart example against it.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/with-influxd.sh cargo run --quiet --example quickstart
