"""Analytics, one module per section (in the style of reflex-web's pcweb pages/).

page: the route and the layout; header, filters (with live_feed's badge and the exports
menu), kpis, charts (with breakdowns and live_feed), notices for empty views.
"""

from qrapp.pages.analytics.page import analytics

__all__ = ["analytics"]
