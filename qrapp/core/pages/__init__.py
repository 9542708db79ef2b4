"""Landing pages as data: the document and its blocks, the sanitizer, the renderer and the
built-in starters. Pure (pydantic, jinja2, nh3): the services store what this produces.

    doc = parse_document(raw)             # DocumentError(message) names block and field
    page = render_page(doc, slug="menu")  # RenderedPage: html, csp, etag, clicks, downloads
    render_preview(doc)                   # the same HTML for the builder's preview
    render_page(doc, slug="menu", media={asset_id: MediaRef, ...})  # with uploaded files
    missing_media(doc, media)             # why it cannot be published yet, or None

Blocks live in blocks.py (the REGISTRY), content_blocks.py (gallery, video file, audio,
file, coupon, product, menu) and lead_form.py; what they share is in props.py.
"""
