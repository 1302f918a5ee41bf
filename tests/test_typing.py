"""Tests for eventcoder.extract.typing (event mentions and their ACLED type).

All sentences here are written for these tests."""
from __future__ import annotations

import pytest

from eventcoder.extract.typing import MIN_SCORE, EventTyper, Trigger


@pytest.fixture(scope="module")
def typer(nlp):
    return EventTyper(vocab=nlp.vocab)


def best(typer, nlp, text) -> Trigger | None:
    ts = [t for t in typer.find(nlp(text)) if t.score >= MIN_SCORE]
    return max(ts, key=lambda t: t.score) if ts else None


SUB_EVENTS = [
    # Battles
    ("Government troops clashed with rebel fighters near the village on Tuesday, leaving four dead.",
     "Battles", "Armed clash"),
    # rival cult gangs (confraternities) are armed groups: their clash is a battle, not a riot
    ("Three men died when members of two rival confraternities clashed near the polytechnic on Friday.",
     "Battles", "Armed clash"),
    ("Heavy fighting broke out between the army and militants in the northern district.",
     "Battles", "Armed clash"),
    ("Militants attacked an army checkpoint on the highway overnight, wounding three soldiers.",
     "Battles", "Armed clash"),
    ("The army recaptured the town of Karim from the insurgents after a week of fighting.",
     "Battles", "Government regains territory"),
    ("Rebel fighters captured the town of Lowa from government forces on Sunday.",
     "Battles", "Non-state actor overtakes territory"),
    # Explosions/Remote violence
    ("Residents said a chlorine gas attack on the besieged district left dozens struggling to breathe.",
     "Explosions/Remote violence", "Chemical weapon"),
    ("Warplanes carried out several airstrikes on the rebel-held town, killing six people.",
     "Explosions/Remote violence", "Air/drone strike"),
    ("A suicide bomber blew himself up at a crowded market, killing eleven people.",
     "Explosions/Remote violence", "Suicide bomb"),
    ("Government forces shelled the outskirts of the city with artillery and mortars.",
     "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("A roadside bomb exploded near a police vehicle in the province, killing two officers.",
     "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Unidentified men hurled a grenade at a police station late on Friday.",
     "Explosions/Remote violence", "Grenade"),
    # launched from a launcher a grenade is a projectile fired from afar, not a thrown one
    ("Rebel fighters fired grenade launchers at army trenches outside the town overnight.",
     "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    # Violence against civilians
    ("Soldiers raped several women during a raid on the village, a rights group said.",
     "Violence against civilians", "Sexual violence"),
    ("Gunmen opened fire on villagers gathered at a funeral, killing nine civilians.",
     "Violence against civilians", "Attack"),
    ("Armed men kidnapped three aid workers on the road to the district capital.",
     "Violence against civilians", "Abduction/forced disappearance"),
    # Protests
    ("Thousands of teachers marched through the capital to protest against unpaid salaries.",
     "Protests", "Peaceful protest"),
    ("Police fired tear gas to disperse hundreds of demonstrators outside parliament.",
     "Protests", "Protest with intervention"),
    ("Security forces opened fire on protesters in the city, killing at least five demonstrators.",
     "Protests", "Excessive force against protesters"),
    # Riots
    ("Protesters threw stones at police and set fire to tyres in the main square.",
     "Riots", "Violent demonstration"),
    ("An angry mob lynched a man accused of theft in the market town.",
     "Riots", "Mob violence"),
    ("A mob attacked the house of a local councillor on Monday after rumours spread in the market.",
     "Riots", "Mob violence"),
    # Strategic developments
    ("The government and the rebels signed a ceasefire agreement in the capital on Monday.",
     "Strategic developments", "Agreement"),
    ("Police arrested twelve opposition activists ahead of the vote, their party said.",
     "Strategic developments", "Arrests"),
    ("Dozens of militia fighters defected to the army with their weapons.",
     "Strategic developments", "Change to group/activity"),
    ("Army engineers defused an improvised explosive device planted on the main road.",
     "Strategic developments", "Disrupted weapons use"),
    ("Turkish forces established a new military base near the border town.",
     "Strategic developments", "Headquarters or base established"),
    ("Militiamen looted shops and burned houses in the village after the residents fled.",
     "Strategic developments", "Looting/property destruction"),
    ("Armed bandits seized a pickup truck belonging to a local militia near the river on Sunday.",
     "Strategic developments", "Looting/property destruction"),
    ("The rebels handed over the town to the army without a fight after the deal.",
     "Strategic developments", "Non-violent transfer of territory"),
    ("The army imposed a curfew on the town after the unrest.",
     "Strategic developments", "Other"),
]


@pytest.mark.parametrize("text,event_type,sub_event_type", SUB_EVENTS)
def test_sub_event_types(typer, nlp, text, event_type, sub_event_type):
    b = best(typer, nlp, text)
    assert b is not None, text
    assert (b.event_type, b.sub_event_type) == (event_type, sub_event_type), (text, b)


NON_EVENTS = [
    # natural disaster
    "At least 30 people died when floods and landslides swept through the mountain villages.",
    "A strong earthquake of magnitude 6.1 damaged hundreds of buildings in the region.",
    # accident
    "Twelve passengers were killed when a bus collided with a truck on the coastal highway.",
    "A gas cylinder exploded in a restaurant kitchen, injuring four workers.",
    # crime without a political actor
    "Police arrested three men suspected of smuggling cocaine through the port.",
    # diplomacy / statements
    "The foreign minister met his counterpart to discuss trade and imposed new sanctions on the bank.",
    # sport
    "The home side beat their rivals 3-1 in a tense match on Saturday.",
    # disease
    "Health officials reported 200 new cases of cholera in the eastern province.",
    # economic news / elections / opinion
    "The central bank raised interest rates to curb inflation.",
    "Voters went to the polls on Sunday to elect a new parliament.",
    "In my view the government should invest more in schools.",
]


@pytest.mark.parametrize("text", NON_EVENTS)
def test_non_events(typer, nlp, text):
    assert best(typer, nlp, text) is None, text


LOW = [
    ("The army threatened that it would storm the city if the fighters were not expelled.", "hypothetical"),
    ("There were no clashes in the district on Sunday.", "negated"),
    ("The displaced families fled the town when it was stormed by the army in 2014.", "historical"),
    ("Islamic State claimed responsibility for the car bomb that killed eight people.", "claim_only"),
]


@pytest.mark.parametrize("text,flag", LOW)
def test_low_score_mentions(typer, nlp, text, flag):
    ts = typer.find(nlp(text))
    assert all(t.score < MIN_SCORE for t in ts), [(t.text, t.score, t.flags) for t in ts]
    assert any(flag in t.flags for t in ts), [(t.text, t.flags) for t in ts]


def test_explosion_inside_battle_is_folded(typer, nlp):
    doc = nlp("Government troops clashed with the rebels in the valley. The clashes were accompanied "
              "by heavy shelling on both sides.")
    ts = [t for t in typer.find(doc) if t.score >= MIN_SCORE]
    assert max(ts, key=lambda t: t.score).sub_event_type == "Armed clash"
    shells = [t for t in typer.find(doc) if t.event_type == "Explosions/Remote violence"]
    assert all("in_battle" in t.flags for t in shells)


def test_brief_takeover_is_armed_clash(typer, nlp):
    b = best(typer, nlp, "Militants briefly captured the checkpoint before being pushed back by the army.")
    assert b.sub_event_type == "Armed clash"


def test_protesters_clashing_with_police_is_a_riot(typer, nlp):
    b = best(typer, nlp, "Demonstrators clashed with police in the capital for a second night.")
    assert (b.event_type, b.sub_event_type) == ("Riots", "Violent demonstration")


def test_trigger_offsets_and_order(typer, nlp):
    doc = nlp("Police dispersed a rally in the city. Later, a car bomb exploded near the ministry.")
    ts = typer.find(doc)
    assert ts == sorted(ts, key=lambda t: t.start)
    for t in ts:
        assert doc.text[t.start:t.end] == t.text
        assert t.clause_start <= t.start < t.end <= t.clause_end
        assert t.sent.start_char <= t.start < t.sent.end_char
        assert 0.0 <= t.score <= 1.0


def test_disorder_types(typer):
    assert typer.disorder_type("Battles") == "Political violence"
    assert typer.disorder_type("Explosions/Remote violence") == "Political violence"
    assert typer.disorder_type("Violence against civilians") == "Political violence"
    assert typer.disorder_type("Protests") == "Demonstrations"
    assert typer.disorder_type("Riots") == "Demonstrations"
    assert typer.disorder_type("Strategic developments") == "Strategic developments"
    assert typer.disorder_type("Protests", "Excessive force against protesters") == \
        "Political violence; Demonstrations"
    with pytest.raises(KeyError):
        typer.disorder_type("Parades")


def test_taxonomy_is_complete(typer):
    assert len(typer.event_types) == 6
    subs = typer.sub_event_types()
    assert len(subs) == 25 and len(set(subs)) == 25
    for et in typer.event_types:
        assert typer.definition(et)
        for sub in typer.sub_event_types(et):
            assert typer.definition(et, sub)


def test_example_article(typer, nlp, example_article):
    text = example_article["text"]
    doc = nlp(text)
    ts = typer.find(doc)
    good = [t for t in ts if t.score >= MIN_SCORE]

    def sent_of(needle):
        i = text.index(needle)
        return [t for t in good if t.sent.start_char <= i < t.sent.end_char]

    # the Jassim operation (first sentences)
    first = [t for t in good if t.sent.start_char < text.index("The clashes left")+20]
    assert any((t.event_type, t.sub_event_type) == ("Battles", "Armed clash") for t in first)
    # the Russian-Syrian special operation leaving 20 militants dead
    assert any(t.event_type == "Battles" for t in sent_of("special operation in Jassim, leaving"))
    # the bus bombing
    assert any(t.sub_event_type == "Remote explosive/landmine/IED" for t in sent_of("terrorist bombing"))
    # the threat to storm the city: nothing
    assert not sent_of("would storm the city")
    # the 2018 storming: low score only
    i2018 = text.index("in 2018")
    assert not [t for t in good if t.sent.start_char <= i2018 < t.sent.end_char]


@pytest.mark.parametrize("sentence, word", [
    ("Army units launched a raid on the village to eliminate the gunmen hiding there.", "eliminate"),
    ("The militia sent fighters to storm the checkpoint.", "storm"),
])
def test_purpose_clause_is_an_aim_not_an_event(nlp, sentence, word):
    triggers = [t for t in EventTyper().find(nlp(sentence)) if t.text == word]
    assert triggers and all(t.score < MIN_SCORE and "intent" in t.flags for t in triggers)


def test_deed_someone_is_accused_of_is_told_elsewhere(nlp):
    doc = nlp("Police arrested two men suspected of involvement in bombing a market in the town.")
    bombing = [t for t in EventTyper().find(doc) if t.text == "bombing"]
    assert all(t.score < MIN_SCORE for t in bombing)


def test_the_month_may_is_not_a_modal(nlp):
    doc = nlp("On 3 May 2020, gunmen shot dead a soldier at a checkpoint near the town.")
    shots = [t for t in EventTyper().find(doc) if t.text.startswith("shot")]
    assert shots and shots[0].score >= MIN_SCORE and "hypothetical" not in shots[0].flags


def test_armed_actors_found_by_another_stage_count_as_armed(nlp):
    doc = nlp("Clashes took place among the Zarqa Lions in the town.")
    typer = EventTyper()
    [alone] = [t for t in typer.find(doc) if t.text == "Clashes"]
    [helped] = [t for t in typer.find(doc, armed=[(5, 7)]) if t.text == "Clashes"]
    assert doc[5:7].text == "Zarqa Lions"
    assert helped.score > alone.score and helped.score >= MIN_SCORE


@pytest.mark.parametrize("sentence", [
    "An army sniper killed a militant on the frontline near the village.",
    "The two sides exchanged medium and heavy machine gun fire near the checkpoint.",
    "A fighter of the militia was found shot near the road to the town.",
])
def test_deaths_and_fire_between_armed_sides_are_battles(nlp, sentence):
    found = [t for t in EventTyper().find(nlp(sentence)) if t.score >= MIN_SCORE]
    assert found and found[0].event_type == "Battles", [(t.text, t.score) for t in EventTyper().find(nlp(sentence))]


# --- detection rules added for issue #5 (sentences written for these tests) ---------------------

@pytest.mark.parametrize("sentence", [
    # a fronted date ("On 5 June 2021, ...") is not the target: the object is
    "On 5 June 2021, a sniper killed two militia fighters near the dam.",
    # a trigger that is itself a "foiled/thwarted" word is not made hypothetical by itself
    "Rebel fighters thwarted an attack by government forces on the hilltop.",
    # whose body was found decides the type; an armed victim makes a battle
    "The body of a militia commander was found with gunshot wounds near the river.",
    "On 2 May 2021, the decomposed body of a rebel fighter was found beside the old road.",
    # named infighting, infiltration and armed disputes
    "Infighting broke out between two rebel factions in the market town.",
    "Militia fighters tried to infiltrate army positions on the eastern front.",
    "Two clans got into an armed dispute over grazing land that left one man dead.",
    # fire opened, shots fired, sniping and a tank destroyed
    "Gunmen opened small arms fire at an army vehicle on the highway.",
    "Border guards fired shots towards rebel positions across the river.",
    "A rebel sniper sniped a soldier near the frontline.",
    "An officer of the militia shot and wounded a soldier at the checkpoint.",
    "Rebel fighters destroyed an army tank on the southern front.",
    # an armed group's operation against smugglers; clashes with heavy weapons or deaths
    "The rebel group carried out an operation against smugglers near the border crossing.",
    "Clashes took place on the frontline amid an exchange of shelling between both sides.",
    "Clashes between two families in the village resulted in the death of a man.",
])
def test_armed_interactions_are_battles(nlp, sentence):
    found = [t for t in EventTyper().find(nlp(sentence)) if t.score >= MIN_SCORE]
    assert found, [(t.text, t.score, t.flags) for t in EventTyper().find(nlp(sentence))]
    top = max(found, key=lambda t: t.score)
    assert top.event_type == "Battles", (top.text, top.sub_event_type, top.flags)
    assert "hypothetical" not in top.flags


def test_foiled_bomb_plot_stays_disrupted_weapons_use(typer, nlp):
    b = best(typer, nlp, "Police foiled a bomb attack on a church by militants.")
    assert b is not None and b.sub_event_type == "Disrupted weapons use"


def test_body_of_civilians_found_is_an_attack(typer, nlp):
    doc = nlp("The bodies of two farmers were found with gunshot wounds near the village, and residents "
              "blamed the militia.")
    bodies = [t for t in typer.find(doc) if t.text.startswith("bodies")]
    assert bodies and bodies[0].score >= MIN_SCORE
    assert (bodies[0].event_type, bodies[0].sub_event_type) == ("Violence against civilians", "Attack")


@pytest.mark.parametrize("sentence, word", [
    # beside the raid, the bodies found are its victims, not another event
    ("The bodies of two farmers were found with gunshot wounds after gunmen raided the village.", "bodies"),
    # the advance is part of the takeover
    ("Government troops captured the village of Tal Zaid and advanced on the next hill.", "advanced on"),
    # a later death adds to the attack's toll
    ("Gunmen shot a soldier at the checkpoint on Monday; he succumbed to his wounds on Wednesday.", "succumbed"),
])
def test_secondary_mentions_yield_to_the_main_violence(typer, nlp, sentence, word):
    ts = typer.find(nlp(sentence))
    sec = [t for t in ts if t.text.startswith(word)]
    assert sec and all(t.score < MIN_SCORE and "secondary" in t.flags for t in sec), [(t.text, t.score) for t in ts]
    assert any(t.score >= MIN_SCORE for t in ts)


@pytest.mark.parametrize("sentence", [
    "The body of a woman was found in a canal near the market.",       # no armed actor: crime news
    "The two militias swapped the bodies of fighters at the crossing.",  # an exchange, not a killing
])
def test_bodies_without_a_killing_are_not_killings(typer, nlp, sentence):
    bodies = [t for t in typer.find(nlp(sentence)) if t.text.lower().startswith("bod") and t.score >= MIN_SCORE]
    assert not bodies


@pytest.mark.parametrize("sentence, sub", [
    # the tagger may read a village name as a person's; fighting in the sentence says it is a place
    ("Government troops captured Tal Hamid in the western countryside after clashes with the rebels.",
     "Government regains territory"),
    # the subject's head decides when state forces are "backed by" militias
    ("Government forces, backed by allied militias, seized Kafr Nur after heavy clashes with the rebels.",
     "Government regains territory"),
    ("Pro-government militias captured the hill after clashes with the rebels.", "Government regains territory"),
    ("Rebels backed by Turkish forces captured the village after clashes with government troops.",
     "Non-state actor overtakes territory"),
])
def test_captured_places_and_who_took_them(typer, nlp, sentence, sub):
    caps = [t for t in typer.find(nlp(sentence)) if t.cls == "capture" and t.score >= MIN_SCORE]
    assert caps and caps[0].sub_event_type == sub, [(t.text, t.sub_event_type) for t in caps]


def test_armed_group_members_arrested_over_a_crime_is_an_event(typer, nlp):
    found = [t for t in typer.find(nlp("The militia arrested several members of a rival brigade over corruption."))
             if t.score >= MIN_SCORE]
    assert found
    # ... while a plain crime arrest is still no event (see NON_EVENTS)


def test_protest_over_a_death_stays_peaceful(typer, nlp):
    b = best(typer, nlp, "Hundreds of students marched peacefully to protest the death of a classmate.")
    assert b is not None and b.sub_event_type == "Peaceful protest"


def test_raid_to_arrest_is_the_arrest(typer, nlp):
    b = best(typer, nlp, "Police arrested four opposition activists in a raid on a house in the capital.")
    assert b is not None and b.sub_event_type == "Arrests"


def test_weapon_named_beside_the_attack_does_not_retype_it(typer, nlp):
    b = best(typer, nlp, "Army troops targeted rebel positions near the village of Kafr Zaid with machine guns.")
    assert b is not None and (b.event_type, b.sub_event_type) == ("Battles", "Armed clash")


# ---- news-report style: pronoun subjects, civilians by occupation, passive agents, car bombs,
# ---- killings with no perpetrator named

@pytest.mark.parametrize("sentence, event_type, sub", [
    # a pronoun subject stands for the reporter above it: both sides armed
    ("The army said it killed 12 militants near Mosul on Monday.", "Battles", "Armed clash"),
    ("Government forces said they had killed 20 rebels in the hills east of the city.", "Battles", "Armed clash"),
    # a relative pronoun stands for its noun
    ("Villagers said they saw army units who killed five insurgents near the dam on Sunday.",
     "Battles", "Armed clash"),
    # people named by an occupation or an activity are civilians
    ("Islamic State militants killed 46 truffle hunters in the desert near Palmyra on Friday, state media said.",
     "Violence against civilians", "Attack"),
    ("Gunmen killed seven olive pickers in an orchard outside the town on Wednesday.",
     "Violence against civilians", "Attack"),
    ("Unidentified attackers shot dead three scrap collectors on the road to the city.",
     "Violence against civilians", "Attack"),
    # a clausal passive subject and a "by" agent
    ("SANA said 46 people gathering truffles were killed by IS near Tadmur on Friday.",
     "Violence against civilians", "Attack"),
    # a vehicle or device that blows up, explodes or goes off is a car bomb
    ("Hospital sources in Kamishli said five people were killed and 14 wounded when an explosive-laden "
     "vehicle blew up.", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("A motorcycle blew up near the bakery in the old town, wounding six people.",
     "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("A minibus rigged with explosives went off at the crossroads, killing four passengers.",
     "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    # ... and a suicide bomb when a suicide bomber drives it
    ("A suicide bomber drove an explosives-laden truck into the checkpoint, killing nine soldiers.",
     "Explosions/Remote violence", "Suicide bomb"),
    # civilians killed with no perpetrator named, in a report quoting a conflict monitor
    ("At least 53 people were killed while harvesting truffles near Palmyra, according to SOHR.",
     "Violence against civilians", "Attack"),
    ("Four farmers were killed in the countryside of Hama on Tuesday, a war monitor said.",
     "Violence against civilians", "Attack"),
])
def test_news_report_sentences(typer, nlp, sentence, event_type, sub):
    b = best(typer, nlp, sentence)
    assert b is not None, [(t.text, t.event_type, t.score) for t in typer.find(nlp(sentence))]
    assert (b.event_type, b.sub_event_type) == (event_type, sub), (b.text, b.event_type, b.sub_event_type)


@pytest.mark.parametrize("sentence", [
    # no conflict in the report: who killed them is a matter for the police pages
    "Three people were killed near the lake on Friday, relatives said.",
    # an accident, even when a monitor reports it
    "At least 53 people were killed when a bus overturned near Palmyra, according to SOHR.",
    "A fuel tanker exploded on the highway after a collision, killing the driver.",
])
def test_deaths_without_a_conflict_actor_are_not_events(typer, nlp, sentence):
    assert best(typer, nlp, sentence) is None, [(t.text, t.score) for t in typer.find(nlp(sentence))]


def test_unattributed_killing_yields_to_the_violence_reported_beside_it(typer, nlp):
    doc = nlp("Fighting between the army and the rebels killed ten fighters near the dam. "
              "Four people were killed near the market, the Syrian Observatory said.")
    ts = typer.find(doc)
    loose = [t for t in ts if "unattributed" in t.flags]
    assert loose and all(t.score < MIN_SCORE for t in loose), [(t.text, t.score, t.flags) for t in ts]
    assert any(t.score >= MIN_SCORE and t.event_type == "Battles" for t in ts)


def test_blowing_up_a_thing_needs_victims(typer, nlp):
    ts = typer.find(nlp("The rebels blew up the old railway bridge over the river."))
    assert all(t.score < MIN_SCORE for t in ts if t.text.startswith("blew")), [(t.text, t.score) for t in ts]


def test_matcher_ids_match_pattern_docs(nlp):
    """The lexicon matcher adds phrases as LOWER ids: the same matches as pattern Docs give."""
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    from eventcoder.extract.typing import _compile, _LexiconMatcher

    pats = [_compile("a", "explosive-laden car|vehicle"), _compile("b", "exchange|exchanged * fire")]
    ours = _LexiconMatcher(pats, nlp.vocab)
    ref = PhraseMatcher(nlp.vocab, attr="LOWER")
    for pid, pat in enumerate(pats):
        for k, seg in enumerate(pat.segments):
            ref.add(f"{pid}:{k}", [Doc(nlp.vocab, words=list(t)) for t in seg])
    doc = nlp("An Explosive-Laden car blew up as both sides Exchanged heavy fire near the vehicle.")
    assert sorted(ours.matcher(doc)) == sorted(ref(doc))
    assert {name for name, *_ in ours(doc)} == {"a", "b"}


def test_able_to_recapture_is_done_and_not_able_is_negated(typer, nlp):
    b = best(typer, nlp, "Government troops were able to recapture the town from the rebels on Friday.")
    assert b is not None and b.sub_event_type == "Government regains territory"
    ts = typer.find(nlp("Government troops advanced, but they were not able to take control of the hill."))
    caps = [t for t in ts if t.cls == "capture"]
    assert caps and all(t.score < MIN_SCORE and "negated" in t.flags for t in caps)


def test_opening_fire_on_a_headquarters_is_no_new_base(typer, nlp):
    b = best(typer, nlp, "Gunmen opened fire on the police headquarters in the town, wounding two officers.")
    assert b is not None and b.event_type == "Battles"
    b = best(typer, nlp, "The army opened a new base near the border crossing.")
    assert b is not None and b.sub_event_type == "Headquarters or base established"


NEWS_TYPES = [
    # unarmed people clashing are rioters, not armed groups
    ("One man died when supporters of two rival parties clashed in the market town on Sunday.",
     "Riots", "Mob violence"),
    ("Riot police clashed with striking factory workers at the gates on Monday.",
     "Riots", "Violent demonstration"),
    # heavy weapons fired together with small arms: an exchange of fire, an armed clash
    ("Government forces fired mortars, heavy machine guns and small arms at militia positions near the farm.",
     "Battles", "Armed clash"),
    # police killing a wanted man in a raid: violence against a civilian
    ("A suspected drug peddler was killed during a police raid on a house in the suburb on Friday.",
     "Violence against civilians", "Attack"),
    # the attackers of "an attack by X" are not its target
    ("A village councillor was wounded in an attack by unidentified gunmen on the coastal road.",
     "Violence against civilians", "Attack"),
]


@pytest.mark.parametrize("text,event_type,sub_event_type", NEWS_TYPES)
def test_news_types(typer, nlp, text, event_type, sub_event_type):
    b = best(typer, nlp, text)
    assert b is not None, text
    assert (b.event_type, b.sub_event_type) == (event_type, sub_event_type), (text, b)


@pytest.mark.parametrize("text", [
    "A cargo ship docked at the island's port carrying tanks, armoured vehicles and heavy weapons.",
    "Police fired water cannon at the marchers outside the assembly.",
    "The alliance fighting in the north has received new funding from abroad.",
    "The rebels still control most of the forested valley.",
    "Rival clans have frequently clashed over grazing land in the district.",
])
def test_descriptions_and_equipment_are_no_incidents(typer, nlp, text):
    assert all(t.event_type not in ("Battles", "Explosions/Remote violence") or t.score < MIN_SCORE
               for t in typer.find(nlp(text))), text
