#!/usr/bin/env bash
# Compares Cohort's sentiment scorer with Python VADER, side by side, on labelled sets:
# accuracy, macro-recall and each label's recall.
# Usage: sentiment_eval.sh [set.tsv | tweeteval-folder]... [--misses]
# With no set it runs every one:
# - sentiment_chat.tsv: the chat set the rules were written against (development);
# - sentiment_chat_holdout.tsv: written after those rules as a holdout, it has since been
#   used for development too (its misses drove the holdout changes of issue 11), so it no
#   longer measures how the scorer generalises;
# - sentiment_chat_tricky.tsv: the tricky phrasings written before the issue 11 changes
#   (also used for development since);
# - sentiment_chat_holdout2.tsv: written blind (without running the scorer on it) before
#   the first holdout changes; its misses drove the holdout2 changes, so it is a
#   development set now;
# - sentiment_chat_holdout3.tsv: written blind by someone who had not seen the scorer or the
#   other sets, before the holdout2 changes; its misses drove the holdout3 changes, so it is
#   a development set now;
# - sentiment_chat_holdout4.tsv: written blind the same way (by another writer, for more
#   kinds of business) before the holdout3 changes; its misses drove the holdout4 changes,
#   so it is a development set now;
# - sentiment_chat_holdout5.tsv: written blind the same way (by yet another writer, more
#   kinds of business and more languages) before the holdout4 changes; its misses drove
#   the holdout5 changes, so it is a development set now;
# - sentiment_chat_holdout6.tsv: written blind the same way (a customer's whole journey,
#   more businesses) before the holdout5 changes; its misses drive the holdout6 changes,
#   so it is a development set from then on;
# - sentiment_chat_holdout7.tsv: written blind the same way (telcos, banks, airlines,
#   clinics, utilities, government services; more languages) before the holdout6
#   changes; its misses drive the holdout7 changes, so it is a development set from then on;
# - sentiment_chat_holdout8.tsv: written blind the same way (small businesses and
#   creators; slang, emoticons, German, French, Italian) before the holdout7 changes; its
#   misses drive the holdout8 changes, so it is a development set from then on;
# - sentiment_chat_holdout9.tsv: written blind the same way (replies to a bot's
#   notifications, surveys and reminders; ratings; more Englishes) before the holdout8
#   changes; its misses drive the holdout9 changes, so it is a development set from then on;
# - sentiment_chat_holdout10.tsv: written blind the same way (marketplaces and
#   subscriptions: buyers, sellers, subscribers, instalments, loyalty points, warranties;
#   understatement) before the holdout9 changes; its misses drive the holdout10 changes,
#   so it is a development set from then on;
# - sentiment_chat_holdout11.tsv: written blind the same way (insurance, health,
#   housing, schools, funerals, help desks; sad news told calmly) before the holdout10
#   changes; its misses drive the holdout11 changes, so it is a development set from then on;
# - sentiment_chat_holdout12.tsv: the held-out chat set, written blind the same way
#   (hospitality and leisure; many kinds of writer) before the holdout11 changes; never
#   tune the scorer on its misses;
# - sentiment_tweets_dev.tsv: 300 tweets in the style of SemEval-2017 Task 4 (news and
#   titles neutral even with sentiment words, anticipation positive; 43% neutral, 41%
#   positive, 16% negative), written blind (original texts, without the scorer, TweetEval
#   or any other set) before the issue 11 tweet changes; its misses drive those changes,
#   so it is a development set;
# - sentiment_tweets_blind.tsv: 300 more written the same way at the same time; never tune
#   the scorer on its misses (it says whether the tweet changes carry over);
# - sentiment_tweets_dev2.tsv: 300 more in the same style and proportions, written blind
#   by a fresh helper (without the scorer, the other sets or TweetEval) before the second
#   round of tweet changes; its misses drive that round, so it is a development set;
# - the TweetEval sentiment validation split (`val_text.txt` + `val_labels.txt`, from
#   $COHORT_TWEETEVAL_DIR, by default ../shared/data/tweeteval-sentiment beside the repo;
#   skipped with a note when it is not there). TweetEval is for measuring only: nothing in
#   the scorer may be fitted to it.
# Needs Python 3 with vaderSentiment; installs it (pip --user) when it is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
tweeteval="${COHORT_TWEETEVAL_DIR:-$repo/../shared/data/tweeteval-sentiment}"
sets=()
flags=()
for argument in "$@"; do
    case "$argument" in
        --*) flags+=("$argument") ;;
        *) sets+=("$(cd "$(dirname "$argument")" && pwd)/$(basename "$argument")") ;;
    esac
done
if [ ${#sets[@]} -eq 0 ]; then
    sets=("$here/sentiment_chat.tsv" "$here/sentiment_chat_holdout.tsv" "$here/sentiment_chat_tricky.tsv"
        "$here/sentiment_chat_holdout2.tsv" "$here/sentiment_chat_holdout3.tsv"
        "$here/sentiment_chat_holdout4.tsv" "$here/sentiment_chat_holdout5.tsv"
        "$here/sentiment_chat_holdout6.tsv" "$here/sentiment_chat_holdout7.tsv"
        "$here/sentiment_chat_holdout8.tsv" "$here/sentiment_chat_holdout9.tsv"
        "$here/sentiment_chat_holdout10.tsv" "$here/sentiment_chat_holdout11.tsv"
        "$here/sentiment_chat_holdout12.tsv" "$here/sentiment_tweets_dev.tsv"
        "$here/sentiment_tweets_blind.tsv" "$here/sentiment_tweets_dev2.tsv")
    if [ -f "$tweeteval/val_text.txt" ]; then
        sets+=("$tweeteval")
    else
        echo "note: no TweetEval validation split at $tweeteval (set COHORT_TWEETEVAL_DIR)" >&2
    fi
fi

python="${PYTHON:-python3}"
if ! "$python" -c 'import vaderSentiment' 2>/dev/null; then
    echo "installing vaderSentiment for the comparison" >&2
    "$python" -m pip install --quiet vaderSentiment 2>/dev/null \
        || "$python" -m pip install --quiet --user vaderSentiment
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
(cd "$repo" && cargo build --quiet --release -p cohort-core --example sentiment_eval)
eval_binary="${CARGO_TARGET_DIR:-$repo/target}/release/examples/sentiment_eval"

for set_path in "${sets[@]}"; do
    if [ -d "$set_path" ]; then
        # TweetEval: one text per line, labels 0 negative, 1 neutral, 2 positive.
        name="TweetEval sentiment validation ($set_path)"
        tsv="$scratch/tweeteval.tsv"
        paste -d '\t' "$set_path/val_labels.txt" "$set_path/val_text.txt" | awk -F '\t' '
            BEGIN { print "label\ttext"; name[0] = "negative"; name[1] = "neutral"; name[2] = "positive" }
            { text = $0; sub(/^[^\t]*\t/, "", text); gsub(/\t/, " ", text); print name[$1] "\t" text }' > "$tsv"
    else
        name="$set_path"
        tsv="$set_path"
    fi
    echo
    echo "== $name: $(($(grep -c . "$tsv") - 1)) messages"
    "$eval_binary" "$tsv" ${flags[@]+"${flags[@]}"}
    "$python" "$here/vader_eval.py" "$tsv" ${flags[@]+"${flags[@]}"}
done
