"""Performance evaluations of Art. 12 work years (R-SUB-RECURRING): an officer's record, and review's
announcement, which prevails."""
