"""Landing pages: `editing` (the builder's use cases, for the web app) and `page_access`
(the edge's only way to published pages; it imports no renderer).

Kept empty on purpose: importing page_access must not import editing.
"""
