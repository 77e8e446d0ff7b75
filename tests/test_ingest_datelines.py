"""Datelines at the head of an article, and metadata dates in their usual forms."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.ingest import find_dateline, parse_date

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = SHARED / "data" / "gold"

STORY = " Fighters shelled the eastern districts overnight, a monitor said."


@pytest.mark.parametrize(
    ("text", "title", "iso", "printed"),
    [
        ("Wed 05 Apr 2017" + STORY, None, "2017-04-05", "Wed 05 Apr 2017"),
        ("Saturday 7 October 2017" + STORY, None, "2017-10-07", "Saturday 7 October 2017"),
        ("Last updated at Jun 06 2016 AMMAN" + STORY, None, "2016-06-06", "Jun 06 2016"),
        ("Last updated at Jun 062016 BEIRUT" + STORY, None, "2016-06-06", "Jun 062016"),
        ("Last updated at Mar 142015" + STORY, None, "2015-03-14", "Mar 142015"),
        ("Posted on July 20 2016 by Example Staff" + STORY, None, "2016-07-20", "July 20 2016"),
        ("Published October 1 2014" + STORY, None, "2014-10-01", "October 1 2014"),
        ("Date of publication 22 June 2016" + STORY, None, "2016-06-22", "22 June 2016"),
        ("02-09-2013 Army ambush kills fighters." + STORY, None, "2013-09-02", "02-09-2013"),
        ("09-13-2013 Army ambush kills fighters." + STORY, None, "2013-09-13", "09-13-2013"),
        ("September 8 2013 Envoys meet in Geneva." + STORY, None, "2013-09-08", "September 8 2013"),
        ("Thu May 26 2016 Militants killed in clashes." + STORY, None, "2016-05-26", "Thu May 26 2016"),
        ("Monday 21 Apr 2014" + STORY, None, "2014-04-21", "Monday 21 Apr 2014"),
        ("31 October 2016 Three killed in rocket attack." + STORY, None, "2016-10-31", "31 October 2016"),
        ("2017-10-07" + STORY, None, "2017-10-07", "2017-10-07"),
        ("October 7, 2017" + STORY, None, "2017-10-07", "October 7, 2017"),
        ("Monday 12 December 2016 09:05 Council urges aid." + STORY, None, "2016-12-12",
         "Monday 12 December 2016 09:05"),
        ("03.05.2017(updated 1412 03.05.2017) Get short URL" + STORY, None, "2017-05-03",
         "03.05.2017"),
        # after a repeated title and an agency
        ("Air strikes kill dozens in northern city Reuters Wednesday 26 Oct 2016" + STORY,
         "Air strikes kill dozens in northern city", "2016-10-26", "Wednesday 26 Oct 2016"),
        # the title as printed differs from the metadata title after a few words
        ("Air strikes kill dozens in northern city Monitor AFP Monday 3 Oct 2016" + STORY,
         "Air strikes kill dozens in northern city Monitor - Region - World", "2016-10-03",
         "Monday 3 Oct 2016"),
        # an agency byline right before the date is a dateline even without the title
        ("Air strikes kill dozens in northern city AFP Friday 22 Jul 2016" + STORY, None,
         "2016-07-22", "Friday 22 Jul 2016"),
        # a place dateline and a byline strip before the date
        ("Moscow — 7 October 2017" + STORY, None, "2017-10-07", "7 October 2017"),
        ("UPDATED Car bomb kills 12 Hospital official AFP Sunday 9 Oct 2016" + STORY,
         "Car bomb kills 12 Hospital official", "2016-10-09", "Sunday 9 Oct 2016"),
        ("Troops Kill 13 Militants Near Town REUTERS Jane Doe Middle East 0041 06.04.2017" + STORY,
         "Troops Kill 13 Militants Near Town", "2017-04-06", "06.04.2017"),
        ("Jets hit convoy 14 March 2016 SANA" + STORY, "Jets hit convoy", "2016-03-14",
         "14 March 2016"),
    ],
)
def test_dateline_shapes(text: str, title: str | None, iso: str, printed: str) -> None:
    found = find_dateline(text, title)
    assert found is not None, text
    date, start, end = found
    assert date == iso
    assert text[start:end] == printed


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("On 12 March 2011 protests began in the south and soon spread." + STORY, None),
        ("Since 2014 the town has changed hands four times." + STORY, None),
        ("Rebels shelled the town. The siege began on 3 May 2016 and lasted a year.", None),
        ("Rebels shelled the town on 3 May 2016, killing four.", None),
        ("The report, published 3 May 2016, blamed government forces." + STORY, None),
        ("Jets hit convoy near the border on 14 March 2016." + STORY, "Jets hit convoy"),
        ("Fighting resumed. " + "x" * 320 + " Published 3 May 2016 in print.", None),
        ("31-02-2016 is not a date." + STORY, None),
        ("June 2016 was the deadliest month." + STORY, None),
        ("Oct 7 (Reuters) - Artillery hit the town." + STORY, None),
        ("", None),
    ],
)
def test_story_dates_are_not_datelines(text: str, title: str | None) -> None:
    assert find_dateline(text, title) is None


def test_dateline_wins_only_at_the_head() -> None:
    text = "Saturday 7 October 2017" + STORY + " On 12 March 2011 protests began."
    assert find_dateline(text)[0] == "2017-10-07"


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("6/22/16", "2016-06-22"),  # FA-KES: month first, two-digit year
        ("12/29/16", "2016-12-29"),
        ("25/12/2016", "2016-12-25"),  # month-first reading impossible
        ("2017-10-07", "2017-10-07"),
        ("2017-10-07T09:30:00+03:00", "2017-10-07"),  # the local date as written
        ("2017/10/07", "2017-10-07"),
        ("20171007", "2017-10-07"),
        ("Sat, 07 Oct 2017 10:00:00 GMT", "2017-10-07"),
        ("7 October 2017", "2017-10-07"),
        ("October 7, 2017", "2017-10-07"),
        ("Saturday, October 7, 2017 10:00 AM", "2017-10-07"),
        ("07.10.2017", "2017-10-07"),
        ("02-09-2013", "2013-09-02"),  # day first
        ("1507370400", "2017-10-07"),  # epoch seconds
        ("  2016-08-10  ", "2016-08-10"),
    ],
)
def test_parse_date(value: str, iso: str) -> None:
    assert parse_date(value) == iso


@pytest.mark.parametrize("value", ["", "   ", "not a date", "2017-02-30", "13/13/2016", "2016"])
def test_parse_date_rejects(value: str) -> None:
    assert parse_date(value) is None


@pytest.mark.skipif(not GOLD.is_dir(), reason="shared gold data not present")
def test_gold_publication_dates_come_from_datelines() -> None:
    checked = 0
    for path in sorted(GOLD.glob("fakes-*.article.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        gold = json.loads(path.with_name(path.name.replace(".article.", ".gold.")).read_text())
        found = find_dateline(article["text"], article.get("title"))
        assert found is not None, article["article_id"]
        assert found[0] == gold["published"], article["article_id"]
        checked += 1
    assert checked >= 10
