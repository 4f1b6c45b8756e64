"""Rules of awards (R-AWARD), consultations (R-PLATFORM (5)) and settlement services (R-SETTLE) that need no I/O."""

from __future__ import annotations

from collections import Counter
from enum import StrEnum


class Award(StrEnum):
    """R-AWARD (Art. 10(5)): the awards an expert may be nominated for."""

    great_wall_friendship_award = "great_wall_friendship_award"
    """长城友谊奖, Beijing's award for foreign experts."""
    beijing_model_worker = "beijing_model_worker"
    beijing_outstanding_talent = "beijing_outstanding_talent"
    """Beijing outstanding science, technology and management talent."""
    national_friendship_award = "national_friendship_award"
    """友谊奖, the national award: only for especially outstanding experts."""


class NominationStatus(StrEnum):
    proposed = "proposed"
    endorsed = "endorsed"
    declined = "declined"
    awarded = "awarded"
    not_awarded = "not_awarded"


NOMINATION_TRANSITIONS: dict[NominationStatus, frozenset[NominationStatus]] = {
    NominationStatus.proposed: frozenset({NominationStatus.endorsed, NominationStatus.declined}),
    NominationStatus.endorsed: frozenset({NominationStatus.awarded, NominationStatus.not_awarded}),
    NominationStatus.declined: frozenset(),
    NominationStatus.awarded: frozenset(),
    NominationStatus.not_awarded: frozenset(),
}
"""The bureau endorses or declines a proposal, then records the awarding body's outcome."""


class ConsultationStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"


CONSULTATION_TRANSITIONS = {
    ConsultationStatus.draft: ConsultationStatus.open,
    ConsultationStatus.open: ConsultationStatus.closed,
}


class QuestionKind(StrEnum):
    choice = "choice"
    text = "text"


class CourseKind(StrEnum):
    """R-SETTLE (Art. 15): adaptation coaching in language, culture and the city."""

    language = "language"
    culture = "culture"
    city = "city"


class GuideTopic(StrEnum):
    """Chapters of the working-and-living guide (R-SETTLE); ``contacts`` is the contact mechanism."""

    work = "work"
    residence = "residence"
    housing = "housing"
    healthcare = "healthcare"
    schooling = "schooling"
    transport = "transport"
    banking = "banking"
    daily_life = "daily_life"
    contacts = "contacts"


def answers_problem(questions: list[dict], answers: dict[str, str]) -> tuple[str, str] | None:
    """(field, why) if ``answers`` do not fit the questions, else None; every question needs an answer."""
    by_id = {q["id"]: q for q in questions}
    for key in answers:
        if key not in by_id:
            return f"answers.{key}", f"no question {key!r} in this consultation"
    for question in questions:
        answer = answers.get(question["id"])
        if answer is None or not answer.strip():
            return f"answers.{question['id']}", "every question needs an answer"
        if question["kind"] == QuestionKind.choice and answer not in question["options"]:
            return f"answers.{question['id']}", f"choose one of: {', '.join(question['options'])}"
    return None


def tally(questions: list[dict], responses: list[dict[str, str]]) -> list[dict]:
    """The results: per choice question the count of each option (all options listed), per text question the answers."""
    results = []
    for question in questions:
        given = [r[question["id"]] for r in responses if question["id"] in r]
        if question["kind"] == QuestionKind.choice:
            counts = Counter(given)
            results.append({"id": question["id"], "text": question["text"], "kind": question["kind"],
                            "counts": {option: counts.get(option, 0) for option in question["options"]}})
        else:
            results.append({"id": question["id"], "text": question["text"], "kind": question["kind"],
                            "answers": given})
    return results
