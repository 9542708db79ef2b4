import reflex as rx

from qrapp.components.auth_forms import auth_card, form_error, labelled, notice, submit, text_input
from qrapp.core import routes
from qrapp.state.directory_login import DirectoryLoginState


@rx.page(
    route=routes.LOGIN_DIRECTORY,
    title="Sign in with your company directory · qrapp",
    on_load=DirectoryLoginState.load_directory,
)
def login_directory() -> rx.Component:
    return auth_card(
        "Sign in with your company directory",
        "Use your work e-mail and the password of your company's directory (LDAP).",
        notice(),
        rx.form(
            rx.vstack(
                labelled(
                    "Work e-mail",
                    text_input(
                        "email",
                        "email",
                        auto_complete="username",
                        default_value=DirectoryLoginState.directory_email,
                        key=DirectoryLoginState.directory_email,
                    ),
                    "email",
                ),
                labelled(
                    "Directory password",
                    text_input("password", "password", auto_complete="current-password"),
                    "password",
                ),
                form_error(),
                submit("Sign in"),
                spacing="3",
                width="100%",
            ),
            on_submit=DirectoryLoginState.log_in_directory,
            width="100%",
        ),
        rx.text(
            rx.link("Log in with a qrapp password instead", href=routes.LOGIN),
            size="2",
            align="center",
        ),
    )
