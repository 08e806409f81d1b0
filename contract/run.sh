#!/usr/bin/env bash
# The OpenAPI contract, tried as a new integrator would (`just contract`):
# 1. Redocly's recommended ruleset and Spectral's `spectral:oas`: 0 errors, 0 warnings,
#    0 hints.
# 2. openapi-typescript generates types; integrator.ts compiles under `tsc --strict`, and
#    every line of mistakes.ts marked `@ts-expect-error` is a compile error (checked both ways).
# 3. openapi-python-client generates the client with no warning and every operation.
# 4. Against a live `cohort serve` (SQLite in a temporary folder, a token from
#    `cohort token create`): integrator.ts (compiled) and smoke.py run the integrator's flow,
#    and conformance.ts answers every operation, successes and errors, checking each
#    response's status, content type and body against the document (JSON Schema 2020-12).
# 5. Schemathesis fuzzes every operation from the served document: no 5xx, and every
#    status, header, content type and body as documented.
# Usage: contract/run.sh path/to/cohort. The pinned tools come from `.ci/setup-tools`.
set -euo pipefail
cohort="$(realpath "${1:?usage: contract/run.sh path/to/cohort}")"
contract_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$contract_dir")"
spec="$repo_dir/openapi/openapi.json"
bin="$contract_dir/node_modules/.bin"
work="$(mktemp -d)"
server_pid=""
passed=0
failed=0
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\033[1mcontract:\033[0m %s\n' "$*"; }
pass() { passed=$((passed + 1)); step "ok: $*"; }
fail() { failed=$((failed + 1)); step "FAILED: $*"; }

cd "$contract_dir"
rm -rf generated build
mkdir -p generated

step "redocly lint (recommended ruleset)"
if "$bin/redocly" lint --format=summary ../openapi/openapi.json >"$work/redocly.log" 2>&1 \
  && ! grep -qE '^(error|warning) ' "$work/redocly.log"; then
  pass "redocly: 0 errors, 0 warnings"
else
  cat "$work/redocly.log"; fail "redocly"
fi

step "spectral lint (spectral:oas)"
if "$bin/spectral" lint --ruleset .spectral.yaml --fail-severity=hint --format text \
  ../openapi/openapi.json >"$work/spectral.log" 2>&1; then
  pass "spectral: 0 errors, 0 warnings, 0 hints"
else
  cat "$work/spectral.log"; fail "spectral"
fi

step "openapi-typescript and tsc --strict"
"$bin/openapi-typescript" "$spec" -o generated/cohort.d.ts >/dev/null
if "$bin/tsc" -p tsconfig.json; then
  pass "integrator.ts and conformance.ts compile"
else
  fail "integrator.ts or conformance.ts does not compile"
fi
mistakes_flags=(--strict --noEmit --module NodeNext --moduleResolution NodeNext --target ES2022 --lib ES2022,DOM --types node)
if "$bin/tsc" "${mistakes_flags[@]}" mistakes.ts; then
  pass "every marked mistake is a compile error"
else
  fail "a marked line of mistakes.ts compiles (or another error)"
fi
# Without the markers, tsc must report an error on exactly the marked lines.
awk '/^ *\/\/ @ts-expect-error/ { print ""; next } { print }' mistakes.ts >mistakes-unmarked.ts
expected="$(awk '/^ *\/\/ @ts-expect-error/ { print NR + 1 }' mistakes.ts | sort -n | tr '\n' ' ')"
actual="$("$bin/tsc" "${mistakes_flags[@]}" mistakes-unmarked.ts 2>&1 | grep -oE '^mistakes-unmarked\.ts\(([0-9]+)' | grep -oE '[0-9]+$' | sort -nu | tr '\n' ' ' || true)"
rm -f mistakes-unmarked.ts
if [ -n "$expected" ] && [ "$expected" = "$actual" ]; then
  pass "mistakes.ts fails to compile on each of its $(wc -w <<<"$expected") mistakes"
else
  fail "mistakes.ts: errors on lines [$actual], expected [$expected]"
fi

step "openapi-python-client"
openapi-python-client generate --path "$spec" --output-path generated/python >"$work/python.log" 2>&1 || true
operations="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for i in d["paths"].values() for m in i if m in ("get","post","put","patch","delete")))' "$spec")"
generated="$(find generated/python -path '*/api/*' -name '*.py' ! -name '__init__.py' | wc -l)"
if grep -qi 'warning\|error' "$work/python.log" || [ "$operations" != "$generated" ]; then
  cat "$work/python.log"; fail "the Python client: $generated of $operations operations, or warnings"
else
  pass "the Python client has all $operations operations, no warnings"
fi

step "a live server"
database="sqlite://$work/contract.db?mode=rwc"
token="$("$cohort" token create --workspace Contract --database-url "$database" 2>/dev/null)"
admin_email="contract@example.com"
admin_password="contract password 1"
COHORT_ADMIN_PASSWORD="$admin_password" "$cohort" admin create --workspace Contract \
  --email "$admin_email" --database-url "$database" 2>/dev/null
"$cohort" serve --bind 127.0.0.1:0 --database-url "$database" --static-dir "$work/no-spa" \
  --rate-limit-per-minute 1000000000 \
  >"$work/server.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/server.log" | head -n1 || true)"
  [ -n "$url" ] && curl -fsS "$url/readyz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "contract: the server did not start"; cat "$work/server.log"; exit 1; }

if COHORT_URL="$url" COHORT_TOKEN="$token" node build/integrator.js; then
  pass "integrator.ts ran against the server"
else
  fail "integrator.ts against the server"
fi
if COHORT_URL="$url" COHORT_TOKEN="$token" python3 smoke.py; then
  pass "smoke.py ran against the server"
else
  fail "smoke.py against the server"
fi

if COHORT_URL="$url" COHORT_TOKEN="$token" COHORT_ADMIN_EMAIL="$admin_email" \
  COHORT_ADMIN_PASSWORD="$admin_password" node build/conformance.js; then
  pass "every response matched the document"
else
  fail "a response did not match the document"
fi

# Schemathesis over the served document, against a second server with the demo data (so
# the document's example ids name real users): examples, coverage, fuzzing and stateful
# phases. Every check runs on every operation, but for the few operations
# `schemathesis.toml` names, each with why this API answers differently there on purpose
# (opaque cursors, filters checked against their meaning, ids trimmed of white space, a
# null read as left out).
step "schemathesis (every operation, no server error, responses as documented)"
fuzz_database="sqlite://$work/fuzz.db?mode=rwc"
COHORT_DEMO_PASSWORD="contract password 1" "$cohort" serve --demo --bind 127.0.0.1:0 \
  --rate-limit-per-minute 1000000000 \
  --database-url "$fuzz_database" --static-dir "$work/no-spa" >"$work/fuzz-server.log" 2>&1 &
fuzz_pid=$!
fuzz_url=""
for _ in $(seq 1 100); do
  fuzz_url="$(grep -o 'serving on http://127\.0\.0\.1:[0-9]*' "$work/fuzz-server.log" | grep -o 'http.*' | head -n1 || true)"
  [ -n "$fuzz_url" ] && curl -fsS "$fuzz_url/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
fuzz_token="$(grep -o 'cohort_[0-9a-f]*' "$work/fuzz-server.log" | head -n1 || true)"
if [ -n "$fuzz_url" ] && [ -n "$fuzz_token" ] && schemathesis --config-file "$contract_dir/schemathesis.toml" run "$fuzz_url/openapi.json" \
  --url "$fuzz_url" -H "Authorization: Bearer $fuzz_token" \
  --max-examples 25 --seed 1 --workers 1 --no-color >"$work/schemathesis.log" 2>&1; then
  pass "schemathesis: $(grep -oE '[0-9]+ generated' "$work/schemathesis.log" | head -n1) test cases, no failure"
else
  tail -n 80 "$work/schemathesis.log"; fail "schemathesis"
fi
kill "$fuzz_pid" 2>/dev/null && wait "$fuzz_pid" 2>/dev/null || true

echo "contract: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
