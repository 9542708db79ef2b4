"""Reflex configuration, derived from qrapp.settings (the one place settings live)."""

import reflex as rx

from qrapp.components.build_hints import LowPriorityScripts
from qrapp.components.theme_css import RadixThemesLean
from qrapp.core import routes
from qrapp.settings import get_settings

_s = get_settings()
PAINT_FIRST = (
    routes.HOME,
    routes.LOGIN,
    routes.SIGNUP,
    routes.FORGOT_PASSWORD,
    routes.RESET_PASSWORD,
    routes.VERIFY_EMAIL,
    routes.PRICING,
)

config = rx.Config(
    app_name="qrapp",
    frontend_port=_s.web_port,
    backend_port=_s.web_port,
    deploy_url=_s.app_url,
    api_url=_s.public_api_url,
    # The websocket refuses pages of other origins (cross-site websocket hijacking).
    cors_allowed_origins=sorted({_s.app_url.rstrip("/"), _s.public_api_url}),
    redis_url=_s.redis_url or None,
    state_manager_mode="redis" if _s.redis_url else "disk",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    default_color_mode="system",
    plugins=[
        # Radix Themes with only the colour scales the app uses (qrapp/components/theme_css.py).
        RadixThemesLean(theme=rx.theme(accent_color="indigo", gray_color="slate", radius="large")),
        # Scripts fetched after the stylesheet, and after the first paint on the public
        # pages people land on (qrapp/components/build_hints.py).
        LowPriorityScripts(paint_first=PAINT_FIRST),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
    # The app has no dynamic components: without this every page imports the whole
    # Radix Themes namespace (dropdown, select, popover, tooltip...) for window.__reflex.
    frontend_lazy_bundled_libraries=True,
)
