"""Valid test data: employers with correct unified social credit codes."""

from __future__ import annotations

import random
from datetime import date

from services.directory.employers.domain import CREDIT_CODE_CHARSET, credit_code_check_character
from services.directory.employers.domain import District


def credit_code(rng: random.Random | None = None) -> str:
    rng = rng or random.Random()
    body = "91" + "110108" + "".join(rng.choice(CREDIT_CODE_CHARSET) for _ in range(9))
    return body + credit_code_check_character(body)


def employer(name: str | None = None, **overrides) -> dict:
    rng = random.Random()
    body = {
        "name": name or f"Employer {rng.randrange(10**6)}",
        "credit_code": credit_code(rng),
        "district": rng.choice(list(District)).value,
        "competent_department": None,
        "municipal_state_owned": rng.random() < 0.5,
    }
    body.update(overrides)
    return body


def catalogue_edition(**overrides) -> dict:
    """A catalogue edition valid from 2024 to a few years after today (R-CATALOGUE)."""
    until = f"{date.today().year + 4}-12-31"
    body = {"title": f"Introduction catalogue 2024-{until[:4]}", "valid_from": "2024-01-01", "valid_until": until}
    body.update(overrides)
    return body


def catalogue_entry(**overrides) -> dict:
    body = {
        "focus_area": "strategic_emerging_industries",
        "field": "new_generation_it",
        "zone": "zgc_science_city",
        "demand": "Photonic chip design for data centres",
        "number_sought": 3,
    }
    body.update(overrides)
    return body


def application(catalogue_entry_id, **overrides) -> dict:
    """An application draft (R-APPLY); ``candidate`` and ``contract`` overrides replace single keys."""
    candidate = {
        "name": "Ada Example",
        "nationality": "GB",
        "passport_number": "K1234567",
        "date_of_birth": "1975-04-02",
        "field": "Integrated photonics",
        "achievements": "Led the design of three generations of silicon photonic transceivers.",
        "current_post": "Principal engineer, Example Photonics Ltd",
    }
    candidate.update(overrides.pop("candidate", {}))
    contract = {"start": "2025-01-01", "end": "2027-12-31", "annual_salary": "850000.00"}
    contract.update(overrides.pop("contract", {}))
    body = {
        "catalogue_entry_id": str(catalogue_entry_id),
        "candidate": candidate,
        "position": "Chief scientist, photonics laboratory",
        "contract": contract,
        "track": "haiju_long_term",
        "intent_date": "2024-11-15",
    }
    body.update(overrides)
    return body


def recommendation(**overrides) -> dict:
    """A peer-expert recommendation (同行业专家推荐, R-APPLY)."""
    body = {
        "recommender_name": "Prof. Grace Peer",
        "title": "Professor of Electrical Engineering",
        "institution": "Example Institute of Technology",
        "relation": "Former collaborator",
        "statement": "An outstanding engineer, widely recognised in the field.",
    }
    body.update(overrides)
    return body


FORMAL_CHECKLIST_COMPLETE = {
    "application_form": True,
    "passport_copy": True,
    "contract_terms": True,
    "peer_recommendation": True,
    "intent_record": True,
    "catalogue_entry": True,
}
"""R-FORMAL: the formal review's completeness checklist, every item ticked."""
