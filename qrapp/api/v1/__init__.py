"""REST API v1: a FastAPI app of its own (OpenAPI from the models), calling the same
services as the UI with an API key's `Actor`. Mounted at /api/v1 in the web backend by
default; `python -m qrapp.api` serves it alone."""
