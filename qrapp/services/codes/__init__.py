"""QR codes: creating and editing them, redirect rules, the library (folders, bulk
actions), design templates, logos, rasterising, and what the edge reads about a code."""
