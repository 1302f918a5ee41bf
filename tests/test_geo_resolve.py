"""Toponym resolution on sentences written for these tests, and on the example article."""
import pytest

from eventcoder.geo.gazetteer import distance_km, get_gazetteer
from eventcoder.geo.resolve import GeoContext, PlaceResolver


@pytest.fixture(scope="module")
def resolver():
    return PlaceResolver(get_gazetteer())


def _first(nlp, resolver, text):
    doc = nlp(text)
    ctx = resolver.context(doc)
    for sent in doc.sents:
        res = resolver.resolve(sent, ctx)
        if res is not None:
            return res, ctx
    return None, ctx


def test_default_resolver_loads_embedded_gazetteer():
    assert PlaceResolver().gazetteer is get_gazetteer()


def test_town_precision_1(nlp, resolver):
    res, ctx = _first(nlp, resolver, "Government troops shelled the town of Jassim in the western "
                                     "countryside of the Deraa governorate on Friday.")
    assert res.place.admin1 == "Dara" and res.geo_precision == 1
    assert distance_km(res.place.latitude, res.place.longitude, 32.99, 36.06) < 10
    assert res.place.iso == 760 and res.place.country == "Syria" and res.place.region == "Middle East"
    assert ctx.country_code == "SY" and "Dara" in ctx.admin1


def test_near_is_precision_2_and_governorate_disambiguates(nlp, resolver):
    res, _ = _first(nlp, resolver, "A roadside bomb hit a bus near Sabbourah in the Damascus countryside.")
    assert res.geo_precision == 2 and res.place.admin1 == "Rural Damascus"
    assert distance_km(res.place.latitude, res.place.longitude, 33.52, 36.18) < 10


def test_same_name_in_named_governorate_wins(nlp, resolver):
    res, _ = _first(nlp, resolver, "Fighting was reported in Sabbourah, in the eastern countryside of Hama.")
    assert res.place.admin1 == "Hama"


def test_region_only_is_capital_precision_3(nlp, resolver):
    res, _ = _first(nlp, resolver, "Warplanes struck rebel positions in Idlib countryside.")
    assert res.geo_precision == 3 and res.place.admin1 == "Idleb"
    assert distance_km(res.place.latitude, res.place.longitude, 35.93, 36.63) < 10
    res, _ = _first(nlp, resolver, "Clashes erupted in Rural Damascus overnight.")
    assert res.geo_precision == 3 and res.place.admin1 == "Rural Damascus"


def test_iraq_province(nlp, resolver):
    res, ctx = _first(nlp, resolver, "A car bomb exploded in a market in Tikrit, Saladin, Iraq.")
    assert res.place.admin1 == "Saladin" and res.place.iso == 368
    assert ctx.country_code == "IQ"


def test_not_places(nlp, resolver):
    doc = nlp("The Lebanese fighter, known as the Sword of Baghdad, was captured.")
    ctx = resolver.context(doc)
    assert all(resolver.resolve(s, ctx) is None for s in doc.sents)
    doc = nlp("The Russian Reconciliation Center in Syria said twenty militants were killed.")
    assert all(resolver.resolve(s, resolver.context(doc)) is None for s in doc.sents)


def test_offsets_are_absolute(nlp, resolver):
    text = "Nothing happened here. Then rebels attacked Jasim at dawn."
    doc = nlp(text)
    ctx = resolver.context(doc)
    sent = list(doc.sents)[-1]
    res = resolver.resolve(sent, ctx)
    assert text[res.start:res.end] == res.text == "Jasim"


def test_resolve_without_context(nlp, resolver):
    doc = nlp("Clashes broke out in Deir ez-Zor.")
    res = resolver.resolve(doc[:], GeoContext())
    assert res.place.admin1 == "Deir ez Zor"


def test_example_article(nlp, resolver, example_article):
    doc = nlp(example_article["text"])
    ctx = resolver.context(doc)
    assert ctx.country_code == "SY"
    found = [r for r in (resolver.resolve(s, ctx) for s in doc.sents) if r is not None]
    names = [(r.text, r.place.name, r.place.admin1) for r in found]

    def near(lat, lon):
        return any(distance_km(r.place.latitude, r.place.longitude, lat, lon) <= 10 for r in found)

    assert near(32.99, 36.06), names  # Jasim, Dara
    assert near(33.52, 36.18), names  # the Sabbourah near Damascus
    assert not near(35.16, 37.21), names  # never the Sabbourah in Hama
    assert all("Sword" not in r.text and r.text != "Lebanese" for r in found)
