"""``python -m shared.token_cli ROLE [ORG]``: a development token from the local issuer, alone on the last line."""

from __future__ import annotations

import argparse
import os

from shared.auth import InvalidToken, Role, TokenVerifier, issue_token
from shared.settings import DEV_JWT_SECRET


def main() -> None:
    parser = argparse.ArgumentParser(prog="make token ROLE=<role> [ORG=<id>]")
    parser.add_argument("role", choices=[r.value for r in Role])
    parser.add_argument("org", nargs="?", default=None, help="the organisation the caller acts for")
    parser.add_argument("--subject", default=None)
    parser.add_argument("--ttl", type=int, default=8 * 3600, help="lifetime in seconds")
    args = parser.parse_args()
    secret = os.environ.get("JWT_SECRET", DEV_JWT_SECRET)
    issuer = os.environ.get("JWT_ISSUER", "https://auth.platform.local")
    audience = os.environ.get("JWT_AUDIENCE", "foreign-expert-platform")
    subject = args.subject or f"dev-{args.role}" + (f"@{args.org}" if args.org else "")
    token = issue_token(secret=secret, issuer=issuer, audience=audience, subject=subject,
                        roles=[args.role], organisation=args.org, ttl_seconds=args.ttl)
    try:  # a token the services would refuse is no use: say why now (e.g. an employer's ORG is its employer id)
        TokenVerifier(issuer=issuer, audience=audience, secret=secret, cache_size=0).verify(token)
    except InvalidToken as exc:
        parser.error(f"the services would refuse this token: {exc}")
    print(f"# development token for {subject}, role {args.role}, valid {args.ttl} s")
    print(token)


if __name__ == "__main__":
    main()
