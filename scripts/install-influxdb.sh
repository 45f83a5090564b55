#!/usr/bin/env bash
# Installs InfluxDB 1.x (Debian's `influxdb` package) if `influxd` is missing.
# Never starts the system service: tests and the demo run their own throwaway instances.
set -euo pipefail
if command -v influxd >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# policy-rc.d keeps the package's post-install from starting the system service.
$SUDO sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
$SUDO apt-get install -y -qq influxdb >/dev/null
$SUDO rm -f /usr/sbin/policy-rc.d
command -v influxd >/dev/null
influxd version
