"""Outgoing webhooks following the Standard Webhooks specification.

endpoints (CRUD, rotation, the delivery log, resend) -> emitting (a message per subscribed
endpoint, in the caller's transaction) -> delivery (the retry schedule, disabling) ->
sender (one HTTP POST to a checked address) -> addresses (what may be called) and
signing (whsec_ secrets, v1 signatures). events names the event types and their data.
"""
