"""The intervention recommender on the real catalog."""

from __future__ import annotations

import copy

import pytest

from evals.gold import load_needs
from evals.metrics import recommend_metrics
from service.recommender import Recommender


@pytest.fixture(scope="module")
def recommender(starter_kb):
    return Recommender.build(starter_kb)


def ids(items):
    return [i.id for i in items]


def test_reading_need_ranks_reading_above_sport(recommender):
    need = "begrijpend lezen in groep 6"
    assert ids(recommender.recommend(need, k=10))[0] == "begrijpend-lezen"
    # Every item ranked, none cut off by the relevance threshold: sport is in the list, so
    # the order between the two is always checked.
    everything = copy.copy(recommender)
    everything.cfg = recommender.cfg.model_copy(update={"min_relevance": 0.0,
                                                        "min_relevance_filtered": 0.0})
    ranked = ids(everything.recommend(need, k=len(recommender.items)))
    assert "sportieve-activiteiten" in ranked
    assert ranked.index("begrijpend-lezen") < ranked.index("sportieve-activiteiten")


def test_need_text_sets_level_and_budget(recommender):
    assert recommender.implicit_filters("begrijpend lezen, groep 6, weinig budget") == {
        "level": "po", "max_cost": 2}
    items = recommender.recommend("begrijpend lezen, groep 6, weinig budget")
    assert items and all(i.cost is not None and i.cost <= 2 for i in items)
    first = items[0]
    assert first.headline and "maanden" not in first.headline
    assert "begrijpend lezen" in first.why and "past binnen een beperkt budget" in first.why
    assert first.links[0].url.startswith("https://")


def test_a_grade_is_not_a_shared_word(recommender):
    # "groep 1" / "groep 6" name a grade (the level explains it), not "kleine groepen"
    for need in ("Hoe zorgen we voor een goede overgang van de peuterspeelzaal naar groep 1 "
                 "voor kinderen met een taalachterstand?",
                 "begrijpend lezen, groep 6, weinig budget"):
        for item in recommender.recommend(need):
            shared = item.why.split("Sluit aan bij: ")[-1].split(";")[0] \
                if item.why.startswith("Sluit aan bij") else ""
            assert shared.split(", ") != ["groep"] and "1" not in shared.split(", "), item.why
    first = recommender.recommend("Hoe zorgen we voor een goede overgang van de "
                                  "peuterspeelzaal naar groep 1 voor kinderen met een "
                                  "taalachterstand?")[0]
    assert first.why.startswith("Sluit aan bij: taalachterstand;")


def test_a_need_of_limits_only_gets_the_best_buys_within_them(recommender):
    # "klein budget" and "vo" set filters; nothing else describes the need, so the best
    # buys within the limits are listed (before, the filter words counted as a described
    # need that resembled no item, and the list was empty)
    items = recommender.recommend("Wat kunnen we doen met een klein budget in het vo?")
    assert items and all(i.cost is not None and i.cost <= 2 and "vo" in i.levels
                         for i in items)
    effects = [i.effect_months or 0 for i in items]
    assert effects[0] == max(effects)


def test_a_learning_delay_in_general_words_gets_the_best_buys(recommender):
    # every menukaart intervention is for catching up a delay: the words say no more
    # than the limits, so the best buys for po are listed, and said to be that
    best = ids(recommender.recommend("Welke interventie werkt het best in groep 7?"))
    for need in ("Wat helpt bij leerachterstanden in groep 7?",
                 "Welke interventie werkt het best tegen achterstanden in groep 7?",
                 # "reken" is no word the catalog tells items apart by (not per subject)
                 "Welke interventie werkt het best tegen rekenachterstanden in groep 7?"):
        items = recommender.recommend(need, words_only=True)
        assert ids(items) == best, need
        assert all(i.why.startswith("Een van de sterkste interventies") for i in items)


def test_a_delay_in_a_subject_the_catalog_names_points_to_its_item(recommender):
    # "leesachterstanden" is "lees" + "achterstanden", and the catalog knows the word
    items = recommender.recommend("leesachterstanden in de brugklas", words_only=True)
    assert ids(items) == ["begrijpend-lezen"]
    assert "leesachterstand" in items[0].why


def test_max_cost_excludes_expensive_interventions(recommender):
    cheap = recommender.recommend("extra ondersteuning in de klas", filters={"max_cost": 1},
                                  k=20)
    assert cheap and all(i.cost == 1 for i in cheap)
    catalog_costs = {i.id: i.cost for i in recommender.catalog.interventions}
    assert "klassenverkleining" not in ids(cheap) and catalog_costs["klassenverkleining"] > 1


def test_need_outside_the_catalog_gets_nothing(recommender):
    assert recommender.recommend("nieuwe fietsenstalling voor het schoolplein") == []


def test_a_long_question_naming_a_keyword_gets_that_intervention(recommender):
    # the framing around "executieve functies" lowers the whole-text similarity below the
    # relevance bar; the need names all words of one of the item's keywords, so it fits
    need = ("Een schoolteam wil met NPO-geld vooral werken aan executieve functies van "
            "leerlingen. Welke menukaart-interventies passen daarbij en wat mogen ze ervan "
            "verwachten?")
    assert "metacognitie-en-zelfregulerend-leren" in ids(recommender.recommend(need))
    # a one-word keyword is too ambiguous to decide alone ("plannen" of a municipality)
    plans = ("Wij willen onze NPO-plannen als gemeente goed laten aansluiten op wat scholen "
             "al doen. Hoe pakken we dat aan?")
    assert recommender.named_in("metacognitie-en-zelfregulerend-leren", "huiswerk plannen")
    assert "metacognitie-en-zelfregulerend-leren" not in ids(recommender.recommend(plans))


def test_words_only_leaves_out_items_that_only_resemble_the_need(recommender):
    # no word of this question points to welbevinden or voor- en vroegschoolse
    # interventies; they rank on overall resemblance only, which an answer must not list
    need = "Hoe zijn de scholen voor het effectonderzoek naar kansrijke interventies gekozen?"
    every = recommender.recommend(need)
    assert any(i.why.startswith("Inhoudelijk verwant") for i in every)
    shown = recommender.recommend(need, words_only=True)
    assert ids(shown) == [i.id for i in every if i.why.startswith("Sluit aan bij")]


def test_the_word_gemeente_points_to_no_spending_goal(recommender):
    # "gemeente" lets the municipal spending goals in, but says nothing about which fits:
    # an answer listed "Bovenschoolse maatregelen — Sluit aan bij: gemeente" for questions
    # about tutoring and about an overleg with partners
    need = "Welk overleg gebruiken we als gemeente om onze plannen met de scholen af te stemmen?"
    shown = recommender.recommend(need, words_only=True)
    assert all("gemeente" not in i.why for i in shown)
    assert any(i.kind == "gemeentelijke maatregel" for i in recommender.recommend(need))


def test_the_head_of_a_compound_points_to_the_item(recommender):
    # "foneembewustzijn" is a kind of "bewustzijn" (fonemisch bewustzijn); a shorter stem
    # at the end of a word is no such evidence
    first = recommender.recommend("Wat helpt voor het foneembewustzijn van kleuters?",
                                  words_only=True)[0]
    assert first.id == "fonemisch-bewustzijn"
    assert first.why.startswith("Sluit aan bij: foneembewustzijn")
    # the head alone is no evidence when the modifier names something else: homework
    # support is no kind of "loopbaanoriëntatie en -begeleiding"
    shown = recommender.recommend("Wij zoeken een interventie voor huiswerkbegeleiding in "
                                  "het vo.", words_only=True)
    assert "loopbaanorientatie-en-begeleiding" not in ids(shown)
    assert all("huiswerkbegeleiding" not in i.why for i in shown)


def test_municipal_need_gets_municipal_measures(recommender):
    items = recommender.recommend("veel thuiszitters in onze gemeente")
    assert any(i.kind == "gemeentelijke maatregel" for i in items)


def test_a_spending_goal_is_not_said_to_fit_a_budget(recommender):
    # municipal spending goals have no cost on the menukaart, so a budget limit lets them
    # through without a promise that they fit it
    items = recommender.recommend("extra begeleiding bij thuiszitters in onze gemeente, "
                                  "weinig budget")
    goals = [i for i in items if i.kind == "gemeentelijke maatregel"]
    assert goals and all("beperkt budget" not in i.why for i in goals)


def test_weak_evidence_and_unknown_cost_are_said(recommender):
    items = recommender.recommend("welbevinden en sociaal-emotionele ontwikkeling na corona")
    item = next(i for i in items if i.id == "welbevinden-en-sociaal-emotionele-ontwikkeling")
    assert "kosten zijn onbekend" in item.why


def test_not_fundable_note_quotes_the_catalog_reason_with_its_source(recommender):
    note = recommender.not_fundable_note("zittenblijven")
    assert note.startswith("Let op: Zittenblijven staat wel in de Toolkit")
    assert "(bron: https://www.nponderwijs.nl/" in note


def test_unknown_filter_is_refused(recommender):
    with pytest.raises(ValueError, match="Onbekend filter"):
        recommender.recommend("lezen", filters={"kleur": "rood"})


def test_labelled_needs_hit_at_3(recommender):
    assert recommend_metrics(recommender, load_needs())["hit@3"] >= 0.85


def test_chat_routes_what_to_do_questions_to_the_recommender(starter_services):
    answer = starter_services.pipeline.run(
        "Welke interventie past bij begrijpend lezen in groep 6?")
    assert "begrijpend-lezen" in ids(answer.interventions)
    assert "Passende interventies van de menukaart" in answer.answer
    plain = starter_services.pipeline.run("Hoe verantwoorden gemeenten de NPO-middelen?")
    assert plain.interventions == []


def test_chat_warns_when_something_may_not_be_funded(starter_services):
    answer = starter_services.pipeline.run("Mogen we zittenblijven betalen uit het NPO-geld?")
    assert not answer.refused
    assert answer.answer.startswith("Let op: Zittenblijven staat wel in de Toolkit")
    assert answer.trace["not_fundable_item"] == "zittenblijven"
    assert "(bron: https://" in answer.answer
