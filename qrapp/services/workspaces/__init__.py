"""Workspaces: settings, members and invitations, membership look-ups, overview."""
