"""Development tokens for tests, from the same local issuer ``make token`` uses."""

from __future__ import annotations

from shared.auth import issue_token
from shared.settings import DEV_JWT_SECRET

ISSUER = "https://auth.platform.local"
AUDIENCE = "foreign-expert-platform"


def token(role: str, org: str | None = None, *, subject: str | None = None, ttl: int = 3600,
          secret: str = DEV_JWT_SECRET) -> str:
    return issue_token(secret=secret, issuer=ISSUER, audience=AUDIENCE, subject=subject or f"test-{role}",
                       roles=[role], organisation=org, ttl_seconds=ttl)


def auth(role: str, org: str | None = None, **kwargs) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, org, **kwargs)}"}
