"""The event bus: one interface, a RabbitMQ implementation and an embedded one."""

from shared.bus.base import Bus, BusUnavailable, Delivery, DeliveryHandler, ParkedMessage, PublishError

__all__ = ["Bus", "BusUnavailable", "Delivery", "DeliveryHandler", "ParkedMessage", "PublishError", "make_bus"]


def make_bus(settings) -> Bus:
    """Build the bus the settings choose; nothing connects until ``start``."""
    from shared.settings import BusKind

    if settings.bus is BusKind.rabbitmq:
        from shared.bus.rabbitmq import RabbitBus

        return RabbitBus(
            settings.amqp_url,
            exchange=settings.exchange,
            delivery_limit=settings.delivery_limit,
            retry_backoff_seconds=settings.retry_backoff_seconds,
            prefetch=settings.prefetch,
            batch_size=settings.consumer_batch_size,
            batch_workers=settings.consumer_batch_workers,
            namespace=settings.bus_namespace,
            reconnect_seconds=settings.amqp_reconnect_seconds,
        )
    from shared.bus.embedded import EmbeddedBus

    return EmbeddedBus(
        settings.var_dir / "bus.db",
        delivery_limit=settings.delivery_limit,
        retry_backoff_seconds=settings.retry_backoff_seconds,
    )
