"""directory: taxonomy, catalogue, employer registry, expert directory, job board, map (R-FIELD, R-CATALOGUE, R-PLATFORM)."""
