#!/usr/bin/env python3
"""bench/er_score.py — scores kasparro's entities against a labelled set.

    er_score.py TRUTH DELIM FIRST SECOND RECORDS QUEUE [BLOCKED [LISTED]]

TRUTH is the set's true pairs (a header line, then "id of FIRST DELIM id of
SECOND" per line), FIRST and SECOND the two source names, RECORDS and QUEUE
what `kasparro export records` and `kasparro export queue` wrote (CSV), and
BLOCKED what `kasparro dedup --blocked-pairs` wrote ("-": none), LISTED
what `kasparro queue --json --limit all` wrote (the queue in the order an
operator reviews it). Pairs are counted
across the two sources; when FIRST and SECOND are one source (a set of
duplicates inside one file), between its records, in either order.
Prints "name value" lines: records, true_pairs, blocking_recall (true
pairs blocking let through), best_f1 (the best F1 of "pairs above a
threshold" over every threshold on the pairs' probabilities:
how well the model ranks, whatever the threshold), auto_precision /
auto_recall / auto_f1 (the automatic entities), review_f1 (after an
operator accepts the true pairs in the queue and rejects the others,
which splits those of them the pass merged and listed for confirmation),
review10_f1 (the same when the operator reviews only as many pairs as a
tenth of the records, the first ones the queue lists: the review budget
of the goals; all of it when the queue is shorter),
auto_false (false automatic pairs) and auto_false_unlisted (those of them
that join two records no true pair names: where the truth is silent rather
than contradicted, often a pair it left out — see docs/matching.md), queue,
queue_share (of the records).
"""
import csv
import itertools
import json
import sys


def pair_of(first, second, x, y):
    """The pair two records (source, id) make as the truth lists it, or None
    when it is not a pair the truth could list."""
    if first == second:
        if x[0] == y[0] == first and x[1] != y[1]:
            return tuple(sorted((x[1], y[1])))
        return None
    ends = {x[0]: x[1], y[0]: y[1]}
    return (ends[first], ends[second]) if first in ends and second in ends else None


def read_truth(truth_file, delim, first, second):
    """The true pairs, as pair_of makes them."""
    with open(truth_file, encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()[1:]
    truth = set()
    for line in lines:
        parts = [p.strip() for p in line.split(delim)]
        if len(parts) >= 2 and parts[0] and parts[1]:
            truth.add(pair_of(first, second, (first, parts[0]), (second, parts[1])))
    truth.discard(None)
    return truth


def best_f1(prob, truth):
    """The best F1 of the pairs at or above some probability."""
    best, hit, found = 0.0, 0, 0
    ranked = sorted(prob.items(), key=lambda kv: -kv[1])
    for i, (pair, p) in enumerate(ranked):
        found += 1
        hit += pair in truth
        if i + 1 == len(ranked) or ranked[i + 1][1] != p:
            best = max(best, 2 * hit / (found + len(truth)))
    return best


def main():
    truth_file, delim, first, second, records_file, queue_file = sys.argv[1:7]
    blocked_file = sys.argv[7] if len(sys.argv) > 7 and sys.argv[7] != "-" else None
    listed_file = sys.argv[8] if len(sys.argv) > 8 else None
    truth = read_truth(truth_file, delim, first, second)

    entity, record_of, members = {}, {}, {}
    with open(records_file, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            key = (r["source"], r["source_id"])
            entity[key] = r["entity"]
            record_of[r["record"]] = key
            members.setdefault(r["entity"], []).append(key)
    merged = set()
    for keys in members.values():
        for x, y in itertools.combinations(keys, 2):
            merged.add(pair_of(first, second, x, y))
    merged.discard(None)
    queued, queue_rows = set(), 0
    with open(queue_file, encoding="utf-8", newline="") as f:
        for q in csv.DictReader(f):
            queue_rows += 1
            pair = pair_of(first, second, (q["a_source"], q["a_source_id"]),
                           (q["b_source"], q["b_source_id"]))
            if pair:
                queued.add(pair)
    # true pairs whose records are both loaded
    truth = {t for t in truth if (first, t[0]) in entity and (second, t[1]) in entity}

    def f1(found):
        hit = len(found & truth)
        p = hit / len(found) if found else 0.0
        r = hit / len(truth) if truth else 0.0
        return p, r, (2 * hit / (len(found) + len(truth)) if found or truth else 0.0)

    p, r, f = f1(merged)
    listed = {(first, a) for a, _ in truth} | {(second, b) for _, b in truth}
    false = merged - truth
    unlisted = [x for x in false if (first, x[0]) not in listed and (second, x[1]) not in listed]
    # an operator approves the true pairs the queue lists and rejects the
    # others; a rejected pair the pass merged and listed for confirmation
    # is split (pair by pair: such entities are two records)
    _, _, review = f1((merged - (queued - truth)) | (queued & truth))
    review10 = None
    if listed_file:
        with open(listed_file, encoding="utf-8") as lf:
            listed = [pair_of(first, second, (c["a"]["source"], c["a"]["source_id"]),
                              (c["b"]["source"], c["b"]["source_id"])) for c in json.load(lf)]
        budget = -(-len(entity) // 10)
        seen = set(listed[:budget])
        _, _, review10 = f1((merged - (seen - truth)) | (seen & truth))
    print("records", len(entity))
    print("true_pairs", len(truth))
    if blocked_file:
        blocked = {}
        with open(blocked_file, encoding="utf-8") as bf:
            for line in bf:
                x, y, _, prob = line.split()[:4]
                a, b = record_of.get(x), record_of.get(y)
                pair = pair_of(first, second, a, b) if a and b else None
                if pair:
                    blocked[pair] = float(prob)
        print("blocking_recall", "%.4f" % (len(blocked.keys() & truth) / max(len(truth), 1)))
        print("best_f1", "%.4f" % best_f1(blocked, truth))
    print("auto_precision", "%.4f" % p)
    print("auto_recall", "%.4f" % r)
    print("auto_f1", "%.4f" % f)
    print("review_f1", "%.4f" % review)
    if review10 is not None:
        print("review10_f1", "%.4f" % review10)
    print("auto_false", len(false))
    print("auto_false_unlisted", len(unlisted))
    print("queue", queue_rows)
    print("queue_share", "%.4f" % (queue_rows / max(len(entity), 1)))


if __name__ == "__main__":
    main()
