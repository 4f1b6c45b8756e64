"""Statistics for officers: granted, disbursed, paid, failed and recovered, by year, track and district."""
