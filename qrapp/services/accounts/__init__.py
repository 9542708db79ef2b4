"""People: sign-up, log-in and sessions, passwords, e-mail tokens."""
