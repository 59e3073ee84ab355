"""Back-office views for clerks, heads, executors and inspectors (issue 5)."""
