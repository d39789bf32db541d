"""Staff pages of the resolutions, split by subject: plans, approvals (with budget and petty cash), legal."""
