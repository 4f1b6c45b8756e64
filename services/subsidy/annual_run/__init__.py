"""The annual run: every open entitlement with a claim for a year paid what it has still to receive, in
resumable batches."""
