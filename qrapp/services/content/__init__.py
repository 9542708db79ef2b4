"""Content QR codes: a dynamic code plus the published landing page it answers with."""
