"""Rules of the employer registry that need no I/O: employer identity (GB 32100-2015) and districts."""

from __future__ import annotations

from enum import StrEnum

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class District(StrEnum):
    """Beijing's sixteen districts: each has a district HR bureau (区人力社保局) for R-APPLY."""

    dongcheng = "dongcheng"
    xicheng = "xicheng"
    chaoyang = "chaoyang"
    fengtai = "fengtai"
    shijingshan = "shijingshan"
    haidian = "haidian"
    mentougou = "mentougou"
    fangshan = "fangshan"
    tongzhou = "tongzhou"
    shunyi = "shunyi"
    changping = "changping"
    daxing = "daxing"
    huairou = "huairou"
    pinggu = "pinggu"
    miyun = "miyun"
    yanqing = "yanqing"


def credit_code_check_character(first17: str) -> str:
    """GB 32100-2015: the 18th character of a unified social credit code (统一社会信用代码)."""
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code, or None if it is."""
    if len(code) != 18:
        return "a unified social credit code has 18 characters"
    bad = [c for c in code if c not in CREDIT_CODE_CHARSET]
    if bad:
        return f"character {bad[0]!r} is not allowed in a unified social credit code"
    if credit_code_check_character(code[:17]) != code[17]:
        return "the check character does not match (GB 32100-2015)"
    return None

