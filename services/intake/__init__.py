"""intake: employer applications, peer recommendations, preliminary and formal review (R-APPLY, R-FORMAL)."""
