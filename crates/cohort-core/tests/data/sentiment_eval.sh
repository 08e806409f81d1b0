#!/usr/bin/env bash
# Compares Cohort's sentiment scorer with Python VADER on a labelled chat set (by default
# the committed sentiment_chat.tsv beside this script): accuracy and macro-recall of each.
# Usage: sentiment_eval.sh [path/to/set.tsv] [--misses]
# Needs Python 3 with vaderSentiment; installs it (pip --user) when it is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
set_path="$here/sentiment_chat.tsv"
flags=()
for argument in "$@"; do
    case "$argument" in
        --*) flags+=("$argument") ;;
        *) set_path="$(cd "$(dirname "$argument")" && pwd)/$(basename "$argument")" ;;
    esac
done

python="${PYTHON:-python3}"
if ! "$python" -c 'import vaderSentiment' 2>/dev/null; then
    echo "installing vaderSentiment for the comparison" >&2
    "$python" -m pip install --quiet vaderSentiment 2>/dev/null \
        || "$python" -m pip install --quiet --user vaderSentiment
fi

echo "labelled set: $set_path ($(($(grep -c . "$set_path") - 1)) messages)"
(cd "$repo" && cargo run --quiet -p cohort-core --example sentiment_eval -- \
    "$set_path" ${flags[@]+"${flags[@]}"})
"$python" "$here/vader_eval.py" "$set_path" ${flags[@]+"${flags[@]}"}
