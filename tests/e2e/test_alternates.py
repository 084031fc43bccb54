"""No alternate question of any fact, in any language, asked of the running servers as a resident's first
message, gets "my sources don't say": the sources answer each of them (issue 23)."""

import pytest

from assistant.knowledge import factbase
from assistant.knowledge.facts import LANGUAGES
from tests.e2e.judging import gap_kinds
from tests.helpers import text_of


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_alternate_question_gets_a_gap(servers, lang):
    kb = factbase.current()
    asked = [(f.id, q) for f in kb.facts.values() for q in f.questions.get(lang, ())]
    assert len(asked) >= 3 * len(kb.facts)
    gaps = [
        (fact_id, text)
        for n, (fact_id, text) in enumerate(asked)
        if gap_kinds(text_of(servers.ask(f"alternate-{lang}-{n}", text)), lang)
    ]
    assert gaps == []
