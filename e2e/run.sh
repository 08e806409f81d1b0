#!/usr/bin/env bash
# Runs the browser tests: a fresh SQLite database with the demo data and admin, the real server
# serving the built SPA (frontend/dist) on a free port, and Playwright driving Debian's
# Chromium against it. Usage: e2e/run.sh path/to/cohort [playwright test arguments…]
set -euo pipefail
cohort="$(realpath "${1:?usage: e2e/run.sh path/to/cohort [playwright arguments…]}")"
shift
e2e_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$e2e_dir")"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

database="sqlite://$work/e2e.db?mode=rwc"
# The demo admin signs in with this password; the API token is the suite's witness.
export COHORT_DEMO_PASSWORD="e2e-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
token="$("$cohort" token create --workspace Demo --database-url "$database" 2>/dev/null)"
"$cohort" serve --demo --bind 127.0.0.1:0 --database-url "$database" \
  --rate-limit-per-minute 1000000000 \
  --static-dir "$repo_dir/frontend/dist" >"$work/server.log" 2>&1 &
server_pid=$!

url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/server.log" | head -n1 || true)"
  [ -n "$url" ] && curl -fsS "$url/readyz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "e2e: the server did not start"; cat "$work/server.log"; exit 1; }

cd "$e2e_dir"
COHORT_URL="$url" COHORT_TOKEN="$token" COHORT_EMAIL=demo@example.com \
  COHORT_PASSWORD="$COHORT_DEMO_PASSWORD" npx playwright test "$@"
