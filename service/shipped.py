"""Texts of the service layer that ship with their vectors (kb/vector_pack.py): the
intervention catalog as the recommender embeds it, and the classifiers' example questions."""

from __future__ import annotations


def catalog_passages() -> list[str]:
    from kb.catalog import load_catalog
    from service.recommender import item_text

    catalog = load_catalog()
    return [item_text(i) for i in [*catalog.interventions, *catalog.municipal_measures]]


def example_queries() -> list[str]:
    from service.classifiers import all_example_texts

    return all_example_texts()
