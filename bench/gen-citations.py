#!/usr/bin/env python3
"""bench/gen-citations.py — a synthetic two-source citations set with its
truth, shaped like the public DBLP–ACM benchmark: paper records with title,
authors, venue and year, written by two catalogues that describe the same
papers differently.

It is a probe of failure modes, not a benchmark: every difference below is
put there on purpose, at rates chosen to look like the public set, so that
a matcher's behaviour on each can be seen. Scores on it say which of these
shapes a matcher mishandles; they say nothing of how it does on real
bibliographic data, and nothing should be tuned until it scores well here.

  source a (DBLP-like, ~2,600 records)
    authors  "First Last, First Last"; in about a third of the records every
             first name is cut to its initial ("J. Smith")
    venue    short: "SIGMOD Conference", "VLDB", "ACM Trans. Database Syst."
    title    as the paper spells it
  source b (ACM-like, ~2,300 records)
    authors  full names; one record in ten lists them in another order, one
             in ten joins the last with " and ", a few have none
    venue    long: "International Conference on Management of Data", ...
    title    case changed in some (all lower, or Title Case), punctuation
             changed (":" for " - ", a trailing full stop), a word dropped
             or added in about 6%, a typo in about 3%
    year     the same, one off in about 3%
  both
    most papers are in both, once; about 390 only in a, about 70 only in b
    recurring titles that identify nothing ("Editorial", "Foreword", "Panel
             discussion", 28 "Reminiscences on Influential Papers", ...)
             for different papers by different people in different years
    a few papers with the same title in a conference and, a year or two
             later, in a journal: two papers, not one
    titles are drawn from one field's vocabulary, so different papers
             share many words ("query", "database", "efficient")

Usage: gen-citations.py OUTDIR [SEED]  writes OUTDIR/a.csv, OUTDIR/b.csv
(pipe-delimited: id|title|authors|venue|year) and OUTDIR/truth.csv (a_id|b_id).
"""
import os
import random
import sys

FIRST = """James John Robert Michael William David Richard Joseph Thomas Charles
Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Wei
Jian Hui Li Ming Xin Yan Jun Hiroshi Takeshi Yuki Rakesh Divesh Surajit
Jennifer Hector Jeffrey Michael Gerhard Rudolf Serge Victor Alon Dan Moshe
Philip Christos Raghu Joseph Hans Peter Klaus Stefano Paolo Carlo Marco Anna
Maria Laura Elena Ahmed Omar Ali Sang Jin Kyu Chen Ravi Sunita Anand Krishna
Beng Kian Tova Georg Renee Laks Nick Ihab Samuel Daniela Magdalena""".split()
LAST = """Smith Johnson Brown Garcia Miller Davis Wilson Anderson Taylor Thomas
Moore Martin Lee Thompson White Harris Clark Lewis Walker Hall Allen Young
Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Tanaka Suzuki
Watanabe Agrawal Srivastava Chaudhuri Widom Garcia-Molina Naughton Ullman
Weikum Bayer Abiteboul Vianu Halevy Suciu Vardi Bernstein Faloutsos
Ramakrishnan Hellerstein Schek Kossmann Ceri Atzeni Zaniolo Ioannidis
Sellis Jagadish Gehrke Koudas Ooi Tan Milo Gottlob Miller Lakshmanan
Ilyas Madden Florescu Balazinska Kemper Neumann Stonebraker DeWitt Gray
Carey Franklin Mohan Lohman Haas Hong Kim Park Choi Kumar Sarawagi Rastogi
Shim Korth Silberschatz Papadias Tao Mamoulis Hristidis""".split()

# venue as source a writes it, as source b does, and its kind
VENUES = [
    ("SIGMOD Conference", "International Conference on Management of Data", "conf"),
    ("VLDB", "Very Large Data Bases", "conf"),
    ("SIGMOD Record", "ACM SIGMOD Record", "journal"),
    ("ACM Trans. Database Syst.", "ACM Transactions on Database Systems (TODS)", "journal"),
    ("VLDB J.", "The VLDB Journal — The International Journal on Very Large Data Bases",
     "journal"),
]

ADJ = """Efficient Scalable Adaptive Incremental Parallel Distributed Approximate
Optimal Dynamic Robust Declarative Semantic Temporal Spatial Probabilistic
Continuous Online Fast Practical Generalized""".split()
NOUN = """Query Queries Index Indexing Join Joins Transaction Transactions View
Views Schema Data Database Databases Warehouse Cube Stream Streams XML Tree
Trees Graph Cache Buffer Storage Recovery Replication Constraint Constraints
Optimization Processing Evaluation Integration Mining Clustering Sampling
Histogram Histograms Aggregation Workflow Metadata Object Objects Relational
Model Models Rule Rules Update Updates Cost Selectivity Partitioning Locking
Concurrency Lineage Provenance Keyword Search Ranking Similarity""".split()
PATTERNS = [
    "{A} {N} {N} in {N} Systems",
    "{A} {N} for {A} {N} {N}",
    "On the {N} of {N} {N}",
    "{N} {N}: {A} Methods and Experiments",
    "{A} {N} {N} over {N} {N}",
    "Towards {A} {N} {N}",
    "{N}-Based {N} {N} for {N} Databases",
    "{A} and {A} {N} {N}",
    "A Framework for {A} {N} {N}",
    "{N} {N} Using {N} {N}",
    "The {N} {N} Problem in {A} {N}",
    "{A} {N} of {N} {N} with {N}",
]
# Titles that name no paper, and how many papers carry each
RECURRING = [("Reminiscences on Influential Papers", 28), ("Editorial", 14),
             ("Foreword", 9), ("Panel discussion", 7), ("Guest Editorial", 6),
             ("Letter from the Editor", 5), ("Report on the Workshop", 4),
             ("Introduction to the Special Issue", 5), ("In Memoriam", 3)]

N_BOTH, N_A_ONLY, N_B_ONLY = 2224, 392, 70
FILLER = ["the", "a", "new", "fast", "some", "large"]


def person(rng):
    return rng.choice(FIRST), rng.choice(LAST)


def new_title(rng):
    return rng.choice(PATTERNS).format_map(_Draw(rng))


class _Draw(dict):
    """Draws a fresh word for every {A} or {N} in a pattern, none twice."""

    def __init__(self, rng):
        super().__init__()
        self.rng, self.used = rng, set()

    def __missing__(self, key):
        w = self.rng.choice(ADJ if key == "A" else NOUN)
        while w in self.used:
            w = self.rng.choice(ADJ if key == "A" else NOUN)
        self.used.add(w)
        return w


def papers(rng):
    """Every paper, as the truth knows it."""
    out, seen = [], set()
    for title, n in RECURRING:
        for _ in range(n):
            out.append(paper(rng, title, special=True))
    while len(out) < N_BOTH + N_A_ONLY + N_B_ONLY - 20:
        title = new_title(rng)
        if title.lower() in seen:
            continue
        seen.add(title.lower())
        out.append(paper(rng, title))
    # a conference paper and its journal version a year or two later:
    # two papers of one title
    confs = [p for p in out if VENUES[p["venue"]][2] == "conf" and not p["special"]]
    for p in rng.sample(confs, 20):
        q = dict(p, venue=rng.choice([3, 4]), year=p["year"] + rng.choice([1, 2]))
        q["authors"] = p["authors"] + ([person(rng)] if rng.random() < 0.5 else [])
        out.append(q)
    rng.shuffle(out)
    return out


def paper(rng, title, special=False):
    n = rng.choice([1] if special and rng.random() < 0.5 else [1, 2, 2, 3, 3, 3, 4, 5])
    return {"title": title, "authors": [person(rng) for _ in range(n)],
            "venue": rng.randrange(len(VENUES)), "year": rng.randint(1994, 2003),
            "special": special}


def write_a(rng, p):
    initials = rng.random() < 0.35
    names = [(f[0] + "." if initials else f) + " " + l for f, l in p["authors"]]
    return [p["title"], ", ".join(names), VENUES[p["venue"]][0], str(p["year"])]


def write_b(rng, p):
    authors = list(p["authors"])
    if len(authors) > 1 and rng.random() < 0.1:
        rng.shuffle(authors)
    names = [f + " " + l for f, l in authors]
    if len(names) > 1 and rng.random() < 0.1:
        joined = ", ".join(names[:-1]) + " and " + names[-1]
    else:
        joined = ", ".join(names)
    if rng.random() < 0.02:
        joined = ""
    year = p["year"] + (rng.choice([-1, 1]) if rng.random() < 0.03 else 0)
    return [b_title(rng, p["title"]), joined, VENUES[p["venue"]][1], str(year)]


def b_title(rng, t):
    r = rng.random()
    if r < 0.15:
        t = t.lower()
    elif r < 0.25:
        t = " ".join(w[:1].upper() + w[1:] for w in t.split())
    if ": " in t and rng.random() < 0.5:
        t = t.replace(": ", " - ")
    if rng.random() < 0.05:
        t += "."
    words = t.split()
    r = rng.random()
    if r < 0.03 and len(words) > 3:
        del words[rng.randrange(1, len(words))]
    elif r < 0.06:
        words.insert(rng.randrange(len(words) + 1), rng.choice(FILLER))
    t = " ".join(words)
    if rng.random() < 0.03 and len(t) > 8:
        i = rng.randrange(1, len(t) - 1)
        t = t[:i] + t[i + 1] + t[i] + t[i + 2:]  # two letters swapped
    return t


def main():
    out = sys.argv[1]
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 2024)
    ps = papers(rng)
    b_ids = iter(rng.sample(range(100000, 1000000), len(ps)))
    a_rows, b_rows, truth = [], [], []
    for i, p in enumerate(ps):
        where = ("both" if i < N_BOTH else "a" if i < N_BOTH + N_A_ONLY else "b")
        if where in ("both", "a"):
            a_rows.append(["a%05d" % (len(a_rows) + 1)] + write_a(rng, p))
        if where in ("both", "b"):
            b_rows.append(["%06d" % next(b_ids)] + write_b(rng, p))
        if where == "both":
            truth.append((a_rows[-1][0], b_rows[-1][0]))
    rng.shuffle(a_rows)
    rng.shuffle(b_rows)
    for name, rows in (("a", a_rows), ("b", b_rows)):
        with open(os.path.join(out, name + ".csv"), "w", encoding="utf-8") as f:
            f.write("id|title|authors|venue|year\n")
            for r in rows:
                f.write("|".join(r) + "\n")
    with open(os.path.join(out, "truth.csv"), "w", encoding="utf-8") as f:
        f.write("a|b\n")
        for a, b in truth:
            f.write(a + "|" + b + "\n")


if __name__ == "__main__":
    main()
