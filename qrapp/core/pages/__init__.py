"""Landing pages as data: the document and its blocks, the sanitizer, the renderer and the
built-in starters. Pure (pydantic, jinja2, nh3): the services store what this produces.

    doc = parse_document(raw)             # DocumentError(message) names block and field
    page = render_page(doc, slug="menu")  # RenderedPage: html, csp, etag, clicks, downloads
    render_preview(doc)                   # the same HTML for the builder's preview
"""
