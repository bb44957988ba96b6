#!/usr/bin/env python3
"""gen-products.py — synthetic product listings for the variant words at
scale (bench/bench-variants-scale.sh).

Writes two CSV files (id, title, brand, model, price): shop.csv, a
catalogue that lists each product once (the `unique` source), and feed.csv,
a reseller's listings of a fifth of those products (words dropped or
moved, some in capitals) plus products of its own. Titles are what a
catalogue holds: a brand, two to nine words of a product line drawn from a
vocabulary of 40,000 made-up words with a Zipf-like distribution (a few
very common words, a long tail), a kind of product, a model code in some;
4 to 14 words in all. A quarter of the products come in two to four
editions whose titles differ by one or two words (an edition, a platform,
a colour), each with its own model: the near twins the variant words are
learnt from.

    bench/gen-products.py ROWS DIR            shop.csv (ROWS rows), feed.csv
    bench/gen-products.py ROWS DIR --extra K  also feed-extra.csv: feed.csv
        and K more listings, for the incremental measure

A fixed seed makes every run write the same bytes.
"""

import csv
import itertools
import os
import random
import sys

SEED = 771177
SYLLABLES = ("ka lo mi ne su ta ri vo ze pa do gu fe ha ji bo ly ce nu wa "
             "tor vin mar sel pol dex tra lum cor fin gal").split()
KINDS = ("camera printer monitor keyboard router speaker headset drive charger tablet "
         "lamp kettle blender toaster drill mixer scanner projector cable adapter mouse "
         "backpack watch phone case stand dock hub fan heater").split()
EDITIONS = ("standard deluxe premium professional home business mac windows "
            "black white silver blue red pink green lite plus ultra").split()
VOCABULARY = 40000
BRANDS = 6000


def made_up_words(rng, n, lo, hi):
    seen = set()
    while len(seen) < n:
        seen.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(lo, hi))))
    return sorted(seen)


def zipf_cum(n, s=1.07):
    return list(itertools.accumulate(1.0 / (r ** s) for r in range(1, n + 1)))


class Catalogue:
    def __init__(self, rng):
        self.rng = rng
        self.words = made_up_words(rng, VOCABULARY, 2, 4)
        rng.shuffle(self.words)
        self.cum = zipf_cum(len(self.words))
        self.brands = made_up_words(rng, BRANDS, 2, 3)
        self.brand_cum = zipf_cum(len(self.brands))

    def line(self, n):
        """n distinct words of a product line, common ones more often."""
        out = []
        while len(out) < n:
            for w in self.rng.choices(self.words, cum_weights=self.cum, k=n - len(out)):
                if w not in out:
                    out.append(w)
        return out

    def product(self):
        """(brand, words of the title before any edition, model)."""
        rng = self.rng
        brand = rng.choices(self.brands, cum_weights=self.brand_cum)[0]
        words = [brand] + self.line(rng.randint(2, 9)) + [rng.choice(KINDS)]
        if rng.random() < 0.3:
            words.append("%s%d" % (rng.choice("xzrtk"), rng.randint(100, 9999)))
        model = "%s-%06d" % (brand[:3].upper(), rng.randrange(10 ** 6))
        return brand, words, model


def editions(rng, words):
    """Two to four titles of one product that differ by a word or two."""
    kinds = rng.sample(EDITIONS, rng.randint(2, 4))
    extra = rng.choice(EDITIONS) if rng.random() < 0.3 else None
    out = []
    for k, e in enumerate(kinds):
        t = words + [e]
        if extra is not None and extra not in kinds and k % 2 == 1:
            t.append(extra)
        out.append(t)
    return out


def listing(rng, title):
    """A reseller's title for a product: a word dropped or moved, some in capitals."""
    t = list(title)
    if len(t) > 4 and rng.random() < 0.5:
        del t[rng.randrange(1, len(t))]
    if rng.random() < 0.5:
        t.append(t.pop(0))
    s = " ".join(t)
    return s.upper() if rng.random() < 0.2 else s.capitalize()


def main():
    rows, folder = int(sys.argv[1]), sys.argv[2]
    extra = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--extra" else 0
    rng = random.Random(SEED)
    cat = Catalogue(rng)
    header = ["id", "title", "brand", "model", "price"]
    feed_rows = []
    with open(os.path.join(folder, "shop.csv"), "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        n = 0
        while n < rows:
            brand, words, model = cat.product()
            titles = editions(rng, words) if rng.random() < 0.25 else [words]
            price = rng.randint(5, 2000) + 0.99
            for k, t in enumerate(titles[:rows - n]):
                n += 1
                m = "%s%s" % (model, "" if len(titles) == 1 else "-%c" % (ord("a") + k))
                out.writerow(["s%d" % n, " ".join(t), brand, m, "%.2f" % (price + 10 * k)])
                if rng.random() < 0.2:
                    feed_rows.append(["f%d" % n, listing(rng, t), brand.upper(), m,
                                      "%.2f" % (price * rng.uniform(0.9, 1.1))])
    own = len(feed_rows) // 4
    for k in range(own + extra):
        brand, words, model = cat.product()
        feed_rows.append(["g%d" % k, listing(rng, words), brand, model,
                          "%.2f" % (rng.randint(5, 2000) + 0.49)])
    for name, body in (("feed.csv", feed_rows[:len(feed_rows) - extra]),
                       ("feed-extra.csv", feed_rows if extra else None)):
        if body is None:
            continue
        with open(os.path.join(folder, name), "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(header)
            out.writerows(body)


if __name__ == "__main__":
    main()
