"""One module per resource, each with a `router`; the app includes them all."""
