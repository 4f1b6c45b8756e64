"""The R-FIELD taxonomy and the introduction catalogue (引进目录, R-CATALOGUE): editions and their entries."""
