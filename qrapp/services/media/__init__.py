"""Uploaded media: storage, uploads, refs for pages, the library."""
