"""Rules of the development sign-in that need no I/O: labels in both languages, the default subject, the token.

The token is the local issuer's (``shared.auth.issue_token``, the same as ``make token``), checked with the same
``TokenVerifier`` the services use, so a sign-in that would give a token they refuse is refused here, naming
the field to change.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.directory.employers.domain import District
from shared.auth import InvalidToken, Principal, Role, TokenVerifier, competent_department, district_bureau, issue_token

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "en"
"""No ``Accept-Language`` (or none we have): English, as for every message of the platform."""

TOKEN_TTL_SECONDS = 8 * 3600
"""As ``make token`` (shared/token_cli.py): a working day."""

ROLE_LABELS: dict[Role, dict[str, str]] = {
    Role.employer: {"zh-CN": "用人单位", "en": "Employer"},
    Role.preliminary_reviewer: {"zh-CN": "初审单位（区人力社保局/主管部门）",
                                "en": "Preliminary reviewer (district bureau / competent department)"},
    Role.bureau_officer: {"zh-CN": "市外专局工作人员", "en": "Bureau officer"},
    Role.committee_member: {"zh-CN": "评审委员", "en": "Committee member"},
    Role.expert: {"zh-CN": "外国专家", "en": "Foreign expert"},
    Role.partner_agency: {"zh-CN": "合作机构", "en": "Partner agency"},
    Role.admin: {"zh-CN": "系统管理员", "en": "Administrator"},
}

DISTRICT_NAMES: dict[District, tuple[str, str]] = {
    District.dongcheng: ("东城区", "Dongcheng"),
    District.xicheng: ("西城区", "Xicheng"),
    District.chaoyang: ("朝阳区", "Chaoyang"),
    District.fengtai: ("丰台区", "Fengtai"),
    District.shijingshan: ("石景山区", "Shijingshan"),
    District.haidian: ("海淀区", "Haidian"),
    District.mentougou: ("门头沟区", "Mentougou"),
    District.fangshan: ("房山区", "Fangshan"),
    District.tongzhou: ("通州区", "Tongzhou"),
    District.shunyi: ("顺义区", "Shunyi"),
    District.changping: ("昌平区", "Changping"),
    District.daxing: ("大兴区", "Daxing"),
    District.huairou: ("怀柔区", "Huairou"),
    District.pinggu: ("平谷区", "Pinggu"),
    District.miyun: ("密云区", "Miyun"),
    District.yanqing: ("延庆区", "Yanqing"),
}


def language_of(accept_language: str | None) -> str:
    """The language of ``LANGUAGES`` the caller prefers most (RFC 9110 §12.5.4 weights), else English."""
    ranked = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, parameters = part.strip().partition(";")
        weight = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        primary = tag.strip().lower().split("-")[0]
        language = {"zh": "zh-CN", "en": "en"}.get(primary)
        if language and weight > 0:
            ranked.append((-weight, position, language))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def district_labels(district: District) -> dict[str, str]:
    """The district HR bureau (区人力社保局) that reviews first for employers of ``district`` (R-APPLY)."""
    chinese, english = DISTRICT_NAMES[district]
    return {"zh-CN": f"{chinese}人力社保局", "en": f"{english} District HR and Social Security Bureau"}


def district_organisations() -> list[tuple[str, dict[str, str]]]:
    """Every district bureau as a reviewer's organisation (``district:<pinyin>``), in the enum's order."""
    return [(district_bureau(district.value), district_labels(district)) for district in District]


def department_organisations(names: list[str]) -> list[tuple[str, str]]:
    """(``department:<name>``, name) of each competent department a token can carry, once each: an organisation
    has at most ``ORGANISATION_MAX_LENGTH`` characters, and a registered name may be longer."""
    found: dict[str, str] = {}
    for name in names:
        organisation = competent_department(name.strip())
        try:
            Principal.of_claims({"sub": "check", "roles": [Role.preliminary_reviewer.value], "org": organisation})
        except InvalidToken:
            continue
        found.setdefault(organisation, name.strip())
    return list(found.items())


def default_subject(role: Role, organisation: str | None) -> str:
    """As ``make token``: ``dev-<role>``, with ``@<organisation>`` when there is one."""
    return f"dev-{role.value}" + (f"@{organisation}" if organisation else "")


class SignInRefused(Exception):
    """The services would refuse the token asked for; ``field`` is the part of the request to change."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    principal: Principal
    expires_in: int


@dataclass(frozen=True)
class LocalIssuer:
    """The development issuer (HS256 with the services' secret) and the check the services make of its tokens."""

    secret: str
    issuer: str
    audience: str
    ttl_seconds: int = TOKEN_TTL_SECONDS

    def issue(self, role: Role, organisation: str | None, subject: str | None) -> IssuedToken:
        """A token for ``role`` acting for ``organisation``; ``SignInRefused`` naming the field when the services'
        ``TokenVerifier`` would refuse it (e.g. an employer's organisation is its employer id, a UUID)."""
        subject = subject or default_subject(role, organisation)
        try:  # the subject alone first, so that a refusal names the field that is wrong
            Principal.of_claims({"sub": subject, "roles": []})
        except InvalidToken as exc:
            raise SignInRefused("subject", str(exc)) from exc
        token = issue_token(secret=self.secret, issuer=self.issuer, audience=self.audience, subject=subject,
                            roles=[role.value], organisation=organisation, ttl_seconds=self.ttl_seconds)
        verifier = TokenVerifier(issuer=self.issuer, audience=self.audience, secret=self.secret, cache_size=0)
        try:
            principal = verifier.verify(token)
        except InvalidToken as exc:  # the role is one of Role and the subject passed: what is left is the org
            raise SignInRefused("organisation", str(exc)) from exc
        return IssuedToken(access_token=token, principal=principal, expires_in=self.ttl_seconds)
