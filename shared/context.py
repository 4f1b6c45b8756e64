"""Who is acting and on behalf of which request or event: carried in a context variable."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field

from shared.auth import Principal


@dataclass
class ActionContext:
    request_id: str | None = None
    """The HTTP request id, or the correlation id of the event being handled."""
    causation_id: str | None = None
    """The id of the event being handled, if any."""
    principal: Principal | None = None
    method: str | None = None
    path: str | None = None
    extra: dict = field(default_factory=dict)


_current: contextvars.ContextVar[ActionContext | None] = contextvars.ContextVar("action_context", default=None)


def current() -> ActionContext:
    ctx = _current.get()
    if ctx is None:
        ctx = ActionContext()
        _current.set(ctx)
    return ctx


def bind(ctx: ActionContext) -> contextvars.Token:
    return _current.set(ctx)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)
