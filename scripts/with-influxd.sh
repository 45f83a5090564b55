#!/usr/bin/env bash
# Starts a throwaway InfluxDB on 127.0.0.1 (free port, temp dir, reporting off),
# runs the given command with INFLUX_URL set to it, then stops the server and
# removes its data. With no command it prints the URL and serves until Ctrl-C.
#
#   scripts/with-influxd.sh cargo run --example quickstart
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/install-influxdb.sh"

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( (RANDOM % 30000) + 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port found" >&2; return 1
}

dir="$(mktemp -d -t influxd-XXXXXX)"
http_port="$(free_port)"
rpc_port="$(free_port)"
cat >"$dir/influxd.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$dir/meta"
[data]
  dir = "$dir/data"
  wal-dir = "$dir/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[logging]
  level = "warn"
[http]
  enabled = true
  bind-address = "127.0.0.1:$http_port"
  log-enabled = false
CONF

influxd -config "$dir/influxd.conf" >"$dir/influxd.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

url="http://127.0.0.1:$http_port"
ping() {
  # Prints the HTTP status of GET /ping, or nothing if nothing answers yet.
  (
    exec 3<>"/dev/tcp/127.0.0.1/$http_port" || exit 0
    printf 'GET /ping HTTP/1.0\r\n\r\n' >&3
    head -c 12 <&3 | cut -c 10-12
  ) 2>/dev/null
}
status=""
for _ in $(seq 1 600); do
  status="$(ping)"
  [ "$status" = 204 ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "influxd exited early; its log:" >&2; cat "$dir/influxd.log" >&2; exit 1
  fi
  sleep 0.1
done
[ "${status:-}" = 204 ] || { echo "influxd did not answer /ping; its log:" >&2; cat "$dir/influxd.log" >&2; exit 1; }

export INFLUX_URL="$url"
echo "influxd is up at $INFLUX_URL (data in $dir)" >&2
if [ $# -eq 0 ]; then
  echo "$INFLUX_URL"
  wait "$pid"
else
  "$@"
fi
