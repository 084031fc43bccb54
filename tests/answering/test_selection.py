"""The selection of the facts that answer what was asked, in the conversation it was asked in: each
mechanism in fi, sv and en, through the NLU components that need no training (DIET's intent given
where it matters)."""

import pytest

from assistant.answering.selection import MAX_FACTS


def answer(plan, n=0):
    return plan.answers[n]


def by_language(**texts):
    """Parametrizes a test over the three languages' messages (a list of turns each)."""
    return pytest.mark.parametrize("lang, turns", list(texts.items()), ids=list(texts))


@by_language(
    fi=["onko helsinki UCUE:n jäsen"], sv=["är helsingfors medlem i ucue"], en=["is helsinki a member of ucue"]
)
def test_a_yes_or_no_question_of_a_fact_that_holds_opens_with_yes(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert (answer(plan).lead, answer(plan).facts[0]) == ("yes", "ucue")


@by_language(
    fi=["onko helsingillä ystävyyskaupunkeja"],
    sv=["har helsingfors vänskapsstäder"],
    en=["does helsinki have twin cities"],
)
def test_a_yes_or_no_question_of_a_fact_that_says_no_opens_with_no(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert (answer(plan).lead, answer(plan).facts[0]) == ("no", "no_twin_cities")


@by_language(
    fi=["onko pietari vielä kumppani"],
    sv=["är s:t petersburg fortfarande en partner"],
    en=["is st petersburg still a partner"],
)
def test_still_of_an_ended_fact_opens_with_no_longer(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert (answer(plan).lead, answer(plan).facts[0]) == ("no_longer", "st_petersburg_partner")


@by_language(
    fi=["onks tallinna viel kumppani"], sv=["är tallinn fortfarande partner"], en=["tallinn still a partner city?"]
)
def test_still_of_a_partner_that_holds_is_yes_and_not_another_citys_end(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert answer(plan).lead == "yes"
    assert answer(plan).facts[0] in ("main_partners", "tallinn_agreement")
    assert "st_petersburg_partner" not in answer(plan).facts


@by_language(
    fi=["onko helsinki lopettanut yhteistyön tukholman kanssa"],
    sv=["slutade helsingfors samarbeta med stockholm"],
    en=["did helsinki stop working with stockholm"],
)
def test_has_it_ended_of_a_partner_that_holds_tells_no_other_citys_end(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert answer(plan).lead != "yes" and not {"st_petersburg_partner", "moscow_partnership"} & set(answer(plan).facts)


@by_language(
    fi=["onko helsinki-keskus vielä auki"],
    sv=["är helsingforscentret fortfarande öppet"],
    en=["is the helsinki centre still open"],
)
def test_still_of_something_that_has_ended_is_no_longer_whichever_of_its_facts_tells_it(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert answer(plan).lead == "no_longer"
    assert set(answer(plan).facts) & {"helsinki_centre", "helsinki_centre_closed"}


@by_language(
    fi=["mikä on ECHA", "missä se on?"], sv=["vad är ECHA", "var ligger den?"], en=["what is ECHA", "where is it?"]
)
def test_where_is_it_is_read_of_the_conversations_subject(converse, lang, turns):
    _, (plan, _) = converse(turns, lang)
    assert answer(plan).facts[0] == "echa_move"


@by_language(
    fi=["onko moskova vielä helsingin kumppani", "miksi?"],
    sv=["är moskva fortfarande en partner", "varför?"],
    en=["is moscow still a partner", "why?"],
)
def test_why_of_an_ended_partnership_tells_it_and_why(converse, lang, turns):
    _, (plan, reply) = converse(turns, lang)
    assert answer(plan).facts[0] == "moscow_partnership"
    assert answer(plan).gap is None


@by_language(
    fi=["onko helsinki eurocitiesin johtokunnassa", "entä vieläkin?"],
    sv=["sitter helsingfors i eurocities verkställande kommitté", "fortfarande?"],
    en=["is helsinki on the eurocities executive committee", "still?"],
)
def test_is_it_still_asks_again_of_the_fact_just_given(converse, lang, turns):
    (first, _), (plan, _) = converse(turns, lang)
    assert answer(first).facts[0] == "eurocities_executive_committee_seat"
    assert (answer(plan).lead, answer(plan).facts[0]) == ("no_longer", "eurocities_executive_committee_seat")


@by_language(
    fi=["onko pietari vielä kumppani", "entä moskova?"],
    sv=["är s:t petersburg fortfarande en partner", "och moskva?"],
    en=["is st petersburg still a partner", "and moscow?"],
)
def test_and_x_asks_the_last_question_of_x(converse, lang, turns):
    _, (plan, _) = converse(turns, lang)
    assert (answer(plan).lead, answer(plan).facts[0]) == ("no_longer", "moscow_partnership")


@by_language(
    fi=["paljonko EU-toimiston vuosibudjetti on"],
    sv=["hur stor är eu-byråns årliga budget"],
    en=["what is the annual budget of the eu office"],
)
def test_a_kind_of_question_no_fact_about_its_subject_answers_is_a_gap_of_that_kind(converse, lang, turns):
    ((plan, reply),) = converse(turns, lang)
    assert answer(plan).gap.kind == "how_much" and answer(plan).gap.subject == "eu_office"
    assert plan.unanswered == "gap"


@by_language(
    fi=["montako asukasta pekingissä on"], sv=["hur många invånare har peking"], en=["how many people live in beijing"]
)
def test_how_many_of_a_subject_with_no_count_is_a_gap(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert (answer(plan).gap.kind, answer(plan).gap.subject) == ("how_many", "beijing")


@by_language(
    fi=["mikä on helsinki-keskus", "kuka sitä pyöritti?"],
    sv=["vad var helsingforscentret", "vem drev det?"],
    en=["what was the helsinki centre", "who ran it?"],
)
def test_who_ran_it_is_answered_by_the_fact_that_names_the_company(converse, lang, turns):
    _, (plan, _) = converse(turns, lang)
    assert answer(plan).facts[0] == "helsinki_centre_closed"


@by_language(fi=["mikä on ECHAn katuosoite"], sv=["vilken gatuadress har ECHA"], en=["what is ECHA's street address"])
def test_an_address_the_sources_give_is_no_gap(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert answer(plan).facts[0] == "echa_move"


@by_language(fi=["kuka johtaa eurocitiesia"], sv=["vem leder eurocities"], en=["who leads eurocities"])
def test_who_leads_is_answered_by_who_leads(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert answer(plan).facts[0] == "eurocities_executive_committee"


@by_language(
    fi=["tuleeko ensi kesänä taas leirejä dniprolaisille"],
    sv=["blir det läger för barn från dnipro nästa år"],
    en=["will there be camps for dnipro kids next year"],
)
def test_what_is_yet_to_come_is_a_gap(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert answer(plan).gap is not None and answer(plan).gap.subject == "dnipro"


@by_language(
    fi=["missä echa on ja montako ihmistä siellä on töissä"],
    sv=["var ligger echa och hur många jobbar där"],
    en=["where is echa and how many people work there"],
)
def test_two_questions_in_one_message_each_get_their_answer(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert [a.facts[0] for a in plan.answers] == ["echa_move", "echa_staff"]


@by_language(
    fi=["kerro helsinki-keskuksesta"], sv=["berätta om helsingforscentret"], en=["tell me about the helsinki centre"]
)
def test_an_answer_tells_at_most_three_facts_and_offers_the_rest(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert len(answer(plan).facts) <= MAX_FACTS
    assert answer(plan).facts[0] == "helsinki_centre"  # what it was, first: the fact base's order
    assert plan.more == "helsinki_centre" and plan.state.unasked


@by_language(
    fi=["milloin kiovasta tuli helsingin ystävyyskaupunki"],
    sv=["när blev kiev helsingfors vänort"],
    en=["when did kyiv become helsinki's twin city"],
)
def test_a_false_premise_is_corrected_first(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert answer(plan).facts[0] == "kyiv_not_twin_city"


@by_language(
    fi=["onko oslo helsingin kumppanikaupunki"],
    sv=["är oslo en partnerstad till helsingfors"],
    en=["is oslo a partner city of helsinki"],
)
def test_a_place_the_sources_do_not_name_is_no_partner(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert answer(plan).lead == "no" and answer(plan).unnamed == ("Oslo",)


@by_language(fi=["millainen sää on huomenna"], sv=["hur blir vädret imorgon"], en=["what's the weather like tomorrow"])
def test_what_the_sources_do_not_speak_of_is_a_gap(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert answer(plan).gap is not None and not answer(plan).facts


@by_language(fi=[("kiitos", "thank")], sv=["tack hej"], en=[("cheers bye", "goodbye")])
def test_thanks_and_goodbye(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert plan.say in ("thank", "goodbye")


@by_language(
    fi=[("mitkä ovat helsingin kumppanikaupungit", "ask_partners"), ("mitkä te olette sitten lopettaneet?", "goodbye")],
    sv=[("vilka samarbetsstäder har helsingfors", "ask_partners"), ("vilka har ni slutat med då?", "goodbye")],
    en=[("which partner cities does helsinki have", "ask_partners"), ("which ones have you stopped then?", "goodbye")],
)
def test_a_question_is_never_answered_with_goodbye(converse, lang, turns):
    _, (plan, _) = converse(turns, lang)
    assert plan.say is None
    assert set(answer(plan).facts) & {"st_petersburg_partner", "moscow_partnership"}


@pytest.mark.parametrize("text", ["ok", "okei", "okej bra"])
def test_ok_keeps_the_conversation_going(converse, text):
    ((plan, _),) = converse(["mikä on echa", text])[1:]
    assert plan.say == "acknowledged" and plan.state.subject == "echa"


@pytest.mark.parametrize("intent, fact", [("ask_echa", "echa"), ("ask_focus_areas", "focus_areas")])
def test_a_topic_button_gets_the_topics_first_facts(converse, intent, fact):
    ((plan, _),) = converse([("", intent)], "en")
    assert answer(plan).facts[0] == fact


@by_language(
    fi=[("mitä apua helsinki on antanut ukrainalle", "ask_capabilities")],
    sv=[("hur stöder helsingfors ukraina", "ask_eu_office")],
    en=[("helsinki aid to ukraine", "nlu_fallback")],
)
def test_a_topic_reached_by_its_subject_is_found_whatever_intent_diet_gave(converse, lang, turns):
    # Ukraine has no intent (its topic is `by_subject`): DIET's guess, wrong here as the model gave it,
    # must not lead the answer away from the facts about Ukraine.
    ((plan, _),) = converse(turns, lang)
    assert answer(plan).facts[0] == "ukraine_humanitarian_aid"


@by_language(fi=["onks nää tiedot ajan tasalla"], sv=["hur färska är dina uppgifter"], en=["where r your sources from"])
def test_asking_how_old_the_information_is_gets_the_sources(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert plan.say == "about_sources"


@by_language(
    fi=["mikä on echa", "milloin se lähti helsinkiin"],
    sv=["vad är echa", "hur gammal är den"],
    en=["what is echa", "how old is it"],
)
def test_a_question_of_the_conversations_subject_is_no_question_of_the_sources(converse, lang, turns):
    _, (plan, _) = converse(turns, lang)
    assert plan.say is None and plan.state.subject == "echa"


@by_language(
    fi=["moi! onks moskova kumppani"], sv=["Hej! Är Moskva en samarbetsstad?"], en=["hello! is moscow a partner city"]
)
def test_a_greeting_in_the_same_message_leaves_the_question_its_lead(converse, lang, turns):
    ((plan, _),) = converse(turns, lang)
    assert (answer(plan).lead, answer(plan).facts[0]) == ("no_longer", "moscow_partnership")


@by_language(
    fi=["milloin eurocities perustettiin", "onko helsinki ollut mukana siitä asti"],
    sv=["när grundades eurocities", "har helsingfors varit med sedan dess"],
    en=["eurocities founded when", "was helsinki a member since then"],
)
def test_since_then_of_a_later_start_is_no_with_the_start(converse, lang, turns):
    _, (plan, _) = converse(turns, lang)
    assert (answer(plan).lead, answer(plan).facts[0]) == ("no", "eurocities_since")


@pytest.mark.parametrize(
    "text, lead",
    [
        ("onko echa ollut helsingissä 2001 lähtien", "no"),
        ("har echa funnits i helsingfors sedan 2010", "yes"),
        ("is echa here since 2003", "no"),
    ],
)
def test_since_a_year_is_yes_only_from_the_facts_start_on(converse, text, lead):
    ((plan, _),) = converse([text])
    assert (answer(plan).lead, answer(plan).facts[0]) == (lead, "echa_since")


def test_the_conversation_keeps_what_it_is_about(converse):
    ((plan, _),) = converse(["how many people work at echa"], "en")
    assert (plan.state.subject, plan.state.topic, plan.state.kind) == ("echa", "echa", "how_many")
    assert plan.state.facts == answer(plan).facts
