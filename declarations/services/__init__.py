"""Every write, one module per aggregate: errors, versioning (the one
lock-compare-save-bump), drafts, department goals and the workflow."""
