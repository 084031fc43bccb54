"""judging.judge can tell good from wrong from unhelpful (no servers needed)."""

from assistant.answering.render import messages
from assistant.knowledge import factbase
from tests.e2e.judging import judge

WHERE_TO_LOOK = messages()["where_to_look"]["en"].format(
    website="https://www.hel.fi", feedback="https://palautteet.hel.fi"
)


def lead(key):
    return messages()[f"lead_{key}"]["en"]


def test_the_verdicts_of_a_question_the_facts_answer():
    kb = factbase.current()
    staff, since, move, task = (kb.facts[f].text["en"] for f in ("echa_staff", "echa_since", "echa_move", "echa_task"))
    ended = kb.facts["st_petersburg_partner"]
    asked = {"expect": "facts", "facts": ["echa_staff"]}
    assert judge(kb, asked, staff, "en") == "good"
    assert judge(kb, asked, kb.facts["echa_staff"].text["fi"], "en") == "unhelpful"  # another language
    assert judge(kb, asked, f"{since} {move} {staff}", "en") == "unhelpful"  # not among the first two facts told
    assert judge(kb, asked, f"{staff} {since} {move} {task}", "en") == "unhelpful"  # more than three facts
    assert judge(kb, asked, f"{staff} {ended.text['en']}", "en") == "wrong"  # an ended fact as if it held
    assert judge(kb, {**asked, "not": ["echa_since"]}, f"{staff} {since}", "en") == "wrong"
    gap = f"ECHA: {messages()['gap_how_many']['en']}\n\n{WHERE_TO_LOOK}"
    assert judge(kb, asked, gap, "en") == "wrong"  # a gap claimed where a fact answers
    assert judge(kb, {"expect": "facts", "any": ["echa_move", "echa_staff"]}, staff, "en") == "good"


def test_the_lead_of_a_yes_or_no_question():
    kb = factbase.current()
    ended = kb.facts["st_petersburg_partner"]
    history = ended.ended.history["en"]
    still = {"expect": "facts", "facts": ["st_petersburg_partner"], "lead": "no_longer"}
    assert judge(kb, still, f"{lead('no_longer')} {history}", "en") == "good"
    assert judge(kb, still, history, "en") == "unhelpful"  # the answer, but not leading with it
    assert judge(kb, still, f"{lead('yes')} {history}", "en") == "wrong"  # a false premise let stand
    yes = {"expect": "facts", "facts": ["ucue"], "lead": True}  # YAML's unquoted yes
    assert judge(kb, yes, f"{lead('yes')} {kb.facts['ucue'].text['en']}", "en") == "good"
    premise = {"expect": "facts", "facts": ["kyiv_not_twin_city"], "premise": False}
    assert judge(kb, premise, f"{lead('yes')} {kb.facts['kyiv_not_twin_city'].text['en']}", "en") == "wrong"


def test_the_verdicts_of_a_question_the_sources_do_not_answer():
    kb = factbase.current()
    gap = {"expect": "gap", "kind": "how_many", "subject": "echa"}
    said = f"ECHA: {messages()['gap_how_many']['en']}"
    assert judge(kb, gap, f"{said}\n\n{WHERE_TO_LOOK}", "en") == "good"
    assert judge(kb, gap, said, "en") == "unhelpful"  # without where to look
    assert judge(kb, gap, f"ECHA: {messages()['gap_when']['en']}\n\n{WHERE_TO_LOOK}", "en") == "unhelpful"  # wrong kind
    assert judge(kb, gap, f"UCUE: {messages()['gap_how_many']['en']}\n\n{WHERE_TO_LOOK}", "en") == "unhelpful"
    assert judge(kb, gap, kb.facts["echa_staff"].text["en"], "en") == "unhelpful"  # the nearest fact instead
    any_kind = {"expect": "gap", "kind": "other"}
    assert judge(kb, any_kind, f"{messages()['gap_any']['en']}\n\n{WHERE_TO_LOOK}", "en") == "good"


def test_small_talk_and_other_languages():
    kb = factbase.current()
    assert judge(kb, {"expect": "close"}, messages()["goodbye"]["sv"], "sv") == "good"
    assert judge(kb, {"expect": "close"}, messages()["greet"]["sv"], "sv") == "unhelpful"
    assert judge(kb, {"expect": "greeting"}, messages()["capabilities"]["fi"], "fi") == "good"
    other = {"expect": "languages", "reply_lang": "en"}
    assert judge(kb, other, messages()["languages"]["en"], "fi") == "good"
    assert judge(kb, other, messages()["gap_any"]["fi"], "fi") == "unhelpful"
