"""Casualty figures under ACLED's counting rules (sentences written for these tests)."""
from __future__ import annotations

import pytest

from eventcoder.extract.numbers import (
    Figure, conservative, event_fatalities, fatalities_without_number, find_figures,
    is_significant, split_share,
)


def figs(nlp, text):
    doc = nlp(text)
    return [f for s in doc.sents for f in find_figures(s)]


def killed(nlp, text, significant=False):
    return event_fatalities(figs(nlp, text), significant)[0]


@pytest.mark.parametrize("text,expected", [
    ("At least 18 soldiers were killed in the blast.", 18),
    ("More than 20 fighters were killed near the town.", 20),
    ("Two soldiers and three civilians were killed in the attack.", 5),
    ("Gunmen attacked the checkpoint, killing 3 of them.", 3),
    ("Seven civilians died in the shelling.", 7),
    ("Twenty-one people lost their lives in the raid.", 21),
    ("The attack killed 2 and injured 4.", 2),
    ("Dozens of fighters were killed in the offensive.", 12),
    ("Tens of militants were killed.", 10),
    ("Hundreds of people were killed in the siege.", 100),
    ("A dozen soldiers were slain at the base.", 12),
    ("Several militants were killed in the raid.", 3),
    ("The clashes left several militants and leaders dead.", 3),
    ("The army said 5 insurgents were executed.", 5),
    ("The bodies of 4 fighters were found near the road.", 4),
    ("2 of the 5 attackers were killed.", 2),
    ("The attack killed 10 people, including 3 children.", 10),
    ("An HTS commander was assassinated near the town.", 1),
    ("One civilian was shot and killed during clashes.", 1),
    ("The suicide bomber detonated, killing both of them.", 2),
    ("In addition to the assailants, three people were killed in the blasts.", 5),
    ("Besides the suicide bomber himself, four soldiers were killed.", 5),
    ("No casualties were reported.", 0),
    ("Neither injuries nor fatalities were reported.", 0),
    ("Four soldiers were wounded by sniper fire.", 0),
    ("The convoy of 12 vehicles was hit in 2019 and 30 soldiers were killed.", 30),

    # a numbered victim found through the parse when the words between number and verb are many
    ("Four fighters of the Northern Brigade and the Eastern Council of Homs were killed in the fighting.", 4),
    ("In total, 40 fighters on both sides were killed.", 40),
    ("Eight members of the army and militiamen allied with them died of their wounds.", 8),
    ("7 fighters of the brigade including a commander were killed during shelling.", 7),
    # "IS" in capitals is no auxiliary; "have killed" is active
    ("IS killed nine soldiers near the village.", 9),
    ("The militants claimed to have killed 12 soldiers during the assault.", 12),
    # groups coordinated over a long noun phrase add up
    ("12 fighters from the first mountain brigade and 9 fighters from the second brigade were killed.", 21),
    ("2 civilians, including a child, and 3 fighters were killed in the shelling.", 5),
    ("The shelling resulted in the killing of 6 Islamist, rebel, and opposition fighters and 13 soldiers.", 19),
    # subsets and the attackers "in addition to" whom others died are counted once
    ("Five people, including a soldier and three attackers, were killed in the raid.", 5),
    ("In addition to the four bombers, at least nine officers were killed in the blasts.", 13),
    # single victims
    ("A commander succumbed to his wounds in hospital.", 1),
    ("The militants decapitated a soldier near the base.", 1),
    ("A child was shot and died in the crossfire.", 1),
    ("Gunmen shot and killed a regime 4th Division soldier near the bridge.", 1),
    ("The decapitated body of a fighter was found near the river.", 1),
    ("A militia member was found shot dead near the market.", 1),
    ("On 3 May 2021, gunmen shot dead a police officer near the bridge.", 1),
    ("A man stabbed a shopkeeper to death in the old city.", 1),
    ("Gunmen opened fire on a local official, which led to his death.", 1),
    ("A soldier's body was found near the checkpoint.", 1),
    ("Gunmen assassinated using small arms fire a village elder near the mosque.", 1),
    ("Rebels ambushed and killed, reportedly with rockets, 4 soldiers near the dam.", 4),
    ("In the fighting 30 fighters, from both sides, were killed.", 30),
    ("2 civilians who were fleeing the town were killed by shelling.", 2),
    # the same victim told twice, an earlier death told as the cause, an intention
    ("The body of a farmer was found in a field. He had been shot.", 1),
    ("A colonel was killed in the ambush. The colonel was buried the next day.", 1),
    ("The sniper killed a guard. The sniper was also killed in return fire.", 2),
    ("Clashes broke out in response to the killing of a tribal elder.", 0),
    ("Gunmen attempted to assassinate 2 officials with a car bomb.", 0),
])
def test_killed(nlp, text, expected):
    assert killed(nlp, text) == expected


def test_range_and_open_ended(nlp):
    f = [x for x in figs(nlp, "Between 5 and 7 people were killed.") if x.kind == "killed"][0]
    assert (f.best, f.low, f.high) == (5, 5, 7)
    inj = [x for x in figs(nlp, "The bombing killed at least 18 soldiers and wounded over 27 others.")
           if x.kind == "injured"][0]
    assert (inj.best, inj.low, inj.high) == (27, 27, None)


def test_injured_separate(nlp):
    out = figs(nlp, "The attack killed 2 and injured 4.")
    assert [(f.kind, f.best) for f in out] == [("killed", 2), ("injured", 4)]
    assert event_fatalities(out, kind="injured")[0] == 4


def test_vague_quantity_not_exact(nlp):
    f = figs(nlp, "Several militants were killed.")[0]
    assert f.kind == "killed" and not f.exact and f.best == 3


@pytest.mark.parametrize("text", [
    "Fatalities were reported in the ranks of both parties.",
    "Regime forces shelled the town, killing civilians.",
    "The clashes caused casualties among the rebels.",
])
def test_unknown_deaths(nlp, text):
    out = [f for f in figs(nlp, text) if f.kind == "killed"]
    assert out and all(f.unknown and not f.exact for f in out)
    assert event_fatalities(out, significant=False)[0] == 3
    assert event_fatalities(out, significant=True)[0] == 10


def test_explicit_zero_figure(nlp):
    out = figs(nlp, "No fatalities were reported.")
    assert len(out) == 1 and out[0].kind == "killed" and out[0].best == 0


def test_intention_is_not_a_death(nlp):
    assert killed(nlp, "The forces carried out an operation to eliminate ISIS elements.") == 0


def test_offsets_are_absolute(nlp):
    doc = nlp("The town was calm. Later, 6 fighters were killed.")
    sent = list(doc.sents)[1]
    f = find_figures(sent)[0]
    assert doc.text[f.start:f.end] == f.text and f.text.startswith("6")


def test_fatalities_without_number():
    assert fatalities_without_number(False) == 3
    assert fatalities_without_number(True) == 10


def test_conservative():
    a = Figure("killed", 20, 20, None, 0, 1, "20")
    b = Figure("killed", 15, 15, 15, 0, 1, "15")
    assert conservative([a, b])[0] == 15
    assert conservative([]) == (0, 0, 0)


def test_significance():
    assert is_significant("Heavy clashes broke out and fatalities were reported.")
    assert not is_significant("Gunmen assassinated a local official.")


def test_split_share():
    assert split_share("29 fatalities split between the 5 locations.", 29) == 5
    assert split_share("Total fatalities of 28 split, 14 each, over 2 places.", 28) == 14
    assert split_share("Five fighters were killed.", 5) is None


def test_example_article(nlp, example_article):
    doc = nlp(example_article["text"])
    sents = list(doc.sents)
    bus = next(s for s in sents if "13 October" in s.text)
    k = [f for f in find_figures(bus) if f.kind == "killed"]
    i = [f for f in find_figures(bus) if f.kind == "injured"]
    assert [(f.best, f.low, f.high) for f in k] == [(18, 18, None)]
    assert i and i[0].best >= 27 and i[0].high is None
    russian = next(s for s in sents if "16 October" in s.text)
    assert [f.best for f in find_figures(russian) if f.kind == "killed"] == [20]
    clashes = next(s for s in sents if "several" in s.text and "dead" in s.text)
    assert [f.best for f in find_figures(clashes) if f.kind == "killed"] == [3]


def test_a_toll_shared_out_over_events_is_split(nlp):
    from eventcoder.pipeline import Extractor
    from eventcoder.schema import Article

    text = ("Clashes continued between two armed factions in the countryside of Idlib. "
            "Some deaths were reported. Fatalities split across 2 events.")
    [event] = Extractor(notes_style="acled").extract(Article(id="t", text=text, published="2020-03-02"))
    assert event.fatalities == 5  # an analyst's remark: read in ACLED-style notes only


# --------------------------------------------------------------------------- rules added for issue #5


@pytest.mark.parametrize("text", [
    "The rebels managed to kill and injure a number of soldiers.",
    "Rebels managed to kill government fighters in an ambush.",
    "The army reported heavy losses among its troops.",
])
def test_deaths_without_a_number_more(nlp, text):
    out = [f for f in figs(nlp, text) if f.kind == "killed"]
    assert out and not any(f.exact and f.best > 1 for f in out)
    assert event_fatalities(out, significant=True)[0] == 10


@pytest.mark.parametrize("text", [
    "Neither fatalities or injuries were reported.",
    "Casualties unknown.",
    "There was no information about the fatalities.",
    "Each side suffered casualties, though it is assumed none are fatalities.",
    "The army took the village, with no information on who held it or whether there were casualties.",
    "Neither fatalities were reported on Sunday.",
])
def test_explicit_zero_more(nlp, text):
    out = [f for f in figs(nlp, text) if f.kind == "killed"]
    assert out and all(f.best == 0 and not f.unknown for f in out)


def test_place_lists():
    from eventcoder.extract.numbers import place_lists

    names = lambda text: [[item for item, _, _ in items] for items in place_lists(text)]  # noqa: E731
    assert names("Clashes in Tal Wardeh, Kafr Sijn and al-Hamra killed 9.") == [["Tal Wardeh", "Kafr Sijn", "al-Hamra"]]
    assert names("fighting in the towns of Rasm Ali, Jdeideh, Abu Kamil and Sabkha") == [
        ["Rasm Ali", "Jdeideh", "Abu Kamil", "Sabkha"]]
    # an address is one place; armed groups, directions and months are not places
    assert names("A bomb went off in Nahr area, Karrada neighborhood, Baghdad city, Baghdad governorate, Iraq.") == []
    assert names("They attacked positions near Syrian Armed Forces and Volunteer Forces units.") == []
    assert names("Fighting raged in the Eastern and Western Qalamoun.") == []
    assert names("The talks were held in March and April.") == []


def test_stated_total():
    from eventcoder.extract.numbers import stated_total

    assert stated_total("2 fighters were killed. Total fatalities are 3.") == 3
    assert stated_total("Total number of fatalities 21.") == 21
    assert stated_total("9 and 4 were killed, for a total of 13 fatalities.") == 13
    assert stated_total("The total death toll reached 50.") is None


def test_place_share():
    from eventcoder.extract.numbers import place_share

    assert place_share(10, 3, first=True) == 4   # the first place named takes the remainder
    assert place_share(10, 3, first=False) == 3
    assert place_share(7, 1, first=False) == 7


@pytest.mark.parametrize("text,total,names,share", [
    ("12 fatalities are split as follows: Tal Wardeh 5, Kafr Sijn 4 and al-Hamra 3.", 12, ("al-Hamra",), 3),
    ("Total fatalities of 9 are split as follows: 4 Tal Wardeh, 3 Kafr Sijn, 2 Hamra.", 9, ("Kafr Sijn",), 3),
    ("Fatalities split between two events with 6 allocated to Rasm Ali and 5 allocated to Sabkha.", 11, ("Sabkha",), 5),
    ("16 fatalities split between 3 locations, with Abu Kamil and Jdeideh each allocated 5 and Sabkha allocated 6.",
     16, ("Jdeideh",), 5),
    ("Fatalities were distributed as follows: 8 in Rasm Ali and 4 in each of Jdeideh and Sabkha.", 16, ("Sabkha",), 4),
])
def test_allocation_tables(text, total, names, share):
    from eventcoder.extract.numbers import allocated_share

    assert allocated_share(text, names) == share


def test_split_share_more():
    from eventcoder.extract.numbers import allocated_share

    assert split_share("Rebel shelling killed 3 civilians. 1 fatality was allocated to each location.", 3) == 1
    assert split_share("Divided between Tal Wardeh, Kafr Sijn and Hamra.", 10, ("Tal Wardeh",)) == 4
    assert split_share("Divided between Tal Wardeh, Kafr Sijn and Hamra.", 10, ("Hamra",)) == 3
    # "split" about something else than a toll
    assert split_share("The advance managed to split the besieged pocket in Homs and Hama.", 10) is None
    assert allocated_share("Deaths were reported in three places. Four were noted in this location.", ()) == 4
    assert allocated_share("Four were noted in this location.", (), own=False) is None


@pytest.mark.parametrize("text,total,context,share", [
    ("Twelve people were killed across both blasts.", 12, "", 6),
    ("At least nine people were killed across all three attacks.", 9, "", 3),
    ("Seven people were killed in the three assaults.", 7, "", 2),
    ("At least 20 people were killed across all attacks.", 20, "The post was one of four checkpoints nearby.", None),
    ("At least 20 people were killed across all attacks.", 20, "This was one of four attacks on villages nearby.", 5),
    ("Four people were killed in the blasts.", 4, "This was one of 12 bombings across the country.", None),
    ("One person was killed across all three incidents.", 1, "", 1),
])
def test_incident_share(text, total, context, share):
    from eventcoder.extract.numbers import incident_share

    assert incident_share(text, total, context) == share


@pytest.fixture(scope="module")
def extractor():
    """These cases are ACLED analysts' notes: their remarks on shared tolls count."""
    from eventcoder.pipeline import Extractor

    return Extractor(notes_style="acled")


@pytest.mark.parametrize("text,place,expected", [
    # a toll over several places named together is shared; the first place takes the remainder
    ("Clashes took place between regime forces and rebels in Saraqib. "
     "During the clashes in Saraqib, Binnish and Taftanaz, 10 fighters were killed.", "Saraqib", 4),
    ("Clashes took place between regime forces and rebels in Binnish. "
     "During the clashes in Saraqib, Binnish and Taftanaz, 10 fighters were killed.", "Binnish", 3),
    # the note's allocation table decides
    ("Clashes between the army and rebels in Taftanaz. 11 fatalities were split between the locations "
     "as follows: Binnish 4, Saraqib 4 and Taftanaz 3.", "Taftanaz", 3),
    ("Rebels attacked army positions in Taftanaz. Some deaths were reported across two locations. "
     "Three were noted in this location, the rest elsewhere.", "Taftanaz", 3),
    # deaths belong to the violent event, not to a strategic development of the same report
    ("Clashes took place between the army and rebels near Taftanaz. "
     "The rebels seized weapons and killed 20 soldiers.", "Taftanaz", 20),
    # one incident's share of a toll given for two
    ("A car bomb exploded near a market in Kirkuk city. This was one of two bombings in the city that day. "
     "Twelve people were killed across both blasts.", "Kirkuk", 6),
])
def test_event_fatalities_in_context(extractor, text, place, expected):
    from eventcoder.schema import Article

    events = extractor.extract(Article(id="t", text=text, published="2020-03-02"))
    violent = [e for e in events if e.location == place and e.event_type != "Strategic developments"]
    assert violent and violent[0].fatalities == expected


def test_subject_of_a_mistagged_active_verb_is_not_a_victim(nlp):
    # the tagger reads "killed" as a participle of "blast"; its object says it is active
    figures = find_figures(nlp("A bomb blast killed at least a dozen people in Falluja on Saturday.")[:])
    assert sum(f.best for f in figures if f.kind == "killed") == 12


def test_victims_named_by_what_they_were_doing(nlp):
    figures = find_figures(nlp("The agency said 46 people gathering truffles were killed by IS near Tadmur.")[:])
    assert [f.best for f in figures if f.kind == "killed"] == [46]
