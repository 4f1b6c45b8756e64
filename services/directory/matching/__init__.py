"""Matching on the information platform (R-PLATFORM (2)): candidates ranked for a posting, postings for an expert, each
score explained."""
