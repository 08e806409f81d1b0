#!/usr/bin/env bash
# Builds the SPA into frontend/dist: the release WASM through wasm-bindgen (web target),
# shrunk by binaryen's wasm-opt when `npm ci` has installed it here, plus index.html and
# style.css. Runs from any directory; honours CARGO_TARGET_DIR.
set -euo pipefail

frontend_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$frontend_dir")"
target_dir="${CARGO_TARGET_DIR:-$repo_dir/target}"
dist_dir="$frontend_dir/dist"

# Size over speed for the browser: these apply to this build only (it builds nothing for
# the server), unless the caller already set them.
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${CARGO_PROFILE_RELEASE_OPT_LEVEL:-z}"
export CARGO_PROFILE_RELEASE_LTO="${CARGO_PROFILE_RELEASE_LTO:-true}"
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS="${CARGO_PROFILE_RELEASE_CODEGEN_UNITS:-1}"
# Leptos erases each component's view type, so views are not monomorphised per component:
# a third smaller bundle (and a faster build) for the same app. Only for the wasm target.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-} --cfg erase_components"

cd "$repo_dir"
cargo build -p cohort-frontend --target wasm32-unknown-unknown --release

rm -rf "$dist_dir"
mkdir -p "$dist_dir"
# A binary keeps the package's hyphen in its file name; the page imports cohort_frontend.js.
wasm-bindgen --target web --no-typescript --out-dir "$dist_dir" --out-name cohort_frontend \
  "$target_dir/wasm32-unknown-unknown/release/cohort-frontend.wasm"

# Only npm's binaryen: Debian's wasm-opt writes modules that fail to start in Chromium.
# The features are those rustc enables by default for wasm32-unknown-unknown; binaryen 132
# also reads them from the module's target_features section, so naming them is a guard.
wasm_opt="$frontend_dir/node_modules/.bin/wasm-opt"
if [ -x "$wasm_opt" ]; then
  wasm="$dist_dir/cohort_frontend_bg.wasm"
  "$wasm_opt" -Oz \
    --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals \
    --enable-reference-types --enable-multivalue \
    "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
else
  echo "build.sh: no $wasm_opt (run npm ci in frontend/); skipping wasm-opt" >&2
fi

cp "$frontend_dir/index.html" "$frontend_dir/boot.js" "$frontend_dir/style.css" "$dist_dir/"
echo "build.sh: built $dist_dir ($(du -sh "$dist_dir" | cut -f1))"
