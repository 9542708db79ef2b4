"""The product's processes and the supervisor that runs them (`./scripts/run`).

`programs` says which processes make up the product and how each is started; `supervisor`
turns that list into a supervisord configuration; `web` runs the Reflex app in one
process for the embedded default. scripts/run and tests/integration/test_supervision.py
both start the product from the same generated configuration.
"""
