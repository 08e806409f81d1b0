#!/usr/bin/env python3
"""Scores the labelled chat set with Python VADER, for comparison with Cohort's scorer.

Usage: vader_eval.py [path/to/sentiment_chat.tsv] [--misses]

Reads `label<TAB>text` lines (after a header), labels each text with VADER's compound
score and the same thresholds Cohort uses (>= 0.05 positive, <= -0.05 negative, else
neutral), and prints accuracy and macro-recall. Needs `pip install vaderSentiment`.
"""

import sys
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

LABELS = ("positive", "neutral", "negative")


def label_for(compound: float) -> str:
    if compound >= 0.05:
        return "positive"
    if compound <= -0.05:
        return "negative"
    return "neutral"


def main() -> int:
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    show_misses = "--misses" in sys.argv[1:]
    path = Path(args[0]) if args else Path(__file__).with_name("sentiment_chat.tsv")
    rows = []
    with path.open(encoding="utf-8") as file:
        lines = file.read().splitlines()
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        label, sep, text = line.partition("\t")
        if not sep or label not in LABELS:
            print(f"{path}:{number}: expected `label<TAB>text`", file=sys.stderr)
            return 1
        rows.append((label, text))

    analyzer = SentimentIntensityAnalyzer()
    hits = {label: 0 for label in LABELS}
    totals = {label: 0 for label in LABELS}
    for expected, text in rows:
        compound = analyzer.polarity_scores(text)["compound"]
        got = label_for(compound)
        totals[expected] += 1
        if got == expected:
            hits[expected] += 1
        elif show_misses:
            print(f"  miss: expected {expected:8} got {got:8} ({compound:+.4f})  {text}")

    correct = sum(hits.values())
    recalls = [hits[label] / totals[label] for label in LABELS if totals[label]]
    per_label = ", ".join(
        f"{label} {hits[label] / totals[label] if totals[label] else 0:.3f} "
        f"({hits[label]}/{totals[label]})"
        for label in LABELS
    )
    print(f"VADER   accuracy {correct / len(rows):.3f}  macro-recall "
          f"{sum(recalls) / len(recalls):.3f}  recall: {per_label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
