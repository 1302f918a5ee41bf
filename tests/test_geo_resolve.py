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


# --- governorate cues, country of the report, which toponym is the event's (sentences written for
# these tests)

def _clause(nlp, resolver, text, cut):
    """Resolve the part of ``text`` before ``cut`` (a clause), as the pipeline does."""
    doc = nlp(text)
    ctx = resolver.context(doc)
    end = text.index(cut) + len(cut)
    return resolver.resolve(doc.char_span(0, end, alignment_mode="expand"), ctx), ctx


def test_clause_keeps_the_address_after_it(nlp, resolver):
    res, _ = _clause(nlp, resolver, "Gunmen fired mortars at an army post in Qaryat Unknown, Al Anbar, Iraq.",
                     "Qaryat Unknown")
    assert res.place.admin1 == "Al Anbar" and res.geo_precision == 3


def test_town_of_another_governorate_named_by_the_text(nlp, resolver):
    res, _ = _clause(nlp, resolver, "A car bomb exploded near a patrol in Taji city, Saladin governorate, Iraq.",
                     "Taji city")
    assert res.text == "Taji" and res.place.admin1 == "Saladin"
    assert distance_km(res.place.latitude, res.place.longitude, 33.52, 44.28) < 10


def test_apostrophes_and_directions_name_the_governorate(nlp, resolver):
    res, _ = _first(nlp, resolver, "Gunmen attacked a checkpoint in Zzyzx Qaryah town in Dar'a governorate.")
    assert res.place.admin1 == "Dara" and res.geo_precision == 3
    res, _ = _first(nlp, resolver, "Rebels clashed with HTS in the Qzzq area of southeastern Idleb.")
    assert res.place.admin1 == "Idleb" and res.geo_precision == 3


def test_town_before_its_governorate_wins(nlp, resolver):
    res, _ = _first(nlp, resolver, "Clashes took place in Ein Terma town in Rural Damascus on Monday.")
    assert res.place.admin1 == "Rural Damascus" and res.text == "Ein Terma"
    res, _ = _first(nlp, resolver, "Gunmen killed a fighter in Shadadah in al-Hasakeh on Monday.")
    assert res.text == "Shadadah" and res.place.admin1 == "Al Hasakeh"
    assert distance_km(res.place.latitude, res.place.longitude, 36.06, 40.73) < 10


def test_unknown_compound_name_is_not_its_tail(nlp, resolver):
    # "Tal Mamu" is not in the gazetteer: never "Mamu" (China), but the governorate named after it
    res, _ = _first(nlp, resolver, "Regime forces clashed with rebels in Tal Mamu in southern Aleppo countryside.")
    assert res.place.country_code == "SY" and res.place.admin1 == "Aleppo"


def test_no_foreign_village_in_a_syrian_report(nlp, resolver):
    res, ctx = _first(nlp, resolver, "The SDF and Turkish-backed factions exchanged shelling in the village of "
                                     "Qazali on Tuesday.")
    assert ctx.country_code == "SY"
    assert res is None or res.place.country_code == "SY"


def test_landmark_after_south_of(nlp, resolver):
    res, _ = _first(nlp, resolver, "The army clashed with IS in Hajar Aswad neighbourhood south of Damascus city.")
    assert res.text == "Hajar Aswad" and res.place.admin1 == "Rural Damascus"


def test_party_home_area_when_no_place(nlp, resolver):
    doc = nlp("Jaysh al-Islam fighters clashed with regime forces at dawn. No casualties were reported.")
    ctx = resolver.context(doc)
    res = resolver.resolve(doc[:], ctx)
    assert res.place.admin1 == "Rural Damascus" and res.geo_precision == 3
    assert resolver.resolve(doc[0:5], ctx) is None  # only the whole-report fallback uses it


def test_country_with_lost_apostrophe(nlp, resolver):
    res, _ = _first(nlp, resolver, "IS crucifies 9 men in Syrias Aleppo, a monitor said.")
    assert res.place.admin1 == "Aleppo" and res.place.country_code == "SY"


def test_unknown_village_in_governorate_is_region_precision(nlp, resolver):
    res, _ = _first(nlp, resolver, "Regime forces shelled the Kafr Zzyzx village in Idleb on Monday.")
    assert res.place.admin1 == "Idleb" and res.geo_precision == 3
    res, _ = _first(nlp, resolver, "Shelling hit Idlib city on Monday.")
    assert res.geo_precision == 1


def test_address_after_a_name_makes_it_a_place(nlp, resolver):
    # the tagger calls the town a person; ", <governorate>, <country>" says it is a place
    res, _ = _first(nlp, resolver, "Gunmen raided Shirqat, Saladin, Iraq, overnight.")
    assert res.text == "Shirqat" and res.geo_precision == 1 and res.place.admin1 == "Saladin"


def test_central_town_is_the_town_not_its_district(nlp, resolver):
    res, _ = _first(nlp, resolver, "A car bomb went off in central Hit, Al Anbar, Iraq, on Sunday.")
    assert res.text == "Hit" and res.geo_precision == 2
    assert distance_km(res.place.latitude, res.place.longitude, 33.64, 42.83) < 10
    res, _ = _first(nlp, resolver, "Warplanes struck villages in southern Idlib.")
    assert res.geo_precision == 3 and res.place.admin1 == "Idleb"


def test_destination_is_weaker_than_the_place_of_the_blast(nlp, resolver):
    res, _ = _first(nlp, resolver, "A bomb aimed at pilgrims travelling to Karbala went off in "
                                   "Musayyib town, Babil governorate, Iraq.")
    assert res.text == "Musayyib" and res.place.admin1 == "Babil"


def test_town_in_southern_governorate_is_the_town(nlp, resolver):
    # tagged as a person, with a verb that is no locative cue: "in southern Idlib" says it is a place
    res, _ = _first(nlp, resolver, "Regime artillery pounded Kafr Nabl in southern Idlib on Tuesday.")
    assert res.text == "Kafr Nabl" and res.geo_precision == 1 and res.place.admin1 == "Idleb"


def test_ambiguous_name_goes_to_its_biggest_bearer(nlp, resolver):
    # a Sinjar in Idlib and the Sinjar of Nineveh: with nothing else said, the well-known town
    res, ctx = _first(nlp, resolver, "A drone strike on a car in Sinjar killed two fighters on Monday.")
    assert res.place.admin1 == "Nineveh" and ctx.country_code == "IQ"
    # ... unless the rest of the report says otherwise: a party of the Syrian war makes Ariha the
    # Syrian town, not Jericho (also "Ariha")
    res, ctx = _first(nlp, resolver, "Regime artillery shelled Ariha on Sunday, killing three civilians.")
    assert res.place.admin1 == "Idleb" and ctx.country_code == "SY"


def test_named_district_beats_its_governorate(nlp, resolver):
    # an unknown village, then its district and governorate: the district's town, precision 2
    res, _ = _first(nlp, resolver, "A sniper killed a guard in Albu Qurnaytiq, Daquq district, Kirkuk, Iraq.")
    assert res.text == "Daquq" and res.geo_precision == 2 and res.place.admin1 == "Kirkuk"


def test_fused_article_and_feature_words(nlp, resolver):
    res, _ = _first(nlp, resolver, "Clashes erupted in Alhajjar Alaswad on Monday.")
    assert res.place.admin1 == "Rural Damascus" and res.geo_precision == 1
    res, _ = _first(nlp, resolver, "Helicopters struck the Barada valley on Monday.")
    assert res.text == "Barada valley" and res.place.admin1 == "Rural Damascus"


def test_unknown_village_is_named_in_the_result(nlp, resolver):
    res, _ = _first(nlp, resolver, "Regime forces regained Al-Zuwaybiqa village in southern Idlib on Monday.")
    assert res.geo_precision == 3 and res.place.admin1 == "Idleb" and res.unknown == "Al-Zuwaybiqa"
    # a village of the packaged village-level data is found itself
    res, _ = _first(nlp, resolver, "Regime forces regained Al-Hibet village in southern Idlib on Monday.")
    assert res.geo_precision == 1 and res.place.admin1 == "Idleb" and res.place.pcode.startswith("SY07")
    res, _ = _first(nlp, resolver, "Shelling hit Jasim in Daraa on Monday.")
    assert res.geo_precision == 1 and res.unknown == ""


# ---------------------------------------------------------------- the article's country, from the packs

def test_no_country_without_evidence(nlp, resolver):
    # nothing in the text points at a country: no default country is assumed
    _, ctx = _first(nlp, resolver, "Unknown gunmen shot a shopkeeper on Monday evening.")
    assert ctx.country_code is None and ctx.country is None


def test_country_from_a_party_of_its_catalogue(nlp, resolver):
    # an actor alias of one country's catalogue is evidence; its words are not a place ("Haram")
    res, ctx = _first(nlp, resolver, "Boko Haram militants stormed a market and burned shops on Friday.")
    assert ctx.country_code in ("NG", "CM") and "NO" not in ctx.countries  # both catalogues list the group
    res, ctx = _first(nlp, resolver, "Boko Haram militants stormed a market in Borno State on Friday.")
    assert ctx.country_code == "NG" and ctx.country == "Nigeria" and res.place.admin1 == "Borno"


def test_country_from_an_admin1_name_of_its_pack(nlp, resolver):
    # a pack's admin1 unit named as a region: the region at its capital, geo_precision 3, in ACLED's naming
    res, ctx = _first(nlp, resolver, "Insurgents burned houses in Cabo Delgado province on Tuesday.")
    assert ctx.country_code == "MZ"
    assert res.place.admin1 == "Cabo Delgado" and res.geo_precision == 3 and res.place.country == "Mozambique"


def test_acronym_is_a_place_only_where_a_place_is_expected(nlp, resolver):
    # "STC" names a party here: it says nothing of the country or the place
    res, ctx = _first(nlp, resolver, "STC supporters rallied in Aden on Thursday.")
    assert res is not None and res.text == "Aden" and ctx.country_code == "YE"


def test_user_pack_gives_a_made_up_country(nlp, tmp_path):
    # a country the package does not know, added from a user's data folder, is found by its demonym
    from eventcoder.countries import clear_cache, set_data_dirs
    from eventcoder.geo import country

    folder = tmp_path / "countries" / "qz"
    folder.mkdir(parents=True)
    (folder / "country.yaml").write_text(
        "iso2: QZ\nname: Freedonia\ndemonyms: [Freedonian, Freedonians]\ncues: [Marshland Front]\n", encoding="utf-8")
    set_data_dirs([tmp_path])
    clear_cache()
    country.reset_lexicon()
    try:
        res, ctx = _first(nlp, PlaceResolver(get_gazetteer()),
                          "Freedonian troops fought the Marshland Front for a second day.")
        assert ctx.country_code == "QZ" and ctx.country == "Freedonia"
    finally:
        set_data_dirs([])
        clear_cache()
        country.reset_lexicon()


def test_capital_city_and_its_surrounding_unit_go_together(nlp, resolver):
    # data/geo_admin1_twins.csv: a place of the unit around a capital is inside "the capital's" region
    res, _ = _first(nlp, resolver, "Shelling hit Jaramana in Damascus on Monday.")
    assert res.place.admin1 in ("Rural Damascus", "Damascus") and res.geo_precision == 1


def test_address_in_brackets_names_the_admin1(nlp, resolver):
    # "X (district, admin1)": the unit in brackets constrains X and says the country
    res, ctx = _first(nlp, resolver, "Gunmen attacked a bus near Monterrey (Acaxochitlan, Hidalgo) on Monday.")
    assert ctx.country_code == "MX" and res.place.admin1 == "Hidalgo"


def test_foreign_region_is_never_the_event_place(nlp, resolver):
    # a region of another country named like a word of the report is not taken for the event's place
    res, ctx = _first(nlp, resolver, "Suspected Boko Haram members looted a house in Cheripouri, Mayo-Sava, "
                                     "in the Far North of Cameroon.")
    assert ctx.country_code == "CM"
    assert res is None or res.place.country_code == "CM"


def test_admin1_named_elsewhere_in_the_report_excludes_namesakes(nlp, resolver):
    # the governorate is named in one sentence, the village in the next: the village of that governorate
    doc = nlp("Fighting went on in the Hama countryside all week. Regime shelling hit Sabboura on Friday.")
    ctx = resolver.context(doc)
    sents = list(doc.sents)
    res = resolver.resolve(sents[1], ctx)
    assert res.place.admin1 == "Hama"


def test_abandoned_place_comes_last(nlp, resolver):
    from eventcoder.geo.place import Place

    live = Place(name="Tall Nur", latitude=36.0, longitude=38.0, country_code="SY", feature="P.PPL", rank=1)
    ruin = Place(name="Tall Nur", latitude=36.5, longitude=38.5, country_code="SY", feature="P.PPLQ", rank=-2)
    m = __import__("eventcoder.geo.resolve", fromlist=["_Mention"])._Mention(0, 1, "Tall Nur", "talnar", cue=1.0)
    best = resolver._choose(m, ((ruin, frozenset({"tall nur"})), (live, frozenset({"tall nur"}))),
                            GeoContext(country_code="SY"), set())
    assert best[0] is live


def test_address_past_a_district_names_the_governorate(nlp, resolver):
    # "village, district, governorate, country": the governorate after the district constrains the village
    res, _ = _first(nlp, resolver, "Gunmen shot a farmer in Albu Muhammad, Daquq district, Kirkuk, Iraq.")
    assert res.place.admin1 == "Kirkuk"


def test_uncued_word_is_not_a_village(nlp, resolver):
    # capitalised words where no place is expected do not become villages that happen to share the name
    res, _ = _first(nlp, resolver, "Air raids killed ten people in Idlib, a Monitor said on Sunday.")
    assert res.place.admin1 == "Idleb"
    # ... but the places of a list after "in" are all places
    doc = nlp("Rebels captured the villages of Kafr Nabl, Kansafra and Maarat al-Numan in Idlib.")
    found = {m.text: m for m in resolver._mentions(doc, 0, len(doc))}
    assert found["Kansafra"].cue > 0 or found["Kansafra"].listed


def test_big_city_name_borne_by_villages_elsewhere_says_its_country(nlp, resolver):
    # "Goma" is also a hamlet's name in many countries; only one of them has a city of that name
    res, ctx = _first(nlp, resolver, "Officers pulled down dozens of shacks in Goma on Friday, residents said.")
    assert ctx.country_code == "CD"
    assert res is not None and res.place.country_code == "CD"


def test_admin1_unit_missing_from_gazetteer_counts_for_its_country(resolver, nlp):
    doc = nlp("Young men burned tyres in a town of the West Bank and in another of the West Bank "
              "as Israeli troops and Israeli soldiers moved in.")
    assert resolver.context(doc).country_code == "PS"


def test_seat_of_a_party_is_not_the_event_place(nlp, resolver):
    res, _ = _first(nlp, resolver, "Fighters of the Aleppo-based council clashed with troops near Saraqib on Monday.")
    assert res is not None and res.place.admin1 == "Idleb"


def test_barangay_and_street_words_are_no_places(nlp, resolver):
    doc = nlp("Gunmen shot a shopkeeper on Rizal Street in Barangay Bantug, Science City of Munoz, on Sunday.")
    ctx = resolver.context(doc)
    res = resolver.resolve(doc[:], ctx)
    assert res is None or plain_name(res.place.name) not in ("barangay", "street")


def plain_name(name: str) -> str:
    return name.strip().lower()


def test_far_of_a_region_name_is_no_town(nlp, resolver):
    res, _ = _first(nlp, resolver, "In the Far North region, gunmen raided Kolofata on Tuesday and took a herder away.")
    assert res is not None and res.place.name.lower() != "far"
    assert res.place.country_code == "CM"


def test_big_city_given_as_a_distance_reference_does_not_beat_the_town(nlp, resolver):
    res, _ = _first(nlp, resolver, "Mortar fire struck homes in the Garabulli area, some 60 km east of Tripoli, late on Tuesday.")
    assert res is not None and res.place.country_code == "LY"
    assert distance_km(res.place.latitude, res.place.longitude, 32.76, 13.72) < 25
