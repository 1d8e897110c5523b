"""Verbs of preventing, shared by ``arguments`` and ``modality``.

Why a module of its own: "barred X from doing" makes X the doer of the prevented act
(arguments) and the doing an act that did not happen (modality). With the set in
``arguments``, ``modality`` imported ``arguments`` while ``arguments`` imported
``modality``: an import cycle.
"""
from __future__ import annotations

PREVENTING = {"bar", "ban", "prevent", "stop", "prohibit", "forbid", "block", "keep", "deter", "dissuade", "discourage",
              "refrain"}
