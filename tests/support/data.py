"""Valid test data: employers with correct unified social credit codes."""

from __future__ import annotations

import random

from services.directory.domain import CREDIT_CODE_CHARSET, credit_code_check_character
from services.directory.domain import District


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
