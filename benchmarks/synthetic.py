"""A synthetic incident database of any size, for the HTTP API and the page at scale.

    python benchmarks/synthetic.py OUT.db [--incidents 100000] [--seed 0]

``make_db(url, n_incidents)`` writes, into an empty database, articles and their records as
the extractor would have stored them, links them as the linker would have (from what the
generator knows: which reports are of one act, which articles copy one wire story), and
builds the reconciled-incident index (``sitrep.incident_index.build``). It prints and
returns its counts and timings.

The world: real towns of nine countries at war (Syria weighted most), acts from 2016 to 2024
of the event types of ``knowledge/event_types.yaml``, each with a perpetrator of its country. An
act is reported by 1 to 3 articles (62% / 26% / 12%) of ten outlets, and 8% of the first
reports are reprinted by another outlet as a wire copy. A report blurs the act as reports
do: its date is sometimes a range, a month, the report's date or unknown; its place now and
then only the province; its perpetrator sometimes unknown or another party (a dispute). Each
report quotes one or two sources (monitors, rescue and health services, state media,
parties, the outlet itself), whose killed and injured figures usually agree with the act's,
sometimes differ a little and now and then a lot; a party sometimes denies the act. Every
claim's evidence span and every count's text point into the article's text. An article
holds one to three reports of acts of one country within a few days.

Not a quality benchmark: it exists to give the index, the API and the page a realistic
volume (100,000 reconciled incidents: about 100,000 articles, 160,000 stored incidents).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitrep import incident_index  # noqa: E402
from sitrep.knowledge.event_types import event_types as typology  # noqa: E402
from sitrep.records import Article, ArticleRecord, Claim, Count, Incident, Location, Span, Summary  # noqa: E402
from sitrep.store import LinkedIncident, open_store  # noqa: E402
from sitrep.store.db import parse_url  # noqa: E402

EXTRACTOR_VERSION = "synthetic-1"
BATCH = 2000                      # articles per add_many transaction
FIRST_DAY, LAST_DAY = dt.date(2016, 1, 1), dt.date(2024, 12, 31)
REPORTS = ((1, 0.62), (2, 0.26), (3, 0.12))
WIRE_SHARE = 0.08
CHECKED_PKS = 200                 # predicted incident keys checked against the store

# (country, weight, country name, [(place, admin1, lat, lon)], perpetrators)
WORLD = [
    ("SY", 34, "Syria", [
        ("Aleppo", "Aleppo", 36.2021, 37.1343), ("Al-Bab", "Aleppo", 36.3705, 37.5157),
        ("Manbij", "Aleppo", 36.5281, 37.9549), ("Deir ez-Zor", "Deir ez-Zor", 35.3359, 40.1408),
        ("Mayadeen", "Deir ez-Zor", 35.0206, 40.4536), ("Albu Kamal", "Deir ez-Zor", 34.4536, 40.9367),
        ("Raqqa", "Raqqa", 35.9528, 39.0079), ("Tabqa", "Raqqa", 35.8369, 38.5481),
        ("Idlib", "Idlib", 35.9306, 36.6339), ("Saraqib", "Idlib", 35.8647, 36.8006),
        ("Maarat al-Numan", "Idlib", 35.6436, 36.6737), ("Douma", "Rural Damascus", 33.5711, 36.4028),
        ("Harasta", "Rural Damascus", 33.5586, 36.3650), ("Homs", "Homs", 34.7308, 36.7094),
        ("Palmyra", "Homs", 34.5503, 38.2686), ("Hama", "Hama", 35.1318, 36.7578),
        ("Daraa", "Daraa", 32.6189, 36.1021), ("Qamishli", "Al-Hasakah", 37.0522, 41.2317)],
     ["Syrian government forces", "Russian forces", "US-led coalition", "Islamic State",
      "Hayat Tahrir al-Sham", "Syrian opposition forces", "Syrian Democratic Forces", "Turkish forces"]),
    ("IQ", 12, "Iraq", [
        ("Mosul", "Nineveh", 36.3350, 43.1189), ("Tal Afar", "Nineveh", 36.3792, 42.4497),
        ("Ramadi", "Anbar", 33.4258, 43.2994), ("Fallujah", "Anbar", 33.3500, 43.7833),
        ("Baghdad", "Baghdad", 33.3152, 44.3661), ("Kirkuk", "Kirkuk", 35.4681, 44.3922),
        ("Tikrit", "Salah ad-Din", 34.6071, 43.6782)],
     ["Islamic State", "Iraqi forces", "US-led coalition", "Peshmerga"]),
    ("YE", 12, "Yemen", [
        ("Hodeidah", "Hodeidah", 14.7978, 42.9545), ("Sanaa", "Amanat Al Asimah", 15.3694, 44.1910),
        ("Taiz", "Taiz", 13.5795, 44.0209), ("Aden", "Aden", 12.7855, 45.0187),
        ("Marib", "Marib", 15.4625, 45.3253), ("Saada", "Saada", 16.9402, 43.7639)],
     ["Saudi-led coalition", "Houthis", "Al-Qaeda in the Arabian Peninsula", "Yemeni government forces"]),
    ("AF", 10, "Afghanistan", [
        ("Kabul", "Kabul", 34.5553, 69.2075), ("Lashkar Gah", "Helmand", 31.5938, 64.3716),
        ("Kandahar", "Kandahar", 31.6289, 65.7372), ("Kunduz", "Kunduz", 36.7286, 68.8681),
        ("Jalalabad", "Nangarhar", 34.4265, 70.4515), ("Ghazni", "Ghazni", 33.5536, 68.4269)],
     ["Taliban", "Afghan forces", "Islamic State Khorasan Province", "US forces"]),
    ("UA", 12, "Ukraine", [
        ("Kharkiv", "Kharkiv Oblast", 49.9935, 36.2304), ("Chuhuiv", "Kharkiv Oblast", 49.8353, 36.6881),
        ("Izium", "Kharkiv Oblast", 49.2128, 37.2566), ("Mariupol", "Donetsk Oblast", 47.0971, 37.5434),
        ("Bakhmut", "Donetsk Oblast", 48.5947, 38.0003), ("Kherson", "Kherson Oblast", 46.6354, 32.6169),
        ("Zaporizhzhia", "Zaporizhzhia Oblast", 47.8388, 35.1396)],
     ["Russian forces", "Ukrainian forces", "pro-Russian separatists", "Wagner Group"]),
    ("SD", 7, "Sudan", [
        ("El Fasher", "North Darfur", 13.6283, 25.3496), ("Khartoum", "Khartoum", 15.5007, 32.5599),
        ("Omdurman", "Khartoum", 15.6445, 32.4777), ("Nyala", "South Darfur", 12.0489, 24.8807),
        ("El Geneina", "West Darfur", 13.4526, 22.4472)],
     ["Rapid Support Forces", "Sudanese Armed Forces"]),
    ("ML", 4, "Mali", [
        ("Gao", "Gao", 16.2666, -0.0400), ("Mopti", "Mopti", 14.4843, -4.1960),
        ("Timbuktu", "Timbuktu", 16.7666, -3.0026), ("Menaka", "Menaka", 15.9182, 2.4022)],
     ["JNIM", "Malian armed forces", "Islamic State Sahel Province", "Wagner Group"]),
    ("BF", 3, "Burkina Faso", [
        ("Djibo", "Sahel Region", 14.1010, -1.6306), ("Arbinda", "Sahel Region", 14.2308, -0.8686),
        ("Fada N'gourma", "Est Region", 12.0616, 0.3584)],
     ["JNIM", "Burkinabe forces", "Islamic State Sahel Province"]),
    ("PS", 6, "Palestine", [
        ("Gaza City", "Gaza Strip", 31.5017, 34.4668), ("Khan Younis", "Gaza Strip", 31.3462, 34.3060),
        ("Rafah", "Gaza Strip", 31.2969, 34.2455), ("Jenin", "West Bank", 32.4608, 35.2955)],
     ["Israeli forces", "Hamas", "Palestinian Islamic Jihad"]),
]

# Sources quoted per country, beside the outlet itself ("reporter") and the United Nations.
SOURCES = {
    "SY": ["Syrian Observatory for Human Rights", "White Helmets", "SANA", "Russian Defence Ministry",
           "Syrian Network for Human Rights", "Syrian health ministry"],
    "IQ": ["Iraqi military", "Airwars", "US-led coalition", "Amnesty International"],
    "YE": ["Yemeni health ministry", "Houthis", "Saudi-led coalition", "ICRC"],
    "AF": ["Taliban", "Human Rights Watch", "Doctors Without Borders"],
    "UA": ["UN Human Rights Monitoring Mission in Ukraine", "State Emergency Service of Ukraine",
           "Ukrainian General Staff", "Russian Defence Ministry"],
    "SD": ["Sudanese health ministry", "Rapid Support Forces", "Sudanese Armed Forces",
           "Doctors Without Borders"],
    "ML": ["ACLED", "Human Rights Watch"],
    "BF": ["ACLED", "Human Rights Watch"],
    "PS": ["Gaza health ministry", "Israeli military", "Gaza civil defence", "Palestine Red Crescent Society"],
}
PARTIES = {"Russian Defence Ministry", "Iraqi military", "US-led coalition", "Houthis", "Saudi-led coalition",
           "Taliban", "Ukrainian General Staff", "Rapid Support Forces", "Sudanese Armed Forces",
           "Israeli military"}
OUTLETS = ["Reuters", "AFP", "Associated Press", "Al Jazeera", "BBC News", "The Guardian",
           "Anadolu Agency", "Middle East Eye", "The New Arab", "Kyiv Independent"]
WIRE_AGENCIES = ["AFP", "Reuters", "AP"]

ACT_WORDS = {
    "air_strike": "an air strike on", "shelling": "shelling of", "armed_clash": "clashes in",
    "explosion": "an explosion in", "suicide_bombing": "a suicide bombing in",
    "chemical_attack": "a chemical attack on", "shooting_or_execution": "the execution of residents of",
    "abduction": "the abduction of villagers near", "territory_change": "the capture of",
}
EVENT_WEIGHTS = {"air_strike": 30, "shelling": 22, "armed_clash": 18, "explosion": 9,
                 "suicide_bombing": 5, "chemical_attack": 1, "shooting_or_execution": 6,
                 "abduction": 4, "territory_change": 5}
CAUSES = {"air_strike": "shelling", "shelling": "shelling", "armed_clash": "shooting",
          "explosion": "explosion", "suicide_bombing": "explosion", "chemical_attack": "chemical and toxic gases",
          "shooting_or_execution": "execution", "abduction": "unknown", "territory_change": "unknown"}


def event_types() -> list[str]:
    """The event types the extractor knows (knowledge/event_types.yaml) that we have words for."""
    return [t for t in typology() if t in ACT_WORDS]


def _pick(rng: random.Random, weighted) -> object:
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]


class _Text:
    """An article's text built sentence by sentence, knowing where each one sits."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, sentence: str, sep: str = " ") -> int:
        """Append a sentence; its start offset."""
        if self.parts:
            self.parts.append(sep)
            self.length += len(sep)
        start = self.length
        self.parts.append(sentence)
        self.length += len(sentence)
        return start

    def text(self) -> str:
        return "".join(self.parts)


def _acts(rng: random.Random, n: int) -> list[dict]:
    types = event_types()
    countries = [(w[0], w[1]) for w in WORLD]
    world = {w[0]: w for w in WORLD}
    days = (LAST_DAY - FIRST_DAY).days
    acts = []
    for i in range(n):
        code = _pick(rng, countries)
        _, _, country_name, places, perpetrators = world[code]
        place, admin1, lat, lon = rng.choice(places)
        event = _pick(rng, [(t, EVENT_WEIGHTS.get(t, 1)) for t in types])
        killed = 0 if event in ("territory_change", "abduction") and rng.random() < 0.7 \
            else int(rng.expovariate(1 / 9)) + (1 if rng.random() < 0.8 else 0)
        acts.append({
            "n": i, "country": code, "country_name": country_name, "place": place, "admin1": admin1,
            "lat": lat + rng.uniform(-0.01, 0.01), "lon": lon + rng.uniform(-0.01, 0.01),
            "date": FIRST_DAY + dt.timedelta(days=rng.randrange(days + 1)), "event_type": event,
            "perpetrator": rng.choice(perpetrators), "others": perpetrators, "killed": killed,
            "injured": int(killed * rng.uniform(0.5, 3)) if killed and rng.random() < 0.5 else None,
            "reports": _pick(rng, REPORTS),
        })
    return acts


def _figure(rng: random.Random, value: int) -> int:
    """A source's figure for a true toll: mostly the same, sometimes a little off, rarely far off."""
    r = rng.random()
    if r < 0.7 or value == 0:
        return value
    if r < 0.9:
        return max(0, value + rng.randint(-2, 2))
    return max(1, int(value * rng.choice((0.4, 0.5, 2, 3))))


def _report(rng: random.Random, act: dict, text: _Text, published: dt.date, outlet: str) -> Incident:
    """One article's report of an act: its sentences appended to ``text``, its Incident."""
    precision = _pick(rng, [("day", 84), ("range", 5), ("month", 3), ("report", 6), ("unknown", 2)])
    date, date_end = act["date"].isoformat(), None
    if precision == "range":
        date_end = (act["date"] + dt.timedelta(days=1)).isoformat()
    elif precision == "month":
        date = act["date"].replace(day=1).isoformat()
    elif precision == "report":
        date = published.isoformat()
    elif precision == "unknown":
        date = None
    if rng.random() < 0.06:
        location = Location(act["admin1"], act["admin1"], act["country"], None, None, "admin1")
    else:
        location = Location(act["place"], act["admin1"], act["country"], round(act["lat"], 4),
                            round(act["lon"], 4), "town")
    r = rng.random()
    perpetrator = act["perpetrator"] if r < 0.8 else "unknown" if r < 0.92 else rng.choice(act["others"])
    who = "Unidentified attackers" if perpetrator == "unknown" else perpetrator
    when = f"on {act['date'].strftime('%A %d %B %Y')}" if date else "recently"
    text.add(f"{who} carried out {ACT_WORDS[act['event_type']]} {location.name} in {act['admin1']} "
             f"province {when}.")
    claims = []
    pool = SOURCES[act["country"]] + ["reporter", "reporter", "United Nations"]
    for source in rng.sample(pool, 2 if rng.random() < 0.4 else 1):
        if source in PARTIES and rng.random() < 0.15:
            start = text.add(f"The {source} denied carrying out the attack.")
            sentence = text.parts[-1]
            claims.append(Claim(source, denial=True, evidence=[Span(start, start + len(sentence), sentence)]))
            continue
        if act["killed"] == 0 and act["event_type"] in ("territory_change", "abduction"):
            continue
        killed = _figure(rng, act["killed"])
        speaker = "the outlet's correspondent reported" if source == "reporter" else f"said the {source}"
        count_text = f"{killed} people"
        sentence = f"At least {count_text} were killed"
        civilians = None
        if killed and rng.random() < 0.3:
            civilians = rng.randint(0, killed)
            sentence += f", {civilians} of them civilians"
        injured = None
        if act["injured"] is not None and rng.random() < 0.8:
            injured = _figure(rng, act["injured"])
            sentence += f", and {injured} wounded"
        sentence += f", {speaker}."
        start = text.add(sentence)
        at = start + len("At least ")
        killed_counts = {"total": Count(killed, killed, None if rng.random() < 0.8 else killed + 5, count_text)}
        if civilians is not None:
            killed_counts["civilians"] = Count(None, civilians, None, f"{civilians} of them civilians")
        injured_counts = {"total": Count(None, injured, None, f"{injured} wounded")} if injured is not None else {}
        claims.append(Claim(source, killed_counts, injured_counts, False,
                            [Span(start, start + len(sentence), sentence), Span(at, at + len(count_text), count_text)]))
    return Incident(act["event_type"], date, date_end, precision, location, [perpetrator], None, claims)


def _articles(rng: random.Random, acts: list[dict]) -> list[dict]:
    """Articles (one to three reports of acts of one country within days), then wire copies."""
    order = sorted(acts, key=lambda a: (a["country"], a["date"], a["n"]))
    articles: list[dict] = []
    for k in range(max(n for n, _ in REPORTS)):
        stream = [a for a in order if a["reports"] > k]
        i = 0
        while i < len(stream):
            size = _pick(rng, [(1, 55), (2, 30), (3, 15)])
            chunk = [stream[i]]
            while len(chunk) < size and i + len(chunk) < len(stream):
                nxt = stream[i + len(chunk)]
                if nxt["country"] != chunk[0]["country"] or (nxt["date"] - chunk[0]["date"]).days > 3:
                    break
                chunk.append(nxt)
            i += len(chunk)
            articles.append({"acts": chunk, "outlet": rng.choice(OUTLETS), "copy_of": None,
                             "published": max(a["date"] for a in chunk) + dt.timedelta(days=rng.randint(0, 1))})
    for art in [a for a in articles if rng.random() < WIRE_SHARE]:
        articles.append({**art, "outlet": rng.choice([o for o in OUTLETS if o != art["outlet"]]),
                         "copy_of": art, "agency": rng.choice(WIRE_AGENCIES)})
    return articles


def _write(rng: random.Random, articles: list[dict]) -> tuple[list, list]:
    """(Article, ArticleRecord) per article, the copies reprinting their original's text."""
    out = []
    for serial, art in enumerate(articles, 1):
        if art["copy_of"] is not None:
            original, record = art["copy_of"]["written"]
            text = (f"{original.text}\n\n({art['agency']} story reprinted by {art['outlet']}, "
                    f"reference {serial:07d}.)")
            article = Article(f"syn-{serial:07d}", text, original.title, original.published, art["outlet"],
                              "synthetic")
            record = ArticleRecord(article.article_id, original.published, record.incidents, record.summary)
        else:
            lead = art["acts"][0]
            text = _Text()
            published = art["published"]
            text.add(f"{lead['place'].upper()}, {lead['country_name']}, {published.strftime('%d %B %Y')} "
                     f"({art['outlet']}) -")
            incidents = [_report(rng, act, text, published, art["outlet"]) for act in art["acts"]]
            text.add(f"(Reference {serial:07d}.)", "\n\n")
            killed = sum((inc.claims[0].killed.get("total") or Count()).value() or 0
                         for inc in incidents if inc.claims)
            summary = Summary(incidents[0].date, lead["admin1"].lower(), "unknown",
                              CAUSES[lead["event_type"]], killed, 0, 0, 0)
            title = f"{lead['event_type'].replace('_', ' ').capitalize()} in {lead['place']}"
            article = Article(f"syn-{serial:07d}", text.text(), title, published.isoformat(),
                              art["outlet"], "synthetic")
            record = ArticleRecord(article.article_id, article.published, incidents, summary)
        art["written"] = (article, record)
        out.append((article, record))
    return out


def make_db(url: str, n_incidents: int, seed: int = 0) -> dict:
    """Write about ``n_incidents`` reconciled incidents into the empty database at ``url``
    and build the index; the counts and the seconds each step took."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    acts = _acts(rng, n_incidents)
    articles = _articles(rng, acts)
    pairs = _write(rng, articles)
    timings = {"generate": time.perf_counter() - t0}

    with open_store(url) as store:
        if store.counts()["articles"]:
            raise ValueError(f"{url}: not an empty database")
        t0 = time.perf_counter()
        for start in range(0, len(pairs), BATCH):
            outcomes = store.add_many(pairs[start:start + BATCH], EXTRACTOR_VERSION)
            if any(o != "added" for o in outcomes):
                raise RuntimeError("a synthetic article was not new (duplicate text)")
        timings["write"] = time.perf_counter() - t0

        # Keys were given in insertion order in an empty database: article i is pk i, and
        # incidents count on in their article's order. Checked on a sample below.
        t0 = time.perf_counter()
        reports: dict[int, list[int]] = {}     # act -> incident pks
        article_of: dict[int, int] = {}        # incident pk -> article pk
        expected: dict[int, tuple[int, int]] = {}
        pk = 0
        for article_pk, art in enumerate(articles, 1):
            for position, act in enumerate(art["acts"]):
                pk += 1
                reports.setdefault(act["n"], []).append(pk)
                article_of[pk] = article_pk
                expected[pk] = (article_pk, position)
        sample = rng.sample(sorted(expected), min(CHECKED_PKS, len(expected)))
        for si in store.stored_incidents(sample):
            if expected[si.pk] != (si.article_pk, si.index):
                raise RuntimeError("stored keys are not the ones predicted (was the database empty?)")
        pk_of = {id(art): pk_ for pk_, art in enumerate(articles, 1)}
        original_of = {pk_: pk_of[id(art["copy_of"])] for pk_, art in enumerate(articles, 1) if art["copy_of"]}
        links = []
        for members in reports.values():
            if len(members) < 2:
                continue
            arts = {article_of[m] for m in members}
            groups = [[original_of[a], a] for a in sorted(arts) if original_of.get(a) in arts]
            links.append(LinkedIncident(id=len(links) + 1, members=sorted(members), wire_groups=groups))
        store.save_links(links)
        timings["links"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        reconciled = incident_index.build(store)
        timings["index"] = time.perf_counter() - t0
        counts = store.counts()
    dialect, target = parse_url(url)
    return {
        "acts": n_incidents, "reconciled_incidents": reconciled, "articles": counts["articles"],
        "stored_incidents": counts["incidents"], "claims": counts["claims"], "links": len(links),
        "wire_copies": len(original_of), "seed": seed,
        "seconds": {k: round(v, 2) for k, v in timings.items()} | {"total": round(sum(timings.values()), 2)},
        "database_bytes": os.path.getsize(target) if dialect == "sqlite" and os.path.exists(target) else None,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("db", help="the database to create: a new SQLite file, or an empty postgresql://... database")
    ap.add_argument("--incidents", type=int, default=100_000, help="reconciled incidents (default 100,000)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    dialect, target = parse_url(args.db)
    if dialect == "sqlite" and os.path.exists(target):
        print(f"error: {target} exists; give a new file", file=sys.stderr)
        return 2
    result = make_db(args.db, args.incidents, args.seed)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
