# Cohort's tasks. `just run` and `just test` set up everything they need first
# (`.ci/setup-tools` is idempotent and quick once the tools are there).

set shell := ["bash", "-euo", "pipefail", "-c"]

postgres_url := env_var_or_default("COHORT_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
bind := env_var_or_default("COHORT_BIND", "127.0.0.1:8080")
log := "target/test-output.log"

# List the recipes.
default:
    @just --list

# Install the tools the build and tests need (wasm target, wasm-bindgen, chromium, npm packages).
setup:
    .ci/setup-tools

# Build the admin SPA into frontend/dist (release wasm, optimised).
spa: setup
    frontend/build.sh

# Build everything, migrate ./data/cohort.db and serve API + SPA with demo data.
run: spa
    cargo build --release -p cohort
    ./target/release/cohort serve --demo --bind {{bind}}

# Everything CI runs: checks, every test on SQLite and on PostgreSQL, and the browser test.
test: setup
    mkdir -p target && : > {{log}}
    just check
    just spa
    just e2e
    just contract
    just test-rust sqlite
    just test-rust postgres
    @awk '/^test result:/ { passed += $4; failed += $6 } /^ +[0-9]+ passed \(/ { passed += $1 } /^ +[0-9]+ failed$/ { failed += $1 } END { printf "\nall: %d passed, %d failed\n", passed, failed }' {{log}}

# Formatting, lints, and the purity of the core (no I/O crates; builds for wasm).
check:
    cargo fmt --all --check
    cargo clippy --workspace --exclude cohort-frontend --all-targets -- -D warnings
    cargo clippy -p cohort-frontend --target wasm32-unknown-unknown -- -D warnings
    cargo check -p cohort-core --target wasm32-unknown-unknown
    for crate in tokio sea-orm actix-web gloo-net leptos; do \
        if [ -n "$(cargo tree -p cohort-core -e normal -i $crate 2>/dev/null)" ]; then \
            echo "cohort-core must not depend on $crate"; exit 1; \
        fi; \
    done

# The Rust tests on one engine: `sqlite` or `postgres` (the core's and the SPA's once, on
# sqlite, with the core's OpenAPI shapes checked against its parser).
test-rust engine="sqlite":
    if [ "{{engine}}" = postgres ]; then just clean-test-databases; fi
    if [ "{{engine}}" = sqlite ]; then \
        cargo test -p cohort-core -p cohort-frontend 2>&1 | tee -a {{log}}; \
        cargo test -p cohort-core --features openapi --lib openapi:: 2>&1 | tee -a {{log}}; \
    fi
    COHORT_TEST_ENGINE={{engine}} COHORT_TEST_POSTGRES_URL={{postgres_url}} \
        cargo test -p cohort-store -p cohort-api -p cohort --lib --tests 2>&1 | tee -a {{log}}

# The browser test: the built SPA against a real server with demo data, in headless Chromium.
e2e:
    cargo build -p cohort
    e2e/run.sh target/debug/cohort 2>&1 | tee -a {{log}}

# The OpenAPI contract as integrators meet it: Redocly's and Spectral's lint, TypeScript types
# that compile the integrator's script and refuse its mistakes, a Python client, both run
# against a live server, and every operation's responses validated against the document.
contract:
    cargo build -p cohort
    contract/run.sh target/debug/cohort 2>&1 | tee -a {{log}}

# Rewrite openapi/openapi.json from the code.
openapi:
    UPDATE_OPENAPI=1 cargo test -p cohort-api --test api openapi

# Drop test databases left behind by interrupted runs.
clean-test-databases:
    psql "{{postgres_url}}" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'cohort_test_%'" \
        | while read -r name; do psql "{{postgres_url}}" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)"; done

# Benchmarks, with figures printed: bulk actions on 100,000 users against bare SQL, event
# ingestion in batches of 500, a full stats rebuild of 1M events, a CSV export of 300,000
# users beside the engine's own CSV dump, sentiment scoring.
bench users="100000" export_users="300000":
    cargo build --release -p cohort-store --features testing --example bulk_bench --example ingest_bench --example rebuild_bench --example ingest_wait_bench
    ./target/release/examples/bulk_bench {{users}}
    COHORT_TEST_ENGINE=postgres COHORT_TEST_POSTGRES_URL={{postgres_url}} ./target/release/examples/bulk_bench {{users}}
    ./target/release/examples/ingest_bench 200000
    COHORT_TEST_ENGINE=postgres COHORT_TEST_POSTGRES_URL={{postgres_url}} ./target/release/examples/ingest_bench 200000
    ./target/release/examples/rebuild_bench 1000000
    COHORT_TEST_ENGINE=postgres COHORT_TEST_POSTGRES_URL={{postgres_url}} ./target/release/examples/rebuild_bench 1000000
    ./target/release/examples/ingest_wait_bench {{export_users}}
    COHORT_TEST_ENGINE=postgres COHORT_TEST_POSTGRES_URL={{postgres_url}} ./target/release/examples/ingest_wait_bench {{export_users}}
    just export-bench {{export_users}}
    just sentiment-bench

# The CSV export of the largest bot (N users) of a data set of TOTAL users in ten bots,
# through the server, beside `COPY … TO STDOUT WITH CSV` on PostgreSQL and the sqlite3
# CLI's `.mode csv`: rows/s, their ratio, peak RSS.
export-bench users="300000" total="1000000": setup
    cargo build --release -p cohort-api --example export_bench
    ./target/release/examples/export_bench {{users}} {{total}}
    COHORT_TEST_ENGINE=postgres COHORT_TEST_POSTGRES_URL={{postgres_url}} ./target/release/examples/export_bench {{users}} {{total}}

# Scale, through a real `cohort serve` on the data set of TOTAL users in ten bots (USERS in
# the largest), on each engine: an actix "hello" floor, the Users list alone, ingestion alone
# (4 clients), pages by cursor down to 100k deep, thirteen filters (first page of 50 + exact
# total) beside bare SQL on a copy of the same users laid out as PERF-NOTES recommends, with
# the ratio per row, then SECS seconds of CLIENTS clients mixing list, search, user reads and
# ingestion: req/s, p50/p99 and failures per operation, and the server's peak RSS.
alias bench-load := bench-scale
bench-scale users="300000" total="1000000" secs="60" clients="32": setup
    cargo bench -p cohort --bench load --no-run
    cargo bench -p cohort --bench load -- {{users}} {{total}} {{secs}} {{clients}}
    COHORT_TEST_ENGINE=postgres COHORT_TEST_POSTGRES_URL={{postgres_url}} cargo bench -p cohort --bench load -- {{users}} {{total}} {{secs}} {{clients}}

# Sentiment: accuracy, macro-recall and per-label recall of Cohort's scorer beside Python VADER
# on every labelled set: the chat set the rules were written against, its holdout, the tricky
# phrasings, and the TweetEval validation split (measured only, never fitted to).
sentiment-eval:
    crates/cohort-core/tests/data/sentiment_eval.sh

# Sentiment scoring speed on short chat texts (messages per second, one core).
sentiment-bench:
    cargo run --release -p cohort-core --example sentiment_bench
