"""Accounts: sign in and out, invitations, password reset, roles."""
