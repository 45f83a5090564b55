#!/usr/bin/env bash
# Installs VictoriaMetrics (Debian's `victoria-metrics` package) if it is missing.
# Tests use it as a real server that speaks /api/v2/write (see docs/testing.md).
# Never starts the system service: tests run their own throwaway instances.
set -euo pipefail
if command -v victoria-metrics >/dev/null 2>&1 || [ -x /usr/bin/victoria-metrics ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# policy-rc.d keeps the package's post-install from starting the system service.
$SUDO sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
$SUDO apt-get install -y -qq victoria-metrics >/dev/null
$SUDO rm -f /usr/sbin/policy-rc.d
command -v victoria-metrics >/dev/null
victoria-metrics -version
