"""Rules of the introduction catalogue that need no I/O (R-CATALOGUE): the states of editions and entries."""

from __future__ import annotations

from enum import StrEnum


class EditionStatus(StrEnum):
    """An introduction catalogue edition (引进目录, R-CATALOGUE): drafted, then published once."""

    draft = "draft"
    published = "published"


class EntryStatus(StrEnum):
    draft = "draft"
    published = "published"
    withdrawn = "withdrawn"
