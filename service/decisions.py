"""The four classifiers of the service, built once per process (service/classifiers.py)."""

from __future__ import annotations

from functools import cached_property

from kb.analysis import DutchAnalyzer
import re

from service.classifiers import (
    SURFACE,
    EmbeddingClassifier,
    Example,
    ExampleSet,
    FeatureContext,
    load_example_set,
)

# Labels of the not-fundable classifier → ids of kb/data/interventions.yaml `not_fundable`.
NOT_FUNDABLE_IDS = {"zittenblijven": "zittenblijven", "huiswerk": "huiswerk",
                    "buitenschools_leren": "buitenschools-leren",
                    "buiten_menukaart": "interventies-buiten-de-menukaart"}


class Decisions:
    def __init__(self, embeddings) -> None:
        self._embeddings = embeddings
        self._analyzer = DutchAnalyzer()
        self.model_id = getattr(embeddings, "model_id", type(embeddings).__name__)

    def _embed_queries(self, texts: list[str]) -> list[list[float]]:
        batch = getattr(self._embeddings, "embed_queries", None)
        return batch(texts) if batch else [self._embeddings.embed_query(t) for t in texts]

    def _overlap(self, text: str, previous: str) -> float:
        """Share of the new question's terms that the previous question already has."""
        terms = set(self._analyzer(text))
        return len(terms & set(self._analyzer(previous))) / len(terms) if terms else 0.0

    @cached_property
    def _item_names(self) -> list[list[list[str]]]:
        """Per not-fundable item (label order): its name and aliases, each as stems."""
        from kb.catalog import load_catalog

        # "interventies buiten de menukaart" is a description, not a name: the negation
        # feature (classifiers.SURFACE["not_on_list"]) speaks for it
        items = {n.id: n for n in load_catalog().not_fundable}
        return [[self._analyzer(name) for name in (items[i].name, *items[i].aliases)]
                for i in NOT_FUNDABLE_IDS.values() if i != "interventies-buiten-de-menukaart"]

    def _item_match(self, text: str) -> list[float]:
        """Per not-fundable item: 1 when the text names it (every stem of its name or of an
        alias starts a word of the text, so "huiswerkbegeleiding" matches "huiswerk" and
        "huisvesting" does not), else 0."""
        words = [w for w in re.findall(r"\w+", text.lower())]
        stems = set(self._analyzer(text))

        def named(name: list[str]) -> bool:
            return bool(name) and all(s in stems or any(w.startswith(s) for w in words)
                                      for s in name)

        return [float(any(named(n) for n in names)) for names in self._item_names]

    def _make(self, name: str) -> EmbeddingClassifier:
        context = FeatureContext(overlap=self._overlap, item_match=self._item_match)
        augment = self._with_domain_negatives if name == "not_fundable" else None
        return EmbeddingClassifier(load_example_set(name), self._embed_queries, self.model_id,
                                   context, augment=augment)

    def _with_domain_negatives(self, examples: ExampleSet) -> ExampleSet:
        """Every other labelled question of the domain that names no not-fundable item is
        a negative too: without them, a question far from all examples (a bijstandsnorm, a
        GOAB surplus) could land in any class."""
        own = {e.text for e, _ in examples.rows()}
        extra: list[Example] = []
        for other in ("answer_type", "route", "follow_up"):
            for example, _ in load_example_set(other).rows():
                text = example.text
                if text not in own and not any(self._item_match(text)) \
                        and not SURFACE["not_on_list"](text, "", None)[0]:
                    own.add(text)
                    extra.append(Example(text=text))
        classes = dict(examples.classes)
        classes["geen"] = [*classes["geen"], *extra]
        return examples.model_copy(update={"classes": classes})

    @cached_property
    def follow_up(self) -> EmbeddingClassifier:
        return self._make("follow_up")

    @cached_property
    def answer_type(self) -> EmbeddingClassifier:
        return self._make("answer_type")

    @cached_property
    def route(self) -> EmbeddingClassifier:
        return self._make("route")

    @cached_property
    def not_fundable(self) -> EmbeddingClassifier:
        return self._make("not_fundable")

    def all(self) -> list[EmbeddingClassifier]:
        return [self.follow_up, self.answer_type, self.route, self.not_fundable]

    def not_fundable_id(self, vector, text: str, threshold: float) -> str:
        """The catalog id of the not-fundable item the question names, or ""."""
        p = self.not_fundable.predict(vector, text)
        if p.label == "geen" or p.probability < threshold:
            return ""
        return NOT_FUNDABLE_IDS.get(p.label, "")
