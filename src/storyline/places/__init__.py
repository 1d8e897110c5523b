"""places: toponym recognition and resolution against an offline gazetteer.

Reads: a spaCy ``Doc`` (from ``storyline.annotate``). Writes: ``Place`` records with
character offsets; resolved ones carry GeoNames id, lat/lon, ISO alpha-3 country, feature
and admin-1. Public API: ``extract_places``, ``Gazetteer``, ``load_gazetteer``.
"""
from __future__ import annotations

from .gazetteer import Candidate, Gazetteer, load_gazetteer
from .resolve import extract_places, resolve_name

__all__ = ["extract_places", "resolve_name", "Gazetteer", "Candidate", "load_gazetteer"]
