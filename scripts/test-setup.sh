#!/usr/bin/env bash
# System packages the test suite needs beyond PyPI: Debian's Chromium for the page-rendering test.
# Installs only when missing and when we may (root with apt); otherwise those tests say why they skip.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-setup: installing Debian chromium for the HTML rendering test" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "test-setup: could not install chromium" >&2
  fi
fi
