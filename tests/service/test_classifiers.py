"""The four meaning-based decisions: valid example files, held-out quality, clear cases."""

from __future__ import annotations

import pytest

from service.classifiers import (
    MIN_EXAMPLES,
    ClassifierError,
    example_set_names,
    load_example_set,
)
from service.decisions import Decisions

NAMES = ("follow_up", "answer_type", "route", "not_fundable")


@pytest.fixture(scope="module")
def decisions(embeddings):
    return Decisions(embeddings)


def test_every_decision_has_an_example_file_with_enough_examples():
    assert set(NAMES) <= set(example_set_names())
    for name in NAMES:
        examples = load_example_set(name)
        assert len(examples.classes) >= 2, name  # a decision has at least two answers
        assert all(len(items) >= MIN_EXAMPLES for items in examples.classes.values()), name
        texts = [e.text for e, _ in examples.rows()]
        if not examples.paired:
            assert len(texts) == len(set(texts)), f"{name}: dubbele voorbeelden"


def test_too_few_examples_are_rejected_with_the_file_name(tmp_path):
    (tmp_path / "tiny.yaml").write_text(
        'name: tiny\ndescription: x\nclasses:\n  a: ["een"]\n  b: ["twee"]\n', encoding="utf-8")
    with pytest.raises(ClassifierError, match="tiny.yaml"):
        load_example_set("tiny", tmp_path)


@pytest.mark.parametrize("name, minimum", [
    ("follow_up", 0.85), ("answer_type", 0.75), ("route", 0.85), ("not_fundable", 0.8)])
def test_held_out_accuracy(decisions, name, minimum):
    report = getattr(decisions, name).held_out_report()
    assert report["n_test"] >= 2 * 8
    assert report["accuracy"] >= minimum, report


def _vector(decisions, text):
    from service.classifiers import embedding_text

    return decisions._embed_queries([embedding_text(text)])[0]


@pytest.mark.parametrize("text, label", [
    ("Per wanneer moet de pedagogisch beleidsmedewerker ingezet worden?", "datum"),
    ("Hoeveel euro per leerling ontvangt een gemeente uit het NPO?", "bedrag"),
    ("Hoeveel uur voorschoolse educatie moet een doelgroeppeuter krijgen?", "aantal"),
    ("Mogen we ambtelijke capaciteit uit de NPO-middelen betalen?", "ja_nee"),
    ("Wat wordt bedoeld met een thuiszitter?", "definitie"),
    ("Hoe richten we de lokale samenwerking met schoolbesturen in?", "uitleg"),
])
def test_answer_type_clear_cases(decisions, text, label):
    assert decisions.answer_type.predict(_vector(decisions, text), text).label == label


@pytest.mark.parametrize("text, label", [
    ("begrijpend lezen groep 6, weinig budget", "behoefte"),
    ("Wat kunnen we doen tegen rekenachterstanden in de bovenbouw?", "behoefte"),
    ("Tot wanneer mogen gemeenten de NPO-middelen besteden?", "informatie"),
    ("Wat is het effect van instructie in kleine groepen volgens de menukaart?", "informatie"),
    # the framing of a facilitator or the helpdesk does not make a question a need
    ("Voor de kenniskring wil ik weten hoeveel gemeenten een VE-monitor hebben. Welke "
     "cijfers zijn er?", "informatie"),
    ("Voor de kenniskring zoek ik een aanpak voor kleuters die weinig Nederlands horen. Wat "
     "raad je aan?", "behoefte"),
    ("Hoe vraag ik een nieuwe bankpas aan?", "informatie"),  # no need for interventions
])
def test_route_clear_cases(decisions, text, label):
    assert decisions.route.predict(_vector(decisions, text), text).label == label


@pytest.mark.parametrize("previous, text, label", [
    ("Hoeveel NPO-geld krijgen gemeenten?", "En hoe moeten we dat verantwoorden?", "ja"),
    ("Welke interventies passen bij lezen in het po?", "en voor het vo?", "ja"),
    ("Hoeveel NPO-geld krijgen gemeenten?", "Wat doet een leerplichtambtenaar?", "nee"),
    ("Wat is SiSa?", "Wat is de menukaart van het NP Onderwijs?", "nee"),
])
def test_follow_up_clear_cases(decisions, previous, text, label):
    clf = decisions.follow_up
    prev_vector = _vector(decisions, previous) if clf.examples.paired else None
    assert clf.predict(_vector(decisions, text), text, previous, prev_vector).label == label


@pytest.mark.parametrize("text, label", [
    ("Kunnen we een huiswerkklas betalen met het NPO-budget?", "huiswerk"),
    ("Mag een school het overdoen van een leerjaar uit NPO-geld bekostigen?", "zittenblijven"),
    ("Welke interventies staan op de menukaart?", "geen"),
    ("Hoeveel NPO-geld krijgt onze gemeente?", "geen"),
])
def test_not_fundable_clear_cases(decisions, text, label):
    assert decisions.not_fundable.predict(_vector(decisions, text), text).label == label


def test_shipped_weights_match_the_examples(decisions):
    """Fitted weights ship with the examples; editing examples without refitting is caught."""
    for name in NAMES:
        clf = getattr(decisions, name)
        assert clf.load_fitted() is not None, f"{name}: draai `kennisloket vectors build`"
