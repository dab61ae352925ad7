"""The shape of an answer: the sentence that answers first, what the sources do not
support named, a false premise contradicted, a need answered with interventions."""

from __future__ import annotations

import pytest

from service.pipeline.pipeline import AnswerPipeline
from service.pipeline.types import Turn


@pytest.fixture
def pipeline(mini_kb):
    from service.recommender import Recommender

    return AnswerPipeline.build(mini_kb, recommender=Recommender.build(mini_kb))


def _first_paragraphs(answer) -> list[str]:
    """The note and the paragraph after it (a corrected premise opens with both)."""
    return [p for p in answer.answer.split("\n\n") if p.strip()][:2]


def test_a_date_question_opens_with_the_sentence_that_gives_the_date(pipeline):
    answer = pipeline.run("Tot wanneer mogen gemeenten de NPO-middelen besteden?")
    assert answer.trace["answer_type"] == "einddatum"
    first_line = answer.answer.splitlines()[0]
    assert "31 juli 2025" in first_line and first_line.endswith("[1]")
    assert answer.citations[0].published == "2022-02-25"  # the newest source leads


def test_a_period_of_months_answers_a_when_question(starter_services):
    # "van april tot juni" names no day or year, but it is the date asked for
    answer = starter_services.pipeline.run(
        "In welke periode van het jaar stellen scholen hun NPO-doelen voor het volgende "
        "schooljaar vast?")
    assert "van april tot juni" in answer.answer.splitlines()[0].lower()


@pytest.mark.parametrize("question, opening", [
    ("Wat is SiSa?", "SiSa (single information, single audit) is de "),
    # the GOAB-ondersteuningstraject scores higher on "goab" but defines the traject
    ("Wat is het GOAB?", "Het gemeentelijk onderwijsachterstandenbeleid (GOAB) is"),
    ("Een leraar vraagt naar 'de kenniscommunity van het NPO'. Wat is dat?",
     "De kenniscommunity van het Nationaal Programma Onderwijs is"),
    ("Wat is de menukaart?", "De menukaart van het NP Onderwijs is het overzicht"),
    ("Wat is het NRO?", "Het Nationaal Regieorgaan Onderwijsonderzoek (NRO) is"),
])
def test_a_what_is_question_opens_with_the_sentence_defining_it(starter_services,
                                                                  question, opening):
    answer = starter_services.pipeline.run(question)
    assert answer.trace["answer_type"] == "definitie"
    assert answer.answer.startswith(opening), answer.answer[:200]


def test_a_definition_defines_what_the_question_asks_about():
    from service.config import load_answering_config
    from service.pipeline.compose_extractive import _typed

    definition = load_answering_config().answer_type("definitie")
    share = {"spuk": 0.6, "specifiek": 0.2, "uitker": 0.2}

    def analyze(text):  # enough of the analyser for these sentences
        return [w.strip("().,").lower()[:9] for w in text.split()]

    assert _typed(definition, "Een spuk is een uitkering voor één regeling.", share,
                  analyze)
    # the verb is there, but what comes before it is not what is asked about
    assert not _typed(definition, "Volgens het artikel (2024) is het aantal specifieke "
                      "uitkeringen gestegen.", share, analyze)
    # the term is named, but in a clause before the one with the verb
    assert not _typed(definition, "Elke spuk geeft gemeenten geld, maar in de praktijk is "
                      "het bedrag klein.", share, analyze)
    # a comma inside brackets does not end the subject; "omvat" defines too
    assert _typed(definition, "Een spuk (specifieke uitkering, voluit) is een uitkering.",
                  share, analyze)
    assert _typed(definition, "De spuk omvat de regels voor één uitkering.", share, analyze)
    # other kinds of fact keep their pattern alone
    amount = load_answering_config().answer_type("bedrag")
    assert _typed(amount, "Het ging om € 5 miljoen.", share, analyze)


def test_support_is_grouped_per_source_after_the_lead(pipeline):
    answer = pipeline.run("Hoe verantwoorden gemeenten de NPO-middelen en hoe wordt het "
                          "geld betaald?", mode="official")
    paragraphs = [p for p in answer.answer.split("\n\n") if p.strip()]
    assert len(paragraphs) >= 2
    for paragraph in paragraphs[1:]:  # every paragraph cites one source only
        assert len(set(__import__("re").findall(r"\[(\d+)\]", paragraph))) == 1


def test_false_premise_is_contradicted_first(pipeline):
    answer = pipeline.run("Klopt het dat gemeenten de NPO-middelen tot 31 december 2026 "
                          "mogen besteden?")
    assert not answer.refused
    assert answer.answer.startswith("Let op: de bronnen bevestigen 31 december 2026 niet")
    assert "31 juli 2025" in answer.answer
    assert answer.trace["premise"]["stated"] == ["31 december 2026"]


def test_a_vague_period_sketching_the_situation_is_no_premise(pipeline):
    from service.pipeline.values import stated_values, years

    question = ("Een gemeente had eind 2021 nog NPO-geld over. Tot wanneer mag zij de "
                "NPO-middelen besteden?")
    assert stated_values(question) == [] and years(question, scope_only=True) == {2021}
    answer = pipeline.run(question)
    assert not answer.refused and "31 juli 2025" in answer.answer
    assert "premise" not in answer.trace and "Let op" not in answer.answer
    # a vague period whose year no source mentions is still named
    assert "eind 2031" in pipeline.run("Een gemeente had eind 2031 nog NPO-geld over. Tot "
                                       "wanneer mag zij de NPO-middelen besteden?"
                                       ).trace.get("unsupported_terms", [])


@pytest.mark.parametrize("question, stated, shown", [
    # the sources give "+3"/"+2 maanden" for klassenverkleining and "1 maand" (singular) for
    # onderwijsassistenten: the sentence about the thing the question names, in the same
    # unit, answers the premise
    ("Klopt het dat de inzet van onderwijsassistenten volgens de NPO-menukaart 4 maanden "
     "leerwinst oplevert?", ["4 maanden"], ["onderwijsassistenten", "1 maand leerwinst"]),
    # the pack gives the counting dates of the 2024 budget and of the 2026 budget; the
    # question is about 2026, so the 2026 sentence corrects it
    ("Het GOAB-budget 2026 is toch gebaseerd op de teldata 1 oktober 2023 en 1 oktober "
     "2024?", ["1 oktober 2023", "1 oktober 2024"], ["2026", "1 februari 2024"]),
    # "+2 maanden" is on the menukaart, but for klassenverkleining; the sentence about
    # samenwerkend leren gives +5 maanden
    ("Samenwerkend leren staat op de bijgewerkte menukaart op +2 maanden leerwinst. "
     "Moeten we daar dan wel in investeren?", ["2 maanden"],
     ["Samenwerkend leren", "+5 maanden"]),
    # 1 januari 2022 is in the sources (the pbm norm) and so is 960 uur (since 1 augustus
    # 2020), but never together: the date stated with 960 uur is the premise
    ("Sinds 1 januari 2022 hebben doelgroeppeuters recht op 960 uur voorschoolse "
     "educatie. Hoe plannen we dat over het jaar?", ["1 januari 2022"],
     ["1 augustus 2020", "960 uur"]),
    # a year that bounds a period is a claim: the sources bound it at another year (and
    # name no 2027 at all, so the note names the year)
    ("Vanaf 2027 betalen werkende ouders bijna niets meer voor kinderopvang; wat betekent "
     "dat voor onze peuteropvang?", ["2027"], ["vanaf 2029"]),
    # the same bound twice ("vanaf 2027 … per 2027") is named once
    ("Werkende ouders betalen vanaf 2027 bijna niets meer voor kinderopvang; moeten we "
     "onze regeling voor peuteropvang per 2027 aanpassen?", ["vanaf 2027"], ["vanaf 2029"]),
    # "sinds 1 januari 2022" is in the sources, but about the pbm'er: it confirms no
    # bound on the extra vve budget, which the sources start in 2019 (structurally 2020)
    ("Gemeenten krijgen pas sinds 2022 structureel extra vve-geld, klopt dat?",
     ["sinds 2022"], ["extra geld", "vanaf 2019"]),
    # a value the sources give for another year in a breakdown over years
    ("Scholen kregen in 2022-2023 opnieuw minstens € 700 per leerling uit het NPO; waaraan "
     "mogen ze het besteden?", ["€ 700"], ["€ 500 of meer in 2022/2023"]),
])
def test_a_false_premise_is_corrected_first_by_the_sentence_that_answers_it(
        starter_services, question, stated, shown):
    answer = starter_services.pipeline.run(question)
    assert not answer.refused
    note, first = _first_paragraphs(answer)
    assert note.startswith(f"Let op: de bronnen bevestigen {' en '.join(stated)} niet")
    assert all(part in first for part in shown), first
    assert answer.trace["premise"]["stated"] == stated


@pytest.mark.parametrize("question", [
    "Beheersingsgericht leren levert volgens de menukaart 5 maanden op; is het duur?",
    "Volgens de VNG kregen gemeenten 346 miljoen uit het NPO, klopt dat?",
    "Een pbm'er moet 10 uur per doelgroeppeuter per jaar worden ingezet; hoe regelen we dat?",
    "Wie moest in maart 2020 de noodopvang regelen voor kinderen van ouders met een "
    "cruciaal beroep?",
    "Welke drie hoofdcategorieën van zelfregulerend leren noemt de menukaart?",
    # ages the sources word otherwise: "tussen 5 en 16 jaar", "bij 2 jaar", "vanaf 2,5 jaar"
    "Geldt de leerplicht vanaf 5 jaar?",
    "Mogen peuters van 2 jaar al naar de voorschoolse educatie?",
    "Krijgen peuters van 2,5 tot 4 jaar 960 uur voorschoolse educatie?",
    # two values the sources give together, each also given elsewhere with another value
    "Sinds 1 augustus 2020 hebben doelgroeppeuters recht op 960 uur VE; hoe organiseren "
    "we dat?",
    "Sinds 1 januari 2022 moet er 10 uur pbm per doelgroeppeuter zijn; hoe rekenen we dat "
    "uit?",
    # said of the intervention the sources give it for, a value is confirmed
    "Klassenverkleining levert volgens de bijgewerkte menukaart +2 maanden leerwinst op; is "
    "dat duur?",
    # the VNG gives € 80 miljoen for 2021 in a split over three years; the € 300 miljoen
    # total says more about "gemeenten" and "NPO-geld" but not about that year
    "Voor 2021 kregen gemeenten € 80 miljoen NPO-geld; waarvoor was dat bedoeld?",
    # a bound the sources give on a day of that year ("met ingang van 1 augustus 2020")
    "Hebben doelgroeppeuters sinds 2020 recht op 960 uur voorschoolse educatie?",
    # ... and the bound on that day of that year about the pbm'er
    "Sinds 2022 moet elke ve-locatie een pedagogisch beleidsmedewerker inzetten; hoe "
    "regelen we dat?",
    # the value the breakdown gives for the year asked about
    "Scholen kregen in 2021-2022 minstens € 700 per leerling uit het NPO; waaraan mogen ze "
    "het besteden?",
    "Gemeenten kregen in 2023 € 84 miljoen aan NPO-middelen, klopt dat?",
    # each island's own amount, from a sentence giving both side by side
    "Scholen op Bonaire kregen voor 2022-2023 $ 1.333,84 per leerling; waarom is dat hoger "
    "dan in Europees Nederland?",
    "Op Saba kregen scholen voor 2022-2023 $ 1.547,26 per leerling; waarom is dat hoger dan "
    "op Bonaire?",
])
def test_a_true_statement_in_the_question_is_not_flagged(starter_services, question):
    answer = starter_services.pipeline.run(question)
    assert not answer.refused
    assert "premise" not in answer.trace and "bevestigen" not in answer.answer


def test_a_year_scoping_the_amount_asked_for_is_named_not_contradicted(starter_services):
    # no retrieved source names 2017 and the answer gives 2018 (the announcement): the
    # year only says which agreement is meant, so the amount leads and the year is named
    answer = starter_services.pipeline.run(
        "Hoeveel extra geld kregen gemeenten voor onderwijsachterstanden na het "
        "regeerakkoord van 2017, en wat werd het totaal?")
    assert not answer.refused and "premise" not in answer.trace
    note, first = _first_paragraphs(answer)
    assert note == "De gevonden bronnen noemen 2017 niet." and "€ 170 miljoen" in first


def test_a_value_the_source_gives_for_another_subject_is_corrected(starter_services):
    # the source gives $ 1.333,84 for Bonaire and $ 1.547,26 for Saba and Sint Eustatius
    # in one sentence: repeating the first is no confirmation for Saba
    answer = starter_services.pipeline.run(
        "Scholen op Saba en Sint Eustatius krijgen voor 2022-2023 hetzelfde NPO-bedrag als "
        "Bonaire, $ 1.333,84 per leerling. Waarom ligt dat zoveel hoger dan in Europees "
        "Nederland?")
    note, first = _first_paragraphs(answer)
    assert note.startswith("Let op: de bronnen bevestigen $ 1.333,84 niet")
    assert "$ 1.547,26" in first


def test_a_wrong_age_range_is_corrected(starter_services):
    answer = starter_services.pipeline.run(
        "Voortijdig schoolverlaten gaat over jongeren tussen 12 en 18 jaar, toch?")
    note, first = _first_paragraphs(answer)
    assert note.startswith("Let op: de bronnen bevestigen tussen 12 en 18 jaar niet")
    assert "12 tot 23 jaar" in first


@pytest.mark.parametrize("name", [
    "Regeling gemeentelijke zomerscholen en schoolmaaltijden",
    "Subsidie kansengelijkheid kinderopvang en onderwijs",
])
def test_a_scheme_whose_words_only_different_sources_hold_is_named_and_refused(
        starter_services, name):
    # every word of these made-up names is in some retrieved source, none holds them all
    answer = starter_services.pipeline.run(f"Wie beoordeelt aanvragen voor de '{name}'?")
    assert answer.refused
    assert name in answer.trace["unsupported_terms"] and name in answer.answer


@pytest.mark.parametrize("question", [
    "Wat regelt de 'Norm voor Opdrachtgeverschap' voor gemeenten?",
    "Wat was de 'Subsidieregeling inhaal- en ondersteuningsprogramma's voorschoolse "
    "educatie'?",
])
def test_a_scheme_one_source_names_is_answered(starter_services, question):
    answer = starter_services.pipeline.run(question)
    assert not answer.refused and not answer.trace.get("unsupported_terms")


def test_a_stated_value_no_source_gives_is_flagged_as_unconfirmed(starter_services):
    answer = starter_services.pipeline.run(
        "Een gemeente denkt dat maximaal 20% van de GOAB-middelen aan ambtelijke uren mag "
        "worden besteed. Kunt u dat bevestigen?")
    assert answer.answer.startswith("Let op: de bronnen bevestigen 20% niet")
    assert "geen percentage" in answer.answer
    assert answer.trace["premise"]["stated"] == ["20%"]


def test_a_list_item_opens_the_answer_only_as_a_sentence(starter_services):
    from service.pipeline.candidates import fragment as _fragment

    # the card lists the problems as lower-case items; the one that answers leads, with a
    # capital, and an item that ends in ";" is no sentence of its own
    answer = starter_services.pipeline.run(
        "Waarom vinden ontwikkelaars de erkenning van jeugdinterventies lastig?")
    lead, rest = answer.answer.split("\n\n", 1)
    assert lead.startswith("Ontwikkelaars vinden") and "te wetenschappelijk" in lead
    # the rest of its list follows the list's introduction, as a list
    assert rest.startswith("Uit de ervaringen met de erkenningsprocedure blijken drie "
                           "problemen: [1]\n- ")
    assert _fragment("welk deel van het geld naar ingehuurd personeel ging;")
    assert not _fragment("ontwikkelaars vinden de beoordeling te wetenschappelijk.")
    assert not _fragment("Uit het jaarverslag moet blijken:")


def test_a_follow_up_naming_a_new_subject_is_answered_about_it(starter_services):
    # merged with the previous question the search is about zomerscholen and tutoring;
    # the follow-up as typed is searched too, so the new subject is found
    answer = starter_services.pipeline.run(
        "En over tutoring, wat kost dat?",
        history=[Turn("user", "Wat zegt de menukaart over zomerscholen?")])
    assert answer.trace["follow_up"] is True
    assert "tutoring" in answer.answer.split("\n")[0].lower()
    assert "zomerschool" not in answer.answer.split("\n")[0].lower()


def test_a_follow_up_without_words_of_its_own_is_answered_about_the_previous_question(
        starter_services):
    # "Hoeveel zijn er?" names nothing: how much of the question the sources cover is
    # measured on the question it was merged with, not on no words at all
    first = starter_services.pipeline.run("Wat is een thuiszitter?")
    answer = starter_services.pipeline.run(
        "Hoeveel zijn er?", history=[Turn("user", "Wat is een thuiszitter?"),
                                     Turn("assistant", first.answer)])
    assert answer.trace["follow_up"] is True and not answer.refused
    assert "4.215" in answer.answer


def test_a_chosen_list_item_comes_with_the_sentence_that_introduces_the_list(
        starter_services):
    answer = starter_services.pipeline.run(
        "Welke soorten welbevinden-interventies noemt de menukaart, zoals mindfulness of "
        "oudertraining?").answer
    # shown as an item of a list under its introduction, without the ";" that tied it on
    item = answer.index("\n- mindfulness of meditatie, en stressmanagement en coping-vaardigheden [")
    intro = answer.rfind("Interventies voor welbevinden op school gaan vooral over:", 0, item)
    # in the list under it: every line between them is another item of the list
    assert intro != -1 and all(line.startswith("- ")
                               for line in answer[intro:item].split("\n")[1:])


def test_a_list_the_answer_quotes_is_quoted_whole(starter_services):
    # the card lists the four CBS indicators under "Sinds 2019 gebruikt het Rijk vier
    # CBS-indicatoren ...:"; an answer quoting that introduction quotes all four, as a list
    answer = starter_services.pipeline.run(
        "Op welke vier indicatoren baseert het CBS de verdeling van de GOAB-middelen?").answer
    intro = answer.index("vier CBS-indicatoren voor de verdeling van de GOAB-middelen:")
    items = answer[intro:].split("\n")[1:5]
    assert [i.split(" [")[0] for i in items] == [
        "- Gezin in schuldsanering (ja/nee)", "- Opleidingsniveau beide ouders",
        "- Verblijfsduur van de moeder in Nederland",
        "- Land van herkomst van beide ouders."]


def test_a_list_with_short_items_is_quoted_whole(starter_services):
    # "- de planning;" is too short to be chosen on its own, but the list it is an item of
    # is quoted whole: before, "noemt zes onderdelen:" was followed by one of the six
    answer = starter_services.pipeline.run(
        "Welke onderdelen moet een school opnemen in haar NPO-schoolprogramma?").answer
    intro = answer.index("zes onderdelen die de school erin opneemt:")
    items = answer[intro:].split("\n")[1:7]
    assert all(item.startswith("- ") for item in items)
    assert "- de planning [1]" in items


def test_a_briefing_nests_the_items_under_the_fact_that_introduces_them(starter_services):
    # the introduction leads the key facts; its items follow it directly, indented
    answer = starter_services.pipeline.run(
        "In welke drie hoofdcategorieën wordt zelfregulerend leren onderverdeeld volgens de "
        "menukaart?", mode="facilitator").answer
    facts = answer.split("## Kernfeiten\n")[1].split("\n\n")[0].split("\n")
    intro = next(i for i, line in enumerate(facts) if "drie hoofdcategorie" in line)
    assert facts[intro].startswith("- ") and facts[intro].endswith(": [1]")
    items = facts[intro + 1:intro + 4]
    assert [i.split(":")[0] for i in items] == ["  - cognitie", "  - metacognitie",
                                                 "  - motivatie"]
    assert all(line.startswith("- ") for line in facts[intro + 4:])


def _candidates(body: str):
    from kb.hits import Hit
    from kb.sentences import split_sentences
    from kb.store import StoredChunk
    from service.pipeline.candidates import Candidate

    hit = Hit(StoredChunk("c1", f"Titel\n{body}"), 1.0, None, None)
    return [Candidate(hit, 0, pos, text, set(), {}, None, 1.0)
            for pos, text in enumerate(split_sentences(body))]


def test_whole_list_and_its_completion():
    from service.pipeline.candidates import list_completions, whole_list

    body = ("De gemeente regelt drie dingen:\n- het aanbod aan peuters;\n- de toeleiding "
            "naar de voorschool;\n- de kwaliteit van de ve.\nDaarna volgt de evaluatie.")
    intro, first, second, third, after = _candidates(body)
    assert whole_list(second, [intro, first, second, third, after]) == [intro, first, second,
                                                                        third]
    assert whole_list(intro, [intro, first, second, third]) == [intro, first, second, third]
    assert whole_list(after, [intro, first, second, third, after]) == []
    # an item that is no candidate (a quoted address, say): the list cannot be quoted whole
    assert whole_list(intro, [intro, first, third]) == []
    cands = [intro, first, second, third, after]
    assert list_completions(cands, [intro, second], 600) == [first, third]
    assert list_completions(cands, [intro, second], 20) == []  # too long to add
    assert list_completions(cands, [after], 600) == []
    # items that start with a capital are items when their source lines are bullets
    capital = _candidates("Twee instrumenten:\n- Schakelklassen voor nieuwkomers.\n"
                          "- Zomerscholen in de vakantie.")
    assert whole_list(capital[0], capital) == capital


def test_a_breakdown_pairs_each_value_with_the_years_of_its_clause():
    from service.pipeline.premises import _paired_elsewhere
    from service.pipeline.values import Term

    split = "Per leerling (€ 700 of meer in 2021/2022, € 500 of meer in 2022/2023)."
    assert _paired_elsewhere(split, Term("€ 700", "bedrag"), {2022, 2023}) is True
    assert _paired_elsewhere(split, Term("€ 700", "bedrag"), {2021, 2022}) is False
    assert _paired_elsewhere("In 2022 ging € 700 naar scholen.", Term("€ 700", "bedrag"),
                             {2023}) is None  # one value: no breakdown


def test_values_of_the_same_kind():
    from service.pipeline.values import Term, mentions_value, same_kind, stated_values

    assert same_kind(Term("1 maand", "aantal"), Term("4 maanden", "aantal"))
    assert same_kind(Term("10 uur", "aantal"), Term("20 uren", "aantal"))
    assert not same_kind(Term("10 uur", "aantal"), Term("4 maanden", "aantal"))
    assert same_kind(Term("1 augustus 2021", "datum"), Term("2025", "jaar"))
    assert not same_kind(Term("€ 118,11", "bedrag"), Term("25%", "aantal"))
    assert mentions_value(Term("eind 2020", "datum"), "In december 2020 trok het kabinet geld uit")
    assert not mentions_value(Term("begin 2020", "datum"), "In december 2020 trok het kabinet")
    assert [t.text for t in stated_values("Krijgen we in 2024 nog € 150 per leerling voor "
                                          "12 weken?")] == ["€ 150", "12 weken"]
    # a number written out is the same value as in digits
    assert [t.text for t in stated_values("Levert het vier maanden op?")] == ["vier maanden"]
    assert mentions_value(Term("vier maanden", "aantal"), "gemiddeld 4 maanden leerwinst")
    assert mentions_value(Term("10 uur", "aantal"), "tien uur per doelgroeppeuter")
    assert not mentions_value(Term("4 maanden", "aantal"), "veertien maanden")
    assert same_kind(Term("vier maanden", "aantal"), Term("2 maanden", "aantal"))
    # a count of things: a whole number and a plural noun; an age or a decimal is none
    assert [(t.text, t.kind) for t in stated_values(
        "Het akkoord noemt acht thema's en 45 methoden.")] == [
        ("acht thema's", "telling"), ("45 methoden", "telling")]
    assert [t.kind for t in stated_values(
        "Geldt dat voor jongeren tussen 12 en 18 jaar of vanaf 2,5 jaar?")] == [
        "leeftijd", "leeftijd"]  # ages, compared as ages (test_stages.py), never as counts
    assert same_kind(Term("zes thema's", "telling"), Term("acht thema's", "telling"))
    assert not same_kind(Term("zes doelgebieden", "telling"), Term("acht thema's", "telling"))
    assert mentions_value(Term("drie hoofdcategorieën", "telling"), "in 3 hoofdcategorieën")
    # a year bounding a period is stated; it is answered only by a bound of the same side
    assert [(t.text, t.kind) for t in stated_values(
        "Lopen de middelen vanaf 2026 via het gemeentefonds, en wat gold er in 2024?")] == [
        ("vanaf 2026", "grens")]
    assert same_kind(Term("vanaf 2020", "grens"), Term("sinds 2022", "grens"))
    assert not same_kind(Term("tot en met 2018", "grens"), Term("sinds 2022", "grens"))
    assert not same_kind(Term("2020", "jaar"), Term("sinds 2022", "grens"))
    assert mentions_value(Term("sinds 2020", "grens"), "met ingang van 1 augustus 2020 geldt")
    assert not mentions_value(Term("sinds 2020", "grens"), "in 2020 werd de norm ingevoerd")


def test_a_count_the_sources_give_otherwise_is_corrected(starter_services):
    # the menukaart has six goal areas (A to F): the sentence counting them answers
    answer = starter_services.pipeline.run(
        "De menukaart van het NP Onderwijs kent toch negen doelgebieden? Waar valt "
        "ouderbetrokkenheid onder?")
    note, first = _first_paragraphs(answer)
    assert note.startswith("Let op: de bronnen bevestigen negen doelgebieden niet")
    assert "zes doelgebieden" in first
    assert answer.trace["premise"]["stated"] == ["negen doelgebieden"]


def test_a_count_worded_otherwise_is_neither_a_premise_nor_unsupported(starter_services):
    # the sources count "vier CBS-indicatoren"; "kenmerken" is the question's word for them
    answer = starter_services.pipeline.run(
        "Welke vier kenmerken gebruikt het CBS voor de verdeling van het GOAB-geld?")
    assert not answer.refused and "vier CBS-indicatoren" in answer.answer
    assert "premise" not in answer.trace and "unsupported_terms" not in answer.trace


def test_unanswerable_question_is_refused_with_the_missing_terms_named(pipeline):
    answer = pipeline.run("Hoeveel NPO-geld krijgt de gemeente Zwolle in 2029?")
    assert answer.refused and answer.citations == []
    assert "noemen Zwolle en 2029 niet" in answer.answer
    assert set(answer.trace["unsupported_terms"]) == {"Zwolle", "2029"}
    assert answer.trace["refusal_reason"]


@pytest.mark.parametrize("question", [
    "Wat krijgen gemeenten vanaf 2031 aan GOAB-middelen?",
    "Welk bedrag per doelgroeppeuter krijgen gemeenten vanaf 2031 voor voorschoolse "
    "educatie?",
])
def test_a_bound_in_a_year_no_source_knows_is_refused(starter_services, question):
    # no source names 2031: what they lack is the year, as for a bare year
    answer = starter_services.pipeline.run(question)
    assert answer.refused
    assert answer.trace["unsupported_terms"] == ["2031"]
    assert "noemen 2031 niet" in answer.answer


def test_a_lower_case_compound_of_a_field_term_is_checked_as_a_name(starter_services):
    from service.pipeline.grounding import salient_terms

    # "vve" is a word of the collection; a compound of it that no card uses is a scheme the
    # sources do not have, while a compound the cards know stays unremarked
    answer = starter_services.pipeline.run(
        "Hoe hoog is de vve-reiskostenvergoeding die gemeenten aan ouders van "
        "doelgroeppeuters moeten betalen?")
    assert answer.refused
    assert answer.trace["unsupported_terms"] == ["vve-reiskostenvergoeding"]
    assert answer.answer.startswith("De gevonden bronnen noemen vve-reiskostenvergoeding niet.")
    known = starter_services.pipeline.run(
        "Hoeveel uur pbm-inzet moet een vve-locatie per doelgroeppeuter per jaar organiseren?")
    assert not known.refused and "unsupported_terms" not in known.trace
    # a short word that is no term of the collection does not make a compound a name
    assert [t.text for t in salient_terms("Is de vve-toets een no-brainer?", set(),
                                          lambda word: word == "vve")] == ["vve-toets"]


def test_a_quoted_name_is_checked_whole_also_with_a_year_in_it(starter_services):
    from service.pipeline.grounding import salient_terms

    # the year inside the quotes used to cut the name into "Regeling" and "Onderwijs"
    question = ("Een gemeente vraagt naar de 'Regeling thuiszittersbudget NP Onderwijs 2026'. "
                "Wat is de aanvraagtermijn?")
    terms = [(t.text, t.kind) for t in salient_terms(question, set())]
    assert ("Regeling thuiszittersbudget NP Onderwijs 2026", "naam") in terms
    assert ("2026", "jaar") in terms  # the year is still checked on its own
    answer = starter_services.pipeline.run(question)
    assert answer.trace["unsupported_terms"] == ["Regeling thuiszittersbudget NP Onderwijs 2026"]
    assert answer.answer.startswith(
        "De gevonden bronnen noemen Regeling thuiszittersbudget NP Onderwijs 2026 niet.")
    # a quoted title the sources carry is not named
    known = starter_services.pipeline.run(
        "Wat staat er in de handreiking 'Inzet GOAB-middelen 2023-2026' over ambtelijke uren?")
    assert not known.refused and "unsupported_terms" not in known.trace


def test_a_scheme_no_card_knows_is_named_and_a_plain_compound_is_not(pipeline):
    # "NPO-bonusregeling": the acronym is known, "bonusregeling" is in no card
    answer = pipeline.run("Welke NPO-bonusregeling krijgen gemeenten die hun NPO-geld al "
                          "vóór 2023 hadden uitgegeven?")
    assert "NPO-bonusregeling" in answer.trace["unsupported_terms"]
    assert "noemen NPO-bonusregeling" in answer.answer


def test_a_compound_with_an_acronym_needs_only_words_the_collection_knows():
    from kb.analysis import DutchAnalyzer
    from service.pipeline.grounding import mentions_name

    analyze = DutchAnalyzer()
    known = {"plan", "bericht"}.__contains__
    # the retrieved sources say "plannen" (stem "plann"): known to the collection is enough
    assert mentions_name("NPO-plan", {"npo", "plann"}, analyze, known)
    assert mentions_name("VNG-bericht", set(), analyze, known)
    assert not mentions_name("NPO-bonusregeling", {"npo", "regel"}, analyze, known)
    # an ordinary name must be in the sources themselves
    assert not mentions_name("Zwolle", set(), analyze, lambda t: True)


def test_a_supported_question_names_no_missing_terms(pipeline):
    answer = pipeline.run("Hoeveel uur voorschoolse educatie krijgen peuters sinds 2020?")
    assert not answer.refused and "960 uur" in answer.answer
    assert "unsupported_terms" not in answer.trace


def test_need_like_chat_question_shows_interventions(pipeline):
    answer = pipeline.run("Wat is goedkoop en effectief tegen leesachterstanden in groep 4?",
                          history=[Turn("user", "Wat is de menukaart?")])
    assert answer.trace["route"] == "interventies"
    assert answer.trace["follow_up"] is False
    assert answer.interventions and not answer.refused
    assert "Passende interventies van de menukaart:" in answer.answer


def test_an_answer_lists_only_interventions_the_question_points_to(pipeline):
    # the recommender also ranks items on overall resemblance (welbevinden, uitbreiding
    # onderwijstijd for a question on how schools were chosen); an answer leaves those out
    answer = pipeline.run("Hoe zijn de scholen voor het effectonderzoek naar kansrijke "
                          "interventies gekozen?")
    assert answer.trace["route"] == "interventies"
    assert all(i.why.startswith("Sluit aan bij") for i in answer.interventions)
    assert "Inhoudelijk verwant" not in answer.answer
    # a need said only in general words and limits asks for the best buys within them
    best = pipeline.run("Welke interventies zijn goedkoop en hebben veel effect?")
    assert best.interventions and not best.refused


def test_not_fundable_note_only_when_the_question_names_the_item(pipeline):
    named = pipeline.run("Mogen we huiswerkbegeleiding uit de NPO-middelen betalen?")
    assert named.trace["not_fundable_item"] == "huiswerk"
    assert named.answer.startswith("Let op: Huiswerk")
    general = pipeline.run("Welke interventies staan op de menukaart van het NPO?")
    assert general.trace["not_fundable_item"] == ""
    assert "Let op:" not in general.answer


def test_every_answer_carries_a_trace(pipeline):
    answer = pipeline.run("en hoe wordt het betaald?",
                          history=[Turn("user", "Hoe verantwoorden gemeenten de NPO-middelen?")])
    trace = answer.trace
    assert trace["follow_up"] is True and "NPO-middelen" in trace["search_query"]
    for key in ("answer_type", "route", "composer", "refused"):
        assert key in trace


def test_the_trace_is_logged_at_info_without_personal_data(pipeline, caplog):
    import logging

    from service.privacy import install_log_redaction

    install_log_redaction()
    with caplog.at_level(logging.INFO, logger="kennisloket.answers"):
        pipeline.run("Tot wanneer mogen gemeenten de NPO-middelen besteden? Mail me op "
                     "jan@example.nl")
    lines = [r.getMessage() for r in caplog.records if r.name == "kennisloket.answers"]
    assert len(lines) == 1 and '"answer_type": "einddatum"' in lines[0]
    assert "jan@example.nl" not in lines[0]


def test_interventions_without_a_supported_answer_say_so(pipeline):
    # no source answers the question itself; the fitting interventions are still shown,
    # and the answer says they are not the answer to the question
    answer = pipeline.run("Welke interventies helpen bij rekenen in groep 5 en wat kosten ze "
                          "in Zwolle in 2029?")
    assert answer.trace["refusal_reason"] and answer.interventions and not answer.refused
    text = answer.answer
    assert text.startswith("De gevonden bronnen noemen Zwolle en 2029 niet.")
    said = text.index("Voor de vraag zelf heb ik geen betrouwbare bron in de kennisbank")
    assert said < text.index("Passende interventies van de menukaart:")
    helpdesk = pipeline.run("Welke interventies helpen bij rekenen in groep 5 en wat kosten ze "
                            "in Zwolle in 2029?", mode="helpdesk").answer
    assert "Op uw vraag zelf kunnen wij op basis van de beschikbare bronnen" in helpdesk


def test_a_briefing_lists_only_interventions_its_subject_names(starter_services):
    # a question on the yearly amounts describes no need: the municipal spending goals that
    # every question about municipal NPO money resembles are not "fitting interventions"
    money = starter_services.pipeline.run(
        "Voor een sessie: welke bedragen per jaar meldde de VNG voor het gemeentelijke "
        "NPO-geld?", mode="facilitator")
    listed = money.answer.split("## Passende interventies")[1].split("## Gespreksvragen")[0]
    assert money.interventions == [] and "Geen passende interventie" in listed
    # (the recommender no longer offers them at all: "gemeentelijke" lets the spending goals
    # in but points to none of them; the filter below still holds for what it offers)
    assert not money.refused and "## Kernfeiten\n- " in money.answer
    # whatever a briefing lists, its question or its key facts name
    recommender = starter_services.recommender
    for question in ("Voor de kenniskring: hoeveel NPO-geld kregen gemeenten volgens de VNG "
                     "per jaar?", "Voor een bijeenkomst over zomerscholen: wat weten we over "
                     "de opbrengst?"):
        briefing = starter_services.pipeline.run(question, mode="facilitator")
        facts = briefing.answer.split("## Kernfeiten")[1].split("## Passende")[0]
        assert all(recommender.named_in(i.id, f"{question} {facts}")
                   for i in briefing.interventions)
    assert any(i.name.startswith("Zomer") for i in briefing.interventions)
    assert briefing.trace["interventions_not_named"]  # the recommender offered more
    # the chat answer to a need is the recommender's list, unfiltered
    need = starter_services.pipeline.run("Wat past bij een leesachterstand in groep 6?")
    assert need.trace["route"] == "interventies" and need.interventions


def test_an_intervention_is_named_by_a_keyword_or_its_name(starter_services):
    recommender = starter_services.recommender
    assert recommender.named_in("gemeente-thuiszitters", "Het aantal thuiszitters groeit")
    assert recommender.named_in("gemeente-onderwijshuisvesting",
                                "Extra lokalen huren voor de bijlessen")
    assert not recommender.named_in("gemeente-onderwijshuisvesting",
                                    "Hoe is het NPO-geld over de jaren verdeeld?")
    assert not recommender.named_in("bestaat-niet", "thuiszitters")
