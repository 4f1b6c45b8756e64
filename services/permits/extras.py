"""What the permits service adds to its runtime: the webhook dispatcher (``runtime.extras.dispatcher``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from services.permits.workers.webhook_dispatcher import WebhookDispatcher
from shared.runtime import Extras, ServiceRuntime
from shared.workers import Worker


@dataclass
class PermitsExtras(Extras):
    dispatcher: WebhookDispatcher
    """Sends the queued webhook deliveries; started unless ``webhook_dispatcher_enabled`` is off."""

    @classmethod
    def build(cls, runtime: ServiceRuntime) -> "PermitsExtras":
        return cls(dispatcher=WebhookDispatcher(runtime))

    def workers(self) -> Sequence[Worker]:
        return (self.dispatcher,)


PermitsRuntime = ServiceRuntime[PermitsExtras]
