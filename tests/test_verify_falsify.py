"""Altered copies: each kind makes exactly its change and nothing else, the same for a seed."""
import copy

import pytest

from sitrep.records import ArticleRecord, Claim, Count, Incident, Location, Summary
from sitrep.store.model import StoredArticle, StoredIncident
from sitrep.verify.falsify import KINDS, SWAP_POOL, falsify_record, falsify_stored


def record(aid="art1"):
    strike = Incident("air_strike", "2017-04-04", None, "day",
                      Location("Khan Sheikhoun", "Idlib", "SY", 35.44, 36.65, "town"),
                      ["Syrian government forces"],
                      claims=[Claim("SOHR", killed={"total": Count(58, 58, 72, "at least 58"),
                                                    "children": Count(best=11)},
                                    injured={"total": Count(best=300)}),
                              Claim("WHO", killed={"total": Count(best=70)})])
    bombing = Incident("suicide_bombing", "2017-04-01", "2017-04-02", "range",
                       Location("Idlib", "Idlib", "SY", 35.93, 36.63, "admin1"), ["Islamic State"],
                       claims=[Claim("SOHR", killed={"total": Count(best=2)})])
    clash = Incident("armed_clash", "2017-04-03", None, "day",
                     Location("Ghouta", "Rural Damascus", "SY", 33.5, 36.4, "district"), ["unknown"], claims=[])
    return ArticleRecord(aid, "2017-04-05", [strike, bombing, clash],
                         Summary("2017-04-04", "idlib", "syrian government or russian troops", "chemical and toxic gases",
                                 58, 11, 0, 0))


def diff(a, b):
    """The leaf paths where two records differ."""
    out = []

    def walk(x, y, path):
        if type(x) is not type(y):
            out.append(path)
        elif isinstance(x, dict):
            for k in set(x) | set(y):
                walk(x.get(k), y.get(k), f"{path}.{k}")
        elif isinstance(x, list):
            if len(x) != len(y):
                out.append(path)
            for i, (u, v) in enumerate(zip(x, y)):
                walk(u, v, f"{path}[{i}]")
        elif x != y:
            out.append(path)
    walk(a.to_dict(), b.to_dict(), "")
    return sorted(out)


def test_figures_multiply_or_divide_every_count_by_three():
    orig = record()
    seen = set()
    for seed in range(12):
        alt = falsify_record(orig, "figures", seed)
        up = alt.detail == "figures x3"
        seen.add(up)
        f = (lambda v: v * 3) if up else (lambda v: max(1, round(v / 3)))
        claim = alt.record.incidents[0].claims[0]
        assert (claim.killed["total"].low, claim.killed["total"].best, claim.killed["total"].high) == (f(58), f(58), f(72))
        assert claim.killed["total"].text == "at least 58"  # the evidence stays as written
        assert claim.killed["children"].best == f(11) and claim.injured["total"].best == f(300)
        assert alt.record.summary.nb_civilians == f(58) and alt.record.summary.nb_women == 0
        assert all(p.endswith((".low", ".best", ".high")) or ".nb_" in p for p in diff(orig, alt.record))
    assert seen == {True, False}  # both directions occur


def test_date_moves_a_week_with_its_publication():
    orig = record()
    alt = falsify_record(orig, "date", 0)
    days = int(alt.detail.split()[1])
    assert days in (7, -7)
    shift = {7: ("2017-04-11", "2017-04-08", "2017-04-09", "2017-04-10", "2017-04-12"),
             -7: ("2017-03-28", "2017-03-25", "2017-03-26", "2017-03-27", "2017-03-29")}[days]
    r = alt.record
    assert (r.incidents[0].date, r.incidents[1].date, r.incidents[1].date_end, r.incidents[2].date, r.published) == shift
    assert diff(orig, r) == sorted([".incidents[0].date", ".incidents[1].date", ".incidents[1].date_end",
                                    ".incidents[2].date", ".published", ".summary.date"])


def test_perpetrator_goes_to_another_side_and_stays_plausible():
    orig = record()
    sides = dict(SWAP_POOL)
    for seed in range(10):
        alt = falsify_record(orig, "perpetrator", seed)
        r = alt.record
        strike, bombing, clash = r.incidents
        assert sides[strike.perpetrator[0]] not in ("syrian government or russian troops",
                                                    "the organization of the islamic state in iraq and the levant - isis")
        assert strike.perpetrator[0] in ("US-led coalition", "Turkish forces")  # an air strike needs aircraft
        assert bombing.perpetrator[0] in ("Hayat Tahrir al-Sham", "Syrian opposition forces", "Syrian Democratic Forces")
        assert clash.perpetrator == ["unknown"]
        assert r.summary.actor == sides[strike.perpetrator[0]]
        assert diff(orig, r) == [".incidents[0].perpetrator[0]", ".incidents[1].perpetrator[0]", ".summary.actor"]


def test_place_moves_to_another_governorate():
    orig = record()
    for seed in range(10):
        alt = falsify_record(orig, "place", seed)
        strike, bombing, clash = alt.record.incidents
        assert strike.location.admin1 == bombing.location.admin1 not in ("Idlib", "Rural Damascus", "Damascus")
        assert bombing.location.precision == "admin1" and bombing.location.name == bombing.location.admin1
        assert strike.location.precision == "town" and strike.location.country == "SY"
        assert clash.location.admin1 not in ("Idlib", "Rural Damascus", "Damascus", strike.location.admin1)
        assert all(p.startswith((".incidents[0].location", ".incidents[1].location", ".incidents[2].location",
                                 ".summary.location")) for p in diff(orig, alt.record))
        assert alt.record.summary.location != "idlib"


def test_deterministic_and_leaves_the_original_alone():
    orig = record()
    before = copy.deepcopy(orig)
    for kind in KINDS:
        a, b = falsify_record(orig, kind, 3), falsify_record(orig, kind, 3)
        assert a.record.to_dict() == b.record.to_dict() and a.detail == b.detail and a.changes == b.changes
        assert a.changes
    assert orig.to_dict() == before.to_dict()


def test_nothing_to_change_gives_no_copy():
    bare = ArticleRecord("x", "2017-01-01", [Incident("other", None, None, "unknown",
                                                      Location("Kyiv", None, "UA", None, None, "town"),
                                                      ["unknown"])])
    assert all(falsify_record(bare, kind) is None for kind in KINDS)
    with pytest.raises(ValueError):
        falsify_record(bare, "tone")


def test_stored_copies_get_new_keys():
    rec = record()
    art = StoredArticle(pk=7, article_id="art1", content_hash="h", text="t", published=rec.published,
                        outlet="X", summary=rec.summary)
    incs = [StoredIncident(70 + i, 7, "art1", "X", rec.published, i, inc) for i, inc in enumerate(rec.incidents)]
    c_art, c_incs, alt = falsify_stored(art, incs, "date", 0, pk=100, first_incident_pk=1000)
    assert c_art.pk == 100 and [s.pk for s in c_incs] == [1000, 1001, 1002]
    assert all(s.article_pk == 100 and s.published == c_art.published == alt.record.published for s in c_incs)
    assert incs[0].incident.date == "2017-04-04"  # the stored original is untouched
