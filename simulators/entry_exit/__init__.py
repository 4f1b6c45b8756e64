"""The entry-exit bureau (出入境管理部门) simulator: a Standard Webhooks receiver that can be told to misbehave."""
