"""Background loops of the subsidy service, each on shared.workers.Worker."""
