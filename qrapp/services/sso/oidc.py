"""OpenID Connect sign-in (filled in by the next step): registers the protocol's config."""

from __future__ import annotations

from qrapp.models.sso import PROTOCOL_OIDC
from qrapp.services.sso import connections, oidc_config

connections.register_protocol(PROTOCOL_OIDC, oidc_config.check_config, oidc_config.SECRET_KEYS)
