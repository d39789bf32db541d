"""Reports: read-only statistics of complaints (monthly classification statistics, SLA compliance,
the dashboard), their exports and pages. Every figure is an SQL aggregate in the policy's time zone."""
