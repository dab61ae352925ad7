"""Intervention recommender: a described need → ranked, explained menukaart interventions.

Relevance is a hybrid text match (Dutch BM25 + e5 cosine) of the need against each
intervention's name, keywords and description. Only relevant items are ranked; among them
effect, evidence and cost lift the better buys (weights in config/recommender.yaml). Needs
that match nothing get an empty list, which callers present as "geen passende interventie".
"""

from __future__ import annotations

import re

import numpy as np
from langchain_core.embeddings import Embeddings

from kb.analysis import DutchAnalyzer, spell_out_abbreviations
from kb.catalog import SCALE_MAX, Catalog, Intervention, MunicipalMeasure, load_catalog
from kb.knowledge_base import KnowledgeBase
from kb.lexical import LexicalIndex
from kb.store import StoredChunk
from service.models import RecommendedIntervention

from service.recommender_config import FILTER_KEYS, RecommenderConfig, load_recommender_config

# A stem this long or longer may be the head of a compound: "foneembewustzijn" is a kind
# of "bewustzijn" (Dutch compounds end in their head; shorter stems such as "groep" or
# "reken" end too many unrelated words)
COMPOUND_HEAD = 7
MODIFIER_PREFIX = 4  # letters a compound's modifier shares with a term of the item it names
_MODIFIER = re.compile(r"\[(\w+)\]")  # _split_generic_heads: a split compound, its modifier


def item_text(item: Intervention | MunicipalMeasure) -> str:
    extra = " ".join(getattr(item, "examples", []) or [])
    return f"{item.name}. {item.name}. {' '.join(item.keywords)}. {item.description} {extra}"


class Recommender:
    def __init__(self, catalog: Catalog, embeddings: Embeddings,
                 config: RecommenderConfig) -> None:
        self.catalog = catalog
        self.cfg = config
        self._embeddings = embeddings
        self._analyzer = DutchAnalyzer()
        self.items: list[Intervention | MunicipalMeasure] = [
            *catalog.interventions, *catalog.municipal_measures]
        texts = [item_text(i) for i in self.items]
        self._lexical = LexicalIndex(
            [StoredChunk(str(n), t) for n, t in enumerate(texts)], self._analyzer)
        self._vectors = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
        # per item: its name and keywords with their stems, analysed once (every need is
        # checked against all of them)
        self._phrases = {item.id: [(phrase, frozenset(self._analyzer(phrase)))
                                   for phrase in (item.name, *item.keywords)]
                         for item in self.items}
        self._generic_stems = frozenset(self._analyzer(" ".join(config.generic_terms)))
        # generic words long enough to be the head of a compound ("rekenachterstand")
        self._generic_heads = [g for g in self._generic_stems if len(g) >= COMPOUND_HEAD]
        # "gemeente" says who acts (it lets the municipal spending goals in), not what fits
        self._actor_stems = frozenset(self._analyzer(" ".join(config.municipal_terms)))

    @classmethod
    def build(cls, kb: KnowledgeBase, catalog: Catalog | None = None) -> Recommender:
        return cls(catalog or load_catalog(), kb.embeddings, load_recommender_config())

    # -- need parsing ------------------------------------------------------------------
    def implicit_filters(self, need: str) -> dict:
        low = need.lower()
        found: dict = {}
        for key, options in self.cfg.implicit.items():
            for value, patterns in options.items():
                if any(re.search(rf"\b{p}\b", low) for p in patterns):
                    found[key] = int(value) if key == "max_cost" else value
                    break
        return found

    def _without_filter_phrases(self, low: str) -> str:
        for options in self.cfg.implicit.values():
            for patterns in options.values():
                for p in patterns:
                    low = re.sub(rf"\b{p}\b", " ", low)
        return low

    def is_municipal(self, need: str) -> bool:
        low = need.lower()
        return any(re.search(rf"\b{re.escape(t)}\b", low) for t in self.cfg.municipal_terms)

    def not_fundable_note(self, item_id: str) -> str:
        """The catalog's own reason (a full sentence) with its source, for a named item."""
        item = next(n for n in self.catalog.not_fundable if n.id == item_id)
        return f"Let op: {' '.join(item.reason.split())} (bron: {item.sources[0].url})"

    # -- ranking -----------------------------------------------------------------------
    def named_in(self, item_id: str, text: str) -> bool:
        """The text names the item: all the words of one of its keywords, or of its name."""
        item = next((i for i in self.items if i.id == item_id), None)
        return item is not None and self._names(item, set(self._analyzer(text)))

    def _names(self, item: Intervention | MunicipalMeasure, words: set[str],
               min_words: int = 1) -> bool:
        return any(len(stems) >= min_words and stems <= words
                   for _, stems in self._phrases[item.id])

    def is_generic(self, need: str) -> bool:
        """The need says only what every intervention is for, within its limits. The
        modifier of a compound with a generic head narrows it only when the catalog
        knows that word: "leesachterstand" points to reading, "rekenachterstand" to
        nothing the menukaart tells apart (its interventions are not per subject)."""
        words = self._split_generic_heads(need)
        split = set(self._analyzer(" ".join(_MODIFIER.findall(words))))
        return not {t for t in self._analyzer(words) if t not in self._generic_stems
                    and (t not in split or self._lexical.known(t))}

    def _split_generic_heads(self, need: str) -> str:
        """A compound ending in a generic word is its modifier plus that word:
        "rekenachterstanden" asks about rekenen, its head "achterstanden" says only what
        every intervention is for (Dutch compounds end in their head)."""
        def split(match: re.Match[str]) -> str:
            word = match.group(0)
            stem = self._analyzer.stem(word)
            if stem in self._generic_stems:
                return word
            for head in self._generic_heads:
                at = word.lower().rfind(head)
                if stem.endswith(head) and at >= 3:  # the word itself may be a keyword
                    return f"[{word}] [{word[:at]}] {word[at:]}"
            return word

        return re.sub(r"\w{10,}", split, need)

    def recommend(self, need: str, filters: dict | None = None, k: int = 5,
                  include_municipal: bool | None = None, vector=None,
                  words_only: bool = False) -> list[RecommendedIntervention]:
        """``vector``: the need's query embedding when the caller already has it.
        ``words_only``: leave out of the best ``k`` the items the need's own words do not
        point to (an answer to a question lists no intervention whose fit rests on overall
        resemblance alone; in the answers to the tuning sets those were mostly unrelated)."""
        explicit = {key: v for key, v in (filters or {}).items() if v not in (None, "")}
        unknown = set(explicit) - set(FILTER_KEYS)
        if unknown:
            raise ValueError(f"Onbekend filter: {', '.join(sorted(unknown))}")
        filters = {**self.implicit_filters(need), **explicit}
        threshold = self.cfg.min_relevance_filtered if explicit else self.cfg.min_relevance
        # a need said only in general words and limits ("wat werkt het best met weinig
        # budget in het vo?") asks for the best buys within those limits
        general = self.is_generic(self._without_filter_phrases(need.lower()))
        quality_only = bool(filters) and general
        w = self.cfg.weights
        words = self._split_generic_heads(need)  # what the need's own words say
        lexical = {int(c.id): s for c, s in self._lexical.search(words, len(self.items))}
        if vector is None:
            vector = self._embeddings.embed_query(spell_out_abbreviations(need))
        cos = self._vectors @ np.asarray(vector, dtype=np.float32)
        municipal = self.is_municipal(need) if include_municipal is None else include_municipal
        need_terms = set(self._analyzer(words))
        scored = []
        for n, item in enumerate(self.items):
            is_measure = isinstance(item, MunicipalMeasure)
            if (is_measure and not municipal) or not self._passes(item, filters):
                continue
            bm25 = lexical.get(n, 0.0)
            lex = bm25 / (bm25 + self.cfg.lexical_saturation)
            span = self.cfg.dense_ceiling - self.cfg.dense_floor
            dense = min(1.0, max(0.0, (float(cos[n]) - self.cfg.dense_floor) / span))
            relevance = w.lexical * lex + w.dense * dense
            if self._names(item, need_terms, min_words=2):
                # the need says all the words of one of the item's keywords of two words or
                # more ("executieve functies"; one word alone, "plannen", is too ambiguous):
                # it fits, also when a long question around it lowers the similarity
                relevance = max(relevance, threshold)
            if quality_only:
                relevance = 1.0
            elif relevance < threshold:
                continue
            score = relevance * (1 + w.quality * self._quality(item))
            scored.append((score, item))
        scored.sort(key=lambda s: -s[0])
        words_only = words_only and not general  # no word has to point to those
        return [self._explain(item, score, need_terms, filters, words, quality_only)
                for score, item in scored[:k]
                if not words_only or self._shared_words(item, need_terms, words)]

    def _passes(self, item, filters: dict) -> bool:
        if isinstance(item, MunicipalMeasure):
            return not any(k in filters for k in ("domain", "min_evidence", "doelgebied"))
        if filters.get("level") and filters["level"] not in item.levels:
            return False
        if filters.get("domain") and filters["domain"] not in item.domains:
            return False
        if filters.get("doelgebied") and item.doelgebied != filters["doelgebied"]:
            return False
        # An unknown cost or evidence cannot be promised to fit a limit: leave it out.
        if filters.get("max_cost") and (item.cost is None or item.cost > int(filters["max_cost"])):
            return False
        if filters.get("min_evidence") and (item.evidence is None
                                            or item.evidence < int(filters["min_evidence"])):
            return False
        return True

    def _quality(self, item) -> float:
        if isinstance(item, MunicipalMeasure):
            return 0.0
        w, cap = self.cfg.weights, self.cfg.effect_cap_months
        effect = min(max(item.effect_months or 0, 0), cap) / cap
        evidence = (item.evidence or self.cfg.missing_evidence) / SCALE_MAX
        cost = (SCALE_MAX + 1 - item.cost) / SCALE_MAX if item.cost else 0.0
        return w.effect * effect + w.evidence * evidence + w.cost * cost

    def _shared_words(self, item, need_terms: set[str], need_text: str) -> list[str]:
        """What in the need points to the item: its keywords the need says in full
        ("lezen groep 6" must not explain a need for "lezen groep 4"); otherwise the need's
        own words sharing a stem with its name or keywords, also as the head of a compound
        ("foneembewustzijn": "fonemisch bewustzijn", not "huiswerkbegeleiding": "loopbaan-
        begeleiding"). Not the words that set a filter
        ("groep 6", "weinig budget": the level and budget reasons say those), generic words
        ("interventies") or bare numbers."""
        limit = self.cfg.why_terms
        matched = [kw for kw, stems in self._phrases[item.id][1:]
                   if stems and stems <= need_terms][:limit]
        if matched:
            return matched
        item_terms = {t for _, stems in self._phrases[item.id] for t in stems}
        generic = self._generic_stems | self._actor_stems
        heads = {t for t in item_terms - generic if len(t) >= COMPOUND_HEAD}
        words = re.findall(r"[\w-]+", self._without_filter_phrases(need_text.lower()))
        return list(dict.fromkeys(
            w for w in words if not w.isdigit()
            and any(stem in item_terms or any(_kind_of(stem, p, item_terms) for p in heads)
                    for stem in set(self._analyzer(w)) - generic)))[:limit]

    def _explain(self, item, score: float, need_terms: set[str], filters: dict,
                 need_text: str = "", quality_only: bool = False) -> RecommendedIntervention:
        matched = self._shared_words(item, need_terms, need_text)
        # a need in general words only is ranked on effect, evidence and cost alone
        reasons = [f"sluit aan bij: {', '.join(matched)}"] if matched else \
            ["een van de sterkste interventies binnen uw grenzen"] if quality_only else \
            ["inhoudelijk verwant aan uw omschrijving"]
        if filters.get("level"):
            reasons.append(f"geschikt voor {filters['level']}")
        if filters.get("max_cost") and getattr(item, "cost", None) is not None:
            # a municipal spending goal has no cost on the menukaart: nothing to promise
            reasons.append("past binnen een beperkt budget")
        if isinstance(item, MunicipalMeasure):
            texts = self.cfg.municipal
            return self._recommended(item, score, reasons, kind="gemeentelijke maatregel",
                                     doelgebied_name=texts.area_name, headline=texts.headline,
                                     conditions=item.examples[:self.cfg.measure_examples])
        if item.evidence is not None and item.evidence <= 2:
            reasons.append("let op: het bewijs is beperkt")
        if item.cost is None:
            reasons.append("de kosten zijn onbekend")
        return self._recommended(
            item, score, reasons, kind="interventie", doelgebied=item.doelgebied,
            doelgebied_name=self.catalog.doelgebieden[item.doelgebied].name,
            headline=self.catalog.headline(item), conditions=item.conditions,
            effect_months=item.effect_months, evidence=item.evidence, cost=item.cost,
            levels=item.levels, domains=item.domains)

    @staticmethod
    def _recommended(item: Intervention | MunicipalMeasure, score: float, reasons: list[str],
                     **fields) -> RecommendedIntervention:
        """The one place a recommendation is built; ``fields`` are what differs between an
        intervention and a municipal spending goal (the latter has no scales)."""
        return RecommendedIntervention(
            **{"doelgebied": None, "effect_months": None, "evidence": None, "cost": None,
               "levels": [], "domains": [], **fields},
            id=item.id, name=item.name, why="; ".join(reasons).capitalize() + ".",
            description=item.description, links=list(item.sources), score=round(score, 4))


def _kind_of(stem: str, head: str, item_terms: set[str]) -> bool:
    """A compound names the item through its head only when its modifier does too:
    "foneembewustzijn" is "fonemisch bewustzijn" ("fone…"), "huiswerkbegeleiding" is no
    "loopbaanoriëntatie en -begeleiding" (nothing of the item starts like "huiswerk")."""
    if not stem.endswith(head) or len(stem) - len(head) < MODIFIER_PREFIX:
        return False
    modifier = stem[:len(stem) - len(head)]
    return any(t[:MODIFIER_PREFIX] == modifier[:MODIFIER_PREFIX]
               for t in item_terms if t != head)
