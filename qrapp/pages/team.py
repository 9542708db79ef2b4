import reflex as rx

from qrapp.components.auth_forms import auth_card
from qrapp.components.panels import card, empty_state, link_button, native_select
from qrapp.components.plan_limit import plan_limit_callout
from qrapp.components.shell import signed_in_page
from qrapp.components.styles import MUTED_SM
from qrapp.core import routes
from qrapp.state.session import SessionState
from qrapp.state.team import InviteState, TeamState

ROLES = [("viewer", "Viewer"), ("editor", "Editor"), ("admin", "Admin"), ("owner", "Owner")]
ROLE_HELP = {
    "Viewer": "sees codes and analytics",
    "Editor": "also creates and changes codes",
    "Admin": "also invites people and manages members and settings",
    "Owner": "also makes and removes owners",
}


def _member(m) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.hstack(
                rx.avatar(fallback=m["name"][:1].upper(), size="2", radius="full"),
                rx.vstack(
                    rx.text(m["name"], weight="medium", size="2"),
                    rx.text(m["email"], **MUTED_SM),
                    spacing="0",
                ),
                rx.cond(m["is_you"], rx.badge("you", variant="soft", size="1")),
                align="center",
            )
        ),
        rx.table.cell(
            rx.cond(
                TeamState.can_manage & ~m["is_you"],
                rx.box(
                    native_select(
                        [rx.el.option(label, value=v) for v, label in ROLES],
                        value=m["role"],
                        on_change=lambda v: TeamState.change_role(m["user_id"], v),
                        aria_label="Role",
                    ),
                    width="120px",
                ),
                rx.badge(m["role"], variant="soft"),
            )
        ),
        rx.table.cell(
            rx.cond(
                m["is_you"],
                rx.cond(
                    ~TeamState.personal,
                    rx.button(
                        "Leave",
                        size="1",
                        variant="soft",
                        color_scheme="gray",
                        on_click=TeamState.remove(m["user_id"]),
                    ),
                ),
                rx.cond(
                    TeamState.can_manage,
                    rx.button(
                        "Remove",
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        on_click=TeamState.remove(m["user_id"]),
                    ),
                ),
            ),
            text_align="right",
        ),
        class_name="member-row",
    )


def _invite_form() -> rx.Component:
    return card(
        rx.form(
            rx.vstack(
                rx.heading("Invite someone", size="4", as_="h2"),
                rx.flex(
                    rx.input(
                        name="email",
                        type="email",
                        placeholder="name@company.com",
                        required=True,
                        id="invite-email",
                        aria_label="E-mail address to invite",
                        flex="1",
                        min_width="220px",
                    ),
                    rx.box(
                        native_select(
                            [rx.el.option(label, value=v) for v, label in ROLES],
                            name="role",
                            default_value="editor",
                            id_="invite-role",
                            aria_label="Role",
                        ),
                        width="130px",
                    ),
                    rx.button(
                        rx.icon("send", size=14), "Send invitation", type="submit", id="send-invite"
                    ),
                    gap="2",
                    wrap="wrap",
                    width="100%",
                ),
                rx.cond(
                    TeamState.invite_error != "",
                    rx.text(TeamState.invite_error, color_scheme="red", size="2", role="alert"),
                ),
                plan_limit_callout(TeamState.plan_limit, "invite-plan-limit"),
                rx.text(
                    *[f"{role}: {text}. " for role, text in ROLE_HELP.items()],
                    size="1",
                    color_scheme="gray",
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=TeamState.invite,
            reset_on_submit=True,
        )
    )


def _pending() -> rx.Component:
    return rx.cond(
        TeamState.invites.length() > 0,
        card(
            rx.vstack(
                rx.heading("Waiting to accept", size="4", as_="h2"),
                rx.foreach(
                    TeamState.invites,
                    lambda i: rx.hstack(
                        rx.icon("mail", size=16, color=rx.color("gray", 10)),
                        rx.text(i["email"], size="2"),
                        rx.badge(i["role"], variant="soft"),
                        rx.text("until ", i["expires"], **MUTED_SM),
                        rx.spacer(),
                        rx.button(
                            "Withdraw",
                            size="1",
                            variant="ghost",
                            color_scheme="red",
                            on_click=TeamState.revoke(i["id"]),
                        ),
                        width="100%",
                        align="center",
                        class_name="invite-row",
                    ),
                ),
                spacing="2",
                width="100%",
            )
        ),
    )


@signed_in_page(routes.TEAM, "Team", on_load=TeamState.load)
def team() -> rx.Component:
    return rx.vstack(
        rx.cond(
            TeamState.personal,
            rx.callout.root(
                rx.callout.icon(rx.icon("info")),
                rx.callout.text(
                    "This is your personal workspace. To work with others, create a team "
                    "workspace from the workspace menu and invite people there."
                ),
                width="100%",
            ),
            rx.cond(TeamState.can_invite, _invite_form()),
        ),
        card(
            rx.vstack(
                rx.heading("Members of ", SessionState.workspace_name, size="4", as_="h2"),
                rx.table.root(
                    rx.table.body(rx.foreach(TeamState.members, _member)),
                    width="100%",
                ),
                spacing="3",
                width="100%",
            )
        ),
        _pending(),
        spacing="4",
        width="100%",
    )


@rx.page(route=routes.INVITE, title="Invitation · qrapp", on_load=InviteState.load)
def invite() -> rx.Component:
    return auth_card(
        "You are invited",
        "",
        rx.cond(
            InviteState.valid,
            rx.vstack(
                rx.text(
                    "Join the workspace ",
                    rx.text(InviteState.workspace_name, weight="bold", as_="span"),
                    " as ",
                    InviteState.role.lower(),
                    ".",
                ),
                rx.cond(
                    InviteState.signed_in_as == "",
                    rx.vstack(
                        rx.text(
                            "Log in or sign up with ",
                            InviteState.email,
                            " to accept.",
                            size="2",
                            color_scheme="gray",
                        ),
                        rx.hstack(
                            link_button(
                                "Log in", href=routes.with_next(routes.LOGIN, InviteState.back)
                            ),
                            link_button(
                                "Sign up",
                                variant="soft",
                                href=routes.with_next(routes.SIGNUP, InviteState.back),
                            ),
                        ),
                        width="100%",
                    ),
                    rx.button(
                        "Accept and open the workspace",
                        on_click=InviteState.accept,
                        size="3",
                        width="100%",
                        id="accept-invite",
                    ),
                ),
                rx.cond(
                    InviteState.error != "",
                    rx.text(InviteState.error, color_scheme="red", size="2", role="alert"),
                ),
                spacing="3",
                width="100%",
            ),
            empty_state(
                "mail-x",
                "This invitation is not valid",
                "It may have been used, withdrawn or expired. Ask for a new one.",
            ),
        ),
    )
