"""Request and response models of the development sign-in."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import Field, field_validator

from shared.auth import ORGANISATION_MAX_LENGTH, SUBJECT_MAX_LENGTH, Role
from shared.schemas import Input, Output


class SignInLabels(Output):
    """One label in each language of the console."""

    zh_CN: str = Field(alias="zh-CN", serialization_alias="zh-CN")
    en: str


class SignInRoleOption(Output):
    role: Role
    label: str = Field(description="In the language of the request's Accept-Language (zh-CN or English)")
    labels: SignInLabels


class SignInEmployerOption(Output):
    """A registered employer: an employer signs in acting for its id (``org``)."""

    id: uuid.UUID
    name: str


class SignInOrganisationOption(Output):
    """A preliminary reviewer's organisation: ``district:<pinyin>`` or ``department:<name>`` (R-APPLY)."""

    id: str
    name: str = Field(description="In the language of the request's Accept-Language (zh-CN or English)")
    labels: SignInLabels


class SignInOptions(Output):
    """What the development sign-in page offers: every role, the registered employers, the reviewing bodies."""

    roles: list[SignInRoleOption]
    employers: list[SignInEmployerOption] = Field(description="Registered employers by name (at most 500)")
    districts: list[SignInOrganisationOption] = Field(description="Beijing's sixteen district HR bureaux")
    departments: list[SignInOrganisationOption] = Field(
        description="The competent departments (主管部门) the registered employers named")


class SignInTokenRequest(Input):
    role: Role
    organisation: Annotated[str | None, Field(
        max_length=ORGANISATION_MAX_LENGTH,
        description="Who the role acts for: an employer's id; for a preliminary reviewer 'district:<pinyin>' or "
                    "'department:<name>'; optional for the other roles")] = None
    subject: Annotated[str | None, Field(
        max_length=SUBJECT_MAX_LENGTH,
        description="The token's sub: for an expert their expert id, for a committee member their roster "
                    "identity; default 'dev-<role>[@<organisation>]' (as make token)")] = None

    @field_validator("organisation", "subject")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None


class SignInToken(Output):
    """An access token of the local issuer (RFC 6749 §5.1 field names) and whom it names."""

    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int = Field(description="Seconds until the token expires")
    subject: str
    roles: list[Role]
    organisation: str | None
