"""Background loops of the permits service, each on shared.workers.Worker."""
