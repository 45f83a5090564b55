#!/usr/bin/env bash
# Every test: unit, doc, UI (trybuild) and integration tests against real throwaway influxd instances.
# Installs InfluxDB and VictoriaMetrics (a real /api/v2/write server) if needed. Tests that need a server fail (never skip) when it cannot start.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-influxdb.sh
scripts/install-victoria-metrics.sh
cargo test --workspace --all-features "$@"
