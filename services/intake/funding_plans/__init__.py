"""The funding plan the employer reads, quoted later when the committee's approval recorded it ``to_be_quoted``.

Review announces ``FundingPlanQuoted`` once an officer has the plan quoted (资助方案, R-COMMITTEE). Intake keeps
it per application, whichever of it and the approval arrives first, and the decision shown carries the quoted
plan in place of the one the approval announced.
"""
