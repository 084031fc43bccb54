"""The conversation's state, kept in Rasa's slots between turns."""

from assistant.answering.state import State
from tests.helpers import edited


def test_the_state_goes_through_the_slots_unchanged(domain):
    state = State("fi", "echa", "echa", ("echa", "echa_since"), "since", ("tuli",), True, False, ("echa_staff",))
    slots = state.to_slots()
    assert set(slots) == set(State.SLOTS) <= set(domain["slots"])
    assert State.from_slots(slots) == state


def test_an_empty_conversation(domain):
    assert State.from_slots({name: None for name in domain["slots"]}) == State()


def test_what_an_edit_removed_is_forgotten(fact_edits, tmp_path):
    def drop_the_move(data):
        data["facts"] = [f for f in data["facts"] if f["id"] != "echa_move"]

    kb = edited(tmp_path, fact_edits.remove_kotka, drop_the_move)
    state = State("en", "kotka", "helsinki_centre", ("echa_move", "echa"), unasked=("echa_move",))
    assert state.known(kb) == State("en", None, "helsinki_centre", ("echa",))
