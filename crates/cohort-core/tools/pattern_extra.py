#!/usr/bin/env python3
"""Writes `src/sentiment/pattern_extra.txt`: the English adjectives of Pattern's sentiment
lexicon (Tom De Smedt & Walter Daelemans, "Pattern for Python", JMLR 13, 2012; released
under the PDDL) that neither VADER's lexicon nor AFINN-165 rates.

Pattern's `en-sentiment.xml` ships inside the MIT-licensed TextBlob wheel on PyPI
(`pip download --no-deps textblob==0.20.1`, file `textblob/en/en-sentiment.xml`).

Usage: pattern_extra.py path/to/en-sentiment.xml > src/sentiment/pattern_extra.txt

A word is kept when it is a plain lower-case word, every one of its senses has the same
sign, its mean polarity is at least 0.3 in size and its mean subjectivity at least 0.6
(an opinion, not a description), and it is not in STOP: words whose everyday use names a
kind, an amount, a time or a state ("cheap", "late", "cold", "confirmed", "own") and whose
polarity comes from a rarer sense. The polarity written is the mean over its senses, on
Pattern's scale (-1 to +1); the scorer scales it to VADER's.
"""

import collections
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "src" / "sentiment"

STOP = set("""
able own late latest light secret static cheap cold base rank confirmed elect experienced
catching behind thin filled detailed approximate calculable collectible decreased dramatic
extinct first-string full-fledged lifelike ungraded unsalted uncut sexual nameless guarded
rare fly chicken naturalistic ecological economical elementary artesian cast-iron autonomous
apportioned affirmative acquainted advertent unblinking untraceable unilateral precise
relevant pivotal impassive placid chilly muggy frigid algid dusty
""".split())


def rated(path):
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        word, _, rest = line.partition("\t")
        if rest:
            words[word] = rest
    return words


def main():
    source = Path(sys.argv[1]).read_text(encoding="utf-8")
    senses = collections.defaultdict(list)
    for match in re.finditer(r"<word ([^>]*)/>", source):
        fields = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
        senses[fields["form"].lower()].append(
            (float(fields["polarity"]), float(fields["subjectivity"]))
        )
    known = rated(HERE / "vader_lexicon.txt").keys() | rated(HERE / "afinn_extra.txt").keys()
    print(
        "# Pattern's English adjective polarities (De Smedt & Daelemans 2012; PDDL, see"
        " PATTERN_LICENSE.txt) for words VADER and AFINN-165 lack"
    )
    for word, rows in sorted(senses.items()):
        if word in known or word in STOP or not re.fullmatch(r"[a-z][a-z'-]*", word):
            continue
        polarity = sum(row[0] for row in rows) / len(rows)
        subjectivity = sum(row[1] for row in rows) / len(rows)
        one_sign = all(row[0] > 0 for row in rows) or all(row[0] < 0 for row in rows)
        if abs(polarity) >= 0.3 and subjectivity >= 0.6 and one_sign:
            print(f"{word}\t{polarity:.2f}")


if __name__ == "__main__":
    main()
