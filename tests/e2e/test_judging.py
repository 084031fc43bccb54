"""judging.judge can tell good from wrong from unhelpful (no servers needed)."""

from assistant import factbase
from assistant.replies import messages
from judging import judge


def test_the_verdicts():
    kb = factbase.current()
    fact = kb.facts["echa_staff"].text["en"]
    ended = kb.facts["st_petersburg_partner"]
    asked = {"expect": "facts", "facts": ["echa_staff"]}
    assert judge(kb, asked, fact, "en") == "good"
    assert judge(kb, asked, kb.facts["echa_staff"].text["fi"], "en") == "unhelpful"  # another language
    assert judge(kb, asked, messages()["did_you_mean"]["en"], "en") == "unhelpful"
    assert judge(kb, asked, fact + " " + ended.text["en"], "en") == "wrong"  # an ended fact as if it held
    assert judge(kb, {**asked, "not": ["echa_since"]}, fact + kb.facts["echa_since"].text["en"], "en") == "wrong"
    history = {"expect": "facts", "facts": ["st_petersburg_partner"]}
    assert judge(kb, history, ended.ended.history["en"], "en") == "good"
    gap = {"expect": "gap"}
    assert judge(kb, gap, messages()["out_of_scope"]["en"], "en") == "good"
    assert judge(kb, gap, messages()["not_stated_staff"]["en"].format(subject="UCUE"), "en") == "good"
    assert judge(kb, gap, fact, "en") == "wrong"  # the nearest fact instead of "the sources do not say"
    assert judge(kb, gap, messages()["did_you_mean"]["en"], "en") == "unhelpful"
