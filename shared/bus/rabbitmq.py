"""RabbitMQ implementation of the bus (aio-pika): topic exchange, quorum queues, parking.

Per consuming service: a durable quorum queue ``<service>.events`` with an explicit
``x-delivery-limit`` (RabbitMQ 3.10 has no default) that dead-letters into a direct
exchange, which routes to the service's parking queue ``<service>.parked``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import UTC, datetime

import aio_pika
from aio_pika.abc import (
    AbstractChannel,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustConnection,
)

from shared.bus.base import (
    Bus, BusUnavailable, Delivery, DeliveryHandler, ParkedMessage, PublishError, backoff_delay,
)
from shared.events.topology import parking_queue_name, queue_name

log = logging.getLogger(__name__)

PUBLISH_TIMEOUT_SECONDS = 10.0


class RabbitBus(Bus):
    def __init__(
        self,
        url: str,
        *,
        exchange: str = "platform.events",
        delivery_limit: int = 5,
        retry_backoff_seconds: float = 0.2,
        prefetch: int = 128,
        batch_size: int = 32,
        batch_workers: int = 4,
        namespace: str = "",
        reconnect_seconds: float = 1.0,
    ) -> None:
        self.url = url
        self.reconnect_seconds = reconnect_seconds
        self.namespace = namespace
        """Prefix of every exchange and queue name: lets test runs share one broker."""
        self.exchange_name = namespace + exchange
        self.dead_letter_exchange_name = f"{exchange}.dlx"
        self.delivery_limit = delivery_limit
        self.retry_backoff_seconds = retry_backoff_seconds
        self.prefetch = prefetch
        self.batch_size = batch_size
        self.batch_workers = batch_workers
        self._connection: AbstractRobustConnection | None = None
        self._publish_channel: AbstractChannel | None = None
        self._exchange: AbstractExchange | None = None
        self._consumers: dict[str, tuple[AbstractChannel, AbstractQueue, str, list[asyncio.Task]]] = {}
        self._inflight: set[asyncio.Task] = set()

    def queue_name(self, service: str) -> str:
        return self.namespace + queue_name(service)

    def parking_queue_name(self, service: str) -> str:
        return self.namespace + parking_queue_name(service)

    async def start(self) -> None:
        self._connection = await aio_pika.connect_robust(
            self.url, client_properties={"connection_name": f"platform {self.namespace}".strip()},
            reconnect_interval=self.reconnect_seconds,
        )
        self._publish_channel = await self._connection.channel(
            publisher_confirms=True, on_return_raises=True
        )
        self._exchange = await self._publish_channel.declare_exchange(
            self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
        )

    async def close(self) -> None:
        for service in list(self._consumers):
            await self.stop_consuming(service)
        if self._inflight:
            await asyncio.gather(*self._inflight, return_exceptions=True)
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    def _queue_arguments(self, service: str) -> dict:
        return {
            "x-queue-type": "quorum",
            "x-delivery-limit": self.delivery_limit,
            "x-dead-letter-exchange": self.dead_letter_exchange_name,
            "x-dead-letter-routing-key": service,  # the parking queue binds by service name
        }

    async def declare(self, subscriptions: dict[str, Iterable[str]]) -> None:
        channel = await self._require_connection().channel()
        try:
            exchange = await channel.declare_exchange(
                self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
            )
            dlx = await channel.declare_exchange(
                self.dead_letter_exchange_name, aio_pika.ExchangeType.DIRECT, durable=True
            )
            for service, routing_keys in subscriptions.items():
                routing_keys = list(routing_keys)
                if not routing_keys:
                    continue
                queue = await channel.declare_queue(
                    self.queue_name(service), durable=True, arguments=self._queue_arguments(service)
                )
                for key in routing_keys:
                    await queue.bind(exchange, routing_key=key)
                parking = await channel.declare_queue(
                    self.parking_queue_name(service), durable=True, arguments={"x-queue-type": "quorum"}
                )
                await parking.bind(dlx, routing_key=service)
        finally:
            await channel.close()

    async def publish(
        self, routing_key: str, body: bytes, *, message_id: str, headers: dict | None = None
    ) -> None:
        if self._exchange is None or self._connection is None or self._connection.is_closed:
            raise BusUnavailable("not connected to RabbitMQ")
        message = aio_pika.Message(
            body,
            message_id=message_id,
            content_type="application/cloudevents+json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            headers=headers or {},
            timestamp=datetime.now(UTC),
        )
        try:
            await self._exchange.publish(
                message, routing_key, mandatory=True, timeout=PUBLISH_TIMEOUT_SECONDS
            )
        except Exception as exc:  # nack, return (unroutable), time-out, closed channel
            raise PublishError(f"{type(exc).__name__}: {exc}") from exc

    async def consume(self, service: str, handler: DeliveryHandler) -> None:
        channel = await self._require_connection().channel()
        await channel.set_qos(prefetch_count=self.prefetch)
        queue = await channel.declare_queue(
            self.queue_name(service), durable=True, arguments=self._queue_arguments(service)
        )

        handle_batch = getattr(handler, "handle_batch", None)
        workers: list[asyncio.Task] = []
        if handle_batch is not None and self.batch_size > 1:
            # Deliveries already received wait in a local queue; each worker takes what is there (up to
            # batch_size) and handles it in one transaction. Idle, a batch is one message: no added wait.
            received: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()

            async def on_message(message: AbstractIncomingMessage) -> None:
                received.put_nowait(message)

            workers = [asyncio.create_task(self._batches(received, handle_batch))
                       for _ in range(self.batch_workers)]
        else:
            async def on_message(message: AbstractIncomingMessage) -> None:
                # Each message in its own task, so one message's backoff never stalls the others.
                task = asyncio.create_task(self._handle(message, handler))
                self._inflight.add(task)
                task.add_done_callback(self._inflight.discard)

        tag = await queue.consume(on_message)
        self._consumers[service] = (channel, queue, tag, workers)

    @staticmethod
    def _delivery(message: AbstractIncomingMessage) -> Delivery:
        return Delivery(
            body=message.body,
            message_id=message.message_id or "",
            routing_key=message.routing_key or "",
            delivery_count=int((message.headers or {}).get("x-delivery-count") or 0),
            headers=dict(message.headers or {}),
        )

    async def _batches(self, received: asyncio.Queue, handle_batch) -> None:
        while True:
            batch = [await received.get()]
            while len(batch) < self.batch_size and not received.empty():
                batch.append(received.get_nowait())
            deliveries = [self._delivery(m) for m in batch]
            try:
                results = await handle_batch(deliveries)
            except asyncio.CancelledError:
                raise  # unacked: the broker redelivers when the channel closes
            except Exception as exc:
                results = [exc] * len(batch)
            for message, delivery, error in zip(batch, deliveries, results):
                if error is None:
                    try:
                        await message.ack()
                    except Exception:
                        log.warning("ack failed (connection lost); the broker will redeliver")
                    continue
                log.error("handler failed; handing back for redelivery", exc_info=error,
                          extra={"message_id": delivery.message_id, "delivery_count": delivery.delivery_count})
                task = asyncio.create_task(self._hand_back(message, delivery.delivery_count))
                self._inflight.add(task)
                task.add_done_callback(self._inflight.discard)

    async def _hand_back(self, message: AbstractIncomingMessage, count: int) -> None:
        await asyncio.sleep(backoff_delay(self.retry_backoff_seconds, count))
        try:
            # Requeue: the quorum queue counts the delivery and parks at the limit.
            await message.nack(requeue=True)
        except Exception:
            log.warning("nack failed (connection lost); the broker will redeliver")

    async def _handle(self, message: AbstractIncomingMessage, handler: DeliveryHandler) -> None:
        delivery = self._delivery(message)
        try:
            await handler(delivery)
        except Exception:
            log.exception(
                "handler failed; handing back for redelivery",
                extra={"message_id": delivery.message_id, "delivery_count": delivery.delivery_count},
            )
            await self._hand_back(message, delivery.delivery_count)
            return
        try:
            await message.ack()
        except Exception:
            # The effect is committed with its inbox record; a redelivery is a no-op.
            log.warning("ack failed (connection lost); the broker will redeliver")

    async def stop_consuming(self, service: str) -> None:
        entry = self._consumers.pop(service, None)
        if entry is None:
            return
        channel, queue, tag, workers = entry
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        try:
            await queue.cancel(tag)
            await channel.close()
        except Exception:
            log.warning("could not cancel consumer of %s cleanly", service)

    async def parked(self, service: str, limit: int = 100) -> list[ParkedMessage]:
        channel = await self._require_connection().channel()
        held: list[AbstractIncomingMessage] = []
        try:
            queue = await channel.declare_queue(
                self.parking_queue_name(service), durable=True, arguments={"x-queue-type": "quorum"}
            )
            while len(held) < limit:
                message = await queue.get(no_ack=False, fail=False, timeout=5)
                if message is None:
                    break
                held.append(message)
            return [_parked(m) for m in held]
        finally:
            # Closing the channel hands every held message back to the parking queue.
            await channel.close()

    async def replay(self, service: str, message_ids: Iterable[str] | None = None) -> int:
        wanted = set(message_ids) if message_ids is not None else None
        channel = await self._require_connection().channel(publisher_confirms=True)
        replayed = 0
        try:
            parking = await channel.declare_queue(
                self.parking_queue_name(service), durable=True, arguments={"x-queue-type": "quorum"}
            )
            skipped = []
            while True:
                message = await parking.get(no_ack=False, fail=False, timeout=5)
                if message is None:
                    break
                if wanted is not None and message.message_id not in wanted:
                    skipped.append(message)
                    continue
                headers = {k: v for k, v in (message.headers or {}).items() if not k.startswith("x-")}
                headers["replayed"] = int(headers.get("replayed", 0)) + 1
                # Straight to the service's own queue (default exchange): other consumers
                # of the same routing key must not see the message again.
                await channel.default_exchange.publish(
                    aio_pika.Message(
                        message.body,
                        message_id=message.message_id,
                        content_type=message.content_type,
                        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                        headers=headers,
                    ),
                    routing_key=self.queue_name(service),
                    mandatory=True,
                    timeout=PUBLISH_TIMEOUT_SECONDS,
                )
                await message.ack()
                replayed += 1
            return replayed
        finally:
            await channel.close()

    async def is_ready(self) -> bool:
        return (
            self._connection is not None
            and not self._connection.is_closed
            and self._publish_channel is not None
            and not self._publish_channel.is_closed
        )

    def _require_connection(self) -> AbstractRobustConnection:
        if self._connection is None:
            raise PublishError("bus not started")
        return self._connection


def _parked(message: AbstractIncomingMessage) -> ParkedMessage:
    headers = message.headers or {}
    death = headers.get("x-death") or []
    count = 0
    parked_at = None
    if death and isinstance(death, list) and isinstance(death[0], dict):
        count = int(death[0].get("count") or 0)
        parked_at = death[0].get("time")
    return ParkedMessage(
        message_id=message.message_id or "",
        routing_key=_original_key(death) or (message.routing_key or ""),
        body=message.body.decode(errors="replace"),
        delivery_count=count,
        parked_at=parked_at if isinstance(parked_at, datetime) else None,
    )


def _original_key(death: list) -> str:
    keys = death[0].get("routing-keys") if death and isinstance(death[0], dict) else None
    return keys[0] if keys else ""
