#!/usr/bin/env python3
"""gen-articles.py — N synthetic article rows as CSV, for the ingest benchmark.

The columns are those of the sample articles.csv (id, title, description,
content, author, published_at, url, category) and the rows look like them:
a sentence-long title, a teaser, one to three paragraphs with commas,
quotes and newlines inside quoted fields, some accented names, ISO 8601
dates. Rows are streamed to standard output (memory does not grow with N);
a fixed seed makes every run print the same bytes.

    bench/gen-articles.py ROWS > articles.csv
"""

import csv
import random
import sys
from datetime import datetime, timedelta, timezone

SEED = 1000003

WORDS = ("system data team cloud night market city river engine garden music paper "
         "signal window bridge theory season island harbour ledger circuit studio archive "
         "forest update release policy budget library festival kitchen museum orbit").split()
ADJECTIVES = ("quiet hidden new old fast slow strange brave open small long bright "
              "broken careful distant early honest local modern patient").split()
CATEGORIES = ["technology", "culture", "science", "business", "travel", "food"]
AUTHORS = ["María García", "Jonas Weiß", "Zoë Clarke", "François Lefèvre", "Søren Madsen",
           "Priya Raman", "Daniel Okafor", "Emily Zhang", "Kenji Watanabe", "Inês Carvalho",
           "Olivia Bennett", "Noor Haddad", "Marek Dvořák", "Grace Liu", "Ethan Brooks", ""]
SENTENCES = [
    "The first version was an experiment that nobody expected to survive the quarter.",
    "Most of the gains came from measuring before changing anything, which is rarely done.",
    "\"We spent two weeks arguing and two days doing the work,\" says the project lead.",
    "Prices have crept up, and some longtime fans worry about what that means.",
    "The study followed its subjects for several years, which is unusually long.",
    "Revenue grew last year, but more slowly than investors had hoped.",
    "Start early: the old town is at its best before the tour groups arrive.",
    "A hot oven and a little patience make most of the difference.",
    "Not everyone is convinced; other groups have failed to reproduce the result.",
    "Documentation turned out to matter more than any clever trick in the code.",
]


def main():
    rows = int(sys.argv[1])
    rng = random.Random(SEED)
    start = datetime(2015, 1, 1, tzinfo=timezone.utc)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "title", "description", "content", "author", "published_at", "url",
                  "category"])
    for n in range(1, rows + 1):
        adj, w1, w2 = rng.choice(ADJECTIVES), rng.choice(WORDS), rng.choice(WORDS)
        title = "The %s %s of the %s, part %d" % (adj.capitalize(), w1, w2, n % 97 + 1)
        category = CATEGORIES[n % len(CATEGORIES)]
        paragraphs = ["%s %s" % (rng.choice(SENTENCES), rng.choice(SENTENCES))
                      for _ in range(1 + n % 3)]
        published = start + timedelta(seconds=rng.randrange(10 * 365 * 86400))
        out.writerow([
            str(n), title, "A %s look at the %s, with notes on the %s." % (adj, w1, w2),
            "\n\n".join(paragraphs), AUTHORS[n % len(AUTHORS)],
            published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "https://www.example.com/%s/%d/%s-%s-%d" % (category, published.year, w1, w2, n),
            category,
        ])


if __name__ == "__main__":
    main()
