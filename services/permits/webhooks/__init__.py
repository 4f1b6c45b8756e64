"""Partner-agency webhooks: subscriptions, the deliveries fanned out to them, attempts and replays."""
