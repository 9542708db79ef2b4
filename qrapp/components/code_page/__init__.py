"""A code's page, one module per section: header (actions, delete), preview (image,
downloads), destination (target, static content, UTM), domain (the short link's host),
validity (limits, schedule), page.
Rules, password and the simulator live in components.code_rules.
"""

from qrapp.components.code_page.page import code_page

__all__ = ["code_page"]
