"""Custom domains: a workspace's own host names for short links and pages (issue 17)."""
