import reflex as rx

from qrapp.components.code_page import code_page
from qrapp.components.shell import signed_in_page
from qrapp.core import routes
from qrapp.state.code_detail import CodeDetailState
from qrapp.state.code_domain import CodeDomainState
from qrapp.state.code_rules import RulesState


@signed_in_page(
    routes.CODE_PAGE,
    "QR code",
    on_load=[CodeDetailState.load, RulesState.load, CodeDomainState.load],
)
def code_detail() -> rx.Component:
    return code_page()
