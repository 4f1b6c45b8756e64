"""Applications (R-APPLY, R-FORMAL): the employer's drafts and recommendations, submission, the preliminary and
formal reviews, and the committee's decision as the employer reads it."""
