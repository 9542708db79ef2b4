import reflex as rx

from qrapp.state.session import SessionState


@rx.page(route="/", title="qrapp", on_load=SessionState.guard)
def index() -> rx.Component:
    # Signed in: the guard loaded the session, go to the dashboard. Otherwise the guard
    # already sent the browser to the login page.
    return rx.center(
        rx.spinner(size="3"),
        rx.cond(SessionState.signed_in, rx.moment(on_mount=rx.redirect("/dashboard"))),
        height="100vh",
    )
