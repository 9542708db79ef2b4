"""Bulk jobs, the pure part: reading the uploaded table, mapping its columns to fields,
shaping each row into a code's input, and sample files. No database, no settings."""
