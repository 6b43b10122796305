#!/usr/bin/env bash
# The one system package the test suite needs beyond PyPI: Debian's Chromium, for the browser
# tests. Run on purpose (`make test-browser`, or CI's .ci/run), never by `make test`: installing
# system packages is the machine owner's decision. Without it the browser tests skip (and fail
# under CI=true).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "test-setup: installing Debian chromium for the browser tests" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
else
  echo "test-setup: Chromium is not installed; as root run:" >&2
  echo "  apt-get update && apt-get install -y chromium chromium-driver" >&2
  exit 1
fi
