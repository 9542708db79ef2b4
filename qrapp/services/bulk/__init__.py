"""Bulk generation (issue 12): the dry run of a file, and the jobs that make its codes."""
