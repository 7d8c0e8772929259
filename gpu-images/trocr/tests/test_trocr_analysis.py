"""The analysis against the target letter: match, confidence and advice in French."""
import pytest

from trocr_service.analysis import Reading, analyze, clean_text


def read(text, confidence=0.9, above=0, below=0):
    return Reading(text, confidence, (0, 0, 10, 10), above, below)


def test_the_right_letter_is_a_match_with_praise():
    result = analyze("a", [read("a", 0.94)])
    assert result == {"target": "a", "recognized": "a", "match": True, "confidence": 0.94, "advice": "Bravo, c'est bien un a !"}


def test_a_hesitant_match_asks_for_a_neater_letter():
    result = analyze("a", [read("a", 0.4)])
    assert result["match"] is True and "plus net" in result["advice"]


def test_nothing_written():
    result = analyze("b", [])
    assert result == {"target": "b", "recognized": "", "match": False, "confidence": 0.0,
                      "advice": "Je n'ai rien vu. Écris la lettre plus grande."}


@pytest.mark.parametrize("target,seen,words", [
    ("a", "o", "petite barre du a"),
    ("b", "d", "ventre du b est à droite"),
    ("d", "b", "ventre du d est à gauche"),
    ("m", "n", "deux ponts"),
    ("e", "c", "petite boucle"),
])
def test_common_confusions_get_specific_advice(target, seen, words):
    result = analyze(target, [read(seen)])
    assert result["match"] is False and result["recognized"] == seen and words in result["advice"]


def test_other_mistakes_get_generic_advice_naming_what_was_read():
    result = analyze("h", [read("r", 0.8)])
    assert result["match"] is False and "« r »" in result["advice"] and "du h" in result["advice"]


def test_case_counts_only_where_it_shows():
    assert analyze("o", [read("O")])["match"] is True   # an O is a big o
    wrong_case = analyze("a", [read("A")])
    assert wrong_case["match"] is False
    assert wrong_case["advice"] == "Tu as écrit un A majuscule, essaie un a minuscule."


def test_accent_is_confirmed_by_the_detected_mark():
    with_mark = analyze("é", [read("e", 0.9, above=1)])
    assert with_mark["match"] is True and with_mark["recognized"] == "é"
    without = analyze("é", [read("e", 0.9, above=0)])
    assert without["match"] is False and without["advice"] == "Presque ! N'oublie pas l'accent sur le é."
    cedilla = analyze("ç", [read("c", 0.9, below=1)])
    assert cedilla["match"] is True


def test_an_i_without_its_dot_is_a_match_with_a_reminder():
    result = analyze("i", [read("i", 0.9, above=0)])
    assert result["match"] is True and "point" in result["advice"]
    assert analyze("i", [read("i", 0.9, above=1)])["advice"] == "Bravo, c'est bien un i !"


def test_several_letters_for_one_target():
    result = analyze("a", [read("a"), read("a")])
    assert result["match"] is False and result["recognized"] == "aa" and "un seul a" in result["advice"]


def test_a_two_letter_sound_is_matched_across_regions():
    result = analyze("ou", [read("o", 0.8), read("u", 1.0)])
    assert result["match"] is True and result["confidence"] == 0.9 and "« ou »" in result["advice"]


def test_clean_text_drops_what_trocr_adds_around_a_letter():
    assert clean_text(' "a." ') == "a"
    assert clean_text("e\u0301") == "é"
    assert clean_text("...") == ""


def test_an_accent_the_model_read_is_kept_not_replaced_by_the_target():
    # The model read é, the child was asked for è: the mark above is é's accent, not a confirmation of è.
    result = analyze("è", [read("é", 0.9, above=1)])
    assert result["match"] is False and result["recognized"] == "é"
    assert "« é »" in result["advice"] and "« è »" in result["advice"]
    # Read bare, the detected mark still completes the letter; read with the right accent, it is a match.
    assert analyze("è", [read("e", 0.9, above=1)])["match"] is True
    assert analyze("è", [read("è", 0.9, above=1)])["match"] is True


def test_the_case_rule_is_the_contracts():
    import json
    import pathlib

    from trocr_service.letter_case import case_blind_letters

    contract = pathlib.Path(__file__).resolve().parents[3] / "libs" / "contracts" / "rules" / "letter-case.json"
    assert case_blind_letters() == frozenset(json.loads(contract.read_text(encoding="utf-8"))["caseBlindLetters"])
    for letter in case_blind_letters():
        assert analyze(letter, [read(letter.upper())])["match"] is True
    assert analyze("a", [read("A")])["match"] is False
