"""A dynamic code's rules, password and scan simulator, one module per card; builder
holds the rule editor's rows and value menus.
"""

from qrapp.components.code_rules.password import password_card
from qrapp.components.code_rules.rules import rules_card
from qrapp.components.code_rules.simulator import simulator_card

__all__ = ["password_card", "rules_card", "simulator_card"]
