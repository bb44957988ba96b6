#!/usr/bin/env python3
"""gen-people.py — synthetic person records with known duplicates, for the
1,000,000-record matching benchmark (bench/bench-match-scale.sh).

Writes two CSV files in the layout of Febrl's dataset4a/4b (the same
columns and ", " separators, so bench/febrl.sh configures and scores them
unchanged): dataset4a.csv holds originals `rec-N-org`; dataset4b.csv holds
a corrupted copy `rec-N-dup-0` of 60% of those people — one to three
Febrl-style edits each: a typo, a dropped value, swapped date digits — plus
people of its own (`rec-N-new`). The truth is in the ids: records whose
ids share N are the same person.

    bench/gen-people.py RECORDS DIR            dataset4a.csv, dataset4b.csv
    bench/gen-people.py RECORDS DIR --extra K  also dataset4b-extra.csv:
        dataset4b.csv plus K more rows (half duplicates of people b did not
        have yet, half new people), for the incremental measure

A fixed seed makes every run write the same bytes.
"""

import random
import sys

SEED = 424242
SYLLABLES = ("an be ca de el fa ga ha il jo ka li ma ne ol pa qui ra sa ta ul va "
             "wi xa yo za bri cor dan fen gil hal jen kir lor mar nor per ros sam "
             "tor win").split()
STREET_TYPES = ["street", "road", "avenue", "place", "circuit", "crescent", "close"]
STATES = ["nsw", "vic", "qld", "wa", "sa", "tas", "act", "nt"]
FIELDS = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb",
          "postcode", "state", "date_of_birth", "soc_sec_id"]


def words(rng, n, parts):
    seen = set()
    while len(seen) < n:
        seen.add("".join(rng.choice(SYLLABLES) for _ in range(rng.choice(parts))))
    return sorted(seen)


def person(rng, pools, n):
    given, surnames, streets, suburbs = pools
    return {
        "given_name": rng.choice(given),
        "surname": rng.choice(surnames),
        "street_number": str(rng.randrange(1, 400)),
        "address_1": "%s %s" % (rng.choice(streets), rng.choice(STREET_TYPES)),
        "address_2": rng.choice(["", "", "", "unit %d" % rng.randrange(1, 40)]),
        "suburb": rng.choice(suburbs),
        "postcode": str(rng.randrange(2000, 8000)),
        "state": rng.choice(STATES),
        "date_of_birth": "%04d%02d%02d" % (rng.randrange(1920, 2010), rng.randrange(1, 13),
                                           rng.randrange(1, 29)),
        "soc_sec_id": str(1000000 + (n * 7919) % 9000000),
    }


def typo(rng, s):
    if len(s) < 2:
        return s
    i = rng.randrange(len(s) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return s[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + s[i + 1:]
    if kind == 1:
        return s[:i] + s[i + 1:]
    if kind == 2:
        return s[:i] + rng.choice("aeiou") + s[i:]
    return s[:i] + s[i + 1] + s[i] + s[i + 2:]


def corrupt(rng, rec):
    dup = dict(rec)
    for _ in range(rng.randrange(1, 4)):
        field = rng.choice(["given_name", "surname", "address_1", "suburb", "date_of_birth",
                            "postcode", "street_number", "soc_sec_id"])
        roll = rng.random()
        if roll < 0.15 and field not in ("given_name", "surname"):
            dup[field] = ""
        elif field in ("date_of_birth", "postcode", "soc_sec_id"):
            dup[field] = typo(rng, dup[field]) if roll < 0.6 else dup[field][::-1][:len(dup[field])]
        else:
            dup[field] = typo(rng, dup[field])
    return dup


def line(rec_id, rec):
    return ", ".join([rec_id] + [rec[f] for f in FIELDS]) + "\n"


def main():
    total = int(sys.argv[1])
    out = sys.argv[2]
    extra = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--extra" else 0
    rng = random.Random(SEED)
    pools = (words(rng, 600, (2, 3)), words(rng, 6000, (2, 3, 4)), words(rng, 1500, (2, 3)),
             words(rng, 800, (2, 3)))
    originals = total * 10 // 16          # a: 62.5%; b: 37.5% (60% of a duplicated, rest new)
    dups = originals * 6 // 10
    new = total - originals - dups
    header = "rec_id, " + ", ".join(FIELDS) + "\n"
    people = []
    with open(f"{out}/dataset4a.csv", "w") as a:
        a.write(header)
        for n in range(originals):
            rec = person(rng, pools, n)
            people.append(rec)
            a.write(line(f"rec-{n}-org", rec))
    order = list(range(originals))
    rng.shuffle(order)
    b_rows = [line(f"rec-{n}-dup-0", corrupt(rng, people[n])) for n in order[:dups]]
    b_rows += [line(f"rec-{originals + k}-new", person(rng, pools, originals + k))
               for k in range(new)]
    rng.shuffle(b_rows)
    with open(f"{out}/dataset4b.csv", "w") as b:
        b.write(header)
        b.writelines(b_rows)
    if extra:
        more = [line(f"rec-{n}-dup-0", corrupt(rng, people[n]))
                for n in order[dups:dups + extra // 2]]
        base = originals + new
        more += [line(f"rec-{base + k}-new", person(rng, pools, base + k))
                 for k in range(extra - len(more))]
        with open(f"{out}/dataset4b-extra.csv", "w") as b:
            b.write(header)
            b.writelines(b_rows)
            b.writelines(more)


if __name__ == "__main__":
    main()
