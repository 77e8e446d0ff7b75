"""Temporal expressions resolved against the publication date (spec/incidents.md)."""
from __future__ import annotations

import pytest

from sitrep.extract.dates import DateMention, find_dates

SAT = "2017-10-07"  # the spec's example: a Saturday
WED = "2019-05-15"  # a Wednesday
SUN = "2019-05-19"  # the Sunday after it
MONTH_EDGE = "2018-03-01"  # a Thursday; the day before is in February
YEAR_EDGE = "2019-01-01"  # a Tuesday; the day before is in the previous year


def one(text: str, published: str | None) -> DateMention:
    got = find_dates(text, published)
    assert len(got) == 1, got
    return got[0]


def resolved(text: str, published: str | None) -> tuple:
    d = one(text, published)
    return d.date, d.date_end, d.precision


@pytest.mark.parametrize("text, published, date, date_end, precision", [
    # the spec's own example, and a weekday equal to the publication's
    ("Strikes on Friday killed dozens", SAT, "2017-10-06", None, "day"),
    ("the ministry said on Saturday", SAT, "2017-10-07", None, "day"),
    ("clashes on Sunday", SAT, "2017-10-01", None, "day"),
    ("the Tuesday night raids", WED, "2019-05-14", None, "day"),
    ("early Monday morning", WED, "2019-05-13", None, "day"),
    ("last Wednesday", WED, "2019-05-08", None, "day"),
    ("since Saturdays blast", SAT, "2017-10-07", "2017-10-07", "range"),
    ("after Saturdays blast", WED, "2019-05-11", None, "day"),
    ("Sundays attack", WED, "2019-05-12", None, "day"),
    ("Monday's attack", WED, "2019-05-13", None, "day"),
    # relative days
    ("today", SAT, "2017-10-07", None, "day"),
    ("this morning", SAT, "2017-10-07", None, "day"),
    ("at dawn today", SAT, "2017-10-07", None, "day"),
    ("yesterday", SAT, "2017-10-06", None, "day"),
    ("at dawn yesterday", SAT, "2017-10-06", None, "day"),
    ("last night", SAT, "2017-10-06", None, "day"),
    ("overnight", SAT, "2017-10-06", None, "day"),
    ("the day before yesterday", SAT, "2017-10-05", None, "day"),
    # spans
    ("over the past 24 hours", SAT, "2017-10-06", "2017-10-07", "range"),
    ("in the past 24 hours", SAT, "2017-10-06", "2017-10-07", "range"),
    ("in the last 24 hours", SAT, "2017-10-06", "2017-10-07", "range"),
    ("over the past 48 hours", SAT, "2017-10-05", "2017-10-07", "range"),
    ("since Tuesday", SAT, "2017-10-03", "2017-10-07", "range"),
    ("on Sunday and Monday", WED, "2019-05-12", "2019-05-13", "range"),
    ("between Sunday and Monday", WED, "2019-05-12", "2019-05-13", "range"),
    # weeks and months
    ("last week", WED, "2019-05-06", "2019-05-12", "range"),
    # the week starts on Sunday; "this week" may include the publication day
    ("this week", WED, "2019-05-12", "2019-05-15", "range"),
    ("earlier this week", WED, "2019-05-12", "2019-05-14", "range"),
    ("earlier this week", SUN, "2019-05-13", "2019-05-18", "range"),
    ("this week", SUN, "2019-05-13", "2019-05-19", "range"),
    ("at the beginning of the week", WED, "2019-05-12", "2019-05-13", "range"),
    ("last month", WED, "2019-04-01", None, "month"),
    ("earlier this month", WED, "2019-05-01", None, "month"),
    ("in May", WED, "2019-05-01", None, "month"),
    ("in June", WED, "2018-06-01", None, "month"),
    ("in May 2016", WED, "2016-05-01", None, "month"),
    ("in August 2013", WED, "2013-08-01", None, "month"),
    # absolute days
    ("May 31", WED, "2018-05-31", None, "day"),
    ("31 May", "2019-06-02", "2019-05-31", None, "day"),
    ("on June 19", "2019-06-20", "2019-06-19", None, "day"),
    ("October 1 2014", WED, "2014-10-01", None, "day"),
    ("October 1, 2014", WED, "2014-10-01", None, "day"),
    ("7 October 2017", WED, "2017-10-07", None, "day"),
    ("Friday 29 Jul 2016", WED, "2016-07-29", None, "day"),
    ("2017-10-06", WED, "2017-10-06", None, "day"),
    # years
    ("in 2015", WED, "2015-01-01", None, "year"),
    ("since 2014", WED, "2014-01-01", None, "year"),
    ("last year", WED, "2018-01-01", None, "year"),
    # ago
    ("three years ago", WED, "2016-01-01", None, "year"),
    ("two weeks ago", WED, "2019-05-01", None, "day"),
    ("a week ago", WED, "2019-05-08", None, "day"),
    ("5 days ago", WED, "2019-05-10", None, "day"),
    ("four days ago", WED, "2019-05-11", None, "day"),
])
def test_resolution(text: str, published: str, date: str, date_end: str | None, precision: str) -> None:
    assert resolved(text, published) == (date, date_end, precision)


@pytest.mark.parametrize("text, date, date_end, precision", [
    ("on Wednesday", "2018-02-28", None, "day"),
    ("yesterday", "2018-02-28", None, "day"),
    ("last week", "2018-02-19", "2018-02-25", "range"),
    ("over the past 48 hours", "2018-02-27", "2018-03-01", "range"),
    ("last month", "2018-02-01", None, "month"),
    ("March 2", "2017-03-02", None, "day"),
])
def test_month_boundary(text: str, date: str, date_end: str | None, precision: str) -> None:
    assert resolved(text, MONTH_EDGE) == (date, date_end, precision)


@pytest.mark.parametrize("text, date, date_end, precision", [
    ("on Sunday", "2018-12-30", None, "day"),
    ("overnight", "2018-12-31", None, "day"),
    ("December 31", "2018-12-31", None, "day"),
    ("in December", "2018-12-01", None, "month"),
    ("last month", "2018-12-01", None, "month"),
    ("last year", "2018-01-01", None, "year"),
    ("earlier this week", "2018-12-30", "2018-12-31", "range"),
    ("last week", "2018-12-24", "2018-12-30", "range"),
    ("since Saturday", "2018-12-29", "2019-01-01", "range"),
])
def test_year_boundary(text: str, date: str, date_end: str | None, precision: str) -> None:
    assert resolved(text, YEAR_EDGE) == (date, date_end, precision)


def test_week_start_on_a_sunday_article_is_that_sunday() -> None:
    assert resolved("at the beginning of the week", "2019-05-12") == ("2019-05-12", None, "day")


def test_last_weekday_equal_to_publication_is_a_week_back() -> None:
    assert resolved("last Wednesday", WED) == ("2019-05-08", None, "day")
    assert resolved("on Wednesday", WED) == ("2019-05-15", None, "day")


@pytest.mark.parametrize("text, kind", [
    ("on Friday", "relative"), ("yesterday", "relative"), ("last week", "relative"),
    ("May 31", "absolute"), ("7 October 2017", "absolute"), ("in 2015", "absolute"),
    ("over the past 24 hours", "span"), ("since Tuesday", "span"), ("since 2014", "span"),
])
def test_kinds(text: str, kind: str) -> None:
    assert one(text, SAT).kind == kind


def test_days_before_publication() -> None:
    assert one("on Friday", SAT).days_before_publication == 1
    assert one("since Tuesday", SAT).days_before_publication == 4
    assert one("in August 2013", SAT).days_before_publication == (
        __import__("datetime").date(2017, 10, 7) - __import__("datetime").date(2013, 8, 1)).days


def test_without_publication_only_absolute_dates_resolve() -> None:
    assert resolved("7 October 2017", None) == ("2017-10-07", None, "day")
    assert resolved("in 2015", None) == ("2015-01-01", None, "year")
    rel = one("on Friday", None)
    assert rel.date is None and rel.days_before_publication is None
    assert one("May 31", None).date is None


@pytest.mark.parametrize("text", [
    "The convoy left at 5 pm.",
    "He was held for two years.",
    "a week-long campaign of raids",
    "The strikes killed 2015 people.",
    "The 21 fighters surrendered.",
    "They may 5 times a day pray.",
    "Talks resume next Monday.",
    "The march 20 km north went on.",
    "in two days of clashes",
    "a two-day truce",
    "killed 15 militants during the last hours",  # the report's own day, no span (issue 9)
])
def test_not_dates(text: str) -> None:
    assert find_dates(text, SAT) == []


def test_several_dates_in_order_with_offsets() -> None:
    text = "Strikes on Friday followed clashes since Tuesday and a raid on May 31 2016."
    got = find_dates(text, SAT, offset=1000)
    assert [d.text for d in got] == ["on Friday", "since Tuesday", "May 31 2016"]
    for d in got:
        assert text[d.start - 1000:d.end - 1000] == d.text
    assert got[2].date == "2016-05-31"


def test_longest_expression_wins() -> None:
    got = find_dates("Published Friday 29 Jul 2016 the report said", WED)
    assert [d.text for d in got] == ["Friday 29 Jul 2016"]


@pytest.mark.parametrize("text, published, date", [
    # month arithmetic by dateutil: the same day so long before, or that month's last day
    ("over the past two months", "2017-03-31", "2017-01-31"),
    ("over the past month", "2017-03-31", "2017-02-28"),
    ("over the past year", "2016-02-29", "2015-02-28"),
    ("in the past three months", "2017-01-15", "2016-10-15"),
])
def test_past_months_and_years_end_at_the_month_end(text: str, published: str, date: str) -> None:
    (d,) = find_dates(text, published)
    assert (d.date, d.date_end, d.precision) == (date, published, "range")
