"""Development sign-in (开发环境登录): a local issuer's token for a role and organisation picked from the registry."""
