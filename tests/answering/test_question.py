"""A message read as its questions: names, own words, two questions in one."""


def test_two_questions_in_one_message_are_read_apart_and_the_second_takes_the_first_ones_name(read):
    first, second = read("where is echa and how many people work there?")
    assert (first.kind, first.named) == ("where", ("echa",))
    assert (second.kind, second.named) == ("how_many", ("echa",))


def test_a_question_mark_ends_a_question(read):
    parts = read("mikä on ECHA? milloin se tuli helsinkiin")
    assert [p.kind for p in parts] == ["what", "when"]


def test_a_part_that_asks_nothing_is_no_question(read):
    parts = read("ok. förberedde sig staden på att ta emot flyktingar")
    assert len(parts) == 1 and parts[0].asked.polar


def test_the_citys_own_name_names_no_subject_and_is_no_word_of_the_question(read):
    (asked,) = read("onko helsingillä ystävyyskaupunkeja")
    assert asked.named == () and asked.city_named
    assert all("helsing" not in word for word in asked.words)


def test_a_place_the_fact_base_lacks_is_named_as_written(read):
    (asked,) = read("is oslo a partner city")
    assert asked.places == ("Oslo",) and asked.named == ()


def test_names_and_question_words_are_no_words_of_the_question(read):
    (asked,) = read("when did kyiv become helsinki's twin city?")
    assert asked.named == ("kyiv",)
    assert "twin" in asked.words and "when" not in asked.words and "kyiv" not in asked.words
