#!/usr/bin/env python3
"""gen-sample.py — writes the shipped sample sources (make sample).

Kasparro ships three sample sources that share.../kasparro.conf reads: a
paged JSON API served from files (api/articles-N.json), a CSV export
(articles.csv) and a partner's quirky CSV (partner.csv: BOM, latin-1,
semicolons, day-first dates, CRLF, quoted newlines). They describe one set
of real-world articles; about 40 % of them appear in two or three sources
with the small differences real exports have (case, punctuation, a typo, a
missing author, a shifted time, tracking query strings), so that entity
unification has real work, and a few copies and near misses differ enough
to be left for a person to review. A few records are malformed on purpose,
each with a reason. truth.csv says, for every record, which article it is
and what kasparro should do with it; tests compare against it.
partner-cut.csv is the partner's next export, cut short: read in place of
partner.csv it would delete most of the partner's records, which the
mass-delete guard holds (make run does this).

Standard library only, one fixed seed, no dependence on hash order or the
clock: every run writes the same bytes.

    tools/gen-sample.py [OUTDIR]     default share/kasparro/sample
"""

import csv
import io
import json
import os
import random
import re
import sys
import unicodedata
from datetime import datetime, timedelta, timezone

SEED = 20261128
ARTICLES = 190
PER_PAGE = 25
# How many articles each combination of sources carries (api, csv, partner).
# 114 singles + 62 pairs + 14 triples = 190 articles, 40 % in two or more.
SHARES = [
    (("api", "csv", "partner"), 14),
    (("api", "csv"), 34),
    (("api", "partner"), 16),
    (("csv", "partner"), 12),
    (("api",), 56),
    (("csv",), 40),
    (("partner",), 18),
]
# partner-cut.csv stops at this ref: about a third of the partner's records
CUT_AT = 400
SOURCE_NAMES = {"api": "articles-api", "csv": "articles-csv", "partner": "partner-feed"}

# ---------------------------------------------------------------- vocabulary

SLOTS = {
    "lang": ["Rust", "Go", "Python", "TypeScript", "Kotlin", "Zig", "Elixir", "Haskell",
             "Swift", "Julia", "OCaml", "C++", "Clojure", "Ruby", "Lua", "Scala"],
    "tech": ["Kubernetes", "PostgreSQL", "WebAssembly", "GraphQL", "SQLite", "Kafka",
             "Terraform", "Redis", "htmx", "Nix", "eBPF", "gRPC", "DuckDB", "Wayland",
             "systemd", "OpenTelemetry"],
    "system": ["Search Index", "Billing System", "Build Pipeline", "Message Queue",
               "Monolith", "CI Runners", "Data Warehouse", "Payments API", "Mobile Backend",
               "Recommendation Engine", "Feature Flags", "Log Pipeline"],
    "problem": ["Memory Leaks", "Race Conditions", "Slow Queries", "Flaky Tests", "Deadlocks",
                "DNS Failures", "Clock Skew", "Cache Stampedes", "Timeouts",
                "Heap Fragmentation"],
    "company": ["Northwind", "Helio Labs", "Brightline", "Quillstone", "Oakbridge",
                "Varnsberg", "Tidewater", "Kestrel Systems", "Amberfield", "Lumenhaus",
                "Corvid Health", "Pellucid"],
    "service": ["a Payments Network", "the Airline Check-in System", "a Popular Chat App",
                "the City's Transit App", "a Major CDN", "the Tax Portal", "a Game Launch",
                "the National Weather Feed"],
    "city": ["Lisbon", "Porto", "Berlin", "Kraków", "Zürich", "Málaga", "Reykjavík",
             "Montréal", "Düsseldorf", "Bogotá", "São Paulo", "Kyoto", "Marseille", "Tallinn",
             "Glasgow", "Valparaíso", "Göteborg", "Ljubljana"],
    "craft": ["Vinyl Records", "Film Photography", "Letterpress Printing", "Radio Drama",
              "Board Games", "Zines", "Mechanical Watches", "Hand-bound Books", "Cassette Tapes",
              "Analogue Synthesizers", "Pinhole Cameras", "Tapestry Weaving"],
    "venue": ["Jazz", "Comedy", "Poetry", "Street Food", "Independent Cinema", "Choral",
              "Ceramics", "Skateboarding"],
    "work": ["The Glass Orchard", "Northern Lights, Southern Sea", "A Year Without Clocks",
             "The Cartographer's Daughter", "Salt and Copper", "Nine Rooms", "The Long Field",
             "Paper Moons", "The Last Ferry", "Small Hours", "Bright Static", "The Weaver's Map"],
    "verdict": ["a Quiet Triumph", "Overlong but Brave", "Worth the Wait", "a Mixed Blessing",
                "Stranger Than Expected", "the Best Thing This Year", "a Modest Pleasure"],
    "season": ["Spring", "Summer", "Autumn", "Winter"],
    "animal": ["Octopuses", "Crows", "Honeybees", "Tardigrades", "Bats", "Dolphins", "Ants",
               "Naked Mole-rats", "Jellyfish", "Parrots"],
    "topic": ["Memory", "Navigation", "Ageing", "Cooperation", "Sleep", "Problem Solving",
              "Resilience", "Language"],
    "device": ["Battery", "Heat Pump", "Solar Cell", "Water Filter", "Hearing Aid",
               "Prosthetic Hand", "Air Sensor", "Wind Turbine"],
    "habit": ["Coffee", "Walking", "Naps", "Gardening", "Cold Showers", "Reading Fiction",
              "Screen Time", "Late Dinners"],
    "outcome": ["Better Sleep", "Longer Life", "Sharper Memory", "Lower Stress",
                "Heart Health", "Fewer Colds"],
    "food": ["Ramen", "Pastéis de Nata", "Croissants", "Dumplings", "Tacos", "Falafel",
             "Sourdough", "Pierogi", "Ceviche", "Gelato"],
    "n": ["Three", "Five", "Seven", "Ten", "Twelve"],
    "few": ["Two", "Three", "Four", "Five"],
    "pct": ["30", "40", "45", "60", "70"],
    "year": ["2024", "2025"],
    "regulation": ["EU AI Act", "Cyber Resilience Act", "Digital Markets Act", "Data Act",
                   "New Accessibility Rules"],
}

# Slots that stay capitalised in running text (names); others are lowered.
PROPER_SLOTS = {"lang", "tech", "company", "service", "city", "work", "regulation", "year",
                "pct", "n", "few", "season"}

# (category, title, teaser); the first {slot} of the title is its subject.
TEMPLATES = [
    ("technology", "A Beginner's Guide to {lang}",
     "Everything you need to write your first {lang} program, from installing the toolchain "
     "to shipping a small command-line tool."),
    ("technology", "Why We Moved Our {system} to {lang}",
     "A rewrite nobody wanted, and the numbers that convinced us it was worth it."),
    ("technology", "How {company} Cut Its Cloud Bill by {pct} Percent",
     "Right-sizing, spot instances and one embarrassing forgotten cluster."),
    ("technology", "The Hidden Cost of {tech}",
     "It is free to install and expensive to run: what {tech} really costs a small team."),
    ("technology", "Ten Years of {tech} in Production: What We Learned",
     "Upgrades, outages and the habits that kept {tech} boring in the best sense."),
    ("technology", "Debugging {problem} in {lang}",
     "A field guide to finding {problem}, with the tools that actually helped."),
    ("technology", "Is {tech} Still Worth Learning in {year}?",
     "We asked working engineers whether {tech} belongs on a learning list this year."),
    ("technology", "Inside the Outage That Took Down {service}",
     "A timeline of the failure, the fix, and the one alert nobody read."),
    ("technology", "What the {regulation} Means for Developers",
     "Deadlines, obligations and what to change in your backlog now."),
    ("technology", "{lang}, {tech} and the Art of Boring Software",
     "Why the most reliable systems we know are built from unexciting parts."),
    ("technology", "Scaling {tech} to a Billion Rows",
     "Partitioning, indexes and the query that ate a weekend."),
    ("technology", "Postmortem: {problem} at {company}",
     "How a routine deploy turned into a long night, and the three changes we made after."),
    ("technology", "What I Wish I Had Known Before Adopting {tech}",
     "Five years in, the surprises that no tutorial mentioned."),
    ("culture", "The Quiet Comeback of {craft}",
     "Once written off, the world of {craft} is finding a young and devoted audience."),
    ("culture", "{city}'s {venue} Scene Is Having a Moment",
     "New venues, old regulars and the people keeping {venue} alive in {city}."),
    ("culture", "Review: {work} Is {verdict}",
     "Our critic on the season's most talked-about release."),
    ("culture", "{n} Books to Read This {season}",
     "Novels, essays and one very long biography for the months ahead."),
    ("culture", "How {craft} Found a New Audience Online",
     "Videos, forums and small shops brought {craft} back from the margins."),
    ("culture", "In Conversation with the Makers of {work}",
     "The team behind {work} on doubt, deadlines and the ending they nearly cut."),
    ("culture", "Why {work} Divided the Critics",
     "Some called it a masterpiece, others walked out: a look at the arguments."),
    ("culture", "A Museum of {craft} Opens in {city}",
     "A private collection finds a permanent home and a surprising number of visitors."),
    ("science", "Citizen Scientists Are Counting {animal} in {city}",
     "Volunteers with phones are filling gaps that funded surveys left open."),
    ("science", "What {animal} Can Teach Us About {topic}",
     "Researchers studying {animal} think they hold clues to human {topic}."),
    ("science", "The Race to Build a Better {device}",
     "Labs and start-ups are competing to make the {device} cheaper and longer-lived."),
    ("science", "New Study Links {habit} to {outcome}",
     "The effect is real but smaller than the headlines suggest, the authors say."),
    ("science", "Why {animal} Are Better at {topic} Than We Thought",
     "A decade of field work overturns an old assumption."),
    ("business", "{company} Bets on {tech} as Growth Slows",
     "The company hopes a platform shift will win back enterprise customers."),
    ("business", "Why {company} Is Leaving {city}",
     "Rents, talent and a tax change pushed the company to move its headquarters."),
    ("business", "Remote Work, {few} Years On",
     "Offices reopened, habits did not: what changed for good."),
    ("business", "The Four-Day Week: Results from {city}",
     "Productivity, sick days and staff turnover after a year-long trial."),
    ("business", "{company} Opens an Office in {city}",
     "The expansion brings two hundred jobs and a new research lab."),
    ("travel", "A Weekend in {city} on a Budget",
     "Where to sleep, eat and wander without spending a fortune."),
    ("travel", "{city} by Train: A Slow Travel Itinerary",
     "Five days, no flights, and a lot of very good coffee."),
    ("food", "The Best {food} in {city}, Ranked",
     "We ate our way across {city} so you do not have to."),
    ("travel", "Where to Eat in {city} After Midnight",
     "Night buses, neon signs and the kitchens that never close."),
    ("food", "{food}: A Short History",
     "From a single bakery to every corner of the map, in five chapters."),
    ("food", "How to Make {food} at Home",
     "A patient recipe, tested six times, with the mistakes we made along the way."),
]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
SECTIONS_API = {"technology": "Technology", "culture": "Culture", "science": "Science",
                "business": "Business", "travel": "Travel", "food": "Food"}
SECTIONS_PARTNER = {"technology": "Tech", "culture": "Arts & Culture", "science": "Science",
                    "business": "Business", "travel": "Travel", "food": "Food & Drink"}
HOSTS = {"technology": "www.thecircuit.example", "culture": "www.longform-review.example",
         "science": "www.fieldnotes.example", "business": "www.ledgerline.example",
         "travel": "www.fieldnotes.example", "food": "www.fieldnotes.example"}

AUTHORS = [
    "María García", "Jonas Weiß", "Zoë Clarke", "François Lefèvre", "Søren Madsen",
    "Ana Sofía Núñez", "Björn Lindqvist", "Chiara Rossi", "Priya Raman", "Tomás Ó Briain",
    "Łucja Nowak", "Hannah Becker", "Daniel Okafor", "Emily Zhang", "Mateo Fernández",
    "Aoife Kelly", "Kenji Watanabe", "Lena Hoffmann", "Samuel Adeyemi", "Inês Carvalho",
    "Olivia Bennett", "Rafael Souza", "Noor Haddad", "Marek Dvořák", "Clara Jiménez",
    "Ethan Brooks", "Yasmin Ahmed", "Lukas Steiner", "Sofía Peña", "Grace Liu",
    "Thomas Müller", "Amélie Roux", "David Cohen", "Freya Nilsson", "Javier Ortiz",
    "Sara Lindström", "Oscar Andersson", "Julia Kowalczyk", "Ravi Menon", "Élodie Martin",
]

PEOPLE = ["Ana Ribeiro", "Peter Novak", "Mia Schwarz", "Karim Benali", "Hugo Duarte",
          "Ingrid Berg", "Luis Moreno", "Nadia Petrova", "Owen Price", "Camille Girard"]

SENTENCES = {
    "technology": [
        "The first version of {subject} in our stack was an experiment that nobody expected "
        "to survive the quarter.",
        "Most of the gains came from measuring before changing anything, which sounds obvious "
        "and is rarely done.",
        "\"We spent two weeks arguing about {subject} and two days actually doing the work,\" "
        "says {person}, who led the project.",
        "The team kept a simple rule: every change had to make the dashboards better or it "
        "was reverted.",
        "Benchmarks on a laptop told one story; production traffic told a very different one.",
        "Documentation turned out to matter more than any clever trick in the code.",
        "By the end of the year the on-call rotation had gone from dreaded to dull.",
        "Not everything worked: a caching layer added in a hurry caused more incidents than it "
        "prevented.",
        "Newcomers now get a working environment in under an hour, down from most of a week.",
        "{person} calls it \"the least glamorous project I have ever been proud of\".",
    ],
    "culture": [
        "On a wet Thursday evening the room is full long before the doors officially open.",
        "\"People want something they can hold,\" says {person}, who has run the place for a "
        "decade.",
        "The appeal of {subject} is partly nostalgia, but the crowd is strikingly young.",
        "Prices have crept up, and some longtime fans worry about what that means.",
        "There are rough edges, and that is part of the charm.",
        "Critics have been divided, but audiences have voted with their feet.",
        "A small grant kept the lights on during the lean years.",
        "{person} remembers when the whole scene fitted into one back room.",
        "What happens next depends on whether the newcomers stay.",
    ],
    "science": [
        "The study followed its subjects for several years, which is unusually long for the "
        "field.",
        "\"We were surprised by how consistent the effect was,\" says {person}, the lead author.",
        "Not everyone is convinced: other groups have failed to reproduce parts of the result.",
        "The work on {subject} was funded by a mix of public grants and a private foundation.",
        "Earlier experiments had used far smaller samples.",
        "The next step is a larger trial across several countries.",
        "Field work meant months of early mornings and unreliable equipment.",
        "{person} cautions against reading too much into a single paper.",
    ],
    "business": [
        "Revenue grew last year, but more slowly than investors had hoped.",
        "\"We had to choose between growing fast and growing well,\" says {person}.",
        "Competitors have moved in the same direction, which narrows the advantage.",
        "Staff surveys show strong support, with some reservations about workload.",
        "The decision on {subject} was made after months of internal debate.",
        "Analysts expect the effects to show up in next year's results.",
        "{person} says the company will publish its figures in the spring.",
        "Smaller firms are watching closely before making similar moves.",
    ],
    "travel": [
        "Start early: the old town is at its best before the tour groups arrive.",
        "A three-day transit pass pays for itself by the second afternoon.",
        "\"Most visitors never leave the centre, and they miss the best of it,\" says {person}, "
        "a local guide.",
        "Guesthouses on the edge of town cost half as much as hotels near the station.",
        "The market on Saturday mornings is worth planning the whole trip around.",
        "Bring comfortable shoes; the hills are steeper than they look on the map.",
        "{person} recommends the last ferry of the day for the light alone.",
    ],
    "food": [
        "The dough needs time more than it needs skill.",
        "\"Everyone's grandmother made it differently, and everyone's grandmother was right,\" "
        "says {person}.",
        "Good {subject} starts with good ingredients and very little fuss.",
        "Our favourite was a tiny counter with six stools and no sign.",
        "Prices ranged from a couple of euros to an alarming amount for a tasting menu.",
        "A hot oven and a little patience make most of the difference.",
        "{person} still uses the recipe card her mother wrote in 1978.",
    ],
}

# The partner's export is latin-1: characters it cannot hold are replaced as
# its software does (typographic punctuation to ASCII, then accents dropped).
LATIN1_FALLBACK = {"\u2014": "-", "\u2013": "-", "\u2019": "'", "\u2018": "'", "\u201c": '"',
                   "\u201d": '"', "\u2026": "...", "\u0141": "L", "\u0142": "l"}

# ------------------------------------------------------------------ articles


def slugify(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def fill(rng, template, taken):
    """The title, the teaser, the subject (for the body) and the slot values
    of one article, or None when a slot value was used by the template
    before: "Three Books to Read This Winter" and "Three Books to Read This
    Spring" would be two articles no reader could tell apart."""
    values = {}
    for name in re.findall(r"{(\w+)}", template[1]):
        if name not in values:
            values[name] = rng.choice(SLOTS[name])
    if any((template[1], v) in taken for v in values.values()):
        return None
    taken.update((template[1], v) for v in values.values())
    return render(template, values) + (values,)


def render(template, values):
    """The title, teaser and subject of a template with its slot values.
    Common nouns are title case in the title only."""
    prose = {name: v if name in PROPER_SLOTS else v.lower() for name, v in values.items()}
    subject = prose[re.search(r"{(\w+)}", template[1]).group(1)]
    return template[1].format(**values), template[2].format(**prose), subject


def body_for(rng, category, subject):
    sentences = rng.sample(SENTENCES[category], len(SENTENCES[category]))
    people = rng.sample(PEOPLE, 2)
    paragraphs = []
    for _ in range(rng.choice([1, 2, 2, 3, 3])):
        n = rng.randint(2, 3)
        picks, sentences = sentences[:n], sentences[n:]
        if picks:
            paragraphs.append(" ".join(
                s.format(subject=subject, person=people[i % 2]) for i, s in enumerate(picks)))
    return paragraphs


def make_articles(rng):
    articles, taken, used = [], set(), {}
    start = datetime(2023, 1, 2, tzinfo=timezone.utc)
    while len(articles) < ARTICLES:
        template = rng.choice(TEMPLATES)
        # no template so common that the articles read like a series
        if used.get(template[1], 0) >= 8:
            continue
        filled = fill(rng, template, taken)
        if filled is None:
            continue
        title, teaser, subject, values = filled
        key = slugify(title)
        used[template[1]] = used.get(template[1], 0) + 1
        category = template[0]
        published = start + timedelta(days=rng.randint(0, 720), hours=rng.randint(6, 19),
                                      minutes=rng.choice(range(0, 60, 5)))
        articles.append({
            "title": title, "description": teaser, "category": category,
            "template": template, "values": values, "subject": subject,
            "paragraphs": body_for(rng, category, subject),
            "author": rng.choice(AUTHORS),
            "published": published,
            "url": "https://%s/%s/%d/%02d/%s" % (HOSTS[category], category, published.year,
                                                 published.month, key),
            "offset": rng.choice([0, 60, 60, 120, -300, -480, 330, 540]),
        })
    articles.sort(key=lambda a: (a["published"], a["title"]))
    for i, a in enumerate(articles, 1):
        a["key"] = "a%03d" % i
    return articles


def assign_sources(rng, articles):
    order = list(range(len(articles)))
    rng.shuffle(order)
    placed = {"api": [], "csv": [], "partner": []}
    pos = 0
    for sources, count in SHARES:
        for i in order[pos:pos + count]:
            for s in sources:
                placed[s].append(articles[i])
            articles[i]["sources"] = sources
        pos += count
    assert pos == len(articles)
    for s in placed:
        placed[s].sort(key=lambda a: a["key"])
    return placed

# ---------------------------------------------------------------- variations
# A copy of an article in its second or third source differs a little from
# the first: each function changes a record in place and names what it did.


def vary_case(rng, rec):
    t = rec["title"]
    rec["title"] = t[0] + t[1:].lower() if rng.random() < 0.6 else t.upper()
    return "title-case"


def vary_punctuation(rng, rec):
    t = rec["title"]
    for old, new in ((": ", " \u2014 "), ("?", ""), ("'", "\u2019"), (", ", " "), (" & ", " and ")):
        if old in t:
            rec["title"] = t.replace(old, new)
            return "title-punctuation"
    rec["title"] = t + "."
    return "title-punctuation"


def long_words(title):
    """Where a typo can go: the title's words of five letters or more."""
    return [i for i, w in enumerate(title.split(" ")) if len(w) >= 5 and w.isalpha()]


def typo(rng, word):
    j = rng.randint(1, len(word) - 3)
    how = rng.choice(["swap", "drop", "double"])
    if how == "swap":
        return word[:j] + word[j + 1] + word[j] + word[j + 2:]
    if how == "drop":
        return word[:j] + word[j + 1:]
    return word[:j] + word[j] + word[j:]


def vary_typo(rng, rec):
    where = long_words(rec["title"])
    if not where:
        return vary_punctuation(rng, rec)
    words = rec["title"].split(" ")
    i = rng.choice(where)
    words[i] = typo(rng, words[i])
    rec["title"] = " ".join(words)
    return "title-typo"


def vary_no_author(rng, rec):
    rec["author"] = None
    return "no-author"


def vary_author(rng, rec):
    if rec["author"] is None:
        return vary_time(rng, rec)
    first, _, last = rec["author"].partition(" ")
    if rng.random() < 0.5:
        rec["author"] = "%s. %s" % (first[0], last)
    else:
        rec["author"] = slugify_keep_case(rec["author"])
    return "author-form"


def slugify_keep_case(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def vary_time(rng, rec):
    shift = rng.choice([-120, -60, -15, -5, 5, 10, 30, 60, 1440])
    rec["published"] += timedelta(minutes=shift)
    return "time-shift"


def vary_teaser(rng, rec):
    d = rec["description"]
    cut = d[:60].rsplit(" ", 1)[0]
    rec["description"] = cut + "\u2026" if len(d) > 60 else d.rstrip(".")
    return "teaser"


def vary_body(rng, rec):
    if len(rec["paragraphs"]) > 1:
        rec["paragraphs"] = rec["paragraphs"][:1]
        rec["paragraphs"][0] += " [\u2026]"
    else:
        rec["paragraphs"] = [rec["paragraphs"][0].replace(". ", ".  ", 1)]
    return "body"


def vary_url(rng, rec):
    how = rng.choice(["slash", "query", "http", "fragment"])
    if how == "slash":
        rec["url"] += "/"
    elif how == "query":
        rec["url"] += "?ref=newsletter"
    elif how == "http":
        rec["url"] = "http://" + rec["url"][len("https://"):]
    else:
        rec["url"] += "#comments"
    return "url-" + how


VARIATIONS = [vary_case, vary_punctuation, vary_typo, vary_no_author, vary_author, vary_time,
              vary_teaser, vary_body]


def record_of(rng, article, source):
    rec = {k: article[k] for k in ("title", "description", "author", "published", "url",
                                   "category", "offset")}
    rec["paragraphs"] = list(article["paragraphs"])
    changes = []
    if article["sources"][0] != source:
        for vary in rng.sample(VARIATIONS, rng.choice([1, 1, 2, 2, 3])):
            changes.append(vary(rng, rec))
        if rng.random() < 0.4:
            changes.append(vary_url(rng, rec))
    if source == "partner":
        as_partner_writes(rec, changes)
    rec["changes"] = changes
    return rec


def as_partner_writes(rec, changes):
    # the partner always adds its tracking parameters
    if rec["url"] is not None:
        url, hash_, fragment = rec["url"].partition("#")
        url += ("&" if "?" in url else "?") + "utm_source=partner&utm_medium=feed"
        rec["url"] = url + hash_ + fragment
        changes.append("url-tracking")
    # what latin-1 cannot hold is replaced: "Łucja" arrives as "Lucja"
    for field in ("title", "author"):
        if rec[field] and to_latin1(rec[field]).decode("latin-1") != rec[field]:
            changes.append(field + "-latin1")

# ------------------------------------------------------------------ defects
# A few records per source are malformed on purpose. "quarantined": the
# record cannot be loaded (required field or id missing, unreadable row, a
# value that breaks the source's declared format.FIELD, as the partner's
# ISO date among its day-first ones); "loaded": an optional field is
# unreadable, the record loads without it.

DEFECTS = {
    "api": [("missing-id", "quarantined"), ("missing-title", "quarantined"),
            ("bad-date", "loaded")],
    "csv": [("missing-title", "quarantined"), ("bad-url", "loaded"),
            ("wrong-field-count", "quarantined")],
    "partner": [("bad-date", "quarantined"), ("wrong-field-count", "quarantined"),
                ("missing-id", "quarantined")],
}


def plan_defects(rng, records, source, spoilt):
    """Picks which records are malformed: shared articles for the ones that
    still load (matching must cope with a missing value), and a record whose
    title has a comma for the CSV row that splits on it. No article is
    malformed in two sources (`spoilt`: their keys so far)."""
    for defect, _ in DEFECTS[source]:
        if defect == "wrong-field-count" and source == "csv":
            pool = [r for r in records if ", " in (r["title"] or "")]
        elif defect in ("bad-date", "bad-url"):
            pool = [r for r in records if len(r["article"]["sources"]) > 1]
        else:
            pool = records
        pool = [r for r in pool if r["article"]["key"] not in spoilt]
        assert pool, "no record can carry the %s defect in %s" % (defect, source)
        rec = rng.choice(pool)
        spoilt.add(rec["article"]["key"])
        rec["defect"] = defect
        if defect == "missing-title":
            rec["title"] = None
        elif defect == "bad-date":
            rec["bad_date"] = True
        elif defect == "bad-url":
            rec["url"] = rec["url"][len("https://"):]
        elif defect == "missing-id":
            rec["id"] = None

# --------------------------------------------------------- for review
# The copies above differ so little that matching merges nearly all of them
# by itself. Real exports also hold copies a person has to look at, and
# these give a newcomer's review queue its pairs: an article of one source
# that another source carries retyped with several typos, abbreviated or
# with its words reordered (the author's name written another way too);
# and near misses, new articles that only look like one of another source
# (a follow-up by the same author, next year's edition of a list), which a
# reviewer should reject. Drawn from their own random stream, so the
# records above stay as they were.

ABBREVIATIONS = [("Percent", "%"), ("Kubernetes", "K8s"), ("PostgreSQL", "Postgres"),
                 ("WebAssembly", "Wasm"), ("Production", "Prod"), ("Billion", "Bn"),
                 ("and", "&"), ("Three", "3"), ("Five", "5"), ("Seven", "7"), ("Ten", "10"),
                 ("Twelve", "12"), ("Years", "Yrs"),
                 ("Weekend", "Wknd"), ("Museum", "Mus.")]
# The same headline with its words in another order, per template.
REORDERED = {
    "Debugging {problem} in {lang}": "Debugging {lang} {problem}",
    "Citizen Scientists Are Counting {animal} in {city}":
        "Citizen Scientists in {city} Are Counting {animal}",
    "The Best {food} in {city}, Ranked": "The Best {city} {food}, Ranked",
    "A Weekend in {city} on a Budget": "A Weekend on a Budget in {city}",
    "{company} Opens an Office in {city}": "{company} Opens a {city} Office",
    "New Study Links {habit} to {outcome}": "New Study Links {outcome} to {habit}",
    "Scaling {tech} to a Billion Rows": "Scaling to a Billion Rows with {tech}",
}


def abbreviations_in(title):
    return [(w, a) for w, a in ABBREVIATIONS if re.search(r"\b%s\b" % re.escape(w), title)]


def vary_typos(rng, rec):
    words = rec["title"].split(" ")
    for i in rng.sample(long_words(rec["title"]), 3):
        words[i] = typo(rng, words[i])
    rec["title"] = " ".join(words)
    return "title-typos"


def vary_abbreviated(rng, rec):
    for word, short in abbreviations_in(rec["title"]):
        rec["title"] = re.sub(r"\b%s\b" % re.escape(word), short, rec["title"])
    return "title-abbreviated"


def vary_reordered(rng, rec):
    rec["title"] = REORDERED[rec["article"]["template"][1]].format(**rec["article"]["values"])
    return "title-reordered"


def vary_author_initial(rng, rec):
    first, _, last = rec["author"].partition(" ")
    rec["author"] = "%s. %s" % (first[0], last)
    return "author-initial"


def vary_author_reordered(rng, rec):
    first, _, last = rec["author"].partition(" ")
    rec["author"] = "%s, %s" % (last, first)
    return "author-reordered"


def vary_day(rng, rec):
    rec["published"] += timedelta(days=rng.choice([-1, 1]), minutes=rng.choice([-90, 45, 120]))
    return "time-shift"


def vary_no_link(rng, rec):
    # what someone typed in by hand came without its link: with the link,
    # the page it names would settle the match by itself
    rec["url"] = None
    return "no-url"


# kind: (how many, which articles can carry it, what the second copy changes)
HARD_COPIES = [
    ("typos", 5, lambda a: len(long_words(a["title"])) >= 3 and len(a["title"]) >= 40, [vary_typos, vary_day, vary_teaser, vary_no_link]),
    ("abbreviated", 5, lambda a: abbreviations_in(a["title"]), [vary_abbreviated, vary_day, vary_no_link]),
    ("reordered", 3, lambda a: a["template"][1] in REORDERED, [vary_reordered, vary_day, vary_teaser, vary_no_link]),
]


def sister_piece(rng, article):
    """A new article of the same series the same day, about another place or
    thing, by another author: "The Best Ramen in Porto" next to Lisbon's."""
    a = dict(article)
    name = re.findall(r"{(\w+)}", article["template"][1])[-1]
    a["values"] = dict(article["values"])
    a["values"][name] = rng.choice([v for v in SLOTS[name] if v != article["values"][name]])
    a["title"], a["description"], a["subject"] = render(article["template"], a["values"])
    a["paragraphs"] = body_for(rng, article["category"], a["subject"])
    a["author"] = rng.choice([w for w in AUTHORS if w != article["author"]])
    a["published"] = article["published"] + timedelta(minutes=rng.choice([-90, 30, 150]))
    return a, "sister-piece"


NEAR_MISSES = [sister_piece, sister_piece, sister_piece]


def review_records(articles, by_source):
    """Appends the hard copies and the near misses to by_source, and the near
    misses' articles to articles."""
    rng = random.Random(SEED + 1)
    taken_ids = {s: {r["id"] for r in by_source[s]} for s in by_source}
    spoilt = {r["article"]["key"] for s in by_source for r in by_source[s] if r.get("defect")}
    singles = [a for a in articles if len(a["sources"]) == 1 and a["author"]
               and a["key"] not in spoilt]
    rng.shuffle(singles)

    def add(article, source, changes):
        rec = {k: article[k] for k in ("title", "description", "author", "published", "url",
                                       "category", "offset")}
        rec["paragraphs"] = list(article["paragraphs"])
        rec["article"] = article
        rec["changes"] = [c(rng, rec) if callable(c) else c for c in changes]
        while True:
            if source == "api":
                rec["id"] = rng.randrange(40000, 80000)
            else:
                rec["ref_order"] = rng.randrange(100, 1000)
                rec["id"] = "PF-%d-%04d" % (rec["published"].year % 100, rec["ref_order"])
            if rec["id"] not in taken_ids[source]:
                break
        taken_ids[source].add(rec["id"])
        if source == "partner":
            as_partner_writes(rec, rec["changes"])
        by_source[source].append(rec)

    def other(article):
        return "api" if article["sources"] == ("partner",) else "partner"

    for kind, count, fits, changes in HARD_COPIES:
        for article in [a for a in singles if fits(a)][:count]:
            singles.remove(article)
            add(article, other(article), changes)
            article["sources"] += (other(article),)
    for make in NEAR_MISSES:
        article = singles.pop()
        twin, change = make(rng, article)
        twin["key"] = "a%03d" % (len(articles) + 1)
        twin["sources"] = (other(article),)
        twin["url"] = "https://%s/%s/%d/%02d/%s-%s" % (
            HOSTS[twin["category"]], twin["category"], twin["published"].year,
            twin["published"].month, slugify(twin["title"]), change)
        articles.append(twin)
        add(twin, other(article), [change, vary_no_link])

# ------------------------------------------------------------------ writers


def body_text(rec):
    return "\n\n".join(rec["paragraphs"])


def write_api(out, records):
    records.sort(key=lambda r: (r["published"], r["id"] or 0), reverse=True)
    pages = (len(records) + PER_PAGE - 1) // PER_PAGE
    for p in range(pages):
        data = []
        for i, r in enumerate(records[p * PER_PAGE:(p + 1) * PER_PAGE], 1):
            zone = timezone(timedelta(minutes=r["offset"]))
            published = r["published"].astimezone(zone).isoformat()
            if r.get("bad_date"):
                # how a person writes it, not ISO 8601
                published = "%s %d, %d" % (MONTHS[r["published"].month - 1],
                                           r["published"].day, r["published"].year)
            item = {"id": r["id"], "title": r["title"], "summary": r["description"],
                    "body": body_text(r), "author": {"name": r["author"]} if r["author"] else None,
                    "published": published, "link": r["url"],
                    "section": SECTIONS_API[r["category"]]}
            if r["id"] is None:
                del item["id"]
            data.append(item)
            r["location"] = "page %d, record %d" % (p + 1, i)
        page = {"meta": {"page": p + 1, "pages": pages, "per_page": PER_PAGE,
                         "total": len(records)}, "data": data}
        with open(os.path.join(out, "api", "articles-%d.json" % (p + 1)), "w",
                  encoding="utf-8", newline="\n") as f:
            json.dump(page, f, ensure_ascii=False, indent=2)
            f.write("\n")


def csv_line(row, delimiter, terminator):
    s = io.StringIO()
    csv.writer(s, delimiter=delimiter, lineterminator=terminator).writerow(row)
    return s.getvalue()


def write_rows(path, header, rows, delimiter, terminator, encode):
    """rows: (record, fields); a record with a wrong-field-count defect is
    written with its title unquoted (the CSV) or its last field dropped (the
    partner). Notes each record's first line for truth.csv."""
    text = [csv_line(header, delimiter, terminator)]
    line = 2
    for rec, fields in rows:
        if rec.get("defect") == "wrong-field-count" and delimiter == ",":
            mark = "\x00TITLE\x00"
            written = csv_line([mark if f == rec["title"] else f for f in fields], delimiter,
                               terminator).replace(mark, rec["title"])
        elif rec.get("defect") == "wrong-field-count":
            written = csv_line(fields[:-1], delimiter, terminator)
        else:
            written = csv_line(fields, delimiter, terminator)
        rec["location"] = "line %d" % line
        line += written.count("\n")
        text.append(written)
    with open(path, "wb") as f:
        f.write(encode("".join(text)))


def write_csv(out, records):
    records.sort(key=lambda r: int(r["id"]) if r["id"] else 0)
    rows = []
    for r in records:
        rows.append((r, [r["id"] or "", r["title"] or "", r["description"], body_text(r),
                         r["author"] or "", r["published"].strftime("%Y-%m-%dT%H:%M:%SZ"),
                         r["url"], r["category"]]))
    header = ["id", "title", "description", "content", "author", "published_at", "url",
              "category"]
    write_rows(os.path.join(out, "articles.csv"), header, rows, ",", "\n",
               lambda s: s.encode("utf-8"))


def to_latin1(text):
    out = []
    for ch in text:
        ch = LATIN1_FALLBACK.get(ch, ch)
        try:
            ch.encode("latin-1")
        except UnicodeEncodeError:
            ch = slugify_keep_case(ch) or "?"
        out.append(ch)
    return "".join(out).encode("latin-1")


def write_partner(out, records, name="partner.csv"):
    records.sort(key=lambda r: r["ref_order"])
    rows = []
    for r in records:
        date = r["published"].strftime("%d.%m.%Y %H:%M")
        if r.get("bad_date"):
            date = r["published"].strftime("%Y-%m-%d %H:%M")
        rows.append((r, [r["id"] or "", r["title"] or "", r["description"], body_text(r),
                         r["author"] or "", date, r["url"], SECTIONS_PARTNER[r["category"]]]))
    header = ["Ref", "Headline", "Teaser", "Body", "Writer", "Date", "Link", "Section"]
    write_rows(os.path.join(out, name), header, rows, ";", "\r\n",
               lambda s: b"\xef\xbb\xbf" + to_latin1(s))


def write_partner_cut(out, records):
    """partner-cut.csv: the partner's next export, its malformed rows fixed
    but cut short: the records before CUT_AT of its refs, whole and
    well-formed, so the read is complete and would delete the rest (the
    mass-delete guard holds them). Copies: partner.csv's locations stay."""
    kept = [dict(r) for r in records if r["ref_order"] < CUT_AT and not r.get("defect")]
    write_partner(out, kept, "partner-cut.csv")


def write_truth(out, by_source):
    rows = [["source", "source_id", "location", "article", "variation", "malformed", "expect"]]
    for source in ("api", "csv", "partner"):
        for r in sorted(by_source[source], key=lambda r: location_order(r["location"])):
            defect, expect = r.get("defect", ""), "loaded"
            for d, e in DEFECTS[source]:
                if d == defect:
                    expect = e
            rows.append([SOURCE_NAMES[source], "" if r["id"] is None else str(r["id"]),
                         r["location"], r["article"]["key"], ";".join(r["changes"]), defect,
                         expect])
    with open(os.path.join(out, "truth.csv"), "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def location_order(location):
    return [int(n) for n in re.findall(r"\d+", location)]

# --------------------------------------------------------------------- main


def source_records(rng, placed):
    """The records of every source, with their ids (different per source)."""
    by_source, spoilt = {}, set()
    api_ids = rng.sample(range(40000, 80000), len(placed["api"]))
    api_ids.sort()
    partner_refs = rng.sample(range(100, 1000), len(placed["partner"]))
    for source, articles in placed.items():
        records = []
        for n, article in enumerate(articles):
            rec = record_of(rng, article, source)
            rec["article"] = article
            if source == "api":
                rec["id"] = api_ids[n]
            elif source == "csv":
                rec["id"] = str(n + 1)
            else:
                ref = partner_refs[n]
                rec["id"] = "PF-%d-%04d" % (article["published"].year % 100, ref)
                rec["ref_order"] = ref
            records.append(rec)
        plan_defects(rng, records, source, spoilt)
        by_source[source] = records
    return by_source


def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, "share", "kasparro", "sample")
    rng = random.Random(SEED)
    articles = make_articles(rng)
    placed = assign_sources(rng, articles)
    by_source = source_records(rng, placed)
    review_records(articles, by_source)
    os.makedirs(os.path.join(out, "api"), exist_ok=True)
    for old in sorted(os.listdir(os.path.join(out, "api"))):
        if re.fullmatch(r"articles-\d+\.json", old):
            os.remove(os.path.join(out, "api", old))
    write_api(out, by_source["api"])
    write_csv(out, by_source["csv"])
    write_partner(out, by_source["partner"])
    write_partner_cut(out, by_source["partner"])
    write_truth(out, by_source)


if __name__ == "__main__":
    main()
