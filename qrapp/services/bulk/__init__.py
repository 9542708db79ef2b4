"""Bulk generation: the dry run, jobs and their files."""
