"""Date expressions -> days and ACLED time_precision (sentences written for these tests)."""
from __future__ import annotations

import datetime as dt

import pytest

from eventcoder.extract.dates import default_date, event_date, find_dates

PUB = dt.date(2022, 10, 17)  # a Monday


def refs(nlp, text, published=PUB):
    doc = nlp(text)
    return [r for s in doc.sents for r in find_dates(s, published)]


@pytest.mark.parametrize("text,day", [
    ("Clashes broke out on 14 October near the town.", dt.date(2022, 10, 14)),
    ("On October 13, a bus was hit.", dt.date(2022, 10, 13)),
    ("On the morning of 13 October, a bus was hit.", dt.date(2022, 10, 13)),
    ("The village was shelled on 3rd of October.", dt.date(2022, 10, 3)),
    ("The base was attacked on 16 October.", dt.date(2022, 10, 16)),
    ("The attack took place yesterday.", dt.date(2022, 10, 16)),
    ("Fighters attacked the post last night.", dt.date(2022, 10, 16)),
    ("Gunmen opened fire today.", dt.date(2022, 10, 17)),
    ("The attack happened on Tuesday.", dt.date(2022, 10, 11)),
    ("The attack happened on Monday.", dt.date(2022, 10, 17)),
])
def test_single_days(nlp, text, day):
    r = refs(nlp, text)
    assert r and r[0].days == [day] and r[0].precision == 1 and not r[0].background


def test_explicit_year(nlp):
    r = refs(nlp, "On 26 May 2019, gunmen attacked a checkpoint.", dt.date(2019, 5, 27))[0]
    assert r.days == [dt.date(2019, 5, 26)] and r.precision == 1 and not r.background


def test_ranges(nlp):
    r = refs(nlp, "Fighting raged from 3 to 5 May.", dt.date(2022, 5, 10))[0]
    assert r.days == [dt.date(2022, 5, 3), dt.date(2022, 5, 4), dt.date(2022, 5, 5)]
    r = refs(nlp, "This was one of two incidents on the night of July 24-July 25, 2013.")[0]
    assert r.days == [dt.date(2013, 7, 24), dt.date(2013, 7, 25)]


def test_two_day_operation(nlp):
    r = refs(nlp, "The forces conducted a two-day operation, starting 14 October, in the city.")[0]
    assert r.days == [dt.date(2022, 10, 14), dt.date(2022, 10, 15)]


@pytest.mark.parametrize("text,precision", [
    ("Attacks increased last week.", 2),
    ("Raids continued in early October.", 3),
    ("Over the past weeks, the army threatened the town.", 3),
    ("Clashes have intensified this month.", 3),
])
def test_coarse_precision(nlp, text, precision):
    r = refs(nlp, text)[0]
    assert r.precision == precision and all(d <= PUB for d in r.days)


@pytest.mark.parametrize("text", [
    "The area was stormed by the army in 2018.",
    "The town fell last year.",
    "The town fell two years ago.",
    "The massacre of 14 March 2013 is remembered.",
])
def test_background(nlp, text):
    r = refs(nlp, text)
    assert r and all(x.background for x in r)


def test_year_before_when_after_publication(nlp):
    r = refs(nlp, "The base was attacked on 20 December.")[0]
    assert r.days == [dt.date(2021, 12, 20)] and r.background  # ten months back: history


def test_never_after_publication(nlp):
    for text in ("Fighting on 30 October 2022 was heavy.", "Clashes on 18 October."):
        for r in refs(nlp, text):
            assert all(d <= PUB for d in r.days)


def test_may_the_verb_is_not_a_month(nlp):
    assert refs(nlp, "The toll may 5 times higher.") == []


def test_no_publication_date(nlp):
    assert refs(nlp, "Clashes on 14 October.", None) == []
    r = refs(nlp, "On 26 May 2019, gunmen attacked.", None)
    assert r[0].days == [dt.date(2019, 5, 26)]
    assert default_date(None) is None


def test_default_and_event_date():
    d = default_date(PUB)
    assert d.days == [dt.date(2022, 10, 16)] and d.precision == 2
    assert event_date([], PUB).days == [dt.date(2022, 10, 16)]


def test_offsets(nlp):
    doc = nlp("Calm returned. On 26 May 2019, gunmen attacked.")
    s = list(doc.sents)[1]
    r = find_dates(s, PUB)[0]
    assert doc.text[r.start:r.end] == r.text == "26 May 2019"


def test_example_article(nlp, example_article):
    pub = dt.date.fromisoformat(example_article["published"][:10])
    doc = nlp(example_article["text"])
    found = {s.text[:40]: find_dates(s, pub) for s in doc.sents}
    by = lambda key: next(v for k, v in ((s.text, find_dates(s, pub)) for s in doc.sents) if key in k)
    assert by("two-day operation")[0].days == [dt.date(2022, 10, 14), dt.date(2022, 10, 15)]
    assert by("16 October")[0].days == [dt.date(2022, 10, 16)]
    assert by("13 October")[0].days == [dt.date(2022, 10, 13)]
    assert by("2018")[0].background
    past = by("Over the past weeks")[0]
    assert past.precision == 3 or past.background
    assert found


def test_iso_dates_and_years_without_a_publication_date(nlp):
    doc = nlp("2020-09-01: Police arrested a student. Observation points set up since October of 2017.")
    refs = find_dates(doc[:], None)
    assert [(r.text, r.days[0].isoformat(), r.precision, r.background) for r in refs] == [
        ("2020-09-01", "2020-09-01", 1, False), ("October of 2017", "2017-10-01", 3, False)]


# --- issue #5 (sentences written for these tests) ------------------------------------------------

@pytest.mark.parametrize("text,day", [
    ("Rebels clashed with the army on Ocotber 12, 2022 near the dam.", dt.date(2022, 10, 12)),
    ("The base was shelled on 9 Setpember 2022.", dt.date(2022, 9, 9)),
])
def test_misspelt_months(nlp, text, day):
    [r] = refs(nlp, text)
    assert r.days == [day] and r.precision == 1


def test_short_months_are_not_misspelt(nlp):
    # "Mya" / "Jnue" are not taken for May / June (only names of 6+ letters get the swap)
    assert not refs(nlp, "The village of Mya 12 was calm.")


@pytest.mark.parametrize("text", [
    "Twenty fighters have been killed in clashes since 12 October in the valley.",
    "The army has controlled the hill since Wednesday.",
])
def test_since_a_recent_date_is_the_report_day(nlp, text):
    [r] = refs(nlp, text)
    assert r.days == [PUB - dt.timedelta(days=1)] and r.precision == 2 and not r.background


def test_since_an_old_date_stays_history(nlp):
    [r] = refs(nlp, "The war has killed thousands since March 2011.")
    assert r.background


def test_in_recent_days_is_the_report_day(nlp):
    [r] = refs(nlp, "Government forces advanced in recent days towards the town.")
    assert r.days == [PUB - dt.timedelta(days=1)] and r.precision == 2


def test_day_month_year_joined_by_hyphens(nlp):
    refs = find_dates(nlp("On 16-November-2021, the two armies clashed in the hills.")[:], dt.date(2021, 11, 17))
    assert [(r.days, r.precision, r.background) for r in refs] == [([dt.date(2021, 11, 16)], 1, False)]
