"""``python -m shared.token_cli ROLE [ORG]``: a development token from the local issuer, alone on the last line."""

from __future__ import annotations

import argparse
import os

from shared.auth import Role, issue_token
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
    print(f"# development token for {subject}, role {args.role}, valid {args.ttl} s")
    print(issue_token(secret=secret, issuer=issuer, audience=audience, subject=subject,
                      roles=[args.role], organisation=args.org, ttl_seconds=args.ttl))


if __name__ == "__main__":
    main()
