#!/usr/bin/env bash
# The test command (`./polydesk test`, run by CI): installs and starts what the tests need on loopback
# (PostgreSQL, Redis, Debian's Chromium), lints, and runs the whole suite. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v /usr/bin/chromium >/dev/null 2>&1 || missing+=(chromium)
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} (Debian packages) =="
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== starting PostgreSQL and Redis on loopback =="
while IFS='=' read -r name value; do
  export "POLYDESK_TEST_${name}=${value}"
done < <(bash scripts/services.sh up)
echo "POLYDESK_TEST_DATABASE_URL=$POLYDESK_TEST_DATABASE_URL"
echo "POLYDESK_TEST_REDIS_URL=$POLYDESK_TEST_REDIS_URL"

echo "== ruff =="
.venv/bin/ruff check .

export TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false
# Browser tests run in their own pytest process: Playwright's sync API drives an event loop in the main
# thread, and a browser test that fails can leave it running under the asyncio tests that follow; they
# also collect only the gateway side (the widget end-to-end test was seen to fail after Rasa was imported).
status=0
echo "== pytest: everything but the browser =="
.venv/bin/python -m pytest -q -p no:cacheprovider -m "not e2e" "$@" || status=$?
echo "== pytest: browser (headless Chromium) =="
.venv/bin/python -m pytest -q -p no:cacheprovider -m e2e tests/e2e tests/gateway/operator "$@" || status=$?
exit $status
