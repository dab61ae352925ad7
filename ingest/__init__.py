"""Ingest layer: crawl the source sites and import local documents into the knowledge base.

Imports point down only: ``ingest`` uses ``kb`` and never ``service`` or ``ui``.
"""
