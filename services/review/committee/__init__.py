"""The selection committee (R-COMMITTEE): the roster, the cases from passed formal reviews, sittings, the members' conflicts, scores and votes, the decision and its funding plan."""
