"""Bulk jobs: the dry run of an uploaded file, and the jobs that make its codes."""
