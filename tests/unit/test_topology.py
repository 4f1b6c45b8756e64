"""The bus topology: what each service subscribes to is what its handlers handle, and topic matching."""

from __future__ import annotations

import importlib

import pytest

from shared.bus.embedded import topic_matches
from shared.events import event_class, registered_events
from shared.events.topology import SERVICES, SUBSCRIPTIONS, bindings

pytestmark = pytest.mark.unit

FIVE_SERVICES = {"intake", "review", "subsidy", "permits", "directory"}


def test_topology_names_exactly_the_five_services():
    assert set(SERVICES) == FIVE_SERVICES
    assert set(SUBSCRIPTIONS) == FIVE_SERVICES


@pytest.mark.parametrize("name", sorted(FIVE_SERVICES))
def test_service_handles_exactly_what_it_subscribes_to(name):
    handlers = importlib.import_module(f"services.{name}.events").EVENT_HANDLERS  # the service's routing table

    # A handler without a binding never receives its event; a binding without a handler acks it unread.
    assert set(handlers) == set(SUBSCRIPTIONS[name])


@pytest.mark.parametrize("name", sorted(FIVE_SERVICES))
def test_service_subscribes_to_each_event_once(name):
    assert len(SUBSCRIPTIONS[name]) == len(set(SUBSCRIPTIONS[name]))


def test_every_subscribed_event_is_a_registered_contract():
    registered = set(registered_events())
    subscribed = {event for events in SUBSCRIPTIONS.values() for event in events}

    assert subscribed - registered == set()
    for event in subscribed:
        assert event_class(event.event_type, event.version) is event


@pytest.mark.parametrize("name", sorted(FIVE_SERVICES))
def test_queue_bindings_are_the_routing_keys_of_the_subscriptions(name):
    assert sorted(bindings(name)) == sorted(event.routing_key() for event in SUBSCRIPTIONS[name])


@pytest.mark.parametrize(
    ("pattern", "routing_key"),
    [
        ("directory.EmployerRegistered.v1", "directory.EmployerRegistered.v1"),
        ("directory.*.v1", "directory.EmployerRegistered.v1"),
        ("*.ContractBreached.*", "review.ContractBreached.v1"),
        ("review.#", "review.ContractBreached.v1"),
        ("review.#", "review"),
        ("#", "review.ApplicationApproved.v1"),
        ("#.v1", "review.ApplicationApproved.v1"),
        ("review.#.v1", "review.ApplicationApproved.v1"),
        ("review.#.v1", "review.v1"),
        ("#.#", "a.b"),
    ],
)
def test_topic_pattern_matches(pattern, routing_key):
    assert topic_matches(pattern, routing_key)


@pytest.mark.parametrize(
    ("pattern", "routing_key"),
    [
        ("directory.EmployerRegistered.v1", "directory.EmployerRegistered.v2"),
        ("directory.EmployerRegistered.v1", "review.EmployerRegistered.v1"),
        ("directory.*.v1", "directory.v1"),
        ("directory.*", "directory.EmployerRegistered.v1"),
        ("*.ContractBreached.*", "review.ContractBreachWithdrawn.v1"),
        ("review.#", "directory.EmployerRegistered.v1"),
        ("#.v2", "review.ApplicationApproved.v1"),
        ("directory.EmployerRegistered", "directory.EmployerRegistered.v1"),
        ("directory.EmployerRegistered.v1.extra", "directory.EmployerRegistered.v1"),
    ],
)
def test_topic_pattern_does_not_match(pattern, routing_key):
    assert not topic_matches(pattern, routing_key)


def test_every_registered_event_has_a_subscriber():
    # Publishes are mandatory: an event type nobody binds is refused by the broker and retried
    # by the relay for ever. The directory's timeline (R-SUPERVISE) takes every other service's events.
    subscribed = {event for events in SUBSCRIPTIONS.values() for event in events}

    assert [e.routing_key() for e in registered_events() if e not in subscribed] == []


def test_directory_timeline_takes_every_event_another_service_publishes_R_SUPERVISE():
    others = {e for e in registered_events() if e.producer != "directory"}

    assert set(SUBSCRIPTIONS["directory"]) == others
