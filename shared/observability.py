"""Request ids, structured JSON logs and Prometheus metrics (one registry per service)."""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from shared import context



class ServiceMetrics:
    """A registry of its own, so the embedded process can host five services side by side."""

    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        labels = {"service": service}
        self.http_requests = Counter(
            "http_requests_total", "HTTP requests", ["service", "method", "route", "status"], registry=self.registry
        )
        self.http_latency = Histogram(
            "http_request_duration_seconds", "HTTP request latency", ["service", "method", "route"],
            registry=self.registry,
        )
        self.events_published = Counter(
            "events_published_total", "Events confirmed by the bus", ["service"], registry=self.registry
        ).labels(**labels)
        self.publish_failures = Counter(
            "event_publish_failures_total", "Publishes the bus refused (nack, return, time-out)", ["service"],
            registry=self.registry,
        ).labels(**labels)
        self.events_handled = Counter(
            "events_handled_total", "Events consumed, by outcome", ["service", "outcome"], registry=self.registry
        )
        self.outbox_backlog = Gauge(
            "outbox_backlog", "Unsent outbox rows seen by the last relay pass", ["service"], registry=self.registry
        ).labels(**labels)
        self.service = service


class RequestContextMiddleware:
    """Pure ASGI: gives every request an id (or keeps the caller's), binds it for logs and events."""

    def __init__(self, app, metrics: ServiceMetrics | None = None) -> None:
        self.app = app
        self.metrics = metrics
        self._series: dict[tuple[str, str, int], tuple] = {}
        """(method, route template, status) -> its counter and histogram children: few, and looked up once."""

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id = None
        for name, value in scope.get("headers") or []:
            if name == b"x-request-id":
                request_id = value.decode("latin-1")[:100]
                break
        request_id = request_id or uuid.uuid4().hex
        token = context.bind(
            context.ActionContext(request_id=request_id, method=scope.get("method"), path=scope.get("path"))
        )
        started = time.perf_counter()
        status_holder = {"status": 500}

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [(b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if self.metrics is not None:
                route = scope.get("route")
                key = (scope.get("method", ""), getattr(route, "path", None) or "unmatched", status_holder["status"])
                series = self._series.get(key)
                if series is None:
                    method, route_path, status = key
                    series = self._series[key] = (
                        self.metrics.http_requests.labels(self.metrics.service, method, route_path, str(status)),
                        self.metrics.http_latency.labels(self.metrics.service, method, route_path),
                    )
                series[0].inc()
                series[1].observe(time.perf_counter() - started)
            context.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id of the action in progress."""

    _skip = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        ctx = context.current()
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": ctx.request_id,
        }
        if ctx.principal is not None:
            entry["actor"] = ctx.principal.subject
        for key, value in record.__dict__.items():
            if key not in self._skip and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiormq logs every reconnection attempt at length; keep the signal.
    logging.getLogger("aiormq").setLevel(logging.WARNING)
    logging.getLogger("aio_pika").setLevel(logging.WARNING)
