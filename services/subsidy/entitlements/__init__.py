"""The policy (R-EFFECTIVE, R-SUB-*: its versions, a quote under the one in force) and the entitlements:
opened on an approval, read with what each was granted, paid and has still to receive."""
